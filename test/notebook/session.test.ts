import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ok } from '../../src/engine/result';
import { CellResult, SERIES_BOUNDS } from '../../src/results';
import { byId, code, market, memoryEnv, only } from './helpers';
import {
  evaluateNotebook,
  Session,
  type NotebookCell,
  type SessionEnv,
} from '../../src/notebook/session';

const NOTEBOOK: NotebookCell[] = [
  { id: 'md', kind: 'markdown', text: '# Hedging the core book' },
  code('prices', 'prices: daily\nfile: data/daily.csv'),
  code('settings', 'benchmark: BTC\nreturns: simple\nwindow: 90d'),
  code(
    'portfolio',
    'portfolio: core\nholdings: { ETH: 40, SOL: 500, BTC: 0.5, DOGE: { usd: 20000 } }',
  ),
  code('betas', 'betas: core'),
  code('perp', 'instrument: BTCUSDT-PERP\ncontract_size: 0.001'),
  code('ethperp', 'instrument: ETHUSDT-PERP\ncontract_size: 0.01'),
  code('hedge', 'hedge: core\nwith: BTCUSDT-PERP\ntarget_beta: 0.5\nleverage: 5'),
  code(
    'pair',
    'pair: { long: { SOL: 10000usd }, short: { ETH: 10000usd } }\nhedge_with: BTCUSDT-PERP',
  ),
];

describe('evaluateNotebook', () => {
  it('evaluates a whole notebook in Node, every result valid against its schema', async () => {
    const runs = await evaluateNotebook(NOTEBOOK, memoryEnv());
    assert.deepEqual(
      runs.map((r) => [r.id, r.status]),
      NOTEBOOK.filter((c) => c.kind === 'code').map((c) => [c.id, 'ok']),
    );
    for (const run of runs) for (const r of run.results) assert.ok(CellResult.safeParse(r).success);
    assert.deepEqual(
      runs.map((r) => r.order),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  it('values the portfolio at the latest common price and carries provenance', async () => {
    const env = memoryEnv();
    const runs = await evaluateNotebook(NOTEBOOK, env);
    const m = market();
    const last = m.times.length - 1;
    const p = only(byId(runs, 'portfolio'), 'portfolio');
    const px = (a: string) => m.prices[a]?.[last] ?? NaN;
    const expected = 40 * px('ETH') + 500 * px('SOL') + 0.5 * px('BTC') + 20000;
    assert.ok(Math.abs(p.value - expected) < 1e-6 * expected);
    assert.equal(p.asOf, new Date(m.times[last] ?? 0).toISOString());
    assert.equal(p.data?.source, 'memory:daily.csv');
    const prices = only(byId(runs, 'prices'), 'prices');
    assert.equal(prices.frequency, '1d');
    assert.equal(prices.data?.rows, m.times.length);
    assert.deepEqual(prices.assets.slice().sort(), ['BTC', 'DOGE', 'ETH', 'SOL']);
  });

  it('estimates betas over the window, near the generator truth, with a rolling band', async () => {
    const runs = await evaluateNotebook(NOTEBOOK, memoryEnv());
    const b = only(byId(runs, 'betas'), 'betas');
    assert.equal(b.data?.rows, 91); // 90 daily returns need 91 prices
    const sol = b.rows.find((r) => r.asset === 'SOL');
    assert.ok(sol && sol.n === 90);
    assert.ok(
      (sol.ciLow ?? NaN) < 1.6 && 1.6 < (sol.ciHigh ?? NaN),
      `SOL beta ${sol.beta} CI excludes the truth`,
    );
    const btc = b.rows.find((r) => r.asset === 'BTC');
    assert.ok(btc && Math.abs(btc.beta - 1) < 1e-12);
    assert.ok(b.portfolio);
    const weighted = b.rows.reduce((s, r) => s + (r.weight ?? 0) * r.beta, 0);
    assert.ok(Math.abs(b.portfolio.betaWeighted - weighted) < 1e-12);
    assert.ok(b.portfolio.betaRegression !== null);
    const roll = b.rolling?.series.find((r) => r.asset === 'SOL');
    assert.ok(b.rolling && b.rolling.window === 90 && roll);
    // 399 returns, a 90-period window: the rolling series starts at the first full window (no
    // empty rows before it); its last value is the window's beta, saved to 4 significant digits.
    assert.deepEqual(b.rolling.points, { shown: b.rolling.t.length, of: 399 - 89 });
    assert.notEqual(roll.beta[0], null);
    assert.equal(roll.beta.at(-1), Number(sol.beta.toPrecision(4)));
    assert.ok((roll.stdErr[0] ?? 0) > 0);
    assert.ok(
      !b.rolling.series.some((r) => r.asset === 'BTC'),
      'no rolling line for the benchmark',
    );
    assert.equal(b.correlation.matrix.length, b.rows.length);
    assert.deepEqual(
      b.scatter.map((s) => s.asset),
      b.rows.map((r) => r.asset).filter((a) => a !== 'BTC'),
    );
    assert.deepEqual(b.scatter[0]?.cloud.points, { shown: 90, of: 90 });
  });

  it('keeps every statistic the same whether the series are reduced or full', async () => {
    const nb = [
      code('p', 'prices: daily\nfile: data/daily.csv'),
      code('s', 'settings:\nwindow: 1000d'),
      code('b', 'betas: all'),
    ];
    const reduced = only(byId(await evaluateNotebook(nb, memoryEnv(2000)), 'b'), 'betas');
    const full = only(
      byId(await evaluateNotebook(nb, { ...memoryEnv(2000), fullSeries: true }), 'b'),
      'betas',
    );
    assert.deepEqual(reduced.rows, full.rows);
    assert.deepEqual(reduced.correlation, full.correlation);
    assert.equal(full.rolling!.t.length, 1999 - 999);
    assert.ok(reduced.rolling!.t.length <= SERIES_BOUNDS.linePoints);
    assert.deepEqual(reduced.rolling!.points, { shown: reduced.rolling!.t.length, of: 1000 });
    assert.ok(reduced.scatter[0]!.cloud.x.length <= SERIES_BOUNDS.scatterPoints);
    assert.deepEqual(reduced.scatter[0]!.cloud.points.of, 1000);
    assert.equal(full.scatter[0]!.cloud.x.length, 1000);
  });

  it('sizes the hedge to the target beta with the benchmark future at beta 1', async () => {
    const runs = await evaluateNotebook(NOTEBOOK, memoryEnv());
    const inst = only(byId(runs, 'perp'), 'instrument');
    assert.equal(inst.beta, 1);
    assert.equal(inst.betaSource, 'benchmark');
    assert.equal(inst.underlying, 'BTC');
    const eth = only(byId(runs, 'ethperp'), 'instrument');
    assert.equal(eth.betaSource, 'estimated');
    assert.ok(eth.beta > 0.8 && eth.beta < 1.6);
    const h = only(byId(runs, 'hedge'), 'hedge');
    assert.equal(h.side, 'short');
    const exact = ((0.5 - h.portfolioBeta) * h.portfolioValue) / 1;
    assert.ok(Math.abs(h.notional - exact) < 1e-6 * Math.abs(exact));
    assert.ok(Math.abs(h.betaAfter - 0.5) < 0.01);
    assert.ok(h.effectiveness !== null && h.effectiveness > 0);
    assert.ok(h.liquidationPrice !== null && h.liquidationPrice > h.price);
    const total = h.exposures.reduce((s, e) => s + e.after, 0);
    assert.ok(Math.abs(total - h.betaAfter * h.portfolioValue) < 1e-6 * h.portfolioValue);
    const pair = only(byId(runs, 'pair'), 'pair');
    assert.equal(pair.name, 'SOL/ETH');
    assert.ok(pair.hedge && Math.abs(pair.hedge.dollarBetaAfter) < Math.abs(pair.dollarBeta));
  });

  it('reports an unknown asset at its key, naming the assets the prices have', async () => {
    const cells = [
      code('p', 'prices: daily\nfile: data/daily.csv'),
      code('core', 'portfolio: core\nholdings:\n  ETH: 1\n  DOGEE: 100\n'),
    ];
    const runs = await evaluateNotebook(cells, memoryEnv());
    const r = byId(runs, 'core');
    assert.equal(r.status, 'error');
    assert.equal(r.problems[0]?.code, 'cell_unknown_asset');
    assert.equal(
      r.problems[0]?.message,
      'unknown asset DOGEE in portfolio core; did you mean DOGE? (prices have: BTC, ETH, SOL, DOGE)',
    );
    assert.deepEqual(r.problems[0]?.range, {
      startLine: 3,
      startColumn: 2,
      endLine: 3,
      endColumn: 7,
    });
  });

  it('reports a file the env cannot load at the file key, and keeps the session going', async () => {
    const cells = [
      code('p', 'prices: daily\nfile: data/missing.csv'),
      code('core', 'portfolio: core\nholdings: { ETH: 1 }'),
      code('other', 'instrument: X\nunderlying: BTC'),
    ];
    const runs = await evaluateNotebook(cells, memoryEnv());
    assert.equal(byId(runs, 'p').status, 'error');
    assert.equal(byId(runs, 'p').problems[0]?.range.startLine, 1);
    const core = byId(runs, 'core');
    assert.equal(core.status, 'error');
    assert.equal(core.problems[0]?.code, 'upstream_failed');
    assert.match(core.problems[0]?.message ?? '', /prices 'daily' \(cell 1\) has errors/);
  });
});

describe('evaluation variants', () => {
  const base = [
    code('prices', 'prices: daily\nfile: data/daily.csv'),
    code('core', 'portfolio: core\nholdings: { ETH: 40, SOL: 500 }'),
  ];

  it('locates a leverage the maintenance margin cannot carry at the leverage value', async () => {
    const runs = await evaluateNotebook(
      [
        ...base,
        code('perp', 'instrument: BTC-PERP\nmaintenance_margin: 1%'),
        code('h', 'hedge: core\nwith: BTC-PERP\nleverage: 125'),
      ],
      memoryEnv(),
    );
    const h = byId(runs, 'h');
    assert.equal(h.status, 'error');
    assert.equal(h.problems[0]?.code, 'leverage_too_high');
    assert.deepEqual(h.problems[0]?.range, {
      startLine: 2,
      startColumn: 10,
      endLine: 2,
      endColumn: 13,
    });
  });

  it('refuses to hedge with a future that expired before the valuation time', async () => {
    const runs = await evaluateNotebook(
      [
        ...base,
        code('fut', 'instrument: BTCUSDT-240329\ntype: future\nexpiry: 2024-03-29'),
        code('h', 'hedge: core\nwith: BTCUSDT-240329'),
      ],
      memoryEnv(),
    );
    const fut = only(byId(runs, 'fut'), 'instrument');
    assert.equal(fut.warnings[0]?.code, 'instrument_expired');
    const h = byId(runs, 'h');
    assert.equal(h.problems[0]?.code, 'future_expired');
    assert.equal(h.problems[0]?.range.startLine, 1);
  });

  it('counts the coin collateral of an inverse contract', async () => {
    const runs = await evaluateNotebook(
      [
        ...base,
        code('inv', 'instrument: BTCUSD-PERP\nsettlement: inverse'),
        code('h', 'hedge: core\nwith: BTCUSD-PERP\nleverage: 5'),
      ],
      memoryEnv(),
    );
    const inv = only(byId(runs, 'inv'), 'instrument');
    assert.equal(inv.contractSize, 100);
    const h = only(byId(runs, 'h'), 'hedge');
    assert.ok(h.collateralExposure > 0);
    assert.ok(Math.abs(h.betaAfter) < 0.01);
  });

  it('uses a weighted basket benchmark, log returns and a coarser frequency', async () => {
    const runs = await evaluateNotebook(
      [
        ...base,
        code(
          's',
          'benchmark: { BTC: 50%, ETH: 50% }\nreturns: log\nfrequency: weekly\nwindow: 26w',
        ),
        code('b', 'betas: all'),
      ],
      memoryEnv(),
    );
    const s = only(byId(runs, 's'), 'settings');
    assert.equal(s.frequency, '1w');
    assert.equal(s.window, 26);
    const b = only(byId(runs, 'b'), 'betas');
    assert.equal(b.benchmark, '50% BTC + 50% ETH');
    assert.equal(b.returns, 'log');
    assert.deepEqual(b.rows.map((r) => r.asset).sort(), ['BTC', 'DOGE', 'ETH', 'SOL']);
    assert.ok(b.rows.every((r) => r.n === 26));
  });

  it('refuses a frequency finer than the data', async () => {
    const runs = await evaluateNotebook([...base, code('s', 'frequency: 1h')], memoryEnv());
    assert.equal(byId(runs, 's').problems[0]?.code, 'frequency_finer_than_data');
    assert.equal(byId(runs, 's').problems[0]?.range.startLine, 0);
  });

  it('reports an unknown benchmark asset at the benchmark', async () => {
    const runs = await evaluateNotebook(
      [...base, code('s', 'returns: log\nbenchmark: BTCC')],
      memoryEnv(),
    );
    const p = byId(runs, 's').problems[0];
    assert.equal(
      p?.message,
      'unknown asset BTCC in the benchmark; did you mean BTC? (prices have: BTC, ETH, SOL, DOGE)',
    );
    assert.deepEqual(p?.range, { startLine: 1, startColumn: 11, endLine: 1, endColumn: 15 });
  });

  it('values a portfolio given as weights of a total', async () => {
    const runs = await evaluateNotebook(
      [
        base[0] as NotebookCell,
        code('w', 'portfolio: w\nvalue: 100k usd\nholdings: { BTC: 60%, ETH: 30% }'),
      ],
      memoryEnv(),
    );
    const w = only(byId(runs, 'w'), 'portfolio');
    assert.equal(w.value, 100_000);
    assert.ok(Math.abs((w.positions.find((p) => p.asset === 'BTC')?.value ?? 0) - 60_000) < 1e-6);
    assert.equal(w.warnings[0]?.code, 'uninvested_cash');
  });
});

describe('exchange prices cells', () => {
  it('ask the env for candles with the symbols, interval and range of the cell', async () => {
    const env = memoryEnv();
    const requests: unknown[] = [];
    const m = market();
    const withExchange: SessionEnv = {
      loadPrices: env.loadPrices,
      async loadExchangePrices(request) {
        requests.push(request);
        return ok({
          source: 'binance spot 1d: BTCUSDT, ETHUSDT',
          series: request.assets.map((a) => ({
            asset: a.asset,
            times: m.times,
            prices: m.prices[a.asset] ?? [],
          })),
        });
      },
    };
    const runs = await evaluateNotebook(
      [
        code('p', 'prices: live\nexchange: binance\nassets: [BTC, ETH]\nstart: 2024-01-01'),
        code('b', 'betas: [ETH]'),
      ],
      withExchange,
    );
    assert.deepEqual(requests, [
      {
        exchange: 'binance',
        market: 'spot',
        interval: '1d',
        start: Date.UTC(2024, 0, 1),
        assets: [
          { asset: 'BTC', symbol: 'BTCUSDT' },
          { asset: 'ETH', symbol: 'ETHUSDT' },
        ],
      },
    ]);
    const b = only(byId(runs, 'b'), 'betas');
    assert.equal(b.data?.source, 'binance spot 1d: BTCUSDT, ETHUSDT');
  });
  it('say so when the env has no exchange access', async () => {
    const runs = await evaluateNotebook(
      [code('p', 'prices: live\nexchange: bybit\nassets: [BTC]\nstart: 2024-01-01')],
      memoryEnv(),
    );
    assert.equal(runs[0]?.status, 'error');
    assert.equal(runs[0]?.problems[0]?.code, 'exchange_unavailable');
    assert.equal(runs[0]?.problems[0]?.range.startLine, 1);
  });
});

describe('Session names', () => {
  it('reports an undeclared name with the declared ones and a suggestion', async () => {
    const s = new Session(memoryEnv());
    s.update([
      code('p', 'prices: daily\nfile: data/daily.csv'),
      code('core', 'portfolio: core\nholdings: { ETH: 1 }'),
      code('h', 'hedge: cor\nwith: BTCUSDT-PERP'),
    ]);
    const problems = s.problems('h');
    assert.deepEqual(
      problems.map((p) => [p.code, p.message, p.range.startLine, p.range.startColumn]),
      [
        ['unknown_name', "unknown portfolio 'cor'; did you mean core? (declared: core)", 0, 7],
        ['unknown_name', "unknown instrument 'BTCUSDT-PERP' (declared: none)", 1, 6],
      ],
    );
    const runs = await s.run(['h'], new AbortController().signal);
    assert.deepEqual(
      runs.map((r) => r.id),
      ['h'],
    );
    const run = runs.at(-1);
    assert.equal(run?.status, 'error');
    assert.equal(run?.problems.length, 2);
  });

  it('sends a reference to a name whose own cell has errors to that cell, not to "unknown"', () => {
    const s = new Session(memoryEnv());
    s.update([
      code('p', 'prices: daily\nfile: data/daily.csv'),
      code('core', 'portfolio: core\nholdings: { ETH: 1 }'),
      code('t', 'instrument: T\ntype: perpetual\nunderlying: BTC\nmargin: sideways'),
      code('h', 'hedge: core\nwith: T'),
    ]);
    assert.ok(s.problems('t').length > 0, 'the instrument cell has its own error');
    assert.deepEqual(
      s.problems('h').map((p) => [p.code, p.message, p.range.startLine, p.range.startColumn]),
      [['upstream_failed', "instrument 'T' (cell 3) has errors: fix it first", 1, 6]],
    );
  });

  it('points at both cells when a name is declared twice', () => {
    const s = new Session(memoryEnv());
    s.update([
      code('p', 'prices: daily\nfile: data/daily.csv'),
      code('a', 'portfolio: core\nholdings: { ETH: 1 }'),
      code('b', 'portfolio: core\nholdings: { SOL: 1 }'),
    ]);
    const a = s.problems('a');
    const b = s.problems('b');
    assert.equal(a[0]?.code, 'duplicate_name');
    assert.equal(
      a[0]?.message,
      "portfolio 'core' is declared twice: in cell 2 and cell 3; rename one",
    );
    assert.equal(
      b[0]?.message,
      "portfolio 'core' is declared twice: in cell 3 and cell 2; rename one",
    );
    assert.deepEqual(a[0]?.range, { startLine: 0, startColumn: 11, endLine: 0, endColumn: 15 });
  });

  it('asks which dataset when several are declared and a cell does not say', () => {
    const s = new Session(memoryEnv());
    s.update([
      code('d', 'prices: daily\nfile: data/daily.csv'),
      code('h', 'prices: hourly\nfile: data/hourly.csv'),
      code('c', 'portfolio: core\nholdings: { ETH: 1 }'),
      code('c2', 'portfolio: c2\nholdings: { ETH: 1 }\ndata: daily'),
    ]);
    assert.match(
      s.problems('c')[0]?.message ?? '',
      /several price datasets are declared \(daily, hourly\)/,
    );
    assert.deepEqual(s.problems('c2'), []);
  });

  it('says a notebook without prices needs a prices cell', () => {
    const s = new Session(memoryEnv());
    s.update([code('c', 'portfolio: core\nholdings: { ETH: 1 }')]);
    assert.equal(s.problems('c')[0]?.code, 'no_prices_declared');
  });
});

describe('Session execution', () => {
  it('runs stale upstream declarations first, in dependency order, once', async () => {
    const env = memoryEnv();
    const s = new Session(env);
    // Declarations below their users: dependency order, not notebook order, decides.
    s.update([
      code('hedge', 'hedge: core\nwith: PERP\ntarget_beta: 0'),
      code('core', 'portfolio: core\nholdings: { ETH: 40, SOL: 500 }'),
      code('perp', 'instrument: PERP\nunderlying: BTC'),
      code('prices', 'prices: daily\nfile: data/daily.csv'),
    ]);
    const seen: string[] = [];
    const runs = await s.run(['hedge'], new AbortController().signal, (r) => seen.push(r.id));
    assert.deepEqual(seen, ['prices', 'core', 'perp', 'hedge']);
    assert.deepEqual(
      runs.map((r) => r.order),
      [1, 2, 3, 4],
    );
    assert.ok(runs.every((r) => r.status === 'ok'));
    assert.equal(env.loads.length, 1);
    // Upstream is fresh now: running the hedge again runs only the hedge.
    const again = await s.run(['hedge'], new AbortController().signal);
    assert.deepEqual(
      again.map((r) => [r.id, r.order]),
      [['hedge', 5]],
    );
    assert.equal(env.loads.length, 1);
  });

  it('marks dependents stale after an edit, transitively, and re-runs them on demand', async () => {
    const s = new Session(memoryEnv());
    const cells = NOTEBOOK.slice();
    s.update(cells);
    await s.run(
      cells.map((c) => c.id),
      new AbortController().signal,
    );
    assert.deepEqual(s.staleIds(), []);
    const edited = cells.map((c) =>
      c.id === 'portfolio' ? code('portfolio', 'portfolio: core\nholdings: { ETH: 80 }') : c,
    );
    s.update(edited);
    assert.deepEqual(s.staleIds(), ['portfolio', 'betas', 'hedge']);
    const runs = await s.run(['hedge'], new AbortController().signal);
    assert.deepEqual(
      runs.map((r) => r.id),
      ['portfolio', 'hedge'],
    );
    assert.deepEqual(s.staleIds(), ['betas']);
    // Changing the settings invalidates everything that uses the market, not the prices.
    s.update(edited.map((c) => (c.id === 'settings' ? code('settings', 'benchmark: ETH') : c)));
    assert.deepEqual(s.staleIds(), [
      'settings',
      'portfolio',
      'betas',
      'perp',
      'ethperp',
      'hedge',
      'pair',
    ]);
  });

  it('keeps fresh cells fresh when an unrelated cell changes', async () => {
    const s = new Session(memoryEnv());
    s.update(NOTEBOOK);
    await s.run(
      NOTEBOOK.map((c) => c.id),
      new AbortController().signal,
    );
    s.update(
      NOTEBOOK.map((c) =>
        c.id === 'pair' ? code('pair', 'pair: p\nlong: { SOL: 5 }\nshort: { ETH: 1 }') : c,
      ),
    );
    assert.deepEqual(s.staleIds(), ['pair']);
  });

  it('never breaks on one bad cell: the others still run', async () => {
    const cells = [
      code('prices', 'prices: daily\nfile: data/daily.csv'),
      code('bad', 'portfolio: core\nholdings: { ETH: lots }'),
      code('betas', 'betas: [ETH, SOL]'),
      code('weird', 'stress: core'),
    ];
    const runs = await evaluateNotebook(cells, memoryEnv());
    assert.deepEqual(
      runs.map((r) => [r.id, r.status]),
      [
        ['prices', 'ok'],
        ['bad', 'error'],
        ['betas', 'ok'],
        ['weird', 'error'],
      ],
    );
    assert.match(byId(runs, 'bad').problems[0]?.message ?? '', /holdings.ETH: expected/);
  });

  it('runs an empty or comment-only cell as ok with no results', async () => {
    const runs = await evaluateNotebook([code('e', '# nothing yet\n'), code('f', '')], memoryEnv());
    assert.deepEqual(
      runs.map((r) => [r.id, r.status, r.results.length, r.problems.length]),
      [
        ['e', 'ok', 0, 0],
        ['f', 'ok', 0, 0],
      ],
    );
  });

  it('uses the whole sample, with a warning, when the window is longer than the data', async () => {
    const runs = await evaluateNotebook(
      [
        code('p', 'prices: daily\nfile: data/daily.csv'),
        code('s', 'settings:\nwindow: 5y'),
        code('b', 'betas: [ETH]'),
      ],
      memoryEnv(60),
    );
    const s = only(byId(runs, 's'), 'settings');
    assert.equal(s.window, null);
    assert.equal(s.warnings[0]?.code, 'window_longer_than_data');
    assert.match(s.warnings[0]?.message ?? '', /longer than the data \(59 returns\)/);
    const b = only(byId(runs, 'b'), 'betas');
    assert.equal(b.rows[0]?.n, 59);
    assert.equal(b.rolling, null);
  });

  it('stops between cells when cancelled and reports the rest as cancelled', async () => {
    const controller = new AbortController();
    const s = new Session(memoryEnv());
    s.update(NOTEBOOK);
    const runs = await s.run(
      NOTEBOOK.map((c) => c.id),
      controller.signal,
      (r) => {
        if (r.id === 'settings') controller.abort();
      },
    );
    assert.deepEqual(
      runs.map((r) => [r.id, r.status]),
      [
        ['prices', 'ok'],
        ['settings', 'ok'],
        ['portfolio', 'cancelled'],
        ['betas', 'cancelled'],
        ['perp', 'cancelled'],
        ['ethperp', 'cancelled'],
        ['hedge', 'cancelled'],
        ['pair', 'cancelled'],
      ],
    );
    assert.equal(runs[2]?.order, 0);
    // The session still works afterwards.
    const after = await s.run(['hedge'], new AbortController().signal);
    assert.equal(after.at(-1)?.status, 'ok');
  });

  it('cancels inside a long cell: the loop over assets yields and sees the signal', async () => {
    const controller = new AbortController();
    const s = new Session(memoryEnv());
    s.update(NOTEBOOK);
    await s.run(['portfolio', 'settings'], controller.signal);
    const pending = s.run(['betas'], controller.signal);
    setImmediate(() => controller.abort());
    const runs = await pending;
    assert.deepEqual(
      runs.map((r) => [r.id, r.status]),
      [['betas', 'cancelled']],
    );
    assert.ok((runs[0]?.order ?? 0) > 0, 'the cell had started');
  });
});

describe('Session staleness from saved hashes', () => {
  const cells = [
    code('prices', 'prices: daily\nfile: data/daily.csv'),
    code('settings', 'benchmark: BTC\nreturns: log\nwindow: 365d'),
    code('portfolio', 'portfolio: core\nholdings: { ETH: 40, SOL: 500 }'),
    code('betas', 'betas: core'),
  ];
  /** The cells as a file saved after a run: each with the hashes its outputs would carry. */
  async function savedNotebook(): Promise<NotebookCell[]> {
    const runs = await evaluateNotebook(cells, memoryEnv());
    return cells.map((c) => {
      const r = byId(runs, c.id);
      const data = r.results.find((x) => x.data?.hash)?.data?.hash ?? null;
      return {
        ...c,
        saved: { sourceHash: r.sourceHash, inputsHash: r.inputsHash, dataHash: data },
      };
    });
  }

  it('shows nothing stale when a saved notebook is opened unchanged', async () => {
    const s = new Session(memoryEnv());
    s.update(await savedNotebook());
    assert.deepEqual(s.staleCells(), []);
  });
  it('marks an edited cell and everything downstream stale on open, saying which was edited', async () => {
    const saved = await savedNotebook();
    const s = new Session(memoryEnv());
    s.update(
      saved.map((c) => (c.id === 'settings' ? { ...c, text: c.text.replace('365d', '90d') } : c)),
    );
    assert.deepEqual(s.staleCells(), [
      { id: 'settings', reason: 'edited' },
      { id: 'portfolio', reason: 'upstream' },
      { id: 'betas', reason: 'upstream' },
    ]);
  });
  it('clears the mark when the edit is undone, and after the cell runs again', async () => {
    const saved = await savedNotebook();
    const s = new Session(memoryEnv());
    const edited = saved.map((c) => (c.id === 'betas' ? { ...c, text: 'betas: core\n# note' } : c));
    s.update(edited);
    assert.deepEqual(s.staleIds(), ['betas']);
    s.update(saved);
    assert.deepEqual(s.staleIds(), []);
    s.update(edited);
    await s.run(['betas'], new AbortController().signal);
    assert.deepEqual(s.staleIds(), []);
  });
  it('marks downstream cells stale when a prices cell re-runs on changed data', async () => {
    const env = memoryEnv();
    const s = new Session(env);
    s.update(cells);
    await s.run(['betas'], new AbortController().signal);
    assert.deepEqual(s.staleIds(), []);
    // The file changes under the same cell text: the next load returns other prices.
    const original = env.loadPrices.bind(env);
    env.loadPrices = async (file, signal) => {
      const r = await original(file, signal);
      if (!r.ok) return r;
      const series = r.value.series.map((x) => ({
        ...x,
        prices: Array.from(x.prices, (p) => p * 1.01),
      }));
      series[1]!.prices[series[1]!.prices.length - 1]! *= 1.2;
      return ok({ source: r.value.source, series });
    };
    await s.run(['prices'], new AbortController().signal);
    assert.deepEqual(s.staleCells(), [
      { id: 'settings', reason: 'upstream' }, // its result shows the data's window
      { id: 'portfolio', reason: 'upstream' },
      { id: 'betas', reason: 'upstream' },
    ]);
    // Running betas re-runs the stale portfolio on the way (its value came from the old data).
    const runs = await s.run(['betas'], new AbortController().signal);
    assert.deepEqual(
      runs.map((r) => r.id),
      ['settings', 'portfolio', 'betas'],
    );
    assert.deepEqual(s.staleIds(), []);
  });
  it('never marks outputs saved without hashes (an older file) as stale', () => {
    const s = new Session(memoryEnv());
    s.update(cells.map((c) => ({ ...c, saved: {} })));
    assert.deepEqual(s.staleIds(), []);
  });
});

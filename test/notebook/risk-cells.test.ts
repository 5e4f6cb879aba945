// The risk cells and tiered margin through the notebook: cell text in, typed results out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ok, fail } from '../../src/engine/result';
import { generateMarket } from '../../src/engine/synthetic';
import type { PriceSeries } from '../../src/engine/series';
import { CellResult } from '../../src/results';
import {
  Session,
  evaluateNotebook,
  type CellRun,
  type NotebookCell,
  type SessionEnv,
} from '../../src/notebook/session';

const DAY = 86_400_000;

function memoryEnv(periods = 400): SessionEnv {
  const m = generateMarket({
    seed: 11,
    periods,
    intervalMs: DAY,
    start: Date.UTC(2024, 0, 1),
    benchmark: { asset: 'BTC', price: 50_000, vol: 0.6 },
    assets: [
      { asset: 'ETH', beta: 1.2, idioVol: 0.3, price: 3_000 },
      { asset: 'SOL', beta: 1.6, idioVol: 0.5, price: 150 },
    ],
  });
  const series: PriceSeries[] = Object.entries(m.prices).map(([asset, prices]) => ({
    asset,
    times: m.times,
    prices,
  }));
  return {
    async loadPrices(file) {
      if (file !== 'data/daily.csv') return fail('file_not_found', ['file'], { file });
      return ok({ source: 'memory:daily.csv', series });
    },
  };
}

const code = (id: string, text: string): NotebookCell => ({ id, kind: 'code', text });

function byId(runs: readonly CellRun[], id: string): CellRun {
  const r = runs.find((x) => x.id === id);
  assert.ok(r, `no run for ${id}`);
  return r;
}

function only<K extends CellResult['kind']>(
  run: CellRun,
  kind: K,
): Extract<CellResult, { kind: K }> {
  assert.equal(run.status, 'ok', JSON.stringify(run.problems));
  const r = run.results[0] as CellResult;
  assert.equal(r.kind, kind);
  assert.ok(CellResult.safeParse(r).success, 'the result matches its schema');
  return r as Extract<CellResult, { kind: K }>;
}

const base = [
  code('prices', 'prices: daily\nfile: data/daily.csv'),
  // A large book: about $6M of BTC, so its hedge sits in a higher Binance bracket.
  code('big', 'portfolio: big\nholdings: { BTC: { usd: 6000000 } }'),
];

describe('tiered maintenance margin in hedge and pair cells', () => {
  it('liquidates a large hedge sooner with the Binance table than with the single rate', async () => {
    const runs = await evaluateNotebook(
      [
        ...base,
        code('tiered', 'instrument: BTCUSDT-PERP\nbrackets: binance-btcusdt'),
        code('flat', 'instrument: BTCUSDT-FLAT\nunderlying: BTC'),
        code('h1', 'hedge: big\nwith: BTCUSDT-PERP\nleverage: 5'),
        code('h2', 'hedge: big\nwith: BTCUSDT-FLAT\nleverage: 5'),
      ],
      memoryEnv(),
    );
    const inst = only(byId(runs, 'tiered'), 'instrument');
    assert.equal(inst.brackets?.table, 'binance-btcusdt');
    assert.equal(inst.brackets?.rows[3]?.amount, 16_300);
    const tiered = only(byId(runs, 'h1'), 'hedge');
    const flat = only(byId(runs, 'h2'), 'hedge');
    assert.deepEqual(tiered.bracket, { table: 'binance-btcusdt', number: 4, maxLeverage: 20 });
    assert.equal(tiered.maintenanceMarginRate, 0.025);
    assert.equal(flat.bracket, null);
    // Same entry, same size: the tiered short is liquidated by a smaller rally.
    assert.equal(tiered.contracts, flat.contracts);
    assert.ok((tiered.liquidationMovePct as number) < (flat.liquidationMovePct as number) - 1);
    // Hand check of the tiered price: Q = contracts · 0.001 BTC, WB = Q·P/5:
    // LP = (WB + 16,300 + Q·P) / (Q·0.025 + Q).
    const q = tiered.contracts * 0.001;
    const p = tiered.price;
    const lp = ((q * p) / 5 + 16_300 + q * p) / (q * 0.025 + q);
    assert.ok(Math.abs((tiered.liquidationPrice as number) - lp) < 1e-6 * lp);
  });

  it('gives the pair’s hedge leg its margin and liquidation price when a leverage is set', async () => {
    const runs = await evaluateNotebook(
      [
        ...base,
        code('perp', 'instrument: BTCUSDT-PERP\nbrackets: binance-btcusdt'),
        code(
          'pair',
          'pair: { long: { SOL: 200000usd }, short: { ETH: 100000usd } }\nhedge_with: BTCUSDT-PERP\nleverage: 10',
        ),
      ],
      memoryEnv(),
    );
    const pair = only(byId(runs, 'pair'), 'pair');
    const m = pair.hedge?.margin;
    assert.ok(m, 'margin shown');
    assert.ok(Math.abs(m.initialMargin - Math.abs(pair.hedge?.notional ?? 0) / 10) < 1e-9);
    assert.ok((m.liquidationMovePct as number) > 0, 'a short hedge is liquidated by a rally');
    assert.equal(m.bracket?.table, 'binance-btcusdt');
  });

  it('locates an engine problem with brackets written in the cell at the bracket', async () => {
    const runs = await evaluateNotebook(
      [
        ...base,
        code(
          'perp',
          'instrument: BTCUSDT-PERP\nbrackets:\n  - { up_to: 50000usd, rate: 0.5% }\n  - { up_to: 40000usd, rate: 0.6% }',
        ),
      ],
      memoryEnv(),
    );
    const run = byId(runs, 'perp');
    assert.equal(run.status, 'error');
    assert.equal(run.problems[0]?.code, 'bracket_caps_not_ascending');
    assert.equal(run.problems[0]?.range.startLine, 3);
    assert.match(run.problems[0]?.message ?? '', /Bracket 2 ends at 40,000/);
  });

  it('refuses a coin-counted table on a linear contract', async () => {
    const runs = await evaluateNotebook(
      [...base, code('perp', 'instrument: BTCUSDT-PERP\nbrackets: binance-btcusd-quarterly')],
      memoryEnv(),
    );
    const run = byId(runs, 'perp');
    assert.equal(run.problems[0]?.code, 'brackets_settlement_mismatch');
    assert.equal(run.problems[0]?.range.startLine, 1);
  });
});

const book = [
  code('prices', 'prices: daily\nfile: data/daily.csv'),
  code(
    'core',
    'portfolio: core\nholdings: { ETH: { usd: 70000 }, SOL: { usd: 20000 }, BTC: { usd: 10000 } }',
  ),
  code('btc', 'instrument: BTCUSDT-PERP\nbrackets: binance-btcusdt'),
  code('eth', 'instrument: ETHUSDT-PERP\nbrackets: binance-ethusdt'),
];

describe('stress cells', () => {
  it('runs a ladder, named scenarios and history on a hedged book, every row hand-checkable', async () => {
    const runs = await evaluateNotebook(
      [
        ...book,
        code(
          's',
          'stress: core\nhedge: { with: BTCUSDT-PERP, leverage: 10 }\nladder: { from: -40%, to: 40%, step: 10% }\nscenarios: { sol-crash: { BTC: -10%, SOL: -60% } }\nhistorical: { window: 7d, worst: 2, rallies: 1 }',
        ),
      ],
      memoryEnv(),
    );
    const r = only(byId(runs, 's'), 'stress');
    assert.equal(r.scenarios.filter((s) => s.kind === 'ladder').length, 9);
    assert.equal(r.scenarios.filter((s) => s.kind === 'historical').length, 3);
    assert.ok(r.model[0]?.includes('β·move'));
    assert.ok(r.hedge && r.hedge.side === 'short');
    // A ladder row: unhedged = Σ value·β·m; the hedged P&L is near 0 until the hedge is liquidated.
    const down = r.scenarios.find((s) => s.name === '-20%');
    assert.ok(down && down.liquidated === false);
    assert.ok(Math.abs(down.hedgedPnl) < 0.01 * Math.abs(down.unhedgedPnl) + 200);
    // 10× short: a rally above ~+9 % liquidates it, and the row says so.
    const up = r.scenarios.find((s) => s.name === '+40%');
    assert.equal(up?.liquidated, true);
    assert.ok((r.liquidationBenchmarkMove ?? 1) < 0.1);
    assert.ok(r.warnings.some((w) => w.code === 'hedge_liquidated_in_scenarios'));
    // The named scenario's breakdown: SOL by its shock, ETH by β × −10 %.
    const b = r.breakdown.find((x) => x.scenario === 'sol-crash');
    assert.equal(b?.positions.find((p) => p.asset === 'SOL')?.source, 'shock');
    assert.equal(b?.positions.find((p) => p.asset === 'ETH')?.source, 'beta');
  });

  it('points at an unknown asset inside a scenario', async () => {
    const runs = await evaluateNotebook(
      [...book, code('s', 'stress: core\nscenarios: { x: { DOGE: -50% } }')],
      memoryEnv(),
    );
    const run = byId(runs, 's');
    assert.equal(run.problems[0]?.code, 'cell_unknown_asset');
    assert.equal(run.problems[0]?.range.startLine, 1);
  });
});

describe('basis cells', () => {
  it('recommends ETH perps for an ETH-heavy book and keeps its rolling correlation bounded', async () => {
    const runs = await evaluateNotebook(
      [...book, code('b', 'basis: core\ncompare: [BTCUSDT-PERP, ETHUSDT-PERP]')],
      memoryEnv(),
    );
    const r = only(byId(runs, 'b'), 'basis');
    assert.equal(r.recommendation.candidate, 'ETHUSDT-PERP');
    assert.equal(r.recommendation.basis, 'walk-forward');
    assert.match(r.recommendation.reason, /ETHUSDT-PERP hedges this book best out of sample/);
    const [btc, eth] = r.candidates;
    assert.ok((eth?.walkForwardMinVariance ?? 0) > (btc?.walkForwardMinVariance ?? 1));
    // min-variance ratio = −ρ σ_P / σ_F: the hedge is a short.
    assert.ok((eth?.minVarianceNotional ?? 0) < 0);
    assert.ok(r.rolling && r.rolling.t.length <= 400);
    assert.deepEqual(Object.keys(r.rolling?.columns ?? {}), ['BTCUSDT-PERP', 'ETHUSDT-PERP']);
    assert.ok(r.combined && r.combined.ratios.length === 2);
  });
});

describe('basis cells with a basket and a strict threshold', () => {
  it('compares a basket (no contracts) and warns when the recent correlation is under the threshold', async () => {
    const runs = await evaluateNotebook(
      [
        ...book,
        code(
          'b',
          'basis: core\ncompare: [BTCUSDT-PERP, { BTC: 50%, ETH: 50% }]\nthreshold: 0.999\nrecent: 20',
        ),
      ],
      memoryEnv(),
    );
    const r = only(byId(runs, 'b'), 'basis');
    const basket = r.candidates[1];
    assert.equal(basket?.kind, 'basket');
    assert.equal(basket?.name, '50% BTC + 50% ETH');
    assert.equal(basket?.minVarianceContracts, null);
    assert.equal(r.recent, 20);
    assert.ok(r.warnings.some((w) => w.code === 'correlation_below_threshold'));
  });
});

describe('stress cells with named dates', () => {
  it('replays the window starting at a named date with every asset’s realised move', async () => {
    const runs = await evaluateNotebook(
      [
        ...book,
        code(
          's',
          'stress: core\nhistorical: { window: 5d, worst: 0, rallies: 0, dates: { march: 2024-03-01 } }',
        ),
      ],
      memoryEnv(),
    );
    const r = only(byId(runs, 's'), 'stress');
    assert.equal(r.scenarios.length, 1);
    const row = r.scenarios[0]!;
    assert.equal(row.start?.slice(0, 10), '2024-03-01');
    assert.equal(row.end?.slice(0, 10), '2024-03-06');
    const eth = r.breakdown[0]?.positions.find((p) => p.asset === 'ETH');
    assert.equal(eth?.source, 'historical');
  });

  it('points at a named date outside the data', async () => {
    const runs = await evaluateNotebook(
      [...book, code('s', 'stress: core\nhistorical: { dates: { later: 2030-01-01 } }')],
      memoryEnv(),
    );
    const run = byId(runs, 's');
    assert.equal(run.problems[0]?.code, 'date_outside_data');
    assert.equal(run.problems[0]?.range.startLine, 1);
  });
});

describe('position cells', () => {
  it('writes a rebalance ticket for a held short that has drifted, and a stress cell can use it', async () => {
    const runs = await evaluateNotebook(
      [
        ...book,
        code(
          'p',
          'position: core-hedge\nhedges: core\nwith: BTCUSDT-PERP\ncontracts: -1000\nentry_price: 40000\nleverage: 5\nopened: 2024-10-01',
        ),
        code('s', 'stress: core\nheld: core-hedge\nladder: [-30%, 30%]'),
      ],
      memoryEnv(),
    );
    const p = only(byId(runs, 'p'), 'position');
    assert.equal(p.side, 'short');
    close(p.margin, 40_000 / 5);
    // β now = (β_P·V + β_F·C) / V; the ticket takes it to 0 in whole contracts.
    close(p.betaNow, (p.portfolioBeta * p.portfolioValue + p.notional) / p.portfolioValue);
    assert.ok(Math.abs(p.ticket.betaAfter) < 0.01);
    close(p.ticket.fee, p.ticket.notional * 0.0005);
    const s = only(byId(runs, 's'), 'stress');
    assert.equal(s.hedge?.source, 'position');
    assert.equal(s.hedge?.contracts, 1000);
  });
});

describe('position cells with funding data', () => {
  it('counts the funding since opening, each payment on the notional at its time', async () => {
    // A constant +0.01 % every 8 h from 2024-12-01: a short receives 0.0001 × |notional| each
    // time. Hand sum: Σ 1 BTC (1,000 contracts × 0.001) × price at the payment × 0.0001.
    const base = memoryEnv();
    const start = Date.UTC(2024, 11, 1);
    const times = Array.from({ length: 30 }, (_, i) => start + i * 8 * 3_600_000);
    const env: SessionEnv = {
      ...base,
      async loadFunding() {
        return ok({
          source: 'memory:funding.csv',
          rates: times.map((time) => ({ time, symbol: 'BTCUSDT', rate: 0.0001 })),
        });
      },
    };
    const runs = await evaluateNotebook(
      [
        ...book,
        code('f', 'funding: perps\nfile: data/funding.csv'),
        code(
          'p',
          'position: h\nhedges: core\nwith: BTCUSDT-PERP\ncontracts: -1000\nentry_price: 40000\nleverage: 5\nopened: 2024-11-30\nfunding: perps',
        ),
      ],
      env,
    );
    const p = only(byId(runs, 'p'), 'position');
    assert.equal(p.fundingPayments, 30);
    // Daily prices: a payment at 08:00 or 16:00 uses that day's (00:00) close.
    const prices = await (async () => {
      const loaded = await base.loadPrices('data/daily.csv', new AbortController().signal);
      assert.ok(loaded.ok);
      const btc = loaded.value.series.find((x) => x.asset === 'BTC')!;
      return times.map((t) => {
        let j = 0;
        while (j + 1 < btc.times.length && btc.times[j + 1]! <= t) j++;
        return btc.prices[j]!;
      });
    })();
    close(
      p.fundingPnl,
      prices.reduce((sum, px) => sum + px * 0.0001, 0),
    );
  });
});

describe('a session updated while a cell runs', () => {
  it('keeps the value the running cell declares (the editor refreshes staleness during runs)', async () => {
    // The prices load waits until released; meanwhile the session is updated with the same
    // cells, as the editor's status bar does. The portfolio below must still see the prices.
    const base = memoryEnv();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const env: SessionEnv = {
      async loadPrices(file, signal) {
        await gate;
        return base.loadPrices(file, signal);
      },
    };
    const cells = [...book.slice(0, 2)];
    const session = new Session(env);
    session.update(cells);
    const running = session.run(
      cells.map((c) => c.id),
      new AbortController().signal,
    );
    await new Promise((r) => setTimeout(r, 20));
    session.update(cells);
    release();
    const runs = await running;
    assert.deepEqual(
      runs.map((r) => [r.id, r.status]),
      [
        ['prices', 'ok'],
        ['core', 'ok'],
      ],
    );
  });
});

function close(a: number | null | undefined, b: number, tol = 1e-9) {
  assert.ok(
    typeof a === 'number' && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)),
    `${a} != ${b}`,
  );
}

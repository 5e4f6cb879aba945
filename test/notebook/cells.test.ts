// The cell evaluators (src/notebook/cells/*) at their edges: what a trader reads in each kind's
// result. The whole-notebook flow (dependencies, staleness, cancellation) is in session.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { annualAlpha } from '../../src/engine/beta';
import { ok } from '../../src/engine/result';
import type { PriceSeries } from '../../src/engine/series';
import { evaluateNotebook, type NotebookCell, type SessionEnv } from '../../src/notebook/session';
import { buildTables } from '../../src/outputs/tables';
import { byId, code, DAY, market, memoryEnv, only } from './helpers';

const PRICES = code('p', 'prices: daily\nfile: data/daily.csv');
const m = market();
const LAST = m.times[m.times.length - 1]!;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The generated market with some points of some assets removed (a gap in the data). */
function envWithout(drop: Record<string, (t: number) => boolean>): SessionEnv {
  const series: PriceSeries[] = Object.entries(m.prices).map(([asset, prices]) => {
    const keep = m.times.map((t) => !(drop[asset]?.(t) ?? false));
    return {
      asset,
      times: m.times.filter((_, i) => keep[i]),
      prices: prices.filter((_, i) => keep[i]),
    };
  });
  return { loadPrices: async () => ok({ source: 'memory', series }) };
}

async function run(cells: NotebookCell[], env: SessionEnv = memoryEnv()) {
  return evaluateNotebook([PRICES, ...cells], env);
}

describe('betas cells', () => {
  it("give the benchmark's own row exactly: β 1, α 0, se 0, no t-stat or interval", async () => {
    const runs = await run([
      code('s', 'benchmark: BTC\nwindow: 90d'),
      code('pf', 'portfolio: core\nholdings: { BTC: 1, ETH: 10 }'),
      code('b', 'betas: core\newma_half_life: 10'),
    ]);
    const b = only(byId(runs, 'b'), 'betas');
    const btc = b.rows.find((r) => r.asset === 'BTC');
    assert.ok(btc);
    assert.deepEqual(
      [btc.beta, btc.alpha, btc.alphaAnnual, btc.stdErr, btc.tStat, btc.ciLow, btc.ciHigh],
      [1, 0, 0, 0, null, null, null],
    );
    assert.deepEqual(
      [btc.r2, btc.correlation, btc.blumeBeta, btc.vasicekBeta, btc.ewmaBeta],
      [1, 1, 1, 1, 1],
    );
    const eth = b.rows.find((r) => r.asset === 'ETH');
    assert.ok(eth && eth.tStat !== null && eth.ciLow !== null && eth.stdErr > 0);
    const row = buildTables(b)[0]!.rows.find((r) => r[0] === 'BTC');
    assert.equal(row?.[2], '—', 'the interval of the benchmark row reads as a dash');
  });

  it('compound the per-period alpha into the annual one, for simple and log returns', async () => {
    for (const kind of ['simple', 'log'] as const) {
      const runs = await run([
        code('s', `returns: ${kind}\nwindow: 180d`),
        code('b', 'betas: [ETH, SOL]'),
      ]);
      for (const r of only(byId(runs, 'b'), 'betas').rows)
        assert.equal(r.alphaAnnual, annualAlpha(r.alpha, 365, kind), `${kind} ${r.asset}`);
    }
  });

  it('leave the benchmark out of betas: all and carry no weights there', async () => {
    const runs = await run([code('b', 'betas: all')]);
    const b = only(byId(runs, 'b'), 'betas');
    assert.deepEqual(
      b.rows.map((r) => r.asset),
      ['ETH', 'SOL', 'DOGE'],
    );
    assert.ok(b.rows.every((r) => r.weight === null));
    assert.ok(!buildTables(b)[0]!.columns.some((c) => c.label === 'Weight'));
  });
});

describe('the estimation window', () => {
  it('holds exactly the last N returns for window: N, and the last N days for window: Nd', async () => {
    for (const w of ['90', '90d', '2160h']) {
      const runs = await run([code('s', `window: ${w}`), code('b', 'betas: [ETH]')]);
      const b = only(byId(runs, 'b'), 'betas');
      assert.equal(b.rows[0]?.n, 90, `window: ${w}`);
      // 91 prices make 90 returns: the first price is the day before the first return ends
      assert.equal(b.data?.rows, 91);
      assert.equal(b.data?.start, new Date(LAST - 90 * DAY).toISOString());
      assert.equal(b.data?.end, new Date(LAST).toISOString());
      assert.equal(byId(runs, 'b').results[0]?.warnings.length, 0);
    }
  });

  it('means time on gapped data: window: 90d keeps 90 days, fewer returns, and says so', async () => {
    const gap = (t: number) => t > LAST - 30 * DAY && t <= LAST - 20 * DAY; // 10 days of SOL
    const runs = await run(
      [code('s', 'window: 90d'), code('b', 'betas: [ETH]')],
      envWithout({ SOL: gap }),
    );
    const b = only(byId(runs, 'b'), 'betas');
    assert.equal(b.rows[0]?.n, 80);
    assert.equal(b.data?.start, new Date(LAST - 90 * DAY).toISOString(), 'still 90 days back');
    const w = b.warnings.find((x) => x.code === 'window_has_gaps');
    assert.ok(w, JSON.stringify(b.warnings));
    assert.equal(
      w.message,
      `window: 90d covers ${day(LAST - 90 * DAY)} to ${day(LAST)}: 80 returns of 1d, not 90, since the data has gaps there; the betas use those 80 returns, and the rolling beta moves a window of 80 returns`,
    );
  });

  it('uses the whole sample when a time window is longer than the data', async () => {
    const runs = await run([code('s', 'window: 5y'), code('b', 'betas: [ETH]')]);
    const b = only(byId(runs, 'b'), 'betas');
    assert.equal(b.rows[0]?.n, m.times.length - 1);
    assert.match(b.warnings[0]?.message ?? '', /^the window \(5y\) is longer than the data/);
  });
});

describe('prices cells', () => {
  it('keep both ends of start and end: the rows at start and at end are in', async () => {
    const start = m.times[100]!;
    const end = m.times[130]!;
    const runs = await evaluateNotebook(
      [code('p', `prices: daily\nfile: data/daily.csv\nstart: ${day(start)}\nend: ${day(end)}`)],
      memoryEnv(),
    );
    const p = only(byId(runs, 'p'), 'prices');
    assert.equal(p.data?.start, new Date(start).toISOString());
    assert.equal(p.data?.end, new Date(end).toISOString());
    assert.equal(p.data?.rows, 31);
  });

  it('keep the rows from start on when only start is given, and up to end when only end is', async () => {
    const from = m.times[350]!;
    const to = m.times[20]!;
    const runs = await evaluateNotebook(
      [
        code('a', `prices: a\nfile: data/daily.csv\nstart: ${day(from)}`),
        code('b', `prices: b\nfile: data/daily.csv\nend: ${day(to)}`),
      ],
      memoryEnv(),
    );
    const a = only(byId(runs, 'a'), 'prices');
    assert.deepEqual(
      [a.data?.start, a.data?.rows],
      [new Date(from).toISOString(), m.times.length - 350],
    );
    const b = only(byId(runs, 'b'), 'prices');
    assert.deepEqual([b.data?.end, b.data?.rows], [new Date(to).toISOString(), 21]);
  });
});

describe('portfolio cells', () => {
  it('name the asset missing the latest price and the time the portfolio is valued at', async () => {
    const runs = await run(
      [code('pf', 'portfolio: core\nholdings: { BTC: 1, SOL: 100 }')],
      envWithout({ SOL: (t) => t === LAST }),
    );
    const pf = only(byId(runs, 'pf'), 'portfolio');
    assert.equal(pf.asOf, new Date(LAST - DAY).toISOString());
    assert.deepEqual(
      pf.warnings.map((w) => w.message),
      [
        `The portfolio is valued at ${day(LAST - DAY)}, the latest time every asset has a price: SOL has no price at ${day(LAST)}, the latest time in the data.`,
      ],
    );
    const prices = only(byId(runs, 'p'), 'prices');
    assert.ok(
      prices.warnings.some((w) => w.message.startsWith(`SOL has no price at ${day(LAST)}, which`)),
      JSON.stringify(prices.warnings),
    );
  });
});

describe('instrument and hedge cells', () => {
  const book = [
    code('pf', 'portfolio: core\nholdings: { ETH: 40, SOL: 500 }'),
    code('h', 'hedge: core\nwith: FUT'),
  ];
  const future = (expiry: number) =>
    code('f', `instrument: FUT\nunderlying: BTC\ntype: future\nexpiry: ${day(expiry)}`);

  it('treat a future as expired at its exact expiry instant, and as live the period before', async () => {
    const at = await run([future(LAST), ...book]);
    assert.equal(only(byId(at, 'f'), 'instrument').warnings[0]?.code, 'instrument_expired');
    assert.equal(byId(at, 'h').problems[0]?.code, 'future_expired');
    const before = await run([future(LAST + DAY), ...book]);
    assert.deepEqual(only(byId(before, 'f'), 'instrument').warnings, []);
    assert.equal(only(byId(before, 'h'), 'hedge').side, 'short');
  });

  it('say when a hedge or a pair is sized from log-return betas, and not for simple ones', async () => {
    const cells = (kind: string) => [
      code('s', `returns: ${kind}`),
      code('perp', 'instrument: BTCUSDT-PERP'),
      code('pf', 'portfolio: core\nholdings: { ETH: 40, SOL: 500 }'),
      code('h', 'hedge: core\nwith: BTCUSDT-PERP'),
      code('pair', 'pair: { long: { SOL: 10000usd }, short: { ETH: 10000usd } }'),
    ];
    const log = await run(cells('log'));
    const h = only(byId(log, 'h'), 'hedge');
    assert.equal(h.warnings[0]?.code, 'sized_on_log_returns');
    assert.match(h.warnings[0]?.message ?? '', /Set returns: simple in the settings/);
    assert.equal(only(byId(log, 'pair'), 'pair').warnings[0]?.code, 'sized_on_log_returns');
    const simple = await run(cells('simple'));
    assert.ok(!only(byId(simple, 'h'), 'hedge').warnings.some((w) => w.code.includes('log')));
  });
});

describe('a cell whose upstream failed', () => {
  it('names the first cause once, not every failed link of the chain', async () => {
    const runs = await evaluateNotebook(
      [
        { id: 'md', kind: 'markdown', text: '# Book' },
        code('p', 'prices: daily\nfile: data/missing.csv'),
        code('s', 'benchmark: BTC'),
        code('pf', 'portfolio: core\nholdings: { ETH: 40 }'),
        code('perp', 'instrument: BTCUSDT-PERP'),
        code('h', 'hedge: core\nwith: BTCUSDT-PERP'),
      ],
      memoryEnv(),
    );
    assert.deepEqual(
      byId(runs, 'pf').problems.map((p) => p.message),
      ["prices 'daily' (cell 2) has errors: fix it first"],
    );
    // the hedge needs prices, settings, the portfolio and the instrument, all failed: one line
    assert.deepEqual(
      byId(runs, 'h').problems.map((p) => p.message),
      ["prices 'daily' (cell 2) has errors: fix it first"],
    );
  });

  it('names the root cause a cell does not refer to itself, through the link it does', async () => {
    const daily = memoryEnv();
    const env: SessionEnv = {
      loadPrices: (file, signal) =>
        daily.loadPrices(file === 'data/daily.csv' ? file : 'nope', signal),
    };
    const runs = await evaluateNotebook(
      [
        code('a', 'prices: daily\nfile: data/daily.csv'),
        code('b', 'prices: other\nfile: data/other.csv'),
        code('s', 'benchmark: BTC\ndata: daily'),
        code('pf', 'portfolio: core\nholdings: { ETH: 40 }\ndata: other'),
        code('perp', 'instrument: BTCUSDT-PERP\ndata: daily'),
        code('h', 'hedge: core\nwith: BTCUSDT-PERP\ndata: daily'),
      ],
      env,
    );
    assert.deepEqual(
      byId(runs, 'h').problems.map((p) => p.message),
      [
        "portfolio 'core' (cell 4) cannot run because prices 'other' (cell 2) has errors: fix that first",
      ],
    );
  });
});

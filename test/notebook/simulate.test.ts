import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fail, ok } from '../../src/engine/result';
import { generateFunding, generateMarket } from '../../src/engine/synthetic';
import type { PriceSeries } from '../../src/engine/series';
import {
  CellResult,
  SERIES_BOUNDS,
  type FundingResult,
  type SimulateResult,
} from '../../src/results';
import { evaluateNotebook, type NotebookCell, type SessionEnv } from '../../src/notebook/session';
import { resultToMarkdown } from '../../src/outputs/mime';
import { buildFigures } from '../../src/outputs/figures';
import { defaultTheme } from '../../src/outputs/theme';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 1);

/** Hourly synthetic prices (BTC the benchmark) and 8-hourly funding for BTCUSDT and ETHUSDT. */
function env(opts: { hours?: number; fundingDays?: number; exchange?: boolean } = {}): SessionEnv {
  const hours = opts.hours ?? 2000;
  const m = generateMarket({
    seed: 11,
    periods: hours,
    intervalMs: HOUR,
    start: START,
    benchmark: { asset: 'BTC', price: 60_000, vol: 0.6 },
    assets: [
      { asset: 'ETH', beta: 1.2, idioVol: 0.4, price: 3_000 },
      { asset: 'SOL', beta: 1.5, idioVol: 0.6, price: 150 },
    ],
  });
  const series: PriceSeries[] = Object.entries(m.prices).map(([asset, prices]) => ({
    asset,
    times: m.times,
    prices,
  }));
  const days = opts.fundingDays ?? Math.ceil(hours / 24) + 1;
  const fundingTimes = Array.from({ length: days * 3 }, (_, i) => START + i * 8 * HOUR);
  const rates = generateFunding({
    seed: 5,
    times: fundingTimes,
    symbols: ['BTCUSDT', 'ETHUSDT'],
    mean: 1e-4,
    vol: 1e-4,
  });
  return {
    async loadPrices(file) {
      if (file !== 'data/hourly.csv') return fail('file_not_found', ['file'], { file });
      return ok({ source: 'memory:hourly.csv', series });
    },
    async loadFunding(file) {
      if (file !== 'data/funding.csv') return fail('file_not_found', ['file'], { file });
      return ok({ source: 'memory:funding.csv', rates });
    },
    ...(opts.exchange
      ? {
          async loadExchangePrices() {
            return ok({ source: 'memory exchange', series });
          },
        }
      : {}),
  };
}

const code = (id: string, text: string): NotebookCell => ({ id, kind: 'code', text });
const BASE: NotebookCell[] = [
  code('prices', 'prices: hourly\nfile: data/hourly.csv'),
  code('portfolio', 'portfolio: core\nholdings: { ETH: 20, SOL: 300, BTC: 0.5 }'),
  code('instrument', 'instrument: BTCUSDT-PERP'),
  code('funding', 'funding: perps\nfile: data/funding.csv'),
];

async function run(cells: NotebookCell[], e: SessionEnv = env()) {
  const runs = await evaluateNotebook([...BASE, ...cells], e);
  return runs;
}

async function simulate(text: string, e?: SessionEnv): Promise<SimulateResult> {
  const runs = await run([code('sim', text)], e);
  const sim = runs.find((r) => r.id === 'sim')!;
  assert.equal(sim.status, 'ok', JSON.stringify(sim.problems));
  const r = sim.results[0]!;
  assert.equal(r.kind, 'simulate');
  assert.ok(CellResult.safeParse(r).success, 'the result matches its schema');
  return r as SimulateResult;
}

async function problem(text: string, e?: SessionEnv) {
  const runs = await run([code('sim', text)], e);
  const sim = runs.find((r) => r.id === 'sim')!;
  assert.equal(sim.status, 'error');
  return sim.problems;
}

describe('funding cell', () => {
  it('declares each symbol of a funding file with its statistics', async () => {
    const runs = await run([]);
    const f = runs.find((r) => r.id === 'funding')!;
    assert.equal(f.status, 'ok');
    const r = f.results[0] as FundingResult;
    assert.deepEqual(
      r.symbols.map((s) => s.symbol),
      ['BTCUSDT', 'ETHUSDT'],
    );
    const btc = r.symbols[0]!;
    assert.equal(btc.intervalHours, 8);
    assert.equal(btc.gaps, 0);
    // mean × 3 settlements a day × 365
    assert.ok(Math.abs(btc.meanAnnual - btc.mean * 1095) < 1e-12);
    assert.ok(CellResult.safeParse(r).success);
  });

  it('says which symbols exist when the chosen one is not in the file', async () => {
    const runs = await evaluateNotebook(
      [code('f', 'funding: x\nfile: data/funding.csv\nsymbol: SOLUSDT')],
      env(),
    );
    assert.equal(runs[0]!.status, 'error');
    assert.match(runs[0]!.problems[0]!.message, /SOLUSDT.*BTCUSDT, ETHUSDT/);
    assert.equal(runs[0]!.problems[0]!.range.startLine, 2);
  });
});

describe('simulate cell', () => {
  it('walks the hedge with the funding data of the instrument’s symbol and bounded series', async () => {
    const r = await simulate(
      'simulate: core\nwith: BTCUSDT-PERP\nfunding: perps\nwindow: 240h\nleverage: 3',
    );
    assert.equal(r.rule.funding, 'funding perps (BTCUSDT)');
    assert.equal(r.rule.window, 240);
    assert.equal(r.period.bars, 2000 - 240);
    assert.ok(r.path.t.length <= SERIES_BOUNDS.linePoints + 3, `${r.path.t.length} rows`);
    assert.equal(r.path.points.of, 2000 - 240);
    assert.ok(r.trades.rows.length <= 15);
    assert.ok(r.trades.count > 15);
    assert.ok(r.costs.fundingReceived.usd > 0, 'a short hedge receives positive funding');
    assert.ok(r.effectiveness !== null && r.effectiveness > 0.5, `${r.effectiveness}`);
    assert.ok(Math.abs(r.hedged.realisedBeta!) < Math.abs(r.unhedged.realisedBeta!));
    // the books differ by exactly the flows
    const c = r.costs;
    const diff = r.hedgePnl - c.net.usd;
    assert.ok(Math.abs(r.hedged.end - r.unhedged.end - diff) < 1e-6 * r.unhedged.end);
  });

  it('converts a USD portfolio to units at the start price, not the latest', async () => {
    const cells: NotebookCell[] = [
      code('prices', 'prices: hourly\nfile: data/hourly.csv'),
      code('portfolio', 'portfolio: usd\nholdings: { ETH: 100000usd }'),
      code('instrument', 'instrument: BTCUSDT-PERP'),
      code('sim', 'simulate: usd\nwith: BTCUSDT-PERP\nwindow: 240h\nfunding: none'),
    ];
    const runs = await evaluateNotebook(cells, env());
    const r = runs.find((x) => x.id === 'sim')!.results[0] as SimulateResult;
    assert.ok(Math.abs(r.startValue - 100_000) < 1e-6);
  });

  it('uses the close of an exchange candle (its label + the interval) as the bar time', async () => {
    const cells: NotebookCell[] = [
      code(
        'prices',
        'prices: live\nexchange: binance\nassets: [BTC, ETH]\ninterval: 1h\nstart: 2025-01-01',
      ),
      code('portfolio', 'portfolio: p\nholdings: { ETH: 10 }'),
      code('instrument', 'instrument: BTCUSDT-PERP'),
      code('sim', 'simulate: p\nwith: BTCUSDT-PERP\nwindow: 240h\nfunding: none'),
    ];
    const runs = await evaluateNotebook(cells, env({ exchange: true }));
    const r = runs.find((x) => x.id === 'sim')!.results[0] as SimulateResult;
    assert.equal(r.period.start, new Date(START + 240 * HOUR + HOUR).toISOString());
  });

  it('refuses funding data that does not cover the simulation, at the funding key', async () => {
    const problems = await problem(
      'simulate: core\nwith: BTCUSDT-PERP\nfunding: perps\nwindow: 240h',
      env({ fundingDays: 40 }),
    );
    assert.equal(problems[0]!.code, 'funding_not_covering');
    assert.equal(problems[0]!.range.startLine, 2);
    assert.match(problems[0]!.message, /silently missing/);
  });

  it('refuses funding on a dated future', async () => {
    const runs = await evaluateNotebook(
      [
        ...BASE.slice(0, 2),
        code('instrument', 'instrument: BTCUSDT-251226\ntype: future\nexpiry: 2025-12-26T08:00'),
        code('sim', 'simulate: core\nwith: BTCUSDT-251226\nfunding: 0.01%\nwindow: 240h'),
      ],
      env(),
    );
    const sim = runs.find((r) => r.id === 'sim')!;
    assert.equal(sim.problems[0]?.code, 'funding_on_future');
  });

  it('charges the default 0.01% per 8 h to a perpetual without funding, and says so', async () => {
    const r = await simulate('simulate: core\nwith: BTCUSDT-PERP\nwindow: 240h');
    assert.equal(r.rule.funding, 'constant 0.01% per 8 h (default)');
    assert.ok(r.costs.fundingReceived.usd > 0);
  });

  it('moves a start inside the estimation window to the first full window, with a warning', async () => {
    const r = await simulate(
      'simulate: core\nwith: BTCUSDT-PERP\nwindow: 240h\nstart: 2025-01-02\nfunding: none',
    );
    assert.equal(r.period.start, new Date(START + 240 * HOUR).toISOString());
    assert.ok(r.warnings.some((w) => w.code === 'simulation_start_moved'));
  });

  it('runs a grid of rules and marks the cell’s own', async () => {
    const r = await simulate(
      'simulate: core\nwith: BTCUSDT-PERP\nwindow: 240h\nband: 0.1\ncompare: { rebalance: [8h, 1d], band: [0, 0.1, 0.3] }',
    );
    assert.equal(r.compare?.length, 6);
    assert.deepEqual(
      r.compare!.filter((x) => x.current).map((x) => [x.rebalance, x.band]),
      [['1d', 0.1]],
    );
    const own = r.compare!.find((x) => x.current)!;
    assert.ok(Math.abs(own.trackingError - r.trackingError) < 1e-15);
    // trading every 8 h without a band tracks the target more closely than daily with a band
    const tight = r.compare!.find((x) => x.rebalance === '8h' && x.band === 0)!;
    assert.ok(tight.trackingError < own.trackingError);
    assert.ok(tight.trades > own.trades);
  });

  it('refuses a grid of more rules than it will run', async () => {
    const problems = await problem(
      'simulate: core\nwith: BTCUSDT-PERP\ncompare: { rebalance: [1h, 2h, 4h, 8h, 12h, 1d, 1w], band: [0, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5] }',
    );
    assert.equal(problems[0]!.code, 'too_many_rules');
  });

  it('locates bad values at their keys', async () => {
    const cases: [string, string, number][] = [
      ['rebalance: sometimes', 'expected_rebalance', 2],
      ['band: -0.1', 'expected_band', 2],
      ['funding: 7%', 'expected_funding', 2],
      ['on_liquidation: panic', 'expected_one_of', 2],
      ['roll_days: soon', 'expected_roll_days', 2],
    ];
    for (const [line, code_, at] of cases) {
      const problems = await problem(`simulate: core\nwith: BTCUSDT-PERP\n${line}`);
      assert.equal(problems[0]!.code, code_, line);
      assert.equal(problems[0]!.range.startLine, at, line);
    }
  });

  it('draws every chart and writes the tables into the markdown', async () => {
    const r = await simulate(
      'simulate: core\nwith: BTCUSDT-PERP\nfunding: perps\nwindow: 240h\nleverage: 20\nband: 0.1\ncompare: { band: [0, 0.1] }',
    );
    const ids = buildFigures(r, defaultTheme('dark')).map((f) => f.id);
    assert.deepEqual(ids, [
      'simulate-equity',
      'simulate-beta',
      'simulate-costs',
      'simulate-hedge-size',
      'simulate-margin',
      'simulate-compare',
    ]);
    const md = resultToMarkdown(r);
    for (const heading of [
      'Hedged vs unhedged',
      'Where the books part',
      'Trades',
      'Rules compared',
    ])
      assert.ok(md.includes(heading), heading);
  });
});

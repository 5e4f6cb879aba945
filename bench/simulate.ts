// The simulation part of `npm run bench` (bench/run.ts calls it after the rolling-beta cases):
// five years of hourly bars (43,800), six assets, a daily-rebalanced hedge with a trailing 720 h
// window and funding every 8 h, timed in the engine (src/engine/simulate.ts and the paths it
// needs) and, in the same run, in Python with the same conventions (bench/simulate_bench.py):
// vectorized pandas for the schedule-only rule, a plain loop for the band-and-liquidation rule.
// The two must agree to 1e-9; the targets are printed as met / missed, never asserted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FundingSeries } from '../src/engine/funding';
import type { Instrument } from '../src/engine/instrument';
import type { SimulationResult, SimulationSettings } from '../src/engine/simulate';
import { generateFunding, generateMarket } from '../src/engine/synthetic';
import { bundledEngine } from './bundled';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BARS = 43_800;
const WINDOW = 720;
const PYTHON = '/usr/bin/python3';
const BTCUSDT: Instrument = {
  name: 'BTCUSDT-PERP',
  type: 'perpetual',
  settlement: 'linear',
  underlying: 'BTC',
  contractSize: 0.001,
  lotStep: 1,
  expiry: null,
  maintenanceMarginRate: 0.004,
};

interface Times {
  wall: number[];
  cpu: number[];
}
type Kind = keyof Times;
const median = (t: readonly number[]) => {
  const s = [...t].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f = (ms: number) =>
  Number.isNaN(ms) ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
/** Times of `runs` runs after `warmup` untimed ones, back to back as simulate_bench.py's are.
 *  No full collection before each run (bench/run.ts does one for its cases): V8 discards
 *  optimized code whose embedded objects die in a full GC ("weak objects" deopts), so a forced
 *  collection between runs would time the walk's recompilation, not the walk. */
function time(fn: () => unknown, runs: number, warmup: number): Times {
  for (let i = 0; i < warmup; i++) fn();
  const out: Times = { wall: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    out.wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    out.cpu.push((c.user + c.system) / 1000);
  }
  return out;
}

function must<T>(r: { ok: true; value: T } | { ok: false; problems: readonly unknown[] }): T {
  if (!r.ok) throw new Error(`engine failed: ${JSON.stringify(r.problems)}`);
  return r.value;
}

export function simulationBench(opts: {
  rounds: number;
  runs: number;
  pandas: boolean;
}): [string, boolean][] {
  // The engine as it ships (esbuild bundle, minified; bench/bundled.ts).
  const {
    dollarBetaPath,
    instrumentBetaPath,
    placeSettlements,
    rebalanceFlags,
    simulateHedge,
    toReturns,
  } = bundledEngine();
  // ---- data: seeded synthetic, six assets, 8-hourly funding ----
  // Only typed arrays outlive this block: the generator's plain arrays would otherwise sit in the
  // heap through every garbage collection of the timed runs (and, with --single-threaded, its
  // sweeping would be charged to the run after it).
  const start = Date.UTC(2020, 0, 1);
  const assets = ['BTC', 'ETH', 'SOL', 'UNI', 'AAVE', 'LDO'];
  const units = [2, 30, 1500, 8000, 600, 20_000];
  const { prices, times, fundingTimes, fundingRates } = (() => {
    const mk = generateMarket({
      seed: 31,
      periods: BARS,
      intervalMs: HOUR,
      start,
      benchmark: { asset: 'BTC', price: 30_000, vol: 0.55 },
      assets: [
        { asset: 'ETH', beta: 1.15, idioVol: 0.35, price: 2000 },
        { asset: 'SOL', beta: 1.45, idioVol: 0.6, price: 60 },
        { asset: 'UNI', beta: 1.3, idioVol: 0.7, price: 6 },
        { asset: 'AAVE', beta: 1.2, idioVol: 0.65, price: 90 },
        { asset: 'LDO', beta: 1.6, idioVol: 0.8, price: 2.5 },
      ],
    });
    const ft = mk.times.filter((t) => t % (8 * HOUR) === 0 && t > start);
    const rows = generateFunding({
      seed: 32,
      times: ft,
      symbols: ['BTCUSDT'],
      mean: 1e-4,
      vol: 1.5e-4,
    });
    return {
      prices: assets.map((a) => Float64Array.from(mk.prices[a]!)),
      times: Float64Array.from(mk.times),
      fundingTimes: Float64Array.from(ft),
      fundingRates: Float64Array.from(rows, (r) => r.rate),
    };
  })();
  const funding: FundingSeries = { times: fundingTimes, rates: fundingRates };
  const from = WINDOW;
  const to = BARS - 1;

  // ---- the engine: prices -> returns -> book paths -> walk (what a simulate cell computes) ----
  const paths = () => {
    const returns = prices.map((p) => toReturns(p, 'simple'));
    const book = must(
      dollarBetaPath({
        prices,
        returns,
        units,
        isBenchmark: assets.map((a) => a === 'BTC'),
        benchmark: returns[0]!,
        window: WINDOW,
      }),
    );
    return {
      market: {
        times,
        price: prices[0]!,
        high: null,
        low: null,
        value: book.value,
        dollarBeta: book.dollarBeta,
        instrumentBeta: must(instrumentBetaPath(BARS, 1)),
      },
      settlements: placeSettlements(times, from, to, funding),
    };
  };
  const base = (s: ReturnType<typeof paths>['settlements']): SimulationSettings => ({
    instrument: BTCUSDT,
    targetBeta: 0,
    leverage: 2,
    collateral: null,
    feeRate: 0.0004,
    slippage: 0.0002,
    funding: s,
    roll: null,
    onLiquidation: 'reopen',
    stopLoss: null,
    from,
    to,
  });
  const schedule = (collateral: number | null) => {
    const p = paths();
    return must(
      simulateHedge(
        p.market,
        { decisions: rebalanceFlags(times, from, to, DAY), band: 0, minTrade: 0 },
        { ...base(p.settlements), collateral },
      ),
    );
  };
  const bandRule = () => {
    const p = paths();
    return must(
      simulateHedge(
        p.market,
        { decisions: rebalanceFlags(times, from, to, DAY), band: 0.1, minTrade: 0 },
        { ...base(p.settlements), leverage: 10 },
      ),
    );
  };
  // The schedule-only case needs no margin model in pandas: collateral ample enough that the leg
  // is never short of margin nor liquidated (checked below).
  const first = schedule(null).collateral;
  const COLLATERAL = 8 * first;
  const bands = [0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
  const compare = () => {
    const p = paths();
    const out: number[] = [];
    for (const ms of [8 * HOUR, DAY, 7 * DAY]) {
      const decisions = rebalanceFlags(times, from, to, ms);
      for (const band of bands)
        out.push(
          must(
            simulateHedge(
              p.market,
              { decisions, band, minTrade: 0 },
              { ...base(p.settlements), leverage: 5 },
              { record: false },
            ),
          ).trackingError,
        );
    }
    return out;
  };
  const sched = schedule(COLLATERAL);
  const band = bandRule();
  if (sched.totals.liquidations > 0 || sched.events.some((e) => e.kind === 'margin_shortfall'))
    throw new Error('the schedule-only case must have no margin events (pandas models none)');

  // ---- Python, through a temp dir ----
  const dir = mkdtempSync(join(tmpdir(), 'hedgebook-sim-bench-'));
  const flat = new Float64Array(assets.length * BARS);
  prices.forEach((p, k) => flat.set(p, k * BARS));
  const bin = (name: string, xs: ArrayLike<number>) =>
    writeFileSync(join(dir, name), Buffer.from(Float64Array.from(xs).buffer));
  bin('prices.bin', flat);
  bin('times.bin', times);
  bin('funding_times.bin', fundingTimes);
  bin('funding_rates.bin', fundingRates);
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      n: BARS,
      assets,
      units,
      underlying: 'BTC',
      window: WINDOW,
      from,
      to,
      contractSize: BTCUSDT.contractSize,
      mmr: BTCUSDT.maintenanceMarginRate,
      fee: 0.0004,
      slippage: 0.0002,
      targetBeta: 0,
      schedule: { leverage: 2, collateral: COLLATERAL },
      band: { leverage: 10, band: 0.1 },
    }),
  );
  const engine = { schedule: [] as Times[], band: [] as Times[], compare: [] as Times[] };
  const py = { vectorized: [] as Times[], loop: [] as Times[] };
  let pyOut: Record<string, unknown> | null = null;
  try {
    for (let round = 0; round < opts.rounds; round++) {
      // the two cases alternate run by run (a slow second falls on both alike)
      for (let k = 0; k < opts.runs; k++) {
        engine.schedule.push(time(() => schedule(COLLATERAL), 1, k === 0 ? 3 : 0));
        engine.band.push(time(bandRule, 1, k === 0 ? 3 : 0));
      }
      engine.compare.push(time(compare, Math.max(3, opts.runs >> 1), 1));
      if (opts.pandas) {
        pyOut = JSON.parse(
          execFileSync(PYTHON, [join(__dirname, 'simulate_bench.py'), dir, '3'], {
            encoding: 'utf8',
            maxBuffer: 1 << 22,
          }),
        ) as Record<string, unknown>;
        py.vectorized.push(pyOut.vectorized as Times);
        py.loop.push(pyOut.loop as Times);
      }
    }
    // ---- agreement ----
    const agree: string[] = [];
    let worst = 0;
    if (pyOut) {
      const compareTo = (name: string, r: SimulationResult, file: string, totals: object) => {
        const eq = new Float64Array(readFileSync(join(dir, file)).buffer.slice(0));
        let maxRel = 0;
        const scale = Math.max(...Array.from(r.path!.unhedged.subarray(0, 1)));
        for (let k = 0; k < eq.length; k++)
          maxRel = Math.max(maxRel, Math.abs(eq[k]! - r.path!.equity[k]!) / scale);
        const t = totals as Record<string, number>;
        const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
        const fields: [string, number, number][] = [
          ['hedge P&L', t.hedgePnl!, r.totals.hedgePnl],
          ['fees', t.fees!, r.totals.fees],
          ['slippage', t.slippage!, r.totals.slippage],
          ['funding received', t.fundingReceived!, r.totals.fundingReceived],
          ['funding paid', t.fundingPaid!, r.totals.fundingPaid],
          ['tracking error', t.trackingError!, r.trackingError],
        ];
        if (t.liquidationLosses !== undefined)
          fields.push(['liquidation losses', t.liquidationLosses, r.totals.liquidationLosses]);
        const worstField = Math.max(...fields.map(([, a, b]) => rel(a, b)));
        const counts =
          t.trades === r.totals.trades &&
          (t.liquidations === undefined || t.liquidations === r.totals.liquidations);
        worst = Math.max(worst, maxRel, worstField, counts ? 0 : 1);
        agree.push(
          `${name}: equity path to ${maxRel.toExponential(1)} of the capital on ${eq.length.toLocaleString('en')} bars, ` +
            `totals to ${worstField.toExponential(1)} relative, ${r.totals.trades} trades` +
            (t.liquidations !== undefined ? `, ${r.totals.liquidations} liquidations` : '') +
            (counts ? ' (same)' : ` (Python: ${t.trades} trades, ${t.liquidations} liquidations)`),
        );
      };
      compareTo(
        'schedule-only (pandas)',
        sched,
        'py_schedule.bin',
        pyOut.vectorizedTotals as object,
      );
      compareTo('band + liquidation (loop)', band, 'py_band.bin', pyOut.loopTotals as object);
    }

    // ---- report ----
    const flatten = (ts: Times[], kind: Kind) => ts.flatMap((t) => t[kind]);
    const verdicts: [string, boolean][] = [];
    for (const kind of ['wall', 'cpu'] as Kind[]) {
      const es = median(flatten(engine.schedule, kind));
      const eb = median(flatten(engine.band, kind));
      const ec = median(flatten(engine.compare, kind));
      const pv = opts.pandas ? median(flatten(py.vectorized, kind)) : NaN;
      const pl = opts.pandas ? median(flatten(py.loop, kind)) : NaN;
      verdicts.push([`${kind}: schedule-only ≤ 10 ms (${f(es)} ms)`, es <= 10]);
      verdicts.push([`${kind}: 30-rule compare ≤ 300 ms (${f(ec)} ms)`, ec <= 300]);
      if (opts.pandas) {
        verdicts.push([
          `${kind}: schedule-only ≥ 10× pandas (${(pv / es).toFixed(0)}×)`,
          pv / es >= 10,
        ]);
        verdicts.push([
          `${kind}: band + liquidation ≥ 100× the Python loop (${(pl / eb).toFixed(0)}×)`,
          pl / eb >= 100,
        ]);
      }
      console.log(
        `\nSimulation, ${BARS.toLocaleString('en')} hourly bars × ${assets.length} assets, window ${WINDOW} h, ` +
          `funding every 8 h (${kind === 'wall' ? 'wall clock' : 'CPU time'}, median; engine as bundled):`,
      );
      console.log('| case | engine ms | Python ms | Python | Python / engine | target |');
      console.log('|---|---|---|---|---|---|');
      for (const [name, e, p, how, target] of [
        ['schedule-only: 1d rebalance', es, pv, 'pandas vectorized', '≤ 10 ms, ≥ 10× pandas'],
        ['band 0.1 + 10× liquidation', eb, pl, 'plain Python loop', '≥ 100× the loop'],
        ['compare: 30 rules (8h/1d/1w × 10 bands)', ec, NaN, '', '≤ 300 ms'],
      ] as [string, number, number, string, string][])
        console.log(
          `| ${name} | ${f(e)} | ${f(p)} | ${how} | ${Number.isNaN(p) ? '–' : `${(p / e).toFixed(0)}×`} | ${target} |`,
        );
    }
    console.log(
      `engine: prices -> returns -> trailing-window betas (rolling sums) -> book paths -> ` +
        `settlements -> the walk; ${sched.totals.trades} trades (schedule), ` +
        `${band.totals.trades} trades and ${band.totals.liquidations} liquidations (band, 10×)`,
    );
    if (pyOut) {
      console.log(
        `Python ${String(pyOut.pandas)} pandas / numpy ${String(pyOut.numpy)}: ${agree.join('; ')}` +
          ` — ${worst <= 1e-9 ? 'the same numbers to 1e-9' : `DIFFERENT (worst ${worst.toExponential(1)})`}`,
      );
      verdicts.push([
        `engine and Python agree to 1e-9 (worst ${worst.toExponential(1)})`,
        worst <= 1e-9,
      ]);
    } else console.log(`Python: not run (${PYTHON} with pandas not found)`);
    return verdicts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

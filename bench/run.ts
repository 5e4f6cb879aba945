// `npm run bench`: median times of the engine's rolling beta and beta table against a naive
// windowed implementation built on simple-statistics and, when /usr/bin/python3 has pandas,
// against pandas computing the same statistics on the same data (timed inside Python,
// computation only). Not a test: it prints figures; docs/benchmarks.md records the ones we
// measured.
//
// The machine we measure on is a shared VM whose speed drifts by up to 2× over minutes, so the
// engine and pandas are measured in alternating rounds (engine, pandas, engine, pandas, ...)
// and every median is taken over all rounds: a slow minute falls on both sides alike.
//   BENCH_ROUNDS=3 BENCH_RUNS=7 npm run bench
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCovariance, sampleVariance } from 'simple-statistics';
import { generateMarket } from '../src/engine/synthetic';
import { bundledEngine } from './bundled';
import { endToEnd } from './e2e';
import { simulationBench } from './simulate';

// The engine as it ships (esbuild bundle, minified; bench/bundled.ts), not the sources via tsx.
const { betaTable, rollingBeta, rollingBetaOnly, toReturns } = bundledEngine();

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** engine runs per case per round */
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** pandas runs per case per round (each run takes 0.1–0.2 s) */
const PANDAS_RUNS = 3;
const HOUR = 3_600_000;
const ROLLING_POINTS = 1_000_000;
const WINDOWS = [720, 10_000];
const TABLE_ASSETS = 200;
const TABLE_POINTS = 8760;
const PYTHON = '/usr/bin/python3';

interface Times {
  /** wall-clock ms of each run */
  wall: number[];
  /** CPU ms of the measuring process for each run (process.cpuUsage / time.process_time):
   *  steadier than wall time on a machine shared with other work */
  cpu: number[];
}
type Kind = keyof Times;

const median = (t: readonly number[]): number => {
  const s = [...t].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const none = (): Times => ({ wall: [], cpu: [] });
const add = (into: Times, more: Times) => {
  into.wall.push(...more.wall);
  into.cpu.push(...more.cpu);
};

/** A full garbage collection before each timed run when node runs with --expose-gc (as
 *  `npm run bench` does), so that one run does not pay for the garbage of the runs before it
 *  (Python's timeit likewise turns its collector off while timing). `npm run bench` also passes
 *  --single-threaded: V8's helper threads (concurrent marking, sweeping and compiling) would
 *  otherwise go on with that collection during the next timed run, on the same two cores, and
 *  be counted in its CPU time; like the Python side, the computation then runs on one thread. */
const collect: () => void =
  typeof globalThis.gc === 'function' ? () => globalThis.gc!() : () => undefined;

/** Times of several functions, each measured `runs` times in a row after `warmup` untimed
 *  runs, as pandas_bench.py does on its side (so each case runs on the data it just used, as a
 *  notebook cell does); the rounds (engine, pandas, engine, ...) spread a slow minute over both. */
function consecutive(fns: readonly (() => unknown)[], runs: number, warmup: number): Times[] {
  return fns.map((fn) => {
    for (let i = 0; i < warmup; i++) fn();
    const out = none();
    for (let i = 0; i < runs; i++) {
      collect();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fn();
      out.wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      out.cpu.push((c.user + c.system) / 1000);
    }
    return out;
  });
}

/** The naive way: slice each window and call simple-statistics (sample cov / sample var). */
function naiveRolling(y: readonly number[], x: readonly number[], window: number, upTo: number) {
  const out = new Float64Array(upTo);
  for (let i = window - 1; i < upTo; i++) {
    const wy = y.slice(i - window + 1, i + 1);
    const wx = x.slice(i - window + 1, i + 1);
    out[i] = sampleCovariance(wy, wx) / sampleVariance(wx);
  }
  return out;
}

function must<T>(r: { ok: true; value: T } | { ok: false; problems: readonly unknown[] }): T {
  if (!r.ok) throw new Error(`engine failed: ${JSON.stringify(r.problems)}`);
  return r.value;
}

function pandasAvailable(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import pandas, numpy'], { stdio: 'ignore' });
  return r.status === 0;
}

const f = (ms: number) =>
  Number.isNaN(ms) ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
const ratio = (a: number, b: number) =>
  Number.isNaN(a / b) ? '–' : `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`;

// ---- data (seeded synthetic: fat tails, volatility clustering) ----
console.log(
  `Hedgebook bench · node ${process.version} · ${cpus().length} CPU ${cpus()[0]?.model ?? ''}` +
    ` · load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} · ${ROUNDS} rounds × ${RUNS} engine runs (pandas ${PANDAS_RUNS}) per case`,
);
console.log(
  'engine timed as bundled: esbuild, minified, node20 cjs, as dist/cli.js and dist/notebook.js ship it',
);
const t0 = performance.now();
// Only the return arrays outlive this block: the generated prices (plain arrays of millions of
// numbers) would otherwise sit in the heap for every garbage collection of the timed runs.
const { x, y, tm, tableReturns } = (() => {
  const big = generateMarket({
    seed: 1,
    periods: ROLLING_POINTS + 1,
    intervalMs: HOUR,
    start: Date.UTC(2020, 0, 1),
    benchmark: { asset: 'BTC', price: 50_000, vol: 0.6 },
    assets: [{ asset: 'ETH', beta: 1.2, idioVol: 0.4, price: 2500 }],
  });
  const x = toReturns(big.prices.BTC!, 'log');
  const y = toReturns(big.prices.ETH!, 'log');
  const tableMarket = generateMarket({
    seed: 2,
    periods: TABLE_POINTS + 1,
    intervalMs: HOUR,
    start: Date.UTC(2025, 0, 1),
    benchmark: { asset: 'BTC', price: 95_000, vol: 0.55 },
    assets: Array.from({ length: TABLE_ASSETS }, (_, k) => ({
      asset: `A${k}`,
      beta: 0.3 + (1.7 * k) / TABLE_ASSETS,
      idioVol: 0.3 + (0.5 * ((k * 37) % 100)) / 100,
      price: 1 + k,
    })),
  });
  const tm = toReturns(tableMarket.prices.BTC!, 'log');
  const tableReturns = Array.from({ length: TABLE_ASSETS }, (_, k) =>
    toReturns(tableMarket.prices[`A${k}`]!, 'log'),
  );
  return { x, y, tm, tableReturns };
})();
console.log(
  `data: ${x.length.toLocaleString('en')} hourly returns (rolling); ` +
    `${TABLE_ASSETS} assets × ${tm.length.toLocaleString('en')} (table); made in ${f(performance.now() - t0)} ms\n`,
);

// ---- the cases ----
interface Case {
  name: string;
  /** the engine's call, on fresh output arrays */
  engine: () => unknown;
  /** the same call overwriting a previous result's arrays (`opts.out`), when there is one */
  reused?: () => unknown;
  /** key of the same computation in pandas_bench.py's output */
  pandasKey: string;
  /** the targets (none for beta + corr + stdErr: printed for reference) */
  target: { maxMs?: number; minPandasRatio?: number };
  naive?: Times & { note: string };
}
const opts = { periodsPerYear: 8760 };
const outOnly = must(rollingBetaOnly(y, x, WINDOWS[0]!));
const outFull = must(rollingBeta(y, x, WINDOWS[0]!));
const cases: Case[] = [
  ...WINDOWS.map((w) => ({
    name: `rolling beta alone, 1e6 points, window ${w.toLocaleString('en')}`,
    engine: () => must(rollingBetaOnly(y, x, w)),
    reused: () => must(rollingBetaOnly(y, x, w, { out: outOnly })),
    pandasKey: `rolling_${w}`,
    target: { maxMs: 10, minPandasRatio: 15 },
  })),
  ...WINDOWS.map((w) => ({
    name: `rolling beta + corr + stdErr, window ${w.toLocaleString('en')}`,
    engine: () => must(rollingBeta(y, x, w)),
    reused: () => must(rollingBeta(y, x, w, { out: outFull })),
    pandasKey: `rolling_full_${w}`,
    target: {},
  })),
  {
    name: `beta table, ${TABLE_ASSETS} assets × ${TABLE_POINTS.toLocaleString('en')} hourly`,
    engine: () => betaTable(tableReturns, tm, opts).forEach(must),
    pandasKey: 'table_stats',
    target: { minPandasRatio: 6 },
  },
];

// ---- naive, once (seconds per run; the ratios are in the hundreds) ----
// (in a function, so that its plain-array copies of the data are garbage afterwards)
(() => {
  const xs = Array.from(x);
  const ys = Array.from(y);
  for (const [k, w] of WINDOWS.entries()) {
    // a prefix only (a full run would take minutes), extrapolated per window
    const windows = w <= 1000 ? 4000 : 300;
    const [prefix] = consecutive([() => naiveRolling(ys, xs, w, w - 1 + windows)], 3, 1);
    const k2 = (x.length - w + 1) / windows;
    const engineBeta = must(rollingBetaOnly(y, x, w)).beta;
    const nv = naiveRolling(ys, xs, w, w - 1 + 50);
    let maxRel = 0;
    for (let i = w - 1; i < w - 1 + 50; i++) {
      maxRel = Math.max(maxRel, Math.abs(nv[i]! / engineBeta[i]! - 1));
    }
    cases[k]!.naive = {
      wall: prefix!.wall.map((t) => t * k2),
      cpu: prefix!.cpu.map((t) => t * k2),
      note: `extrapolated from ${windows.toLocaleString('en')} windows; agrees to ${maxRel.toExponential(0)}`,
    };
  }
  const tms = Array.from(tm);
  const tas = tableReturns.map((r) => Array.from(r));
  const [naiveTable] = consecutive(
    [() => tas.map((r) => sampleCovariance(r, tms) / sampleVariance(tms))],
    RUNS,
    1,
  );
  cases[cases.length - 1]!.naive = { ...naiveTable!, note: 'beta only (cov / var per asset)' };
})();

// ---- pandas: the same data through a temp dir ----
const checkIndex: Record<string, number[]> = {};
for (const w of WINDOWS) checkIndex[String(w)] = [w - 1, w + 12345, x.length >> 1, x.length - 1];
const hasPandas = pandasAvailable();
const dir = mkdtempSync(join(tmpdir(), 'hedgebook-bench-'));
function runPandas(): Record<string, unknown> {
  return JSON.parse(
    execFileSync(PYTHON, [join(__dirname, 'pandas_bench.py'), dir, String(PANDAS_RUNS)], {
      encoding: 'utf8',
      maxBuffer: 1 << 22,
    }),
  ) as Record<string, unknown>;
}
if (hasPandas) {
  writeFileSync(join(dir, 'rolling_x.bin'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  writeFileSync(join(dir, 'rolling_y.bin'), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  const cols = TABLE_ASSETS + 1;
  const flat = new Float64Array(tm.length * cols);
  for (let i = 0; i < tm.length; i++) {
    flat[i * cols] = tm[i]!;
    for (let k = 0; k < TABLE_ASSETS; k++) flat[i * cols + k + 1] = tableReturns[k]![i]!;
  }
  writeFileSync(join(dir, 'table.bin'), Buffer.from(flat.buffer));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      windows: WINDOWS,
      checkIndex,
      tableRows: tm.length,
      tableCols: cols,
      periodsPerYear: 8760,
    }),
  );
}

// ---- rounds: engine, pandas, engine, pandas, ... ----
const engineTimes = cases.map(none);
const reusedTimes = cases.map(none);
const pandasTimes = cases.map(none);
const tableCov = none();
let pandasOut: Record<string, unknown> | null = null;
try {
  for (let round = 0; round < ROUNDS; round++) {
    const fns = cases.flatMap((c) => (c.reused ? [c.engine, c.reused] : [c.engine]));
    const times = consecutive(fns, RUNS, 3);
    let j = 0;
    cases.forEach((c, k) => {
      add(engineTimes[k]!, times[j++]!);
      if (c.reused) add(reusedTimes[k]!, times[j++]!);
    });
    if (hasPandas) {
      pandasOut = runPandas();
      cases.forEach((c, k) => add(pandasTimes[k]!, pandasOut![c.pandasKey] as Times));
      add(tableCov, pandasOut.table_cov as Times);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- agreement with pandas at the checked points ----
let pandasNote = `pandas: not run (${PYTHON} with pandas not found)`;
if (pandasOut) {
  const out = pandasOut;
  let maxRel = 0;
  const rel = (a: number, b: number) => (maxRel = Math.max(maxRel, Math.abs(a / b - 1)));
  for (const w of WINDOWS) {
    const at = checkIndex[String(w)]!;
    const only = must(rollingBetaOnly(y, x, w));
    const full = must(rollingBeta(y, x, w));
    (out[`rolling_${w}_sample`] as number[]).forEach((v, j) => rel(only.beta[at[j]!]!, v));
    (out[`rolling_full_${w}_sample`] as [number, number][]).forEach(([c, se], j) => {
      rel(full.correlation[at[j]!]!, c);
      rel(full.stdErr[at[j]!]!, se);
    });
  }
  const table = betaTable(tableReturns, tm, opts);
  (out.table_beta_sample as number[]).forEach((v, k) => rel(must(table[k]!).beta, v));
  pandasNote =
    `pandas ${String(out.pandas)} (numpy ${String(out.numpy)}), ${PANDAS_RUNS} runs per round inside Python; ` +
    `rolling beta alone = y.rolling(w).cov(x) / x.rolling(w).var(); beta + corr + stdErr = ` +
    `rolling cov, var x, var y and the same formulas; table = vectorized DataFrame ops for the ` +
    `same statistics as betaTable (beta, alpha, corr, R², stdErr, t, CI, vol, downside, Blume, ` +
    `Vasicek; SSR as Syy − β·Sxy) (the one-liner table.cov()[0] / var: ` +
    `${f(median(tableCov.wall))} ms wall, ${f(median(tableCov.cpu))} ms CPU); ` +
    `engine and pandas agree to ${maxRel.toExponential(0)} relative at the checked points`;
}

// ---- report ----
for (const kind of ['wall', 'cpu'] as Kind[]) {
  const header = [
    'case',
    'engine ms',
    'naive ms',
    'pandas ms',
    'naive / engine',
    'pandas / engine',
    'target',
  ];
  const lines = cases.map((c, k) => {
    const e = median(engineTimes[k]![kind]);
    const nv = c.naive ? median(c.naive[kind]) : NaN;
    const p = hasPandas ? median(pandasTimes[k]![kind]) : NaN;
    const target =
      [
        c.target.maxMs !== undefined ? `≤ ${c.target.maxMs} ms` : '',
        c.target.minPandasRatio !== undefined ? `≥ ${c.target.minPandasRatio}× pandas` : '',
      ]
        .filter(Boolean)
        .join(', ') || '(reference)';
    return [c.name, f(e), f(nv), f(p), ratio(nv, e), ratio(p, e), target];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(
    kind === 'wall' ? 'Wall-clock time (median):' : '\nCPU time of the process (median):',
  );
  console.log(fmt(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(fmt(l));
}
console.log('');
for (const c of cases) if (c.naive) console.log(`naive, ${c.name}: ${c.naive.note}`);
cases.forEach((c, k) => {
  if (!c.reused) return;
  const t = reusedTimes[k]!;
  console.log(
    `outputs reused (opts.out), ${c.name}: ${f(median(t.cpu))} ms CPU / ${f(median(t.wall))} ms wall`,
  );
});
console.log(pandasNote);
const [w720, w10k] = [median(engineTimes[0]!.cpu), median(engineTimes[1]!.cpu)];
console.log(
  `window growth: engine ${f(w720)} ms CPU at 720 vs ${f(w10k)} ms at 10,000 ` +
    `(${(w10k / w720).toFixed(2)}×; O(n) whatever the window means ≈ 1×)`,
);
const verdicts: [string, boolean][] = [];
for (const kind of ['wall', 'cpu'] as Kind[]) {
  cases.forEach((c, k) => {
    const e = median(engineTimes[k]![kind]);
    if (c.target.maxMs !== undefined)
      verdicts.push([`${kind}: ${c.name}: ≤ ${c.target.maxMs} ms`, e <= c.target.maxMs]);
    if (hasPandas && c.target.minPandasRatio !== undefined) {
      const p = median(pandasTimes[k]![kind]);
      verdicts.push([
        `${kind}: ${c.name}: ≥ ${c.target.minPandasRatio}× pandas`,
        p / e >= c.target.minPandasRatio,
      ]);
    }
  });
}
// ---- the hedge simulation (bench/simulate.ts), in the same run ----
verdicts.push(...simulationBench({ rounds: ROUNDS, runs: RUNS, pandas: hasPandas }));
console.log(
  '\ntargets:\n' + verdicts.map(([t, ok]) => `  ${ok ? 'met   ' : 'MISSED'} ${t}`).join('\n'),
);
if (loadavg()[0]! > cpus().length) {
  console.log(
    `note: load average ${loadavg()[0]!.toFixed(1)} > ${cpus().length} CPUs: the machine is shared; ` +
      'wall-clock figures are inflated, the CPU-time table is the steadier comparison.',
  );
}

// ---- the end-to-end case (bench/e2e.ts): a 45 MB wide CSV through `hedgebook run` vs pandas ----
if (process.env.BENCH_E2E !== '0')
  endToEnd().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });

// `npm run bench`: median times of the engine's rolling beta and beta table against a naive
// windowed implementation built on simple-statistics and, when /usr/bin/python3 has pandas,
// against pandas on the same data (timed inside Python, computation only). Not a test: it
// prints figures; docs/benchmarks.md records the ones we measured.
//   BENCH_RUNS=9 npm run bench
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCovariance, sampleVariance } from 'simple-statistics';
import { betaTable } from '../src/engine/beta';
import { rollingBeta, rollingBetaOnly } from '../src/engine/rolling';
import { toReturns } from '../src/engine/series';
import { generateMarket } from '../src/engine/synthetic';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const HOUR = 3_600_000;
const ROLLING_POINTS = 1_000_000;
const WINDOWS = [720, 10_000];
const TABLE_ASSETS = 200;
const TABLE_POINTS = 8760;
const PYTHON = '/usr/bin/python3';

interface Timing {
  /** median wall-clock ms */
  wall: number;
  /** median CPU ms of this process (process.cpuUsage): steadier on a shared, loaded machine */
  cpu: number;
}

function median(t: number[]): number {
  const s = [...t].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A full garbage collection before each timed run when node runs with --expose-gc (as
 *  `npm run bench` does), so that one run does not pay for the garbage of the runs before it
 *  (Python's timeit likewise turns its collector off while timing). */
const collect: () => void =
  typeof globalThis.gc === 'function' ? () => globalThis.gc!() : () => undefined;

function medianMs(fn: () => unknown, runs = RUNS, warmup = 2): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    collect();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Medians of several functions measured in turn, run by run, so that a burst of load on a
 *  shared machine falls on all of them alike instead of on whichever ran first. */
function interleavedMs(fns: (() => unknown)[], runs = RUNS, warmup = 3): Timing[] {
  for (let i = 0; i < warmup; i++) fns.forEach((fn) => fn());
  const wall = fns.map(() => [] as number[]);
  const cpu = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      collect();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fn();
      wall[k]!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k]!.push((c.user + c.system) / 1000);
    });
  }
  return fns.map((_, k) => ({ wall: median(wall[k]!), cpu: median(cpu[k]!) }));
}

const scale = (t: Timing, k: number): Timing => ({ wall: t.wall * k, cpu: t.cpu * k });

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

const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const ratio = (a: number, b: number) => `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`;

// ---- data (seeded synthetic: fat tails, volatility clustering) ----
console.log(
  `Hedgebook bench · node ${process.version} · ${cpus().length} CPU ${cpus()[0]?.model ?? ''}` +
    ` · load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} · median of ${RUNS} runs`,
);
const t0 = performance.now();
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
console.log(
  `data: ${x.length.toLocaleString('en')} hourly returns (rolling); ` +
    `${TABLE_ASSETS} assets × ${tm.length.toLocaleString('en')} (table); made in ${f(performance.now() - t0)} ms\n`,
);

interface Row {
  name: string;
  engine: Timing;
  naive: Timing;
  naiveNote: string;
  pandas: Timing | null;
  target: string;
}
const rows: Row[] = [];

// ---- rolling beta ----
// Two kernels: rollingBetaOnly (beta alone, what pandas' cov / var gives) and rollingBeta (beta,
// correlation and stdErr in one pass). Each is timed with fresh output arrays (what a caller
// gets by default) and, printed below the tables, with the arrays of a previous result reused.
const xs = Array.from(x);
const ys = Array.from(y);
const checkIndex: Record<string, number[]> = {};
const engineRolling: Record<number, Float64Array> = {};
const engineFull: Record<number, { correlation: Float64Array; stdErr: Float64Array }> = {};
const reuseOnly = must(rollingBetaOnly(y, x, WINDOWS[0]!));
const reuseFull = must(rollingBeta(y, x, WINDOWS[0]!));
const engineTimes = interleavedMs(
  WINDOWS.flatMap((w) => [
    () => must(rollingBetaOnly(y, x, w)),
    () => must(rollingBeta(y, x, w)),
    () => must(rollingBetaOnly(y, x, w, { out: reuseOnly })),
    () => must(rollingBeta(y, x, w, { out: reuseFull })),
  ]),
);
const reused: Record<number, { only: Timing; full: Timing }> = {};
const fullRows: Row[] = [];
for (const [k, w] of WINDOWS.entries()) {
  const [onlyT, fullT, onlyReuse, fullReuse] = engineTimes.slice(4 * k, 4 * k + 4) as Timing[];
  reused[w] = { only: onlyReuse!, full: fullReuse! };
  engineRolling[w] = must(rollingBetaOnly(y, x, w)).beta;
  const full = must(rollingBeta(y, x, w));
  engineFull[w] = { correlation: full.correlation, stdErr: full.stdErr };
  // naive: a prefix only (a full run would take minutes), extrapolated per window
  const windows = w <= 1000 ? 4000 : 300;
  const naivePrefix = medianMs(() => naiveRolling(ys, xs, w, w - 1 + windows), 3, 1);
  const naive = scale(naivePrefix, (x.length - w + 1) / windows);
  checkIndex[String(w)] = [w - 1, w + 12345, x.length >> 1, x.length - 1];
  // the naive and engine results agree on the prefix
  const nv = naiveRolling(ys, xs, w, w - 1 + 50);
  let maxRel = 0;
  for (let i = w - 1; i < w - 1 + 50; i++) {
    maxRel = Math.max(maxRel, Math.abs(nv[i]! / engineRolling[w][i]! - 1));
  }
  rows.push({
    name: `rolling beta alone, 1e6 points, window ${w.toLocaleString('en')}`,
    engine: onlyT!,
    naive,
    naiveNote: `extrapolated from ${windows.toLocaleString('en')} windows; agrees to ${maxRel.toExponential(0)}`,
    pandas: null,
    target: '≤ 10 ms, ≥ 15× pandas',
  });
  fullRows.push({
    name: `rolling beta + corr + stdErr, window ${w.toLocaleString('en')}`,
    engine: fullT!,
    naive: { wall: NaN, cpu: NaN },
    naiveNote: '',
    pandas: null,
    target: '≤ 10 ms, ≥ 15× pandas',
  });
}
rows.push(...fullRows);

// ---- beta table ----
const table = medianMs(() => {
  for (const r of betaTable(tableReturns, tm, { periodsPerYear: 8760 })) must(r);
});
const tms = Array.from(tm);
const tas = tableReturns.map((r) => Array.from(r));
const naiveTable = medianMs(
  () => tas.map((r) => sampleCovariance(r, tms) / sampleVariance(tms)),
  RUNS,
  1,
);
rows.push({
  name: `beta table, ${TABLE_ASSETS} assets × ${TABLE_POINTS.toLocaleString('en')} hourly`,
  engine: table,
  naive: naiveTable,
  naiveNote: 'beta only (cov / var per asset)',
  pandas: null,
  target: '≥ 6× pandas',
});

// ---- pandas, same data, timed inside Python ----
let pandasNote = `pandas: not run (${PYTHON} with pandas not found)`;
if (pandasAvailable()) {
  const dir = mkdtempSync(join(tmpdir(), 'hedgebook-bench-'));
  try {
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
    const runs = Math.max(3, Math.min(RUNS, 5));
    const out = JSON.parse(
      execFileSync(PYTHON, [join(__dirname, 'pandas_bench.py'), dir, String(runs)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ) as Record<string, number[] | string>;
    const timing = (v: unknown): Timing => {
      const [wall, cpu] = v as [number, number];
      return { wall, cpu };
    };
    let maxRel = 0;
    WINDOWS.forEach((w, k) => {
      rows[k]!.pandas = timing(out[`rolling_${w}`]);
      rows[WINDOWS.length + k]!.pandas = timing(out[`rolling_full_${w}`]);
      const at = checkIndex[String(w)]!;
      (out[`rolling_${w}_sample`] as number[]).forEach((v, j) => {
        maxRel = Math.max(maxRel, Math.abs(engineRolling[w]![at[j]!]! / v - 1));
      });
      (out[`rolling_full_${w}_sample`] as unknown as [number, number][]).forEach(([c, se], j) => {
        maxRel = Math.max(maxRel, Math.abs(engineFull[w]!.correlation[at[j]!]! / c - 1));
        maxRel = Math.max(maxRel, Math.abs(engineFull[w]!.stdErr[at[j]!]! / se - 1));
      });
    });
    const tableRow = rows[2 * WINDOWS.length]!;
    tableRow.pandas = timing(out.table_stats);
    const engineTable = betaTable(tableReturns, tm, { periodsPerYear: 8760 });
    (out.table_beta_sample as number[]).forEach((v, k) => {
      maxRel = Math.max(maxRel, Math.abs(must(engineTable[k]!).beta / v - 1));
    });
    pandasNote =
      `pandas ${String(out.pandas)} (numpy ${String(out.numpy)}), median of ${runs} runs inside Python; ` +
      `rolling beta alone = y.rolling(w).cov(x) / x.rolling(w).var(); beta + corr + stdErr = ` +
      `rolling cov, var x, var y and the same formulas; table = vectorized DataFrame ops for the same statistics as betaStats (beta, alpha, corr, R², stdErr, t, CI, vol, downside, Blume, Vasicek; SSR as Syy − β·Sxy) ` +
      `(the one-liner table.cov()[0] / var: ${f(timing(out.table_cov).wall)} ms wall, ${f(timing(out.table_cov).cpu)} ms CPU); ` +
      `engine and pandas agree to ${maxRel.toExponential(0)} relative at the checked points`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- report ----
// Two tables: wall-clock medians, and CPU-time medians of the measuring process (on a machine
// shared with other work, wall time also measures the scheduler; CPU time much less so).
const loaded = loadavg()[0]! > cpus().length;
for (const kind of ['wall', 'cpu'] as const) {
  const header = [
    'case',
    `engine ms`,
    'naive ms',
    'pandas ms',
    'naive / engine',
    'pandas / engine',
    'target',
  ];
  const lines = rows.map((r) => [
    r.name,
    f(r.engine[kind]),
    Number.isNaN(r.naive[kind]) ? '–' : f(r.naive[kind]),
    r.pandas === null ? '–' : f(r.pandas[kind]),
    Number.isNaN(r.naive[kind]) ? '–' : ratio(r.naive[kind], r.engine[kind]),
    r.pandas === null ? '–' : ratio(r.pandas[kind], r.engine[kind]),
    r.target,
  ]);
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
for (const r of rows) if (r.naiveNote) console.log(`naive, ${r.name}: ${r.naiveNote}`);
for (const w of WINDOWS) {
  console.log(
    `outputs reused (opts.out), window ${w.toLocaleString('en')}: beta alone ` +
      `${f(reused[w]!.only.cpu)} ms CPU / ${f(reused[w]!.only.wall)} ms wall; beta + corr + stdErr ` +
      `${f(reused[w]!.full.cpu)} ms CPU / ${f(reused[w]!.full.wall)} ms wall`,
  );
}
console.log(pandasNote);
const [w720, w10k, f720, f10k, tbl] = rows as [Row, Row, Row, Row, Row];
console.log(
  `window growth: engine ${f(w720.engine.cpu)} ms CPU at 720 vs ${f(w10k.engine.cpu)} ms at 10,000 ` +
    `(${(w10k.engine.cpu / w720.engine.cpu).toFixed(2)}×; O(n) whatever the window means ≈ 1×)`,
);
const verdicts: [string, boolean][] = [];
for (const kind of ['wall', 'cpu'] as const) {
  for (const r of [w720, w10k, f720, f10k]) {
    verdicts.push([`${kind}: ${r.name}: ≤ 10 ms`, r.engine[kind] <= 10]);
    if (r.pandas)
      verdicts.push([`${kind}: ${r.name}: ≥ 15× pandas`, r.pandas[kind] / r.engine[kind] >= 15]);
  }
  if (tbl.pandas)
    verdicts.push([`${kind}: table ≥ 6× pandas`, tbl.pandas[kind] / tbl.engine[kind] >= 6]);
}
console.log(
  'targets:\n' + verdicts.map(([t, ok]) => `  ${ok ? 'met   ' : 'MISSED'} ${t}`).join('\n'),
);
if (loaded) {
  console.log(
    `note: load average ${loadavg()[0]!.toFixed(1)} > ${cpus().length} CPUs: the machine is shared; ` +
      'wall-clock figures are inflated, the CPU-time table is the steadier comparison.',
  );
}

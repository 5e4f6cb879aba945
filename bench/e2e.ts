// The end-to-end case of `npm run bench` (issue 16): a wide CSV of 100 assets × 43,800 hourly
// closes (5 years, ~45 MB, bench/wide-csv.ts) in a temp folder, and the three-cell notebook
// (prices: wide.csv, returns: simple, betas: all) run as a user runs it,
// `node dist/cli.js run wide.hedgebook --in-place` (load, betas, and the saved outputs written
// back), against the equivalent pandas script (bench/pandas_e2e.py), each a process timed from
// the outside (Node's and Python's start included), in alternating rounds.
//   BENCH_E2E_ROUNDS=3 npm run bench
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileEnv } from '../src/cli/runner';
import { fileAccess } from '../src/data/paths';
import { evaluateNotebook } from '../src/notebook/session';
import { writeWideCsv } from './wide-csv';

const ROOT = join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const ASSETS = 100;
const ROWS = 43_800;
/** float64 size of the data: every price and the time column */
const DATA_BYTES = (ASSETS + 1) * ROWS * 8;
const MB = 1024 * 1024;

interface Usage {
  userMs: number;
  systemMs: number;
  maxRssKb: number;
}

const median = (t: readonly number[]): number => {
  const s = [...t].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function notebook(cells: string[]): string {
  return JSON.stringify({
    format: 1,
    metadata: { title: 'bench' },
    cells: cells.map((source) => ({ kind: 'code', language: 'hedge', source: [source] })),
  });
}

/** bench/load-peak.ts in a fresh process: the resident size before the prices cell, the peak
 *  during it, and the growth (bytes). Linux only (/proc/self/clear_refs). */
function loadPeak(dir: string): { before: number; peak: number; growth: number } {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'load-peak.ts'), dir],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`bench/load-peak.ts failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as { before: number; peak: number; growth: number };
}

/** Runs the built CLI with the rusage preload; its wall time and usage. */
function hedgebook(dir: string, args: string[]): { wallMs: number; usage: Usage } {
  const usageFile = join(dir, 'usage.json');
  rmSync(usageFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      pathToFileURL(join(ROOT, 'bench', 'rusage.mjs')).href,
      join(ROOT, 'dist', 'cli.js'),
      ...args,
    ],
    { cwd: dir, env: { ...process.env, HEDGEBOOK_BENCH_RUSAGE: usageFile }, encoding: 'utf8' },
  );
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`hedgebook ${args.join(' ')} failed:\n${r.stderr}`);
  return { wallMs, usage: JSON.parse(readFileSync(usageFile, 'utf8')) as Usage };
}

interface PandasOut {
  pandas: string;
  loadMs: number;
  loadCpuMs: number;
  baseRssKb: number;
  loadRssKb: number;
  maxRssKb: number;
  beta: number[];
}

function pandas(dir: string): { wallMs: number; cpuMs: number; out: PandasOut } {
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S', PYTHON, join(ROOT, 'bench', 'pandas_e2e.py'), dir],
    {
      encoding: 'utf8',
    },
  );
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`pandas_e2e.py failed:\n${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return {
    wallMs,
    cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000,
    out: JSON.parse(r.stdout) as PandasOut,
  };
}

function pandasAvailable(): boolean {
  return (
    spawnSync(PYTHON, ['-c', 'import pandas, numpy'], { stdio: 'ignore' }).status === 0 &&
    spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { stdio: 'ignore' }).status === 0
  );
}

const f = (ms: number) => (Number.isNaN(ms) ? '–' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** The prices cell in this process, on a fresh session (nothing cached): its wall and CPU ms
 *  (the CPU time of this process, steadier than wall time on a shared machine). */
async function pricesCellHere(dir: string): Promise<{ wallMs: number; cpuMs: number }> {
  const env = fileEnv(fileAccess({ notebookDir: dir }), join(dir, 'cache'));
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const [run] = await evaluateNotebook([{ id: 'p', kind: 'code', text: 'prices: wide.csv' }], env);
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (run?.status !== 'ok')
    throw new Error(`the prices cell failed: ${JSON.stringify(run?.problems)}`);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

export async function endToEnd(): Promise<void> {
  const rounds = Number(process.env.BENCH_E2E_ROUNDS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'hedgebook-e2e-'));
  try {
    const t0 = performance.now();
    writeWideCsv(join(dir, 'wide.csv'), { assets: ASSETS, rows: ROWS });
    const csvBytes = statSync(join(dir, 'wide.csv')).size;
    writeFileSync(
      join(dir, 'wide.hedgebook'),
      notebook(['prices: wide.csv', 'returns: simple', 'betas: all']),
    );
    writeFileSync(join(dir, 'load.hedgebook'), notebook(['prices: wide.csv']));
    console.log(
      `\nEnd to end: ${ASSETS} assets × ${ROWS.toLocaleString('en')} hourly rows, ${mb(csvBytes)} of CSV ` +
        `(made in ${f(performance.now() - t0)} ms); float64 size of the data ${mb(DATA_BYTES)}`,
    );
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
    const hasPandas = pandasAvailable();
    const hb = {
      wall: [] as number[],
      cpu: [] as number[],
      load: [] as number[],
      rss: [] as number[],
    };
    const pd = {
      wall: [] as number[],
      cpu: [] as number[],
      load: [] as number[],
      loadCpu: [] as number[],
      rss: [] as number[],
    };
    const loadRss: number[] = [];
    const rssRaw: string[] = [];
    const here = { wall: [] as number[], cpu: [] as number[] };
    await pricesCellHere(dir); // warm-up (compiles the reader)
    let saved = 0;
    let hbBetas: number[] = [];
    let pdOut: PandasOut | null = null;
    for (let round = 0; round < rounds; round++) {
      copyFileSync(join(dir, 'wide.hedgebook'), join(dir, 'run.hedgebook'));
      const run = hedgebook(dir, ['run', 'run.hedgebook', '--in-place', '--quiet']);
      hb.wall.push(run.wallMs);
      hb.cpu.push(run.usage.userMs + run.usage.systemMs);
      hb.rss.push(run.usage.maxRssKb * 1024);
      const nb = JSON.parse(readFileSync(join(dir, 'run.hedgebook'), 'utf8')) as {
        cells: {
          outputs?: {
            items: { mime: string; data: string }[];
            metadata?: { durationMs?: number };
          }[];
        }[];
      };
      hb.load.push(nb.cells[0]!.outputs![0]!.metadata!.durationMs!);
      saved = statSync(join(dir, 'run.hedgebook')).size;
      const betas = nb.cells[2]!.outputs![0]!.items.find((i) => i.mime.endsWith('result+json'))!;
      hbBetas = (JSON.parse(betas.data) as { rows: { beta: number }[] }).rows.map((r) => r.beta);
      // Peak memory of loading alone: the prices cell's run over a bare start of the same CLI.
      // Peak memory of loading alone, in a fresh process (bench/load-peak.ts).
      const peak = loadPeak(dir);
      loadRss.push(peak.growth);
      rssRaw.push(`${mb(peak.peak)} − ${mb(peak.before)}`);
      const cell = await pricesCellHere(dir);
      here.wall.push(cell.wallMs);
      here.cpu.push(cell.cpuMs);
      if (hasPandas) {
        const p = pandas(dir);
        pdOut = p.out;
        pd.wall.push(p.wallMs);
        pd.cpu.push(p.cpuMs);
        pd.load.push(p.out.loadMs);
        pd.loadCpu.push(p.out.loadCpuMs);
        pd.rss.push((p.out.loadRssKb - p.out.baseRssKb) * 1024);
      }
    }
    const pdSaved = hasPandas ? statSync(join(dir, 'pandas-out.json')).size : NaN;
    const ratio = (a: number, b: number) => (Number.isNaN(a / b) ? '–' : `${(a / b).toFixed(2)}×`);
    const rows: string[][] = [
      [
        'prices cell vs read_csv (dates parsed), wall ms',
        f(median(hb.load)),
        f(median(pd.load)),
        ratio(median(pd.load), median(hb.load)),
      ],
      [
        'prices cell vs read_csv, CPU ms (this process / inside Python)',
        f(median(here.cpu)),
        hasPandas ? f(median(pd.loadCpu)) : '–',
        ratio(median(pd.loadCpu), median(here.cpu)),
      ],
      [
        'whole notebook vs the pandas script, wall ms (process, start included)',
        f(median(hb.wall)),
        f(median(pd.wall)),
        ratio(median(pd.wall), median(hb.wall)),
      ],
      [
        'whole notebook vs the pandas script, CPU ms (process)',
        f(median(hb.cpu)),
        f(median(pd.cpu)),
        ratio(median(pd.cpu), median(hb.cpu)),
      ],
      [
        'peak memory of the load (growth during the prices cell / during read_csv)',
        mb(median(loadRss)),
        hasPandas ? mb(median(pd.rss)) : '–',
        `${(median(loadRss) / DATA_BYTES).toFixed(2)}× the data`,
      ],
      [
        'peak memory of the whole run (process)',
        mb(median(hb.rss)),
        hasPandas ? mb(pdOut!.maxRssKb * 1024) : '–',
        '',
      ],
      [
        'saved size (notebook with outputs / pandas JSON)',
        mb(saved),
        hasPandas ? mb(pdSaved) : '–',
        '',
      ],
    ];
    const header = ['step', 'Hedgebook', 'pandas', 'pandas / Hedgebook'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (cells: string[]) =>
      '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
    console.log(`medians of ${rounds} alternating rounds:`);
    console.log(fmt(header));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    for (const r of rows) console.log(fmt(r));
    if (pdOut) {
      let maxRel = 0;
      pdOut.beta.forEach((b, k) => (maxRel = Math.max(maxRel, Math.abs(hbBetas[k]! / b - 1))));
      console.log(
        `pandas ${pdOut.pandas}; the first five betas agree with pandas to ${maxRel.toExponential(0)} relative`,
      );
    }
    const verdicts: [string, boolean | null][] = [
      [
        'prices cell at least as fast as pandas read_csv (CPU, for reference)',
        hasPandas ? median(here.cpu) <= median(pd.loadCpu) : null,
      ],
      [
        'prices cell at least as fast as pandas read_csv (wall)',
        hasPandas ? median(hb.load) <= median(pd.load) : null,
      ],
      [
        'whole notebook faster than the pandas script (wall)',
        hasPandas ? median(hb.wall) < median(pd.wall) : null,
      ],
      [
        `peak memory of the load ≤ 3× the float64 data (${mb(3 * DATA_BYTES)}; a load measured ` +
          `below the data's own size is a failed measurement, not a pass)`,
        median(loadRss) >= DATA_BYTES && median(loadRss) <= 3 * DATA_BYTES,
      ],
      ['saved notebook ≤ 2 MB', saved <= 2 * MB],
    ];
    console.log(
      `peak memory of the load, per round (peak − resident before): ${rssRaw.join(', ')}`,
    );
    console.log(
      'end-to-end targets:\n' +
        verdicts
          .map(([t, ok]) => `  ${ok === null ? 'n/a   ' : ok ? 'met   ' : 'MISSED'} ${t}`)
          .join('\n'),
    );
    if (loadavg()[0]! > cpus().length)
      console.log(
        `note: load average ${loadavg()[0]!.toFixed(1)} > ${cpus().length} CPUs: the machine is shared; ` +
          'wall times are inflated (most where a process waits on I/O or other processes), CPU times are the steadier comparison.',
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  endToEnd().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });

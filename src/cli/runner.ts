/** Runs a `.hedgebook` notebook headlessly, exactly as the editor's kernel does: the same
 *  evaluateNotebook (src/notebook/session.ts), with an env whose loadPrices reads files relative
 *  to the notebook under the file rule (src/data/paths.ts, src/data/files.ts). Then turns the
 *  run into what the CLI writes: the notebook with fresh outputs, a per-cell summary, the
 *  report's cells and the JSON results. */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createDatasetCache, type DatasetCache } from '../data/dataset-cache';
import { loadExchangeDataset, loadFileDataset } from '../data/datasets';
import { exchangeSettingsFromEnv } from '../data/exchanges/load';
import { loadExchangeFundingRates } from '../data/exchanges/funding';
import { loadFundingFile } from '../data/files';
import { expandUserPath, fileAccess, resolveDataFile, type FileAccess } from '../data/paths';
import { worded } from '../data/messages';
import { trackLoad, type ProgressSink } from '../data/progress';
import { describeProblem } from '../notebook/messages';
import { fail, type Result } from '../engine/result';
import { parseNotebookFile, type CellOutput, type NotebookFile } from '../notebook/file-format';
import { outputMetadata, savedFingerprint } from '../notebook/saved';
import { MAX_NOTEBOOK_CHARS } from '../notebook/limits';
import type { CellResult } from '../results';
import {
  evaluateNotebook,
  type CellRun,
  type NotebookCell,
  type SessionEnv,
} from '../notebook/session';
import { problemsToText, toOutputItems } from '../outputs/mime';
import type { ReportCell } from '../outputs/report';

export interface CellOutcome {
  /** 0-based position in the notebook. */
  readonly index: number;
  readonly kind: 'markdown' | 'code';
  readonly language: string;
  readonly source: string;
  /** null for markdown cells and for code cells in another language (not run). */
  readonly run: CellRun | null;
}

export interface NotebookRun {
  /** The notebook as named on the command line. */
  readonly file: string;
  readonly notebook: NotebookFile;
  readonly cells: readonly CellOutcome[];
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Every code cell ran with status ok. */
  readonly ok: boolean;
}

/** Reads and validates a notebook file; problems are located (file-format.ts) or say the file
 *  is missing / unreadable. */
export async function readNotebook(absPath: string, file: string): Promise<Result<NotebookFile>> {
  let text: string;
  try {
    // Bounded before reading: a pipe or a device would be read forever, a huge file at length.
    const info = await stat(absPath);
    if (!info.isFile())
      return worded(fail('notebook_unreadable', [file], { file, reason: 'not a regular file' }));
    if (info.size > MAX_NOTEBOOK_CHARS)
      return fail('notebook_too_large', [file], { chars: info.size, max: MAX_NOTEBOOK_CHARS });
    text = await readFile(absPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
    return worded(
      code === 'ENOENT'
        ? fail('notebook_not_found', [file], { file, absPath })
        : fail('notebook_unreadable', [file], { file, reason: code }),
    );
  }
  return parseNotebookFile(text);
}

/** Where exchange data is cached: $HEDGEBOOK_CACHE_DIR, else $XDG_CACHE_HOME/hedgebook, else
 *  ~/.cache/hedgebook. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEDGEBOOK_CACHE_DIR) return resolve(env.HEDGEBOOK_CACHE_DIR);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hedgebook');
}

/** The env the CLI evaluates with: a prices or funding cell's `file:` is resolved against the notebook's
 *  folder under the file rule (src/data/paths.ts: the notebook's folder and the `--allow-path`
 *  folders), and problems and provenance name it as the cell wrote it; exchange prices go through
 *  the exchange clients and their disk cache (candles; funding history too). Parsed datasets are kept for the run (`cache`: a
 *  file named by two cells is read once); long loads report to `progress` (a terminal line). */
export function fileEnv(
  access: FileAccess,
  cacheDir: string = defaultCacheDir(),
  opts: { cache?: DatasetCache; progress?: ProgressSink } = {},
): SessionEnv {
  const cache = opts.cache ?? createDatasetCache();
  return {
    async loadPrices(file, signal) {
      if (signal.aborted) return fail('cancelled', [file]);
      const path = await resolveDataFile(file, access);
      if (!path.ok) return worded(path);
      const track = trackLoad(opts.progress);
      try {
        return await loadFileDataset(path.value, file, {
          cache,
          signal,
          ...(track.onProgress ? { onProgress: track.onProgress } : {}),
        });
      } finally {
        track.done();
      }
    },
    async loadExchangePrices(request, signal) {
      if (signal.aborted) return fail('cancelled', [request.exchange]);
      const track = trackLoad(opts.progress);
      try {
        return await loadExchangeDataset(
          request,
          { cacheDir, ...exchangeSettingsFromEnv(process.env) },
          { cache, signal, ...(track.onProgress ? { onProgress: track.onProgress } : {}) },
        );
      } finally {
        track.done();
      }
    },
    async loadFunding(file, signal) {
      if (signal.aborted) return fail('cancelled', [file]);
      const path = await resolveDataFile(file, access);
      if (!path.ok) return worded(path);
      return worded(await loadFundingFile(path.value, { displayName: file }));
    },
    async loadExchangeFunding(request, signal) {
      if (signal.aborted) return fail('cancelled', [request.exchange]);
      return worded(
        await loadExchangeFundingRates(request, {
          cacheDir,
          ...exchangeSettingsFromEnv(process.env),
        }),
      );
    },
  };
}

export const cellId = (index: number): string => `cell-${index}`;

/** The session's cells: markdown and hedge cells, each with what its saved outputs say they were
 *  computed from. */
export function notebookCells(notebook: NotebookFile): NotebookCell[] {
  return notebook.cells.flatMap((c, index) => {
    if (c.kind !== 'markdown' && c.language !== 'hedge') return [];
    const saved = savedFingerprint((c.outputs ?? []).map((o) => o.metadata));
    return [{ id: cellId(index), kind: c.kind, text: c.source, ...(saved ? { saved } : {}) }];
  });
}

/** Evaluates every cell in order. `now` is injectable for tests. */
export async function runNotebook(
  notebook: NotebookFile,
  opts: { file: string; env: SessionEnv; signal?: AbortSignal; now?: () => number },
): Promise<NotebookRun> {
  const now = opts.now ?? Date.now;
  const start = now();
  const runs = await evaluateNotebook(notebookCells(notebook), opts.env, opts.signal);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const cells: CellOutcome[] = notebook.cells.map((c, index) => ({
    index,
    kind: c.kind,
    language: c.language,
    source: c.source,
    run: c.kind === 'code' ? (byId.get(cellId(index)) ?? null) : null,
  }));
  const ok = cells.every(
    (c) => c.kind !== 'code' || c.language !== 'hedge' || c.run?.status === 'ok',
  );
  return {
    file: opts.file,
    notebook,
    cells,
    startedAt: new Date(start).toISOString(),
    durationMs: Math.max(0, now() - start),
    ok,
  };
}

/** Reads, validates and runs a notebook file. */
export async function runNotebookFile(
  file: string,
  opts: {
    cwd?: string;
    signal?: AbortSignal;
    now?: () => number;
    /** Folders (or files) outside the notebook's folder that its cells may read. */
    allowPaths?: readonly string[];
    progress?: ProgressSink;
    /** Results keep every point of every series (`--full-series`; never saved in a notebook). */
    fullSeries?: boolean;
  } = {},
): Promise<Result<NotebookRun>> {
  const cwd = opts.cwd ?? process.cwd();
  const absPath = resolve(cwd, file);
  const read = await readNotebook(absPath, file);
  if (!read.ok) return read;
  const access = fileAccess({
    notebookDir: dirname(absPath),
    allowed: (opts.allowPaths ?? []).map((p) => expandUserPath(p, cwd)),
  });
  const env: SessionEnv = {
    ...fileEnv(access, defaultCacheDir(), {
      ...(opts.progress ? { progress: opts.progress } : {}),
    }),
    ...(opts.fullSeries ? { fullSeries: true } : {}),
  };
  const run = await runNotebook(read.value, { file, env, signal: opts.signal, now: opts.now });
  return { ok: true, value: run, warnings: read.warnings };
}

/** The outputs of one code cell as saved in the notebook: one output per result, with when and
 *  on what data it was computed. */
export function cellOutputs(run: CellRun, computedAt: string): CellOutput[] {
  if (run.status !== 'ok') {
    return [{ items: [{ mime: 'text/plain', data: `Error:\n${problemsToText(run.problems)}\n` }] }];
  }
  return run.results.map((result: CellResult) => ({
    items: toOutputItems(result).map((i) => ({ mime: i.mime, data: i.data })),
    metadata: outputMetadata(run, result, computedAt),
  }));
}

/** The notebook with every hedge cell's outputs replaced by this run's. Markdown cells and
 *  cells in other languages are kept exactly as they were. */
export function notebookWithOutputs(run: NotebookRun): NotebookFile {
  const computedAt = run.startedAt;
  return {
    ...run.notebook,
    cells: run.notebook.cells.map((cell, i) => {
      const r = run.cells[i]?.run;
      if (cell.kind !== 'code' || !r) return cell;
      return { ...cell, outputs: cellOutputs(r, computedAt) };
    }),
  };
}

/** The title of a report: the notebook's metadata title, its first markdown heading, or the
 *  file name. */
export function notebookTitle(run: NotebookRun): string {
  return titleOf(run.notebook, run.file);
}

export function titleOf(notebook: NotebookFile, file: string): string {
  const meta = notebook.metadata.title;
  if (typeof meta === 'string' && meta.trim() !== '') return meta.trim();
  for (const c of notebook.cells) {
    if (c.kind !== 'markdown') continue;
    const m = /^\s*#{1,6}\s+(.+?)\s*#*\s*$/m.exec(c.source);
    if (m?.[1]) return m[1];
  }
  return basename(file);
}

/** The cells as renderReportHtml takes them: markdown as written, code with its output items
 *  (a failed cell shows its problems as text) and when they were computed. Code cells in other
 *  languages show no output. */
export function reportCells(run: NotebookRun): ReportCell[] {
  return run.cells.map((c): ReportCell => {
    if (c.kind === 'markdown') return { kind: 'markdown', text: c.source };
    const items = c.run ? cellOutputs(c.run, run.startedAt).flatMap((o) => o.items) : [];
    return {
      kind: 'code',
      source: c.source,
      items,
      ...(c.language === 'hedge' ? {} : { language: c.language }),
      ...(c.run
        ? {
            meta: {
              computedAt: run.startedAt,
              durationMs: c.run.durationMs,
              executionOrder: c.run.order,
            },
          }
        : {}),
    };
  });
}

function indent(text: string, by = '    '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (l === '' ? '' : by + l))
    .join('\n');
}

/** A readable summary of the run: one block per code cell (its status, time, what it declares,
 *  and its result as plain text or its problems), then a total line. */
export function summarize(run: NotebookRun, opts: { quiet?: boolean } = {}): string {
  const out: string[] = [];
  let code = 0;
  let failed = 0;
  for (const c of run.cells) {
    if (c.kind !== 'code') continue;
    code++;
    const n = c.index + 1;
    if (!c.run) {
      if (!opts.quiet) out.push(`[cell ${n}] skipped: language ${c.language} is not hedge`);
      continue;
    }
    const r = c.run;
    if (r.status !== 'ok') failed++;
    if (opts.quiet && r.status === 'ok') continue;
    const declares = r.declares.length > 0 ? ` · declares ${r.declares.join(', ')}` : '';
    out.push(`[cell ${n}] ${r.status} · ${Math.round(r.durationMs)} ms${declares}`);
    if (r.status === 'ok') {
      for (const result of r.results) {
        const text = toOutputItems(result).find((i) => i.mime === 'text/plain')?.data ?? '';
        out.push(indent(text));
      }
    } else if (r.problems.length > 0) {
      out.push(indent(problemsToText(r.problems)));
    } else if (r.status === 'cancelled') {
      out.push(indent('cancelled'));
    }
    out.push('');
  }
  const total = run.ok
    ? `${run.file}: ${code} code cell${code === 1 ? '' : 's'} ran clean in ${Math.round(run.durationMs)} ms`
    : `${run.file}: ${failed} of ${code} code cells failed (first: cell ${firstFailure(run) ?? '?'})`;
  out.push(total);
  return out.join('\n') + '\n';
}

/** 1-based number of the first code cell that did not run ok. */
export function firstFailure(run: NotebookRun): number | null {
  const c = run.cells.find((x) => x.run !== null && x.run.status !== 'ok');
  return c ? c.index + 1 : null;
}

/** Problems as words for the CLI (notebook-level problems: missing file, malformed JSON). */
export function problemLines(file: string, problems: Result<unknown>): string {
  if (problems.ok) return '';
  return problems.problems
    .map((p) => {
      const text = describeProblem(p);
      return text.startsWith(file) ? text : `${file}: ${text}`;
    })
    .join('\n');
}

/** Small helpers every cell evaluator shares: provenance, warnings, relocating engine problems
 *  onto the cell's keys, an unknown asset with its did-you-mean. */
import { describeProblem } from '../messages';
import { frameIndices, roundSignificant, scatterIndices } from '../../engine/downsample';
import type { Problem } from '../../engine/result';
import type { AlignedPrices } from '../../engine/series';
import { dataHash } from '../digest';
import { SERIES_BOUNDS, type Frame, type Provenance, type Scatter } from '../../results';
import type { LocatedProblem } from '../location';
import { listed, suggest, type ParsedCell, type Path } from '../parse';
import type { CellEvaluation, EvalContext, FileFingerprint } from './context';

export const iso = (t: number) => new Date(t).toISOString();

/** What a result was computed on: the aligned rows [from, to) of a dataset, with their content
 *  hash (digest.ts). Given only times (no prices), the record has no hash. */
export function provenance(
  source: string,
  data: AlignedPrices | readonly number[],
  from = 0,
  to?: number,
): Provenance {
  const times = 'times' in data ? data.times : data;
  const hi = Math.min(to ?? times.length, times.length);
  const start = times[from] ?? times[0] ?? 0;
  const end = times[hi - 1] ?? start;
  return {
    source,
    start: iso(start),
    end: iso(end),
    rows: Math.max(0, hi - from),
    ...('times' in data ? { hash: dataHash(data, from, hi) } : {}),
  };
}

/** A file's fingerprint as a result records it (only its two fields: an env may hand more). */
export const fileRecord = (f: FileFingerprint): FileFingerprint => ({
  hash: f.hash,
  bytes: f.bytes,
});

export function warningsOf(problems: readonly Problem[]): { code: string; message: string }[] {
  return problems.map((p) => ({ code: p.code, message: describeProblem(p) }));
}

/** Engine problems (paths into the engine's input) relocated to one place of the cell. */
export function relocate(
  problems: readonly Problem[],
  map: (p: Problem) => Path,
  parsed: ParsedCell,
  part: 'key' | 'value' = 'value',
): LocatedProblem[] {
  return problems.map((p) => ({
    code: p.code,
    message: describeProblem(p),
    range: parsed.locate(map(p), part),
  }));
}

export function failed(problems: LocatedProblem[]): CellEvaluation {
  return { ok: false, results: [], problems, value: null };
}

export function unknownAsset(
  parsed: ParsedCell,
  path: Path,
  asset: string,
  where: string,
  known: readonly string[],
): LocatedProblem {
  const params: Record<string, string> = { asset, where, known: listed(known) };
  const s = suggest(asset, known);
  if (s) params.suggestion = s;
  const p: Problem = { code: 'cell_unknown_asset', path, params };
  return {
    code: p.code,
    message: describeProblem(p),
    range: parsed.locate(path, 'key'),
    ...(params.suggestion ? { suggestion: params.suggestion } : {}),
  };
}

export const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);

/** How a cell saves series: reduced for display (the default, SERIES_BOUNDS) or in full (the
 *  CLI's `--full-series`). */
export interface SeriesOptions {
  /** Rows / points kept at most (default SERIES_BOUNDS.linePoints / scatterPoints). */
  readonly max?: number;
  /** Indices that must be kept (event times, a marked point). */
  readonly forced?: readonly number[];
  /** Significant digits of the saved values (default SERIES_BOUNDS.digits). */
  readonly digits?: number;
}

const fullSeries = (ctx: Pick<EvalContext, 'env'>) => ctx.env.fullSeries === true;

/** A time series as a result saves it (src/results/series.ts Frame): `t` epoch ms, one column
 *  per name (NaN = a gap, saved as null), the rows reduced jointly to at most `max` (every
 *  column's extremes, gaps and the forced rows kept) and values rounded for display. With
 *  `--full-series`, every row in full precision. */
export function savedFrame(
  ctx: Pick<EvalContext, 'env'>,
  t: ArrayLike<number>,
  columns: Readonly<Record<string, ArrayLike<number>>>,
  opts: SeriesOptions = {},
): Frame {
  const full = fullSeries(ctx);
  const names = Object.keys(columns);
  const values = names.map((k) => columns[k] as ArrayLike<number>);
  const idx = full
    ? Array.from({ length: t.length }, (_, i) => i)
    : frameIndices(t, values, opts.max ?? SERIES_BOUNDS.linePoints, opts.forced);
  const digits = full ? null : (opts.digits ?? SERIES_BOUNDS.digits);
  const cols: Record<string, (number | null)[]> = {};
  names.forEach((name, c) => {
    cols[name] = idx.map((i) => display(values[c]![i]!, digits));
  });
  return {
    t: idx.map((i) => t[i]!),
    columns: cols,
    points: { shown: idx.length, of: t.length },
  };
}

/** A scatter cloud as a result saves it (Scatter): at most `max` exact points keeping the
 *  extremes, outliers, shape and density (scatterIndices), values rounded for display, with the
 *  time of each point when `t` is given. With `--full-series`, every point in full precision. */
export function savedScatter(
  ctx: Pick<EvalContext, 'env'>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: SeriesOptions & { readonly t?: ArrayLike<number> } = {},
): Scatter {
  const full = fullSeries(ctx);
  const n = Math.min(x.length, y.length);
  const idx = scatterIndices(
    x,
    y,
    full ? Number.POSITIVE_INFINITY : (opts.max ?? SERIES_BOUNDS.scatterPoints),
    opts.forced,
  );
  const digits = full ? null : (opts.digits ?? SERIES_BOUNDS.digits);
  const out: Scatter = {
    x: idx.map((i) => roundTo(x[i]!, digits)),
    y: idx.map((i) => roundTo(y[i]!, digits)),
    points: { shown: idx.length, of: n },
  };
  const t = opts.t;
  return t ? { ...out, t: idx.map((i) => t[i]!) } : out;
}

function roundTo(v: number, digits: number | null): number {
  return digits === null ? v : roundSignificant(v, digits);
}

function display(v: number, digits: number | null): number | null {
  return Number.isFinite(v) ? roundTo(v, digits) : null;
}

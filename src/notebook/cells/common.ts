/** Small helpers every cell evaluator shares: provenance, warnings, relocating engine problems
 *  onto the cell's keys, an unknown asset with its did-you-mean. */
import { describeProblem } from '../messages';
import type { Problem } from '../../engine/result';
import type { Provenance } from '../../results';
import type { LocatedProblem } from '../location';
import { suggest, type ParsedCell, type Path } from '../parse';
import type { CellEvaluation } from './context';

export const iso = (t: number) => new Date(t).toISOString();

export function provenance(source: string, times: readonly number[], from = 0): Provenance {
  const start = times[from] ?? times[0] ?? 0;
  const end = times[times.length - 1] ?? start;
  return { source, start: iso(start), end: iso(end), rows: Math.max(0, times.length - from) };
}

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
  const params: Record<string, string> = { asset, where, known: known.join(', ') };
  const s = suggest(asset, known);
  if (s) params.suggestion = s;
  const p: Problem = { code: 'cell_unknown_asset', path, params };
  return { code: p.code, message: describeProblem(p), range: parsed.locate(path, 'key') };
}

export const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);

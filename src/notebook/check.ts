/** The `hedge` cell language, step 3: syntax + schema check of one cell, every problem located at
 *  the exact key or value (0-based lines and columns within the cell). Used by the session, the
 *  CLI, and the editor's diagnostics while typing. Names and references across cells are checked
 *  by names.ts; data-dependent problems (unknown assets) by the evaluator. */
import type { z } from 'zod';
import type { Problem } from '../engine/result';
import { MAX_PROBLEMS_PER_CELL } from './limits';
import type { LocatedProblem, Range } from './location';
import { locatedProblem, parseCell, suggest, type Path, type ParsedCell } from './parse';
import { CELL_SCHEMAS, keysOf, type CellSpec } from './schemas';

export interface CheckedCell {
  readonly parsed: ParsedCell;
  /** The validated cell, or null when it has problems (or is empty). */
  readonly spec: CellSpec | null;
  readonly problems: LocatedProblem[];
}

/** How a value the user wrote reads in a message: 'five hundred', 12, a mapping, nothing. */
export function describeGot(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const step of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, step)) return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

const HINTS: Record<string, string> = {
  file: 'e.g. file: data/daily.csv',
  holdings: 'e.g. holdings: { ETH: 40, SOL: 500, UNI: { usd: 20000 } }',
  with: 'the instrument to hedge with, e.g. with: BTCUSDT-PERP',
  long: 'e.g. long: { SOL: 10000usd }',
  short: 'e.g. short: { ETH: 10000usd }',
  portfolio: 'its name, e.g. portfolio: core',
  instrument: 'its name, e.g. instrument: BTCUSDT-PERP',
  hedge: 'the portfolio to hedge, e.g. hedge: core',
};

function issueProblems(
  issue: z.core.$ZodIssue,
  parsed: ParsedCell,
  kind: keyof typeof CELL_SCHEMAS,
): LocatedProblem[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = keysOf(kind).filter((k) => k !== parsed.kindKey);
    return issue.keys.map((key) => {
      const params: Record<string, string> = { key, cellKind: kind, known: known.join(', ') };
      const s = suggest(key, known);
      if (s) params.suggestion = s;
      const p: Problem = { code: 'unknown_key', path: [...path, key], params };
      return locatedProblem(p, parsed.locate(p.path, 'key'));
    });
  }
  const raw = (issue.code === 'custom' ? issue.params : undefined) ?? {};
  const { problem, ...rest } = raw as Record<string, string | number | boolean>;
  const code = typeof problem === 'string' ? problem : 'invalid_value';
  const params: Record<string, string | number | boolean> = { ...rest };
  if (code === 'invalid_value') params.detail = issue.message;
  if (code === 'missing_key') {
    params.cellKind = kind;
    const last = path[path.length - 1];
    if (typeof last === 'string' && HINTS[last]) params.hint = HINTS[last] ?? '';
  } else if (code === 'expected_asset_key') {
    params.got = describeGot(String(path[path.length - 1] ?? '')); // the key is what is wrong
  } else if (code.startsWith('expected_') || code === 'invalid_value') {
    params.got = describeGot(valueAt(parsed.value, path));
  }
  const p: Problem = { code, path, params };
  const atKey =
    code === 'missing_key' || code === 'unknown_bracket_key' || code === 'expected_asset_key';
  return [locatedProblem(p, parsed.locate(path, atKey ? 'key' : 'value'))];
}

/** At most MAX_PROBLEMS_PER_CELL problems, the rest counted in one more at `where` (a cell
 *  with 50,000 unknown assets shows the first ones, not megabytes of squiggles). */
export function capProblems(problems: LocatedProblem[], where: Range): LocatedProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_CELL) return problems;
  const more = problems.length - MAX_PROBLEMS_PER_CELL;
  const p: Problem = {
    code: 'more_problems',
    path: [],
    params: { more, shown: MAX_PROBLEMS_PER_CELL },
  };
  return [...problems.slice(0, MAX_PROBLEMS_PER_CELL), locatedProblem(p, where)];
}

/** Parses and validates one cell. */
export function validateCell(parsed: ParsedCell): CheckedCell {
  if (parsed.problems.length > 0 || parsed.empty || parsed.kind === null)
    return { parsed, spec: null, problems: capProblems([...parsed.problems], parsed.locate([])) };
  const kind = parsed.kind;
  const result = CELL_SCHEMAS[kind].safeParse(parsed.value);
  if (result.success) return { parsed, spec: result.data, problems: [] };
  const problems = result.error.issues.flatMap((i) => issueProblems(i, parsed, kind));
  problems.sort(
    (a, b) => a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn,
  );
  return { parsed, spec: null, problems: capProblems(problems, parsed.locate([])) };
}

/** Syntax + schema problems of one cell's text (no cross-cell names, no data). */
export function checkCell(text: string): LocatedProblem[] {
  return validateCell(parseCell(text)).problems;
}

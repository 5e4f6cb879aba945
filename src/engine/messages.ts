/** Words for the engine's own problems (price series, beta statistics, portfolios, hedges), and
 *  the machinery every layer uses to word its problems: each layer has a table of words for the
 *  codes it creates and a describer made from its table and the tables below it, so the same
 *  problem reads the same in a cell output, a squiggle, the CLI and the report. A problem that
 *  crossed a layer boundary already worded (`message`) keeps its words. */
import { hedgeMessages } from './hedge-messages';
import { riskMessages } from './risk-messages';
import { simulateMessages } from './simulate-messages';
import { statsMessages } from './stats-messages';
import type { Problem } from './result';

type Params = NonNullable<Problem['params']>;
/** Words for one code: its params and its path joined with dots (`holdings.SOL`, `legs[1]`). */
export type Words = (params: Params, path: string) => string;
export type WordTable = Readonly<Record<string, Words>>;

/** "line 3, column 5" when the params carry a location, else ''. */
export function at(params: Params): string {
  return typeof params.line === 'number'
    ? `line ${params.line}, column ${typeof params.column === 'number' ? params.column : 1}`
    : '';
}

/** "path (line 3, column 5): " — where a problem is, as a message's prefix. */
export function where(params: Params, path: string): string {
  const loc = at(params);
  if (path && loc) return `${path} (${loc}): `;
  if (path || loc) return `${path || loc}: `;
  return '';
}

/** The engine's own words: portfolio, instruments, hedges, pairs, effectiveness
 *  (hedge-messages.ts); price series, returns, frequency, beta statistics (stats-messages.ts);
 *  brackets, margin, stress, basis and positions (risk-messages.ts); the hedge simulation,
 *  funding and rolls (simulate-messages.ts). */
export const engineMessages: WordTable = {
  ...hedgeMessages,
  ...statsMessages,
  ...riskMessages,
  ...simulateMessages,
};

/** A describer over word tables (later tables win). An unknown code still reads sensibly: its
 *  code, path and params. */
export function describer(...tables: readonly WordTable[]): (problem: Problem) => string {
  const wording: Record<string, Words> = Object.assign({}, ...tables);
  return (problem) => {
    if (problem.message !== undefined) return problem.message;
    const params = problem.params ?? {};
    const path = problem.path
      .map((k) => (typeof k === 'number' ? `[${k}]` : k))
      .join('.')
      .replace(/\.\[/g, '[');
    const words = Object.hasOwn(wording, problem.code) ? wording[problem.code] : undefined;
    if (words) return words(params, path);
    const detail = Object.entries(params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    return `${where({}, path)}${problem.code}${detail ? ` (${detail})` : ''}`;
  };
}

/** Words for an engine problem. */
export const describeProblem = describer(engineMessages);

/** The same result with every problem and warning worded (`message` set), for handing to a
 *  layer that cannot word this layer's codes. */
export function wordedWith<T>(
  describe: (p: Problem) => string,
  r: import('./result').Result<T>,
): import('./result').Result<T> {
  const word = (p: Problem): Problem => ({ ...p, message: describe(p) });
  return r.ok
    ? { ok: true, value: r.value, warnings: r.warnings.map(word) }
    : { ok: false, problems: r.problems.map(word) };
}

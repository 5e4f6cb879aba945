/** Problems are data: a code, where (a path into the input), and the numbers that explain it.
 *  Words are made in one place per layer (src/engine/messages.ts, src/data/messages.ts,
 *  src/notebook/messages.ts), never here. */
export interface Problem {
  readonly code: string;
  /** Where in the input: e.g. ['prices', 'BTC', 17] or ['holdings', 'SOL']. */
  readonly path: readonly (string | number)[];
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** The words, when the layer that found the problem worded it before handing it to a layer
   *  that cannot (a data problem shown in a cell's output). */
  readonly message?: string;
}

/** A computation that can fail on the user's data returns a Result, never NaN, never a throw. */
export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function ok<T>(value: T, warnings: readonly Problem[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function fail<T = never>(
  code: string,
  path: readonly (string | number)[] = [],
  params?: Problem['params'],
): Result<T> {
  return { ok: false, problems: [params ? { code, path, params } : { code, path }] };
}

export function failWith<T = never>(problems: readonly Problem[]): Result<T> {
  if (problems.length === 0) throw new Error('failWith needs at least one problem');
  return { ok: false, problems };
}

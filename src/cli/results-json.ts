/** The JSON that `hedgebook run FILE --json OUT` writes (docs/results.md documents it): every
 *  cell of the notebook in order, with its status, timing, what it declares, its typed results
 *  (the same CellResult objects the renderer draws) and its problems with their place in the
 *  cell. The zod schema is the contract; a test validates real output against it. */
import * as z from 'zod';
import { CellResult } from '../results';
import type { NotebookRun } from './runner';

export const RESULTS_JSON_VERSION = 1;

export const ResultsProblem = z.strictObject({
  code: z.string(),
  message: z.string(),
  /** 1-based, within the cell's source (as an editor shows it). */
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  endLine: z.number().int().positive(),
  endColumn: z.number().int().positive(),
});

export const ResultsCell = z.strictObject({
  /** 1-based position in the notebook, counting markdown cells. */
  cell: z.number().int().positive(),
  kind: z.enum(['markdown', 'code']),
  language: z.string(),
  source: z.string(),
  /** markdown cells and code cells in other languages: 'skipped'. */
  status: z.enum(['ok', 'error', 'cancelled', 'skipped']),
  executionOrder: z.number().int().nonnegative().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  declares: z.array(z.string()),
  results: z.array(CellResult),
  problems: z.array(ResultsProblem),
});

export const ResultsJson = z.strictObject({
  hedgebookResults: z.literal(RESULTS_JSON_VERSION),
  notebook: z.string(),
  title: z.string(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  ok: z.boolean(),
  summary: z.strictObject({
    codeCells: z.number().int().nonnegative(),
    ok: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  cells: z.array(ResultsCell),
});
export type ResultsJson = z.infer<typeof ResultsJson>;

export function toResultsJson(run: NotebookRun, title: string): ResultsJson {
  const cells = run.cells.map((c) => {
    const r = c.run;
    return {
      cell: c.index + 1,
      kind: c.kind,
      language: c.language,
      source: c.source,
      status: r ? r.status : ('skipped' as const),
      executionOrder: r ? r.order : null,
      durationMs: r ? r.durationMs : null,
      declares: r ? [...r.declares] : [],
      results: r ? [...r.results] : [],
      problems: r
        ? r.problems.map((p) => ({
            code: p.code,
            message: p.message,
            line: p.range.startLine + 1,
            column: p.range.startColumn + 1,
            endLine: p.range.endLine + 1,
            endColumn: p.range.endColumn + 1,
          }))
        : [],
    };
  });
  const ran = cells.filter((c) => c.status !== 'skipped');
  return {
    hedgebookResults: RESULTS_JSON_VERSION,
    notebook: run.file,
    title,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    ok: run.ok,
    summary: {
      codeCells: ran.length,
      ok: ran.filter((c) => c.status === 'ok').length,
      failed: ran.filter((c) => c.status !== 'ok').length,
    },
    cells,
  };
}

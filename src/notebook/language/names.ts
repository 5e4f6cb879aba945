/** Names across cells: go to definition, find references and rename for the names cells
 *  declare (prices datasets, portfolios, instruments, pairs). Works on the occurrences the
 *  model collects from every cell's validated spec (names.ts declarationsOf / referencesOf), so
 *  a new kind's references are found as soon as referencesOf knows them. Pure. */
import type { Range } from '../location';
import { describeProblem } from '../messages';
import { parseName } from '../schemas';
import { contains, type Position } from './cursor';
import { occurrenceAt } from './hover';
import type { NotebookModel, Occurrence } from './model';
import type { CellEdit } from './problems';

export interface CellLocation {
  readonly cellId: string;
  readonly range: Range;
}

const at = (o: Occurrence): CellLocation => ({ cellId: o.cellId, range: o.range });

const same = (a: Occurrence, b: Occurrence) => a.kind === b.kind && a.name === b.name;

/** Where the name at `pos` is declared (several places when it is declared twice). */
export function definition(model: NotebookModel, cellId: string, pos: Position): CellLocation[] {
  const o = occurrenceAt(model, cellId, pos);
  if (!o) return [];
  return model.occurrences.filter((x) => x.role === 'declaration' && same(x, o)).map(at);
}

/** Every place the name at `pos` is written, declarations first when asked for. */
export function references(
  model: NotebookModel,
  cellId: string,
  pos: Position,
  includeDeclaration = true,
): CellLocation[] {
  const o = occurrenceAt(model, cellId, pos);
  if (!o) return [];
  const all = model.occurrences.filter((x) => same(x, o) && x.literal);
  return [
    ...(includeDeclaration ? all.filter((x) => x.role === 'declaration') : []),
    ...all.filter((x) => x.role === 'reference'),
  ].map(at);
}

export type RenameCheck =
  { ok: true; range: Range; placeholder: string } | { ok: false; message: string };

const refuse = (code: string, params: Record<string, string> = {}): RenameCheck => ({
  ok: false,
  message: describeProblem({ code, path: [], params }),
});

/** Whether the thing at `pos` can be renamed, and what the rename box starts with. */
export function prepareRename(model: NotebookModel, cellId: string, pos: Position): RenameCheck {
  const o = model.occurrences.find((x) => x.cellId === cellId && contains(x.range, pos));
  if (!o) return refuse('rename_not_a_name');
  if (!o.literal) return refuse('rename_derived_name', { kind: o.kind, name: o.name });
  return { ok: true, range: o.range, placeholder: o.name };
}

/** The edits that rename the name at `pos` in every cell that writes it. */
export function rename(
  model: NotebookModel,
  cellId: string,
  pos: Position,
  newName: string,
): { ok: true; edits: CellEdit[] } | { ok: false; message: string } {
  const check = prepareRename(model, cellId, pos);
  if (!check.ok) return check;
  const o = occurrenceAt(model, cellId, pos);
  if (!o) return refuse('rename_not_a_name') as { ok: false; message: string };
  const name = parseName(newName);
  if (name === undefined || name !== newName)
    return refuse('rename_bad_name', { name: newName }) as { ok: false; message: string };
  if (name === o.name) return { ok: true, edits: [] };
  if (model.declared(o.kind).includes(name))
    return refuse('rename_taken', { kind: o.kind, name }) as { ok: false; message: string };
  const edits = model.occurrences
    .filter((x) => same(x, o) && x.literal)
    .map((x) => {
      const text = model.cell(x.cellId)?.text.split('\n')[x.range.startLine] ?? '';
      const written = text.slice(x.range.startColumn, x.range.endColumn);
      const q = /^(['"]).*\1$/.exec(written)?.[1] ?? '';
      return { cellId: x.cellId, range: x.range, newText: `${q}${name}${q}` };
    });
  return { ok: true, edits };
}

/** The language service's view of a notebook: every cell checked as the kernel checks it, the
 *  names each cell declares and refers to (with their exact ranges), and the price datasets that
 *  have been loaded (from the prices cells' current results). Pure: built from cell texts and
 *  results, no I/O. Every editor feature (completions, hovers, problems, names) reads it. */
import type { CellResult } from '../../results';

type PricesResult = Extract<CellResult, { kind: 'prices' }>;
import { validateCell, type CheckedCell } from '../check';
import type { Range } from '../location';
import { declarationsOf, nameTable, referencesOf, type NameKind, type NameTable } from '../names';
import { parseCell } from '../parse';
import { parseName } from '../schemas';
import { DECLARING_KINDS, keyDoc } from './docs';
import type { CellSpec } from '../schemas';

/** One cell as the editor holds it. */
export interface LanguageCell {
  /** The cell document's id (its URI in VS Code). */
  readonly id: string;
  readonly kind: 'code' | 'markdown';
  readonly text: string;
  /** The results the cell shows, when they are current (not stale): hovers summarise them and
   *  a prices cell's result says which assets its dataset has. */
  readonly results?: readonly CellResult[];
}

export interface AnalyzedCell {
  readonly id: string;
  /** 1-based position in the notebook, as messages count cells. */
  readonly number: number;
  readonly text: string;
  readonly checked: CheckedCell | null;
  readonly results: readonly CellResult[];
}

/** A declared name where it is written: a declaration (`portfolio: core`) or a reference
 *  (`hedge: core`, `with: BTCUSDT-PERP`, `data: daily`). */
export interface Occurrence {
  readonly cellId: string;
  readonly kind: NameKind;
  readonly name: string;
  readonly role: 'declaration' | 'reference';
  readonly range: Range;
  /** The text at `range` is the name itself (possibly quoted); false for names the cell derives
   *  (`prices: data/daily.csv` declares `daily`, a pair without a name is `SOL/ETH`). */
  readonly literal: boolean;
}

/** A price dataset whose prices cell has run: what its columns and rows are. */
export interface Dataset {
  readonly name: string;
  readonly cellId: string;
  readonly result: PricesResult;
}

export interface NotebookModel {
  readonly cells: readonly AnalyzedCell[];
  cell(id: string): AnalyzedCell | undefined;
  readonly table: NameTable;
  readonly occurrences: readonly Occurrence[];
  /** Declared names by kind, in notebook order (each once). */
  declared(kind: NameKind): string[];
  /** Loaded datasets by name. */
  readonly datasets: ReadonlyMap<string, Dataset>;
  /** The dataset a cell reads (its `data:`, or the only one declared), if it has been loaded. */
  datasetFor(cellId: string): Dataset | undefined;
}

const unquote = (s: string) => s.replace(/^(['"])(.*)\1$/, '$2');

function occurrencesOf(cell: AnalyzedCell, spec: CellSpec): Occurrence[] {
  const parsed = cell.checked?.parsed;
  if (!parsed) return [];
  const out: Occurrence[] = [];
  const at = (path: readonly (string | number)[], name: string) => ({
    range: parsed.locate(path),
    literal: unquote(parsed.sourceAt(path) ?? '') === name,
  });
  for (const d of declarationsOf(spec)) {
    if (d.kind === 'settings') continue;
    out.push({
      cellId: cell.id,
      kind: d.kind,
      name: d.name,
      role: 'declaration',
      ...at(d.path, d.name),
    });
  }
  for (const r of referencesOf(spec)) {
    if (r.name === null || r.path.length === 0) continue;
    out.push({
      cellId: cell.id,
      kind: r.kind,
      name: r.name,
      role: 'reference',
      ...at(r.path, r.name),
    });
  }
  return out;
}

/** The names a cell that does not validate yet (a key missing while it is typed) still writes,
 *  read from its top-level keys and their metadata (`names:`), so hovers, definitions and
 *  renames keep working on it. */
function unvalidatedOccurrences(cell: AnalyzedCell): Occurrence[] {
  const parsed = cell.checked?.parsed;
  if (!parsed || parsed.kind === null || parsed.problems.length > 0) return [];
  const out: Occurrence[] = [];
  for (const [key, value] of Object.entries(parsed.value)) {
    if (typeof value !== 'string' || parseName(value) !== value) continue;
    const names = keyDoc(parsed.kind, key)?.names;
    const role =
      key === parsed.kindKey && DECLARING_KINDS.includes(parsed.kind) ? 'declaration' : 'reference';
    const kind = role === 'declaration' ? (parsed.kind as NameKind) : names;
    if (!kind || (role === 'declaration' && key === 'prices' && /\.(csv|json)$/i.test(value)))
      continue;
    out.push({
      cellId: cell.id,
      kind,
      name: value,
      role,
      range: parsed.locate([key]),
      literal: true,
    });
  }
  return out;
}

/** Checks every cell and collects names and datasets. O(cells). */
export function analyzeNotebook(cells: readonly LanguageCell[]): NotebookModel {
  const analyzed: AnalyzedCell[] = cells.map((c, i) => ({
    id: c.id,
    number: i + 1,
    text: c.text,
    checked: c.kind === 'code' ? validateCell(parseCell(c.text)) : null,
    results: c.results ?? [],
  }));
  const byId = new Map(analyzed.map((c) => [c.id, c]));
  const table = nameTable(
    analyzed.flatMap((c) =>
      c.checked ? [{ id: c.id, number: c.number, checked: c.checked }] : [],
    ),
  );
  const occurrences = analyzed.flatMap((c) =>
    c.checked?.spec ? occurrencesOf(c, c.checked.spec) : unvalidatedOccurrences(c),
  );

  const datasets = new Map<string, Dataset>();
  for (const c of analyzed) {
    const spec = c.checked?.spec;
    if (spec?.kind !== 'prices') continue;
    const result = c.results.find(
      (r): r is PricesResult => r.kind === 'prices' && r.name === spec.name,
    );
    if (result && !datasets.has(spec.name))
      datasets.set(spec.name, { name: spec.name, cellId: c.id, result });
  }

  const declared = (kind: NameKind): string[] => {
    const names: string[] = [];
    for (const o of occurrences)
      if (o.kind === kind && o.role === 'declaration' && !names.includes(o.name))
        names.push(o.name);
    return names;
  };

  return {
    cells: analyzed,
    cell: (id) => byId.get(id),
    table,
    occurrences,
    declared,
    datasets,
    datasetFor(cellId) {
      const spec = byId.get(cellId)?.checked?.spec;
      if (spec?.kind === 'prices') return datasets.get(spec.name);
      const chosen = spec && 'data' in spec ? spec.data : null;
      if (chosen) return datasets.get(chosen);
      const all = declared('prices');
      return all.length === 1 ? datasets.get(all[0] ?? '') : undefined;
    },
  };
}

/** The assets a cell could mean: its dataset's, else every loaded dataset's. */
export function knownAssets(model: NotebookModel, cellId: string): string[] {
  const own = model.datasetFor(cellId);
  if (own) return [...own.result.assets];
  const all = new Set<string>();
  for (const d of model.datasets.values()) for (const a of d.result.assets) all.add(a);
  return [...all];
}

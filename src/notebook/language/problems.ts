/** Problems before running, as the editor shows them while typing: syntax and schema (the
 *  kernel's check.ts), names across cells (names.ts: unknown, declared twice, a `data:` that
 *  does not exist), and unknown assets once the cell's dataset has been loaded, worded exactly as
 *  the kernel words them (cells/common.ts unknownAsset). Each carries its quick fixes: the
 *  did-you-mean replacement, and "declare instrument X" for an instrument no cell declares. Pure. */
import type { LocatedProblem, Range } from '../location';
import { unknownAsset } from '../cells/common';
import type { ParsedCell, Path } from '../parse';
import type { CellSpec } from '../schemas';
import { contains } from './cursor';
import type { AnalyzedCell, NotebookModel } from './model';

/** A text edit in one cell. */
export interface CellEdit {
  readonly cellId: string;
  readonly range: Range;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly CellEdit[];
  /** A new code cell inserted before the cell `before`. */
  readonly newCell?: { readonly before: string; readonly text: string };
  /** The fix to apply with one keystroke (the editor marks it preferred). */
  readonly preferred: boolean;
}

export interface EditorProblem extends LocatedProblem {
  readonly fixes: readonly Fix[];
}

/** Where a cell names assets, as the kernel checks them when it runs (the evaluators under
 *  cells/): the path, how the message says where, and whether the key or the value is marked.
 *  A new kind that refers to assets adds its case here. */
function assetReferences(
  spec: CellSpec,
): { path: Path; asset: string; where: string; part: 'key' | 'value' }[] {
  switch (spec.kind) {
    case 'portfolio':
      return spec.holdings.map((h) => ({
        path: ['holdings', h.asset],
        asset: h.asset,
        where: `portfolio ${spec.name}`,
        part: 'key' as const,
      }));
    case 'settings':
      return spec.benchmark.map((b) =>
        spec.benchmark.length === 1
          ? { path: ['benchmark'], asset: b.asset, where: 'the benchmark', part: 'value' as const }
          : {
              path: ['benchmark', b.asset],
              asset: b.asset,
              where: 'the benchmark',
              part: 'key' as const,
            },
      );
    case 'betas':
      return spec.target.kind === 'assets'
        ? spec.target.assets.map((a, i) => ({
            path: ['betas', i],
            asset: a,
            where: 'betas',
            part: 'value' as const,
          }))
        : [];
    case 'pair':
      return (['long', 'short'] as const).map((leg) => ({
        path: [leg, spec[leg].asset],
        asset: spec[leg].asset,
        where: `pair ${spec.name}`,
        part: 'key' as const,
      }));
    case 'instrument':
      return spec.underlying !== null
        ? [
            {
              path: ['underlying'],
              asset: spec.underlying,
              where: `instrument ${spec.name}`,
              part: 'value' as const,
            },
          ]
        : [];
    case 'stress':
      return spec.scenarios.flatMap((sc) =>
        Object.keys(sc.shocks).map((asset) => ({
          path: ['scenarios', sc.name, asset],
          asset,
          where: `scenario ${sc.name}`,
          part: 'key' as const,
        })),
      );
    default:
      return [];
  }
}

function assetProblems(model: NotebookModel, cell: AnalyzedCell): LocatedProblem[] {
  const spec = cell.checked?.spec;
  const parsed = cell.checked?.parsed;
  const dataset = model.datasetFor(cell.id);
  if (!spec || !parsed || !dataset || spec.kind === 'prices') return [];
  const known = dataset.result.assets;
  return assetReferences(spec)
    .filter((r) => !known.includes(r.asset))
    .map((r) => {
      const p = unknownAsset(parsed, r.path, r.asset, r.where, known);
      return r.part === 'value' ? { ...p, range: parsed.locate(r.path) } : p;
    });
}

/** The text a quick fix writes in place of `range`: the suggestion, keeping quotes. */
function replacement(parsed: ParsedCell | undefined, range: Range, suggestion: string): string {
  const lines = (parsed?.text ?? '').split('\n');
  const text =
    range.startLine === range.endLine
      ? (lines[range.startLine] ?? '').slice(range.startColumn, range.endColumn)
      : '';
  const q = /^(['"]).*\1$/.exec(text)?.[1];
  return q ? `${q}${suggestion}${q}` : suggestion;
}

/** A starting instrument cell for a name, read the way traders write them: `…USDT…` or `…USDC…`
 *  is linear, `…USD…` otherwise inverse; `PERP`/`SWAP` or no date is a perpetual; a trailing
 *  YYMMDD (`BTCUSD-261225`) is a dated future expiring then. */
export function instrumentDraft(name: string): string {
  const upper = name.toUpperCase();
  const date = /(\d{2})(\d{2})(\d{2})$/.exec(upper);
  const linear = /USD[TC]/.test(upper) || !/USD/.test(upper);
  const lines = [`instrument: ${name}`];
  if (date && !/PERP|SWAP/.test(upper)) {
    lines.push('type: future', `settlement: ${linear ? 'linear' : 'inverse'}`);
    lines.push(`expiry: 20${date[1]}-${date[2]}-${date[3]}`);
  } else {
    lines.push('type: perpetual', `settlement: ${linear ? 'linear' : 'inverse'}`);
  }
  lines.push(linear ? 'contract_size: 0.001' : 'contract_size: 100');
  return lines.join('\n');
}

function fixesFor(model: NotebookModel, cell: AnalyzedCell, p: LocatedProblem): Fix[] {
  const fixes: Fix[] = [];
  if (p.suggestion !== undefined) {
    fixes.push({
      title: `Change to ${p.suggestion}`,
      edits: [
        {
          cellId: cell.id,
          range: p.range,
          newText: replacement(cell.checked?.parsed, p.range, p.suggestion),
        },
      ],
      preferred: true,
    });
  }
  if (p.code === 'unknown_name') {
    const o = model.occurrences.find(
      (x) =>
        x.cellId === cell.id &&
        x.role === 'reference' &&
        x.kind === 'instrument' &&
        contains(x.range, { line: p.range.startLine, column: p.range.startColumn }),
    );
    if (o)
      fixes.push({
        title: `Declare instrument ${o.name} in a new cell above`,
        edits: [],
        newCell: { before: cell.id, text: instrumentDraft(o.name) },
        preferred: p.suggestion === undefined,
      });
  }
  return fixes;
}

/** Every problem of one cell that can be known without running it, with its fixes. */
export function cellProblems(model: NotebookModel, cellId: string): EditorProblem[] {
  const cell = model.cell(cellId);
  if (!cell?.checked) return [];
  const list = [
    ...cell.checked.problems,
    ...(model.table.problems.get(cellId) ?? []),
    ...assetProblems(model, cell),
  ];
  return list.map((p) => ({ ...p, fixes: fixesFor(model, cell, p) }));
}

/** The problems of every cell, by cell id (cells without problems get an empty list). */
export function notebookProblems(model: NotebookModel): Map<string, EditorProblem[]> {
  return new Map(model.cells.map((c) => [c.id, cellProblems(model, c.id)]));
}

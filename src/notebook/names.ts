/** Names between cells: what each cell declares (prices daily, portfolio core, instrument
 *  BTCUSDT-PERP, pair sol-eth, settings) and what it refers to, and the problems of a whole
 *  notebook's names: unknown names (with did-you-mean), names declared twice (both cells are
 *  told), no or ambiguous price data. Pure; the session and the editor's diagnostics use it. */
import type { LocatedProblem } from './location';
import { listed, locatedProblem, suggest, type ParsedCell, type Path } from './parse';
import { getOwn } from '../engine/own';
import type { CheckedCell } from './check';
import type { CellSpec } from './schemas';

export type NameKind =
  'prices' | 'settings' | 'portfolio' | 'instrument' | 'pair' | 'funding' | 'position';

/** The kinds whose first key declares a name of their own (settings is "the" settings and
 *  declares none): declarationsOf below, and the editor's language service. */
export const DECLARING_KINDS: readonly NameKind[] = [
  'prices',
  'portfolio',
  'instrument',
  'pair',
  'funding',
  'position',
];

export interface Declaration {
  readonly kind: NameKind;
  readonly name: string;
  /** Where the name is written in the cell (a path into the cell's value). */
  readonly path: Path;
}

export interface Reference {
  readonly kind: NameKind;
  /** null: "the" one (the only price dataset; the settings cell, if any). */
  readonly name: string | null;
  readonly path: Path;
  /** An optional reference (settings) is fine when nothing declares it: defaults apply. */
  readonly optional: boolean;
}

/** "portfolio core", "instrument BTCUSDT-PERP", "settings": the key of a declaration. */
export function declarationKey(d: { kind: NameKind; name: string }): string {
  return d.kind === 'settings' ? 'settings' : `${d.kind} ${d.name}`;
}

export function declarationsOf(spec: CellSpec): Declaration[] {
  switch (spec.kind) {
    case 'prices':
      return [{ kind: 'prices', name: spec.name, path: ['prices'] }];
    case 'settings':
      return [{ kind: 'settings', name: 'settings', path: [] }];
    case 'portfolio':
      return [{ kind: 'portfolio', name: spec.name, path: ['portfolio'] }];
    case 'instrument':
      return [{ kind: 'instrument', name: spec.name, path: ['instrument'] }];
    case 'pair':
      return [{ kind: 'pair', name: spec.name, path: ['pair'] }];
    case 'funding':
      return [{ kind: 'funding', name: spec.name, path: ['funding'] }];
    case 'position':
      return [{ kind: 'position', name: spec.name, path: ['position'] }];
    default:
      return [];
  }
}

/** The name a cell that failed its checks was meant to declare (`instrument: T` with a bad key
 *  below), read from its first key, or null. */
function attemptedDeclaration(parsed: ParsedCell): { kind: NameKind; name: string } | null {
  const kind = parsed.kind;
  if (!kind || !parsed.kindKey || kind === 'settings') return null;
  if (!(DECLARING_KINDS as readonly string[]).includes(kind)) return null;
  const name = getOwn(parsed.value, parsed.kindKey);
  return typeof name === 'string' && name.trim() !== ''
    ? { kind: kind as NameKind, name: name.trim() }
    : null;
}

export function referencesOf(spec: CellSpec): Reference[] {
  if (spec.kind === 'prices' || spec.kind === 'funding') return [];
  const refs: Reference[] = [
    { kind: 'prices', name: spec.data, path: spec.data ? ['data'] : [], optional: false },
  ];
  if (spec.kind !== 'settings')
    refs.push({ kind: 'settings', name: null, path: [], optional: true });
  if (spec.kind === 'betas' && spec.target.kind === 'portfolio')
    refs.push({ kind: 'portfolio', name: spec.target.name, path: ['betas'], optional: false });
  if (spec.kind === 'hedge') {
    refs.push({ kind: 'portfolio', name: spec.portfolio, path: ['hedge'], optional: false });
    refs.push({ kind: 'instrument', name: spec.instrument, path: ['with'], optional: false });
  }
  if (spec.kind === 'simulate') {
    refs.push({ kind: 'portfolio', name: spec.portfolio, path: ['simulate'], optional: false });
    refs.push({ kind: 'instrument', name: spec.instrument, path: ['with'], optional: false });
    if (spec.funding?.kind === 'data')
      refs.push({ kind: 'funding', name: spec.funding.name, path: ['funding'], optional: false });
  }
  if (spec.kind === 'pair' && spec.instrument)
    refs.push({
      kind: 'instrument',
      name: spec.instrument,
      path: ['hedge_with'],
      optional: false,
    });
  if (spec.kind === 'stress') {
    refs.push({ kind: 'portfolio', name: spec.portfolio, path: ['stress'], optional: false });
    if (spec.hedge)
      refs.push({
        kind: 'instrument',
        name: spec.hedge.instrument,
        path: ['hedge', 'with'],
        optional: false,
      });
    if (spec.position)
      refs.push({ kind: 'position', name: spec.position, path: ['held'], optional: false });
  }
  if (spec.kind === 'basis') {
    refs.push({ kind: 'portfolio', name: spec.portfolio, path: ['basis'], optional: false });
    spec.candidates.forEach((c, i) => {
      if (c.kind === 'instrument')
        refs.push({ kind: 'instrument', name: c.name, path: ['compare', i], optional: false });
    });
  }
  if (spec.kind === 'position') {
    refs.push({ kind: 'portfolio', name: spec.portfolio, path: ['hedges'], optional: false });
    refs.push({ kind: 'instrument', name: spec.instrument, path: ['with'], optional: false });
    if (spec.funding)
      refs.push({ kind: 'funding', name: spec.funding, path: ['funding'], optional: false });
  }
  return refs;
}

export interface NamedCell {
  readonly id: string;
  /** 1-based position among all cells of the notebook, as the user counts them. */
  readonly number: number;
  readonly checked: CheckedCell;
}

export interface NameTable {
  /** Declaration key -> ids of the cells declaring it, in notebook order. */
  readonly declared: ReadonlyMap<string, readonly string[]>;
  /** Per cell id: the name problems of that cell. */
  readonly problems: ReadonlyMap<string, LocatedProblem[]>;
  /** Resolves a reference to the id of the cell that declares it (null when none or ambiguous). */
  resolve(ref: Reference): string | null;
}

/** Builds the name table of a notebook: who declares what, and every name problem. O(cells). */
export function nameTable(cells: readonly NamedCell[]): NameTable {
  const declared = new Map<string, string[]>();
  const byKind = new Map<NameKind, string[]>();
  const where = new Map<string, NamedCell>();
  // Cells that declare a name but have errors of their own: a reference to that name points the
  // user at the cell to fix, not at an "unknown" name.
  const broken = new Map<string, NamedCell>();
  for (const c of cells) {
    where.set(c.id, c);
    const spec = c.checked.spec;
    if (!spec) {
      const attempted = attemptedDeclaration(c.checked.parsed);
      if (attempted && !broken.has(declarationKey(attempted)))
        broken.set(declarationKey(attempted), c);
      continue;
    }
    for (const d of declarationsOf(spec)) {
      const key = declarationKey(d);
      const list = declared.get(key) ?? [];
      if (list.length === 0) {
        const names = byKind.get(d.kind);
        if (names) names.push(d.name);
        else byKind.set(d.kind, [d.name]);
      }
      list.push(c.id);
      declared.set(key, list);
    }
  }
  const problems = new Map<string, LocatedProblem[]>();
  const add = (id: string, p: LocatedProblem) => problems.set(id, [...(problems.get(id) ?? []), p]);

  for (const c of cells) {
    const spec = c.checked.spec;
    if (!spec) continue;
    for (const d of declarationsOf(spec)) {
      const ids = declared.get(declarationKey(d)) ?? [];
      if (ids.length < 2) continue;
      const others = ids.filter((x) => x !== c.id).map((x) => where.get(x)?.number ?? 0);
      add(
        c.id,
        locatedProblem(
          {
            code: 'duplicate_name',
            path: d.path,
            params: {
              kind: d.kind,
              name: d.name,
              cell: c.number,
              other: listed(others.map(String)),
            },
          },
          c.checked.parsed.locate(d.path),
        ),
      );
    }
    for (const r of referencesOf(spec)) {
      const names = byKind.get(r.kind) ?? [];
      if (r.name === null) {
        if (r.kind !== 'prices') continue;
        if (names.length === 0)
          add(
            c.id,
            locatedProblem({ code: 'no_prices_declared', path: [] }, c.checked.parsed.locate([])),
          );
        else if (names.length > 1)
          add(
            c.id,
            locatedProblem(
              { code: 'ambiguous_prices', path: [], params: { declared: listed(names) } },
              c.checked.parsed.locate([]),
            ),
          );
        continue;
      }
      const key = declarationKey({ kind: r.kind, name: r.name });
      if (declared.has(key)) continue;
      const failing = broken.get(key);
      if (failing) {
        add(
          c.id,
          locatedProblem(
            {
              code: 'upstream_failed',
              path: r.path,
              params: { kind: r.kind, name: r.name, cell: failing.number },
            },
            c.checked.parsed.locate(r.path),
          ),
        );
        continue;
      }
      const params: Record<string, string> = {
        kind: r.kind,
        name: r.name,
        declared: listed(names),
      };
      const s = suggest(r.name, names);
      if (s) params.suggestion = s;
      add(
        c.id,
        locatedProblem(
          { code: 'unknown_name', path: r.path, params },
          c.checked.parsed.locate(r.path),
        ),
      );
    }
  }

  return {
    declared,
    problems,
    resolve(ref) {
      if (ref.name !== null) {
        const ids = declared.get(declarationKey({ kind: ref.kind, name: ref.name })) ?? [];
        return ids.length === 1 ? (ids[0] ?? null) : null;
      }
      const names = byKind.get(ref.kind) ?? [];
      if (names.length !== 1) return null;
      const ids = declared.get(declarationKey({ kind: ref.kind, name: names[0] ?? '' })) ?? [];
      return ids.length === 1 ? (ids[0] ?? null) : null;
    },
  };
}

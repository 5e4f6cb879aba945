/** The `hedge` cell language, step 1: YAML text -> the cell's kind, its head value and its body,
 *  with every node's place in the text kept so later problems point at the exact key or value.
 *
 *  A cell is one YAML mapping. Its FIRST key says what the cell is:
 *    prices: NAME | portfolio: NAME | instrument: NAME | betas: TARGET | hedge: PORTFOLIO | pair: NAME
 *    | funding: NAME | simulate: PORTFOLIO
 *    settings: (or a cell starting with benchmark:, returns:, window: or frequency:)
 *  The first key's value is the "head" (the name the cell declares, or what it is about). When
 *  the head is itself a mapping (`pair: { long: ..., short: ... }`), its entries are body keys. */
import {
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
import { describeProblem } from './messages';
import type { Problem } from '../engine/result';
import { MAX_ALIAS_EXPANSION, MAX_CELL_CHARS, MAX_CELL_NESTING } from './limits';
import { OffsetMap, type LocatedProblem, type Range } from './location';

export type Path = readonly (string | number)[];

export const CELL_KINDS = [
  'prices',
  'settings',
  'portfolio',
  'instrument',
  'betas',
  'hedge',
  'pair',
  'funding',
  'simulate',
  'stress',
  'basis',
  'position',
] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/** A cell whose first key is one of these is a settings cell (the key is then a body key). */
export const SETTINGS_KEYS = ['benchmark', 'returns', 'window', 'frequency'] as const;

/** Kinds the design plans but this version does not evaluate yet (named in the error). */
export const PLANNED_KINDS = [] as const;

export interface ParsedCell {
  readonly text: string;
  /** Only comments or blank lines: nothing to check or run. */
  readonly empty: boolean;
  readonly kind: CellKind | null;
  /** The key that named the kind (null for a settings cell that starts with `benchmark:`...). */
  readonly kindKey: string | null;
  /** The object the kind's schema validates: `{ [kindKey]: head, ...body }`. */
  readonly value: Record<string, unknown>;
  /** Syntax and structure problems (YAML errors, not a mapping, unknown kind). */
  readonly problems: LocatedProblem[];
  /** Range of the node at `path` (a path into `value`, as zod reports it). */
  locate(path: Path, part?: 'key' | 'value'): Range;
  /** The source text at `path`, for "got ..." in messages. */
  sourceAt(path: Path): string | null;
  /** Turns problems whose paths point into `value` into located problems. */
  locateProblems(problems: readonly Problem[], part?: 'key' | 'value'): LocatedProblem[];
}

type AnyNode = Node | null | undefined;

interface Found {
  node: AnyNode;
  key: AnyNode;
}

/** A mapping's pairs by key (the first pair of a key wins), built once per mapping so that
 *  locating many problems in a large mapping stays linear. */
type KeyIndex = WeakMap<object, Map<string, { node: AnyNode; key: AnyNode }>>;

function pairsOf(index: KeyIndex, map: YAMLMap): Map<string, { node: AnyNode; key: AnyNode }> {
  let pairs = index.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const pair of map.items) {
      const k = pair.key as AnyNode;
      const name = String(isScalar(k) ? k.value : k);
      if (!pairs.has(name)) pairs.set(name, { node: pair.value as AnyNode, key: k });
    }
    index.set(map, pairs);
  }
  return pairs;
}

function findIn(root: AnyNode, path: Path, index: KeyIndex): { found: Found; depth: number } {
  let current: Found = { node: root, key: null };
  let depth = 0;
  for (const step of path) {
    const node = current.node;
    let next: Found | null = null;
    if (isMap(node)) {
      next = pairsOf(index, node).get(String(step)) ?? null;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as AnyNode;
      if (item !== undefined) next = { node: item, key: null };
    }
    if (!next) break;
    current = next;
    depth++;
  }
  return { found: current, depth };
}

function rangeOf(node: AnyNode): [number, number] | null {
  const r = node?.range;
  return r ? [r[0], r[1]] : null;
}

/** Edit distance (optimal string alignment: insertions, deletions, substitutions, swaps), for did-you-mean suggestions. O(a·b) on short words. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  let prevPrev = prev;
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      // A swap of two neighbours ('lgo' -> 'log') counts as one edit.
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      row.push(d);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[y.length] ?? 0;
}

/** The closest candidate within a small edit distance (or differing only in case), if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestD <= limit ? best : undefined;
}

/** Names for a message, at most `max` of them: 'BTC, ETH, SOL' or 'A, B, … (2,500 in all)', so a
 *  message stays short however many names a notebook or a file has. */
export function listed(names: readonly string[], max = 20): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, … (${names.length.toLocaleString('en-US')} in all)`;
}

export function locatedProblem(problem: Problem, range: Range): LocatedProblem {
  const s = problem.params?.suggestion;
  return {
    code: problem.code,
    message: describeProblem(problem),
    range,
    ...(typeof s === 'string' ? { suggestion: s } : {}),
  };
}

/** Offset of the first bracket ([ or {) opened deeper than `max`, or -1. Brackets inside quotes
 *  and comments count too: a cell never needs that many, whatever they are. O(n). */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return -1;
}

/** A problem with the cell as a whole that stops it from being parsed at all. */
function refusal(text: string, offsets: OffsetMap): LocatedProblem | null {
  if (text.length > MAX_CELL_CHARS)
    return locatedProblem(
      { code: 'cell_too_large', path: [], params: { chars: text.length, max: MAX_CELL_CHARS } },
      offsets.firstLine(),
    );
  const deep = tooDeepAt(text, MAX_CELL_NESTING);
  if (deep >= 0)
    return locatedProblem(
      { code: 'cell_too_deep', path: [], params: { max: MAX_CELL_NESTING } },
      offsets.range(deep, deep + 1),
    );
  return null;
}

/** The first alias (*name) of a document, where an alias problem is shown. */
function firstAlias(doc: Document.Parsed | undefined): AnyNode {
  let found: AnyNode = null;
  if (doc)
    visit(doc, {
      Alias(_key, node) {
        found = node;
        return visit.BREAK;
      },
    });
  return found;
}

/** Keys given twice in any mapping of the document, each located at its second place. The yaml
 *  library's own check (uniqueKeys) compares every key with every other: quadratic in a large
 *  mapping; this is one Set per mapping. Keys are compared as the object keys they become. */
function duplicateKeys(doc: Document.Parsed | undefined, offsets: OffsetMap): LocatedProblem[] {
  const out: LocatedProblem[] = [];
  if (!doc) return out;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key as AnyNode;
        if (!isScalar(k)) continue;
        const name = String(k.value);
        if (!seen.has(name)) {
          seen.add(name);
          continue;
        }
        const r = rangeOf(k) ?? [0, 0];
        out.push(
          locatedProblem(
            { code: 'duplicate_key', path: [name], params: { key: name } },
            offsets.range(r[0], r[1]),
          ),
        );
      }
    },
  });
  return out;
}

/** Parses one cell. Never throws on user text; problems are returned located. Time and memory
 *  are bounded by the limits (limits.ts): size, nesting and alias expansion. */
export function parseCell(text: string): ParsedCell {
  const offsets = new OffsetMap(text);
  const problems: LocatedProblem[] = [];
  const refused = refusal(text, offsets);
  if (refused) problems.push(refused);
  const docs = refused ? [] : parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const nonEmpty = list.filter((d) => d.contents !== null);
  const doc = nonEmpty[0] ?? list[0];
  if (nonEmpty.length > 1) {
    const second = nonEmpty[1];
    const r = rangeOf(second?.contents as AnyNode) ?? [0, text.length];
    problems.push(
      locatedProblem(
        { code: 'several_documents', path: [], params: { count: nonEmpty.length } },
        offsets.range(r[0], r[1]),
      ),
    );
  }
  for (const d of list) {
    for (const e of d.errors) {
      const detail = e.message.split('\n')[0] ?? '';
      // The yaml library reports its own stack overflow on very deep block nesting.
      const deep = /maximum call stack/i.test(detail);
      problems.push(
        locatedProblem(
          deep
            ? { code: 'cell_too_deep', path: [], params: { max: MAX_CELL_NESTING } }
            : { code: 'yaml_syntax', path: [], params: { detail } },
          offsets.range(e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)),
        ),
      );
    }
  }

  if (problems.length === 0) problems.push(...duplicateKeys(doc, offsets));

  // Where each key of `value` lives in the document (a prefix to prepend to zod's paths).
  const prefixes = new Map<string, Path>();
  // No prototype: keys such as __proto__, constructor or toString are plain keys of the cell.
  const value = Object.create(null) as Record<string, unknown>;
  const keyIndex: KeyIndex = new WeakMap();
  let kind: CellKind | null = null;
  let kindKey: string | null = null;
  const contents = (doc?.contents ?? null) as AnyNode;
  const empty = contents === null || (isScalar(contents) && contents.value === null);

  const cell: ParsedCell = {
    text,
    empty: empty && problems.length === 0,
    get kind() {
      return kind;
    },
    get kindKey() {
      return kindKey;
    },
    value,
    problems,
    locate(path, part = 'value') {
      const head = path[0];
      const docPath = head !== undefined ? [...(prefixes.get(String(head)) ?? []), ...path] : [];
      const { found, depth } = findIn(contents, docPath, keyIndex);
      const complete = depth === docPath.length;
      // A missing key is shown at its parent's key (or the cell's first line).
      const r0 = rangeOf(found.node);
      const emptyValue = !r0 || r0[0] === r0[1];
      const useKey = (part === 'key' || !complete || emptyValue) && found.key;
      const r = rangeOf(useKey ? found.key : found.node) ?? rangeOf(found.key);
      if (!r || depth === 0) return offsets.firstLine();
      return offsets.range(r[0], r[1]);
    },
    sourceAt(path) {
      const head = path[0];
      if (head === undefined) return null;
      const docPath = [...(prefixes.get(String(head)) ?? []), ...path];
      const { found, depth } = findIn(contents, docPath, keyIndex);
      if (depth !== docPath.length) return null;
      const r = rangeOf(found.node);
      return r ? text.slice(r[0], r[1]).trim() : null;
    },
    locateProblems(list, part = 'value') {
      return list.map((p) => locatedProblem(p, cell.locate(p.path, part)));
    },
  };
  if (problems.length > 0 || empty) return cell;

  if (!isMap(contents)) {
    const r = rangeOf(contents) ?? [0, text.length];
    problems.push(
      locatedProblem(
        { code: 'not_a_mapping', path: [], params: { known: knownKindWords() } },
        offsets.range(r[0], r[1]),
      ),
    );
    return cell;
  }
  const first = contents.items[0];
  const firstKey = first && isScalar(first.key) ? String(first.key.value) : null;
  if (firstKey === null) {
    problems.push(
      locatedProblem(
        { code: 'not_a_mapping', path: [], params: { known: knownKindWords() } },
        offsets.firstLine(),
      ),
    );
    return cell;
  }
  if ((CELL_KINDS as readonly string[]).includes(firstKey)) {
    kind = firstKey as CellKind;
    kindKey = firstKey;
  } else if ((SETTINGS_KEYS as readonly string[]).includes(firstKey)) {
    kind = 'settings';
  } else {
    const r = rangeOf(first?.key as AnyNode) ?? [0, 0];
    const planned = (PLANNED_KINDS as readonly string[]).includes(firstKey);
    const params: Record<string, string | boolean> = {
      kind: firstKey,
      known: knownKindWords(),
      planned,
    };
    const s = planned ? undefined : suggest(firstKey, [...CELL_KINDS, ...SETTINGS_KEYS]);
    if (s) params.suggestion = s;
    problems.push(
      locatedProblem({ code: 'unknown_kind', path: [], params }, offsets.range(r[0], r[1])),
    );
    return cell;
  }

  let js: Record<string, unknown>;
  try {
    js = (doc?.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION }) ?? {}) as Record<string, unknown>;
  } catch (e) {
    // The yaml library throws (ReferenceError) when aliases expand past the limit.
    const alias = firstAlias(doc);
    const r = rangeOf(alias) ?? [0, 0];
    const detail = e instanceof Error ? e.message : String(e);
    problems.push(
      locatedProblem(
        /alias/i.test(detail)
          ? { code: 'yaml_aliases', path: [], params: { max: MAX_ALIAS_EXPANSION } }
          : { code: 'yaml_syntax', path: [], params: { detail } },
        alias ? offsets.range(r[0], r[1]) : offsets.firstLine(),
      ),
    );
    return cell;
  }
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const node = pair.value as AnyNode;
    if (key === kindKey && isMap(node)) {
      // Inline body: `pair: { long: ..., short: ... }`; the head is absent.
      value[key] = undefined;
      const inline = js[key] as Record<string, unknown> | undefined;
      for (const inner of node.items) {
        const k = isScalar(inner.key) ? String(inner.key.value) : String(inner.key);
        if (Object.hasOwn(value, k) || prefixes.has(k)) {
          const r = rangeOf(inner.key as AnyNode) ?? [0, 0];
          problems.push(
            locatedProblem(
              { code: 'duplicate_key', path: [k], params: { key: k } },
              offsets.range(r[0], r[1]),
            ),
          );
          continue;
        }
        prefixes.set(k, [key]);
        value[k] = inline && Object.hasOwn(inline, k) ? (inline[k] ?? null) : null;
      }
      continue;
    }
    if (prefixes.has(key)) {
      const r = rangeOf(pair.key as AnyNode) ?? [0, 0];
      problems.push(
        locatedProblem(
          { code: 'duplicate_key', path: [key], params: { key } },
          offsets.range(r[0], r[1]),
        ),
      );
      continue;
    }
    prefixes.set(key, []);
    value[key] = Object.hasOwn(js, key) ? (js[key] ?? null) : null;
  }
  return cell;
}

/** "prices, settings (benchmark/returns/window/frequency), portfolio, ..." for messages. */
export function knownKindWords(): string {
  return CELL_KINDS.map((k) => (k === 'settings' ? `settings (or ${SETTINGS_KEYS.join('/')})` : k))
    .join(', ')
    .replace(/, ([^,]*)$/, ' and $1');
}

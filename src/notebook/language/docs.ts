/** The documentation of cell kinds and keys, read from the zod schemas' metadata (meta.ts):
 *  what completions, hovers and the key tables of docs/language.md say. Pure. */
import type { z } from 'zod';
import { isKeyMeta, isKindMeta, type KeyMeta, type KindMeta } from '../meta';
import { CELL_KINDS, type CellKind } from '../parse';
import { CELL_SCHEMAS } from '../schemas';
import { DECLARING_KINDS as DECLARING } from '../names';

/** The kinds whose first key declares a name (settings declares none): names.ts owns the list. */
export const DECLARING_KINDS: readonly string[] = DECLARING;

export interface KeyDoc extends KeyMeta {
  readonly key: string;
  /** zod requires it (not `.optional()`). */
  readonly required: boolean;
}

type Shape = Record<string, z.ZodType>;

/** The object schema of a kind (before its transform). */
function objectOf(kind: CellKind): { shape: Shape; meta(): unknown } {
  const schema = CELL_SCHEMAS[kind] as unknown as {
    in?: { shape: Shape; meta(): unknown };
    shape?: Shape;
    meta(): unknown;
  };
  if (schema.in?.shape) return schema.in;
  if (schema.shape) return schema as { shape: Shape; meta(): unknown };
  throw new Error(`CELL_SCHEMAS.${kind} is not an object schema`);
}

/** The kinds the language knows, in the order of CELL_KINDS. */
export function kinds(): readonly CellKind[] {
  return CELL_KINDS.filter((k) => k in CELL_SCHEMAS);
}

/** A kind's description and example, or undefined when its schema has none (a test fails). */
export function kindDoc(kind: CellKind): KindMeta | undefined {
  const m = objectOf(kind).meta();
  return isKindMeta(m) ? m : undefined;
}

/** Every key a kind accepts, in schema order, with its documentation; keys without
 *  documentation are left out here (keysWithoutDocs lists them, and a test fails on them). */
export function keyDocs(kind: CellKind): KeyDoc[] {
  const shape = objectOf(kind).shape;
  return Object.entries(shape).flatMap(([key, schema]) => {
    const m = schema.meta();
    if (!isKeyMeta(m)) return [];
    return [{ ...m, key, required: !schema.safeParse(undefined).success }];
  });
}

export function keyDoc(kind: CellKind, key: string): KeyDoc | undefined {
  return keyDocs(kind).find((d) => d.key === key);
}

/** Keys whose schema carries no `.meta(key({...}))`. */
export function keysWithoutDocs(kind: CellKind): string[] {
  const shape = objectOf(kind).shape;
  return Object.keys(shape).filter((k) => !isKeyMeta(shape[k]?.meta()));
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => (s === '' ? '' : `\`${s}\``);

/** The rows of a kind's key table in docs/language.md: key, default, example, description. */
export function keyTableRows(kind: CellKind): string[][] {
  return keyDocs(kind).map((d) => [
    code(d.key),
    cell(d.default),
    cell(code(d.example)),
    cell(d.description),
  ]);
}

export const KEY_TABLE_HEADER = ['key', 'default', 'example', ''];

/** The markdown table of a kind's keys (docs/language.md, between `<!-- keys:KIND -->` and
 *  `<!-- /keys -->`). Prettier pads it when the docs are written. */
export function keyTable(kind: CellKind): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(KEY_TABLE_HEADER),
    line(KEY_TABLE_HEADER.map(() => '---')),
    ...keyTableRows(kind).map(line),
  ].join('\n');
}

/** The keys a kind's completion snippet fills: the kind's own key, the required keys and those
 *  marked `snippet`. */
export function snippetKeys(kind: CellKind): KeyDoc[] {
  return keyDocs(kind).filter((d) => d.required || d.snippet === true);
}

/** Markdown for a key: its description, default and example (also what hovers say). */
export function keyMarkdown(kind: CellKind, d: KeyDoc): string {
  const lines = [`**${d.key}** (${kind} cell): ${d.description}`, ''];
  lines.push(d.default === 'required' ? 'Required.' : `Default: ${d.default}.`);
  if (d.values && d.values.length > 0)
    lines.push('', `One of: ${d.values.map((v) => `\`${v}\``).join(', ')}.`);
  if (d.example !== '') lines.push('', '```yaml', `${d.key}: ${d.example}`, '```');
  return lines.join('\n');
}

/** Markdown for a kind: its description and a whole example cell. */
export function kindMarkdown(kind: CellKind): string {
  const doc = kindDoc(kind);
  if (!doc) return `**${kind}** cell`;
  return [`**${kind}** cell: ${doc.description}`, '', '```yaml', doc.example, '```'].join('\n');
}

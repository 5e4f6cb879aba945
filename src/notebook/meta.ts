/** What each cell kind and each key of the `hedge` language means, written ON the zod schemas
 *  (schemas.ts) with zod's `.meta()`: the one source for the editor's completions and hovers
 *  (src/notebook/language) and for the key tables of docs/language.md (`npm run docs` writes
 *  them; test/notebook/language-docs.test.ts checks that every key of every schema is documented
 *  and that the docs say what the schemas say).
 *
 *  Adding a cell kind: give its object schema `.meta(kind({ ... }))` and every key
 *  `.meta(key({ ... }))`, register it in CELL_SCHEMAS, add a `## <kind>` section with an empty
 *  `<!-- keys:<kind> --><!-- /keys -->` block to docs/language.md and run `npm run docs`.
 *  Imports only zod's types: schemas.ts imports this file. */

/** A declared name's kind, as names.ts knows them. */
export type NameKindMeta = 'prices' | 'portfolio' | 'instrument' | 'pair' | 'funding' | 'position';

export interface KeyMeta {
  /** What the key is, one line of markdown (hover, completion detail, docs table). */
  readonly description: string;
  /** The default as markdown (`` `0` ``, "all", "none"), or 'required'. */
  readonly default: string;
  /** A value as the user types it after `key: ` (`0.5`, `[BTC, ETH]`, `data/daily.csv`). */
  readonly example: string;
  /** The only words the value can be (completions offer them). */
  readonly values?: readonly string[];
  /** The value names something another cell declares (completions offer the declared names). */
  readonly names?: NameKindMeta;
  /** The value holds asset symbols (a symbol, a list, or a mapping keyed by symbol). */
  readonly assets?: boolean;
  /** The value is a file relative to the notebook. */
  readonly file?: boolean;
  /** Other words the value may be, offered besides names and assets (`betas: all`). */
  readonly words?: readonly string[];
  /** Part of the snippet the kind's completion inserts (required keys always are). */
  readonly snippet?: boolean;
}

export interface KindMeta {
  /** What the cell does, one line of markdown. */
  readonly description: string;
  /** A whole cell that runs (given the data and names it refers to), shown on hover. */
  readonly example: string;
}

/** zod's metadata type: any keys. */
type Meta<T> = T & Record<string, unknown>;

/** `.meta(key({...}))` on a key's schema; tagged so readers can tell it from other metadata. */
export function key(meta: KeyMeta): Meta<KeyMeta & { readonly hedgeKey: true }> {
  return { ...meta, hedgeKey: true };
}

/** `.meta(kind({...}))` on a cell kind's object schema (before its `.transform`). */
export function kind(meta: KindMeta): Meta<KindMeta & { readonly hedgeKind: true }> {
  return { ...meta, hedgeKind: true };
}

export function isKeyMeta(m: unknown): m is KeyMeta {
  return typeof m === 'object' && m !== null && (m as { hedgeKey?: unknown }).hedgeKey === true;
}

export function isKindMeta(m: unknown): m is KindMeta {
  return typeof m === 'object' && m !== null && (m as { hedgeKind?: unknown }).hedgeKind === true;
}

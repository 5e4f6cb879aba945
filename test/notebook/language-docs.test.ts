/* The schemas are the one source of what keys exist: every key of every cell kind carries its
 * documentation (.meta(key({...})) in src/notebook/schemas.ts), docs/language.md shows it (the
 * key tables are written by `npm run docs`), and each example is a value the key accepts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  keyDocs,
  keyTableRows,
  kindDoc,
  kinds,
  keysWithoutDocs,
} from '../../src/notebook/language/docs';
import { validateCell } from '../../src/notebook/check';
import { parseCell } from '../../src/notebook/parse';
import { CELL_SCHEMAS, keysOf } from '../../src/notebook/schemas';

const DOCS = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'language.md'), 'utf8');

/** The rows of the table between <!-- keys:KIND --> and <!-- /keys -->, cells trimmed. */
function docRows(kind: string): string[][] | undefined {
  const m = new RegExp(`<!-- keys:${kind} -->([\\s\\S]*?)<!-- /keys -->`).exec(DOCS);
  if (!m) return undefined;
  return (m[1] ?? '')
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2) // header and rule
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

describe('cell language docs come from the schemas', () => {
  it('every cell kind has a description and an example that validates', () => {
    for (const kind of Object.keys(CELL_SCHEMAS) as (keyof typeof CELL_SCHEMAS)[]) {
      const doc = kindDoc(kind);
      assert.ok(
        doc,
        `cell kind '${kind}' has no documentation: add .meta(kind({ description, example })) ` +
          'to its object schema in src/notebook/schemas.ts (see src/notebook/meta.ts)',
      );
      const checked = validateCell(parseCell(doc.example));
      assert.equal(checked.parsed.kind, kind, `the example of '${kind}' is a ${kind} cell`);
      assert.deepEqual(checked.problems, [], `the example of '${kind}' validates`);
    }
  });

  it('every key of every schema has a description, a default and an example', () => {
    for (const kind of kinds()) {
      assert.deepEqual(
        keysWithoutDocs(kind),
        [],
        `keys of '${kind}' without documentation: add .meta(key({ description, default, ` +
          'example })) to each in src/notebook/schemas.ts (see src/notebook/meta.ts)',
      );
      for (const d of keyDocs(kind)) {
        assert.ok(d.description.trim().length > 0, `${kind}.${d.key}: empty description`);
        assert.ok(!d.description.includes('\n'), `${kind}.${d.key}: one line`);
        assert.ok(d.default.trim().length > 0, `${kind}.${d.key}: empty default`);
      }
    }
  });

  it('every key example is a value its key accepts', () => {
    for (const kind of kinds()) {
      const shape = (CELL_SCHEMAS[kind] as unknown as { in: { shape: Record<string, unknown> } }).in
        .shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      for (const d of keyDocs(kind)) {
        const value: unknown = parseYaml(d.example === '' ? '~' : d.example);
        const r = shape[d.key]?.safeParse(value);
        assert.ok(r?.success, `${kind}.${d.key}: the example '${d.example}' is refused`);
        for (const v of d.values ?? [])
          assert.ok(shape[d.key]?.safeParse(v).success, `${kind}.${d.key}: value ${v} refused`);
      }
    }
  });

  it('docs/language.md shows every key of every kind, as the schemas describe it', () => {
    for (const kind of kinds()) {
      const rows = docRows(kind);
      assert.ok(
        rows,
        `docs/language.md has no key table for '${kind}': add <!-- keys:${kind} --> and ` +
          '<!-- /keys --> to its section, then run npm run docs',
      );
      assert.deepEqual(
        rows.map((r) => r[0]),
        keysOf(kind).map((k) => `\`${k}\``),
        `docs/language.md lists the keys of '${kind}' (npm run docs rewrites the table)`,
      );
      assert.deepEqual(
        rows,
        keyTableRows(kind),
        `the key table of '${kind}' in docs/language.md is out of date: run npm run docs`,
      );
    }
  });
});

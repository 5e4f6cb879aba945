/** fast-check generators of valid `.hedgebook` models (shared by the file-format and
 *  serializer tests). Objects have ordinary prototypes so deep equality compares like with like. */
import fc from 'fast-check';
import type { NotebookFile } from '../../src/notebook/file-format';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const lines = fc.array(fc.oneof(text, fc.constantFrom('', ' ', '\r', '---')), { maxLength: 6 });
const source = lines.map((ls) => ls.join('\n'));
const isoTime = fc
  .integer({ min: 0, max: 4_102_444_800_000 })
  .map((ms) => new Date(ms).toISOString());

const output = fc.record(
  {
    items: fc.array(
      fc.record(
        {
          mime: fc.oneof(
            fc.constantFrom('application/vnd.hedgebook.result+json', 'text/markdown', 'text/plain'),
            fc.string({ minLength: 1, maxLength: 20 }),
          ),
          data: fc.oneof(
            text,
            fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
          ),
        },
        { noNullPrototype: true },
      ),
      { maxLength: 3 },
    ),
    metadata: fc.record(
      {
        computedAt: isoTime,
        durationMs: fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true }),
        executionOrder: fc.nat(10_000),
        data: fc.record(
          {
            source: text,
            start: isoTime,
            end: isoTime,
            rows: fc.nat(1_000_000),
          },
          { noNullPrototype: true },
        ),
      },
      { requiredKeys: ['computedAt', 'durationMs'], noNullPrototype: true },
    ),
  },
  { requiredKeys: ['items'], noNullPrototype: true },
);

const cell = fc.record(
  {
    kind: fc.constantFrom('markdown', 'code'),
    language: fc.oneof(fc.constantFrom('hedge', 'markdown'), fc.string({ minLength: 1 })),
    source,
    outputs: fc.array(output, { maxLength: 3 }),
  },
  { requiredKeys: ['kind', 'language', 'source'], noNullPrototype: true },
) as fc.Arbitrary<NotebookFile['cells'][number]>;

export const notebook: fc.Arbitrary<NotebookFile> = fc.record(
  {
    format: fc.constant(1 as const),
    metadata: fc
      .dictionary(
        fc.string({ maxLength: 10 }).filter((k) => k !== '__proto__'),
        // JSON has no -0: a value as it can be written to a file
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as fc.JsonValue),
        { maxKeys: 4, noNullPrototype: true },
      )
      // "__proto__" keys are refused by the schema (their own test in file-format.test.ts)
      .filter((m) => !JSON.stringify(m).includes('"__proto__":')) as fc.Arbitrary<
      NotebookFile['metadata']
    >,
    cells: fc.array(cell, { maxLength: 6 }),
  },
  { noNullPrototype: true },
);

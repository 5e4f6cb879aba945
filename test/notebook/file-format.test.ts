import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { notebook } from './arbitraries';
import {
  parseNotebookFile,
  serializeNotebookFile,
  type NotebookFile,
} from '../../src/notebook/file-format';
import type { Problem } from '../../src/engine/result';
import { describeProblem } from '../../src/notebook/messages';

function parsed(text: string): NotebookFile {
  const r = parseNotebookFile(text);
  if (!r.ok) assert.fail(`expected a valid notebook, got ${JSON.stringify(r.problems)}`);
  return r.value;
}

function problems(text: string): readonly Problem[] {
  const r = parseNotebookFile(text);
  if (r.ok) assert.fail('expected problems, the file parsed');
  return r.problems;
}

/** The first problem's code, path and 1-based location. */
function located(text: string): { code: string; path: string; at: string } {
  const p = problems(text)[0]!;
  return { code: p.code, path: p.path.join('.'), at: `${p.params?.line}:${p.params?.column}` };
}

const sample = `{
  "format": 1,
  "metadata": {},
  "cells": [
    {
      "kind": "markdown",
      "language": "markdown",
      "source": [
        "# Hedge the core book"
      ]
    },
    {
      "kind": "code",
      "language": "hedge",
      "source": [
        "prices:",
        "  file: data/daily.csv"
      ]
    }
  ]
}
`;

describe('parseNotebookFile and serializeNotebookFile', () => {
  it('refuses a "__proto__" key in metadata with a clear problem instead of dropping it', () => {
    const result = parseNotebookFile('{"format":1,"metadata":{"a":{"__proto__":{}}},"cells":[]}');
    assert.ok(!result.ok);
    assert.match(describeProblem(result.problems[0]!), /"__proto__" is not allowed/);
  });

  it('round-trips any model: parse(serialize(m)) deep-equals m', () => {
    fc.assert(
      fc.property(notebook, (m) => {
        assert.deepStrictEqual(parsed(serializeNotebookFile(m)), m);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any valid file byte for byte: serialize(parse(x)) === x', () => {
    fc.assert(
      fc.property(notebook, (m) => {
        const x = serializeNotebookFile(m);
        assert.equal(serializeNotebookFile(parsed(x)), x);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a hand-written sample byte for byte', () => {
    assert.equal(serializeNotebookFile(parsed(sample)), sample);
  });

  it('writes two-space indentation, a trailing newline and source as lines', () => {
    const out = serializeNotebookFile({
      format: 1,
      metadata: {},
      cells: [{ kind: 'code', language: 'hedge', source: 'benchmark: BTC\nreturns: log' }],
    });
    assert.ok(out.endsWith('}\n'));
    assert.match(out, /\n {2}"format": 1,\n/);
    assert.match(out, /"source": \[\n {8}"benchmark: BTC",\n {8}"returns: log"\n {6}\]/);
  });

  it('writes a stable key order whatever order the file had', () => {
    const shuffled = JSON.stringify({
      cells: [
        {
          outputs: [
            {
              metadata: { durationMs: 3, computedAt: '2024-01-01T00:00:00.000Z' },
              items: [{ data: 'x', mime: 'text/plain' }],
            },
          ],
          source: 'a\nb',
          language: 'hedge',
          kind: 'code',
        },
      ],
      metadata: { zeta: 1, alpha: { b: 2, a: 1 } },
      format: 1,
    });
    const out = serializeNotebookFile(parsed(shuffled));
    const keys = [...out.matchAll(/"(\w+)":/g)].map((m) => m[1]).join(' ');
    assert.equal(
      keys,
      'format metadata alpha a b zeta cells kind language source outputs items mime data metadata computedAt durationMs',
    );
  });

  it('reads a source written as one string the same as lines', () => {
    const asString = sample.replace(
      '["prices:", "  file: data/daily.csv"]',
      '"prices:\\n  file: data/daily.csv"',
    );
    assert.deepStrictEqual(parsed(asString), parsed(sample));
  });

  it('fills in empty metadata when the file has none', () => {
    assert.deepStrictEqual(parsed('{"format": 1, "cells": []}'), {
      format: 1,
      metadata: {},
      cells: [],
    });
  });
});

describe('parseNotebookFile on a malformed file', () => {
  it('locates a missing comma at its line and column', () => {
    const bad = sample.replace('"kind": "code",', '"kind": "code"');
    assert.deepStrictEqual(located(bad), { code: 'notebook_json_syntax', path: '', at: '14:7' });
    assert.equal(problems(bad)[0]!.params?.error, 'CommaExpected');
  });

  it('rejects a trailing comma, which JSON does not allow', () => {
    const bad = sample.replace('"# Hedge the core book"\n      ]', '"x"\n      ],');
    assert.deepStrictEqual(located(bad), { code: 'notebook_json_syntax', path: '', at: '11:5' });
  });

  it('rejects a comment, which JSON does not allow', () => {
    assert.equal(located('{\n  // hi\n  "format": 1, "cells": []}').at, '2:3');
  });

  it('rejects an empty file and a truncated file', () => {
    assert.equal(located('').code, 'notebook_json_syntax');
    assert.equal(located(sample.slice(0, 120)).code, 'notebook_json_syntax');
  });

  it('names a newer format and where it is written', () => {
    const newer = sample.replace('"format": 1', '"format": 2');
    const p = problems(newer)[0]!;
    assert.equal(p.code, 'notebook_format_newer');
    assert.deepStrictEqual(p.params, { line: 2, column: 3, format: 2, supported: 1 });
  });

  it('reports a wrong type with its JSON path and the line of that key', () => {
    const bad = sample.replace('"kind": "code"', '"kind": 7');
    assert.deepStrictEqual(located(bad), {
      code: 'notebook_schema',
      path: 'cells.1.kind',
      at: '13:7',
    });
  });

  it('reports an unknown key at the key itself', () => {
    const bad = sample.replace('"language": "hedge",', '"language": "hedge", "lang": "x",');
    const p = problems(bad)[0]!;
    assert.equal(p.code, 'notebook_unknown_key');
    assert.deepStrictEqual(p.path, ['cells', 1, 'lang']);
    assert.deepStrictEqual([p.params?.line, p.params?.column], [14, 28]);
  });

  it('locates a missing key at the object that lacks it', () => {
    const bad = sample.replace(/"source": \[\n {8}"# Hedge the core book"\n {6}\]/, '"src": []');
    const all = problems(bad).map((p) => `${p.code} ${p.path.join('.')} ${p.params?.line}`);
    assert.deepStrictEqual(all.sort(), [
      'notebook_schema cells.0.source 5',
      'notebook_unknown_key cells.0.src 8',
    ]);
  });

  it('reports a format 0 or a missing format as a schema problem, not a newer one', () => {
    assert.equal(located('{"format": 0, "cells": []}').code, 'notebook_schema');
    assert.deepStrictEqual(located('{\n"cells": []}'), {
      code: 'notebook_schema',
      path: 'format',
      at: '1:1',
    });
  });

  it('reports output metadata of the wrong shape at its path', () => {
    const bad = sample.replace(
      /"source": \[\n {8}"prices:",\n {8}" {2}file: data\/daily.csv"\n {6}\]/,
      '"source": [], "outputs": [{ "items": [], "metadata": { "computedAt": 5, "durationMs": 1 } }]',
    );
    assert.equal(located(bad).path, 'cells.1.outputs.0.metadata.computedAt');
  });
});

describe('the words for notebook file problems', () => {
  const words = (text: string) => describeProblem(problems(text)[0]!);

  it('says a newer format was written by a newer Hedgebook', () => {
    assert.equal(
      words(sample.replace('"format": 1', '"format": 2')),
      'this notebook was written by a newer Hedgebook (format 2); this version reads format 1 (line 2, column 3)',
    );
  });

  it('names the line, column and what JSON expected', () => {
    assert.equal(
      words(sample.replace('"kind": "code",', '"kind": "code"')),
      'line 14, column 7: this is not a valid notebook file: expected a comma',
    );
  });

  it('names the path and location of a schema problem', () => {
    assert.match(
      words(sample.replace('"kind": "code"', '"kind": 7')),
      /^cells\[1\]\.kind \(line 13, column 7\): .*"markdown"/,
    );
    assert.equal(
      words(sample.replace('"language": "hedge",', '"language": "hedge", "lang": "x",')),
      "cells[1].lang (line 14, column 28): unknown key 'lang' in a notebook file",
    );
  });
});

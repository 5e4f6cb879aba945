import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { notebook } from '../notebook/arbitraries';
import {
  ERROR_MIME,
  bytesToPlain,
  fileToPlain,
  openErrorMessage,
  plainToBytes,
  plainToFile,
  type PlainNotebook,
} from '../../src/vscode/mapping';
import { serializeNotebookFile } from '../../src/notebook/file-format';

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

function opened(text: string): PlainNotebook {
  const r = bytesToPlain(encode(text));
  if (!r.ok) assert.fail(`expected the file to open: ${openErrorMessage(r.problems)}`);
  return r.value;
}

const withOutputs = `{
  "format": 1,
  "metadata": {
    "title": "Core book"
  },
  "cells": [
    {
      "kind": "code",
      "language": "hedge",
      "source": [
        "betas: core"
      ],
      "outputs": [
        {
          "items": [
            {
              "mime": "text/plain",
              "data": "beta 1.2"
            }
          ],
          "metadata": {
            "computedAt": "2024-03-01T12:00:05.000Z",
            "durationMs": 250,
            "executionOrder": 3,
            "data": {
              "source": "data/daily.csv",
              "start": "2023-01-01T00:00:00.000Z",
              "end": "2024-01-01T00:00:00.000Z",
              "rows": 366
            }
          }
        }
      ]
    }
  ]
}
`;

describe('the serializer mapping', () => {
  it('maps any file model to VS Code cells and back unchanged', () => {
    fc.assert(
      fc.property(notebook, (m) => {
        assert.deepStrictEqual(plainToFile(fileToPlain(m)), {
          ...m,
          cells: m.cells.map((c) =>
            c.outputs !== undefined && c.outputs.length === 0
              ? { kind: c.kind, language: c.language, source: c.source }
              : c,
          ),
        });
      }),
      { numRuns: 100 },
    );
  });

  it('writes back the bytes it read for any valid file', () => {
    fc.assert(
      fc.property(notebook, (m) => {
        const x = serializeNotebookFile(plainToFile(fileToPlain(m)));
        assert.equal(decode(plainToBytes(opened(x))), x);
      }),
      { numRuns: 100 },
    );
  });

  it('maps markdown cells to markup and code cells to code with their language', () => {
    const nb = opened(
      '{"format":1,"cells":[{"kind":"markdown","language":"markdown","source":["# T"]},' +
        '{"kind":"code","language":"hedge","source":["benchmark: BTC","returns: log"]}]}',
    );
    assert.deepStrictEqual(
      nb.cells.map((c) => [c.kind, c.languageId, c.value]),
      [
        ['markup', 'markdown', '# T'],
        ['code', 'hedge', 'benchmark: BTC\nreturns: log'],
      ],
    );
  });

  it('restores execution order, success and timing from the saved output metadata', () => {
    const cell = opened(withOutputs).cells[0]!;
    const end = Date.parse('2024-03-01T12:00:05.000Z');
    assert.deepStrictEqual(cell.executionSummary, {
      executionOrder: 3,
      success: true,
      timing: { startTime: end - 250, endTime: end },
    });
    assert.equal(cell.outputs[0]!.metadata?.computedAt, '2024-03-01T12:00:05.000Z');
    assert.equal(decode(cell.outputs[0]!.items[0]!.data), 'beta 1.2');
  });

  it('marks a cell whose saved output is an error as not successful', () => {
    const text = withOutputs.replace('"mime": "text/plain"', `"mime": "${ERROR_MIME}"`);
    assert.equal(opened(text).cells[0]!.executionSummary?.success, false);
  });

  it('saves output metadata that is ours and drops what is not', () => {
    const nb = opened(withOutputs);
    nb.cells[0]!.outputs[0]!.metadata = { ...nb.cells[0]!.outputs[0]!.metadata, foreign: 1 };
    nb.cells[0]!.outputs.push({ items: [], metadata: { outputType: 'stream' } });
    const file = plainToFile(nb);
    assert.deepStrictEqual(file.cells[0]!.outputs?.[0]?.metadata?.executionOrder, 3);
    assert.equal('foreign' in (file.cells[0]!.outputs?.[0]?.metadata ?? {}), false);
    assert.deepStrictEqual(file.cells[0]!.outputs?.[1], { items: [] });
  });

  it('opens a file that starts with a byte-order mark', () => {
    assert.equal(opened('\uFEFF' + withOutputs).cells.length, 1);
  });

  it('opens an empty or blank file as an empty notebook', () => {
    assert.deepStrictEqual(opened(''), { cells: [], metadata: {} });
    assert.deepStrictEqual(opened(' \n'), { cells: [], metadata: {} });
  });
});

describe('opening a malformed file', () => {
  it('refuses a truncated file with the line and column, never an empty notebook', () => {
    const r = bytesToPlain(encode(withOutputs.slice(0, 200)));
    assert.equal(r.ok, false);
    if (r.ok) return;
    const message = openErrorMessage(r.problems, 'core.hedgebook');
    assert.match(message, /^Hedgebook cannot open core\.hedgebook; the file was left unchanged\./);
    assert.match(message, /line \d+, column \d+: this is not a valid notebook file/);
  });

  it('refuses a newer format with the words a user needs', () => {
    const r = bytesToPlain(encode(withOutputs.replace('"format": 1', '"format": 2')));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(
      openErrorMessage(r.problems),
      /this notebook was written by a newer Hedgebook \(format 2\); this version reads format 1/,
    );
  });

  it('lists at most five problems and counts the rest', () => {
    const cells = Array.from({ length: 8 }, () => '{"kind":1,"language":"hedge","source":[]}');
    const r = bytesToPlain(encode(`{"format":1,"cells":[${cells.join(',')}]}`));
    assert.equal(r.ok, false);
    if (r.ok) return;
    const message = openErrorMessage(r.problems);
    assert.equal(message.match(/^- cells\[/gm)?.length, 5);
    assert.match(message, /- and 3 more/);
  });
});

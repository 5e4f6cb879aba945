import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ipynbText, PLOTLY_MIME, toIpynb, toLines } from '../../src/outputs/ipynb';
import { toOutputItems } from '../../src/outputs/mime';
import { RESULT_MIME } from '../../src/results';
import { assertValidIpynb, validateIpynb as validate } from './ipynb-schema';
import { sampleBetas, sampleHedge } from './sample-results';

type Nb = {
  cells: {
    cell_type: string;
    id: string;
    source: string[];
    metadata: Record<string, unknown>;
    outputs?: {
      output_type: string;
      data?: Record<string, unknown>;
      metadata?: Record<string, unknown>;
    }[];
  }[];
  metadata: Record<string, unknown>;
};

describe('toIpynb', () => {
  const betas = sampleBetas();
  const hedge = sampleHedge();
  const nb = toIpynb({
    title: 'Core hedge',
    cells: [
      { kind: 'markdown', source: '# Core hedge\n\nWhy we *hedge*.' },
      {
        kind: 'code',
        source: 'betas: core',
        language: 'hedge',
        executionOrder: 4,
        outputs: [
          { items: toOutputItems(betas), metadata: { computedAt: '2026-01-05T10:00:00.000Z' } },
        ],
      },
      {
        kind: 'code',
        source: 'hedge: core\nwith: BTCUSDT-PERP',
        language: 'hedge',
        outputs: [{ items: toOutputItems(hedge) }],
      },
      {
        kind: 'code',
        source: 'betas: nope',
        language: 'hedge',
        outputs: [
          {
            items: [
              {
                mime: 'application/vnd.code.notebook.error',
                data: JSON.stringify({ name: 'Hedgebook', message: 'line 1: no portfolio nope' }),
              },
            ],
          },
        ],
      },
      { kind: 'code', source: 'print(1)', language: 'python', outputs: [] },
    ],
  }) as unknown as Nb;

  it('is valid nbformat 4.5 (the schema vendored from Debian python3-nbformat)', () => {
    assertValidIpynb(nb);
    assert.equal((nb as unknown as { nbformat: number }).nbformat, 4);
    assert.equal((nb as unknown as { nbformat_minor: number }).nbformat_minor, 5);
  });
  it('is checked by a schema that refuses a cell without an id', () => {
    const bad = structuredClone(nb);
    delete (bad.cells[0] as { id?: string }).id;
    assert.equal(validate(bad), false);
  });
  it('keeps markdown as markdown and hedge cells as code in the hedge language', () => {
    assert.deepEqual(
      nb.cells.map((c) => c.cell_type),
      ['markdown', 'code', 'code', 'code', 'code'],
    );
    assert.deepEqual(nb.cells[0]!.source, ['# Core hedge\n', '\n', 'Why we *hedge*.']);
    assert.deepEqual(nb.metadata.language_info, {
      name: 'hedge',
      file_extension: '.hedge',
      mimetype: 'text/x-yaml',
    });
    assert.deepEqual(nb.cells[4]!.metadata, { vscode: { languageId: 'python' } });
    assert.equal(new Set(nb.cells.map((c) => c.id)).size, nb.cells.length);
  });
  it('carries each result as the Hedgebook MIME, markdown tables and text, with its metadata', () => {
    const out = nb.cells[1]!.outputs![0]!;
    assert.equal(out.output_type, 'display_data');
    assert.deepEqual(out.data![RESULT_MIME], JSON.parse(toOutputItems(betas)[0]!.data));
    assert.equal((out.data!['text/markdown'] as string[]).join(''), toOutputItems(betas)[1]!.data);
    assert.equal((out.data!['text/plain'] as string[]).join(''), toOutputItems(betas)[2]!.data);
    assert.deepEqual(out.metadata, {
      hedgebook: { computedAt: '2026-01-05T10:00:00.000Z', charts: 'plotly-outputs' },
    });
  });
  it('adds every chart as a plotly figure ({ data, layout }) after its result', () => {
    const figures = nb.cells[1]!.outputs!.slice(1);
    assert.deepEqual(
      figures.map((f) => f.metadata),
      [
        'betas-bars',
        'betas-scatter',
        'betas-rolling-beta',
        'betas-rolling-correlation',
        'betas-correlation',
      ].map((figure) => ({ hedgebook: { figure } })),
    );
    for (const f of figures) {
      const fig = f.data![PLOTLY_MIME] as { data: unknown[]; layout: Record<string, unknown> };
      assert.deepEqual(Object.keys(fig).sort(), ['data', 'layout']);
      assert.ok(fig.data.length > 0);
      assert.match((f.data!['text/plain'] as string[])[0]!, /an interactive plotly chart/);
    }
    assert.equal(nb.cells[2]!.outputs!.filter((o) => o.data?.[PLOTLY_MIME]).length, 1);
  });
  it('writes a failed cell as an error output and keeps the execution count', () => {
    assert.deepEqual(nb.cells[3]!.outputs, [
      {
        output_type: 'error',
        ename: 'Hedgebook',
        evalue: 'line 1: no portfolio nope',
        traceback: ['line 1: no portfolio nope'],
      },
    ]);
    assert.equal((nb.cells[1] as unknown as { execution_count: number }).execution_count, 4);
    assert.equal((nb.cells[2] as unknown as { execution_count: null }).execution_count, null);
  });
  it('writes text with one-space indentation and sorted keys, as Jupyter does', () => {
    const text = ipynbText({ cells: [{ kind: 'markdown', source: 'x' }] });
    assert.ok(text.startsWith('{\n "cells": [\n  {\n   "cell_type": "markdown",'), text);
    assert.ok(text.endsWith('}\n'));
    const full = {
      cells: [
        {
          kind: 'code' as const,
          source: 'betas: core',
          language: 'hedge',
          outputs: [{ items: toOutputItems(sampleBetas()) }],
        },
      ],
    };
    assert.deepEqual(JSON.parse(ipynbText(full)), toIpynb(full));
    assert.match(
      ipynbText(full),
      /"source": \[\n {5}"betas: core"\n {4}\]|"source": \["betas: core"\]/,
    );
  });
  it('splits text into nbformat lines that join back to it', () => {
    for (const t of ['', 'a', 'a\n', 'a\nb', 'a\n\nb\n', 'a\r\nb'])
      assert.equal(toLines(t).join(''), t.replace(/\r\n/g, '\n'));
  });
});

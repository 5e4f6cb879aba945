import { HEDGEBOOK_VERSION } from '../../src/notebook/version';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResultsJson, toResultsJson } from '../../src/cli/results-json';
import {
  notebookCells,
  notebookTitle,
  notebookWithOutputs,
  reportCells,
  summarize,
  type NotebookRun,
} from '../../src/cli/runner';
import type { NotebookFile } from '../../src/notebook/file-format';
import { RESULT_MIME, type CellResult } from '../../src/results';
import type { CellRun } from '../../src/notebook/session';

const prices: CellResult = {
  version: 1,
  kind: 'prices',
  name: 'daily',
  warnings: [],
  data: { source: 'data/daily.csv', start: '2024-01-01', end: '2025-12-31', rows: 731 },
  assets: ['BTC', 'ETH'],
  frequency: '1d',
  periodsPerYear: 365,
  last: [{ asset: 'BTC', price: 60900.82, time: '2025-12-31T00:00:00.000Z' }],
};

const notebook: NotebookFile = {
  format: 1,
  metadata: {},
  cells: [
    { kind: 'markdown', language: 'markdown', source: 'Intro\n\n## Daily prices' },
    { kind: 'code', language: 'hedge', source: 'prices: data/daily.csv' },
    { kind: 'code', language: 'python', source: 'print(1)', outputs: [] },
    { kind: 'code', language: 'hedge', source: 'betas: nope' },
  ],
};

const okRun: CellRun = {
  id: 'cell-1',
  status: 'ok',
  results: [prices],
  problems: [],
  durationMs: 12.4,
  order: 1,
  declares: ['daily'],
  sourceHash: 'sha256:s1',
  inputsHash: 'sha256:i1',
};
const errorRun: CellRun = {
  id: 'cell-3',
  status: 'error',
  results: [],
  problems: [
    {
      code: 'unknown_name',
      message: 'no portfolio named nope',
      range: { startLine: 0, startColumn: 7, endLine: 0, endColumn: 11 },
    },
  ],
  durationMs: 1,
  order: 2,
  sourceHash: 'sha256:s3',
  inputsHash: 'sha256:i3',
  declares: [],
};

function run(runs: (CellRun | null)[], ok: boolean): NotebookRun {
  return {
    file: 'x.hedgebook',
    notebook,
    cells: notebook.cells.map((c, index) => ({
      index,
      kind: c.kind,
      language: c.language,
      source: c.source,
      run: runs[index] ?? null,
    })),
    startedAt: '2026-01-05T10:00:00.000Z',
    durationMs: 20,
    ok,
  };
}

describe('runner', () => {
  it('sends markdown and hedge cells to the evaluator, not other languages', () => {
    assert.deepEqual(
      notebookCells(notebook).map((c) => [c.id, c.kind]),
      [
        ['cell-0', 'markdown'],
        ['cell-1', 'code'],
        ['cell-3', 'code'],
      ],
    );
  });

  it('titles a report from metadata, else the first heading, else the file name', () => {
    assert.equal(notebookTitle(run([], true)), 'Daily prices');
    assert.equal(
      notebookTitle({ ...run([], true), notebook: { ...notebook, metadata: { title: 'T' } } }),
      'T',
    );
    assert.equal(
      notebookTitle({ ...run([], true), notebook: { ...notebook, cells: [] } }),
      'x.hedgebook',
    );
  });

  it('summarises each cell with its status, time, declarations and result or problems', () => {
    const text = summarize(run([null, okRun, null, errorRun], false));
    assert.match(text, /\[cell 2\] ok · 12 ms · declares daily\n {4}Prices: daily/);
    assert.match(text, /\[cell 3\] skipped: language python is not hedge/);
    assert.match(text, /\[cell 4\] error · 1 ms\n {4}line 1, column 8: no portfolio named nope/);
    assert.match(text, /x\.hedgebook: 1 of 3 code cells failed \(first: cell 4\)/);
  });

  it('prints only failures when quiet', () => {
    const text = summarize(run([null, okRun, null, errorRun], false), { quiet: true });
    assert.doesNotMatch(text, /cell 2/);
    assert.match(text, /cell 4/);
  });

  it('saves outputs with provenance and order, keeping other cells as they were', () => {
    const saved = notebookWithOutputs(run([null, okRun, null, null], true));
    assert.deepEqual(saved.cells[0], notebook.cells[0]);
    assert.deepEqual(saved.cells[2], notebook.cells[2]);
    const out = saved.cells[1]!.outputs!;
    assert.equal(out.length, 1);
    assert.deepEqual(
      out[0]!.items.map((i) => i.mime),
      [RESULT_MIME, 'text/markdown', 'text/plain'],
    );
    assert.deepEqual(JSON.parse(out[0]!.items[0]!.data), prices);
    assert.deepEqual(out[0]!.metadata, {
      computedAt: '2026-01-05T10:00:00.000Z',
      durationMs: 12.4,
      executionOrder: 1,
      data: prices.data,
      sourceHash: 'sha256:s1',
      inputsHash: 'sha256:i1',
      hedgebookVersion: HEDGEBOOK_VERSION,
    });
  });

  it('gives the report markdown as written and a failed cell its problems as text', () => {
    const cells = reportCells(run([null, okRun, null, errorRun], false));
    assert.deepEqual(cells[0], { kind: 'markdown', text: 'Intro\n\n## Daily prices' });
    assert.equal(cells[2]!.kind === 'code' && cells[2]!.items.length, 0);
    const failed = cells[3]!;
    assert.ok(failed.kind === 'code');
    assert.match(failed.items[0]!.data, /line 1, column 8: no portfolio named nope/);
  });

  it('writes results JSON that validates, with 1-based problem positions', () => {
    const json = ResultsJson.parse(
      JSON.parse(JSON.stringify(toResultsJson(run([null, okRun, null, errorRun], false), 'T'))),
    );
    assert.deepEqual(json.summary, { codeCells: 2, ok: 1, failed: 1 });
    assert.deepEqual(json.cells[3]!.problems[0], {
      code: 'unknown_name',
      message: 'no portfolio named nope',
      line: 1,
      column: 8,
      endLine: 1,
      endColumn: 12,
    });
    assert.equal(json.cells[2]!.status, 'skipped');
  });
});

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ResultsJson } from '../../src/cli/results-json';
import { parseNotebookFile } from '../../src/notebook/file-format';
import { RESULT_MIME, SERIES_BOUNDS } from '../../src/results';
import { ensureBuilt, hedgebook, notebookText, workspace } from './helpers';

const GOOD = notebookText([
  ['markdown', '# Two coins\n\nA small test.'],
  ['code', 'prices: data/daily.csv'],
  ['code', 'benchmark: BTC\nreturns: log'],
  ['code', 'portfolio: p\nholdings:\n  ETH: 10\n  SOL: 100'],
  ['code', 'betas: p'],
]);

const BAD_CELL = notebookText([
  ['code', 'prices: data/daily.csv'],
  ['code', 'portfolio: p\nholdings:\n  ETH: 10\n  DOGE: 100'],
  ['code', 'betas: p'],
]);

let dir = '';
before(() => {
  ensureBuilt();
  dir = workspace('cli');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

describe('hedgebook run: exit codes and messages', () => {
  it('prints usage for --help and exits 0', () => {
    const r = hedgebook(['--help'], dir);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /Usage: hedgebook run FILE \[--in-place\] \[--html OUT\] \[--json OUT\]/,
    );
  });

  it('exits 2 with a clear message on bad arguments', () => {
    const r = hedgebook(['run'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no notebook given/);
    const s = hedgebook(['run', 'x.hedgebook', '--pdf', 'x'], dir);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /unknown option "--pdf"/);
  });

  it('exits 2 naming a missing notebook', () => {
    const r = hedgebook(['run', 'nowhere.hedgebook'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nowhere\.hedgebook: no such notebook file/);
  });

  it('exits 2 naming the line and column of a malformed notebook', () => {
    const name = file('broken.hedgebook', '{\n  "format": 1,\n  "cells": [,]\n}\n');
    const r = hedgebook(['run', name], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot run broken\.hedgebook/);
    assert.match(r.stderr, /line 3, column 13/);
  });

  it('runs a clean notebook, prints each cell and exits 0', () => {
    const r = hedgebook(['run', file('good.hedgebook', GOOD)], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\[cell 2\] ok/);
    assert.match(r.stdout, /\[cell 5\] ok/);
    assert.match(r.stdout, /good\.hedgebook: 4 code cells ran clean/);
  });

  it('exits 1 on a cell error, naming the cell and the place in it', () => {
    const r = hedgebook(['run', file('bad-cell.hedgebook', BAD_CELL)], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[cell 2\] error/);
    assert.match(r.stderr, /line \d+, column \d+: .*DOGE/);
    assert.match(r.stderr, /failed \(first: cell 2\)/);
  });
});

describe('hedgebook run --in-place', () => {
  it('writes fresh outputs that read back and match a second run except time', () => {
    const name = file('inplace.hedgebook', GOOD);
    const r = hedgebook(['run', name, '--in-place'], dir);
    assert.equal(r.code, 0, r.stderr);
    const saved = parseNotebookFile(readFileSync(join(dir, name), 'utf8'));
    assert.ok(saved.ok);
    const code = saved.value.cells.filter((c) => c.kind === 'code');
    assert.ok(code.every((c) => (c.outputs?.length ?? 0) > 0));
    assert.ok(code[3]!.outputs![0]!.items.some((i) => i.mime === RESULT_MIME));
    assert.equal(saved.value.cells[0]!.source, '# Two coins\n\nA small test.');
    const first = readFileSync(join(dir, name), 'utf8');
    assert.equal(hedgebook(['run', name, '--in-place'], dir).code, 0);
    const strip = (t: string) => t.replace(/"(computedAt|durationMs)": [^,\n]+/g, '"$1": _');
    assert.equal(strip(readFileSync(join(dir, name), 'utf8')), strip(first));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('tmp')),
      [],
    );
  });

  it('leaves the notebook byte for byte untouched when a cell fails', () => {
    const name = file('keep.hedgebook', BAD_CELL);
    const r = hedgebook(['run', name, '--in-place'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /keep\.hedgebook was not changed: cell 2 failed/);
    assert.equal(readFileSync(join(dir, name), 'utf8'), BAD_CELL);
  });

  it('leaves a malformed notebook untouched', () => {
    const text = '{ "format": 1, "cells": [ { "kind": "code" } ] }\n';
    const name = file('malformed.hedgebook', text);
    assert.equal(hedgebook(['run', name, '--in-place'], dir).code, 2);
    assert.equal(readFileSync(join(dir, name), 'utf8'), text);
  });
});

describe('hedgebook run --json', () => {
  it('writes results that validate against the documented schema', () => {
    const r = hedgebook(['run', file('json.hedgebook', GOOD), '--json', 'out/results.json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const json = ResultsJson.parse(JSON.parse(readFileSync(join(dir, 'out/results.json'), 'utf8')));
    assert.equal(json.ok, true);
    assert.deepEqual(json.summary, { codeCells: 4, ok: 4, failed: 0 });
    assert.equal(json.title, 'Test notebook');
    const betas = json.cells[4]!.results[0]!;
    assert.equal(betas.kind, 'betas');
  });

  it('keeps every statistic and reduced series by default, every point with --full-series', () => {
    const nb = file(
      'series.hedgebook',
      notebookText([
        ['code', 'prices: data/hourly.csv'],
        ['code', 'benchmark: BTC\nreturns: simple\nwindow: 30d'],
        ['code', 'betas: all'],
      ]),
    );
    const betasOf = (out: string) => {
      const json = ResultsJson.parse(JSON.parse(readFileSync(join(dir, out), 'utf8')));
      const b = json.cells[2]!.results[0]!;
      assert.equal(b.kind, 'betas');
      return b.kind === 'betas' ? b : assert.fail('not betas');
    };
    assert.equal(hedgebook(['run', nb, '--json', 'reduced.json'], dir).code, 0);
    const r = hedgebook(['run', nb, '--json', 'full.json', '--full-series'], dir);
    assert.equal(r.code, 0, r.stderr);
    const [reduced, full] = [betasOf('reduced.json'), betasOf('full.json')];
    assert.deepEqual(reduced.rows, full.rows);
    const rolling = full.rolling!;
    assert.ok(reduced.rolling!.t.length <= SERIES_BOUNDS.linePoints);
    assert.equal(reduced.rolling!.points.of, rolling.t.length);
    assert.deepEqual(rolling.points, { shown: rolling.t.length, of: rolling.t.length });
    assert.ok(rolling.t.length > 1000, `${rolling.t.length} hourly rows`);
    const cloud = full.scatter[0]!.cloud;
    assert.equal(cloud.x.length, cloud.points.of);
    assert.ok(reduced.scatter[0]!.cloud.x.length <= SERIES_BOUNDS.scatterPoints);
  });

  it('writes the failure too, with the problem located in the cell', () => {
    const r = hedgebook(['run', file('json-bad.hedgebook', BAD_CELL), '--json', 'bad.json'], dir);
    assert.equal(r.code, 1);
    const json = ResultsJson.parse(JSON.parse(readFileSync(join(dir, 'bad.json'), 'utf8')));
    assert.equal(json.ok, false);
    const cell = json.cells[1]!;
    assert.equal(cell.status, 'error');
    assert.ok(cell.problems.length > 0 && cell.problems[0]!.line >= 1);
  });

  it('exits 2 when an output file cannot be written', () => {
    const name = file('unwritable.hedgebook', GOOD);
    file('blocker', 'a file, not a folder');
    const r = hedgebook(['run', name, '--json', 'blocker/x.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /could not write an output file/);
    assert.equal(readFileSync(join(dir, 'blocker'), 'utf8'), 'a file, not a folder');
  });
});

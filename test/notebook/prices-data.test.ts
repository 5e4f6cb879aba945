import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileEnv } from '../../src/cli/runner';
import { createDatasetCache } from '../../src/data/dataset-cache';
import { fileAccess } from '../../src/data/paths';
import { loadPricesFile } from '../../src/data/files';
import { trackLoad, type Progress } from '../../src/data/progress';
import { Session, evaluateNotebook, type CellRun } from '../../src/notebook/session';
import type { CellResult } from '../../src/results';

type PricesResult = Extract<CellResult, { kind: 'prices' }>;

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hedgebook-prices-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

async function pricesCell(file: string): Promise<CellRun> {
  const runs = await evaluateNotebook(
    [{ id: 'p', kind: 'code', text: `prices: ${file}` }],
    fileEnv(fileAccess({ notebookDir: dir }), join(dir, 'cache')),
  );
  return runs[0]!;
}

const messages = (run: CellRun) => run.problems.map((p) => p.message);

describe('a prices cell that fails on a short file keeps the located cause', () => {
  it('names a negative price at its line and column, after the overlap error', async () => {
    write(
      'neg.csv',
      'date,BTC,ETH\n2024-01-01,1,2\n2024-01-02,-5,2\n2024-01-03,1,2\n2024-01-04,1,2\n',
    );
    const run = await pricesCell('neg.csv');
    assert.equal(run.status, 'error');
    assert.equal(run.problems[0]!.code, 'too_little_overlap');
    assert.ok(
      messages(run).some((m) =>
        /neg\.csv line 3, column 12: the BTC price -5 is not positive/.test(m),
      ),
      messages(run).join('\n'),
    );
  });

  it('names the first empty or NaN price of each asset', async () => {
    write(
      'nan.csv',
      'date,BTC,ETH\n2024-01-01,1,2\n2024-01-02,1,NaN\n2024-01-03,1,2\n2024-01-04,1,2\n',
    );
    const run = await pricesCell('nan.csv');
    assert.equal(run.status, 'error');
    assert.ok(
      messages(run).some((m) =>
        /nan\.csv line 3, column 14: ETH has 1 empty or missing price/.test(m),
      ),
      messages(run).join('\n'),
    );
  });

  it('places a repeated timestamp on its line in the file', async () => {
    write('dup.csv', 'date,BTC\n2024-01-01,1\n2024-01-02,2\n2024-01-02,3\n2024-01-03,4\n');
    const run = await pricesCell('dup.csv');
    assert.equal(run.status, 'error');
    assert.ok(
      messages(run).some((m) => /^dup\.csv line 4: BTC has 1 repeated timestamp/.test(m)),
      messages(run).join('\n'),
    );
  });

  it('keeps those warnings, located, on a file that loads', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `2024-01-0${i + 1},${i === 2 ? 0 : i + 1}`);
    write('zero.csv', `date,BTC\n${rows.join('\n')}\n`);
    const run = await pricesCell('zero.csv');
    assert.equal(run.status, 'ok');
    const result = run.results[0] as PricesResult;
    assert.ok(result.warnings.some((w) => /zero\.csv line 4, column 12/.test(w.message)));
  });
});

describe('parsed data is reused for the session', () => {
  it('serves an unchanged file from memory, says so, and reads a changed one again', async () => {
    write(
      'r.csv',
      'date,BTC,ETH\n2024-01-01,1,2\n2024-01-02,2,3\n2024-01-03,3,4\n2024-01-04,4,5\n',
    );
    const session = new Session(fileEnv(fileAccess({ notebookDir: dir }), join(dir, 'cache')));
    const cell = { id: 'p', kind: 'code' as const, text: 'prices: r.csv' };
    session.update([cell]);
    const signal = new AbortController().signal;
    const first = (await session.run(['p'], signal))[0]!;
    assert.equal((first.results[0] as PricesResult).reused, undefined);
    session.update([{ ...cell, text: 'prices: r.csv\n# edited' }]);
    const second = (await session.run(['p'], signal))[0]!;
    assert.equal((second.results[0] as PricesResult).reused, true);
    write(
      'r.csv',
      'date,BTC,ETH\n2024-01-01,1,2\n2024-01-02,2,3\n2024-01-03,3,4\n2024-01-04,40,5\n',
    );
    session.update([cell]);
    const third = (await session.run(['p'], signal))[0]!;
    const r3 = third.results[0] as PricesResult;
    assert.equal(r3.reused, undefined);
    assert.equal(r3.last.find((l) => l.asset === 'BTC')?.price, 40);
  });

  it('keeps the cache within its byte budget, least recently used first out', () => {
    const cache = createDatasetCache(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    assert.equal(cache.get('a'), 'A'); // a is now the most recent
    cache.set('c', 'C', 40);
    assert.equal(cache.get('b'), undefined);
    assert.deepEqual([cache.get('a'), cache.get('c'), cache.bytes], ['A', 'C', 80]);
    cache.set('huge', 'H', 101);
    assert.equal(cache.get('huge'), undefined);
  });
});

describe('long loads report progress and stop when cancelled', () => {
  const bigFile = () => {
    const row = ',42000.5,2300.25,95.125,6.5,1.25';
    const lines = ['date,BTC,ETH,SOL,UNI,LDO'];
    for (let i = 0; i < 300_000; i++) lines.push(String(1_700_000_000_000 + i * 3_600_000) + row);
    write('big.csv', lines.join('\n') + '\n');
    return join(dir, 'big.csv');
  };

  it('reports reading and parsing of a large file, then stops mid-way when cancelled', async () => {
    const path = bigFile();
    const seen: Progress[] = [];
    const full = await loadPricesFile(path, { onProgress: (p) => seen.push(p) });
    assert.ok(full.ok);
    assert.ok(seen.some((p) => p.phase === 'read' && p.unit === 'bytes' && p.what === 'big.csv'));
    const reads = seen.filter((p) => p.phase === 'read').map((p) => p.done);
    assert.deepEqual(
      reads,
      [...reads].sort((a, b) => a - b),
    );
    const abort = new AbortController();
    const cancelled = await loadPricesFile(path, {
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    assert.ok(!cancelled.ok);
    assert.equal(cancelled.problems[0]!.code, 'cancelled');
  });

  it('shows nothing for a quick load, then at most a few updates a second, and clears what it showed', () => {
    let t = 0;
    const shown: string[] = [];
    let cleared = 0;
    const sink = { show: (text: string) => shown.push(text), clear: () => cleared++ };
    const p: Progress = { phase: 'read', done: 1, total: 4, unit: 'bytes', what: 'x.csv' };
    const quick = trackLoad(sink, { now: () => t });
    quick.onProgress!(p);
    quick.done();
    assert.deepEqual([shown.length, cleared], [0, 0]);
    const slow = trackLoad(sink, { now: () => t });
    for (t = 0; t <= 1000; t += 50) slow.onProgress!(p);
    slow.done();
    assert.ok(shown.length >= 3 && shown.length <= 5, String(shown.length));
    assert.equal(shown[0], 'Reading x.csv: 25% (1 bytes of 4 bytes)');
    assert.equal(cleared, 1);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Problem, Result } from '../../src/engine/result';
import { loadPricesFile, parsePricesCsv, parsePricesJson } from '../../src/data/files';
import { fileMessages } from '../../src/data/file-messages';
import { describeDataProblem } from '../../src/data/messages';
import { LIMITS } from '../../src/data/limits';
import { readIsoTime } from '../../src/data/time';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hedgebook-hostile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function problems(r: Result<unknown>): Problem[] {
  if (r.ok) assert.fail('expected a failure');
  return [...r.problems];
}

/** The promise, or a failure after `ms` (a hang must fail the test, not stall the run). */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('layout detection: one rule, no silent switch', () => {
  it('reads a wide file with a LAST, PRICE or CLOSE column as wide, keeps every column, and warns at that column', () => {
    for (const name of ['LAST', 'PRICE', 'CLOSE']) {
      const r = parsePricesCsv(`date,BTC,ETH,${name}\n2024-01-01,1,2,3\n`, 'w.csv', 'X');
      assert.ok(r.ok);
      assert.equal(r.value.format, 'csv-wide');
      assert.deepEqual(
        r.value.series.map((s) => s.asset),
        ['BTC', 'ETH', name],
      );
      const w = r.warnings.find((p) => p.code === 'field_named_asset');
      assert.deepEqual(w?.params, { file: 'w.csv', line: 1, column: 14, name });
      assert.match(describeDataProblem(w!), /read as the prices of an asset named/);
    }
  });

  it('reads the same shape of JSON records as wide too', () => {
    const r = parsePricesJson(
      '[{"date": "2024-01-01", "BTC": 1, "ETH": 2, "LAST": 3}]',
      'w.json',
      'X',
    );
    assert.ok(r.ok);
    assert.equal(r.value.format, 'json-records-wide');
    assert.equal(r.value.series.length, 3);
    assert.ok(r.warnings.some((w) => w.code === 'field_named_asset'));
  });

  it('refuses a wide file whose first column is not a time, at that column', () => {
    const ps = problems(parsePricesCsv('foo,BTC\n42000,1\n', 'f.csv', 'X'));
    assert.equal(ps[0]!.code, 'csv_no_time_column');
    assert.deepEqual(
      [ps[0]!.params!.line, ps[0]!.params!.column, ps[0]!.params!.name],
      [1, 1, 'foo'],
    );
    assert.match(describeDataProblem(ps[0]!), /the first column is "foo", not a time/);
  });

  it('still reads long files, candle files with exchange fields, and time columns named loosely', () => {
    const long = parsePricesCsv(
      'timestamp,symbol,close,volume\n2024-01-01,BTC,1,5\n',
      'l.csv',
      'X',
    );
    assert.ok(long.ok && long.value.format === 'csv-long');
    const binance = parsePricesCsv(
      'Open time,Open,High,Low,Close,Volume,Close time,Quote volume,Count\n1704067200000,1,2,0.5,1.5,10,1704070799999,15,3\n',
      'btc-1h.csv',
      'BTC',
    );
    assert.ok(binance.ok && binance.value.format === 'csv-ohlcv');
    assert.equal(binance.value.series[0]!.prices[0], 1.5);
    const loose = parsePricesCsv('Date (UTC),BTC\n2024-01-01,1\n', 'd.csv', 'X');
    assert.ok(loose.ok && loose.value.format === 'csv-wide');
  });

  it('refuses a header of field names that has no price column', () => {
    const ps = problems(
      parsePricesCsv('timestamp,symbol,volume\n2024-01-01,BTC,5\n', 'v.csv', 'X'),
    );
    assert.equal(ps[0]!.code, 'csv_missing_column');
    assert.equal(ps[0]!.params!.wanted, 'close');
  });
});

describe('times', () => {
  it('reads year 0024 as the year 24, never 1924', () => {
    const r = readIsoTime('0024-01-01');
    assert.ok(r.ok);
    assert.equal(r.time, Date.parse('0024-01-01T00:00:00Z'));
    assert.equal(new Date(r.time).getUTCFullYear(), 24);
    const f = parsePricesCsv('date,BTC\n0024-01-01,1\n0099-12-31T23:00Z,2\n', 'y.csv', 'X');
    assert.ok(f.ok);
    assert.deepEqual(
      f.value.series[0]!.times.map((t) => new Date(t).toISOString()),
      ['0024-01-01T00:00:00.000Z', '0099-12-31T23:00:00.000Z'],
    );
  });

  it('refuses a +99:99 offset at its line and column, and says why', () => {
    const ps = problems(parsePricesCsv('date,BTC\n2024-01-01T00:00+99:99,1\n', 'o.csv', 'X'));
    assert.equal(ps[0]!.code, 'bad_time');
    assert.deepEqual([ps[0]!.params!.line, ps[0]!.params!.column], [2, 1]);
    assert.match(describeDataProblem(ps[0]!), /UTC offset \+99:99 is out of range/);
    assert.ok(readIsoTime('2024-01-01T00:00+18:00').ok);
    assert.ok(!readIsoTime('2024-01-01T00:00+18:01').ok);
    assert.ok(!readIsoTime('2024-01-01T00:00+05:60').ok);
  });

  it('refuses an epoch number outside the years 0000 to 9999', () => {
    const ps = problems(parsePricesCsv('time,BTC\n1e300,1\n', 'e.csv', 'X'));
    assert.equal(ps[0]!.code, 'bad_time');
    assert.match(String(ps[0]!.params!.detail), /outside the years 0000 to 9999/);
  });
});

describe('special files: refused at once, never read', () => {
  it('refuses a named pipe (FIFO) without waiting for a writer', async (t) => {
    const fifo = join(dir, 'pipe.csv');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      t.skip('mkfifo is not available here');
      return;
    }
    const ps = problems(await within(5000, loadPricesFile(fifo)));
    assert.equal(ps[0]!.code, 'file_not_regular');
    assert.match(describeDataProblem(ps[0]!), /named pipe/);
  });

  it('refuses /dev/zero and /dev/urandom, and a folder', async () => {
    for (const dev of ['/dev/zero', '/dev/urandom']) {
      if (!existsSync(dev)) continue;
      const ps = problems(await within(5000, loadPricesFile(dev)));
      assert.equal(ps[0]!.code, 'file_not_regular', dev);
      assert.match(describeDataProblem(ps[0]!), /character device/);
    }
    assert.equal(problems(await loadPricesFile(dir))[0]!.code, 'file_not_regular');
  });

  it('refuses a file over the size limit before reading it, naming both sizes', async () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, 'date,BTC\n');
    truncateSync(big, LIMITS.fileBytes + 1); // sparse: no disk used
    const ps = problems(await within(5000, loadPricesFile(big)));
    assert.equal(ps[0]!.code, 'file_too_large');
    assert.match(describeDataProblem(ps[0]!), /256\.0 MB; files up to 256\.0 MB are read/);
    const json = join(dir, 'big.json');
    writeFileSync(json, '[');
    truncateSync(json, LIMITS.jsonBytes + 1);
    const pj = problems(await within(5000, loadPricesFile(json)));
    assert.equal(pj[0]!.code, 'file_too_large');
    assert.match(describeDataProblem(pj[0]!), /the JSON file is 16\.0 MB/);
  });
});

describe('depth, width, length and huge values', () => {
  it('reports a JSON file nested 100,000 deep at the value that goes too deep, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const ps = problems(parsePricesJson(deep, 'deep.json', 'X'));
    assert.equal(ps[0]!.code, 'json_too_deep');
    assert.deepEqual([ps[0]!.params!.line, ps[0]!.params!.column], [1, LIMITS.jsonDepth + 1]);
    const objects = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    assert.equal(problems(parsePricesJson(objects, 'deep.json', 'X'))[0]!.code, 'json_too_deep');
  });

  it('stops at the asset, row and value limits with an error at the line where it stopped', () => {
    const small = { ...LIMITS, assets: 3, rows: 5, values: 8 };
    const wide = parsePricesCsv('date,A,B,C,D\n2024-01-01,1,2,3,4\n', 'a.csv', 'X', small);
    assert.equal(problems(wide)[0]!.code, 'too_many_assets');
    const rows = Array.from({ length: 9 }, (_, i) => `2024-01-0${i + 1},1`).join('\n');
    const long = problems(parsePricesCsv(`date,BTC\n${rows}\n`, 'r.csv', 'X', small));
    assert.deepEqual([long[0]!.code, long[0]!.params!.line], ['too_many_rows', 7]);
    const two = Array.from({ length: 5 }, (_, i) => `2024-01-0${i + 1},1,2`).join('\n');
    const values = problems(parsePricesCsv(`date,A,B\n${two}\n`, 'v.csv', 'X', small));
    assert.deepEqual([values[0]!.code, values[0]!.params!.line], ['too_many_values', 6]);
    for (const p of [...problems(wide), ...long, ...values])
      assert.match(describeDataProblem(p), /docs\/data\.md/);
  });

  it('reports a 5,000-column header at once and reads one just inside the limit', () => {
    const n = LIMITS.assets + 1;
    const names = Array.from({ length: n }, (_, i) => `A${i}`);
    const row = Array.from({ length: n }, () => '1');
    const ps = problems(
      parsePricesCsv(`date,${names.join(',')}\n2024-01-01,${row.join(',')}\n`, 'w.csv', 'X'),
    );
    assert.equal(ps[0]!.code, 'too_many_assets');
    assert.ok(describeDataProblem(ps[0]!).length < 300);
  });

  it('refuses a file with more assets than the limit from its first chunk, without reading on', async () => {
    const n = LIMITS.assets + 1;
    const header = 'date,' + Array.from({ length: n }, (_, i) => `A${i}`).join(',');
    const row = ',' + Array.from({ length: n }, () => '1.5').join(',');
    const lines = [header];
    for (let i = 0; i < 300; i++) lines.push(`${1_704_067_200 + i * 3600}${row}`);
    const path = join(dir, 'wide-10k.csv');
    writeFileSync(path, lines.join('\n'));
    const reads: number[] = [];
    const ps = problems(await loadPricesFile(path, { onProgress: (p) => reads.push(p.done) }));
    assert.deepEqual(
      [ps[0]!.code, ps[0]!.params!.found, ps[0]!.params!.line],
      ['too_many_assets', n, 1],
    );
    assert.equal(reads.length, 1, `read ${reads.join(', ')} bytes`);
  });

  it('quotes at most a few dozen characters of a 20 MB number, in bounded time', () => {
    const huge = '1'.repeat(20_000_000) + 'x';
    const t0 = performance.now();
    const ps = problems(parsePricesCsv(`date,BTC\n2024-01-01,${huge}\n`, 'h.csv', 'X'));
    const words = describeDataProblem(ps[0]!);
    assert.equal(ps[0]!.code, 'bad_number');
    assert.ok(words.length < 300, words);
    assert.match(words, /… \(20,000,001 characters\)/);
    assert.ok(performance.now() - t0 < 5000);
  });
});

describe('wording of the new file problems', () => {
  it('has words for every limit and refusal, each starting with where', () => {
    for (const code of [
      'file_too_large',
      'too_many_rows',
      'too_many_values',
      'too_many_assets',
      'csv_no_time_column',
      'field_named_asset',
      'missing_prices',
      'json_too_deep',
    ])
      assert.ok(fileMessages[code], code);
  });
});

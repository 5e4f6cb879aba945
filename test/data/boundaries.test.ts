// Edges of the data layer a one-character slip would move: line numbers in files with Windows
// line ends, and which part of a cached exchange range is served or fetched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ok, type Result } from '../../src/engine/result';
import { fetchWithCache, type RowCache } from '../../src/data/exchanges/cache';
import { parsePricesCsv, parsePricesJson } from '../../src/data/files';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function problemsOf(r: Result<unknown>) {
  assert.equal(r.ok, false, 'expected a failure');
  return r.ok ? [] : r.problems;
}

describe('line numbers in files with CRLF line ends', () => {
  it('point a bad CSV price at its own line and column, not one off', () => {
    const text = 'date,BTC,ETH\r\n2024-01-01,42000,2300\r\n\r\n2024-01-03,43000,abc\r\n';
    const p = problemsOf(parsePricesCsv(text, 'crlf.csv', 'X'))[0];
    assert.deepEqual([p?.code, p?.params?.line, p?.params?.column], ['bad_number', 4, 18]);
  });

  it('point a bad time in a CRLF CSV at its line, the same as with LF', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['date,BTC', '2024-01-01,1', '2024-01-02,2', '2024-02-30,3', ''].join(eol);
      const p = problemsOf(parsePricesCsv(text, 'd.csv', 'X'))[0];
      assert.deepEqual([p?.code, p?.params?.line, p?.params?.column], ['bad_time', 4, 1]);
    }
  });

  it('point a bad JSON value at its own line in a CRLF file', () => {
    const text =
      '{\r\n  "BTC": [\r\n    [1704067200000, 1],\r\n    [1704153600000, "x"]\r\n  ]\r\n}';
    const p = problemsOf(parsePricesJson(text, 'crlf.json', 'X'))[0];
    assert.deepEqual([p?.code, p?.params?.line, p?.params?.column], ['bad_number', 4, 21]);
  });
});

describe('fetchWithCache', () => {
  type Row = { time: number; v: number };
  const rows = (from: number, to: number): Row[] =>
    Array.from({ length: to - from }, (_, i) => ({ time: T0 + (from + i) * HOUR, v: from + i }));
  function job(cached: Row[], start: number, end: number) {
    const fetched: [number, number][] = [];
    const store = new Map<string, Row[]>([['k', cached]]);
    const cache: RowCache<Row> = {
      read: async (key) => ({ rows: store.get(key) ?? [] }),
      write: async (key, r) => void store.set(key, [...r]),
    };
    return {
      fetched,
      store,
      run: () =>
        fetchWithCache<Row>({
          key: 'k',
          cache,
          start: T0 + start * HOUR,
          end: T0 + end * HOUR,
          step: HOUR,
          label: 'test',
          fetchRange: async (s, e) => {
            fetched.push([(s - T0) / HOUR, (e - T0) / HOUR]);
            const lo = Math.ceil((s - T0) / HOUR);
            const hi = Math.ceil((e - T0) / HOUR);
            return ok(rows(lo, hi));
          },
        }),
    };
  }

  it('serves a shorter span inside the cached range from the cache alone: start in, end out', async () => {
    const j = job(rows(0, 100), 10, 50);
    const r = await j.run();
    assert.ok(r.ok);
    assert.deepEqual(j.fetched, []);
    assert.deepEqual(
      r.value.map((x) => x.v),
      rows(10, 50).map((x) => x.v),
    );
  });

  it('serves exactly the cached range without a fetch, up to its last row', async () => {
    const j = job(rows(0, 100), 0, 100);
    const r = await j.run();
    assert.ok(r.ok);
    assert.deepEqual(j.fetched, []);
    assert.equal(r.value.length, 100);
  });

  it('fetches only the missing head and tail, and keeps the whole union cached', async () => {
    const j = job(rows(10, 20), 5, 25);
    const r = await j.run();
    assert.ok(r.ok);
    assert.deepEqual(j.fetched, [
      [5, 10],
      [20, 25],
    ]);
    assert.deepEqual(
      r.value.map((x) => x.v),
      rows(5, 25).map((x) => x.v),
    );
    assert.equal(j.store.get('k')?.length, 20);
  });
});

describe('the CSV and JSON readers at their edges', () => {
  it('refuse text after a closing quote, and accept a quote closed at the line end', () => {
    const p = problemsOf(parsePricesCsv('date,BTC\n2024-01-01,"42000"x\n', 'q.csv', 'X'))[0];
    assert.deepEqual([p?.code, p?.params?.line], ['csv_quote_in_field', 2]);
    for (const eol of ['\n', '\r\n']) {
      const r = parsePricesCsv(`date,BTC${eol}2024-01-01,"42000"${eol}`, 'q.csv', 'X');
      assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
      assert.deepEqual(r.value.series[0]?.prices, [42000]);
    }
  });

  it('unescape a JSON key: "ETH\\/BTC" is the asset ETH/BTC', () => {
    const r = parsePricesJson('{ "ETH\\/BTC": [[1704067200000, 0.05]] }', 'e.json', 'X');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    assert.deepEqual(
      r.value.series.map((s) => s.asset),
      ['ETH/BTC'],
    );
  });

  it('read an empty JSON array with spaces inside as an empty array', () => {
    const tight = parsePricesJson('{ "BTC": [] }', 'e.json', 'X');
    const spaced = parsePricesJson('{ "BTC": [ \r\n ] }', 'e.json', 'X');
    assert.deepEqual(
      problemsOf(spaced).map((p) => p.code),
      problemsOf(tight).map((p) => p.code),
    );
    assert.notEqual(problemsOf(spaced)[0]?.code, 'json_syntax');
  });
});

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Problem, Result } from '../../src/engine/result';
import {
  assetFromFileName,
  loadFundingFile,
  loadPricesFile,
  type LoadedPrices,
} from '../../src/data/files';
import { fileMessages } from '../../src/data/file-messages';
import { describeDataProblem as describeProblem } from '../../src/data/messages';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hedgebook-files-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`expected ok, got ${JSON.stringify(r.problems)}`);
  return r.value;
}

function problems(r: Result<unknown>): Problem[] {
  if (r.ok) assert.fail('expected a failure');
  return [...r.problems];
}

const DAY = 86_400_000;
const JAN1 = Date.UTC(2024, 0, 1);

function asMap(v: LoadedPrices): Record<string, [number, number][]> {
  return Object.fromEntries(
    v.series.map((s) => [s.asset, s.times.map((t, i) => [t, s.prices[i]!] as [number, number])]),
  );
}

describe('loadPricesFile: CSV layouts', () => {
  it('reads a wide CSV with ISO dates into one series per column', async () => {
    const v = value(
      await loadPricesFile(
        write('wide.csv', 'date,BTC,ETH\n2024-01-01,42000,2300\n2024-01-02,43000.5,2350\n'),
      ),
    );
    assert.equal(v.format, 'csv-wide');
    assert.equal(v.timeFormat, 'iso');
    assert.equal(v.rows, 2);
    assert.equal(v.source, 'wide.csv');
    assert.deepEqual(asMap(v), {
      BTC: [
        [JAN1, 42000],
        [JAN1 + DAY, 43000.5],
      ],
      ETH: [
        [JAN1, 2300],
        [JAN1 + DAY, 2350],
      ],
    });
  });

  it('treats an empty cell in a wide CSV as a gap, not an error', async () => {
    const v = value(
      await loadPricesFile(
        write('gap.csv', 'date,BTC,SOL\n2024-01-01,42000,\n2024-01-02,43000,95\n'),
      ),
    );
    assert.deepEqual(asMap(v).SOL, [[JAN1 + DAY, 95]]);
    assert.equal(asMap(v).BTC!.length, 2);
  });

  it('reads a long CSV (timestamp,symbol,close) grouping rows by symbol in first-seen order', async () => {
    const v = value(
      await loadPricesFile(
        write(
          'long.csv',
          'timestamp,symbol,close\n2024-01-01,ETH,2300\n2024-01-01,BTC,42000\n2024-01-02,ETH,2350\n',
        ),
      ),
    );
    assert.equal(v.format, 'csv-long');
    assert.deepEqual(
      v.series.map((s) => s.asset),
      ['ETH', 'BTC'],
    );
    assert.deepEqual(asMap(v).ETH, [
      [JAN1, 2300],
      [JAN1 + DAY, 2350],
    ]);
  });

  it('reads an OHLCV CSV using the close and naming the asset from the file name', async () => {
    const v = value(
      await loadPricesFile(
        write(
          'sol-1d.csv',
          'timestamp,open,high,low,close,volume\n2024-01-01,90,99,89,95,1000\n2024-01-02,95,97,93,96,800\n',
        ),
      ),
    );
    assert.equal(v.format, 'csv-ohlcv');
    assert.deepEqual(asMap(v), {
      SOL: [
        [JAN1, 95],
        [JAN1 + DAY, 96],
      ],
    });
  });

  it('names an OHLCV asset as the caller says when given', async () => {
    const v = value(
      await loadPricesFile(write('candles.csv', 'time,close\n2024-01-01,95\n'), {
        asset: 'SOL',
      }),
    );
    assert.deepEqual(
      v.series.map((s) => s.asset),
      ['SOL'],
    );
  });

  it('skips # comment lines and blank lines and handles CRLF, a BOM and quoted fields', async () => {
    const v = value(
      await loadPricesFile(
        write(
          'crlf.csv',
          '\ufeff# synthetic data\r\n"date","BTC"\r\n\r\n2024-01-01,"42000"\r\n# note\r\n2024-01-02,43000\r\n',
        ),
      ),
    );
    assert.deepEqual(asMap(v).BTC, [
      [JAN1, 42000],
      [JAN1 + DAY, 43000],
    ]);
  });

  it('reads a semicolon-separated file', async () => {
    const v = value(await loadPricesFile(write('semi.csv', 'date;BTC\n2024-01-01;42000\n')));
    assert.deepEqual(asMap(v).BTC, [[JAN1, 42000]]);
  });
});

describe('loadPricesFile: times', () => {
  it('detects epoch seconds and converts them to milliseconds', async () => {
    const s = JAN1 / 1000;
    const v = value(await loadPricesFile(write('s.csv', `time,BTC\n${s},1\n${s + 3600},2\n`)));
    assert.equal(v.timeFormat, 'epoch-s');
    assert.deepEqual(v.series[0]!.times, [JAN1, JAN1 + 3_600_000]);
  });

  it('detects epoch milliseconds and keeps them', async () => {
    const v = value(await loadPricesFile(write('ms.csv', `time,BTC\n${JAN1},1\n`)));
    assert.equal(v.timeFormat, 'epoch-ms');
    assert.deepEqual(v.series[0]!.times, [JAN1]);
  });

  it('detects epoch microseconds', async () => {
    const v = value(await loadPricesFile(write('us.csv', `time,BTC\n${JAN1 * 1000},1\n`)));
    assert.equal(v.timeFormat, 'epoch-us');
    assert.deepEqual(v.series[0]!.times, [JAN1]);
  });

  it('reads ISO date-times with a space, fractions and offsets as UTC instants', async () => {
    const v = value(
      await loadPricesFile(
        write(
          'iso.csv',
          'time,BTC\n2024-01-01 08:00:00,1\n2024-01-01T08:00:00.250Z,2\n2024-01-01T10:00+02:00,3\n',
        ),
      ),
    );
    const h8 = JAN1 + 8 * 3_600_000;
    assert.deepEqual(v.series[0]!.times, [h8, h8 + 250, h8]);
  });

  it('reports a date that does not exist with its line and column', async () => {
    const ps = problems(
      await loadPricesFile(write('bad-date.csv', 'date,BTC\n2024-01-01,1\n2024-02-30,2\n')),
    );
    assert.deepEqual(ps[0], {
      code: 'bad_time',
      path: ['bad-date.csv', 3, 1],
      params: {
        file: 'bad-date.csv',
        line: 3,
        column: 1,
        value: '2024-02-30',
        detail: '2024-02 has no day 30',
      },
    });
  });

  it('refuses a column that mixes ISO dates and epoch numbers', async () => {
    const ps = problems(
      await loadPricesFile(write('mixed.csv', `date,BTC\n2024-01-01,1\n${JAN1},2\n`)),
    );
    assert.equal(ps[0]!.code, 'mixed_time_format');
    assert.equal(ps[0]!.params!.line, 3);
  });

  it('refuses a column that mixes epoch seconds and milliseconds', async () => {
    const ps = problems(
      await loadPricesFile(write('mixed2.csv', `date,BTC\n${JAN1 / 1000},1\n${JAN1},2\n`)),
    );
    assert.equal(ps[0]!.code, 'mixed_time_format');
    assert.equal(ps[0]!.params!.found, 'epoch milliseconds');
  });
});

describe('loadPricesFile: problems name the file, line and column', () => {
  it('reports a price that is not a number at its column', async () => {
    const ps = problems(
      await loadPricesFile(write('text.csv', 'date,BTC,ETH\n2024-01-01,42000,abc\n')),
    );
    assert.deepEqual(ps[0]!.params, {
      file: 'text.csv',
      line: 2,
      column: 18,
      value: 'abc',
      what: 'ETH price',
    });
  });

  it('reports a row with the wrong number of fields', async () => {
    const ps = problems(
      await loadPricesFile(write('count.csv', 'date,BTC,ETH\n2024-01-01,42000\n')),
    );
    assert.equal(ps[0]!.code, 'csv_field_count');
    assert.deepEqual(
      [ps[0]!.params!.line, ps[0]!.params!.expected, ps[0]!.params!.found],
      [2, 3, 2],
    );
  });

  it('reports an unclosed quote where it opens', async () => {
    const ps = problems(
      await loadPricesFile(write('quote.csv', 'date,BTC\n2024-01-01,"42000\n2024-01-02,1\n')),
    );
    assert.deepEqual(ps[0]!.params, { file: 'quote.csv', line: 2, column: 12 });
    assert.equal(ps[0]!.code, 'csv_unclosed_quote');
  });

  it('reports a duplicate column in the header', async () => {
    const ps = problems(await loadPricesFile(write('dup.csv', 'date,BTC,btc\n2024-01-01,1,2\n')));
    assert.equal(ps[0]!.code, 'csv_duplicate_column');
    assert.equal(ps[0]!.params!.column, 10);
  });

  it('reports a long file without a price column', async () => {
    const ps = problems(
      await loadPricesFile(write('noclose.csv', 'timestamp,symbol,volume\n2024-01-01,BTC,5\n')),
    );
    assert.equal(ps[0]!.code, 'csv_missing_column');
    assert.equal(ps[0]!.params!.wanted, 'close');
  });

  it('drops a non-positive price with a warning that says where', async () => {
    const r = await loadPricesFile(write('neg.csv', 'date,BTC\n2024-01-01,-5\n2024-01-02,42000\n'));
    const v = value(r);
    assert.deepEqual(asMap(v).BTC, [[JAN1 + DAY, 42000]]);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.params!.line, w.params!.column]),
      [['nonpositive_price', 2, 12]],
    );
  });

  it('stops after ten problems', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `x${i},1`).join('\n');
    const ps = problems(await loadPricesFile(write('many.csv', `date,BTC\n${rows}\n`)));
    assert.equal(ps.length, 10);
  });

  it('reports a missing file, an empty file and a header-only file', async () => {
    assert.equal(problems(await loadPricesFile(join(dir, 'nope.csv')))[0]!.code, 'file_not_found');
    assert.equal(problems(await loadPricesFile(write('empty.csv', ' \n')))[0]!.code, 'file_empty');
    assert.equal(
      problems(await loadPricesFile(write('hdr.csv', 'date,BTC\n')))[0]!.code,
      'no_rows',
    );
  });

  it('uses the display name the caller gives in problems and provenance', async () => {
    const path = write('named.csv', 'date,BTC\nyesterday,1\n');
    const ps = problems(await loadPricesFile(path, { displayName: 'data/named.csv' }));
    assert.equal(ps[0]!.params!.file, 'data/named.csv');
  });
});

describe('loadPricesFile: JSON', () => {
  it('reads { asset: [[time, price], ...] }', async () => {
    const v = value(
      await loadPricesFile(
        write('by-asset.json', JSON.stringify({ BTC: [[JAN1, 42000]], ETH: [[JAN1, 2300]] })),
      ),
    );
    assert.equal(v.format, 'json-by-asset');
    assert.deepEqual(asMap(v), { BTC: [[JAN1, 42000]], ETH: [[JAN1, 2300]] });
  });

  it('reads { asset: [{ time, price }] } with ISO strings and numeric strings', async () => {
    const v = value(
      await loadPricesFile(
        write('objs.json', JSON.stringify({ BTC: [{ time: '2024-01-01', price: '42000.5' }] })),
      ),
    );
    assert.deepEqual(asMap(v), { BTC: [[JAN1, 42000.5]] });
  });

  it('reads { series: [{ asset, times, prices }] }', async () => {
    const v = value(
      await loadPricesFile(
        write(
          'series.json',
          JSON.stringify({ series: [{ asset: 'BTC', times: [JAN1 / 1000], prices: [1] }] }),
        ),
      ),
    );
    assert.equal(v.format, 'json-series');
    assert.equal(v.timeFormat, 'epoch-s');
    assert.deepEqual(asMap(v), { BTC: [[JAN1, 1]] });
  });

  it('reads long, wide and one-asset records', async () => {
    const long = value(
      await loadPricesFile(
        write('long.json', JSON.stringify([{ timestamp: JAN1, symbol: 'BTC', close: 1 }])),
      ),
    );
    assert.equal(long.format, 'json-records-long');
    assert.deepEqual(asMap(long), { BTC: [[JAN1, 1]] });
    const wide = value(
      await loadPricesFile(write('wide.json', JSON.stringify([{ date: JAN1, BTC: 1, ETH: 2 }]))),
    );
    assert.equal(wide.format, 'json-records-wide');
    assert.deepEqual(asMap(wide), { BTC: [[JAN1, 1]], ETH: [[JAN1, 2]] });
    const single = value(
      await loadPricesFile(write('eth.json', JSON.stringify([{ time: JAN1, close: 3 }]))),
    );
    assert.equal(single.format, 'json-records-single');
    assert.deepEqual(asMap(single), { ETH: [[JAN1, 3]] });
  });

  it('reports a JSON syntax error at its line and column', async () => {
    const ps = problems(await loadPricesFile(write('syntax.json', '{\n  "BTC": [[1, 2],, ]\n}')));
    assert.deepEqual(ps[0], {
      code: 'json_syntax',
      path: ['syntax.json', 2],
      params: {
        file: 'syntax.json',
        line: 2,
        column: 18,
        expected: 'a value',
        found: '","',
      },
    });
  });

  it('reports a bad price value inside JSON at its own line and column', async () => {
    const ps = problems(
      await loadPricesFile(write('badval.json', '{\n  "BTC": [\n    [1704067200000, "x"]\n  ]\n}')),
    );
    assert.deepEqual(
      [ps[0]!.code, ps[0]!.params!.line, ps[0]!.params!.column],
      ['bad_number', 3, 21],
    );
  });

  it('reports a JSON document that is not a price file', async () => {
    assert.equal(
      problems(await loadPricesFile(write('num.json', '42')))[0]!.code,
      'json_unknown_shape',
    );
  });
});

describe('loadFundingFile', () => {
  it('reads timestamp,symbol,funding_rate with fractions and percentages', async () => {
    const r = await loadFundingFile(
      write(
        'funding.csv',
        `timestamp,symbol,funding_rate\n2024-01-01T00:00:00Z,BTCUSDT,0.0001\n2024-01-01T08:00:00Z,BTCUSDT,-0.01%\n`,
      ),
    );
    const v = value(r);
    assert.equal(v.timeFormat, 'iso');
    assert.deepEqual(v.rates, [
      { time: JAN1, symbol: 'BTCUSDT', rate: 0.0001 },
      { time: JAN1 + 8 * 3_600_000, symbol: 'BTCUSDT', rate: -0.0001 },
    ]);
  });

  it('reads exchange-style JSON records (fundingTime, fundingRate as text)', async () => {
    const v = value(
      await loadFundingFile(
        write(
          'funding.json',
          JSON.stringify([{ symbol: 'BTCUSDT', fundingTime: JAN1, fundingRate: '0.00010000' }]),
        ),
      ),
    );
    assert.deepEqual(v.rates, [{ time: JAN1, symbol: 'BTCUSDT', rate: 0.0001 }]);
  });

  it('reports a missing rate column and a bad rate at its location', async () => {
    assert.equal(
      problems(await loadFundingFile(write('f1.csv', 'timestamp,symbol\n1,BTC\n')))[0]!.params!
        .wanted,
      'funding_rate',
    );
    const ps = problems(
      await loadFundingFile(
        write('f2.csv', 'timestamp,symbol,funding_rate\n2024-01-01,BTC,high\n'),
      ),
    );
    assert.deepEqual(
      [ps[0]!.code, ps[0]!.params!.line, ps[0]!.params!.column],
      ['bad_number', 2, 16],
    );
  });
});

describe('file problem wording', () => {
  it('names the file, line and column first', () => {
    const text = fileMessages.bad_time!({ file: 'data/daily.csv', line: 3, column: 1, value: 'x' });
    assert.match(text, /^data\/daily\.csv line 3, column 1: "x" is not a time/);
  });

  it('reads the same through describeProblem', async () => {
    const r = await loadPricesFile(write('words.csv', 'date,BTC\n2024-01-01,4x\n'));
    assert.equal(
      describeProblem(problems(r)[0]!),
      'words.csv line 2, column 12: "4x" is not a number (BTC price). Write plain decimals such as 42150.5; leave the cell empty for no data.',
    );
  });

  it('has wording for every code the loaders produce', async () => {
    const codes = new Set<string>();
    const cases: [string, string][] = [
      ['a.csv', 'date,BTC\n2024-13-01,1\n'],
      ['b.csv', 'date,BTC\n2024-01-01,x\n'],
      ['c.csv', 'date,BTC,BTC\n'],
      ['d.csv', 'date,\n'],
      ['e.csv', 'date,BTC\n1,"2\n'],
      ['f.csv', 'date,BTC\n1,2"\n'],
      ['g.csv', 'date,BTC\n1\n'],
      ['h.csv', 'timestamp,symbol\n1,BTC\n'],
      ['i.csv', 'date\n1\n'],
      ['j.csv', 'timestamp,symbol,close\n1,,2\n'],
      ['k.csv', 'date,BTC\n,1\n'],
      ['l.json', '{'],
      ['m.json', '"x"'],
      ['n.json', '{"BTC": 1}'],
      ['o.json', '[{"close": 1}]'],
      ['p.json', '{"series": [{"asset": "BTC", "times": [1, 2], "prices": [1]}]}'],
      ['q.csv', 'date,BTC\n2024-01-01,1\n1,1\n'],
      ['r.csv', 'date,BTC\n'],
    ];
    for (const [name, text] of cases) {
      const r = await loadPricesFile(write(name, text));
      for (const p of r.ok ? r.warnings : r.problems) codes.add(p.code);
    }
    const neg = await loadPricesFile(write('s.csv', 'date,BTC\n2024-01-01,0\n'));
    if (neg.ok) neg.warnings.forEach((w) => codes.add(w.code));
    const f = await loadFundingFile(write('t.csv', 'timestamp,symbol,funding_rate\n1,BTC,\n'));
    if (!f.ok) f.problems.forEach((p) => codes.add(p.code));
    codes.add(problems(await loadPricesFile(join(dir, 'missing.csv')))[0]!.code);
    codes.add(problems(await loadPricesFile(write('u.csv', '\n')))[0]!.code);
    for (const code of codes) assert.ok(fileMessages[code], `no wording for ${code}`);
    assert.ok(codes.size >= 18, `only ${[...codes].join(', ')}`);
  });

  it('derives an asset name from a file name', () => {
    assert.deepEqual(
      ['btc-1d.csv', 'ETHUSDT_1h.json', 'sol.csv', '/x/y/uni.prices.csv'].map(assetFromFileName),
      ['BTC', 'ETHUSDT', 'SOL', 'UNI'],
    );
  });
});

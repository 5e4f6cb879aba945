import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readWideFast, WideCsvReader } from '../../src/data/fast-csv';
import { parsePricesCsv, parsePricesCsvExact, type LoadedPrices } from '../../src/data/files';
import type { Result } from '../../src/engine/result';

const DAY = 86_400_000;

/** A result as plain data: series as plain arrays, and the file line of every point. */
function plain(r: Result<LoadedPrices>) {
  if (!r.ok) return r;
  const v = r.value;
  return {
    ok: true,
    warnings: r.warnings,
    source: v.source,
    format: v.format,
    timeFormat: v.timeFormat,
    rows: v.rows,
    series: v.series.map((s) => ({
      asset: s.asset,
      times: [...s.times],
      prices: Array.from(s.prices),
      lines: s.times.map((_, i) => v.lineOf(s.asset, i)),
    })),
  };
}

/** Price cells as a file might write them (value, and the text for it). */
const cell = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: 1e-4, max: 1e6, noNaN: true }).map((p) => String(p)) },
  {
    weight: 6,
    arbitrary: fc.integer({ min: 1, max: 9_999_999 }).map((n) => (n / 1000).toFixed(3)),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 99_999 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('', 'NaN', 'null', 'NA', 'n/a', '-', 'None') },
  { weight: 1, arbitrary: fc.constantFrom('0', '-5', '-0', '0.0', '-1.5e3') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '1e3',
      '+7',
      '.5',
      '5.',
      '00012.5',
      ' 42 ',
      '1.2345678901234567',
      '123456789012345678',
      '1E-7',
      '0.000000000000000000000001234',
    ),
  },
);
/** Something the exact reader must report (the fast reader hands over to it). */
const hostile = fc.constantFrom('"1"', 'x', '1e', '€5', '1,2', '1e999', '0x10', '12a');

const file = fc
  .record({
    assets: fc.uniqueArray(fc.stringMatching(/^[A-Z][A-Z0-9]{0,4}$/), {
      minLength: 1,
      maxLength: 5,
      selector: (a) => a.toLowerCase(),
    }),
    rows: fc.integer({ min: 1, max: 40 }),
    start: fc.integer({ min: 11_700, max: 30_000 }).map((d) => d * DAY),
    time: fc.constantFrom(
      'iso-date',
      'iso-z',
      'iso-space',
      'iso-minutes',
      'iso-fraction',
      'iso-offset',
      'epoch-s',
      'epoch-ms',
    ),
    delimiter: fc.constantFrom(',', ';', '\t'),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    comments: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .chain((t) =>
    fc
      .record({
        cells: fc.array(
          fc.array(cell, { minLength: t.assets.length, maxLength: t.assets.length }),
          {
            minLength: t.rows,
            maxLength: t.rows,
          },
        ),
        // a few rows repeat the previous time (the aligner reports them, located by line)
        repeat: fc.array(fc.boolean(), { minLength: t.rows, maxLength: t.rows }),
      })
      .map((c) => ({ ...t, ...c })),
  );

type FileSpec = typeof file extends fc.Arbitrary<infer T> ? T : never;

function render(t: FileSpec, broken?: { row: number; col: number; text: string }): string {
  const time = (i: number): string => {
    const ms = t.start + i * 3_600_000;
    switch (t.time) {
      case 'iso-date':
        return new Date(t.start + i * DAY).toISOString().slice(0, 10);
      case 'iso-z':
        return new Date(ms).toISOString().replace('.000Z', 'Z');
      case 'iso-space':
        return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
      case 'iso-minutes':
        return new Date(ms).toISOString().slice(0, 16) + 'Z';
      case 'iso-fraction':
        return new Date(ms + 250).toISOString();
      case 'iso-offset':
        return new Date(ms).toISOString().slice(0, 16) + '+00:00';
      case 'epoch-s':
        return String(ms / 1000);
      default:
        return String(ms);
    }
  };
  const lines: string[] = [];
  if (t.comments) lines.push('# synthetic test data');
  lines.push(['date', ...t.assets].join(t.delimiter));
  let k = 0;
  t.cells.forEach((row, r) => {
    if (!t.repeat[r] || r === 0) k = r;
    const cells = row.map((c, j) =>
      broken && broken.row === r && broken.col === j ? broken.text : c,
    );
    const text = [time(k), ...cells].join(t.delimiter);
    lines.push(text);
    if (t.comments && r % 7 === 3) lines.push('', '# note');
  });
  return (t.bom ? '\ufeff' : '') + lines.join(t.eol) + (t.finalEol ? t.eol : '');
}

describe('the fast wide-CSV reader', () => {
  it('gives exactly what the exact reader gives, on any wide file it reads', () => {
    fc.assert(
      fc.property(file, (t) => {
        const text = render(t);
        const fast = readWideFast(Buffer.from(text, 'utf8'), 'p.csv');
        const exact = parsePricesCsvExact(text, 'p.csv', 'X');
        assert.deepEqual(plain(parsePricesCsv(text, 'p.csv', 'X')), plain(exact));
        // Clean files (every cell readable, times in order) go through the fast reader.
        if (exact.ok) assert.ok(fast !== null, `the fast reader handed over:\n${text}`);
      }),
      { numRuns: 300 },
    );
  });

  it('hands a file with a cell it cannot read to the exact reader, which names line and column', () => {
    fc.assert(
      fc.property(file, hostile, fc.nat(), fc.nat(), (t, bad, r, c) => {
        const broken = { row: r % t.rows, col: c % t.assets.length, text: bad };
        const text = render(t, broken);
        assert.equal(readWideFast(Buffer.from(text, 'utf8'), 'p.csv'), null);
        const got = parsePricesCsv(text, 'p.csv', 'X');
        assert.deepEqual(plain(got), plain(parsePricesCsvExact(text, 'p.csv', 'X')));
        assert.ok(!got.ok || got.warnings.length >= 0);
        if (!got.ok) {
          const p = got.problems[0]!;
          assert.equal(typeof p.params?.line, 'number');
          assert.equal(typeof p.params?.column, 'number');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads a file pushed in chunks of any size exactly as the whole file', () => {
    fc.assert(
      fc.property(
        file,
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        (t, sizes) => {
          const bytes = Buffer.from(render(t), 'utf8');
          const reader = new WideCsvReader('p.csv', 1); // a short guess: the columns must grow
          let at = 0;
          let k = 0;
          let going = true;
          while (at < bytes.length && going) {
            const n = sizes[k++ % sizes.length]!;
            going = reader.push(bytes.subarray(at, at + n));
            at += n;
          }
          const chunked = going ? reader.finish() : null;
          const whole = readWideFast(bytes, 'p.csv');
          const asPlain = (r: typeof whole) =>
            r && {
              warnings: r.warnings,
              rows: r.data.rows,
              lines: Array.from(r.data.lines),
              series: r.data.series.map((s) => ({
                ...s,
                times: [...s.times],
                prices: Array.from(s.prices),
              })),
            };
          assert.deepEqual(asPlain(chunked), asPlain(whole));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads numbers bit for bit as Number() does, including long and tiny ones', () => {
    const texts = [
      '0.1',
      '0.3',
      '42150.5',
      '9007199254740993',
      '123456789012345.6',
      '1.7976931348623157e308',
      '4.9e-324',
      '2.2250738585072014e-308',
      '0.000001',
      '99999999999999.99',
      '1e22',
      '1e23',
      '3.14159265358979323846',
    ];
    const text = `date,${texts.map((_, i) => `A${i}`).join(',')}\n2024-01-01,${texts.join(',')}\n`;
    const r = parsePricesCsv(text, 'n.csv', 'X');
    assert.ok(r.ok);
    assert.notEqual(readWideFast(Buffer.from(text), 'n.csv'), null);
    r.value.series.forEach((s, i) => assert.equal(s.prices[0], Number(texts[i]), texts[i]));
  });

  it('reads or hands over each time form exactly as the exact reader reads it', () => {
    const times = [
      '2024-02-29',
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '0024-01-01',
      '9999-12-31T23:59:59Z',
      '2024-01-01T24:00',
      '2024-01-01T23:60',
      '2024-01-01T23:59:60',
      '2024-01-01 08:00',
      '2024-01-01Z',
      '2024-01-01T08:00Z',
      '2024-01-01t08:00',
      '2024-1-01',
      '2024-01-01T08:00:00+02:00',
      '2024-01-01T08:00:00.5Z',
      '20240101',
    ];
    for (const t of times) {
      const text = `date,BTC\n${t},1\n`;
      assert.deepEqual(
        plain(parsePricesCsv(text, 't.csv', 'X')),
        plain(parsePricesCsvExact(text, 't.csv', 'X')),
        t,
      );
    }
  });

  it('shares one times array between the series of a file without gaps', () => {
    const r = parsePricesCsv('date,BTC,ETH\n2024-01-01,1,2\n2024-01-02,3,4\n', 'w.csv', 'X');
    assert.ok(r.ok);
    assert.equal(r.value.series[0]!.times, r.value.series[1]!.times);
    assert.ok(r.value.series[0]!.prices instanceof Float64Array);
  });
});

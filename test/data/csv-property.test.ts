import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePricesCsv, parsePricesJson } from '../../src/data/files';

const DAY = 86_400_000;
const asset = fc.stringMatching(/^[A-Z][A-Z0-9]{1,5}$/);
const price = fc.double({ min: 1e-6, max: 1e7, noNaN: true, noDefaultInfinity: true });

const table = fc
  .record({
    assets: fc.uniqueArray(asset, { minLength: 1, maxLength: 5, selector: (a) => a.toLowerCase() }),
    // From 2002 (epoch ms >= 1e12, never mistaken for seconds) to 2052.
    start: fc.integer({ min: 11_700, max: 30_000 }).map((d) => d * DAY),
    rows: fc.integer({ min: 1, max: 20 }),
    crlf: fc.boolean(),
  })
  .chain((t) =>
    fc
      .array(
        fc.array(fc.option(price, { freq: 5 }), {
          minLength: t.assets.length,
          maxLength: t.assets.length,
        }),
        {
          minLength: t.rows,
          maxLength: t.rows,
        },
      )
      .map((cells) => ({ ...t, cells })),
  );

/** What the file holds, per asset: [time, price] for every non-empty cell. */
function expected(t: { assets: string[]; start: number; cells: (number | null)[][] }) {
  return Object.fromEntries(
    t.assets.map((a, j) => [
      a,
      t.cells.flatMap((row, i) => (row[j] === null ? [] : [[t.start + i * DAY, row[j]!]])),
    ]),
  );
}

function got(
  series: readonly { asset: string; times: readonly number[]; prices: ArrayLike<number> }[],
) {
  return Object.fromEntries(series.map((s) => [s.asset, s.times.map((x, i) => [x, s.prices[i]])]));
}

describe('price files: round trips', () => {
  it('reads back any wide CSV exactly (ISO dates or epoch ms, gaps, CRLF)', () => {
    fc.assert(
      fc.property(table, fc.boolean(), (t, epoch) => {
        const eol = t.crlf ? '\r\n' : '\n';
        const time = (i: number) =>
          epoch
            ? String(t.start + i * DAY)
            : new Date(t.start + i * DAY).toISOString().slice(0, 10);
        const text =
          [
            ['date', ...t.assets].join(','),
            ...t.cells.map((row, i) =>
              [time(i), ...row.map((p) => (p === null ? '' : String(p)))].join(','),
            ),
          ].join(eol) + eol;
        const r = parsePricesCsv(text, 'p.csv', 'X');
        assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
        assert.equal(r.value.timeFormat, epoch ? 'epoch-ms' : 'iso');
        assert.deepEqual(got(r.value.series), expected(t));
      }),
      { numRuns: 150 },
    );
  });

  it('reads the same table written as JSON records', () => {
    fc.assert(
      fc.property(table, (t) => {
        const records = t.cells.map((row, i) => ({
          date: new Date(t.start + i * DAY).toISOString(),
          ...Object.fromEntries(t.assets.map((a, j) => [a, row[j]])),
        }));
        const r = parsePricesJson(JSON.stringify(records), 'p.json', 'X');
        assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
        assert.deepEqual(got(r.value.series), expected(t));
      }),
      { numRuns: 150 },
    );
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CellResult, type BetasResult, type HedgeResult } from '../../src/results';
import { fmtPrice, fmtUnits, fmtUsd, plural, timeFormatter } from '../../src/outputs/format';
import { buildTables, provenanceLine, type TableModel } from '../../src/outputs/tables';
import { sampleBetas, sampleHedge, samplePortfolio, savedResults } from './sample-results';

const table = (tables: TableModel[], id: string): TableModel => {
  const t = tables.find((x) => x.id === id);
  assert.ok(t, `no table ${id} in ${tables.map((x) => x.id).join(', ')}`);
  return t;
};
const column = (t: TableModel, label: string): string[] => {
  const k = t.columns.findIndex((c) => c.label === label);
  assert.ok(k >= 0, `no column ${label} in ${t.columns.map((c) => c.label).join(', ')}`);
  return t.rows.map((r) => r[k] as string);
};
const rowOf = (t: TableModel, first: string): readonly string[] => {
  const r = t.rows.find((x) => x[0] === first);
  assert.ok(r, `no row ${first}`);
  return r;
};

/** A betas result whose first row is the benchmark's own, exact by construction. */
function withBenchmarkRow(b: BetasResult): BetasResult {
  const self = {
    ...b.rows[0]!,
    asset: 'BTC',
    beta: 1,
    alpha: 0,
    alphaAnnual: 0,
    r2: 1,
    correlation: 1,
    stdErr: 0,
    tStat: null,
    ciLow: null,
    ciHigh: null,
  };
  return CellResult.parse({ ...b, rows: [self, ...b.rows] }) as BetasResult;
}

describe('the betas tables', () => {
  it("show the benchmark's own row as β 1.000, SE 0.000 and a dash for the interval and t-stat", () => {
    const tables = buildTables(withBenchmarkRow(sampleBetas()));
    const stats = table(tables, 'betas-stats');
    const btc = rowOf(stats, 'BTC');
    assert.equal(btc[1], '1.000');
    assert.equal(column(stats, '95% CI')[0], '—');
    assert.equal(column(stats, 'SE')[0], '0.000');
    assert.equal(column(table(tables, 'betas-adjusted'), 't-stat')[0], '—');
    // the other rows keep their numbers
    assert.match(column(stats, '95% CI')[1]!, /^\d\.\d{3} to \d\.\d{3}$/);
  });

  it('say the annual alpha is compounded and show it as a percentage', () => {
    const b = sampleBetas();
    const stats = table(buildTables(b), 'betas-stats');
    const alpha = column(stats, 'Alpha (ann., compounded)');
    assert.equal(alpha[0], `${((b.rows[0]!.alphaAnnual as number) * 100).toFixed(2)}%`);
  });

  it('show a Weight column for a portfolio and none for betas: all (no all-dash column)', () => {
    const b = sampleBetas();
    assert.ok(table(buildTables(b), 'betas-stats').columns.some((c) => c.label === 'Weight'));
    const all = CellResult.parse({
      ...b,
      name: 'all',
      portfolio: null,
      rows: b.rows.map((r) => ({ ...r, weight: null })),
    }) as BetasResult;
    const stats = table(buildTables(all), 'betas-stats');
    assert.ok(!stats.columns.some((c) => c.label === 'Weight'));
    for (const r of stats.rows) assert.equal(r.length, stats.columns.length);
  });
});

describe('the hedge tables', () => {
  it('add up the Net row of each column on its own: before from before, after from after', () => {
    const h: HedgeResult = {
      ...sampleHedge(),
      exposures: [
        { label: 'ETH', before: 70_000, after: 70_000 },
        { label: 'SOL', before: 50_000, after: 50_000 },
        { label: 'BTCUSDT-PERP', before: 0, after: -90_000 },
      ],
    };
    const net = rowOf(table(buildTables(h), 'hedge-exposure'), 'Net');
    assert.deepEqual(net, ['Net', '$120,000', '$30,000']);
  });

  it('label the hedge effectiveness as in-sample', () => {
    const ticket = table(buildTables(sampleHedge()), 'hedge-ticket');
    assert.equal(rowOf(ticket, 'Hedge effectiveness (in-sample)')[1], '62.00%');
  });
});

describe('times, counts and units in the tables', () => {
  it('write the times of daily data as dates and the data line with "1 row"', () => {
    const p = samplePortfolio();
    const withData = CellResult.parse({
      ...p,
      data: {
        source: 'data/daily.csv',
        start: '2024-08-28T00:00:00.000Z',
        end: '2024-08-28T00:00:00.000Z',
        rows: 1,
      },
    });
    assert.equal(
      table(buildTables(withData), 'portfolio-positions').title,
      'Positions as of 2024-08-28',
    );
    assert.equal(provenanceLine(withData), 'Data: data/daily.csv at 2024-08-28 (1 row)');
  });

  it('write intraday times to the minute, in UTC, all at one precision', () => {
    const b = sampleBetas();
    const hourly = CellResult.parse({
      ...b,
      data: { ...b.data, start: '2024-01-01T00:00:00.000Z', end: '2024-03-01T13:00:00.000Z' },
    });
    assert.equal(
      provenanceLine(hourly),
      `Data: data/daily.csv, 2024-01-01 00:00 UTC to 2024-03-01 13:00 UTC (${b.data!.rows} rows)`,
    );
  });

  it('write the times of trades, events and funding in a simulation as dates for daily data', () => {
    const kinds = savedResults('06-dynamic-hedge.hedgebook');
    const sim = kinds.find((r) => r.kind === 'simulate' && r.events.rows.length > 0);
    const funding = kinds.find((r) => r.kind === 'funding');
    assert.ok(sim && funding, 'sample 06 has a simulation with events and a funding cell');
    const tables = buildTables(sim);
    for (const id of ['simulate-trades', 'simulate-events'])
      for (const t of column(table(tables, id), 'Time')) assert.match(t, /^\d{4}-\d{2}-\d{2}$/, id);
    for (const t of [
      ...column(table(buildTables(funding), 'funding-symbols'), 'From'),
      ...column(table(buildTables(funding), 'funding-symbols'), 'To'),
    ])
      assert.match(t, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  });

  it('round coin units bought with USD to six significant digits', () => {
    const p = CellResult.parse({
      ...samplePortfolio(),
      positions: [{ asset: 'UNI', units: 961.805848, price: 8.3177, value: 8000, weight: 1 }],
    });
    assert.equal(column(table(buildTables(p), 'portfolio-positions'), 'Units')[0], '961.806');
  });
});

describe('format', () => {
  it('fmtUnits keeps whole units and six significant digits', () => {
    assert.equal(fmtUnits(961.805848), '961.806');
    assert.equal(fmtUnits(0.5), '0.5');
    assert.equal(fmtUnits(1500), '1,500');
    assert.equal(fmtUnits(1_234_567.8), '1,234,568');
    assert.equal(fmtUnits(0.00123456789), '0.00123457');
    assert.equal(fmtUnits(null), '—');
  });

  it('fmtPrice writes a price of exactly 1 with cents, like every price from 1 up', () => {
    assert.equal(fmtPrice(1), '1.00');
    assert.equal(fmtPrice(0.9999), '0.9999');
    assert.equal(fmtPrice(60_900.82), '60,900.82');
  });

  it('fmtUsd puts the sign before the dollar and writes nothing as $0', () => {
    assert.equal(fmtUsd(-1.814), '-$1.81');
    assert.equal(fmtUsd(-126_978.4), '-$126,978');
    assert.equal(fmtUsd(0), '$0');
    assert.equal(fmtUsd(-0.001), '$0');
    assert.equal(fmtUsd(0.5), '$0.50');
  });

  it('plural says "1 row" and "2 rows"', () => {
    assert.equal(plural(1, 'row'), '1 row');
    assert.equal(plural(2, 'row'), '2 rows');
    assert.equal(plural(0, 'row'), '0 rows');
    assert.equal(plural(1234, 'row'), '1,234 rows');
  });

  it('timeFormatter picks the coarsest precision that shows every time of the set exactly', () => {
    const days = timeFormatter(['2025-12-31T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);
    assert.equal(days('2025-12-31T00:00:00.000Z'), '2025-12-31');
    const hours = timeFormatter(['2025-12-31T00:00:00.000Z', '2025-12-31T08:00:00.000Z']);
    assert.equal(hours('2025-12-31T00:00:00.000Z'), '2025-12-31 00:00 UTC');
    assert.equal(hours('2025-12-31T08:00:00.000Z'), '2025-12-31 08:00 UTC');
    const seconds = timeFormatter(['2025-12-31T08:00:05.000Z']);
    assert.equal(seconds('2025-12-31T08:00:05.000Z'), '2025-12-31 08:00:05 UTC');
    assert.equal(days('not a time'), 'not a time');
    assert.equal(days(null), '—');
  });
});

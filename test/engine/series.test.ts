import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  alignSeries,
  frequencyLabel,
  inferFrequency,
  resample,
  toReturns,
  type AlignedPrices,
} from '../../src/engine/series';
import { assertProblem, assertWorded, close, value } from './helpers';
import { describeProblem } from '../../src/engine/messages';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2024, 0, 1); // a Monday

function hourly(n: number, start = T0): number[] {
  return Array.from({ length: n }, (_, i) => start + i * H);
}

describe('alignSeries', () => {
  it('names the one asset missing the latest price, not the assets that have it', () => {
    const times = [T0, T0 + D, T0 + 2 * D, T0 + 3 * D];
    const r = alignSeries([
      { asset: 'BTC', times, prices: [1, 2, 3, 4] },
      { asset: 'ETH', times, prices: [1, 2, 3, 4] },
      { asset: 'SOL', times: times.slice(0, 3), prices: [1, 2, 3] },
    ]);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.params?.asset, w.params?.count]),
      [['missing_times', 'SOL', 1]],
    );
    assert.equal(
      describeProblem(r.warnings[0]!),
      'SOL has no price at 2024-01-04, which the other series have; that time was left out for every asset (only times every series has are used).',
    );
  });

  it('blames the one series that has a time no other series has, in good English', () => {
    const times = [T0, T0 + D, T0 + 2 * D];
    const r = alignSeries([
      { asset: 'BTC', times: [...times, T0 + 3 * D], prices: [1, 2, 3, 4] },
      { asset: 'ETH', times, prices: [1, 2, 3] },
      { asset: 'SOL', times, prices: [1, 2, 3] },
    ]);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.path]),
      [['not_shared', ['prices', 'BTC', 3]]],
    );
    assert.match(
      describeProblem(r.warnings[0]!),
      /^BTC has a price at 2024-01-04 that the other series lack/,
    );
  });

  it('keeps only the timestamps every series shares and names the series that lacks each other one', () => {
    const r = alignSeries(
      [
        { asset: 'BTC', times: [1, 2, 3, 4], prices: [10, 11, 12, 13] },
        { asset: 'ETH', times: [2, 3, 4, 5], prices: [5, 6, 7, 8] },
      ],
      { minPoints: 2 },
    );
    const a = value(r);
    assert.deepEqual(a.times, [2, 3, 4]);
    assert.deepEqual(a.prices, { BTC: [11, 12, 13], ETH: [5, 6, 7] });
    assert.deepEqual(a.assets, ['BTC', 'ETH']);
    assert.deepEqual(a.dropped, [
      { asset: 'BTC', index: 0, time: 1, reason: 'not_shared' },
      { asset: 'ETH', index: 3, time: 5, reason: 'not_shared' },
    ]);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.path]),
      [
        ['missing_times', ['prices', 'BTC']], // BTC has no price at 5
        ['missing_times', ['prices', 'ETH']], // ETH has no price at 1
      ],
    );
    r.warnings.forEach(assertWorded);
  });

  it('drops non-positive and non-finite prices with a located warning, never filling them', () => {
    const times = hourly(6);
    const r = alignSeries([
      { asset: 'SOL', times, prices: [20, -1, 21, NaN, 0, 22] },
      { asset: 'BTC', times, prices: [100, 101, 102, 103, 104, 105] },
    ]);
    const a = value(r);
    assert.deepEqual(a.prices.SOL, [20, 21, 22]);
    assert.deepEqual(a.prices.BTC, [100, 102, 105]);
    assert.ok(r.ok);
    const codes = r.warnings.map((w) => `${w.code}@${w.path.join('/')}#${String(w.params?.count)}`);
    assert.ok(codes.includes('non_positive_price@prices/SOL/1#2'), codes.join(' '));
    assert.ok(codes.includes('non_finite_price@prices/SOL/3#1'), codes.join(' '));
    assert.ok(codes.includes('missing_times@prices/SOL#3'), codes.join(' '));
    r.warnings.forEach(assertWorded);
  });

  it('sorts unsorted input and keeps the first of duplicate timestamps, saying so', () => {
    const r = alignSeries([
      { asset: 'BTC', times: [3 * H, H, 2 * H, 2 * H], prices: [3, 1, 2, 9] },
    ]);
    const a = value(r);
    assert.deepEqual(a.times, [H, 2 * H, 3 * H]);
    assert.deepEqual(a.prices.BTC, [1, 2, 3]);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.path]),
      [
        ['unsorted_times', ['prices', 'BTC', 1]],
        ['duplicate_time', ['prices', 'BTC', 3]],
      ],
    );
    r.warnings.forEach(assertWorded);
  });

  it('reports each gap longer than 1.5 intervals with the number of missing periods', () => {
    const times = [...hourly(5), T0 + 8 * H, T0 + 9 * H, T0 + 10 * H];
    const r = alignSeries([{ asset: 'BTC', times, prices: times.map((_, i) => 100 + i) }]);
    assert.ok(r.ok);
    const gaps = r.warnings.filter((w) => w.code === 'gap');
    assert.equal(gaps.length, 1);
    assert.deepEqual(gaps[0]?.path, ['times', 5]);
    assert.equal(gaps[0]?.params?.missing, 3);
    assert.equal(gaps[0]?.params?.interval, '1h');
    assertWorded(gaps[0]!);
  });

  it('fails with too_little_overlap when the series share too few timestamps, keeping the reasons', () => {
    const r = alignSeries([
      { asset: 'BTC', times: [1, 2, 3], prices: [1, 2, 3] },
      { asset: 'ETH', times: [3, 4, 5], prices: [1, 2, 3] },
    ]);
    const problems = assertProblem(r, 'too_little_overlap', ['prices']);
    assert.equal(problems[0]?.params?.n, 1);
    assert.ok(problems.some((p) => p.code === 'missing_times'));
  });

  it('fails with too_little_overlap when every price is negative', () => {
    const problems = assertProblem(
      alignSeries([{ asset: 'X', times: [1, 2, 3], prices: [-1, -2, -3] }]),
      'too_little_overlap',
    );
    assert.ok(problems.some((p) => p.code === 'non_positive_price' && p.params?.count === 3));
  });

  it('reports empty input, empty series, duplicate names and mismatched lengths as problems', () => {
    assertProblem(alignSeries([]), 'no_series');
    assertProblem(alignSeries([{ asset: 'BTC', times: [], prices: [] }]), 'empty_series', [
      'prices',
      'BTC',
    ]);
    assertProblem(
      alignSeries([{ asset: 'BTC', times: [1, 2], prices: [1] }]),
      'mismatched_lengths',
      ['prices', 'BTC'],
    );
    assertProblem(
      alignSeries([
        { asset: 'BTC', times: [1, 2, 3], prices: [1, 2, 3] },
        { asset: 'BTC', times: [1, 2, 3], prices: [1, 2, 3] },
      ]),
      'duplicate_asset',
    );
    assertProblem(alignSeries([{ asset: 'BTC', times: [1], prices: [1] }]), 'too_little_overlap');
  });

  it('returns strictly increasing times and positive prices for any input, or worded problems', () => {
    const point = fc.tuple(
      fc.integer({ min: 0, max: 40 }),
      fc.oneof(fc.double(), fc.integer({ min: 1, max: 100 })),
    );
    const series = (asset: string) =>
      fc.array(point, { maxLength: 30 }).map((pts) => ({
        asset,
        times: pts.map((p) => p[0]),
        prices: pts.map((p) => p[1]),
      }));
    fc.assert(
      fc.property(series('A'), series('B'), (a, b) => {
        const r = alignSeries([a, b]);
        if (!r.ok) return r.problems.forEach(assertWorded);
        r.warnings.forEach(assertWorded);
        const v = r.value;
        for (let i = 1; i < v.times.length; i++) assert.ok(v.times[i]! > v.times[i - 1]!);
        for (const asset of v.assets) {
          assert.equal(v.prices[asset]!.length, v.times.length);
          for (const p of Array.from(v.prices[asset]!)) assert.ok(p > 0 && Number.isFinite(p));
        }
        // Every input point is either kept or listed as dropped.
        const kept = v.times.length;
        assert.equal(
          kept * 2 + v.dropped.length,
          a.times.length + b.times.length,
          JSON.stringify(v.dropped),
        );
      }),
    );
  });
});

describe('alignSeries on series that already line up', () => {
  const plain = (a: AlignedPrices) => ({
    ...a,
    prices: Object.fromEntries(Object.entries(a.prices).map(([k, v]) => [k, Array.from(v)])),
  });

  it('gives what the general path gives, sharing the typed arrays it was handed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.array(fc.double({ min: 0.01, max: 1e5, noNaN: true }), { minLength: 2, maxLength: 40 }),
        fc.boolean(),
        (n, raw, gap) => {
          const times = hourly(n);
          if (gap && n > 5) times.splice(3, 1, times[3]! + 30.5 * H);
          times.sort((a, b) => a - b);
          const col = (k: number) => Float64Array.from(times, (_, i) => raw[(i + k) % raw.length]!);
          const shared = [
            { asset: 'BTC', times, prices: col(0) },
            { asset: 'ETH', times, prices: col(1) },
          ];
          const copies = shared.map((s) => ({ ...s, times: [...s.times] }));
          const fast = alignSeries(shared, { minPoints: 2 });
          const general = alignSeries(copies, { minPoints: 2 });
          assert.equal(fast.ok, general.ok);
          if (!fast.ok || !general.ok) return;
          assert.deepEqual(plain(fast.value), plain(general.value));
          assert.deepEqual(fast.warnings, general.warnings);
          assert.equal(fast.value.prices.BTC, shared[0]!.prices);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('takes the general path when a shared series has a bad price or an unordered time', () => {
    const times = hourly(5);
    const bad = alignSeries(
      [
        { asset: 'BTC', times, prices: Float64Array.of(1, 2, 0, 4, 5) },
        { asset: 'ETH', times, prices: Float64Array.of(1, 2, 3, 4, 5) },
      ],
      { minPoints: 2 },
    );
    assert.ok(bad.ok);
    assert.deepEqual(bad.value.times.length, 4);
    assert.ok(bad.warnings.some((w) => w.code === 'non_positive_price'));
  });
});

describe('toReturns', () => {
  it('computes simple and log returns of length n - 1', () => {
    const s = toReturns([100, 110, 99], 'simple');
    assert.equal(s.length, 2);
    close(s[0], 0.1, 1e-15);
    close(s[1], -0.1, 1e-15);
    const l = toReturns([100, 110, 99], 'log');
    close(l[0], Math.log(1.1), 1e-15);
    close(l[1], Math.log(0.9), 1e-15);
    assert.equal(toReturns([5], 'log').length, 0);
    assert.equal(toReturns([], 'simple').length, 0);
  });

  it('keeps full precision for tiny returns on large prices', () => {
    // 100000 -> 100001: simple return exactly 1e-5 to ~1 ulp; log return = log1p(1e-5).
    const s = toReturns([1e5, 1e5 + 1], 'simple');
    close(s[0], 1e-5, 1e-15);
    assert.ok(Math.abs(s[0]! / 1e-5 - 1) < 1e-15);
    const l = toReturns([1e5, 1e5 + 1], 'log');
    assert.ok(Math.abs(l[0]! / Math.log1p(1e-5) - 1) < 1e-15);
  });

  it('makes log returns that add up to the log of the total move', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 2, maxLength: 50 }),
        (ps) => {
          const sum = toReturns(ps, 'log').reduce((a, b) => a + b, 0);
          close(sum, Math.log(ps[ps.length - 1]! / ps[0]!), 1e-10);
        },
      ),
    );
  });
});

describe('inferFrequency', () => {
  it('labels hourly, 4-hourly, daily and weekly data with 365-day annualization', () => {
    assert.deepEqual(value(inferFrequency(hourly(10))), {
      label: '1h',
      ms: H,
      periodsPerYear: 8760,
    });
    assert.equal(value(inferFrequency([0, 4 * H, 8 * H])).label, '4h');
    const d = value(inferFrequency([0, D, 2 * D, 3 * D]));
    assert.equal(d.label, '1d');
    assert.equal(d.periodsPerYear, 365);
    const w = value(inferFrequency([0, 7 * D, 14 * D]));
    assert.equal(w.label, '1w');
    close(w.periodsPerYear, 365 / 7);
    assert.equal(value(inferFrequency([0, 15 * 60_000, 30 * 60_000])).label, '15m');
  });

  it('uses the median interval, so a few gaps do not change the frequency', () => {
    const times = [0, H, 2 * H, 10 * H, 11 * H, 12 * H, 30 * H];
    assert.equal(value(inferFrequency(times)).label, '1h');
  });

  it('snaps a jittery interval to the whole unit', () => {
    assert.deepEqual(frequencyLabel(H + 1), { label: '1h', ms: H });
    assert.deepEqual(frequencyLabel(90 * 60_000), { label: '90m', ms: 90 * 60_000 });
    assert.deepEqual(frequencyLabel(250), { label: '250ms', ms: 250 });
  });

  it('fails with too_few_points or no_interval rather than guessing', () => {
    assertProblem(inferFrequency([]), 'too_few_points');
    assertProblem(inferFrequency([5]), 'too_few_points');
    assertProblem(inferFrequency([5, 5, 5]), 'no_interval');
  });
});

describe('resample', () => {
  const aligned = (times: number[], btc: number[]): AlignedPrices => ({
    times,
    assets: ['BTC'],
    prices: { BTC: btc },
    dropped: [],
  });

  it('keeps the last price of each UTC day, labelled with the day start', () => {
    const times = [T0, T0 + 6 * H, T0 + 23 * H, T0 + D + H, T0 + D + 5 * H, T0 + 3 * D];
    const r = resample(aligned(times, [1, 2, 3, 4, 5, 6]), D);
    assert.deepEqual(r.times, [T0, T0 + D, T0 + 3 * D]);
    assert.deepEqual(r.prices.BTC, [3, 5, 6]);
  });

  it('starts weekly buckets on Monday 00:00 UTC', () => {
    // 2024-01-01 is a Monday; 2024-01-07 (Sunday) still belongs to that week.
    const times = [T0, T0 + 6 * D, T0 + 7 * D];
    const r = resample(aligned(times, [1, 2, 3]), 7 * D);
    assert.deepEqual(r.times, [T0, T0 + 7 * D]);
    assert.deepEqual(r.prices.BTC, [2, 3]);
  });

  it('gives hourly data 24 times fewer points at daily frequency', () => {
    const times = hourly(24 * 5);
    const r = resample(
      aligned(
        times,
        times.map((_, i) => i + 1),
      ),
      D,
    );
    assert.equal(r.times.length, 5);
    assert.deepEqual(r.prices.BTC, [24, 48, 72, 96, 120]);
    assert.equal(value(inferFrequency(r.times)).label, '1d');
  });
});

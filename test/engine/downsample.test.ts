import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  frameIndices,
  lttbIndices,
  pick,
  roundSignificant,
  scatterIndices,
} from '../../src/engine/downsample';
import { mulberry32 } from '../../src/engine/synthetic';

const wave = (n: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(i / 50) + 0.001 * ((i * 7919) % 13));

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** A random walk with noise: the kind of series LTTB is fooled by (many local extremes). */
function noisyWalk(n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  let level = 0;
  return Array.from({ length: n }, () => {
    level += 0.01 * normal(rand);
    return level + 0.05 * normal(rand);
  });
}

const argmin = (ys: readonly number[]) => ys.reduce((b, v, i) => (v < ys[b]! ? i : b), 0);
const argmax = (ys: readonly number[]) => ys.reduce((b, v, i) => (v > ys[b]! ? i : b), 0);
const increasing = (idx: readonly number[]) => idx.every((v, i) => i === 0 || v > idx[i - 1]!);
const index = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('lttbIndices', () => {
  it('keeps the first and last point and returns the threshold count', () => {
    const y = wave(10_000);
    const idx = lttbIndices(index(y.length), y, 500);
    assert.equal(idx[0], 0);
    assert.equal(idx.at(-1), 9999);
    assert.ok(idx.length >= 500 && idx.length <= 502);
  });
  it('keeps a single spike and a single dip however many points are dropped', () => {
    const y = new Array(20_000).fill(1);
    y[12_345] = 50;
    y[777] = -50;
    const idx = lttbIndices(index(y.length), y, 100);
    assert.ok(idx.includes(12_345));
    assert.ok(idx.includes(777));
  });
  it('keeps the global minimum and maximum of a noisy series', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const y = noisyWalk(20_000, seed);
      const idx = lttbIndices(index(y.length), y, 60);
      assert.ok(idx.includes(argmin(y)), `seed ${seed}: minimum ${argmin(y)} dropped`);
      assert.ok(idx.includes(argmax(y)), `seed ${seed}: maximum ${argmax(y)} dropped`);
    }
  });
  it('returns every index when the series is already short', () => {
    assert.deepEqual(lttbIndices([0, 1, 2], [5, 6, 7], 10), [0, 1, 2]);
  });
  it('keeps the documented example', () => {
    assert.deepEqual(lttbIndices([0, 1, 2, 3, 4], [0, 5, 0, 0, 0], 3), [0, 1, 4]);
  });
  it('returns strictly increasing indices', () => {
    const y = wave(5000);
    assert.ok(increasing(lttbIndices(index(y.length), y, 321)));
  });
});

describe('frameIndices', () => {
  const n = 43_800;
  const t = index(n).map((i) => 1_700_000_000_000 + i * 3_600_000);

  it('keeps at most max rows of a long frame, first and last included', () => {
    const a = noisyWalk(n, 11);
    const b = noisyWalk(n, 12).map((v) => 1000 * v);
    const idx = frameIndices(t, [a, b], 400);
    assert.ok(idx.length <= 400 && idx.length >= 380, `kept ${idx.length}`);
    assert.equal(idx[0], 0);
    assert.equal(idx.at(-1), n - 1);
    assert.ok(increasing(idx));
  });
  it("keeps every column's own minimum and maximum", () => {
    const cols = [1, 2, 3, 4, 5].map((s) => noisyWalk(n, s));
    const idx = frameIndices(t, cols, 300);
    for (const c of cols) {
      assert.ok(idx.includes(argmin(c)), 'minimum dropped');
      assert.ok(idx.includes(argmax(c)), 'maximum dropped');
    }
  });
  it('keeps forced rows (event times) and stays within max', () => {
    const forced = [5, 17_000, 17_001, 40_000];
    const idx = frameIndices(t, [noisyWalk(n, 3)], 200, forced);
    for (const f of forced) assert.ok(idx.includes(f), `forced ${f} dropped`);
    assert.ok(idx.length <= 200);
  });
  it('ignores forced rows outside the frame', () => {
    const idx = frameIndices(t, [noisyWalk(n, 3)], 200, [-1, n, 2.5]);
    assert.ok(idx.every((i) => Number.isInteger(i) && i >= 0 && i < n));
  });
  it('drops leading and trailing gaps and keeps one row of an inner gap', () => {
    const y = noisyWalk(n, 4);
    for (let i = 0; i < 720; i++) y[i] = NaN; // a rolling window filling up
    for (let i = 20_000; i < 20_100; i++) y[i] = NaN;
    for (let i = n - 50; i < n; i++) y[i] = NaN;
    const idx = frameIndices(t, [y], 400);
    assert.equal(idx[0], 720);
    assert.equal(idx.at(-1), n - 51);
    assert.equal(idx.filter((i) => Number.isNaN(y[i]!)).length, 1);
  });
  it('keeps a row of a gap inside one column while the other column has values there', () => {
    const a = noisyWalk(n, 5);
    const b = noisyWalk(n, 6);
    for (let i = 30_000; i < 30_020; i++) b[i] = NaN;
    const idx = frameIndices(t, [a, b], 400);
    assert.ok(idx.some((i) => i >= 30_000 && i < 30_020 && Number.isNaN(b[i]!)));
  });
  it('follows every column closely: a linear interpolation of the kept rows stays near it', () => {
    const smooth = index(n).map((i) => Math.sin(i / 3000));
    const other = index(n).map((i) => 50 * Math.cos(i / 5000));
    const idx = frameIndices(t, [smooth, other], 400);
    for (const [c, range] of [
      [smooth, 2],
      [other, 100],
    ] as const) {
      let worst = 0;
      for (let k = 1; k < idx.length; k++) {
        const [a, b] = [idx[k - 1]!, idx[k]!];
        for (let i = a; i <= b; i++) {
          const interp = c[a]! + ((c[b]! - c[a]!) * (i - a)) / Math.max(b - a, 1);
          worst = Math.max(worst, Math.abs(interp - c[i]!));
        }
      }
      assert.ok(worst / range < 0.01, `max error ${worst / range} of the range`);
    }
  });
  it('returns every row when the frame is short enough', () => {
    assert.deepEqual(frameIndices([1, 2, 3], [[1, NaN, 3]], 10), [0, 1, 2]);
  });
  it('is deterministic', () => {
    const a = noisyWalk(n, 9);
    assert.deepEqual(frameIndices(t, [a], 250), frameIndices(t, [a], 250));
  });
});

describe('scatterIndices', () => {
  function cloud(n: number, seed: number) {
    const rand = mulberry32(seed);
    const x = index(n).map(() => 0.02 * normal(rand));
    const y = x.map((v) => 1.3 * v + 0.01 * normal(rand));
    return { x, y };
  }

  it('keeps at most max points', () => {
    const { x, y } = cloud(43_800, 1);
    const idx = scatterIndices(x, y, 300);
    assert.ok(idx.length <= 300 && idx.length >= 290, `kept ${idx.length}`);
    assert.ok(increasing(idx));
  });
  it('keeps the extreme points of x and y', () => {
    const { x, y } = cloud(20_000, 2);
    const idx = scatterIndices(x, y, 300);
    for (const i of [argmin(x), argmax(x), argmin(y), argmax(y)]) assert.ok(idx.includes(i));
  });
  it('keeps outliers off the fitted line even when they are not extreme in x or y', () => {
    const { x, y } = cloud(20_000, 3);
    // 25 days against the trend: inside the x and y ranges, far from the line y ≈ 1.3 x.
    const planted = index(25).map((k) => 500 + k * 700);
    planted.forEach((p, k) => {
      x[p] = 0.02 + 0.0004 * k;
      y[p] = -0.02 - 0.0003 * k;
    });
    const idx = scatterIndices(x, y, 300);
    for (const p of planted) assert.ok(idx.includes(p), `outlier ${p} dropped`);
  });
  it('keeps the density: the share of points near the centre is about the full cloud’s', () => {
    const { x, y } = cloud(43_800, 4);
    const idx = scatterIndices(x, y, 300);
    const near = (ids: readonly number[]) =>
      ids.filter((i) => Math.abs(x[i]!) < 0.02).length / ids.length;
    const full = near(index(x.length));
    const kept = near(idx);
    assert.ok(Math.abs(kept - full) < 0.12, `near-centre share ${kept} vs ${full}`);
  });
  it('keeps the shape: a sparse arm of the cloud is represented', () => {
    const { x, y } = cloud(40_000, 5);
    // 60 points on a separate arm far from the main cloud (0.3% of the data).
    for (let k = 0; k < 60; k++) {
      x[k * 600] = 0.08 + k * 0.0005;
      y[k * 600] = -0.02;
    }
    const idx = scatterIndices(x, y, 300);
    const arm = idx.filter((i) => x[i]! >= 0.08 && y[i] === -0.02).length;
    assert.ok(arm >= 3, `arm kept ${arm} points`);
  });
  it('never keeps a point without both coordinates, and keeps forced ones', () => {
    const { x, y } = cloud(5000, 6);
    x[10] = NaN;
    y[20] = Infinity;
    const idx = scatterIndices(x, y, 200, [10, 77]);
    assert.ok(!idx.includes(10) && !idx.includes(20));
    assert.ok(idx.includes(77));
    assert.ok(scatterIndices(x, y, 10_000).every((i) => i !== 10 && i !== 20));
  });
  it('samples a degenerate cloud (an asset against itself) without failing', () => {
    const { x } = cloud(10_000, 7);
    const idx = scatterIndices(x, x, 300);
    assert.ok(idx.length > 250 && idx.length <= 300);
    assert.ok(idx.includes(argmin(x)) && idx.includes(argmax(x)));
  });
  it('is deterministic', () => {
    const { x, y } = cloud(10_000, 8);
    assert.deepEqual(scatterIndices(x, y, 300), scatterIndices(x, y, 300));
  });
});

describe('roundSignificant', () => {
  it('rounds to the given significant digits', () => {
    assert.equal(roundSignificant(0.0123456, 4), 0.01235);
    assert.equal(roundSignificant(-1234.5678, 4), -1235);
    assert.equal(roundSignificant(1.23456e-7, 3), 1.23e-7);
  });
  it('leaves zero and non-finite values alone', () => {
    assert.equal(roundSignificant(0, 4), 0);
    assert.ok(Number.isNaN(roundSignificant(NaN, 4)));
    assert.equal(roundSignificant(Infinity, 4), Infinity);
  });
});

describe('pick', () => {
  it('picks entries by index', () => {
    assert.deepEqual(pick(['a', 'b', 'c'], [0, 2]), ['a', 'c']);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { savedFrame, savedScatter } from '../../src/notebook/cells/common';
import type { SessionEnv } from '../../src/notebook/cells/context';
import { Frame, Scatter, SERIES_BOUNDS } from '../../src/results';
import { mulberry32 } from '../../src/engine/synthetic';

const env = (fullSeries = false) => ({
  env: { loadPrices: async () => ({ ok: false, problems: [] }), fullSeries } as SessionEnv,
});
const HOUR = 3_600_000;

function walk(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(n);
  let v = 1;
  for (let i = 0; i < n; i++) out[i] = v += 0.01 * (rand() - 0.5);
  return out;
}

describe('savedFrame', () => {
  const n = 43_800;
  const t = Array.from({ length: n }, (_, i) => 1_704_067_200_000 + i * HOUR);

  it('keeps at most the line bound of rows and says how many of how many', () => {
    const f = savedFrame(env(), t, { a: walk(n, 1), b: walk(n, 2) });
    assert.ok(Frame.safeParse(f).success);
    assert.ok(f.t.length <= SERIES_BOUNDS.linePoints);
    assert.deepEqual(f.points, { shown: f.t.length, of: n });
    assert.equal(f.columns.a?.length, f.t.length);
  });
  it('saves exact points rounded to the stated significant digits, and gaps as null', () => {
    const a = Float64Array.from([1.23456789, NaN, -0.000123456789]);
    const f = savedFrame(env(), [1, 2, 3], { a });
    assert.deepEqual(f.columns.a, [1.235, null, -0.0001235]);
    assert.deepEqual(f.t, [1, 2, 3]);
  });
  it('keeps forced rows', () => {
    const f = savedFrame(env(), t, { a: walk(n, 3) }, { forced: [12_345] });
    assert.ok(f.t.includes(t[12_345]!));
  });
  it('keeps every row in full precision with --full-series', () => {
    const a = walk(n, 4);
    const f = savedFrame(env(true), t, { a });
    assert.equal(f.t.length, n);
    assert.equal(f.columns.a?.[777], a[777]);
  });
});

describe('savedScatter', () => {
  const rand = mulberry32(9);
  const x = Array.from({ length: 20_000 }, () => rand() - 0.5);
  const y = x.map((v) => 1.2 * v + 0.1 * (rand() - 0.5));

  it('keeps at most the scatter bound of points, rounded, with their times when given', () => {
    const t = x.map((_, i) => i * HOUR);
    const s = savedScatter(env(), x, y, { t });
    assert.ok(Scatter.safeParse(s).success);
    assert.ok(s.x.length <= SERIES_BOUNDS.scatterPoints);
    assert.deepEqual(s.points, { shown: s.x.length, of: x.length });
    const i = s.t![5]! / HOUR;
    assert.equal(s.x[5], Number(x[i]!.toPrecision(SERIES_BOUNDS.digits)));
  });
  it('keeps every point with --full-series', () => {
    const s = savedScatter(env(true), x, y);
    assert.equal(s.x.length, x.length);
    assert.equal(s.y[100], y[100]);
  });
});

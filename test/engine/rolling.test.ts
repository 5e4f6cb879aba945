import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { betaStats } from '../../src/engine/beta';
import { mulberry32 } from '../../src/engine/synthetic';
import {
  constantWindows,
  FLAT_ASSET,
  FLAT_BENCHMARK,
  rollingBeta,
  rollingBetaOnly,
} from '../../src/engine/rolling';
import { assertProblem, assertWorded, close, value } from './helpers';

/** Deterministic pseudo-random numbers in [-0.5, 0.5) (the engine's mulberry32). */
function rng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() - 0.5;
}

/** Full-sample statistics of window [i-w+1 .. i], by the two-pass betaStats. */
function windowStats(a: ArrayLike<number>, m: ArrayLike<number>, i: number, w: number) {
  const sa = Array.prototype.slice.call(a, i - w + 1, i + 1) as number[];
  const sm = Array.prototype.slice.call(m, i - w + 1, i + 1) as number[];
  return betaStats(sa, sm, { periodsPerYear: 365 });
}

describe('rollingBeta', () => {
  it('matches hand-computed windows and leaves the first window-1 entries NaN', () => {
    const r = value(rollingBeta([0.02, -0.02, 0.04, 0.0], [0.01, -0.01, 0.02, 0.01], 3));
    assert.ok(Number.isNaN(r.beta[0]!) && Number.isNaN(r.beta[1]!));
    assert.ok(Number.isNaN(r.correlation[1]!) && Number.isNaN(r.stdErr[1]!));
    close(r.beta[2], 2, 1e-12);
    close(r.stdErr[2], 0, 1e-9);
    // Window x = [-0.01, 0.02, 0.01], y = [-0.02, 0.04, 0]: x̄ = ȳ = 0.02/3, so in units of
    // 1/300: dx = [-5, 4, 1], dy = [-8, 10, -2]; Sxy = 78, Sxx = 42 -> beta = 13/7.
    close(r.beta[3], 13 / 7, 1e-12);
  });

  it('equals the full-sample beta, correlation and stdErr of every window', () => {
    const data = fc
      .integer({ min: 4, max: 60 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.integer({ min: -300, max: 300 }), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: -300, max: 300 }), { minLength: n, maxLength: n }),
          fc.integer({ min: 3, max: n }),
        ),
      );
    fc.assert(
      fc.property(data, ([ai, mi, w]) => {
        const a = ai.map((v) => v / 1e4);
        const m = mi.map((v) => v / 1e4);
        const r = value(rollingBeta(a, m, w));
        for (let i = w - 1; i < m.length; i++) {
          const s = windowStats(a, m, i, w);
          if (!s.ok) {
            assert.equal(s.problems[0]?.code, 'flat_benchmark');
            assert.ok(r.flat[i]! & FLAT_BENCHMARK);
            assert.ok(Number.isNaN(r.beta[i]!));
            continue;
          }
          close(r.beta[i], s.value.beta, 1e-9, `beta[${i}]`);
          close(r.correlation[i], s.value.correlation, 1e-9, `corr[${i}]`);
          // Compared squared: near a perfect fit the residual sum is a difference of nearly equal
          // sums, and the square root turns its 1e-18 rounding into ~1e-5 (sqrt is steep at 0).
          close(r.stdErr[i]! ** 2, s.value.stdErr ** 2, 1e-7, `stdErr²[${i}]`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays accurate for prices near 1e5 over a long series (no catastrophic cancellation)', () => {
    const u = rng(7);
    const n = 20_000;
    const w = 500;
    const m = new Float64Array(n);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      m[i] = 1e5 + 50 * u();
      a[i] = 2e5 + 1.7 * (m[i]! - 1e5) + 20 * u();
    }
    const r = value(rollingBeta(a, m, w));
    for (let i = w - 1; i < n; i += 997) {
      const s = value(windowStats(a, m, i, w));
      close(r.beta[i], s.beta, 1e-9, `beta[${i}]`);
      close(r.correlation[i], s.correlation, 1e-9, `corr[${i}]`);
      assert.ok(Math.abs(r.stdErr[i]! / s.stdErr - 1) < 1e-7, `stdErr[${i}]`);
    }
  });

  it('stays accurate for returns near 1e-5 with a tiny spread', () => {
    const u = rng(11);
    const n = 20_000;
    const w = 720;
    const m = new Float64Array(n);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      m[i] = 1e-5 + 1e-7 * u();
      a[i] = 1e-5 + 0.8 * (m[i]! - 1e-5) + 3e-8 * u();
    }
    const r = value(rollingBeta(a, m, w));
    for (let i = w - 1; i < n; i += 1009) {
      const s = value(windowStats(a, m, i, w));
      assert.ok(Math.abs(r.beta[i]! / s.beta - 1) < 1e-9, `beta[${i}] ${r.beta[i]} vs ${s.beta}`);
      assert.ok(Math.abs(r.correlation[i]! / s.correlation - 1) < 1e-9, `corr[${i}]`);
      assert.ok(Math.abs(r.stdErr[i]! / s.stdErr - 1) < 1e-7, `stdErr[${i}]`);
    }
  });

  it('marks windows where the benchmark is flat, returns NaN there and warns once', () => {
    const m = [0.01, -0.01, 0, 0, 0, 0, 0.02, -0.01];
    const a = [0.02, -0.01, 0.01, 0.0, 0.03, 0.01, 0.03, -0.02];
    const r = rollingBeta(a, m, 3);
    const v = value(r);
    assert.deepEqual(Array.from(v.flat), [0, 0, 0, 0, FLAT_BENCHMARK, FLAT_BENCHMARK, 0, 0]);
    assert.ok(Number.isNaN(v.beta[4]!) && Number.isNaN(v.beta[5]!));
    assert.ok(Number.isFinite(v.beta[6]!) && Number.isFinite(v.beta[7]!));
    // after the flat stretch the statistics are exact again
    close(v.beta[7], value(windowStats(a, m, 7, 3)).beta, 1e-12);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.path, w.params?.count]),
      [['flat_window', ['market', 4], 2]],
    );
    r.warnings.forEach(assertWorded);
  });

  it('gives beta 0 and correlation 0 where the asset is flat, and flags it', () => {
    const v = value(rollingBeta([0.01, 0.01, 0.01, 0.02], [0.01, -0.02, 0.03, 0.01], 3));
    assert.equal(v.flat[2], FLAT_ASSET);
    assert.equal(v.beta[2], 0);
    assert.equal(v.correlation[2], 0);
    assert.equal(v.stdErr[2], 0);
    assert.equal(v.flat[3], 0);
  });

  it('costs the same per point whatever the window (no inner loop over the window)', () => {
    // Not a timing test: the same data with window 10 and window 9000 must agree with the
    // two-pass reference at the last index, which would not be the case if drift built up.
    const u = rng(3);
    const n = 12_000;
    const m = Float64Array.from({ length: n }, () => 0.01 * u());
    const a = m.map((x) => 1.2 * x + 0.004 * u());
    for (const w of [10, 9000]) {
      const r = value(rollingBeta(a, m, w));
      close(r.beta[n - 1], value(windowStats(a, m, n - 1, w)).beta, 1e-10);
    }
  });

  it('overwrites the arrays passed as out with the same numbers a fresh call gives', () => {
    const m1 = [0.01, 0, 0, 0, 0.02, -0.01, 0.03];
    const a1 = [0.02, 0.01, 0.0, 0.01, 0.03, -0.02, 0.02];
    const first = value(rollingBeta(a1, m1, 3));
    assert.ok(first.flat.some((f) => f !== 0));
    const m2 = [0.02, -0.01, 0.03, 0.01, -0.02, 0.01, 0.0];
    const a2 = [0.01, -0.02, 0.05, 0.0, -0.01, 0.02, 0.01];
    const fresh = value(rollingBeta(a2, m2, 3));
    const reused = value(rollingBeta(a2, m2, 3, { out: first }));
    assert.equal(reused.beta, first.beta);
    assert.deepEqual(Array.from(reused.beta), Array.from(fresh.beta));
    assert.deepEqual(Array.from(reused.stdErr), Array.from(fresh.stdErr));
    assert.deepEqual(Array.from(reused.flat), Array.from(fresh.flat));
  });

  it('reports bad inputs as located, worded problems', () => {
    assertProblem(rollingBeta([], [], 3), 'window_too_long');
    assertProblem(rollingBeta([0.01], [0.02], 3), 'window_too_long');
    assertProblem(rollingBeta([0.01, 0.02, 0.03], [0.01, 0.02], 3), 'mismatched_lengths');
    assertProblem(rollingBeta([0.01, 0.02, 0.03], [0.01, 0.02, 0.0], 2), 'invalid_window', [
      'window',
    ]);
    assertProblem(rollingBeta([0.01, 0.02, 0.03], [0.01, 0.02, 0.0], 2.5), 'invalid_window');
    assertProblem(
      rollingBeta([0.01, NaN, 0.03, 0.0], [0.01, 0.02, 0.0, 0.01], 3),
      'non_finite_value',
      ['asset', 1],
    );
    assertProblem(
      rollingBeta([0.01, 0.02, 0.03, 0.0], [0.01, 0.02, 0.0, Infinity], 3),
      'non_finite_value',
      ['market', 3],
    );
  });

  it('never throws, and is NaN only before the first full window or on a flat benchmark', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double(), fc.double()), { maxLength: 12 }),
        fc.integer({ min: 0, max: 6 }),
        (pts, w) => {
          const r = rollingBeta(
            pts.map((p) => p[0]),
            pts.map((p) => p[1]),
            w,
          );
          if (!r.ok) return r.problems.forEach(assertWorded);
          for (const arr of [r.value.beta, r.value.correlation, r.value.stdErr])
            for (let i = 0; i < arr.length; i++) {
              const undef: boolean = i < w - 1 || (r.value.flat[i]! & FLAT_BENCHMARK) !== 0;
              assert.equal(Number.isNaN(arr[i]!), undef, `entry ${i}`);
              assert.ok(undef || Number.isFinite(arr[i]!), `entry ${i} = ${arr[i]}`);
            }
        },
      ),
    );
  });

  it('fails on a NaN even when constant windows of both series follow it', () => {
    // The constant windows reset the running sums to exact values; the NaN before them must
    // still be reported, not washed out by the reset.
    const m = [0.01, NaN, 0.02, 0.0, 0.0, 0.0, 0.0, 0.01];
    const a = [0.02, 0.01, 0.03, 0.01, 0.01, 0.01, 0.01, 0.02];
    assertProblem(rollingBeta(a, m, 3), 'non_finite_value', ['market', 1]);
    assertProblem(rollingBetaOnly(a, m, 3), 'non_finite_value', ['market', 1]);
  });
});

describe('rollingBetaOnly', () => {
  it('gives the same beta, flags and warnings as rollingBeta', () => {
    // Values from a small set, so that runs of equal values (constant windows) are common.
    const data = fc
      .integer({ min: 4, max: 80 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n, maxLength: n }),
          fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          fc.integer({ min: 3, max: n }),
        ),
      );
    fc.assert(
      fc.property(data, ([ai, mi, hold, w]) => {
        // hold[i]: repeat the previous value (long runs)
        const m = mi.map((v, i) => (hold[i] && i > 0 ? mi[i - 1]! : v) / 100);
        const a = ai.map((v, i) => (hold[i] && i > 0 ? ai[i - 1]! : v) / 100);
        const full = rollingBeta(a, m, w);
        const only = rollingBetaOnly(a, m, w);
        assert.equal(only.ok, full.ok);
        if (!full.ok || !only.ok) return;
        assert.deepEqual(Array.from(only.value.flat), Array.from(full.value.flat));
        assert.deepEqual(only.warnings, full.warnings);
        for (let i = 0; i < m.length; i++) {
          const [p, q] = [only.value.beta[i]!, full.value.beta[i]!];
          if (Number.isNaN(q)) assert.ok(Number.isNaN(p), `beta[${i}]`);
          else close(p, q, 1e-12, `beta[${i}]`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stops at a bad value in the middle of a long series (the four-entry steps hand it back)', () => {
    const u = rng(11);
    const m = Array.from({ length: 64 }, () => 0.01 * u());
    const a = m.map((x) => 1.3 * x + 0.002 * u());
    for (const at of [37, 38, 39, 40]) {
      const bad = [...m];
      bad[at] = Infinity;
      assertProblem(rollingBetaOnly(a, bad, 5), 'non_finite_value', ['market', at]);
      const nan = [...a];
      nan[at] = NaN;
      assertProblem(rollingBetaOnly(nan, m, 5), 'non_finite_value', ['asset', at]);
    }
    const huge = [...m];
    huge[41] = 1e200; // finite, but its square overflows the co-moments
    assertProblem(rollingBetaOnly(a, huge, 5), 'numeric_range');
    assertProblem(rollingBeta(a, huge, 5), 'numeric_range');
  });

  it('reuses the arrays passed as out', () => {
    const m = [0.02, -0.01, 0.03, 0.01, -0.02, 0.01, 0.0];
    const a = [0.01, -0.02, 0.05, 0.0, -0.01, 0.02, 0.01];
    const first = value(rollingBetaOnly(a, m, 3));
    const again = value(rollingBetaOnly(a, m, 4, { out: first }));
    assert.equal(again.beta, first.beta);
    assert.deepEqual(Array.from(again.beta), Array.from(value(rollingBetaOnly(a, m, 4)).beta));
  });

  it('reports bad inputs as rollingBeta does', () => {
    assertProblem(rollingBetaOnly([0.01], [0.02], 3), 'window_too_long');
    assertProblem(rollingBetaOnly([0.01, 0.02, 0.03], [0.01, 0.02, 0.0], 2), 'invalid_window');
    assertProblem(
      rollingBetaOnly([0.01, 0.02, 0.03, 0.0], [0.01, 0.02, 0.0, Infinity], 3),
      'non_finite_value',
      ['market', 3],
    );
  });
});

describe('constantWindows', () => {
  it('finds exactly the windows a direct scan finds', () => {
    const data = fc.tuple(
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 40 }),
      fc.integer({ min: 3, max: 25 }),
    );
    fc.assert(
      fc.property(data, ([runs, values, w]) => {
        // runs of the given lengths with values from a tiny set (neighbouring runs may merge)
        const v = Float64Array.from(runs.flatMap((len, k) => Array(len + 1).fill(values[k] ?? k)));
        const flat = new Uint8Array(v.length);
        const spans = constantWindows(v, w, flat, 4);
        const expected: number[] = [];
        for (let i = w - 1; i < v.length; i++) {
          let same = true;
          for (let j = i - w + 1; j <= i; j++) same &&= v[j] === v[i];
          if (same) expected.push(i);
        }
        assert.deepEqual(
          Array.from(flat).flatMap((f, i) => (f === 4 ? [i] : [])),
          expected,
        );
        const fromSpans: number[] = [];
        for (let k = 0; k < spans.length; k += 2)
          for (let i = spans[k]!; i < spans[k + 1]!; i++) fromSpans.push(i);
        assert.deepEqual(fromSpans, expected);
      }),
      { numRuns: 500 },
    );
  });
});

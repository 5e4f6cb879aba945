import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  annualAlpha,
  benchmarkSelfStats,
  betaStats,
  betaTable,
  crossSectionPrior,
  downsideBeta,
  ewmaBeta,
  vasicekBeta,
} from '../../src/engine/beta';
import { assertProblem, assertWorded, close, value } from './helpers';

const daily = { periodsPerYear: 365 };

/** Returns between -5 % and +5 % in steps of 0.01 %, at least 3 and not all equal. */
const returns = (min = 3, max = 60) =>
  fc
    .array(fc.integer({ min: -500, max: 500 }), { minLength: min, maxLength: max })
    .filter((xs) => new Set(xs).size > 1)
    .map((xs) => xs.map((v) => v / 1e4));

/** Two aligned return series of the same length. */
const pair = fc
  .integer({ min: 3, max: 60 })
  .chain((n) =>
    fc.tuple(
      fc
        .array(fc.integer({ min: -500, max: 500 }), { minLength: n, maxLength: n })
        .map((xs) => xs.map((v) => v / 1e4)),
      fc
        .array(fc.integer({ min: -500, max: 500 }), { minLength: n, maxLength: n })
        .map((xs) => xs.map((v) => v / 1e4)),
    ),
  )
  .filter(([, m]) => new Set(m).size > 1);

describe('betaStats', () => {
  it('gives beta 2, alpha 0 and a perfect fit when the asset moves exactly twice the benchmark', () => {
    const s = value(betaStats([0.02, -0.02, 0.04], [0.01, -0.01, 0.02], daily));
    close(s.beta, 2);
    close(s.alpha, 0);
    close(s.r2, 1);
    close(s.correlation, 1);
    close(s.stdErr, 0);
    assert.equal(s.tStat, null);
    assert.equal(s.ciLow, null, 'no interval on an exact fit');
    assert.equal(s.ciHigh, null);
    assert.equal(s.n, 3);
  });

  it('matches hand-computed sums: beta 0.6, alpha 1, R² 0.36, stdErr √0.32', () => {
    // x̄ = ȳ = 2.5, Sxx = Syy = 5, Sxy = 3 -> β = 0.6, α = 1, r = 0.6, SSR = 5 - 0.6·3 = 3.2.
    const s = value(betaStats([2, 1, 4, 3], [1, 2, 3, 4], daily));
    close(s.beta, 0.6);
    close(s.alpha, 1);
    // +100 % a period, compounded over 365 periods (not 1 × 365 = +36,500 %)
    close(s.alphaAnnual, 2 ** 365 - 1, 1e-12);
    close(s.correlation, 0.6);
    close(s.r2, 0.36);
    close(s.stdErr, Math.sqrt(0.32));
    close(s.tStat, 0.6 / Math.sqrt(0.32));
    close(s.ciLow, 0.6 - 4.302652729749462 * Math.sqrt(0.32), 1e-12); // t(0.975, 2) from scipy
    close(s.volAnnual, Math.sqrt(5 / 3) * Math.sqrt(365));
    assert.equal(s.downsideBeta, null);
    close(s.blumeBeta, 0.67 * 0.6 + 0.33);
  });

  it('matches statsmodels OLS and pandas ewm on a small sample', () => {
    // Oracle: statsmodels 0.13.5 OLS(y, add_constant(x)).fit() and pandas 1.5.3
    // ewm(halflife=h).cov / .var (Debian python3), run by hand on these six points.
    const x = [-2, -1, 1, 2, -3, 0.5];
    const y = [-3, -1, 2, 1, -5, 1.5];
    const s = value(betaStats(y, x, { periodsPerYear: 365, ewmaHalfLife: 2 }));
    close(s.beta, 1.36613272, 1e-8);
    close(s.alpha, -0.18077803, 1e-8);
    close(s.stdErr, 0.25917794, 1e-8);
    close(s.tStat, 5.27102232, 1e-8);
    close(s.ciLow, 0.64653939, 1e-8);
    close(s.ciHigh, 2.08572605, 1e-8);
    close(s.r2, 0.8741492344029373, 1e-12);
    close(s.volAnnual, 53.27170918977539, 1e-12);
    close(s.ewmaBeta, 1.4378956245142738, 1e-12);
    close(ewmaBeta(y, x, 10), 1.377606462943647, 1e-12);
    // Downside periods x = [-2, -1, -3], y = [-3, -1, -5]: Sxy = 4, Sxx = 2.
    close(s.downsideBeta, 2);
  });

  it('gives beta 1 for a series against itself', () => {
    fc.assert(
      fc.property(returns(), (r) => {
        const s = value(betaStats(r, r, daily));
        close(s.beta, 1, 1e-12);
        close(s.correlation, 1, 1e-12);
        close(s.stdErr, 0, 1e-9);
      }),
    );
  });

  it('compounds the per-period alpha over the year: (1 + α)^P − 1 simple, e^(αP) − 1 log', () => {
    // x = [-1, 1, -1, 1] %, y = x + 0.1 %: β 1, α 0.001 a day exactly.
    const x = [-0.01, 0.01, -0.01, 0.01];
    const y = x.map((v) => v + 0.001);
    const simple = value(betaStats(y, x, { periodsPerYear: 365 }));
    close(simple.alpha, 0.001, 1e-12);
    close(simple.alphaAnnual, 1.001 ** 365 - 1, 1e-12); // 44.03 %, not 36.5 %
    const log = value(betaStats(y, x, { periodsPerYear: 365, returns: 'log' }));
    close(log.alphaAnnual, Math.exp(0.365) - 1, 1e-12); // 44.05 %
    close(value(betaStats(x, x, { periodsPerYear: 365 })).alphaAnnual, 0, 1e-15);
    // a negative alpha compounds toward −100 %, never past it
    const down = value(
      betaStats(
        x.map((v) => v - 0.001),
        x,
        { periodsPerYear: 365 },
      ),
    );
    close(down.alphaAnnual, 0.999 ** 365 - 1, 1e-12);
  });

  it('leaves beta unchanged when a constant is added to the asset returns', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: -1000, max: 1000 }), ([a, m], c) => {
        const shifted = a.map((v) => v + c / 1e4);
        const b0 = value(betaStats(a, m, daily)).beta;
        const b1 = value(betaStats(shifted, m, daily)).beta;
        close(b1, b0, 1e-9);
      }),
    );
  });

  it('scales beta by k when the asset returns are scaled by k', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: -50, max: 50 }), ([a, m], k10) => {
        const k = k10 / 10;
        const b0 = value(betaStats(a, m, daily)).beta;
        const scaled = value(
          betaStats(
            a.map((v) => v * k),
            m,
            daily,
          ),
        );
        close(scaled.beta, k * b0, 1e-9);
      }),
    );
  });

  it('keeps the interval around beta, R² in [0, 1] and Blume between beta and 1', () => {
    fc.assert(
      fc.property(pair, ([a, m]) => {
        const s = value(betaStats(a, m, daily));
        if (s.stdErr === 0) assert.ok(s.ciLow === null && s.ciHigh === null && s.tStat === null);
        else assert.ok((s.ciLow ?? NaN) <= s.beta && s.beta <= (s.ciHigh ?? NaN));
        assert.ok(s.r2 >= 0 && s.r2 <= 1);
        assert.ok(
          Math.min(s.beta, 1) - 1e-12 <= s.blumeBeta && s.blumeBeta <= Math.max(s.beta, 1) + 1e-12,
        );
        for (const v of Object.values(s)) if (typeof v === 'number') assert.ok(Number.isFinite(v));
      }),
    );
  });

  it('reports too_few_points for empty and one-point inputs', () => {
    assertProblem(betaStats([], [], daily), 'too_few_points');
    assertProblem(betaStats([0.01], [0.02], daily), 'too_few_points');
    assertProblem(betaStats([0.01, 0.02], [0.02, 0.01], daily), 'too_few_points');
  });

  it('reports flat_benchmark instead of NaN when the benchmark never moves', () => {
    assertProblem(betaStats([0.01, 0.02, -0.01], [0.001, 0.001, 0.001], daily), 'flat_benchmark', [
      'market',
    ]);
    // 0.1 summed ten times is not exactly 1: rounding noise must not pass for a moving benchmark.
    const m = Array.from({ length: 10 }, () => 0.1);
    assertProblem(
      betaStats(
        m.map((_, i) => i / 100),
        m,
        daily,
      ),
      'flat_benchmark',
    );
  });

  it('locates the first NaN or Infinity by series and index', () => {
    const p = assertProblem(
      betaStats([0.01, 0.02, NaN, 0.03], [0.01, 0.02, 0.03, 0.04], daily),
      'non_finite_value',
      ['asset', 2],
    );
    assert.equal(p[0]?.params?.value, 'NaN');
    const q = assertProblem(
      betaStats([0.01, 0.02, 0.0, 0.03], [0.01, Infinity, 0.03, -Infinity], daily),
      'non_finite_value',
      ['market', 1],
    );
    assert.equal(q[0]?.params?.count, 2);
  });

  it('reports mismatched_lengths with both lengths', () => {
    const p = assertProblem(
      betaStats([0.01, 0.02, 0.03], [0.01, 0.02], daily),
      'mismatched_lengths',
    );
    assert.equal(p[0]?.params?.leftLength, 3);
    assert.equal(p[0]?.params?.rightLength, 2);
  });

  it('rejects a non-positive periodsPerYear or half-life as invalid_parameter', () => {
    assertProblem(
      betaStats([0.01, 0.02, 0.03], [0.03, 0.01, 0.02], { periodsPerYear: 0 }),
      'invalid_parameter',
      ['periodsPerYear'],
    );
    assertProblem(
      betaStats([0.01, 0.02, 0.03], [0.03, 0.01, 0.02], { periodsPerYear: 365, ewmaHalfLife: -1 }),
      'invalid_parameter',
      ['ewmaHalfLife'],
    );
  });

  it('gives beta 0 and a flat_asset warning for an asset that never moves', () => {
    const r = betaStats([0, 0, 0, 0], [0.01, -0.02, 0.03, -0.01], {
      periodsPerYear: 365,
      ewmaHalfLife: 5,
    });
    const s = value(r);
    assert.equal(s.beta, 0);
    assert.equal(s.correlation, 0);
    assert.equal(s.ewmaBeta, 0);
    assert.ok(r.ok && r.warnings.some((w) => w.code === 'flat_asset'));
    if (r.ok) r.warnings.forEach(assertWorded);
  });

  it('reports numeric_range when finite benchmark values overflow their sum', () => {
    // 9.98e291 + MAX_VALUE rounds up past MAX_VALUE: every value is finite, the mean is not.
    const m = [0, 9.9792015476736e291, 0, 0, 0, Number.MAX_VALUE, 0];
    assertProblem(betaStats([0, 0, 0, 0, 0, 0, 0], m, daily), 'numeric_range', ['market']);
  });

  it('never returns NaN or throws on arbitrary doubles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double(), { maxLength: 8 }),
        fc.array(fc.double(), { maxLength: 8 }),
        (a, m) => {
          const r = betaStats(a, m, { periodsPerYear: 365, ewmaHalfLife: 3 });
          if (!r.ok) r.problems.forEach(assertWorded);
          else {
            for (const v of Object.values(r.value))
              if (typeof v === 'number') assert.ok(!Number.isNaN(v));
          }
        },
      ),
    );
  });
});

describe('adjusted betas', () => {
  it('shrinks a beta halfway to the prior when its stdErr equals the prior std (Vasicek)', () => {
    close(vasicekBeta(1.5, 0.5, { mean: 1, std: 0.5 }), 1.25);
    close(vasicekBeta(1.5, 0, { mean: 1, std: 0.5 }), 1.5);
    close(vasicekBeta(0.4, 1.5, { mean: 1, std: 0.5 }), 0.4 * 0.1 + 1 * 0.9);
  });

  it('builds a Vasicek prior from a cross-section of betas (mean and sample std)', () => {
    const p = value(crossSectionPrior([0.5, 1, 1.5]));
    close(p.mean, 1);
    close(p.std, 0.5);
    assertProblem(crossSectionPrior([1]), 'too_few_points');
    assertProblem(crossSectionPrior([1, 1]), 'flat_cross_section');
    assertProblem(crossSectionPrior([1, NaN]), 'non_finite_value', ['betas', 1]);
  });

  it('uses only the periods where the benchmark fell for downside beta', () => {
    close(downsideBeta([5, -3, 9, -1, -5], [1, -2, 2, -1, -3]), 2);
    assert.equal(downsideBeta([1, 2, 3], [-1, 1, 2]), null);
  });
});

describe('betaTable', () => {
  it('gives every asset the result betaStats gives it alone, problems included', () => {
    const table = fc
      .integer({ min: 0, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.integer({ min: -500, max: 500 }), { minLength: n, maxLength: n }),
          fc.array(
            fc.oneof(
              fc.array(fc.integer({ min: -500, max: 500 }), { minLength: n, maxLength: n }),
              fc.array(fc.integer({ min: -500, max: 500 }), { maxLength: 40 }),
              fc.constant(Array<number>(n).fill(7)),
            ),
            { maxLength: 5 },
          ),
          fc.option(fc.nat({ max: 39 })),
        ),
      );
    fc.assert(
      fc.property(table, ([mi, assetsI, nanAt]) => {
        const m = mi.map((v) => v / 1e4);
        const assets = assetsI.map((a) => a.map((v) => v / 1e4));
        if (nanAt !== null && assets.length > 0 && nanAt < assets[0]!.length)
          assets[0]![nanAt] = NaN;
        const opts = { periodsPerYear: 365, ewmaHalfLife: 5 };
        const rows = betaTable(assets, m, opts);
        assert.equal(rows.length, assets.length);
        rows.forEach((row, k) => assert.deepEqual(row, betaStats(assets[k]!, m, opts)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the downside beta of the separate two-pass downsideBeta', () => {
    fc.assert(
      fc.property(pair, ([a, m]) => {
        const s = betaStats(a, m, daily);
        if (!s.ok) return;
        const direct = downsideBeta(a, m);
        const flatAsset = new Set(a).size === 1;
        if (direct === null) assert.equal(s.value.downsideBeta, null);
        else if (flatAsset) assert.equal(s.value.downsideBeta, 0);
        else close(s.value.downsideBeta, direct, 1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps stdErr accurate near a perfect fit (residuals summed, not Syy − β·Sxy)', () => {
    // y = 1.5·x + e with |e| ~ 1e-9 of |x| ~ 1e-2: 1 − R² ~ 1e-14, where Syy − β·Sxy would keep
    // almost no correct digits.
    const n = 500;
    const m = Array.from({ length: n }, (_, i) => 0.01 * Math.sin(i * 1.7));
    const e = Array.from({ length: n }, (_, i) => 1e-9 * Math.cos(i * 2.3));
    const a = m.map((x, i) => 1.5 * x + e[i]!);
    const s = value(betaStats(a, m, daily));
    const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
    const [mx, my] = [mean(m), mean(a)];
    const sxx = m.reduce((p, x) => p + (x - mx) ** 2, 0);
    const sxy = m.reduce((p, x, i) => p + (x - mx) * (a[i]! - my), 0);
    const beta = sxy / sxx;
    const ssr = a.reduce((p, y, i) => p + (y - my - beta * (m[i]! - mx)) ** 2, 0);
    const expected = Math.sqrt(ssr / (n - 2) / sxx);
    assert.ok(Math.abs(s.stdErr / expected - 1) < 1e-6, `stdErr ${s.stdErr} vs ${expected}`);
  });
});

describe('annualAlpha', () => {
  it('compounds instead of multiplying: 0.1 % a day is +44.03 % a year simple, +44.05 % log', () => {
    close(annualAlpha(0.001, 365, 'simple'), 0.44025131342957835, 1e-12);
    close(annualAlpha(0.001, 365, 'log'), 0.44051400814921704, 1e-12);
    assert.equal(annualAlpha(0, 8760, 'simple'), 0);
  });

  it('gives −100 % for a simple alpha of −100 % a period or worse, and null on overflow', () => {
    assert.equal(annualAlpha(-1, 365, 'simple'), -1);
    assert.equal(annualAlpha(-2, 365, 'simple'), -1);
    assert.equal(annualAlpha(0.01, 525_600, 'log'), null); // e^5256: beyond double precision
    assert.equal(annualAlpha(0.5, 8760, 'simple'), null);
  });
});

describe('benchmarkSelfStats', () => {
  const btc = [0.012, -0.031, 0.004, 0.027, -0.008, 0.019, -0.022, 0.006];

  it('gives exactly β 1, α 0, ρ 1, se 0 and no t-stat or interval, where a regression rounds', () => {
    const regressed = value(betaStats(btc, btc, daily));
    const s = value(benchmarkSelfStats(btc, { ...daily, ewmaHalfLife: 3 }));
    assert.equal(s.beta, 1);
    assert.equal(s.alpha, 0);
    assert.equal(s.alphaAnnual, 0);
    assert.equal(s.correlation, 1);
    assert.equal(s.r2, 1);
    assert.equal(s.stdErr, 0);
    assert.equal(s.tStat, null);
    assert.equal(s.ciLow, null);
    assert.equal(s.ciHigh, null);
    assert.equal(s.downsideBeta, 1);
    assert.equal(s.blumeBeta, 1);
    assert.equal(s.vasicekBeta, 1);
    assert.equal(s.ewmaBeta, 1);
    assert.equal(s.n, btc.length);
    close(s.volAnnual, regressed.volAnnual, 1e-15); // its own volatility
  });

  it('fails as betaStats does on a flat or too short benchmark', () => {
    assertProblem(benchmarkSelfStats([0.01, 0.01, 0.01, 0.01], daily), 'flat_benchmark');
    assertProblem(benchmarkSelfStats([0.01, 0.02], daily), 'too_few_points');
  });
});

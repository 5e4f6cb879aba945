import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { linearRegression, sampleCorrelation, sampleStandardDeviation } from 'simple-statistics';
import {
  compareHedges,
  effectivenessOf,
  hedgedSeries,
  leastSquaresHedge,
  minimumVariance,
  walkForward,
} from '../../src/engine/basis';
import { mulberry32 } from '../../src/engine/synthetic';
import { close, value } from './helpers';

/** Seeded normal draws (Box–Muller). */
function normals(seed: number, n: number, sd: number): number[] {
  const rand = mulberry32(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Math.max(rand(), 1e-12);
    out.push(sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand()));
  }
  return out;
}

/** A market: BTC, ETH = 1.1·BTC + noise, and a book that is mostly ETH. */
function market(n: number, seed = 5) {
  const btc = normals(seed, n, 0.03);
  const ethNoise = normals(seed + 1, n, 0.02);
  const bookNoise = normals(seed + 2, n, 0.006);
  const eth = btc.map((b, i) => 1.1 * b + ethNoise[i]!);
  const book = eth.map((e, i) => 0.85 * e + 0.1 * btc[i]! + bookNoise[i]!);
  return { btc, eth, book };
}

describe('minimumVariance', () => {
  it('is the OLS slope and equals ρ·σ_book/σ_instrument (simple-statistics as oracle)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const { eth, book } = market(60, seed);
        const mv = value(minimumVariance(book, eth));
        const ols = linearRegression(eth.map((x, i) => [x, book[i]!])).m;
        const rho = sampleCorrelation(book, eth);
        const ratio = (rho * sampleStandardDeviation(book)) / sampleStandardDeviation(eth);
        return (
          Math.abs(mv.slope - ols) <= 1e-10 * Math.abs(ols) &&
          Math.abs(mv.slope - ratio) <= 1e-10 * Math.abs(ratio) &&
          Math.abs(mv.correlation - rho) <= 1e-12
        );
      }),
      { numRuns: 50 },
    );
  });

  it('leaves var(book)·(1 − ρ²), less than any other static ratio', () => {
    const { eth, book } = market(500);
    const mv = value(minimumVariance(book, eth));
    const best = effectivenessOf(book, hedgedSeries(book, [eth], [-mv.slope]));
    close(best.effectiveness, mv.correlation ** 2, 1e-12);
    for (const d of [-0.2, -0.01, 0.01, 0.2]) {
      const other = effectivenessOf(book, hedgedSeries(book, [eth], [-mv.slope + d]));
      assert.ok(other.effectiveness < best.effectiveness);
    }
  });

  it('reports a flat instrument instead of dividing by zero', () => {
    const r = minimumVariance([0.01, 0.02, -0.01], [0.01, 0.01, 0.01]);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.problems[0]?.code, 'flat_instrument');
  });
});

describe('leastSquaresHedge', () => {
  it('recovers the weights of a book built from two instruments', () => {
    // book = 0.6·BTC + 0.5·ETH + small noise: slopes ≈ 0.6, 0.5, R² ≈ 1.
    const { btc, eth } = market(2_000);
    const noise = normals(99, 2_000, 1e-5);
    const book = btc.map((b, i) => 0.6 * b + 0.5 * eth[i]! + noise[i]!);
    const fit = value(leastSquaresHedge(book, [btc, eth]));
    close(fit.slopes[0], 0.6, 1e-3);
    close(fit.slopes[1], 0.5, 1e-3);
    assert.ok(fit.r2 > 0.9999);
  });

  it('with one instrument equals the minimum-variance slope', () => {
    const { eth, book } = market(300);
    close(
      value(leastSquaresHedge(book, [eth])).slopes[0],
      value(minimumVariance(book, eth)).slope,
      1e-12,
    );
  });

  it('says so when two instruments are the same series', () => {
    const { eth, book } = market(100);
    const r = leastSquaresHedge(book, [eth, eth.map((x) => 2 * x)]);
    assert.equal(!r.ok && r.problems[0]?.code, 'collinear_instruments');
  });
});

describe('walkForward', () => {
  it('is perfect out of sample when the book is an exact multiple of the instrument', () => {
    const { eth } = market(400);
    const book = eth.map((x) => 1.7 * x);
    const wf = value(walkForward(book, [eth], 100, 20, { kind: 'min-variance' }));
    close(wf.effectiveness, 1, 1e-12);
    assert.equal(wf.periods, 300);
    assert.equal(wf.refits, 15);
  });

  it('uses only returns before each period (no look-ahead)', () => {
    // Changing the last 20 returns cannot change any hedged return before them.
    const { eth, book } = market(400);
    const a = value(walkForward(book, [eth], 100, 20, { kind: 'min-variance' })).hedged;
    const book2 = book.map((x, i) => (i >= 380 ? x + 0.5 : x));
    const b = value(walkForward(book2, [eth], 100, 20, { kind: 'min-variance' })).hedged;
    for (let t = 0; t < 280; t++) assert.equal(a[t], b[t], `period ${t + 100}`);
  });

  it('matches a plain re-fit of each trailing window with simple-statistics', () => {
    // Oracle: at t = train, train + step, ... fit OLS on [t − train, t) and hedge [t, t + step).
    const { eth, book } = market(250, 21);
    const train = 60;
    const step = 25;
    const wf = value(walkForward(book, [eth], train, step, { kind: 'min-variance' }));
    const expected: number[] = [];
    for (let t = train; t < book.length; t += step) {
      const pts = eth.slice(t - train, t).map((x, i) => [x, book[t - train + i]!]);
      const slope = linearRegression(pts).m;
      for (let u = t; u < Math.min(book.length, t + step); u++)
        expected.push(book[u]! - slope * eth[u]!);
    }
    assert.equal(wf.hedged.length, expected.length);
    expected.forEach((x, i) => close(wf.hedged[i], x, 1e-10));
    const vB = sampleStandardDeviation(book.slice(train)) ** 2;
    close(wf.effectiveness, 1 - sampleStandardDeviation(expected) ** 2 / vB, 1e-10);
  });
});

describe('compareHedges', () => {
  it('recommends ETH perps over BTC perps for an ETH-heavy book, out of sample', () => {
    const { btc, eth, book } = market(720);
    const bookBeta = value(minimumVariance(book, btc)).slope; // β of the book to BTC
    const ethBeta = value(minimumVariance(eth, btc)).slope;
    const r = value(
      compareHedges({
        book,
        benchmark: btc,
        bookBeta,
        candidates: [
          { name: 'BTCUSDT-PERP', returns: btc, beta: 1 },
          { name: 'ETHUSDT-PERP', returns: eth, beta: ethBeta },
        ],
        train: 180,
        step: 30,
      }),
    );
    assert.equal(r.basis, 'walk-forward');
    assert.equal(r.candidates[r.best]?.name, 'ETHUSDT-PERP');
    const [b, e] = r.candidates;
    assert.ok((e?.walkForwardMinVariance ?? 0) > (b?.walkForwardMinVariance ?? 1));
    assert.ok((e?.correlation ?? 0) > (b?.correlation ?? 1));
    // BTC's beta hedge and min-variance hedge coincide (β_F = 1 and the benchmark is BTC).
    close(b?.betaRatio, b?.minVarianceRatio ?? 0, 1e-12);
    // A target above 0 keeps part of the exposure: ratio (β_T − β_P) / β_F.
    const half = value(
      compareHedges({
        book,
        benchmark: btc,
        bookBeta,
        targetBeta: 0.5,
        candidates: [{ name: 'ETHUSDT-PERP', returns: eth, beta: ethBeta }],
        train: 180,
        step: 30,
      }),
    );
    close(half.candidates[0]?.betaRatio, (0.5 - bookBeta) / ethBeta, 1e-12);
    // The combined hedge is at least as good in sample as either alone.
    assert.ok((r.combined?.effectiveness ?? 0) >= (e?.effectivenessMinVariance ?? 1) - 1e-12);
  });
});

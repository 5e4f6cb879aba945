// The estimator recovers known betas from the seeded synthetic market (src/engine/synthetic.ts):
// a one-factor model with fat-tailed (Student t) shocks and GARCH(1,1) volatility clustering.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { betaStats } from '../../src/engine/beta';
import { rollingBeta } from '../../src/engine/rolling';
import { toReturns } from '../../src/engine/series';
import { generateMarket } from '../../src/engine/synthetic';

const HOUR = 3_600_000;
const truth = [
  { asset: 'ETH', beta: 1.15, idioVol: 0.35, price: 3300 },
  { asset: 'SOL', beta: 1.45, idioVol: 0.6, price: 190 },
  { asset: 'AAVE', beta: 1.3, idioVol: 0.8, price: 280 },
  { asset: 'XRP', beta: 0.9, idioVol: 0.7, price: 2.2 },
  { asset: 'DOGE', beta: 1.7, idioVol: 1.0, price: 0.3 },
  { asset: 'PAXG', beta: 0.1, idioVol: 0.15, price: 2600 },
  { asset: 'HEDGE', beta: -0.4, idioVol: 0.3, price: 50 },
  { asset: 'LOWB', beta: 0.5, idioVol: 0.9, price: 5 },
];

function market(seed: number, periods: number) {
  return generateMarket({
    seed,
    periods,
    intervalMs: HOUR,
    start: Date.UTC(2025, 0, 1),
    benchmark: { asset: 'BTC', price: 95_000, vol: 0.55 },
    assets: truth,
  });
}

describe('beta recovery on the seeded synthetic market', () => {
  const m = market(2026, 4001);
  const btc = toReturns(m.prices.BTC!, 'log');

  it('recovers each true beta within two standard errors (and inside the 95 % interval)', () => {
    for (const a of truth) {
      const r = betaStats(toReturns(m.prices[a.asset]!, 'log'), btc, { periodsPerYear: 8760 });
      assert.ok(r.ok);
      const s = r.value;
      const z = (s.beta - m.trueBetas[a.asset]!) / s.stdErr;
      assert.ok(Math.abs(z) < 2, `${a.asset}: beta ${s.beta}, true ${a.beta}, z ${z}`);
      assert.ok(
        (s.ciLow ?? NaN) < a.beta && a.beta < (s.ciHigh ?? NaN),
        `${a.asset}: [${s.ciLow ?? NaN}, ${s.ciHigh ?? NaN}]`,
      );
    }
  });

  it('narrows the standard error as the sample grows (about 1/√n)', () => {
    const small = market(2026, 1001);
    const a = 'SOL';
    const se = (mk: typeof m) => {
      const r = betaStats(toReturns(mk.prices[a]!, 'log'), toReturns(mk.prices.BTC!, 'log'), {
        periodsPerYear: 8760,
      });
      assert.ok(r.ok);
      return r.value.stdErr;
    };
    const ratio = se(small) / se(m);
    assert.ok(ratio > 1.5 && ratio < 2.6, `ratio ${ratio} (√4 = 2 expected)`);
  });

  it('covers the true beta in about 95 % of independent samples (the standard error is honest)', () => {
    // 300 seeds × 8 assets = 2,400 estimates; the share with |z| < 1.96 should be near 0.95
    // (binomial sd ≈ 0.0045; the shocks are independent of the benchmark, so the OLS
    // standard error is valid despite the fat tails and clustering).
    let inside = 0;
    let total = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const mk = market(seed, 501);
      const x = toReturns(mk.prices.BTC!, 'log');
      for (const a of truth) {
        const r = betaStats(toReturns(mk.prices[a.asset]!, 'log'), x, { periodsPerYear: 8760 });
        assert.ok(r.ok);
        if (Math.abs(r.value.beta - a.beta) < 1.96 * r.value.stdErr) inside++;
        total++;
      }
    }
    const share = inside / total;
    assert.ok(share > 0.93 && share < 0.97, `coverage ${share}`);
  });

  it('tracks the true beta with the rolling estimator: the mean rolling beta is near the truth', () => {
    for (const a of truth) {
      const r = rollingBeta(toReturns(m.prices[a.asset]!, 'log'), btc, 720);
      assert.ok(r.ok);
      let sum = 0;
      let count = 0;
      for (const b of r.value.beta) {
        if (Number.isFinite(b)) {
          sum += b;
          count++;
        }
      }
      const full = betaStats(toReturns(m.prices[a.asset]!, 'log'), btc, { periodsPerYear: 8760 });
      assert.ok(full.ok);
      // the windows overlap heavily, so the mean's error is of the order of one full-sample stdErr
      assert.ok(
        Math.abs(sum / count - a.beta) < 3 * full.value.stdErr,
        `${a.asset}: mean rolling ${sum / count}, true ${a.beta}`,
      );
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateMarket } from '../../src/engine/synthetic';
import { hedgeEffectiveness, hedgedReturns } from '../../src/engine/effectiveness';
import { sizeHedge } from '../../src/engine/hedge';
import { betaStats } from '../../src/engine/beta';
import { toReturns } from '../../src/engine/series';
import {
  portfolioReturns,
  portfolioValueSeries,
  pricesAt,
  unitsOf,
  valuePortfolio,
  weightedBeta,
} from '../../src/engine/portfolio';
import { BTCUSDT } from './helpers';

// A seeded factor-model market: SOL has true beta 1.5 and residual vol 0.3 against BTC vol 0.6,
// so var(r_SOL) = 1.5² · 0.36 + 0.09 = 0.9 (annualised) and a hedge at the true beta removes
// 1 − 0.09 / 0.9 = 90% of the variance.
const market = generateMarket({
  seed: 20261125,
  periods: 4000,
  intervalMs: 3_600_000,
  start: Date.UTC(2026, 0, 1),
  benchmark: { asset: 'BTC', price: 50_000, vol: 0.6 },
  assets: [
    { asset: 'SOL', beta: 1.5, idioVol: 0.3, price: 150 },
    { asset: 'ETH', beta: 1.1, idioVol: 0.3, price: 3000 },
  ],
});
const aligned = { times: market.times, assets: ['BTC', 'SOL', 'ETH'], prices: market.prices };
const logReturns = (p: readonly number[]) =>
  p.slice(1).map((x, i) => Math.log(x / (p[i] as number)));
const simpleReturns = (p: ArrayLike<number>) =>
  Array.from({ length: p.length - 1 }, (_, i) => (p[i + 1] as number) / (p[i] as number) - 1);

describe('hedging a synthetic market with known betas', () => {
  it('removes about 90% of the variance of SOL when hedged at its true beta, and less at other ratios', () => {
    const rA = logReturns(market.prices.SOL as number[]);
    const rM = logReturns(market.prices.BTC as number[]);
    const e = (h: number) => {
      const r = hedgeEffectiveness(hedgedReturns(rA, rM, h), rA);
      assert.ok(r.ok);
      return r.value;
    };
    const atBeta = e(-1.5);
    assert.ok(Math.abs(atBeta - 0.9) < 0.05, `effectiveness ${atBeta}`);
    assert.ok(atBeta > e(-1.2) && atBeta > e(-1.8));
    assert.ok(Math.abs(e(0)) < 1e-12);
  });

  it('sizes a BTC-perpetual hedge from Σ w β that makes the buy-and-hold portfolio much less risky', () => {
    const start = pricesAt(aligned, market.times[0]);
    assert.ok(start.ok);
    const v = valuePortfolio(
      [
        { asset: 'BTC', units: 1 },
        { asset: 'SOL', usd: 50_000 },
        { asset: 'ETH', usd: 50_000 },
      ],
      start.value.prices,
    );
    assert.ok(v.ok);
    const beta = weightedBeta(v.value.positions, market.trueBetas, { benchmark: 'BTC' });
    // weights 1/3 each: (1 + 1.5 + 1.1) / 3 = 1.2
    assert.ok(Math.abs(beta - 1.2) < 1e-12);
    const h = sizeHedge({
      portfolioValue: v.value.value,
      portfolioBeta: beta,
      targetBeta: 0,
      instrument: BTCUSDT,
      instrumentBeta: 1,
      price: start.value.prices.BTC as number,
      leverage: 3,
    });
    assert.ok(h.ok);
    assert.ok(Math.abs(h.value.residualBeta) <= h.value.lotBeta / 2);
    // One week of hourly returns from the start, before the weights drift far.
    const values = portfolioValueSeries(unitsOf(v.value.positions), aligned).subarray(0, 169);
    const rP = simpleReturns(values);
    const rF = simpleReturns((market.prices.BTC as number[]).slice(0, 169));
    const eff = hedgeEffectiveness(hedgedReturns(rP, rF, h.value.hedgeRatio), rP);
    assert.ok(eff.ok && eff.value > 0.75, `effectiveness ${eff.ok && eff.value}`);
  });

  it('gives a regression beta of the buy-and-hold portfolio that agrees with Σ w β over a month', () => {
    // 30 days of hourly data: weights drift little, so the OLS beta of the portfolio's own
    // returns should sit within three standard errors of the weighted true beta 1.2.
    const month = {
      times: market.times.slice(0, 721),
      assets: aligned.assets,
      prices: Object.fromEntries(
        Object.entries(market.prices).map(([a, p]) => [a, p.slice(0, 721)]),
      ),
    };
    const start = pricesAt(month, month.times[0]);
    assert.ok(start.ok);
    const v = valuePortfolio(
      [
        { asset: 'BTC', weight: 1 / 3 },
        { asset: 'SOL', weight: 1 / 3 },
        { asset: 'ETH', weight: 1 / 3 },
      ],
      start.value.prices,
      { totalUsd: 150_000 },
    );
    assert.ok(v.ok);
    const rP = portfolioReturns(unitsOf(v.value.positions), month, 'log');
    const rM = toReturns(month.prices.BTC as number[], 'log');
    const stats = betaStats(rP, rM, { periodsPerYear: 8760 });
    assert.ok(stats.ok);
    const weighted = weightedBeta(v.value.positions, market.trueBetas);
    assert.ok(
      Math.abs(stats.value.beta - weighted) < 3 * stats.value.stdErr,
      `regression ${stats.value.beta} ± ${stats.value.stdErr} vs weighted ${weighted}`,
    );
  });
});

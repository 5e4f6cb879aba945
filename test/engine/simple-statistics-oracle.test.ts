// The engine's statistics against simple-statistics, an independent implementation of the
// textbook formulas (plain sample covariance / variance, least squares, Pearson). It shares no
// code with the engine: the one-pass shifted sums of betaTable, the sliding co-moments of
// rollingBeta and the centred pairs of correlationMatrix each have to land on the same numbers.
// (simple-statistics is a devDependency: nothing at run time uses it.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  linearRegression,
  linearRegressionLine,
  rSquared,
  sampleCorrelation,
  sampleCovariance,
  sampleStandardDeviation,
  sampleVariance,
  sumNthPowerDeviations,
} from 'simple-statistics';
import { betaTable } from '../../src/engine/beta';
import { correlationMatrix } from '../../src/engine/correlation';
import { hedgeEffectiveness, hedgedReturns } from '../../src/engine/effectiveness';
import { rollingBeta } from '../../src/engine/rolling';
import { toReturns } from '../../src/engine/series';
import { generateMarket } from '../../src/engine/synthetic';
import { close, value } from './helpers';

/** A seeded daily market (fat tails, volatility clustering) with known betas. */
const market = generateMarket({
  seed: 1313,
  periods: 401,
  intervalMs: 86_400_000,
  start: Date.UTC(2024, 0, 1),
  benchmark: { asset: 'BTC', price: 60_000, vol: 0.6 },
  assets: [
    { asset: 'ETH', beta: 1.1, idioVol: 0.5, price: 3000 },
    { asset: 'SOL', beta: 1.6, idioVol: 0.9, price: 150 },
    { asset: 'PAXG', beta: 0.05, idioVol: 0.15, price: 2000 },
  ],
});
const btc = Array.from(toReturns(market.prices.BTC!, 'simple'));
const assets = ['ETH', 'SOL', 'PAXG'] as const;
const rets = Object.fromEntries(
  assets.map((a) => [a, Array.from(toReturns(market.prices[a]!, 'simple'))]),
) as Record<(typeof assets)[number], number[]>;

describe('the engine against simple-statistics', () => {
  it('gives the least-squares beta, alpha, R², correlation, standard error and volatility', () => {
    const rows = betaTable(
      assets.map((a) => rets[a]),
      btc,
      { periodsPerYear: 365 },
    );
    assets.forEach((a, k) => {
      const s = value(rows[k]!);
      const y = rets[a];
      const pairs = btc.map((x, i) => [x, y[i]!]);
      const fit = linearRegression(pairs);
      close(s.beta, sampleCovariance(btc, y) / sampleVariance(btc), 1e-10, `${a} beta`);
      close(s.beta, fit.m, 1e-10, `${a} slope`);
      close(s.alpha, fit.b, 1e-10, `${a} intercept`);
      close(s.correlation, sampleCorrelation(btc, y), 1e-10, `${a} correlation`);
      close(s.r2, rSquared(pairs, linearRegressionLine(fit)), 1e-10, `${a} R²`);
      const line = linearRegressionLine(fit);
      const ssr = pairs.reduce((t, [x, v]) => t + (v! - line(x!)) ** 2, 0);
      const se = Math.sqrt(ssr / (pairs.length - 2) / sumNthPowerDeviations(btc, 2));
      close(s.stdErr, se, 1e-9, `${a} stdErr`);
      close(s.volAnnual, sampleStandardDeviation(y) * Math.sqrt(365), 1e-10, `${a} vol`);
      assert.equal(s.n, btc.length);
    });
  });

  it('gives each rolling window the sample cov / var and correlation of that window alone', () => {
    const window = 60;
    const r = value(rollingBeta(rets.SOL, btc, window));
    for (let i = window - 1; i < btc.length; i += 17) {
      const x = btc.slice(i - window + 1, i + 1);
      const y = rets.SOL.slice(i - window + 1, i + 1);
      close(r.beta[i], sampleCovariance(x, y) / sampleVariance(x), 1e-9, `beta[${i}]`);
      close(r.correlation[i], sampleCorrelation(x, y), 1e-9, `correlation[${i}]`);
    }
    // the last window ends on the last return: none is left out at the end
    const x = btc.slice(-window);
    const y = rets.SOL.slice(-window);
    close(r.beta[btc.length - 1], sampleCovariance(x, y) / sampleVariance(x), 1e-9, 'last');
  });

  it('gives every entry of the correlation matrix the Pearson correlation of its pair', () => {
    const cols = assets.map((a) => rets[a]);
    const m = correlationMatrix(cols);
    cols.forEach((a, i) =>
      cols.forEach((b, j) => close(m[i]![j], sampleCorrelation(a, b), 1e-12, `(${i}, ${j})`)),
    );
  });

  it('gives the hedge effectiveness 1 − var(hedged) / var(unhedged)', () => {
    const hedged = hedgedReturns(rets.ETH, btc, -1.1);
    const e = value(hedgeEffectiveness(hedged, rets.ETH));
    close(e, 1 - sampleVariance(Array.from(hedged)) / sampleVariance(rets.ETH), 1e-12);
  });
});

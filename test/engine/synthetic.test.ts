import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateFunding,
  generateMarket,
  garchShocks,
  mulberry32,
  studentTSampler,
  type MarketOptions,
} from '../../src/engine/synthetic';

const HOUR = 3_600_000;
const base: MarketOptions = Object.freeze({
  seed: 42,
  periods: 2000,
  intervalMs: HOUR,
  start: Date.UTC(2025, 0, 1),
  benchmark: { asset: 'BTC', price: 60_000, vol: 0.6 },
  assets: [
    { asset: 'ETH', beta: 1.2, idioVol: 0.4, price: 3000 },
    { asset: 'SOL', beta: 1.5, idioVol: 0.7, price: 150 },
  ],
});

function logReturns(p: readonly number[]): number[] {
  const r: number[] = [];
  for (let i = 1; i < p.length; i++) r.push(Math.log((p[i] as number) / (p[i - 1] as number)));
  return r;
}
function moments(x: ArrayLike<number>): { mean: number; variance: number; kurtosis: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  const mean = s / x.length;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= x.length;
  m4 /= x.length;
  return { mean, variance: m2, kurtosis: m4 / (m2 * m2) };
}
function lag1Autocorrelation(x: readonly number[]): number {
  const { mean } = moments(x);
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - mean;
    den += d * d;
    if (i > 0) num += d * ((x[i - 1] as number) - mean);
  }
  return num / den;
}

describe('mulberry32', () => {
  it('gives the published first value for seed 1 and stays in [0, 1)', () => {
    const rng = mulberry32(1);
    assert.equal(rng(), 0.6270739405881613);
    for (let i = 0; i < 10_000; i++) {
      const u = rng();
      assert.ok(u >= 0 && u < 1);
    }
  });
  it('repeats the same stream for the same seed and differs for another seed', () => {
    const a = mulberry32(99);
    const b = mulberry32(99);
    const c = mulberry32(100);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => c()),
    );
  });
});

describe('studentTSampler', () => {
  it('draws unit-variance shocks with fatter tails than the normal (kurtosis > 3)', () => {
    const draw = studentTSampler(mulberry32(3), 6);
    const x = Float64Array.from({ length: 200_000 }, draw);
    const m = moments(x);
    assert.ok(Math.abs(m.mean) < 0.01, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1) < 0.03, `variance ${m.variance}`);
    // Student t with 6 dof has excess kurtosis 6 / (ν − 4) = 3, i.e. kurtosis 6.
    assert.ok(m.kurtosis > 4.5, `kurtosis ${m.kurtosis}`);
  });
  it('draws normal shocks when dof is Infinity (kurtosis near 3)', () => {
    const draw = studentTSampler(mulberry32(4), Infinity);
    const m = moments(Float64Array.from({ length: 200_000 }, draw));
    assert.ok(Math.abs(m.kurtosis - 3) < 0.1, `kurtosis ${m.kurtosis}`);
  });
  it('refuses a dof with infinite variance', () => {
    assert.throws(() => studentTSampler(mulberry32(1), 2), RangeError);
  });
});

describe('garchShocks', () => {
  it('clusters volatility: squared shocks are autocorrelated', () => {
    const e = garchShocks(mulberry32(5), 50_000, Infinity, { omega: 0.05, alpha: 0.1, beta: 0.85 });
    const sq = Array.from(e, (v) => v * v);
    assert.ok(lag1Autocorrelation(sq) > 0.1, `acf ${lag1Autocorrelation(sq)}`);
    assert.ok(Math.abs(moments(e).variance - 1) < 0.1);
  });
  it('gives independent shocks (no clustering) when alpha and beta are 0', () => {
    const e = garchShocks(mulberry32(5), 50_000, Infinity, { omega: 1, alpha: 0, beta: 0 });
    const sq = Array.from(e, (v) => v * v);
    assert.ok(Math.abs(lag1Autocorrelation(sq)) < 0.03);
  });
  it('refuses a non-stationary process (alpha + beta >= 1)', () => {
    assert.throws(
      () => garchShocks(mulberry32(1), 10, 5, { omega: 0.1, alpha: 0.2, beta: 0.8 }),
      RangeError,
    );
  });
});

describe('generateMarket', () => {
  it('is deterministic for a seed', () => {
    assert.deepEqual(generateMarket(base), generateMarket(base));
  });
  it('gives different prices for a different seed', () => {
    const a = generateMarket(base).prices.ETH as number[];
    const b = generateMarket({ ...base, seed: 43 }).prices.ETH as number[];
    assert.notDeepEqual(a, b);
  });
  it('returns evenly spaced times, positive prices starting at the given price, and the true betas', () => {
    const m = generateMarket(base);
    assert.equal(m.times.length, base.periods);
    assert.equal(m.times[0], base.start);
    assert.equal(m.times[1999], base.start + 1999 * HOUR);
    for (const [asset, start] of [
      ['BTC', 60_000],
      ['ETH', 3000],
      ['SOL', 150],
    ] as const) {
      const p = m.prices[asset] as number[];
      assert.equal(p.length, base.periods);
      assert.equal(p[0], start);
      assert.ok(p.every((x) => x > 0 && Number.isFinite(x)));
    }
    assert.deepEqual(m.trueBetas, { BTC: 1, ETH: 1.2, SOL: 1.5 });
  });
  it('does not change an asset when another asset is added (one sub-stream per series)', () => {
    const one = generateMarket({ ...base, assets: [base.assets[0]!] });
    const two = generateMarket(base);
    assert.deepEqual(one.prices.ETH, two.prices.ETH);
    assert.deepEqual(one.prices.BTC, two.prices.BTC);
  });
  it('makes the benchmark volatility near the annualised vol asked for', () => {
    const m = generateMarket({ ...base, periods: 40_000, garch: { omega: 1, alpha: 0, beta: 0 } });
    const vol = Math.sqrt(moments(logReturns(m.prices.BTC as number[])).variance * 8760);
    assert.ok(Math.abs(vol - 0.6) < 0.02, `vol ${vol}`);
  });
  it('makes returns fat-tailed and volatility clustered with the defaults', () => {
    const m = generateMarket({ ...base, periods: 40_000 });
    const r = logReturns(m.prices.BTC as number[]);
    assert.ok(moments(r).kurtosis > 5, `kurtosis ${moments(r).kurtosis}`);
    assert.ok(lag1Autocorrelation(r.map((x) => x * x)) > 0.05);
  });
  it('refuses duplicate asset names and non-positive prices', () => {
    assert.throws(
      () =>
        generateMarket({ ...base, assets: [{ asset: 'BTC', beta: 1, idioVol: 0.1, price: 1 }] }),
      RangeError,
    );
    assert.throws(
      () => generateMarket({ ...base, assets: [{ asset: 'X', beta: 1, idioVol: 0.1, price: 0 }] }),
      RangeError,
    );
  });
});

describe('generateFunding', () => {
  const times = Array.from({ length: 3000 }, (_, i) => i * 8 * HOUR);
  const opts = { seed: 9, times, symbols: ['BTCUSDT', 'ETHUSDT'], mean: 0.0001, vol: 0.0002 };
  it('is deterministic for a seed and gives one rate per time and symbol, sorted by time', () => {
    const a = generateFunding(opts);
    assert.deepEqual(a, generateFunding(opts));
    assert.equal(a.length, 6000);
    assert.deepEqual(
      a.slice(0, 2).map((x) => [x.time, x.symbol]),
      [
        [0, 'BTCUSDT'],
        [0, 'ETHUSDT'],
      ],
    );
    for (let i = 1; i < a.length; i++) assert.ok(a[i]!.time >= a[i - 1]!.time);
  });
  it('centres the rates on the mean, persistently, with exchange precision (1e-8)', () => {
    const btc = generateFunding(opts)
      .filter((x) => x.symbol === 'BTCUSDT')
      .map((x) => x.rate);
    const m = moments(btc);
    assert.ok(Math.abs(m.mean - 0.0001) < 0.00005, `mean ${m.mean}`);
    assert.ok(Math.abs(Math.sqrt(m.variance) - 0.0002) < 0.00005);
    assert.ok(lag1Autocorrelation(btc) > 0.8);
    assert.ok(btc.every((r) => Math.abs(r * 1e8 - Math.round(r * 1e8)) < 1e-6));
  });
});

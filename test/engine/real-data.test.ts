// The engine on real Binance hourly closes (../shared/data beside the repository; see its
// README). The data is not licensed for redistribution, so nothing derived from it is committed:
// this test reads it when present and checks the engine against a plain two-pass implementation
// written here, independent of src/engine. Skipped, with the reason, only when the data is absent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { betaStats } from '../../src/engine/beta';
import { rollingBeta } from '../../src/engine/rolling';
import { alignSeries, inferFrequency, toReturns, type PriceSeries } from '../../src/engine/series';

const dataDir = join(__dirname, '..', '..', '..', 'shared', 'data', 'binance');
const ASSETS = ['ETH', 'SOL', 'AAVE', 'XRP'];
const files = ['BTC', ...ASSETS].map((a) => join(dataDir, `${a}_1h.csv`));
const present = files.every((f) => existsSync(f));
const skip = present
  ? false
  : `real data not found at ${dataDir} (../shared/data beside the repository; see its README)`;

/** timestamp,open,high,low,close,volume with ISO UTC times -> close prices. */
function readCloses(asset: string): PriceSeries {
  const lines = readFileSync(join(dataDir, `${asset}_1h.csv`), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines[0], 'timestamp,open,high,low,close,volume');
  const times: number[] = [];
  const prices: number[] = [];
  for (const line of lines.slice(1)) {
    const cols = line.split(',');
    times.push(Date.parse(cols[0]!));
    prices.push(Number(cols[4]));
  }
  return { asset, times, prices };
}

/** The reference: inner join on timestamps, log returns of consecutive shared points, then
 *  textbook two-pass moments (means first, then centred sums). */
function twoPass(x: readonly number[], y: readonly number[]) {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const beta = sxy / sxx;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (y[i]! - my - beta * (x[i]! - mx)) ** 2;
  return {
    beta,
    alpha: my - beta * mx,
    correlation: sxy / Math.sqrt(sxx * syy),
    stdErr: Math.sqrt(ssr / (n - 2) / sxx),
    volAnnual: Math.sqrt((syy / (n - 1)) * 8760),
  };
}

function joinedLogReturns(a: PriceSeries, b: PriceSeries): { x: number[]; y: number[] } {
  const aByTime = new Map<number, number>();
  a.times.forEach((t, i) => aByTime.set(t, a.prices[i]!));
  const px: number[] = [];
  const py: number[] = [];
  b.times.forEach((t, i) => {
    const p = aByTime.get(t);
    if (p !== undefined) {
      px.push(p);
      py.push(b.prices[i]!);
    }
  });
  const ret = (p: number[]) => p.slice(1).map((v, i) => Math.log(v) - Math.log(p[i]!));
  return { x: ret(px), y: ret(py) };
}

function close(actual: number | null, expected: number, what: string, rel = 1e-9) {
  assert.ok(actual !== null && Number.isFinite(actual), `${what}: got ${actual}`);
  const err = Math.abs(actual - expected);
  assert.ok(err <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

describe('real Binance hourly closes (../shared/data)', () => {
  const series = present ? ['BTC', ...ASSETS].map(readCloses) : [];

  it('aligns the series and infers an hourly frequency (8,760 periods a year)', { skip }, () => {
    const aligned = alignSeries(series);
    assert.ok(aligned.ok);
    const f = inferFrequency(aligned.value.times);
    assert.ok(f.ok);
    assert.equal(f.value.label, '1h');
    assert.equal(f.value.periodsPerYear, 8760);
  });

  it(
    'gives the same betas as an independent two-pass implementation (ETH, SOL, AAVE, XRP vs BTC)',
    { skip },
    () => {
      const aligned = alignSeries(series);
      assert.ok(aligned.ok);
      const btc = toReturns(aligned.value.prices.BTC!, 'log');
      for (const asset of ASSETS) {
        const s = betaStats(toReturns(aligned.value.prices[asset]!, 'log'), btc, {
          periodsPerYear: 8760,
        });
        assert.ok(s.ok);
        const { x, y } = joinedLogReturns(series[0]!, readCloses(asset));
        const ref = twoPass(x, y);
        assert.equal(s.value.n, x.length, `${asset}: n`);
        for (const k of ['beta', 'alpha', 'correlation', 'stdErr', 'volAnnual'] as const) {
          close(s.value[k], ref[k], `${asset}.${k}`);
        }
        close(s.value.r2, ref.correlation ** 2, `${asset}.r2`);
        // Real crypto: altcoins move with BTC, more than proportionally or nearly so.
        assert.ok(s.value.beta > 0.5 && s.value.beta < 3, `${asset}: beta ${s.value.beta}`);
        assert.ok((s.value.ciLow ?? NaN) < s.value.beta && s.value.beta < (s.value.ciHigh ?? NaN));
      }
    },
  );

  it(
    'gives rolling betas equal to the full-sample beta of each window at several spots',
    { skip },
    () => {
      const aligned = alignSeries(series);
      assert.ok(aligned.ok);
      const btc = toReturns(aligned.value.prices.BTC!, 'log');
      const window = 720;
      for (const asset of ['ETH', 'SOL']) {
        const y = toReturns(aligned.value.prices[asset]!, 'log');
        const r = rollingBeta(y, btc, window);
        assert.ok(r.ok);
        const n = y.length;
        for (const i of [window - 1, window, Math.floor(n / 3), Math.floor(n / 2), n - 2, n - 1]) {
          const xs = Array.from(btc.subarray(i - window + 1, i + 1));
          const ys = Array.from(y.subarray(i - window + 1, i + 1));
          const ref = twoPass(xs, ys);
          close(r.value.beta[i]!, ref.beta, `${asset} rolling beta[${i}]`);
          close(r.value.correlation[i]!, ref.correlation, `${asset} rolling correlation[${i}]`);
          close(r.value.stdErr[i]!, ref.stdErr, `${asset} rolling stdErr[${i}]`);
          const full = betaStats(ys, xs, { periodsPerYear: 8760 });
          assert.ok(full.ok);
          close(r.value.beta[i]!, full.value.beta, `${asset} rolling vs betaStats[${i}]`);
        }
      }
    },
  );
});

// The engine against independent reference numbers from numpy / pandas / statsmodels.
// The fixtures (test/fixtures/reference/*.json) are made by `npm run fixtures`
// (scripts/reference/export-inputs.ts + scripts/reference/make_fixtures.py); each records how in
// its "how" field. These tests only read them: no Python needed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { betaStats, type BetaStats } from '../../src/engine/beta';
import { rollingBeta } from '../../src/engine/rolling';
import { toReturns } from '../../src/engine/series';

interface ExpectedStats {
  beta: number;
  alpha: number;
  alphaAnnual: number;
  r2: number;
  correlation: number;
  stdErr: number;
  tStat: number;
  ciLow: number;
  ciHigh: number;
  n: number;
  volAnnual: number;
  downsideBeta: number;
  blumeBeta: number;
  vasicekBeta: number;
  ewmaBeta: number;
}
interface ExpectedRolling {
  index: number[];
  pandasBeta: number[];
  pandasCorrelation: number[];
  olsBeta: number[];
  olsStdErr: number[];
  olsCorrelation: number[];
}
interface Fixture {
  name: string;
  how: { command: string; numpy: string; pandas: string; statsmodels: string };
  benchmark: string;
  assets: string[];
  returnsKind: 'simple' | 'log';
  periodsPerYear: number;
  window: number;
  ewmaHalfLife: number;
  inputs: { returns: Record<string, number[]>; prices?: Record<string, number[]> };
  expected: {
    stats: Record<string, ExpectedStats>;
    rolling: Record<string, ExpectedRolling>;
    returns?: Record<'simple' | 'log', Record<string, number[]>>;
  };
}

const dir = join(__dirname, '..', 'fixtures', 'reference');
const load = (name: string): Fixture =>
  JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Fixture;
const fixtures = ['hourly', 'daily', 'precision'].map(load);

/** |actual − expected| ≤ rel·|expected| + abs. */
function close(actual: number | null, expected: number, what: string, rel = 1e-9, abs = 0) {
  assert.ok(actual !== null && Number.isFinite(actual), `${what}: got ${actual}`);
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= rel * Math.abs(expected) + abs,
    `${what}: got ${actual}, expected ${expected} (relative error ${err / Math.abs(expected)})`,
  );
}

function stats(f: Fixture, asset: string, returns = f.inputs.returns): BetaStats {
  const r = betaStats(returns[asset]!, returns[f.benchmark]!, {
    periodsPerYear: f.periodsPerYear,
    ewmaHalfLife: f.ewmaHalfLife,
    returns: f.returnsKind,
  });
  assert.ok(r.ok, `${f.name}/${asset}: ${JSON.stringify(!r.ok && r.problems)}`);
  return r.value;
}

const STAT_FIELDS = [
  'beta',
  'alpha',
  'alphaAnnual',
  'r2',
  'correlation',
  'stdErr',
  'tStat',
  'ciLow',
  'ciHigh',
  'volAnnual',
  'downsideBeta',
  'blumeBeta',
  'vasicekBeta',
  'ewmaBeta',
] as const;

describe('reference fixtures', () => {
  it('record how they were made (command and library versions)', () => {
    for (const f of fixtures) {
      assert.equal(f.how.command, 'npm run fixtures');
      for (const lib of [f.how.numpy, f.how.pandas, f.how.statsmodels]) assert.match(lib, /^\d+\./);
    }
  });
});

for (const f of fixtures) {
  describe(`betaStats on the ${f.name} fixture`, () => {
    for (const asset of f.assets) {
      it(`matches statsmodels OLS, numpy and pandas ewm for ${asset} to 1e-9 relative`, () => {
        const s = stats(f, asset);
        const e = f.expected.stats[asset]!;
        assert.equal(s.n, e.n);
        for (const k of STAT_FIELDS) close(s[k], e[k], `${f.name}/${asset}.${k}`);
      });
    }
  });

  describe(`rollingBeta on the ${f.name} fixture (window ${f.window})`, () => {
    for (const asset of f.assets) {
      const r = rollingBeta(f.inputs.returns[asset]!, f.inputs.returns[f.benchmark]!, f.window);
      const e = f.expected.rolling[asset]!;
      it(`matches a statsmodels OLS fit of each sampled window for ${asset} (beta, stdErr, correlation)`, () => {
        assert.ok(r.ok);
        e.index.forEach((i, k) => {
          close(r.value.beta[i]!, e.olsBeta[k]!, `${asset} beta[${i}]`);
          close(r.value.stdErr[i]!, e.olsStdErr[k]!, `${asset} stdErr[${i}]`);
          close(r.value.correlation[i]!, e.olsCorrelation[k]!, `${asset} correlation[${i}]`);
        });
      });
      it(`matches pandas rolling cov / var and rolling corr for ${asset}`, () => {
        assert.ok(r.ok);
        e.index.forEach((i, k) => {
          close(r.value.beta[i]!, e.pandasBeta[k]!, `${asset} beta[${i}]`);
          close(r.value.correlation[i]!, e.pandasCorrelation[k]!, `${asset} correlation[${i}]`);
        });
      });
      it(`leaves the ${f.window - 1} entries before the first full window NaN for ${asset}`, () => {
        assert.ok(r.ok);
        const n = f.inputs.returns[asset]!.length;
        assert.equal(r.value.beta.length, n);
        for (let i = 0; i < f.window - 1; i++) assert.ok(Number.isNaN(r.value.beta[i]));
        assert.ok(Number.isFinite(r.value.beta[f.window - 1]));
      });
    }
  });
}

describe('prices near 1e5 with returns near 1e-5 (precision fixture)', () => {
  const f = load('precision');
  const prices = f.inputs.prices!;
  it('gives simple returns equal to pandas pct_change', () => {
    for (const [asset, p] of Object.entries(prices)) {
      const r = toReturns(p, 'simple');
      f.expected.returns!.simple[asset]!.forEach((x, i) =>
        close(r[i]!, x, `${asset} simple[${i}]`, 1e-9, 1e-15),
      );
    }
  });
  it('gives log returns equal to numpy log differences (to numpy’s own rounding, ~1e-15 absolute)', () => {
    // numpy's log(p_t) − log(p_{t−1}) loses about |log p|·ε ≈ 3e-15 absolute at p ≈ 1e5.
    for (const [asset, p] of Object.entries(prices)) {
      const r = toReturns(p, 'log');
      f.expected.returns!.log[asset]!.forEach((x, i) =>
        close(r[i]!, x, `${asset} log[${i}]`, 1e-9, 1e-14),
      );
    }
  });
  it('is unchanged when 0.1 is added to every return (no Σx² − n·x̄² cancellation: mean 1e4 × std)', () => {
    // Shifting both series leaves every beta as it is; the inputs themselves are rounded by
    // about 1e-17 / 1e-5 = 1e-12 relative, so a centred algorithm stays within 1e-9, while raw
    // sums of squares lose ~8 digits (mean² / var ≈ 1e8) and miss it.
    const shifted = Object.fromEntries(
      Object.entries(f.inputs.returns).map(([a, r]) => [a, r.map((x) => x + 0.1)]),
    );
    for (const asset of f.assets) {
      const e = f.expected.stats[asset]!;
      const s = stats(f, asset, shifted);
      // (downside beta is not shift-invariant: the shift moves which periods are "down".)
      for (const k of ['beta', 'r2', 'stdErr', 'correlation'] as const) {
        close(s[k], e[k], `shifted ${asset}.${k}`);
      }
      const r = rollingBeta(shifted[asset]!, shifted[f.benchmark]!, f.window);
      assert.ok(r.ok);
      const er = f.expected.rolling[asset]!;
      er.index.forEach((i, k) => {
        close(r.value.beta[i]!, er.olsBeta[k]!, `shifted ${asset} beta[${i}]`);
        close(r.value.stdErr[i]!, er.olsStdErr[k]!, `shifted ${asset} stdErr[${i}]`);
        close(r.value.correlation[i]!, er.olsCorrelation[k]!, `shifted ${asset} corr[${i}]`);
      });
    }
  });
  it('gives the reference betas when the returns are computed from the prices by the engine', () => {
    const returns = Object.fromEntries(
      Object.entries(prices).map(([a, p]) => [a, Array.from(toReturns(p, 'simple'))]),
    );
    for (const asset of f.assets) {
      const s = stats(f, asset, returns);
      const e = f.expected.stats[asset]!;
      for (const k of ['beta', 'r2', 'stdErr', 'correlation'] as const) {
        close(s[k], e[k], `${asset}.${k}`, 1e-8);
      }
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  portfolioBeta,
  portfolioValueSeries,
  pricesAt,
  unitsOf,
  valuePortfolio,
  weightedBeta,
  type Holding,
} from '../../src/engine/portfolio';
import { describeProblem } from '../../src/engine/messages';
import type { Result } from '../../src/engine/result';
import { value } from './helpers';

function problems<T>(r: Result<T>) {
  if (r.ok) assert.fail('expected a failure');
  return r.problems;
}

const prices = { BTC: 50_000, ETH: 3_000, SOL: 150, UNI: 8 };

describe('valuePortfolio', () => {
  it('values units, USD amounts and weights of a total', () => {
    // BTC 0.5 · 50,000 = 25,000; ETH $30,000 = 10 ETH; SOL 25% of 100,000 = 25,000 = 166.67 SOL;
    // the remaining 20,000 of the total is cash.
    const r = valuePortfolio(
      [
        { asset: 'BTC', units: 0.5 },
        { asset: 'ETH', usd: 30_000 },
        { asset: 'SOL', weight: 0.25 },
      ],
      prices,
      { totalUsd: 100_000 },
    );
    const v = value(r);
    assert.equal(v.value, 100_000);
    assert.equal(v.cash, 20_000);
    assert.deepEqual(
      v.positions.map((p) => [p.asset, p.units, p.value, p.weight]),
      [
        ['BTC', 0.5, 25_000, 0.25],
        ['ETH', 10, 30_000, 0.3],
        ['SOL', 25_000 / 150, 25_000, 0.25],
      ],
    );
    assert.ok(r.ok && r.warnings.some((w) => w.code === 'uninvested_cash'));
  });

  it('sums to the value of the holdings when no total is given, weights summing to 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (units) => {
          const holdings: Holding[] = ['BTC', 'ETH', 'SOL', 'UNI'].map((asset, i) => ({
            asset,
            units: units[i] as number,
          }));
          const v = value(valuePortfolio(holdings, prices));
          const sum = v.positions.reduce((s, p) => s + p.weight, 0);
          assert.ok(Math.abs(sum - 1) < 1e-12);
          assert.equal(v.cash, 0);
        },
      ),
    );
  });

  it('reports each bad holding at its asset, in words', () => {
    const ps = problems(
      valuePortfolio(
        [
          { asset: 'DOGE', units: 100 },
          { asset: 'ETH', units: -1 },
          { asset: 'SOL', weight: 0.5 },
          { asset: 'UNI', usd: NaN },
          { asset: 'ETH', units: 1 },
        ],
        prices,
      ),
    );
    assert.deepEqual(
      ps.map((p) => [p.code, ...p.path]),
      [
        ['unknown_asset', 'holdings', 'DOGE'],
        ['negative_holding', 'holdings', 'ETH'],
        ['weights_need_total', 'holdings', 'SOL'],
        ['invalid_amount', 'holdings', 'UNI'],
        ['duplicate_holding', 'holdings', 'ETH'],
      ],
    );
    for (const p of ps) assert.ok(!/undefined|_/.test(describeProblem(p)), describeProblem(p));
  });

  it('refuses weights that add up to more than the total', () => {
    const ps = problems(
      valuePortfolio(
        [
          { asset: 'BTC', weight: 0.7 },
          { asset: 'ETH', weight: 0.6 },
        ],
        prices,
        { totalUsd: 10_000 },
      ),
    );
    assert.equal(ps[0]?.code, 'holdings_exceed_total');
  });

  it('reports a non-positive price and an empty portfolio', () => {
    assert.equal(
      problems(valuePortfolio([{ asset: 'BTC', units: 1 }], { BTC: 0 }))[0]?.code,
      'invalid_price',
    );
    assert.equal(problems(valuePortfolio([], prices))[0]?.code, 'empty_portfolio');
    assert.equal(
      problems(valuePortfolio([{ asset: 'BTC', units: 0 }], prices))[0]?.code,
      'empty_portfolio',
    );
  });
});

describe('weightedBeta', () => {
  it('is Σ w_i β_i with the benchmark’s own beta taken as 1', () => {
    const positions = [
      { asset: 'BTC', weight: 0.5 },
      { asset: 'SOL', weight: 0.3 },
      { asset: 'ETH', weight: 0.2 },
    ];
    // 0.5 · 1 + 0.3 · 1.6 + 0.2 · 1.1 = 0.5 + 0.48 + 0.22 = 1.2
    assert.ok(
      Math.abs(weightedBeta(positions, { SOL: 1.6, ETH: 1.1 }, { benchmark: 'BTC' }) - 1.2) < 1e-15,
    );
  });
  it('counts uninvested cash at beta 0 because weights are of the total', () => {
    const v = value(valuePortfolio([{ asset: 'ETH', weight: 0.5 }], prices, { totalUsd: 1000 }));
    assert.equal(weightedBeta(v.positions, { ETH: 1.2 }), 0.6);
  });
  it('reports a missing beta at its asset instead of guessing', () => {
    const r = portfolioBeta([{ asset: 'SOL', weight: 1 }], {}, { benchmark: 'BTC' });
    assert.deepEqual(problems(r)[0]?.path, ['betas', 'SOL']);
  });
});

describe('portfolioValueSeries', () => {
  it('holds units constant over the aligned prices', () => {
    const aligned = {
      times: [0, 1, 2],
      assets: ['BTC', 'ETH'],
      prices: { BTC: [100, 110, 90], ETH: [10, 9, 12] },
    };
    const v = value(
      valuePortfolio(
        [
          { asset: 'BTC', units: 1 },
          { asset: 'ETH', units: 10 },
        ],
        { BTC: 90, ETH: 12 },
      ),
    );
    assert.deepEqual(
      Array.from(portfolioValueSeries(unitsOf(v.positions), aligned)),
      [200, 200, 210],
    );
  });
});

describe('pricesAt', () => {
  const aligned = { times: [10, 20, 30], assets: ['BTC'], prices: { BTC: [1, 2, 3] } };
  it('takes the latest row by default and the last row at or before a time', () => {
    assert.deepEqual(value(pricesAt(aligned)), { time: 30, index: 2, prices: { BTC: 3 } });
    assert.deepEqual(value(pricesAt(aligned, 25)), { time: 20, index: 1, prices: { BTC: 2 } });
    assert.deepEqual(value(pricesAt(aligned, 20)), { time: 20, index: 1, prices: { BTC: 2 } });
  });
  it('reports a time before the data', () => {
    assert.equal(problems(pricesAt(aligned, 5))[0]?.code, 'time_before_data');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pairHedge } from '../../src/engine/pair';
import { describeProblem } from '../../src/engine/messages';
import { BTCUSDT, value } from './helpers';

describe('pairHedge', () => {
  it('computes the dollar beta of long SOL / short ETH and shorts it away with BTC contracts', () => {
    // D = 10,000 · 1.5 − 10,000 · 1.1 = 4,000; N = −4,000 / 1 = −4,000 USD = 80 contracts of $50.
    const p = value(
      pairHedge({
        long: { asset: 'SOL', usd: 10_000, beta: 1.5 },
        short: { asset: 'ETH', usd: 10_000, beta: 1.1 },
        instrument: BTCUSDT,
        instrumentBeta: 1,
        price: 50_000,
      }),
    );
    assert.equal(p.long.dollarBeta, 15_000);
    assert.equal(p.short.dollarBeta, -11_000);
    assert.equal(p.dollarBeta, 4000);
    assert.deepEqual(
      [p.hedge?.side, p.hedge?.contracts, p.hedge?.notional, p.hedge?.dollarBetaAfter],
      ['short', 80, -4000, 0],
    );
  });

  it('rounds to whole contracts and shows the residual', () => {
    // D = 5,000 · 1.3 − 7,000 · 0.8 = 900; at 43,000: −900 / 43 = −20.93 → 21 contracts short;
    // residual 900 − 21 · 43 = −3 USD.
    const p = value(
      pairHedge({
        long: { asset: 'SOL', usd: 5000, beta: 1.3 },
        short: { asset: 'ETH', usd: 7000, beta: 0.8 },
        instrument: BTCUSDT,
        instrumentBeta: 1,
        price: 43_000,
      }),
    );
    assert.equal(p.hedge?.signedContracts, -21);
    assert.ok(Math.abs((p.hedge?.dollarBetaAfter as number) - -3) < 1e-9);
  });

  it('gives the legs only when no instrument is named', () => {
    const p = value(
      pairHedge({ long: { asset: 'A', usd: 1, beta: 1 }, short: { asset: 'B', usd: 1, beta: 1 } }),
    );
    assert.equal(p.hedge, null);
    assert.equal(p.dollarBeta, 0);
  });

  it('ends neutral within one lot, for linear and inverse (collateral counted) hedges', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 1e7, noNaN: true }),
        fc.double({ min: 100, max: 1e7, noNaN: true }),
        fc.double({ min: -1, max: 3, noNaN: true }),
        fc.double({ min: -1, max: 3, noNaN: true }),
        fc.double({ min: 0.3, max: 2, noNaN: true }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.constantFrom('linear' as const, 'inverse' as const),
        fc.double({ min: 1.1, max: 50, noNaN: true }),
        (va, vb, ba, bb, bf, price, settlement, leverage) => {
          const instrument = {
            ...BTCUSDT,
            settlement,
            contractSize: settlement === 'linear' ? 0.001 : 100,
          };
          const p = value(
            pairHedge({
              long: { asset: 'A', usd: va, beta: ba },
              short: { asset: 'B', usd: vb, beta: bb },
              instrument,
              instrumentBeta: bf,
              price,
              leverage,
            }),
          );
          const h = p.hedge;
          assert.ok(h !== null);
          assert.ok(
            Math.abs(h.dollarBetaAfter) <= h.lotDollarBeta / 2 + 1e-9 * (va + vb),
            `${h.dollarBetaAfter} vs ${h.lotDollarBeta}`,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reports bad legs and a missing instrument beta at their place', () => {
    const r = pairHedge({
      long: { asset: 'SOL', usd: -5, beta: 1 },
      short: { asset: 'ETH', usd: 10, beta: NaN },
      instrument: BTCUSDT,
    });
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((p) => [p.code, ...p.path]),
      [
        ['invalid_leg_size', 'long', 'usd'],
        ['invalid_beta', 'short', 'beta'],
        ['missing_instrument_beta', 'instrumentBeta'],
        ['missing_price', 'price'],
      ],
    );
    for (const p of r.problems)
      assert.ok(!/undefined|_/.test(describeProblem(p)), describeProblem(p));
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  hedgeExposures,
  liquidationPrice,
  positionPnl,
  roundToLots,
  sizeHedge,
  type HedgeInput,
} from '../../src/engine/hedge';
import { type Instrument, validateInstrument } from '../../src/engine/instrument';
import { describeProblem } from '../../src/engine/messages';
import { hedgeEffectiveness, hedgedReturns } from '../../src/engine/effectiveness';
import { BTCUSDT, value } from './helpers';

const close = (actual: number, expected: number, tol = 1e-9) =>
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${actual} is not within ${tol} of ${expected}`,
  );

const BTCUSD: Instrument = {
  ...BTCUSDT,
  name: 'BTCUSD_PERP',
  settlement: 'inverse',
  contractSize: 100,
};

const base: HedgeInput = {
  portfolioValue: 100_000,
  portfolioBeta: 1.2,
  targetBeta: 0,
  instrument: BTCUSDT,
  instrumentBeta: 1,
  price: 50_000,
  leverage: 5,
};

describe('sizeHedge with a linear perpetual', () => {
  it('shorts exactly 2,400 BTCUSDT contracts to take a $100k beta-1.2 portfolio to beta 0', () => {
    // N = (0 − 1.2) · 100,000 / 1 = −120,000 USD; one contract = 50,000 · 0.001 = 50 USD;
    // 120,000 / 50 = 2,400 contracts, exact, so the beta after is exactly 0.
    const h = value(sizeHedge(base));
    assert.equal(h.notional, -120_000);
    assert.equal(h.side, 'short');
    assert.equal(h.contracts, 2400);
    assert.equal(h.signedContracts, -2400);
    assert.equal(h.contractNotional, -120_000);
    assert.equal(h.betaAfter, 0);
    assert.equal(h.residualBeta, 0);
    assert.equal(h.initialMargin, 24_000); // 120,000 / 5
    assert.equal(h.collateralExposure, 0); // USDT collateral has no beta
    assert.equal(h.initialMarginCoin, null);
  });

  it('puts the short leg’s liquidation where the hand-derived Binance formula does', () => {
    // Q = 2,400 · 0.001 = 2.4 BTC, EP = 50,000, WB = 24,000 USDT, MMR = 0.4%, side = −1:
    // LP = (WB + Q·EP) / (Q·MMR + Q) = (24,000 + 120,000) / (0.0096 + 2.4) = 144,000 / 2.4096
    //    = 59,760.956175…; check: loss 2.4 · 9,760.956 = 23,426.295, left 573.705 = 0.4% · 2.4 · LP.
    // Move = 59,760.956 / 50,000 − 1 = +19.5219%.
    const h = value(sizeHedge(base));
    close(h.liquidationPrice as number, 144_000 / 2.4096, 1e-12);
    close(h.liquidationMovePct as number, 19.521912350597592, 1e-12);
  });

  it('rounds to the nearest whole contract and reports the residual beta', () => {
    // V = 123,456, β 1.1 → 0, price 43,210.5: N = −135,801.6 USD = −3,142.79 contracts → −3,143.
    const h = value(
      sizeHedge({ ...base, portfolioValue: 123_456, portfolioBeta: 1.1, price: 43_210.5 }),
    );
    assert.equal(h.signedContracts, -3143);
    close(h.contractNotional, -3143 * 43.2105);
    close(h.betaAfter, (1.1 * 123_456 - 3143 * 43.2105) / 123_456);
    close(h.residualBeta, h.betaAfter);
    assert.ok(h.residualBeta < 0, 'one contract too many leaves the beta slightly below 0');
  });

  it('goes long when the target beta is above the portfolio beta', () => {
    const h = value(sizeHedge({ ...base, portfolioBeta: 0.3, targetBeta: 0.5 }));
    assert.equal(h.side, 'long');
    assert.equal(h.signedContracts, 400); // 0.2 · 100,000 / 50
    // Long at 5×: LP = (WB − Q·EP) / (Q·MMR − Q) = (4,000 − 20,000) / (0.0016 − 0.4) = 40,160.64…
    close(h.liquidationPrice as number, -16_000 / (0.0016 - 0.4), 1e-12);
  });

  it('divides by the instrument beta (an ETH perpetual with beta 1.25 hedges less notional)', () => {
    const eth: Instrument = {
      ...BTCUSDT,
      name: 'ETHUSDT-PERP',
      underlying: 'ETH',
      contractSize: 0.01,
    };
    const h = value(sizeHedge({ ...base, instrument: eth, instrumentBeta: 1.25, price: 2000 }));
    assert.equal(h.notional, -96_000); // −120,000 / 1.25
    assert.equal(h.contracts, 4800); // 96,000 / (2,000 · 0.01)
  });

  it('warns and trades nothing when the hedge is smaller than half a lot', () => {
    const r = sizeHedge({ ...base, portfolioValue: 10, portfolioBeta: 1 });
    const h = value(r);
    assert.equal(h.side, 'none');
    assert.equal(h.contracts, 0);
    assert.equal(h.liquidationPrice, null);
    assert.ok(r.ok && r.warnings.some((w) => w.code === 'hedge_rounds_to_zero'));
  });
});

describe('sizeHedge with an inverse (coin-margined) perpetual', () => {
  it('counts the BTC collateral as long exposure and still lands on the target', () => {
    // β 1 → 0 on $100k at 5×: the short's margin |N|/5 is held in BTC (long), so
    // N·(1 − 1/5) = −100,000 → N = −125,000 USD = 1,250 contracts of 100 USD;
    // margin 25,000 USD = 0.5 BTC; beta after = (100,000 − 125,000 + 25,000) / 100,000 = 0.
    const h = value(sizeHedge({ ...base, portfolioBeta: 1, instrument: BTCUSD }));
    assert.equal(h.notional, -125_000);
    assert.equal(h.contracts, 1250);
    assert.equal(h.initialMargin, 25_000);
    assert.equal(h.initialMarginCoin, 0.5);
    assert.equal(h.collateralExposure, 25_000);
    assert.equal(h.betaAfter, 0);
  });

  it('sizes contracts by their USD value, whatever the price', () => {
    const a = value(sizeHedge({ ...base, portfolioBeta: 1, instrument: BTCUSD, price: 20_000 }));
    const b = value(sizeHedge({ ...base, portfolioBeta: 1, instrument: BTCUSD, price: 90_000 }));
    assert.equal(a.contracts, b.contracts);
  });

  it('puts the inverse short’s liquidation where the hand-derived COIN-M formula does', () => {
    // S = 125,000 USD, WB = 0.5 BTC, EP = 50,000, MMR = 0.4%, side = −1:
    // LP = (S·MMR − S) / (WB − S/EP) = (500 − 125,000) / (0.5 − 2.5) = 62,250.
    // Check: coin P&L = −125,000 · (1/50,000 − 1/62,250) = −0.491968 BTC, left 0.0080321 BTC,
    // maintenance 0.4% · 125,000 / 62,250 = 0.0080321 BTC. Move +24.5%.
    const h = value(sizeHedge({ ...base, portfolioBeta: 1, instrument: BTCUSD }));
    close(h.liquidationPrice as number, 62_250, 1e-12);
    close(h.liquidationMovePct as number, 24.5, 1e-12);
  });

  it('refuses to lower beta with a 1× inverse short, which with its collateral is a synthetic dollar', () => {
    const r = sizeHedge({ ...base, instrument: BTCUSD, leverage: 1 });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.problems[0]?.code === 'inverse_short_needs_leverage');
  });

  it('settles inverse P&L in coin: a short gains 0.05 BTC when BTC falls from 50k to 40k per 10k USD', () => {
    close(positionPnl('inverse', -10_000, 50_000, 40_000), 0.05, 1e-12);
    close(positionPnl('linear', -0.2, 50_000, 40_000), 2000, 1e-12);
  });
});

describe('liquidationPrice', () => {
  it('finds no liquidation for a 1× linear long or an inverse short backed by its full notional', () => {
    const linearLong = liquidationPrice({
      settlement: 'linear',
      side: 'long',
      quantity: 1,
      entryPrice: 50_000,
      walletBalance: 50_000,
      maintenanceMarginRate: 0.004,
    });
    assert.deepEqual(value(linearLong), null);
    const inverseShort = liquidationPrice({
      settlement: 'inverse',
      side: 'short',
      quantity: 50_000,
      entryPrice: 50_000,
      walletBalance: 1,
      maintenanceMarginRate: 0.004,
    });
    assert.deepEqual(value(inverseShort), null);
  });

  it('uses the maintenance amount of a higher bracket', () => {
    // Linear short, Q 1, EP 50,000, WB 10,000, MMR 1%, cum 50: LP = (10,050 + 50,000) / 1.01.
    const lp = liquidationPrice({
      settlement: 'linear',
      side: 'short',
      quantity: 1,
      entryPrice: 50_000,
      walletBalance: 10_000,
      maintenanceMarginRate: 0.01,
      maintenanceAmount: 50,
    });
    close(value(lp) as number, 60_050 / 1.01, 1e-12);
  });

  it('leaves exactly the maintenance margin at the liquidation price (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('linear' as const, 'inverse' as const),
        fc.constantFrom('long' as const, 'short' as const),
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.double({ min: 0.5, max: 1e5, noNaN: true }),
        fc.double({ min: 1.05, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 0.009, noNaN: true }),
        (settlement, side, qty, ep, lev, mmr) => {
          const notionalInMargin = settlement === 'linear' ? qty * ep : qty / ep;
          const wb = notionalInMargin / lev;
          const r = liquidationPrice({
            settlement,
            side,
            quantity: qty,
            entryPrice: ep,
            walletBalance: wb,
            maintenanceMarginRate: mmr,
          });
          const lp = value(r);
          if (lp === null) return; // no price liquidates it
          const s = side === 'long' ? 1 : -1;
          const equity = wb + positionPnl(settlement, s * qty, ep, lp);
          const maintenance = settlement === 'linear' ? qty * lp * mmr : (qty / lp) * mmr;
          // Equity and maintenance are differences of numbers of the size of the notional.
          assert.ok(
            Math.abs(equity - maintenance) <= 1e-10 * (notionalInMargin + wb),
            `${equity} vs ${maintenance}`,
          );
          assert.ok(side === 'long' ? lp < ep : lp > ep, 'liquidation is on the losing side');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails with liquidated_at_entry when the margin is below maintenance', () => {
    const r = liquidationPrice({
      settlement: 'linear',
      side: 'short',
      quantity: 1,
      entryPrice: 50_000,
      walletBalance: 100,
      maintenanceMarginRate: 0.004,
    });
    assert.ok(!r.ok && r.problems[0]?.code === 'liquidated_at_entry');
  });
});

describe('hedging to a target (properties)', () => {
  const instrumentArb = fc.record({
    settlement: fc.constantFrom('linear' as const, 'inverse' as const),
    contractSize: fc.constantFrom(0.001, 0.01, 1, 10, 100),
    lotStep: fc.constantFrom(1, 0.1, 5),
  });
  it('reaches the target beta within one lot, for linear and inverse contracts', () => {
    fc.assert(
      fc.property(
        instrumentArb,
        fc.double({ min: 1e3, max: 1e8, noNaN: true }),
        fc.double({ min: -1, max: 3, noNaN: true }),
        fc.double({ min: -0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0.3, max: 2, noNaN: true }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 1.1, max: 50, noNaN: true }),
        (spec, v, bp, bt, bf, price, leverage) => {
          const instrument = { ...BTCUSDT, ...spec };
          const h = value(
            sizeHedge({
              portfolioValue: v,
              portfolioBeta: bp,
              targetBeta: bt,
              instrument,
              instrumentBeta: bf,
              price,
              leverage,
            }),
          );
          assert.ok(
            Math.abs(h.residualBeta) <= h.lotBeta / 2 + 1e-9,
            `${h.residualBeta} vs lot ${h.lotBeta}`,
          );
          assert.equal(h.signedContracts, h.side === 'short' ? -h.contracts : h.contracts);
          assert.ok(Number.isFinite(h.betaAfter) && Number.isFinite(h.initialMargin));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('rounds ties away from zero, symmetric for longs and shorts', () => {
    assert.equal(roundToLots(125, BTCUSDT, 50_000).signedContracts, 3); // 2.5 contracts
    assert.equal(roundToLots(-125, BTCUSDT, 50_000).signedContracts, -3);
    assert.equal(roundToLots(0.3 * 50, { ...BTCUSDT, lotStep: 0.1 }, 50_000).signedContracts, 0.3);
  });
});

describe('sizeHedge with bad inputs', () => {
  const cases: [string, Partial<HedgeInput>, string, (string | number)[]][] = [
    [
      'a zero portfolio value',
      { portfolioValue: 0 },
      'invalid_portfolio_value',
      ['portfolioValue'],
    ],
    ['a NaN portfolio beta', { portfolioBeta: NaN }, 'invalid_beta', ['portfolioBeta']],
    ['an infinite target', { targetBeta: Infinity }, 'invalid_beta', ['targetBeta']],
    ['an instrument beta of 0', { instrumentBeta: 0 }, 'zero_instrument_beta', ['instrumentBeta']],
    ['a negative price', { price: -1 }, 'invalid_price', ['price']],
    ['zero leverage', { leverage: 0 }, 'invalid_leverage', ['leverage']],
    ['leverage at 1 / MMR', { leverage: 250 }, 'leverage_too_high', ['leverage']],
    [
      'a dated future past its expiry',
      {
        instrument: { ...BTCUSDT, type: 'future', expiry: Date.UTC(2026, 2, 27) },
        asOf: Date.UTC(2026, 5, 1),
      },
      'future_expired',
      ['instrument'],
    ],
  ];
  for (const [what, patch, code, path] of cases)
    it(`reports ${code} at ${path.join('.')} for ${what}, in words`, () => {
      const r = sizeHedge({ ...base, ...patch });
      assert.equal(r.ok, false);
      if (r.ok) return;
      const p = r.problems.find((q) => q.code === code);
      assert.ok(p, JSON.stringify(r.problems));
      assert.deepEqual(p.path, path);
      const words = describeProblem(p);
      assert.ok(
        words.length > 20 && !words.includes('undefined') && !words.includes('NaN '),
        words,
      );
    });
});

describe('validateInstrument', () => {
  it('fills the defaults: lot step 1, no expiry, 0.4% maintenance', () => {
    const i = value(
      validateInstrument({
        name: 'BTCUSDT-PERP',
        type: 'perpetual',
        settlement: 'linear',
        underlying: 'BTC',
        contractSize: 0.001,
      }),
    );
    assert.deepEqual(i, BTCUSDT);
  });
  it('needs an expiry for a dated future and refuses one on a perpetual', () => {
    const fut = validateInstrument({ ...BTCUSDT, type: 'future', expiry: null });
    assert.ok(!fut.ok && fut.problems[0]?.code === 'missing_expiry');
    const perp = validateInstrument({ ...BTCUSDT, expiry: Date.UTC(2026, 11, 25) });
    assert.ok(!perp.ok && perp.problems[0]?.code === 'perpetual_with_expiry');
    const ok = validateInstrument({ ...BTCUSDT, type: 'future', expiry: Date.UTC(2026, 11, 25) });
    assert.equal(ok.ok, true);
  });
  it('collects every bad field with its location', () => {
    const r = validateInstrument({
      name: '',
      type: 'swap' as 'perpetual',
      settlement: 'quanto' as 'linear',
      underlying: 'BTC',
      contractSize: -1,
      lotStep: 0,
      maintenanceMarginRate: 1.5,
    });
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.path[0]]),
      [
        ['invalid_instrument_name', 'name'],
        ['invalid_instrument_type', 'type'],
        ['invalid_settlement', 'settlement'],
        ['invalid_contract_size', 'contractSize'],
        ['invalid_lot_step', 'lotStep'],
        ['invalid_maintenance_margin_rate', 'maintenanceMarginRate'],
      ],
    );
    for (const p of r.problems) assert.ok(!describeProblem(p).includes('_'), describeProblem(p));
  });
});

describe('inverse settlement in USD', () => {
  it('makes a BTC portfolio hedged with BTCUSD inverse contracts flat in USD, collateral included', () => {
    // 2 BTC at 50,000 (V = 100,000, β 1) hedged to 0 at 5×: 1,250 contracts short (S = 125,000 USD),
    // margin 0.5 BTC. Each period the USD P&L is: spot 2·ΔP + coin P&L · P1 + collateral 0.5·ΔP.
    const h = value(sizeHedge({ ...base, portfolioBeta: 1, instrument: BTCUSD }));
    assert.equal(h.hedgeRatio, -1); // (−125,000 + 25,000) / 100,000
    const path = [50_000, 52_000, 47_500, 61_000, 30_000];
    const spotUnits = 2;
    const collateralCoin = h.initialMarginCoin as number;
    const rP: number[] = [];
    const rF: number[] = [];
    for (let t = 1; t < path.length; t++) {
      const p0 = path[0] as number; // hedge set once at the start: P&L measured from the entry
      const [a, b] = [path[t - 1] as number, path[t] as number];
      rP.push(b / a - 1);
      rF.push(b / a - 1);
      const usdPnl =
        spotUnits * (b - p0) +
        positionPnl('inverse', h.contractNotional, p0, b) * b +
        collateralCoin * (b - p0);
      assert.ok(Math.abs(usdPnl) < 1e-6, `total USD P&L at ${b} is ${usdPnl}`);
    }
    const hedged = hedgedReturns(rP, rF, h.hedgeRatio);
    assert.ok(hedged.every((x) => Math.abs(x) < 1e-15));
    const e = hedgeEffectiveness(hedged, rP);
    assert.ok(e.ok && e.value === 1);
  });

  it('adds up the exposure rows to the beta after the hedge', () => {
    const h = value(sizeHedge({ ...base, portfolioBeta: 1.25, instrument: BTCUSD }));
    const rows = hedgeExposures(
      [
        { asset: 'BTC', value: 50_000 },
        { asset: 'SOL', value: 50_000 },
      ],
      { SOL: 1.5 },
      h,
      'BTCUSD_PERP',
      1,
      'BTC',
    );
    assert.deepEqual(
      rows.map((r) => r.label),
      ['BTC', 'SOL', 'BTCUSD_PERP', 'BTCUSD_PERP collateral'],
    );
    const after = rows.reduce((s, r) => s + r.after, 0);
    assert.ok(Math.abs(after - h.betaAfter * 100_000) < 1e-6);
    assert.equal(
      rows.reduce((s, r) => s + r.before, 0),
      125_000,
    );
  });
});

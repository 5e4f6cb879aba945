import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BINANCE_BTCUSDT } from '../../src/engine/bracket-tables';
import { describeProblem } from '../../src/engine/messages';
import { fundingSince, positionState, type PositionInput } from '../../src/engine/position';
import { BTCUSDT, close, value } from './helpers';

// 2 BTC short of BTCUSDT (2,000 contracts of 0.001) opened at 50,000 with 20,000 USDT (5×).
// Today BTC is 55,000; the book is $110,000 at β 1.2, target β 0.
const base: PositionInput = {
  held: {
    instrument: BTCUSDT,
    contracts: -2_000,
    entryPrice: 50_000,
    margin: 20_000,
    openedAt: Date.UTC(2026, 10, 1),
  },
  price: 55_000,
  asOf: Date.UTC(2026, 11, 1),
  portfolioValue: 110_000,
  portfolioBeta: 1.2,
  instrumentBeta: 1,
  targetBeta: 0,
  feeRate: 0.0005,
  band: 0,
};

describe('positionState of a held linear short', () => {
  it('measures the drift and writes the ticket back to target, with its fee', () => {
    // Notional now −2 · 55,000 = −110,000; β now (1.2 · 110,000 − 110,000) / 110,000 = 0.2.
    // Target −132,000 USD = 2,400 contracts at 55 USD each: sell 400 more (22,000 USD),
    // fee 0.05 % = 11 USD; β after 0. Leverage 100,000 / 20,000 = 5: margin after
    // 132,000 / 5 = 26,400, the balance is 20,000 − 10,000 = 10,000: add 16,400.
    const p = value(positionState(base));
    close(p.notional, -110_000, 1e-12);
    close(p.unrealizedPnlUsd, -10_000, 1e-12);
    close(p.marginBalance, 10_000, 1e-12);
    close(p.betaNow, 0.2, 1e-12);
    close(p.drift, 0.2, 1e-12);
    assert.equal(p.ticket.side, 'sell');
    assert.equal(p.ticket.contracts, 400);
    assert.equal(p.ticket.contractsAfter, -2_400);
    close(p.ticket.notional, 22_000, 1e-12);
    close(p.ticket.fee, 11, 1e-12);
    close(p.ticket.betaAfter, 0, 1e-12);
    close(p.leverage, 5, 1e-12);
    close(p.ticket.marginAfter, 26_400, 1e-12);
    close(p.ticket.marginChange, 16_400, 1e-12);
  });

  it('gives the liquidation price of the position as held (entry and margin), and its distance', () => {
    // LP = (20,000 + 100,000) / (2 · 0.004 + 2) = 59,760.96; from 55,000: +8.66 %.
    const p = value(positionState(base));
    close(p.liquidationPrice, 120_000 / 2.008, 1e-12);
    close(p.liquidationMovePct, (120_000 / 2.008 / 55_000 - 1) * 100, 1e-12);
    // With Binance's brackets 100,000 USDT is in bracket 2 (0.5 %, cum 50):
    // LP = (20,000 + 50 + 100,000) / (2 · 0.005 + 2) = 59,726.37, sooner.
    const tiered = value(
      positionState({
        ...base,
        held: { ...base.held, instrument: { ...BTCUSDT, brackets: BINANCE_BTCUSDT } },
      }),
    );
    close(tiered.liquidationPrice, 120_050 / 2.01, 1e-12);
    assert.equal(tiered.maintenanceMarginRate, 0.005);
  });

  it('proposes no trade while the drift is inside the band', () => {
    const p = value(positionState({ ...base, band: 0.25 }));
    assert.equal(p.withinBand, true);
    assert.equal(p.ticket.side, 'none');
    assert.equal(p.ticket.fee, 0);
    close(p.ticket.betaAfter, 0.2, 1e-12);
  });

  it('warns when the price is already past the liquidation price', () => {
    const p = positionState({ ...base, price: 61_000 });
    assert.ok(p.ok);
    const w = p.ok ? p.warnings.find((x) => x.code === 'position_liquidated') : undefined;
    assert.ok(w);
    assert.match(describeProblem(w), /past its liquidation price 59,761/);
  });
});

describe('positionState of an inverse short', () => {
  it('counts the coin margin as exposure: a collateral-aware hedge sits at its target', () => {
    // −1,250 contracts of 100 USD (−125,000 USD) on a $100,000 β-1 book, 0.5 BTC margin:
    // β = (100,000 − 125,000 + 0.5 · 50,000) / 100,000 = 0.
    const p = value(
      positionState({
        ...base,
        held: {
          instrument: { ...BTCUSDT, name: 'BTCUSD_PERP', settlement: 'inverse', contractSize: 100 },
          contracts: -1_250,
          entryPrice: 50_000,
          margin: 0.5,
          openedAt: base.held.openedAt,
        },
        price: 50_000,
        portfolioValue: 100_000,
        portfolioBeta: 1,
      }),
    );
    close(p.betaNow, 0, 1e-12);
    close(p.collateralExposure, 25_000, 1e-12);
    assert.equal(p.ticket.side, 'none');
  });
});

describe('fundingSince', () => {
  it('sums −notional × rate over the payments after opening, up to now', () => {
    // Short 2 BTC: +0.01 % at 50,000 → +10; −0.02 % at 52,000 → −20.8; the one before opening
    // and the one after now are not counted: −10.8 USD from 2 payments.
    const f = fundingSince(
      base.held,
      {
        times: [
          Date.UTC(2026, 9, 1),
          Date.UTC(2026, 10, 2),
          Date.UTC(2026, 10, 3),
          Date.UTC(2027, 0, 1),
        ],
        rates: [0.01, 0.0001, -0.0002, 0.01],
        prices: [50_000, 50_000, 52_000, 50_000],
      },
      base.asOf,
    );
    close(f.pnl, -10.8, 1e-12);
    assert.equal(f.payments, 2);
  });
});

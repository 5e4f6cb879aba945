import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { singleRateTable } from '../../src/engine/brackets';
import { BINANCE_BTCUSDT } from '../../src/engine/bracket-tables';
import { describeProblem } from '../../src/engine/messages';
import {
  runStress,
  worstWindows,
  type Scenario,
  type StressHedge,
  type StressInput,
} from '../../src/engine/stress';
import { close, value } from './helpers';

const scenario = (name: string, m: number, shocks: Record<string, number> = {}): Scenario => ({
  name,
  kind: 'scenario',
  benchmarkMove: m,
  shocks,
});

// Book: ETH $60,000 (β 1.5) + BTC $40,000 (the benchmark): β_P = 0.9 + 0.4 = 1.3.
// Hedge to β 0 with BTCUSDT at 50,000: −130,000 USD = 2.6 BTC short, 5×: margin 26,000 USDT.
const linearHedge: StressHedge = {
  instrument: 'BTCUSDT-PERP',
  underlying: 'BTC',
  underlyingBeta: 1,
  position: {
    settlement: 'linear',
    side: 'short',
    quantity: 2.6,
    entryPrice: 50_000,
    walletBalance: 26_000,
  },
  table: singleRateTable(0.004),
  price: 50_000,
};
const book: StressInput = {
  holdings: [
    { asset: 'ETH', value: 60_000, beta: 1.5 },
    { asset: 'BTC', value: 40_000, beta: 1 },
  ],
  benchmark: 'BTC',
  hedge: linearHedge,
  scenarios: [],
};

describe('runStress, hand-computed', () => {
  it('offsets a −20 % BTC move exactly with the beta hedge (linear)', () => {
    // ETH −30 % → −18,000; BTC −20 % → −8,000; unhedged −26,000.
    // Short 2.6 BTC from 50,000 to 40,000: +26,000. Hedged 0. Margin 52,000, maintenance
    // 0.4 % · 2.6 · 40,000 = 416.
    const r = value(runStress({ ...book, scenarios: [scenario('crash', -0.2)] }));
    const o = r.outcomes[0]!;
    close(o.unhedgedPnl, -26_000, 1e-12);
    close(o.hedge?.pnl, 26_000, 1e-12);
    close(o.hedgedPnl, 0, 1e-9);
    close(o.hedge?.marginAfter, 52_000, 1e-12);
    close(o.hedge?.maintenanceAfter, 416, 1e-12);
    assert.equal(o.hedge?.liquidated, false);
    assert.deepEqual(
      o.positions.map((p) => [p.asset, p.source]),
      [
        ['ETH', 'beta'],
        ['BTC', 'beta'],
      ],
    );
  });

  it('leaves the idiosyncratic shock unhedged', () => {
    // ETH −50 % (shock) → −30,000; BTC −10 % → −4,000; hedge +13,000: hedged −21,000.
    const r = value(
      runStress({ ...book, scenarios: [scenario('eth-scare', -0.1, { ETH: -0.5 })] }),
    );
    const o = r.outcomes[0]!;
    close(o.unhedgedPnl, -34_000, 1e-12);
    close(o.hedgedPnl, -21_000, 1e-12);
    assert.equal(o.positions[0]?.source, 'shock');
  });

  it('liquidates the short hedge in a +25 % rally: it loses its margin and stops hedging', () => {
    // LP = (26,000 + 130,000) / (2.6 · 0.004 + 2.6) = 156,000 / 2.6104 = 59,761.0 (+19.52 %).
    // At 62,500 the leg is gone: hedge P&L −26,000 (the whole margin), not −32,500.
    // Book: ETH +37.5 % → +22,500, BTC +25 % → +10,000: hedged 32,500 − 26,000 = 6,500.
    const r = value(runStress({ ...book, scenarios: [scenario('squeeze', 0.25)] }));
    const o = r.outcomes[0]!;
    assert.equal(o.hedge?.liquidated, true);
    close(o.hedge?.pnl, -26_000, 1e-12);
    close(o.hedgedPnl, 6_500, 1e-12);
    close(o.hedge?.liquidationPrice, 156_000 / 2.6104, 1e-12);
    assert.equal(o.hedge?.distancePct, null);
    close(r.liquidationBenchmarkMove, 156_000 / 2.6104 / 50_000 - 1, 1e-12);
    // A +15 % rally does not liquidate: distance from 57,500 to 59,761 is +3.93 %.
    const safe = value(runStress({ ...book, scenarios: [scenario('rally', 0.15)] })).outcomes[0]!;
    assert.equal(safe.hedge?.liquidated, false);
    close(safe.hedge?.distancePct, (156_000 / 2.6104 / 57_500 - 1) * 100, 1e-12);
    close(safe.hedgedPnl, 0, 1e-9);
  });

  it('counts a funding shock: shorts receive a positive rate', () => {
    // Notional after −20 %: −2.6 · 40,000 = −104,000; 0.1 % × 3 intervals: +312.
    const s: Scenario = { ...scenario('crash', -0.2), funding: { rate: 0.001, intervals: 3 } };
    const o = value(runStress({ ...book, scenarios: [s] })).outcomes[0]!;
    close(o.hedge?.fundingPnl, 312, 1e-12);
    close(o.hedgedPnl, 312, 1e-12);
  });

  it('hedges an inverse (coin-margined) short with its collateral counted, both ways', () => {
    // $100,000 of BTC hedged with BTCUSD inverse at 5×: N = −100,000 / (1 − 1/5) = −125,000 USD,
    // margin 125,000 / 5 / 50,000 = 0.5 BTC ($25,000).
    // −20 %: coin P&L +125,000 · (1/40,000 − 1/50,000) = +0.625 BTC → 1.125 BTC · 40,000 = 45,000:
    //        hedge +20,000 = −(book −20,000).
    // +20 %: −125,000 · (1/50,000 − 1/60,000) = −0.41667 BTC → 0.08333 · 60,000 = 5,000: −20,000.
    const inverse: StressInput = {
      holdings: [{ asset: 'BTC', value: 100_000, beta: 1 }],
      benchmark: 'BTC',
      hedge: {
        ...linearHedge,
        instrument: 'BTCUSD-PERP',
        position: {
          settlement: 'inverse',
          side: 'short',
          quantity: 125_000,
          entryPrice: 50_000,
          walletBalance: 0.5,
        },
      },
      scenarios: [scenario('down', -0.2), scenario('up', 0.2)],
    };
    const [down, up] = value(runStress(inverse)).outcomes;
    close(down?.hedge?.pnl, 20_000, 1e-12);
    close(down?.hedgedPnl, 0, 1e-9);
    close(up?.hedge?.pnl, -20_000, 1e-12);
    close(up?.hedgedPnl, 0, 1e-9);
    close(up?.hedge?.maintenanceAfter, (125_000 / 60_000) * 0.004 * 60_000, 1e-12); // 500 USD
    // LP = (500 − 125,000) / (0.5 − 2.5) = 62,250: +20 % is short of it, +25 % is beyond.
    close(up?.hedge?.liquidationPrice, 62_250, 1e-12);
    const squeeze = value(runStress({ ...inverse, scenarios: [scenario('sq', 0.25)] })).outcomes[0];
    assert.equal(squeeze?.hedge?.liquidated, true);
    close(squeeze?.hedge?.pnl, -25_000, 1e-12); // the whole 0.5 BTC margin, worth 25,000 now
  });

  it('moves a book against a basket benchmark by each asset’s beta to the basket', () => {
    // Benchmark 50 % BTC + 50 % ETH (no single asset). SOL $100,000, β 1.4 to the basket;
    // BTC β 0.9 to it. Short 3 BTC at 50,000 (5×). Basket −10 %: SOL −14 % → −14,000;
    // BTC −9 % → the short gains 3 · 4,500 = 13,500; hedged −500.
    const r = value(
      runStress({
        holdings: [{ asset: 'SOL', value: 100_000, beta: 1.4 }],
        benchmark: null,
        hedge: {
          ...linearHedge,
          underlyingBeta: 0.9,
          position: { ...linearHedge.position, quantity: 3, walletBalance: 30_000 },
        },
        scenarios: [scenario('basket-down', -0.1)],
      }),
    );
    const o = r.outcomes[0]!;
    close(o.unhedgedPnl, -14_000, 1e-12);
    close(o.hedge?.move, -0.09, 1e-12);
    close(o.hedge?.pnl, 13_500, 1e-12);
    close(o.hedgedPnl, -500, 1e-12);
    // The liquidation's benchmark move is the underlying's move over its beta.
    const lp = 180_000 / (3 * 0.004 + 3);
    close(r.liquidationBenchmarkMove, (lp / 50_000 - 1) / 0.9, 1e-12);
  });

  it('uses the bracket table for the margin after the move', () => {
    // 100 BTC short, 5×, Binance brackets: +15 % → 57,500, notional 5,750,000 in bracket 4:
    // maintenance 5,750,000 · 2.5 % − 16,300 = 127,450; balance 1,000,000 − 750,000 = 250,000.
    const o = value(
      runStress({
        holdings: [{ asset: 'BTC', value: 5_000_000, beta: 1 }],
        benchmark: 'BTC',
        hedge: {
          ...linearHedge,
          position: { ...linearHedge.position, quantity: 100, walletBalance: 1_000_000 },
          table: BINANCE_BTCUSDT,
        },
        scenarios: [scenario('rally', 0.15)],
      }),
    ).outcomes[0]!;
    close(o.hedge?.maintenanceAfter, 127_450, 1e-12);
    close(o.hedge?.marginAfter, 250_000, 1e-12);
    close(o.hedge?.marginRatioAfter, 127_450 / 250_000, 1e-12);
  });

  it('refuses a move that would take a price below zero, naming the scenario and asset', () => {
    const r = runStress({ ...book, scenarios: [scenario('wipe', -0.8)] }); // ETH 1.5 · −80 %
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.problems[0]?.code, 'invalid_move');
    assert.match(describeProblem(r.problems[0]!), /wipe, ETH would move by -120%/);
  });
});

describe('worstWindows', () => {
  const prices = [100, 90, 95, 80, 85, 120, 60];
  it('finds the worst one-period falls and the best rallies in order', () => {
    const falls = worstWindows(prices, 1, 2, 'falls');
    assert.deepEqual(
      falls.map((w) => [w.start, w.end]),
      [
        [5, 6],
        [2, 3],
      ],
    );
    close(falls[0]?.move, -0.5, 1e-15);
    close(falls[1]?.move, 80 / 95 - 1, 1e-15);
    const rallies = worstWindows(prices, 1, 1, 'rallies');
    assert.deepEqual(
      rallies.map((w) => [w.start, w.end, w.move]),
      [[4, 5, 120 / 85 - 1]],
    );
  });

  it('never returns overlapping windows (they may touch at an end)', () => {
    // Two-period windows: [4,6] −29.4 %, [1,3] −11.1 %, then [2,4] −10.5 % overlaps [1,3]
    // and [0,2] overlaps it too: two windows only.
    assert.deepEqual(
      worstWindows(prices, 2, 3, 'falls').map((w) => [w.start, w.end]),
      [
        [4, 6],
        [1, 3],
      ],
    );
  });

  it('returns nothing when the data is shorter than a window', () => {
    assert.deepEqual(worstWindows([1, 2, 3], 3, 2, 'falls'), []);
  });
});

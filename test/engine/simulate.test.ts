import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dollarBetaPath, instrumentBetaPath } from '../../src/engine/beta-path';
import { placeSettlements } from '../../src/engine/funding';
import { rebalanceFlags } from '../../src/engine/schedule';
import { BINANCE_BTCUSDT } from '../../src/engine/bracket-tables';
import { isolatedLiquidation } from '../../src/engine/margin';
import { simulateHedge, type SimulationSettings } from '../../src/engine/simulate';
import { toReturns } from '../../src/engine/series';
import { generateFunding, generateMarket } from '../../src/engine/synthetic';
import { BTCUSDT, close, value } from './helpers';
import { BTCUSD, DAY, HOUR, identityError, setup, simulate, T0 } from './simulate-helpers';

describe('simulateHedge: funding', () => {
  it('pays a short hedge a positive rate three times per daily bar, at the last close at or before each settlement', () => {
    // 1 BTC of spot at beta 1, hedged to 0 with 1,000 BTCUSDT contracts (1 BTC) short.
    // Settlements in (day 0, day 1]: 08:00 and 16:00 at the day-0 close (50,000): +5 each;
    // 00:00 on the day-1 close (51,000): +5.1. Hedge P&L −1 · 1,000.
    const r = simulate({ bars: { price: [50_000, 51_000] }, fundingRate: 0.0001 });
    assert.equal(r.trades[0]?.contracts, -1000);
    close(r.totals.fundingReceived, 15.1, 1e-12);
    assert.equal(r.totals.fundingPaid, 0);
    close(r.totals.hedgePnl, -1000, 1e-12);
    close(r.path!.equity[1]! - r.path!.unhedged[1]!, -984.9, 1e-12);
  });

  it('makes a long hedge pay a positive rate', () => {
    // Target beta 2 on a beta-1 book: 1 BTC long.
    const r = simulate({
      bars: { price: [50_000, 51_000] },
      fundingRate: 0.0001,
      settings: { targetBeta: 2 },
    });
    assert.equal(r.trades[0]?.contracts, 1000);
    close(r.totals.fundingPaid, 15.1, 1e-12);
    assert.equal(r.totals.fundingReceived, 0);
    close(r.totals.hedgePnl, 1000, 1e-12);
  });

  it('makes a short hedge pay a negative rate', () => {
    const r = simulate({ bars: { price: [50_000, 50_000] }, fundingRate: -0.0002 });
    close(r.totals.fundingPaid, 30, 1e-12); // 3 × 0.0002 × 50,000
  });

  it('places three settlements on each daily bar, the third on its close', () => {
    const times = [T0, T0 + DAY, T0 + 2 * DAY];
    const ts = [8, 16, 24, 32, 40, 48].map((h) => T0 + h * HOUR);
    const s = placeSettlements(times, 0, 2, { times: ts, rates: ts.map(() => 1e-4) });
    assert.deepEqual([...s.bar], [1, 1, 1, 2, 2, 2]);
    assert.deepEqual([...s.atClose], [0, 0, 1, 0, 0, 1]);
  });

  it('charges a settlement on a bar close to the position held before that close’s trade', () => {
    // The book's beta doubles at the day-1 close, so the hedge goes from 1,000 to 2,000
    // contracts short there. Day 1's three settlements use 1,000 (the midnight one included:
    // 3 × 5), day 2's use 2,000 (3 × 10): 45, not 50.
    const r = simulate({
      bars: { price: [50_000, 50_000, 50_000], dollarBeta: [50_000, 100_000, 100_000] },
      every: DAY,
      fundingRate: 0.0001,
    });
    assert.deepEqual(
      r.trades.map((t) => [t.reason, t.contracts]),
      [
        ['open', -1000],
        ['schedule', -1000],
      ],
    );
    close(r.totals.fundingReceived, 45, 1e-12);
  });

  it('uses the funding data’s own times and rates, skipping none inside the bar', () => {
    // Hourly bars, settlements at 04:00 and 12:00 (not the 8-hour grid) with different rates.
    const times = [T0 + 4 * HOUR, T0 + 12 * HOUR];
    const r = simulate({
      bars: {
        price: [
          50_000, 50_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000,
          60_000, 60_000,
        ],
        step: HOUR,
      },
      fundingSeries: { times, rates: [0.0001, 0.0003] },
    });
    // 04:00 is the close of bar 4 (60,000); 12:00 the close of bar 12 (60,000).
    close(r.totals.fundingReceived, 0.0001 * 60_000 + 0.0003 * 60_000, 1e-12);
  });
});

describe('simulateHedge: fees and slippage', () => {
  it('fills against the trade and books the fee at the fill and the slippage as costs', () => {
    // Open 1,000 contracts short at 50,000: fill 50,000 · (1 − 0.0005) = 49,975;
    // fee 0.0004 · 1 BTC · 49,975 = 19.99; slippage 1 BTC · 25 = 25.
    const r = simulate({
      bars: { price: [50_000, 50_000] },
      settings: { feeRate: 0.0004, slippage: 0.0005 },
    });
    const t = r.trades[0]!;
    assert.equal(t.reason, 'open');
    close(t.price, 49_975, 1e-12);
    close(t.fee, 19.99, 1e-12);
    close(t.slippage, 25, 1e-12);
    close(t.notional, 49_975, 1e-12);
    close(r.path!.equity[0]! - r.path!.unhedged[0]!, -44.99, 1e-12);
    close(r.totals.fees, 19.99, 1e-12);
    close(r.totals.slippage, 25, 1e-12);
  });

  it('charges an inverse contract’s fee in coin at the fill, booked in USD at the close', () => {
    // Inverse 5×: N = −50,000 / (1 − 1/5) = −62,500 USD = 625 contracts short.
    // fee = 0.0004 · 62,500 / 49,975 coin · 50,000; slippage = 62,500 · (1/49,975 − 1/50,000) · 50,000.
    const r = simulate({
      bars: { price: [50_000, 50_000] },
      settings: { instrument: BTCUSD, leverage: 5, feeRate: 0.0004, slippage: 0.0005 },
    });
    const t = r.trades[0]!;
    assert.equal(t.contracts, -625);
    close(t.fee, ((0.0004 * 62_500) / 49_975) * 50_000, 1e-12);
    close(t.slippage, 62_500 * (1 / 49_975 - 1 / 50_000) * 50_000, 1e-12);
    assert.ok(identityError(r) < 1e-12);
  });

  it('skips a re-size whose traded notional is below min_trade', () => {
    const run = {
      bars: { price: [50_000, 50_000, 50_000], dollarBeta: [50_000, 50_500, 52_000] },
      every: DAY,
      minTrade: 1000,
    };
    // Day 1 needs 10 more contracts (500 USD): skipped; day 2 needs 40 (2,000 USD): traded.
    const r = simulate(run);
    assert.deepEqual(
      r.trades.map((t) => [t.bar, t.contracts]),
      [
        [0, -1000],
        [2, -40],
      ],
    );
  });
});

describe('simulateHedge: rebalancing rules', () => {
  it('trades only when the held beta leaves the band, back to the target', () => {
    // Beta with the held hedge: day 1 (50,500 − 50,000)/50,000 = 0.01 inside a 0.05 band;
    // day 2 (55,000 − 50,000)/50,000 = 0.1 outside: re-sized to the target.
    const r = simulate({
      bars: { price: [50_000, 50_000, 50_000], dollarBeta: [50_000, 50_500, 55_000] },
      every: DAY,
      band: 0.05,
    });
    assert.deepEqual(
      r.trades.map((t) => [t.bar, t.reason, t.contracts]),
      [
        [0, 'open', -1000],
        [2, 'band', -100],
      ],
    );
    close(r.path!.beta[1], 0.01, 1e-12);
    close(r.path!.beta[2], 0.1, 1e-12);
  });

  it('decides on hourly bars once a day at the first close of each UTC day', () => {
    const times = Array.from({ length: 50 }, (_, i) => T0 + 22 * HOUR + i * HOUR);
    const flags = rebalanceFlags(times, 0, 49, DAY);
    const decided = [...flags.keys()].filter((i) => flags[i] === 1).map((i) => times[i]! - T0);
    assert.deepEqual(decided, [22 * HOUR, DAY, 2 * DAY]);
  });

  it('decides weekly on Mondays (ISO weeks)', () => {
    const times = Array.from({ length: 15 }, (_, i) => T0 + i * DAY); // 2024-01-01 is a Monday
    const flags = rebalanceFlags(times, 0, 14, 7 * DAY);
    assert.deepEqual(
      [...flags.keys()].filter((i) => flags[i] === 1),
      [0, 7, 14],
    );
  });

  it('flags exactly the bars whose close falls in a new period, whatever the gaps between bars', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 * DAY }), { minLength: 2, maxLength: 60 }),
        fc.constantFrom(15 * 60_000, HOUR, 8 * HOUR, DAY, 7 * DAY, 5 * 60_000 + 7),
        fc.integer({ min: 0, max: 1e12 }),
        (gaps, period, start) => {
          const times: number[] = [];
          gaps.reduce((t, g) => (times.push(t + g), t + g), start);
          const origin = period % (7 * DAY) === 0 ? 4 * DAY : 0;
          const bucket = (t: number) => Math.floor((t - origin) / period);
          const to = times.length - 1;
          const expected = times.map((t, i) =>
            i === 0 || bucket(t) !== bucket(times[i - 1]!) ? 1 : 0,
          );
          assert.deepEqual([...rebalanceFlags(times, 0, to, period)], expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the RMS distance of the held beta from the target as the tracking error', () => {
    const r = simulate({
      bars: { price: [50_000, 50_000, 50_000], dollarBeta: [50_000, 51_000, 47_000] },
    });
    // held betas on days 1 and 2: 0.02 and −0.06
    close(r.trackingError, Math.sqrt((0.02 ** 2 + 0.06 ** 2) / 2), 1e-12);
  });
});

describe('simulateHedge: dated futures', () => {
  const future = {
    ...BTCUSDT,
    name: 'BTCUSDT-240104',
    type: 'future' as const,
    expiry: T0 + 3 * DAY,
  };

  it('rolls roll_days before expiry, paying fees twice and the roll cost', () => {
    // Roll at the first close at or after 2024-01-03 (expiry − 1 day) = bar 2: buy back 1,000
    // and sell 1,000 of the next contract: fees 2 × 20, roll cost 0.1% of 50,000.
    const r = simulate({
      bars: { price: [50_000, 50_000, 50_000, 50_000] },
      settings: { instrument: future, feeRate: 0.0004, roll: { days: 1, cost: 0.001 } },
    });
    assert.deepEqual(
      r.trades.map((t) => [t.bar, t.reason, t.contracts]),
      [
        [0, 'open', -1000],
        [2, 'roll', 1000],
        [2, 'roll', -1000],
      ],
    );
    close(r.totals.fees, 60, 1e-12);
    close(r.totals.rollCosts, 50, 1e-12);
    assert.equal(r.totals.rolls, 1);
    const ev = r.events.find((e) => e.kind === 'roll')!;
    close(ev.amount, 90, 1e-12);
    assert.equal(r.path!.contracts[3], -1000); // still hedged after the old expiry
  });

  it('settles at expiry without a roll and leaves the book unhedged from then on', () => {
    const r = simulate({
      bars: { price: [50_000, 51_000, 52_000, 53_000] },
      every: DAY,
      settings: { instrument: { ...future, expiry: T0 + 2 * DAY } },
    });
    assert.deepEqual([...r.path!.contracts], [-1000, -1000, 0, 0]);
    close(r.totals.hedgePnl, -2000, 1e-12);
    const ev = r.events.find((e) => e.kind === 'expiry')!;
    assert.equal(ev.bar, 2);
    close(ev.amount, -2000, 1e-12);
    close(r.path!.beta[3], 1, 1e-12); // unhedged, and no re-hedge at the daily decisions
  });

  it('settles a future expiring between two closes at the earlier close', () => {
    const r = simulate({
      bars: { price: [50_000, 51_000, 52_000] },
      settings: { instrument: { ...future, expiry: T0 + 1.5 * DAY } },
    });
    close(r.totals.hedgePnl, -1000, 1e-12);
    assert.equal(r.events[0]?.kind, 'expiry');
    close(r.events[0]!.price, 51_000, 1e-12);
  });
});

describe('simulateHedge: isolated margin and liquidation', () => {
  it('liquidates a 10× linear short whose close passes the liquidation price, losing the margin', () => {
    // Wallet 5,000 USD; LP = (5,000 + 50,000) / 1.004 = 54,780.88. The close 54,900 is past it:
    // the hedge P&L runs to LP (−4,780.88) and the maintenance margin left there (0.4% · LP) is
    // lost. The whole margin is gone: −5,000.
    const lp = 55_000 / 1.004;
    const r = simulate({
      bars: { price: [50_000, 54_900, 56_000] },
      every: DAY,
      settings: { leverage: 10, onLiquidation: 'stay_out' },
    });
    close(r.totals.hedgePnl, -(lp - 50_000), 1e-9);
    close(r.totals.liquidationLosses, 0.004 * lp, 1e-9);
    assert.equal(r.totals.liquidations, 1);
    close(r.trades[1]!.price, lp, 1e-12);
    assert.deepEqual([...r.path!.contracts], [-1000, 0, 0]);
    close(r.path!.equity[2]! - r.path!.unhedged[2]!, -5000, 1e-9);
    close(r.path!.beta[2], 1, 1e-12); // stay_out: unhedged after
  });

  it('never costs more than the margin, however far past the liquidation price the bar closes', () => {
    const r = simulate({ bars: { price: [50_000, 80_000] }, settings: { leverage: 10 } });
    close(r.totals.hedgePnl + -r.totals.liquidationLosses, -5000, 1e-9);
  });

  it('liquidates at the liquidation price when the bar’s high reaches it', () => {
    // LP = (5,000 + 50,000) / 1.004 = 54,780.876…; the maintenance margin there is lost.
    const lp = 55_000 / 1.004;
    const r = simulate({
      bars: { price: [50_000, 53_000], high: [50_000, 55_500], low: [50_000, 49_000] },
      settings: { leverage: 10 },
    });
    close(r.trades[1]!.price, lp, 1e-12);
    close(r.totals.hedgePnl, -(lp - 50_000), 1e-9);
    close(r.totals.liquidationLosses, 0.004 * lp, 1e-9);
  });

  it('liquidates a large leg by the instrument’s maintenance brackets', () => {
    // $5M of beta-1 spot hedged with 1,000 contracts of 0.1 BTC (100 BTC short at 50,000) at 5×:
    // margin 1,000,000 USDT; at the liquidation price the maintenance margin is that of Binance's
    // bracket 4 (2.5 %, amount 16,300), as margin.ts's isolatedLiquidation finds.
    const big = { ...BTCUSDT, contractSize: 0.1, brackets: BINANCE_BTCUSDT };
    const lp = value(
      isolatedLiquidation(
        {
          settlement: 'linear',
          side: 'short',
          quantity: 100,
          entryPrice: 50_000,
          walletBalance: 1e6,
        },
        BINANCE_BTCUSDT,
      ),
    ).price!;
    const r = simulate({
      bars: {
        price: [50_000, 57_000],
        value: [5e6, 5.7e6],
        high: [50_000, 60_000],
        low: [50_000, 50_000],
      },
      settings: { instrument: big, leverage: 5, collateral: 2e6 },
    });
    assert.equal(r.trades[0]!.contracts, -1000);
    close(r.trades[1]!.price, lp, 1e-12);
    // the balance left at the liquidation price is the bracket's maintenance margin
    close(r.totals.liquidationLosses, 100 * lp * 0.025 - 16_300, 1e-9);
  });

  it('liquidates a 5× inverse short at 62,250 and loses the maintenance margin', () => {
    // S = −62,500 USD, wallet 0.25 BTC at 50,000: LP = (250 − 62,500) / (0.25 − 1.25) = 62,250.
    // USD P&L of leg + coin margin = (0.25 − 62,500/50,000)·(62,250 − 50,000) = −12,250;
    // the balance left is the maintenance margin 0.4% · 62,500 = 250 USD.
    const r = simulate({
      bars: { price: [50_000, 60_000], high: [50_000, 63_000], low: [50_000, 49_000] },
      settings: { instrument: BTCUSD, leverage: 5 },
    });
    close(r.trades[1]!.price, 62_250, 1e-9);
    close(r.totals.hedgePnl, -12_250, 1e-9);
    close(r.totals.liquidationLosses, 250, 1e-9);
    close(r.path!.equity[1]! - r.path!.unhedged[1]!, -12_500, 1e-9);
  });

  it('liquidates a long hedge on the bar’s low', () => {
    // 10× long 1 BTC: LP = (5,000 − 50,000) / (0.004 − 1) = 45,180.72…
    const r = simulate({
      bars: { price: [50_000, 47_000], high: [50_000, 48_000], low: [50_000, 45_000] },
      settings: { leverage: 10, targetBeta: 2 },
    });
    close(r.trades[1]!.price, 45_000 / 0.996, 1e-12);
  });

  it('re-opens after a liquidation at the next decision when on_liquidation is reopen', () => {
    const r = simulate({
      // two-day periods are aligned to the epoch: with this start, decisions at bars 0 and 2
      bars: { price: [50_000, 54_900, 56_000, 56_000], start: T0 + DAY },
      every: 2 * DAY,
      settings: { leverage: 10 },
    });
    assert.deepEqual(
      r.trades.map((t) => [t.bar, t.reason]),
      [
        [0, 'open'],
        [1, 'liquidation'],
        [2, 'reopen'],
      ],
    );
  });

  it('lets funding paid move the liquidation price', () => {
    // A 10× short paying 2% per settlement pays 2 × 1,000 inside day 1: at 53,000 its balance
    // 5,000 − 2,000 − 3,000 = 0 is below maintenance (212): liquidated; without funding it is not.
    const bars = { price: [50_000, 53_000], high: [50_000, 53_000], low: [50_000, 50_000] };
    const paid = simulate({ bars, fundingRate: -0.02, settings: { leverage: 10 } });
    assert.equal(paid.totals.liquidations, 1);
    const free = simulate({ bars, settings: { leverage: 10 } });
    assert.equal(free.totals.liquidations, 0);
  });

  it('records Binance’s margin ratio (maintenance / balance) at the close', () => {
    const r = simulate({ bars: { price: [50_000, 52_000] }, settings: { leverage: 10 } });
    // balance 5,000 − 2,000 = 3,000; maintenance 0.004 · 52,000 = 208
    close(r.path!.marginRatio[1], 208 / 3000, 1e-12);
  });

  it('posts all the collateral left when it cannot cover the margin, and says so', () => {
    const r = simulate({ bars: { price: [50_000, 50_000] }, settings: { collateral: 20_000 } });
    const ev = r.events.find((e) => e.kind === 'margin_shortfall')!;
    close(ev.amount, 30_000, 1e-12);
  });
});

describe('simulateHedge: stop-loss', () => {
  it('closes the short at the stop price plus slippage when the high reaches it', () => {
    // stop 5% above 50,000 = 52,500; buy back at 52,500 · 1.001.
    const r = simulate({
      bars: {
        price: [50_000, 51_000, 51_000],
        high: [50_000, 53_000, 51_000],
        low: [50_000, 50_000, 51_000],
      },
      settings: { stopLoss: 0.05, slippage: 0.001 },
    });
    const t = r.trades[1]!;
    assert.equal(t.reason, 'stop');
    close(t.price, 52_552.5, 1e-12);
    close(r.totals.hedgePnl, -2500 + 50_000 * 0.001 * 0 - 0, 1e-9 * 0 + 1e-9);
    // The opening also slipped: 25 + the stop's 52.5.
    close(r.totals.slippage, 50 + 52.5, 1e-9);
    assert.equal(r.totals.stops, 1);
    assert.deepEqual([...r.path!.contracts], [-1000, 0, 0]);
  });

  it('stops at the close when the data has closes only', () => {
    const r = simulate({ bars: { price: [50_000, 53_000] }, settings: { stopLoss: 0.05 } });
    close(r.trades[1]!.price, 53_000, 1e-12);
  });
});

describe('simulateHedge: the accounting identity', () => {
  it('holds to 1e-9 on every bar of random paths with every feature on', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1e6 }),
          inverse: fc.boolean(),
          leverage: fc.integer({ min: 1, max: 25 }),
          band: fc.constantFrom(0, 0.02, 0.1),
          every: fc.constantFrom(null, DAY, 8 * HOUR, HOUR),
          fee: fc.constantFrom(0, 0.0004),
          slip: fc.constantFrom(0, 0.001),
          rate: fc.double({ min: -0.003, max: 0.003, noNaN: true }),
          stop: fc.constantFrom(null, 0.03, 0.1),
          highs: fc.boolean(),
          future: fc.boolean(),
          target: fc.constantFrom(0, 0.5, 1.5),
          reopen: fc.boolean(),
          collateral: fc.constantFrom(null, 3000),
        }),
        (o) => {
          const n = 300;
          const mk = generateMarket({
            seed: o.seed,
            periods: n,
            intervalMs: HOUR,
            start: T0,
            benchmark: { asset: 'BTC', price: 50_000, vol: 1.5 },
            assets: [{ asset: 'ETH', beta: 1.3, idioVol: 0.8, price: 3000 }],
          });
          const btc = mk.prices.BTC!;
          const eth = mk.prices.ETH!;
          const value = btc.map((p, i) => p * 1 + eth[i]! * 20);
          const dollarBeta = btc.map((p, i) => p + eth[i]! * 20 * (1.1 + 0.4 * Math.sin(i / 30)));
          const wiggle = (i: number) => 1 + 0.01 * Math.abs(Math.sin(i * 7.1));
          const leverage = o.inverse ? Math.max(2, o.leverage) : o.leverage;
          const instrument = o.inverse ? BTCUSD : BTCUSDT;
          const run = {
            bars: {
              price: btc,
              value,
              dollarBeta,
              step: HOUR,
              ...(o.highs
                ? {
                    high: btc.map((p, i) => p * wiggle(i)),
                    low: btc.map((p, i) => p / wiggle(i + 3)),
                  }
                : {}),
            },
            every: o.every,
            band: o.band,
            fundingRate: o.rate,
            settings: {
              instrument: o.future
                ? { ...instrument, type: 'future' as const, expiry: T0 + 5 * DAY }
                : instrument,
              leverage,
              targetBeta: o.target,
              feeRate: o.fee,
              slippage: o.slip,
              stopLoss: o.stop,
              collateral: o.collateral,
              roll: o.future && o.reopen ? { days: 1, cost: 0.0005 } : null,
              onLiquidation: o.reopen ? ('reopen' as const) : ('stay_out' as const),
            } satisfies Partial<SimulationSettings>,
          };
          const r = simulate(run);
          assert.ok(identityError(r) < 1e-9, `identity off by ${identityError(r)}`);
          const t = r.totals;
          const last = r.path!.equity.length - 1;
          const sum =
            t.hedgePnl -
            t.fees -
            t.slippage +
            t.fundingReceived -
            t.fundingPaid -
            t.rollCosts -
            t.liquidationLosses;
          close(r.path!.flows![last], sum, 1e-12);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('simulateHedge: no look-ahead', () => {
  it('changes nothing up to bar t when any data after t changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 60, max: 390 }),
        (seed, t) => {
          const run = (bump: boolean) => {
            const n = 400;
            const mk = generateMarket({
              seed,
              periods: n,
              intervalMs: HOUR,
              start: T0,
              benchmark: { asset: 'BTC', price: 50_000, vol: 1.2 },
              assets: [{ asset: 'ETH', beta: 1.3, idioVol: 0.8, price: 3000 }],
            });
            const after = (xs: number[], k: number) =>
              bump ? xs.map((p, i) => (i > t ? p * (1 + 0.05 * Math.sin(i * k)) : p)) : xs;
            const btc = after(mk.prices.BTC!, 1.3);
            const eth = after(mk.prices.ETH!, 2.1);
            const W = 48;
            const rb = toReturns(btc, 'log');
            const path = value(
              dollarBetaPath({
                prices: [btc, eth],
                returns: [rb, toReturns(eth, 'log')],
                units: [1, 20],
                isBenchmark: [true, false],
                benchmark: rb,
                window: W,
              }),
            );
            const times = btc.map((_, i) => T0 + i * HOUR);
            const fundingTimes = times.filter((x) => x % (8 * HOUR) === 0);
            const rows = generateFunding({
              seed,
              times: fundingTimes,
              symbols: ['X'],
              mean: 1e-4,
              vol: 3e-4,
            });
            const rates = rows.map((r, k) =>
              bump && fundingTimes[k]! > times[t]! ? -r.rate * 5 : r.rate,
            );
            const high = after(
              btc.map((p) => p * 1.01),
              3.3,
            );
            const low = after(
              btc.map((p) => p * 0.99),
              4.7,
            );
            const settings: SimulationSettings = {
              instrument: BTCUSDT,
              targetBeta: 0,
              leverage: 8,
              collateral: null,
              feeRate: 0.0004,
              slippage: 0.0005,
              funding: placeSettlements(times, W, n - 1, { times: fundingTimes, rates }),
              roll: null,
              onLiquidation: 'reopen',
              stopLoss: 0.08,
              from: W,
              to: n - 1,
            };
            return value(
              simulateHedge(
                {
                  times,
                  price: btc,
                  high,
                  low,
                  value: path.value,
                  dollarBeta: path.dollarBeta,
                  instrumentBeta: value(instrumentBetaPath(n, 1)),
                },
                { decisions: rebalanceFlags(times, W, n - 1, 4 * HOUR), band: 0.05, minTrade: 0 },
                settings,
                { flows: true },
              ),
            );
          };
          const a = run(false);
          const b = run(true);
          const k = t - 48;
          for (const key of [
            'equity',
            'unhedged',
            'flows',
            'beta',
            'contracts',
            'marginRatio',
          ] as const)
            assert.deepEqual(
              [...a.path![key]!.subarray(0, k + 1)],
              [...b.path![key]!.subarray(0, k + 1)],
              key,
            );
          assert.deepEqual(
            a.trades.filter((x) => x.bar <= t),
            b.trades.filter((x) => x.bar <= t),
          );
          assert.deepEqual(
            a.events.filter((x) => x.bar <= t),
            b.events.filter((x) => x.bar <= t),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('simulateHedge: what it records', () => {
  const run = (instrumentBeta: number | number[], opts: { flows?: boolean } = {}) => {
    const price = [50_000, 51_000, 49_500, 52_000, 50_500, 48_000, 53_000];
    const { m, rule, settings } = setup({
      bars: { price, dollarBeta: price.map((p, i) => (1 + 0.1 * i) * p) },
      every: DAY,
      fundingRate: 1e-4,
    });
    const market = {
      ...m,
      instrumentBeta,
    };
    return value(simulateHedge(market, rule, { ...settings, leverage: 3, feeRate: 4e-4 }, opts));
  };

  it('gives the same path for a constant instrument beta as a number as for its array', () => {
    const a = run(1.25);
    const b = run(Array.from({ length: 7 }, () => 1.25));
    assert.deepEqual(a, b);
    assert.ok(a.trades.length > 1);
  });

  it('records the flows column only when asked, the rest of the path unchanged', () => {
    const without = run(1);
    const withFlows = run(1, { flows: true });
    assert.equal(without.path!.flows, null);
    assert.equal(withFlows.path!.flows!.length, 7);
    assert.deepEqual({ ...without.path!, flows: null }, { ...withFlows.path!, flows: null });
    assert.ok(identityError(withFlows) < 1e-9);
  });
});

describe('simulateHedge: failures', () => {
  it('refuses a leverage the maintenance margin liquidates on entry', () => {
    const { m, rule, settings } = setup({ bars: { price: [1, 1] } });
    const r = simulateHedge(m, rule, { ...settings, leverage: 300 });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.problems[0]?.code, 'leverage_too_high');
  });

  it('refuses a future that expired before the start', () => {
    const { m, rule, settings } = setup({ bars: { price: [1, 1] } });
    const r = simulateHedge(m, rule, {
      ...settings,
      instrument: { ...BTCUSDT, type: 'future', expiry: T0 - DAY },
    });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.problems[0]?.code, 'future_expired');
  });

  it('refuses to start without a beta at the first bar', () => {
    const { m, rule, settings } = setup({ bars: { price: [1, 1], dollarBeta: [NaN, 1] } });
    const r = simulateHedge(m, rule, settings);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.problems[0]?.code, 'no_beta_at_start');
  });

  it('skips decisions where the beta is unknown and counts them', () => {
    const r = simulate({
      bars: { price: [50_000, 50_000, 50_000], dollarBeta: [50_000, NaN, 60_000] },
      every: DAY,
    });
    assert.equal(r.totals.skippedDecisions, 1);
    assert.equal(r.trades.length, 2);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkFunding,
  constantFundingTimes,
  fundingPayment,
  placeSettlements,
} from '../../src/engine/funding';
import { liquidationPrice, positionPnl } from '../../src/engine/hedge';
import { BINANCE_BTCUSDT, BYBIT_BTCUSDT } from '../../src/engine/bracket-tables';
import {
  isBreached,
  legLiquidationPrice,
  legMargin,
  type IsolatedLeg,
} from '../../src/engine/hedge-leg';
import { isolatedLiquidation, marginTable } from '../../src/engine/margin';
import { describeProblem } from '../../src/engine/messages';
import { nextQuarterlyExpiry, rollTime } from '../../src/engine/roll';
import { BTCUSDT, close, value } from './helpers';
import { BTCUSD, DAY, HOUR, T0 } from './simulate-helpers';

describe('fundingPayment', () => {
  it('pays shorts and charges longs when the rate is positive (longs pay shorts)', () => {
    assert.equal(fundingPayment('linear', -2, 50_000, 0.0001), 10);
    assert.equal(fundingPayment('linear', 2, 50_000, 0.0001), -10);
    assert.equal(fundingPayment('linear', -2, 50_000, -0.0001), -10);
  });

  it('pays an inverse position in coin: rate × USD size / mark', () => {
    close(fundingPayment('inverse', -10_000, 50_000, 0.0001), 0.00002, 1e-15);
  });
});

describe('funding settlement times', () => {
  it('settles a constant rate at 00:00, 08:00 and 16:00 UTC, after the start', () => {
    const ts = constantFundingTimes(T0, T0 + DAY);
    assert.deepEqual(
      ts.map((t) => (t - T0) / HOUR),
      [8, 16, 24],
    );
    assert.deepEqual(
      constantFundingTimes(T0 + 5 * HOUR, T0 + 9 * HOUR).map((t) => (t - T0) / HOUR),
      [8],
    );
  });

  it('puts each settlement on the bar whose close is at or after it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 3, maxLength: 50 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 50 }),
        (bars, taus) => {
          const times = bars.sort((a, b) => a - b);
          const ts = taus.sort((a, b) => a - b);
          const last = times.length - 1;
          const s = placeSettlements(times, 0, last, { times: ts, rates: ts.map(() => 1) });
          const inside = ts.filter((t) => t > times[0]! && t <= times[last]!);
          assert.deepEqual([...s.time], inside);
          s.time.forEach((t, j) => {
            const b = s.bar[j]!;
            assert.ok(times[b - 1]! < t && t <= times[b]!);
            assert.equal(s.atClose[j], t === times[b] ? 1 : 0);
          });
        },
      ),
    );
  });
});

describe('checkFunding', () => {
  const every8h = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => from + i * 8 * HOUR);

  it('accepts a series that covers the simulation', () => {
    const times = every8h(T0, 30);
    const r = value(checkFunding({ times, rates: times.map(() => 1e-4) }, T0, T0 + 9 * DAY));
    assert.equal(r.intervalMs, 8 * HOUR);
  });

  it('refuses a series that stops before the simulation ends, naming both ranges', () => {
    const times = every8h(T0, 30); // 10 days
    const r = checkFunding({ times, rates: times.map(() => 1e-4) }, T0, T0 + 20 * DAY);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.problems[0]?.code, 'funding_not_covering');
    const text = describeProblem(r.problems[0]!);
    assert.match(text, /2024-01-10T16:00/);
    assert.match(text, /2024-01-21/);
  });

  it('warns about gaps and counts the settlements missing (never filled in)', () => {
    const times = every8h(T0, 30).filter((_, i) => i < 10 || i > 12);
    const r = checkFunding({ times, rates: times.map(() => 1e-4) }, T0, T0 + 9 * DAY);
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.equal(r.warnings[0]?.code, 'funding_gap');
    assert.equal(r.warnings[0]?.params?.missing, 3);
    assert.match(describeProblem(r.warnings[0]!), /3 settlements/);
  });

  it('refuses unsorted times and non-finite rates at their index', () => {
    const r = checkFunding({ times: [3, 2, 5], rates: [0, 0, 0] }, 0, 5);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.problems[0]?.path, ['times', 1]);
    const s = checkFunding({ times: [1, 2, 3], rates: [0, NaN, 0] }, 0, 3);
    assert.equal(s.ok, false);
    if (!s.ok) assert.deepEqual(s.problems[0]?.path, ['rates', 1]);
  });
});

describe('rolls', () => {
  it('rolls roll_days before expiry', () => {
    assert.equal(rollTime(T0 + 10 * DAY, 3), T0 + 7 * DAY);
  });

  it('goes from a last-Friday quarterly expiry to the next quarter’s last Friday, 08:00 UTC', () => {
    // Binance quarterlies: 2026-03-27, 2026-06-26, 2026-09-25, 2026-12-25 (all last Fridays).
    const mar = Date.UTC(2026, 2, 27, 8);
    const jun = nextQuarterlyExpiry(mar);
    assert.equal(new Date(jun).toISOString(), '2026-06-26T08:00:00.000Z');
    assert.equal(new Date(nextQuarterlyExpiry(jun)).toISOString(), '2026-09-25T08:00:00.000Z');
    assert.equal(
      new Date(nextQuarterlyExpiry(Date.UTC(2026, 8, 25, 8))).toISOString(),
      '2026-12-25T08:00:00.000Z',
    );
    assert.equal(
      new Date(nextQuarterlyExpiry(Date.UTC(2026, 11, 25, 8))).toISOString(),
      '2027-03-26T08:00:00.000Z',
    );
  });

  it('keeps the day of the month for other expiries, clamped to the month', () => {
    assert.equal(
      new Date(nextQuarterlyExpiry(Date.UTC(2025, 10, 30))).toISOString(),
      '2026-02-28T00:00:00.000Z',
    );
  });
});

describe('the hedge leg’s isolated margin (hedge-leg.ts over margin.ts)', () => {
  const short: IsolatedLeg = { settlement: 'linear', size: -2.4, entry: 50_000, wallet: 24_000 };
  const single = marginTable(BTCUSDT);

  it('puts the liquidation price where hedge.ts’s Binance formula does', () => {
    const lp = legLiquidationPrice(single, short, 50_000)!;
    close(lp, 144_000 / 2.4096, 1e-12);
  });

  it('finds the same liquidation price from any mark the leg has not breached at', () => {
    fc.assert(
      fc.property(fc.double({ min: 30_000, max: 59_000, noNaN: true }), (mark) => {
        close(legLiquidationPrice(single, short, mark), 144_000 / 2.4096, 1e-9);
      }),
    );
  });

  it('is breached exactly where the margin balance meets maintenance', () => {
    const lp = 144_000 / 2.4096;
    assert.equal(isBreached(single, short, lp * (1 - 1e-9)), false);
    assert.equal(isBreached(single, short, lp * (1 + 1e-9)), true);
    const m = legMargin(single, short, lp);
    close(m.balance, m.maintenance, 1e-9);
  });

  it('agrees with liquidationPrice and positionPnl for inverse legs', () => {
    const leg: IsolatedLeg = { settlement: 'inverse', size: -62_500, entry: 50_000, wallet: 0.25 };
    const table = marginTable(BTCUSD);
    const lp = legLiquidationPrice(table, leg, 50_000)!;
    close(lp, 62_250, 1e-12);
    const direct = value(
      liquidationPrice({
        settlement: 'inverse',
        side: 'short',
        quantity: 62_500,
        entryPrice: 50_000,
        walletBalance: 0.25,
        maintenanceMarginRate: 0.004,
      }),
    );
    close(lp, direct!, 1e-12);
    close(
      0.25 + positionPnl('inverse', -62_500, 50_000, lp),
      legMargin(table, leg, lp).maintenance,
      1e-12,
    );
  });

  it('liquidates a large leg where the bracket at the liquidation price says (Binance rule)', () => {
    // 100 BTC short at 50,000 with 1,000,000 USDT: margin.ts's worked example, 58,695.61 in
    // bracket 4 (2.5 %, amount 16,300); the same price re-marked from any unbreached mark.
    const big: IsolatedLeg = { settlement: 'linear', size: -100, entry: 50_000, wallet: 1e6 };
    const expected = value(
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
    close(expected, 6_016_300 / 102.5, 1e-12);
    for (const mark of [45_000, 50_000, 55_000, 58_000])
      close(legLiquidationPrice(BINANCE_BTCUSDT, big, mark), expected, 1e-12);
    assert.equal(isBreached(BINANCE_BTCUSDT, big, expected * (1 - 1e-9)), false);
    assert.equal(isBreached(BINANCE_BTCUSDT, big, expected * (1 + 1e-9)), true);
  });

  it('keeps the entry bracket’s maintenance under Bybit’s rule', () => {
    const big: IsolatedLeg = { settlement: 'linear', size: -100, entry: 50_000, wallet: 1e6 };
    const expected = value(
      isolatedLiquidation(
        {
          settlement: 'linear',
          side: 'short',
          quantity: 100,
          entryPrice: 50_000,
          walletBalance: 1e6,
        },
        BYBIT_BTCUSDT,
      ),
    ).price!;
    close(legLiquidationPrice(BYBIT_BTCUSDT, big, 52_000), expected, 1e-12);
  });
});

describe('dollarBetaPath', () => {
  it('weights each asset’s beta over the returns up to bar i by its value at bar i', async () => {
    const { dollarBetaPath } = await import('../../src/engine/beta-path');
    const { betaStats } = await import('../../src/engine/beta');
    const { generateMarket } = await import('../../src/engine/synthetic');
    const { toReturns } = await import('../../src/engine/series');
    const mk = generateMarket({
      seed: 7,
      periods: 80,
      intervalMs: HOUR,
      start: T0,
      benchmark: { asset: 'BTC', price: 50_000, vol: 0.6 },
      assets: [{ asset: 'ETH', beta: 1.2, idioVol: 0.5, price: 3000 }],
    });
    const btc = mk.prices.BTC!;
    const eth = mk.prices.ETH!;
    const rb = toReturns(btc, 'simple');
    const re = toReturns(eth, 'simple');
    const W = 20;
    const r = value(
      dollarBetaPath({
        prices: [btc, eth],
        returns: [rb, re],
        units: [0.5, 10],
        isBenchmark: [true, false],
        benchmark: rb,
        window: W,
      }),
    );
    assert.ok(Number.isNaN(r.dollarBeta[W - 1]!));
    for (const i of [W, 41, 79]) {
      const b = value(
        betaStats(re.slice(i - W, i), rb.slice(i - W, i), { periodsPerYear: 8760 }),
      ).beta;
      close(r.dollarBeta[i], 0.5 * btc[i]! + 10 * eth[i]! * b, 1e-12);
      close(r.value[i], 0.5 * btc[i]! + 10 * eth[i]!, 1e-15);
    }
  });

  it('gives, bit for bit, Σ q·p·β with rollingBetaOnly’s betas, with or without a constant window', async () => {
    const { dollarBetaPath } = await import('../../src/engine/beta-path');
    const { rollingBetaOnly } = await import('../../src/engine/rolling');
    const { generateMarket } = await import('../../src/engine/synthetic');
    const { toReturns } = await import('../../src/engine/series');
    const mk = generateMarket({
      seed: 11,
      periods: 400,
      intervalMs: HOUR,
      start: T0,
      benchmark: { asset: 'BTC', price: 50_000, vol: 0.6 },
      assets: [
        { asset: 'ETH', beta: 1.2, idioVol: 0.5, price: 3000 },
        { asset: 'SOL', beta: 1.5, idioVol: 0.7, price: 100 },
      ],
    });
    const W = 30;
    const flatSol = Float64Array.from(mk.prices.SOL!);
    for (let i = 200; i < 240; i++) flatSol[i] = flatSol[199]!; // a constant window: β = 0 there
    for (const sol of [Float64Array.from(mk.prices.SOL!), flatSol]) {
      const prices = [Float64Array.from(mk.prices.ETH!), Float64Array.from(mk.prices.BTC!), sol];
      const returns = prices.map((p) => toReturns(p, 'simple'));
      const units = [10, 0.5, 300];
      const r = value(
        dollarBetaPath({
          prices,
          returns,
          units,
          isBenchmark: [false, true, false],
          benchmark: returns[1]!,
          window: W,
        }),
      );
      const betas = [0, 2].map((a) => value(rollingBetaOnly(returns[a]!, returns[1]!, W)).beta);
      for (let i = W; i < 400; i++) {
        const v = [0, 1, 2].map((a) => units[a]! * prices[a]![i]!);
        assert.equal(r.value[i], v[0]! + v[1]! + v[2]!);
        assert.equal(
          r.dollarBeta[i],
          v[0]! * betas[0]![i - 1]! + v[1]! + v[2]! * betas[1]![i - 1]!,
        );
      }
      if (sol === flatSol) assert.equal(betas[1]![235], 0);
    }
  });

  it('gives the same bits as Σ q·p·β in input order whichever way the assets sit around the benchmark', async () => {
    const { dollarBetaPath } = await import('../../src/engine/beta-path');
    const { rollingBetaOnly } = await import('../../src/engine/rolling');
    const { generateMarket } = await import('../../src/engine/synthetic');
    const { toReturns } = await import('../../src/engine/series');
    const names = ['ETH', 'SOL', 'UNI', 'AAVE', 'LDO'];
    const mk = generateMarket({
      seed: 5,
      periods: 300,
      intervalMs: HOUR,
      start: T0,
      benchmark: { asset: 'BTC', price: 50_000, vol: 0.6 },
      assets: names.map((asset, k) => ({
        asset,
        beta: 0.8 + 0.2 * k,
        idioVol: 0.5,
        price: 10 + k,
      })),
    });
    const W = 24;
    const bench = toReturns(Float64Array.from(mk.prices.BTC!), 'simple');
    // the benchmark first, inside, last, absent; an odd and an even number of other assets
    for (const order of [
      ['BTC', 'ETH', 'SOL', 'UNI', 'AAVE', 'LDO'],
      ['ETH', 'SOL', 'BTC', 'UNI', 'AAVE', 'LDO'],
      ['ETH', 'SOL', 'UNI', 'BTC'],
      ['ETH', 'SOL', 'UNI'],
      ['LDO'],
    ]) {
      const prices = order.map((a) => Float64Array.from(mk.prices[a]!));
      const returns = prices.map((p) => toReturns(p, 'simple'));
      const units = order.map((_, k) => 3 + k);
      const isBenchmark = order.map((a) => a === 'BTC');
      const r = value(
        dollarBetaPath({ prices, returns, units, isBenchmark, benchmark: bench, window: W }),
      );
      const betas = returns.map((y) => value(rollingBetaOnly(y, bench, W)).beta);
      for (let i = 0; i < 300; i++) {
        let v = 0;
        let d = 0;
        for (let a = 0; a < order.length; a++) {
          const held = units[a]! * prices[a]![i]!;
          v += held;
          if (i >= W) d += isBenchmark[a] ? held : held * betas[a]![i - 1]!;
        }
        assert.equal(r.value[i], v, `${order.join(' ')}: V at bar ${i}`);
        assert.equal(r.dollarBeta[i], i >= W ? d : NaN, `${order.join(' ')}: D at bar ${i}`);
      }
    }
  });
});

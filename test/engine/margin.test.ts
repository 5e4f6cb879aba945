import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BINANCE_BTCUSDT,
  BINANCE_BTCUSD_QUARTERLY,
  BINANCE_ETHUSDT,
  BRACKET_TABLES,
  BYBIT_BTCUSDT,
} from '../../src/engine/bracket-tables';
import {
  bracketIndex,
  deriveAmounts,
  maintenanceMargin,
  singleRateTable,
  validateBrackets,
} from '../../src/engine/brackets';
import { liquidationPrice, sizeHedge } from '../../src/engine/hedge';
import {
  isolatedLiquidation,
  marginAt,
  notionalAt,
  type IsolatedPosition,
} from '../../src/engine/margin';
import { describeProblem } from '../../src/engine/messages';
import { BTCUSDT, close, value } from './helpers';

const short100: IsolatedPosition = {
  settlement: 'linear',
  side: 'short',
  quantity: 100, // BTC
  entryPrice: 50_000,
  walletBalance: 1_000_000, // 5× on 5,000,000 USDT
};

describe('shipped bracket tables', () => {
  it('have ascending caps, rates that never fall and amounts that follow the exchanges’ rule', () => {
    for (const t of Object.values(BRACKET_TABLES)) {
      const caps = t.brackets.map((b) => b.cap);
      const rates = t.brackets.map((b) => b.rate);
      for (let k = 1; k < caps.length; k++) {
        assert.ok((caps[k] as number) > (caps[k - 1] as number), `${t.name} caps`);
        assert.ok((rates[k] as number) >= (rates[k - 1] as number), `${t.name} rates`);
      }
      assert.deepEqual(
        t.brackets.map((b) => b.amount),
        deriveAmounts(caps, rates),
        `${t.name}: published amounts = derived amounts`,
      );
      assert.match(t.source, /20\d\d/, `${t.name} names the date of its figures`);
    }
  });

  it('keep the maintenance margin continuous across every cap', () => {
    for (const t of Object.values(BRACKET_TABLES))
      for (const b of t.brackets.slice(0, -1)) {
        const below = maintenanceMargin(t, b.cap);
        const above = maintenanceMargin(t, b.cap * (1 + 1e-12));
        close(above, below, 1e-9, `${t.name} at ${b.cap}`);
      }
  });

  it('reproduce Binance’s published BTCUSDT maintenance amounts', () => {
    assert.deepEqual(
      BINANCE_BTCUSDT.brackets.map((b) => b.amount),
      [0, 50, 1_300, 16_300, 266_300, 1_266_300, 2_516_300, 5_016_300, 25_016_300, 100_016_300],
    );
    assert.equal(BINANCE_ETHUSDT.brackets[2]?.amount, 365); // 15 + 100,000 · (1 % − 0.65 %)
  });
});

describe('isolatedLiquidation: the worked examples of docs/math.md', () => {
  it('liquidates a 100 BTC BTCUSDT short at 5× at 58,695.61 with bracket 4 (2.5 %, cum 16,300)', () => {
    // LP = (WB + cum + Q·EP) / (Q·MMR + Q) = (1,000,000 + 16,300 + 5,000,000) / (2.5 + 100)
    //    = 6,016,300 / 102.5 = 58,695.609756…; notional there 5,869,561 ∈ (1M, 10M].
    const l = value(isolatedLiquidation(short100, BINANCE_BTCUSDT));
    close(l.price, 6_016_300 / 102.5, 1e-14);
    assert.equal(l.bracket, 3);
    assert.equal(l.rate, 0.025);
    assert.equal(l.amount, 16_300);
    // The single 0.4 % rate says 6,000,000 / 100.4 = 59,760.96: 1,065 USD (1.8 %) too late.
    const single = value(isolatedLiquidation(short100, singleRateTable(0.004)));
    close(single.price, 6_000_000 / 100.4, 1e-14);
  });

  it('uses the bracket at the liquidation price, not at entry (4.5 BTC short at 5×)', () => {
    // Entry notional 225,000 is in bracket 2 (0.5 %, cum 50), whose formula gives
    // 270,050 / 4.5225 = 59,712.55 with notional 268,707 > 250,000: outside bracket 2.
    // Bracket 3 (1 %, cum 1,300): 271,300 / 4.545 = 59,691.97, notional 268,614 ∈ (250k, 1M].
    const pos = { ...short100, quantity: 4.5, walletBalance: 45_000 };
    const l = value(isolatedLiquidation(pos, BINANCE_BTCUSDT));
    close(l.price, 271_300 / 4.545, 1e-14);
    assert.equal(l.bracket, 2);
    assert.equal(bracketIndex(BINANCE_BTCUSDT, l.entryNotional), 1);
  });

  it('follows Bybit’s rule with the entry tier (100 BTC BTCUSDT short at 5× → 59,699.60)', () => {
    // Tier 6 (≤ 5,000,000): MM = 5,000,000 · 0.77 % − 8,460 = 30,040;
    // LP = EP + (IM − MM) / Q = 50,000 + 969,960 / 100 = 59,699.60.
    const l = value(isolatedLiquidation(short100, BYBIT_BTCUSDT));
    close(l.price, 59_699.6, 1e-14);
    assert.equal(l.bracket, 5);
    close(l.entryMaintenance, 30_040, 1e-14);
  });

  it('counts coin-margined brackets in coin ($1M BTCUSD quarterly short at 5× → 61,514.20)', () => {
    // Q = 1,000,000 USD, WB = 4 BTC, entry notional 20 BTC: bracket 2 (2.5 %, cum 0.15 BTC).
    // LP = (Q·MMR − Q) / (WB + cum − Q/EP) = (25,000 − 1,000,000) / (4.15 − 20) = 61,514.1956…
    const pos: IsolatedPosition = {
      settlement: 'inverse',
      side: 'short',
      quantity: 1_000_000,
      entryPrice: 50_000,
      walletBalance: 4,
    };
    const l = value(isolatedLiquidation(pos, BINANCE_BTCUSD_QUARTERLY));
    close(l.price, 975_000 / 15.85, 1e-14);
    assert.equal(l.bracket, 1);
    const n = notionalAt(pos, l.price as number);
    assert.ok(n > 10 && n <= 50, `notional at LP ${n} BTC is in bracket 2`);
  });

  it('liquidates a 5× long of the same size at 40,858.46 (bracket 4)', () => {
    // LP = (WB + cum − Q·EP) / (Q·MMR − Q) = (1,016,300 − 5,000,000) / (2.5 − 100) = 40,858.46.
    const l = value(isolatedLiquidation({ ...short100, side: 'long' }, BINANCE_BTCUSDT));
    close(l.price, 3_983_700 / 97.5, 1e-14);
  });
});

describe('isolatedLiquidation properties', () => {
  const tables = [BINANCE_BTCUSDT, BINANCE_ETHUSDT, BYBIT_BTCUSDT];
  it('leaves exactly the maintenance margin at the liquidation price (Binance rule, linear and inverse)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 1.2, max: 20, noNaN: true }),
        fc.boolean(),
        fc.constantFrom(BINANCE_BTCUSDT, BINANCE_ETHUSDT, BINANCE_BTCUSD_QUARTERLY),
        (size, lev, short, table) => {
          const inverse = table.unit === 'coin';
          const ep = 40_000;
          // Up to 3,000 BTC linear, up to 5,000 BTC of notional inverse (USD size).
          const q = inverse ? size * 5_000 * ep : size * 3_000;
          const pos: IsolatedPosition = {
            settlement: inverse ? 'inverse' : 'linear',
            side: short ? 'short' : 'long',
            quantity: q,
            entryPrice: ep,
            walletBalance: inverse ? q / ep / lev : (q * ep) / lev,
          };
          const r = isolatedLiquidation(pos, table);
          if (!r.ok) return r.problems[0]?.code === 'liquidated_at_entry';
          const lp = r.value.price;
          if (lp === null) return false; // every leverage > 1 here has a liquidation price
          const m = marginAt(pos, table, lp);
          return Math.abs(m.balance - m.maintenance) <= 1e-9 * Math.max(1, pos.walletBalance);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is not liquidated one step short of the liquidation price and is one step beyond it', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 2000, noNaN: true }),
        fc.double({ min: 1.5, max: 15, noNaN: true }),
        fc.boolean(),
        fc.constantFrom(...tables),
        (q, lev, short, table) => {
          const pos: IsolatedPosition = {
            settlement: 'linear',
            side: short ? 'short' : 'long',
            quantity: q,
            entryPrice: 30_000,
            walletBalance: (q * 30_000) / lev,
          };
          const r = isolatedLiquidation(pos, table);
          if (!r.ok || r.value.price === null) return true;
          const lp = r.value.price;
          const toward = short ? lp * (1 - 1e-6) : lp * (1 + 1e-6);
          const beyond = short ? lp * (1 + 1e-6) : lp * (1 - 1e-6);
          return (
            !marginAt(pos, table, toward).liquidated && marginAt(pos, table, beyond).liquidated
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equals the single-bracket formula of hedge.ts with a single-rate table', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('linear' as const, 'inverse' as const),
        fc.boolean(),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 1.1, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 0.02, noNaN: true }),
        (settlement, short, q, lev, rate) => {
          const ep = 25_000;
          const wb = settlement === 'linear' ? (q * ep) / lev : q / ep / lev;
          const pos: IsolatedPosition = {
            settlement,
            side: short ? 'short' : 'long',
            quantity: q,
            entryPrice: ep,
            walletBalance: wb,
          };
          const a = isolatedLiquidation(pos, singleRateTable(rate));
          const b = liquidationPrice({ ...pos, maintenanceMarginRate: rate });
          if (!a.ok || !b.ok) return a.ok === b.ok;
          if (a.value.price === null || b.value === null) return a.value.price === b.value;
          return Math.abs(a.value.price - b.value) <= 1e-9 * b.value;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('isolatedLiquidation problems and warnings', () => {
  it('refuses a position already below maintenance at entry', () => {
    // 100× on 5,000,000: margin 50,000 < 108,700 maintenance in bracket 4.
    const r = isolatedLiquidation({ ...short100, walletBalance: 50_000 }, BINANCE_BTCUSDT);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.problems[0]?.code, 'liquidated_at_entry');
      assert.match(describeProblem(r.problems[0]!), /liquidated at once/);
    }
  });

  it('warns when the leverage is above the bracket’s maximum and names the allowed leverage', () => {
    // 5,000,000 USDT is in bracket 4, max 20×; 25× is refused by the exchange.
    const l = isolatedLiquidation({ ...short100, walletBalance: 200_000 }, BINANCE_BTCUSDT, {
      leverage: 25,
    });
    assert.ok(l.ok);
    const w = l.ok ? l.warnings : [];
    assert.equal(w[0]?.code, 'leverage_above_bracket_max');
    assert.match(describeProblem(w[0]!), /20× or less/);
  });

  it('warns when the position is larger than the table’s last bracket', () => {
    const l = isolatedLiquidation(
      { ...short100, quantity: 2_000, walletBalance: 100_000_000 },
      BYBIT_BTCUSDT,
    );
    assert.ok(l.ok);
    assert.equal(l.ok && l.warnings[0]?.code, 'notional_above_brackets');
  });
});

describe('validateBrackets', () => {
  it('derives missing amounts by the exchanges’ rule', () => {
    const b = value(
      validateBrackets([
        { cap: 50_000, rate: 0.004 },
        { cap: 250_000, rate: 0.005, maxLeverage: 100 },
        { cap: 1_000_000, rate: 0.01 },
      ]),
    );
    assert.deepEqual(
      b.map((x) => x.amount),
      [0, 50, 1_300],
    );
    assert.equal(b[1]?.maxLeverage, 100);
  });

  it('locates each problem at its bracket and field', () => {
    const r = validateBrackets([
      { cap: 50_000, rate: 0.005 },
      { cap: 40_000, rate: 0.004 },
      { cap: 90_000, rate: 1.2 },
    ]);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((p) => [p.code, ...p.path]),
      [
        ['bracket_caps_not_ascending', 1, 'cap'],
        ['bracket_rates_falling', 1, 'rate'],
        ['invalid_bracket_rate', 2, 'rate'],
      ],
    );
    for (const p of r.problems) assert.doesNotMatch(describeProblem(p), /undefined|NaN/);
  });

  it('refuses a given amount that would make the maintenance margin jump at a cap', () => {
    const r = validateBrackets([
      { cap: 50_000, rate: 0.004 },
      { cap: 250_000, rate: 0.005, amount: 500 },
    ]);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.problems[0]?.code, 'bracket_amount_inconsistent');
      assert.match(describeProblem(r.problems[0]!), /gives 50/);
    }
  });
});

describe('sizeHedge with a bracket table', () => {
  it('puts a $5M hedge’s liquidation where the tiered formula does, earlier than the single rate', () => {
    const input = {
      portfolioValue: 5_000_000,
      portfolioBeta: 1,
      targetBeta: 0,
      instrument: BTCUSDT,
      instrumentBeta: 1,
      price: 50_000,
      leverage: 5,
    };
    const single = value(sizeHedge(input));
    const tiered = value(
      sizeHedge({ ...input, instrument: { ...BTCUSDT, brackets: BINANCE_BTCUSDT } }),
    );
    assert.equal(tiered.contracts, 100_000);
    close(tiered.liquidationPrice, 6_016_300 / 102.5, 1e-14);
    close(single.liquidationPrice, 6_000_000 / 100.4, 1e-14);
    assert.equal(tiered.maintenanceMarginRate, 0.025);
    assert.equal(tiered.maintenanceAmount, 16_300);
    assert.deepEqual(tiered.bracket, { table: 'binance-btcusdt', number: 4, maxLeverage: 20 });
    assert.equal(single.bracket, null);
  });
});

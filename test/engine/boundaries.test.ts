// Edges of the engine a one-character slip would move (a bound made exclusive, a sign): the
// instant a future expires, the half-lot tie of the rounding, and the estimation edges.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { liquidationPrice, sizeHedge, type HedgeInput } from '../../src/engine/hedge';
import { validateBrackets } from '../../src/engine/brackets';
import { isExpired } from '../../src/engine/instrument';
import { pricesAt } from '../../src/engine/portfolio';
import { BTCUSDT, value } from './helpers';

const EXPIRY = Date.UTC(2026, 2, 27, 8); // 08:00 UTC, when Binance's quarterly futures settle
const future = { ...BTCUSDT, name: 'BTCUSDT-260327', type: 'future' as const, expiry: EXPIRY };
const base: HedgeInput = {
  portfolioValue: 100_000,
  portfolioBeta: 1.2,
  targetBeta: 0,
  instrument: future,
  instrumentBeta: 1,
  price: 50_000,
  leverage: 5,
};

describe('a dated future at its expiry', () => {
  it('is expired at its exact expiry instant and live one millisecond before', () => {
    assert.equal(isExpired(future, EXPIRY), true);
    assert.equal(isExpired(future, EXPIRY - 1), false);
    assert.equal(isExpired(BTCUSDT, Number.MAX_SAFE_INTEGER), false, 'a perpetual never expires');
  });

  it('cannot size a hedge at the expiry instant, and can the millisecond before', () => {
    const at = sizeHedge({ ...base, asOf: EXPIRY });
    assert.equal(at.ok, false);
    assert.equal(!at.ok && at.problems[0]?.code, 'future_expired');
    assert.equal(value(sizeHedge({ ...base, asOf: EXPIRY - 1 })).contracts, 2400);
  });
});

describe('rounding a hedge to whole contracts', () => {
  it('takes exactly half a lot away from zero, for a short as for a long', () => {
    // (0 − 1)·120,025 / 1 = −120,025 USD at 50 USD a contract: exactly 2,400.5 contracts
    const exact = { ...base, instrument: BTCUSDT, portfolioValue: 120_025 };
    const short = value(sizeHedge({ ...exact, portfolioBeta: 1 }));
    assert.equal(short.contracts, 2401);
    assert.equal(short.side, 'short');
    const long = value(sizeHedge({ ...exact, portfolioBeta: 0, targetBeta: 1 }));
    assert.equal(long.contracts, 2401);
    assert.equal(long.side, 'long');
  });
});

describe('pricesAt', () => {
  const table = { times: [10, 20, 30], assets: ['BTC'], prices: { BTC: [1, 2, 3] } };
  it('takes the row at exactly the asked time, and the row before when between two', () => {
    assert.equal(value(pricesAt(table, 20)).prices.BTC, 2);
    assert.equal(value(pricesAt(table, 29)).prices.BTC, 2);
    assert.equal(value(pricesAt(table, 30)).prices.BTC, 3);
    assert.equal(value(pricesAt(table, 10)).prices.BTC, 1);
    assert.equal(value(pricesAt(table)).time, 30);
  });
  it('refuses a time before the first row, but not the first row itself', () => {
    const r = pricesAt(table, 9);
    assert.equal(!r.ok && r.problems[0]?.code, 'time_before_data');
    assert.ok(pricesAt(table, 10).ok);
  });
});

describe('the bounds of liquidation and bracket inputs', () => {
  const short = {
    settlement: 'linear' as const,
    side: 'short' as const,
    quantity: 1,
    entryPrice: 50_000,
    walletBalance: 10_000,
    maintenanceMarginRate: 0.004,
  };
  const code = (r: { ok: boolean; problems?: readonly { code: string }[] }) =>
    r.ok ? 'ok' : r.problems?.[0]?.code;

  it('refuses an entry price or a size of exactly 0, and accepts a wallet balance of 0', () => {
    assert.equal(code(liquidationPrice({ ...short, entryPrice: 0 })), 'invalid_price');
    assert.equal(code(liquidationPrice({ ...short, quantity: 0 })), 'invalid_quantity');
    assert.notEqual(code(liquidationPrice({ ...short, walletBalance: 0 })), 'invalid_margin');
    assert.equal(code(liquidationPrice({ ...short, walletBalance: -1 })), 'invalid_margin');
  });

  it('takes a maintenance rate of 0 and refuses one of exactly 100 %', () => {
    assert.equal(code(liquidationPrice({ ...short, maintenanceMarginRate: 0 })), 'ok');
    assert.equal(
      code(liquidationPrice({ ...short, maintenanceMarginRate: 1 })),
      'invalid_maintenance_margin_rate',
    );
    assert.equal(code(validateBrackets([{ cap: 50_000, rate: 0 }])), 'ok');
    assert.equal(code(validateBrackets([{ cap: 50_000, rate: 1 }])), 'invalid_bracket_rate');
  });
});

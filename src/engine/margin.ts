/** Margin and liquidation of one isolated futures position under tiered maintenance margin
 *  (brackets.ts). Pure; see docs/math.md ("Tiered maintenance margin"). Money is in the
 *  position's margin currency: USD(T) for linear contracts, the coin for inverse ones. */
import {
  type Bracket,
  type BracketTable,
  bracketIndex,
  maintenanceMargin,
  maxNotional,
} from './brackets';
import type { Settlement } from './instrument';
import { type Problem, type Result, fail, failWith, ok } from './result';

export interface IsolatedPosition {
  settlement: Settlement;
  side: 'long' | 'short';
  /** Unsigned size: linear in coin (contracts · contractSize); inverse in USD (contracts ·
   *  contract value), > 0. */
  quantity: number;
  /** Average entry price, USD per coin, > 0. */
  entryPrice: number;
  /** Isolated margin of the position (wallet balance), margin currency, ≥ 0. */
  walletBalance: number;
}

export interface Liquidation {
  /** Mark price that liquidates the position (USD per coin); null when no positive price does
   *  (a 1× linear long, an inverse short whose coin margin covers it). */
  price: number | null;
  /** Bracket (0-based) whose rate and amount set the liquidation: under the 'binance' rule the
   *  bracket of the notional at the liquidation price, under 'bybit' the bracket at entry. */
  bracket: number;
  /** That bracket's maintenance margin rate (fraction) and amount (table unit). */
  rate: number;
  amount: number;
  /** Notional at entry in the table's unit: linear Q · EP (USD), inverse Q / EP (coin). */
  entryNotional: number;
  /** Maintenance margin at entry, margin currency: MM(entryNotional). */
  entryMaintenance: number;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Notional of the position at `price` in the table's unit: linear Q · P (USD), inverse Q / P
 *  (coin: a fixed USD size is worth fewer coins as the price rises). O(1). */
export function notionalAt(
  pos: Pick<IsolatedPosition, 'settlement' | 'quantity'>,
  price: number,
): number {
  return pos.settlement === 'linear' ? pos.quantity * price : pos.quantity / price;
}

/** P&L of the position from entry to `price`, margin currency: linear s·Q·(P − EP) USD, inverse
 *  s·Q·(1/EP − 1/P) coin (s = +1 long, −1 short). Positive = gain. O(1). */
export function pnlAt(pos: IsolatedPosition, price: number): number {
  const s = pos.side === 'long' ? 1 : -1;
  return pos.settlement === 'linear'
    ? s * pos.quantity * (price - pos.entryPrice)
    : s * pos.quantity * (1 / pos.entryPrice - 1 / price);
}

/** Liquidation price with one bracket's rate r and amount a, Binance's isolated formulas
 *  (one-way mode, TMM = UPNL = 0), solving WB + P&L(LP) = MM(LP) = N(LP)·r − a:
 *    linear:  LP = (WB + a − s·Q·EP) / (Q·r − s·Q)
 *    inverse: LP = (Q·r + s·Q) / (WB + a + s·Q/EP)
 *  Returns null when no positive finite price solves it. O(1). */
export function binanceBracketPrice(
  pos: IsolatedPosition,
  rate: number,
  amount: number,
): number | null {
  const { quantity: q, entryPrice: ep, walletBalance: wb } = pos;
  const s = pos.side === 'long' ? 1 : -1;
  let lp: number;
  if (pos.settlement === 'linear') lp = (wb + amount - s * q * ep) / (q * rate - s * q);
  else {
    const den = wb + amount + (s * q) / ep;
    if (den === 0) return null;
    lp = (q * rate + s * q) / den;
  }
  return finite(lp) && lp > 0 ? lp : null;
}

/** Liquidation price with a fixed maintenance margin MM (margin currency), Bybit's isolated
 *  formulas (Bybit help "Liquidation Price Calculation under Isolated Mode"; IM = WB):
 *    linear:  LP = EP − s·(WB − MM) / Q
 *    inverse: LP = Q / (Q/EP + s·(WB − MM))
 *  Returns null when no positive finite price solves it. O(1). */
export function bybitPrice(pos: IsolatedPosition, maintenance: number): number | null {
  const { quantity: q, entryPrice: ep, walletBalance: wb } = pos;
  const s = pos.side === 'long' ? 1 : -1;
  let lp: number;
  if (pos.settlement === 'linear') lp = ep - (s * (wb - maintenance)) / q;
  else {
    const den = q / ep + s * (wb - maintenance);
    if (!(den > 0)) return null;
    lp = q / den;
  }
  return finite(lp) && lp > 0 ? lp : null;
}

function validate(pos: IsolatedPosition): Problem[] {
  const problems: Problem[] = [];
  if (!finite(pos.quantity) || pos.quantity <= 0)
    problems.push({
      code: 'invalid_quantity',
      path: ['quantity'],
      params: { value: String(pos.quantity) },
    });
  if (!finite(pos.entryPrice) || pos.entryPrice <= 0)
    problems.push({
      code: 'invalid_price',
      path: ['price'],
      params: { value: String(pos.entryPrice) },
    });
  if (!finite(pos.walletBalance) || pos.walletBalance < 0)
    problems.push({
      code: 'invalid_margin',
      path: ['walletBalance'],
      params: { value: String(pos.walletBalance) },
    });
  return problems;
}

/** Liquidation price of an isolated position under a bracket table.
 *  - 'binance' rule: the maintenance margin is taken at the mark price, with the bracket of the
 *    notional there. MM(N) is continuous and rises with N, so the margin left above maintenance
 *    falls monotonically as the price moves against the position and there is one liquidation
 *    price: each bracket's formula (binanceBracketPrice) is solved and the one whose notional at
 *    its own solution lies in that bracket, (previous cap, cap], is kept (the nearest to entry on
 *    the losing side if rounding admits two at a shared cap).
 *  - 'bybit' rule: MM = the entry notional's bracket rate · entry notional − its deduction;
 *    bybitPrice.
 *  A single-rate table (singleRateTable) reproduces the one-rate formulas exactly.
 *  Fails with liquidated_at_entry when WB ≤ MM at entry, invalid_* for bad inputs. O(brackets).
 *  Warnings: notional_above_brackets (entry notional above the table's last cap: the exchange
 *  would refuse the position), leverage_above_bracket_max (with `leverage`: above the entry
 *  bracket's maximum leverage).
 *  @example isolatedLiquidation({ settlement: 'linear', side: 'short', quantity: 100,
 *    entryPrice: 50000, walletBalance: 1e6 }, BINANCE_BTCUSDT)
 *    // => price 6,016,300 / 102.5 = 58,695.61 (bracket 4: 2.5 %, amount 16,300) */
export function isolatedLiquidation(
  pos: IsolatedPosition,
  table: BracketTable,
  opts: { leverage?: number } = {},
): Result<Liquidation> {
  const problems = validate(pos);
  if (problems.length > 0) return failWith(problems);
  const entryNotional = notionalAt(pos, pos.entryPrice);
  const k0 = bracketIndex(table, entryNotional);
  const b0 = table.brackets[k0] as Bracket;
  const entryMaintenance = entryNotional * b0.rate - b0.amount;
  if (pos.walletBalance <= entryMaintenance)
    return fail('liquidated_at_entry', ['leverage'], {
      margin: pos.walletBalance,
      maintenance: entryMaintenance,
    });
  const warnings: Problem[] = [];
  const cap = maxNotional(table);
  if (entryNotional > cap)
    warnings.push({
      code: 'notional_above_brackets',
      path: ['quantity'],
      params: { notional: entryNotional, max: cap, table: table.name, unit: table.unit },
    });
  if (opts.leverage !== undefined && b0.maxLeverage !== null && opts.leverage > b0.maxLeverage)
    warnings.push({
      code: 'leverage_above_bracket_max',
      path: ['leverage'],
      params: { leverage: opts.leverage, max: b0.maxLeverage, bracket: k0 + 1, table: table.name },
    });
  if (table.rule === 'bybit') {
    const price = bybitPrice(pos, entryMaintenance);
    return ok(
      { price, bracket: k0, rate: b0.rate, amount: b0.amount, entryNotional, entryMaintenance },
      warnings,
    );
  }
  const short = pos.side === 'short';
  let best: { price: number; k: number } | null = null;
  const bs = table.brackets;
  for (let k = 0; k < bs.length; k++) {
    const b = bs[k] as Bracket;
    const lp = binanceBracketPrice(pos, b.rate, b.amount);
    if (lp === null) continue;
    if (short ? lp < pos.entryPrice * (1 - 1e-12) : lp > pos.entryPrice * (1 + 1e-12)) continue;
    const n = notionalAt(pos, lp);
    const floor = k === 0 ? 0 : (bs[k - 1] as Bracket).cap;
    const within = n > floor * (1 - 1e-12) && (k === bs.length - 1 || n <= b.cap * (1 + 1e-12));
    if (!within) continue;
    if (best === null || (short ? lp < best.price : lp > best.price)) best = { price: lp, k };
  }
  const k = best?.k ?? k0;
  const b = bs[k] as Bracket;
  return ok(
    {
      price: best?.price ?? null,
      bracket: k,
      rate: b.rate,
      amount: b.amount,
      entryNotional,
      entryMaintenance,
    },
    warnings,
  );
}

export interface MarginState {
  /** P&L from entry to the price, margin currency (positive = gain). */
  pnl: number;
  /** Margin balance WB + pnl, margin currency. */
  balance: number;
  /** Maintenance margin at the price, margin currency: 'binance' MM(notional at the price),
   *  'bybit' MM(notional at entry). */
  maintenance: number;
  /** Binance's margin ratio maintenance / balance (≥ 1 = liquidated); null when balance ≤ 0. */
  marginRatio: number | null;
  /** balance ≤ maintenance: the position is liquidated at (or before) this price. */
  liquidated: boolean;
}

/** Margin of an isolated position if the mark price were `price`. O(brackets).
 *  @example marginAt({ settlement: 'linear', side: 'short', quantity: 1, entryPrice: 50000,
 *    walletBalance: 10000 }, singleRateTable(0.004), 55000)
 *    // => pnl −5,000, balance 5,000, maintenance 220, ratio 0.044, not liquidated */
export function marginAt(pos: IsolatedPosition, table: BracketTable, price: number): MarginState {
  const pnl = pnlAt(pos, price);
  const balance = pos.walletBalance + pnl;
  const n = notionalAt(pos, table.rule === 'bybit' ? pos.entryPrice : price);
  const maintenance = maintenanceMargin(table, n);
  return {
    pnl,
    balance,
    maintenance,
    marginRatio: balance > 0 ? maintenance / balance : null,
    liquidated: balance <= maintenance,
  };
}

/** The maintenance-margin table of an instrument: its brackets, or its single rate
 *  (optionally with a maintenance amount, as one Binance bracket). O(1). */
export function marginTable(
  instrument: { maintenanceMarginRate: number; brackets?: BracketTable },
  maintenanceAmount = 0,
): BracketTable {
  if (instrument.brackets) return instrument.brackets;
  return {
    name: 'single rate',
    unit: 'usd',
    rule: 'binance',
    brackets: [
      {
        cap: Infinity,
        rate: instrument.maintenanceMarginRate,
        amount: maintenanceAmount,
        maxLeverage: null,
      },
    ],
    source: 'single maintenance margin rate',
  };
}

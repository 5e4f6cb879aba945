/** Isolated margin of the hedge leg over time: its margin balance, maintenance margin,
 *  margin ratio and liquidation price at any mark. Pure; see docs/math.md
 *  ("Margin and liquidation", "Dynamic hedging"). Amounts are in the position's margin currency:
 *  USD(T) for linear contracts, the coin for inverse ones.
 *
 *  What the exchange requires at a position size is asked in ONE place, `maintenanceAt`: tiered
 *  maintenance brackets (a rate and a maintenance amount per notional bracket) plug in there. */
import { liquidationPrice, positionPnl } from './hedge';
import type { Instrument, Settlement } from './instrument';

/** The position as the margin account sees it. */
export interface IsolatedLeg {
  settlement: Settlement;
  /** Signed size, negative = short: linear in coin (contracts · contractSize); inverse in USD
   *  (contracts · contract value). */
  size: number;
  /** Entry price of `size` (USD per coin): the price the wallet was last marked at. */
  entry: number;
  /** Isolated wallet balance in the margin currency (margin posted ± realised P&L, fees, funding). */
  wallet: number;
}

/** Maintenance requirement of a bracket: MM = rate · notional − amount (margin currency). */
export interface Maintenance {
  /** Maintenance-margin rate, a fraction (0.004 = 0.4%). */
  rate: number;
  /** Binance's "maintenance amount" (cum) of the bracket, margin currency; 0 in the first bracket. */
  amount: number;
}

/** The maintenance rate and amount that apply to a position of `notionalUsd` (unsigned USD).
 *  Today one bracket: the instrument's rate and amount 0. Tiered brackets replace this body;
 *  every margin computation of the simulation goes through here. O(1). */
export function maintenanceAt(instrument: Instrument, notionalUsd: number): Maintenance {
  void notionalUsd;
  return { rate: instrument.maintenanceMarginRate, amount: 0 };
}

/** Unsigned USD notional of the leg at `price`: linear |Q|·P, inverse |S| (fixed USD). */
export function legNotionalUsd(leg: Pick<IsolatedLeg, 'settlement' | 'size'>, price: number) {
  return leg.settlement === 'linear' ? Math.abs(leg.size) * price : Math.abs(leg.size);
}

/** Margin balance at mark `price`: wallet + unrealised P&L (positionPnl), margin currency. */
export function marginBalance(leg: IsolatedLeg, price: number): number {
  return leg.wallet + positionPnl(leg.settlement, leg.size, leg.entry, price);
}

/** Maintenance margin at mark `price`, margin currency: rate · notional − amount, with the
 *  notional linear |Q|·P (USD), inverse |S|/P (coin); the bracket from maintenanceAt. */
export function maintenanceMargin(instrument: Instrument, leg: IsolatedLeg, price: number): number {
  const usd = legNotionalUsd(leg, price);
  const m = maintenanceAt(instrument, usd);
  const notional = leg.settlement === 'linear' ? usd : usd / price;
  return m.rate * notional - m.amount;
}

/** Binance's margin ratio at `price`: maintenance margin / margin balance; the position is
 *  liquidated at ≥ 1. Infinity when the balance is gone (≤ 0); 0 without a position. */
export function marginRatio(instrument: Instrument, leg: IsolatedLeg, price: number): number {
  if (leg.size === 0) return 0;
  const mb = marginBalance(leg, price);
  return mb > 0 ? maintenanceMargin(instrument, leg, price) / mb : Infinity;
}

/** True when the margin balance at `price` is at or below maintenance (the exchange liquidates).
 *  For a short, balance − maintenance falls as the price rises (for a long, as it falls), so
 *  checking a bar's worst price tells whether the bar touched the liquidation price. O(1). */
export function isBreached(instrument: Instrument, leg: IsolatedLeg, price: number): boolean {
  return leg.size !== 0 && marginBalance(leg, price) <= maintenanceMargin(instrument, leg, price);
}

/** The mark price at which the leg is liquidated, from hedge.ts's `liquidationPrice` (Binance's
 *  isolated formulas), with the leg first re-marked at `mark` (entry = mark, wallet = the margin
 *  balance there: the same line in price, so the same root) so the formula's "margin above
 *  maintenance at entry" holds whenever the leg is not already breached at `mark`. The bracket is
 *  taken at the notional at the liquidation price and the price recomputed until the bracket
 *  stops changing (at most 8 rounds; tiers are few). null when no positive price liquidates it
 *  (a 1× inverse short) or it is already breached at `mark`. O(1). */
export function legLiquidationPrice(
  instrument: Instrument,
  leg: IsolatedLeg,
  mark: number,
): number | null {
  if (leg.size === 0 || isBreached(instrument, leg, mark)) return null;
  const quantity = Math.abs(leg.size);
  const side = leg.size < 0 ? 'short' : 'long';
  const wallet = marginBalance(leg, mark);
  let m = maintenanceAt(instrument, legNotionalUsd(leg, mark));
  let lp: number | null = null;
  for (let round = 0; round < 8; round++) {
    const r = liquidationPrice({
      settlement: leg.settlement,
      side,
      quantity,
      entryPrice: mark,
      walletBalance: wallet,
      maintenanceMarginRate: m.rate,
      maintenanceAmount: m.amount,
    });
    lp = r.ok ? r.value : null;
    if (lp === null) return null;
    const next = maintenanceAt(instrument, legNotionalUsd(leg, lp));
    if (next.rate === m.rate && next.amount === m.amount) return lp;
    m = next;
  }
  return lp;
}

/** The hedge leg of a simulation as its isolated margin account sees it, bar after bar: its
 *  margin balance, maintenance margin, margin ratio and liquidation price at any mark. Pure; see
 *  docs/math.md ("Dynamic hedging"). Amounts are in the leg's margin currency: USD(T) for linear
 *  contracts, the coin for inverse ones.
 *
 *  The maintenance margin comes from margin.ts (`marginTable`: the instrument's bracket table or
 *  its single rate; `marginAt`; the liquidation formulas of each exchange's rule), so tiered
 *  brackets apply here exactly as in the hedge cell. */
import {
  bybitPrice,
  isolatedLiquidation,
  marginAt,
  notionalAt,
  type IsolatedPosition,
  type MarginState,
} from './margin';
import { maintenanceMargin, type BracketTable } from './brackets';
import type { Settlement } from './instrument';

/** The leg: a signed size and the isolated wallet behind it. */
export interface IsolatedLeg {
  settlement: Settlement;
  /** Signed size, negative = short: linear in coin (contracts · contractSize); inverse in USD
   *  (contracts · contract value). */
  size: number;
  /** Entry price of `size` (USD per coin): the price the wallet was last marked at. */
  entry: number;
  /** Isolated wallet balance, margin currency (margin posted ± realised P&L, fees, funding). */
  wallet: number;
}

/** margin.ts's position for a leg with a size (not 0). */
export function legPosition(leg: IsolatedLeg): IsolatedPosition {
  return {
    settlement: leg.settlement,
    side: leg.size < 0 ? 'short' : 'long',
    quantity: Math.abs(leg.size),
    entryPrice: leg.entry,
    walletBalance: leg.wallet,
  };
}

/** Margin of the leg at mark `price` (margin.ts marginAt: balance = wallet + P&L, maintenance
 *  by the table's rule, Binance's margin ratio maintenance / balance). O(brackets). */
export function legMargin(table: BracketTable, leg: IsolatedLeg, price: number): MarginState {
  return marginAt(legPosition(leg), table, price);
}

/** The leg's margin balance at `price`, margin currency: wallet + P&L from its entry (linear
 *  Q·(P − EP), inverse S·(1/EP − 1/P)); margin.ts marginAt's balance, without an object. O(1). */
export function legBalance(leg: IsolatedLeg, price: number): number {
  if (leg.size === 0) return leg.wallet;
  return (
    leg.wallet +
    (leg.settlement === 'linear'
      ? leg.size * (price - leg.entry)
      : leg.size * (1 / leg.entry - 1 / price))
  );
}

/** The leg's maintenance margin at `price`, margin currency: brackets.ts maintenanceMargin of the
 *  notional at the price ('binance' rule) or at entry ('bybit'), in the table's unit (linear
 *  |Q|·P USD, inverse |S|/P coin); margin.ts marginAt's maintenance, without an object. For the
 *  simulation's per-bar margin ratio. O(brackets). */
export function legMaintenance(table: BracketTable, leg: IsolatedLeg, price: number): number {
  const at = table.rule === 'bybit' ? leg.entry : price;
  const q = Math.abs(leg.size);
  return maintenanceMargin(table, leg.settlement === 'linear' ? q * at : q / at);
}

/** True when the leg's margin balance at `price` is at or below maintenance. For a short, balance
 *  − maintenance falls as the price rises (for a long, as it falls): maintenance only rises with
 *  the notional (brackets are continuous), so checking a bar's worst price tells whether the bar
 *  touched the liquidation price. margin.ts marginAt's `liquidated`, without an object.
 *  O(brackets). */
export function isBreached(table: BracketTable, leg: IsolatedLeg, price: number): boolean {
  return leg.size !== 0 && legBalance(leg, price) <= legMaintenance(table, leg, price);
}

/** The mark price at which the leg is liquidated, by the table's rule, for a leg not breached at
 *  `mark`:
 *  - 'binance' (maintenance at the mark's notional): margin.ts `isolatedLiquidation` on the leg
 *    re-marked at `mark` (entry = mark, wallet = the balance there): the balance is the same line
 *    in price, so the root is the same, and "margin above maintenance at entry" holds;
 *  - 'bybit' (maintenance fixed by the entry notional): margin.ts `bybitPrice` with that
 *    maintenance, on the leg as it is.
 *  null when no positive price liquidates it (a 1× inverse short) or it is breached at `mark`.
 *  O(brackets). */
export function legLiquidationPrice(
  table: BracketTable,
  leg: IsolatedLeg,
  mark: number,
): number | null {
  if (leg.size === 0 || isBreached(table, leg, mark)) return null;
  const pos = legPosition(leg);
  if (table.rule === 'bybit')
    return bybitPrice(pos, maintenanceMargin(table, notionalAt(pos, pos.entryPrice)));
  const balance = legMargin(table, leg, mark).balance;
  const r = isolatedLiquidation({ ...pos, entryPrice: mark, walletBalance: balance }, table);
  return r.ok ? r.value.price : null;
}

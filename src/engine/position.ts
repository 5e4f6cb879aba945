/** A hedge already held: where it stands today and the trade that brings the book back to its
 *  target beta (the weekly "monitor and rebalance" step). Pure; see docs/math.md ("Held
 *  positions and the rebalance ticket"). Money is USD unless a name says coin. */
import type { Instrument } from './instrument';
import { contractValueUsd } from './instrument';
import { roundToLots, solveNotional } from './hedge';
import { isolatedLiquidation, marginAt, marginTable, type IsolatedPosition } from './margin';
import { type Problem, type Result, fail, failWith, ok } from './result';

export interface HeldPosition {
  instrument: Instrument;
  /** Signed contracts held (negative = short), ≠ 0. */
  contracts: number;
  /** Average entry price, USD per coin. */
  entryPrice: number;
  /** Isolated margin posted: USD(T) for linear, coin for inverse. */
  margin: number;
  /** When it was opened (epoch ms). */
  openedAt: number;
}

export interface FundingHistory {
  /** Funding times (epoch ms, ascending), rates per interval (0.0001 = 0.01 %) and the mark
   *  price at each time (USD per coin). Same lengths. */
  times: readonly number[];
  rates: readonly number[];
  prices: readonly number[];
}

export interface PositionInput {
  held: HeldPosition;
  /** Mark price now (USD per coin). */
  price: number;
  /** Time of `price` (epoch ms): funding is counted in (openedAt, asOf]. */
  asOf: number;
  portfolioValue: number;
  portfolioBeta: number;
  instrumentBeta: number;
  targetBeta: number;
  /** Taker fee rate of the rebalance trade, a fraction of traded notional (0.0005 = 0.05 %). */
  feeRate: number;
  /** Beta drift tolerated before a trade is proposed (|drift| ≤ band: no trade). */
  band: number;
  funding?: FundingHistory;
}

export interface RebalanceTicket {
  side: 'buy' | 'sell' | 'none';
  /** Unsigned contracts to trade (a multiple of the lot step); side gives the direction. */
  contracts: number;
  /** Signed contracts to trade: target − held (buy = +). */
  signedContracts: number;
  /** USD notional traded at the price: |signedContracts| · contract value. */
  notional: number;
  /** Taker fee of the trade, USD: notional · feeRate. */
  fee: number;
  /** Signed contracts held after the trade. */
  contractsAfter: number;
  /** Portfolio beta after the trade (inverse: collateral re-struck at the position's leverage,
   *  counted as in hedge sizing). */
  betaAfter: number;
  /** Isolated margin at the position's leverage after the trade, USD: |C_after| / L. */
  marginAfter: number;
  /** marginAfter − margin balance now, USD (positive = add margin, negative = can withdraw). */
  marginChange: number;
}

export interface PositionState {
  side: 'long' | 'short';
  /** Signed USD notional at the price now: linear contracts · size · P; inverse contracts ·
   *  contract value (fixed USD). */
  notional: number;
  /** The same at entry. */
  entryNotional: number;
  /** Leverage at entry: |entryNotional| / margin (USD). */
  leverage: number;
  /** Unrealised P&L, margin currency (USD(T) linear, coin inverse) and in USD at the price. */
  unrealizedPnl: number;
  unrealizedPnlUsd: number;
  /** Margin balance (margin + unrealised P&L), USD at the price. */
  marginBalance: number;
  /** Funding received (+) or paid (−) since opening, USD at each payment's price; null without
   *  funding data; with it, the number of payments counted. */
  fundingPnl: number | null;
  fundingPayments: number;
  /** Beta-weighted USD of the coin collateral (inverse: β_F · margin balance), else 0. */
  collateralExposure: number;
  /** Portfolio beta with the hedge as held: (β_P·V + β_F·C + collateralExposure) / V. */
  betaNow: number;
  /** betaNow − target. */
  drift: number;
  withinBand: boolean;
  /** Liquidation price of the held position (entry price, margin, the instrument's brackets),
   *  null when none; signed % move from the price now to it. */
  liquidationPrice: number | null;
  liquidationMovePct: number | null;
  maintenanceMarginRate: number;
  /** The bracket (0-based) of the instrument's table that sets the liquidation price. */
  bracket: number;
  /** Maintenance margin / margin balance at the price now (≥ 1 = liquidated). */
  marginRatio: number | null;
  ticket: RebalanceTicket;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Funding P&L of a position since it was opened: Σ over funding times t in (openedAt, asOf]
 *  of −N_t · rate_t, with N_t the signed USD notional at t (linear: signed coin · mark_t;
 *  inverse: the fixed signed USD size). A positive rate: longs pay shorts. O(n). */
export function fundingSince(
  held: Pick<HeldPosition, 'instrument' | 'contracts' | 'openedAt'>,
  funding: FundingHistory,
  asOf: number,
): { pnl: number; payments: number } {
  const inst = held.instrument;
  let pnl = 0;
  let payments = 0;
  for (let i = 0; i < funding.times.length; i++) {
    const t = funding.times[i] as number;
    if (t <= held.openedAt || t > asOf) continue;
    const notional =
      inst.settlement === 'linear'
        ? held.contracts * inst.contractSize * (funding.prices[i] as number)
        : held.contracts * inst.contractSize;
    pnl += -notional * (funding.rates[i] as number);
    payments++;
  }
  return { pnl, payments };
}

/** Where a held hedge stands and the rebalance ticket back to target. O(brackets + funding).
 *  The target notional is solved as in sizeHedge (linear (β_T − β_P)·V / β_F; inverse with the
 *  coin collateral at the position's leverage), rounded to the nearest lot; the ticket trades
 *  the difference from what is held, with its taker fee.
 *  Problems: invalid_contracts, invalid_price, invalid_margin (at ['held', field]),
 *  invalid_portfolio_value, zero_instrument_beta, liquidated_at_entry; warning
 *  position_liquidated (the price now is beyond the liquidation price: the position is gone). */
export function positionState(input: PositionInput): Result<PositionState> {
  const { held, price } = input;
  const inst = held.instrument;
  const problems: Problem[] = [];
  if (!finite(held.contracts) || held.contracts === 0)
    problems.push({
      code: 'invalid_contracts',
      path: ['held', 'contracts'],
      params: { value: String(held.contracts) },
    });
  if (!finite(held.entryPrice) || held.entryPrice <= 0)
    problems.push({
      code: 'invalid_price',
      path: ['held', 'entryPrice'],
      params: { value: String(held.entryPrice) },
    });
  if (!finite(held.margin) || held.margin <= 0)
    problems.push({
      code: 'invalid_margin',
      path: ['held', 'margin'],
      params: { value: String(held.margin) },
    });
  if (!finite(price) || price <= 0)
    problems.push({ code: 'invalid_price', path: ['price'], params: { value: String(price) } });
  if (!finite(input.portfolioValue) || input.portfolioValue <= 0)
    problems.push({
      code: 'invalid_portfolio_value',
      path: ['portfolioValue'],
      params: { value: String(input.portfolioValue) },
    });
  if (problems.length > 0) return failWith(problems);
  const bf = input.instrumentBeta;
  if (!finite(bf) || Math.abs(bf) < 1e-12)
    return fail('zero_instrument_beta', ['instrumentBeta'], { instrument: inst.name });

  const inverse = inst.settlement === 'inverse';
  const side = held.contracts > 0 ? ('long' as const) : ('short' as const);
  const s = held.contracts > 0 ? 1 : -1;
  const abs = Math.abs(held.contracts);
  const pos: IsolatedPosition = {
    settlement: inst.settlement,
    side,
    quantity: abs * inst.contractSize, // linear: coin; inverse: USD
    entryPrice: held.entryPrice,
    walletBalance: held.margin,
  };
  const table = marginTable(inst);
  const liq = isolatedLiquidation(pos, table);
  if (!liq.ok) return failWith(liq.problems.map((p) => ({ ...p, path: ['held', ...p.path] })));
  const m = marginAt(pos, table, price);
  const usd = inverse ? price : 1;
  const notional = s * (inverse ? abs * inst.contractSize : abs * inst.contractSize * price);
  const entryNotional =
    s * (inverse ? abs * inst.contractSize : abs * inst.contractSize * held.entryPrice);
  const marginUsd = held.margin * (inverse ? held.entryPrice : 1);
  const leverage = Math.abs(entryNotional) / marginUsd;
  const marginBalance = m.balance * usd;
  const collateralExposure = inverse ? bf * Math.max(0, marginBalance) : 0;
  const v = input.portfolioValue;
  const bp = input.portfolioBeta;
  const betaNow = (bp * v + bf * notional + collateralExposure) / v;
  const drift = betaNow - input.targetBeta;
  const withinBand = Math.abs(drift) <= input.band;

  const warnings: Problem[] = [...liq.warnings];
  if (m.liquidated)
    warnings.push({
      code: 'position_liquidated',
      path: ['held'],
      params: { instrument: inst.name, price, liquidationPrice: liq.value.price ?? 0 },
    });
  let fundingPnl: number | null = null;
  let fundingPayments = 0;
  if (input.funding) {
    const f = fundingSince(held, input.funding, input.asOf);
    fundingPnl = f.pnl;
    fundingPayments = f.payments;
  }

  // The ticket: target contracts as a fresh hedge at the position's leverage, minus held.
  let target = held.contracts;
  let betaAfter = betaNow;
  let contractsAfter = held.contracts;
  if (!withinBand) {
    const solved = solveNotional((input.targetBeta - bp) * v, bf, inst.settlement, leverage);
    if (!solved.ok) return solved;
    target = roundToLots(solved.value, inst, price).signedContracts;
    contractsAfter = target;
  }
  const cv = contractValueUsd(inst, price);
  const delta = Number((contractsAfter - held.contracts).toPrecision(12));
  const cAfter = contractsAfter * cv;
  const marginAfter = Math.abs(cAfter) / leverage;
  if (!withinBand) betaAfter = (bp * v + bf * cAfter + (inverse ? bf * marginAfter : 0)) / v;
  const tradedNotional = Math.abs(delta) * cv;
  const ticket: RebalanceTicket = {
    side: delta > 0 ? 'buy' : delta < 0 ? 'sell' : 'none',
    contracts: Math.abs(delta),
    signedContracts: delta,
    notional: tradedNotional,
    fee: tradedNotional * input.feeRate,
    contractsAfter,
    betaAfter,
    marginAfter,
    marginChange: marginAfter - marginBalance,
  };
  const lp = liq.value.price;
  return ok(
    {
      side,
      notional,
      entryNotional,
      leverage,
      unrealizedPnl: m.pnl,
      unrealizedPnlUsd: m.pnl * usd,
      marginBalance,
      fundingPnl,
      fundingPayments,
      collateralExposure,
      betaNow,
      drift,
      withinBand,
      liquidationPrice: lp,
      liquidationMovePct: lp === null ? null : (lp / price - 1) * 100,
      maintenanceMarginRate: liq.value.rate,
      bracket: liq.value.bracket,
      marginRatio: m.marginRatio,
      ticket,
    },
    warnings,
  );
}

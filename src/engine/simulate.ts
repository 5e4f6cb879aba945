/** A walk-forward simulation of a beta hedge of a spot book: the bars are walked once, the hedge
 *  is re-sized on a schedule (or when the book's beta leaves a band), and every cost and event is
 *  booked: fees, slippage, funding, rolls of dated futures, isolated margin, liquidation and
 *  stop-loss. Pure; see docs/math.md ("Dynamic hedging") for every convention, stated once here:
 *
 *  - Bars: `times[i]` is the close of bar i and `price[i]` its close (the contract's mark: no
 *    basis). Decisions and trades happen at closes; the estimates used at bar i see only data up
 *    to and including bar i (the caller's beta paths; beta-path.ts). No look-ahead.
 *  - Spot holdings are fixed units; the unhedged book is the spot plus `collateral` USD kept idle.
 *  - Sizing at a decision is hedge.ts's (solveNotional: linear, or inverse with its coin
 *    collateral counted; roundToLots: nearest lot, ties away from zero).
 *  - A trade at close P fills at X = P·(1 + slippage·sign(Δ)); fee = rate · |traded notional| at
 *    X (linear |ΔQ|·X; inverse |ΔS|/X coin); slippage = what filling at X instead of P costs.
 *    Both are costs, paid from the leg's isolated wallet. Then the wallet is set to the initial
 *    margin of the new size, |notional| / leverage, from or back to the collateral cash (all of
 *    the cash when it is short: a `margin_shortfall` event; leverage is then higher).
 *  - Funding (perpetuals): a positive rate means longs pay shorts; at a settlement τ the position
 *    held at τ receives −rate · size at the mark, the last close at or before τ. Settlements
 *    inside a bar (τ < close) are applied first, at the previous close; a settlement on a close
 *    is applied at that close, to the position held before its trade. Funding moves the wallet.
 *  - Isolated margin: within bar i the price is taken to run from the previous close to the bar's
 *    extreme (its high for a short, low for a long; the close when the data has closes only).
 *    When the margin balance there falls to maintenance (hedge-leg.ts over margin.ts: the
 *    instrument's bracket table or single rate) the exchange takes the leg over at its
 *    liquidation price (the previous close itself if funding already pushed it under): the hedge P&L runs to that price and the
 *    margin balance left there is the liquidation loss. The trader loses the whole isolated
 *    margin and never more, however far beyond the bar closes (the exchange's insurance fund
 *    takes the gap).
 *    After it: `reopen` sizes a new hedge at the next decision time (from the collateral left),
 *    `stay_out` keeps the book unhedged. A stop-loss closes the leg (a market order: fee and
 *    slippage) when the price moves `stopLoss` against it from its last trade price; the same
 *    rule applies after it. When both are reached within a bar, the one nearer the previous
 *    close comes first (closes only: the liquidation).
 *  - Dated futures: the position rolls (close and re-open the same contracts in the next
 *    quarterly contract: fees and slippage twice, plus `rollCost` × notional) at the first close
 *    at or after expiry − rollDays; without a roll it settles at expiry at the mark (no fee) and
 *    the book stays unhedged from then on.
 *  - Accounting identity, on every bar: hedged equity − unhedged equity = hedge P&L − fees −
 *    slippage + funding received − funding paid − roll costs − liquidation losses. Equity comes
 *    from the balances (spot, cash, isolated wallet and the position marked at the close); the
 *    right side from the flows booked one by one; tests hold them to 1e-9.
 *  Cost O(bars + settlements + trades) per rule; the beta paths are computed once per dataset. */
import { roundToLots, solveNotional, positionPnl } from './hedge';
import { contractValueUsd, type Instrument } from './instrument';
import { isBreached, legLiquidationPrice, legMargin, type IsolatedLeg } from './hedge-leg';
import { marginTable } from './margin';
import { fundingPayment, type Settlements } from './funding';
import { type Problem, type Result, fail, failWith, ok } from './result';
import { nextQuarterlyExpiry, rollTime } from './roll';

/** What the walk reads per bar (all arrays of the dataset's n bars). */
export interface SimulationMarket {
  /** Bar close times, epoch ms UTC, strictly increasing. */
  times: ArrayLike<number>;
  /** Closes of the instrument's underlying, USD per coin: the contract's mark and trade price. */
  price: ArrayLike<number>;
  /** The underlying's bar highs and lows, or null when the data has closes only. */
  high: ArrayLike<number> | null;
  low: ArrayLike<number> | null;
  /** Spot book value V_i = Σ q_a p_a,i, USD. */
  value: ArrayLike<number>;
  /** Spot book dollar beta D_i = Σ q_a p_a,i β_a,i (USD per unit benchmark return); NaN unknown. */
  dollarBeta: ArrayLike<number>;
  /** The instrument's beta β_F,i; NaN unknown. */
  instrumentBeta: ArrayLike<number>;
}

/** When the hedge is re-sized. */
export interface SimulationRule {
  /** 1 at a decision bar (schedule.ts rebalanceFlags), per bar of the dataset. */
  decisions: Uint8Array;
  /** Trade only when |β held − β_T| > band at a decision (0: always re-size to the target). */
  band: number;
  /** Skip a re-size whose traded notional is below this, USD (opening and re-opening excepted). */
  minTrade: number;
}

export interface SimulationSettings {
  instrument: Instrument;
  /** β_T, the book's target beta. */
  targetBeta: number;
  /** Isolated leverage L of the hedge leg: margin posted = |notional| / L. */
  leverage: number;
  /** USD set aside for the hedge leg (both books start with it); null: the first hedge's notional. */
  collateral: number | null;
  /** Taker fee rate per trade, fraction of traded notional. */
  feeRate: number;
  /** Fraction the fill moves against a trade (0.0005 = 5 bp). */
  slippage: number;
  /** Funding settlements placed on bars (funding.ts placeSettlements); null: no funding. */
  funding: Settlements | null;
  /** Dated futures: roll `days` before expiry paying `cost` × notional; null: settle at expiry. */
  roll: { days: number; cost: number } | null;
  onLiquidation: 'reopen' | 'stay_out';
  /** Adverse move from the last trade price that closes the leg (0.2 = 20%); null: none. */
  stopLoss: number | null;
  /** First and last bar simulated (indices into the market arrays, inclusive). */
  from: number;
  to: number;
}

export type TradeReason =
  'open' | 'schedule' | 'band' | 'reopen' | 'roll' | 'stop' | 'liquidation' | 'expiry';
export type EventKind = 'liquidation' | 'stop' | 'roll' | 'expiry' | 'margin_shortfall';

export interface Trade {
  bar: number;
  /** Epoch ms of the bar's close (liquidations and stops happen within that bar). */
  time: number;
  reason: TradeReason;
  /** Signed contracts traded: positive buys, negative sells. */
  contracts: number;
  /** Signed contracts held after the trade. */
  after: number;
  /** Fill price, USD per coin, slippage included. */
  price: number;
  /** Unsigned USD notional traded: linear |ΔQ|·X, inverse |ΔS|. */
  notional: number;
  /** USD. */
  fee: number;
  /** USD. */
  slippage: number;
}

export interface SimulationEvent {
  bar: number;
  time: number;
  kind: EventKind;
  /** The price of the event (fill, settlement), USD per coin. */
  price: number;
  /** USD: the margin lost (liquidation), the roll's cost (fees, slippage, roll cost), the P&L
   *  realised (stop, expiry), the margin missing (shortfall). */
  amount: number;
}

/** Sums over the path, USD. Signs: costs are positive numbers. */
export interface SimulationTotals {
  /** Price P&L of the hedge leg (and, inverse, of its coin margin), marked at closes and fills. */
  hedgePnl: number;
  fees: number;
  slippage: number;
  fundingReceived: number;
  fundingPaid: number;
  rollCosts: number;
  liquidationLosses: number;
  trades: number;
  /** Re-sizes at decision times (open, schedule, band, reopen). */
  rebalances: number;
  liquidations: number;
  stops: number;
  rolls: number;
  /** Decision bars skipped because a beta was unknown (flat benchmark window). */
  skippedDecisions: number;
}

/** Per bar of [from, to] (index k = bar − from). */
export interface SimulationPath {
  /** Hedged book: V + collateral cash + isolated margin balance (USD), after the close's trade. */
  equity: Float64Array;
  /** V + the initial collateral, USD. */
  unhedged: Float64Array;
  /** Σ of the identity's right side up to this bar, USD (equity − unhedged, from the flows). */
  flows: Float64Array;
  /** The book's beta at the close with the hedge held through the bar (before its trade; at the
   *  start, as opened): (D + β_F·(C + coin margin USD)) / V; NaN when a beta is unknown. */
  beta: Float64Array;
  /** Signed contracts held after the close's trade. */
  contracts: Float64Array;
  /** Maintenance margin / margin balance at the close before the trade (liquidated at ≥ 1);
   *  NaN without a position. */
  marginRatio: Float64Array;
}

export interface SimulationResult {
  /** USD set aside for the hedge leg (given, or the first hedge's notional). */
  collateral: number;
  totals: SimulationTotals;
  /** RMS of (book beta − target) over bars from+1..to where the beta is known. */
  trackingError: number;
  /** null when run with record: false. */
  path: SimulationPath | null;
  trades: Trade[];
  events: SimulationEvent[];
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** Rounds away binary noise in a difference of lot counts (roundToLots does the same). */
const clean = (x: number) => (x === 0 ? 0 : Number(x.toPrecision(12)) || 0);

/** Checks the settings that do not depend on the data. Problems at [field]. */
function checkSettings(s: SimulationSettings, rule: SimulationRule, n: number): Problem[] {
  const p: Problem[] = [];
  const bad = (code: string, field: string, value: unknown) =>
    p.push({ code, path: [field], params: { value: String(value) } });
  if (!finite(s.targetBeta)) bad('invalid_beta', 'targetBeta', s.targetBeta);
  if (!finite(s.leverage) || s.leverage <= 0) bad('invalid_leverage', 'leverage', s.leverage);
  else if (s.leverage * s.instrument.maintenanceMarginRate >= 1)
    p.push({
      code: 'leverage_too_high',
      path: ['leverage'],
      params: {
        leverage: s.leverage,
        max: 1 / s.instrument.maintenanceMarginRate,
        maintenanceMarginRate: s.instrument.maintenanceMarginRate,
      },
    });
  if (s.collateral !== null && !(finite(s.collateral) && s.collateral > 0))
    bad('invalid_collateral', 'collateral', s.collateral);
  if (!(finite(s.feeRate) && s.feeRate >= 0 && s.feeRate < 1))
    bad('invalid_rate', 'feeRate', s.feeRate);
  if (!(finite(s.slippage) && s.slippage >= 0 && s.slippage < 1))
    bad('invalid_rate', 'slippage', s.slippage);
  if (s.stopLoss !== null && !(finite(s.stopLoss) && s.stopLoss > 0 && s.stopLoss < 1))
    bad('invalid_rate', 'stopLoss', s.stopLoss);
  if (s.roll && !(finite(s.roll.days) && s.roll.days >= 0))
    bad('invalid_roll', 'roll', s.roll.days);
  if (s.roll && !(finite(s.roll.cost) && s.roll.cost >= 0 && s.roll.cost < 1))
    bad('invalid_rate', 'rollCost', s.roll.cost);
  if (!(finite(rule.band) && rule.band >= 0)) bad('invalid_band', 'band', rule.band);
  if (!(finite(rule.minTrade) && rule.minTrade >= 0))
    bad('invalid_amount', 'minTrade', rule.minTrade);
  if (!(
    Number.isInteger(s.from) &&
    Number.isInteger(s.to) &&
    s.from >= 0 &&
    s.to < n &&
    s.from < s.to
  ))
    p.push({ code: 'invalid_span', path: ['from'], params: { from: s.from, to: s.to, n } });
  return p;
}

/** Walks bars [from, to] once and returns the path, the trades, the events and the totals (see
 *  the module comment for the conventions). `record: false` keeps only the totals and the
 *  tracking error (for comparing many rules). Fails with the settings' problems (at [field]),
 *  no_beta_at_start (no beta at bar `from`), future_expired (a dated future expired by the
 *  start), inverse_short_needs_leverage (sizing an inverse short at 1×). O(bars + settlements).
 *  @example simulateHedge(market, rule, { ..., targetBeta: 0, leverage: 5 }).value.totals.fees */
export function simulateHedge(
  market: SimulationMarket,
  rule: SimulationRule,
  settings: SimulationSettings,
  opts: { record?: boolean } = {},
): Result<SimulationResult> {
  const n = market.times.length;
  const bad = checkSettings(settings, rule, n);
  if (bad.length > 0) return failWith(bad);
  const record = opts.record ?? true;
  const { times, price, high, low, value, dollarBeta, instrumentBeta } = market;
  const { from, to, targetBeta: bt, leverage: L, feeRate: f, slippage: slip } = settings;
  const ins = settings.instrument;
  const inv = ins.settlement === 'inverse';
  const cs = ins.contractSize;
  const hasRange = high !== null && low !== null;
  // The maintenance margin of the leg: the instrument's bracket table, or its single rate.
  const table = marginTable(ins);
  let expiry = ins.expiry;
  if (expiry !== null && expiry <= (times[from] as number))
    return fail('future_expired', ['instrument'], {
      instrument: ins.name,
      expiry,
      asOf: times[from] as number,
    });
  if (
    !finite(dollarBeta[from]) ||
    !finite(instrumentBeta[from]) ||
    !(Math.abs(instrumentBeta[from] as number) > 1e-12)
  )
    return fail('no_beta_at_start', ['from'], { time: times[from] as number });

  const m = to - from + 1;
  const path: SimulationPath | null = record
    ? {
        equity: new Float64Array(m),
        unhedged: new Float64Array(m),
        flows: new Float64Array(m),
        beta: new Float64Array(m),
        contracts: new Float64Array(m),
        marginRatio: new Float64Array(m),
      }
    : null;
  const trades: Trade[] = [];
  const events: SimulationEvent[] = [];
  const T: SimulationTotals = {
    hedgePnl: 0,
    fees: 0,
    slippage: 0,
    fundingReceived: 0,
    fundingPaid: 0,
    rollCosts: 0,
    liquidationLosses: 0,
    trades: 0,
    rebalances: 0,
    liquidations: 0,
    stops: 0,
    rolls: 0,
    skippedDecisions: 0,
  };

  // State of the hedge leg and the collateral.
  const leg: IsolatedLeg = {
    settlement: ins.settlement,
    size: 0,
    entry: price[from] as number,
    wallet: 0,
  };
  let q = 0; // signed contracts
  let cash = 0; // USD collateral not posted as margin
  let collateral = settings.collateral ?? -1; // set at the opening decision when null
  let state: 'on' | 'reopen' | 'out' | 'expired' = 'on';
  let bar = from;
  let time = times[from] as number;

  const event = (kind: EventKind, px: number, amount: number) => {
    if (record) events.push({ bar, time, kind, price: px, amount });
  };
  /** USD value of the isolated margin balance at price P. */
  /** Margin balance at price P (margin currency): wallet + P&L from the entry. */
  const balance = (p: number) =>
    leg.wallet + (leg.size === 0 ? 0 : positionPnl(leg.settlement, leg.size, leg.entry, p));
  const legUsd = (p: number) => (inv ? balance(p) * p : balance(p));
  /** Price P&L of the leg (and inverse coin margin) from a to b, USD: linear Q·(b − a); inverse
   *  (wallet + S/EP)·(b − a), the derivative of the USD value (wallet + S/EP)·P − S. */
  const segment = (a: number, b: number) =>
    inv ? (leg.wallet + leg.size / leg.entry) * (b - a) : leg.size * (b - a);
  /** Marks the wallet to P (realises the unrealised P&L into it; no P&L booked: the bars did). */
  const markTo = (p: number) => {
    if (leg.size !== 0) leg.wallet += positionPnl(leg.settlement, leg.size, leg.entry, p);
    leg.entry = p;
  };
  /** Trades `delta` contracts at close P (fill with slippage), then sets the margin. */
  const trade = (delta: number, p: number, reason: TradeReason) => {
    markTo(p);
    const dSize = delta * cs;
    const sgn = Math.sign(delta);
    const x = p * (1 + slip * sgn);
    let feeUsd: number;
    let slipUsd: number;
    if (inv) {
      const feeCoin = (f * Math.abs(dSize)) / x;
      const slipCoin = Math.abs(dSize) * Math.abs(1 / p - 1 / x);
      leg.wallet -= feeCoin + slipCoin;
      feeUsd = feeCoin * p;
      slipUsd = slipCoin * p;
    } else {
      feeUsd = f * Math.abs(dSize) * x;
      slipUsd = Math.abs(dSize) * Math.abs(x - p);
      leg.wallet -= feeUsd + slipUsd;
    }
    T.fees += feeUsd;
    T.slippage += slipUsd;
    q = clean(q + delta);
    leg.size = q * cs;
    // Margin: the wallet holds the initial margin of the new size, from or back to the cash.
    const target = q === 0 ? 0 : inv ? Math.abs(leg.size) / (L * p) : (Math.abs(leg.size) * p) / L;
    const unit = inv ? p : 1;
    let moveUsd = (target - leg.wallet) * unit;
    if (moveUsd > cash) {
      event('margin_shortfall', p, moveUsd - cash);
      moveUsd = Math.max(0, cash);
    }
    cash -= moveUsd;
    leg.wallet += moveUsd / unit;
    if (q === 0) {
      // Nothing left in the leg: whatever remains (rounding) goes back to the cash.
      cash += leg.wallet * unit;
      leg.wallet = 0;
    }
    T.trades++;
    if (record)
      trades.push({
        bar,
        time,
        reason,
        contracts: delta,
        after: q,
        price: x,
        notional: inv ? Math.abs(dSize) : Math.abs(dSize) * x,
        fee: feeUsd,
        slippage: slipUsd,
      });
  };
  /** The leg is liquidated within the bar: the exchange takes it over at the liquidation price
   *  `lp` (reached from the previous close P0). The hedge P&L runs to lp; the margin balance left
   *  there (the maintenance margin) is lost. Whatever the exchange then fills at, an isolated
   *  position never costs more than its margin. */
  const liquidate = (p0: number, lp: number) => {
    T.hedgePnl += segment(p0, lp);
    const lost = legUsd(lp);
    T.liquidationLosses += lost;
    T.liquidations++;
    const before = q;
    leg.wallet = 0;
    leg.size = 0;
    leg.entry = lp;
    q = 0;
    T.trades++;
    if (record)
      trades.push({
        bar,
        time,
        reason: 'liquidation',
        contracts: -before,
        after: 0,
        price: lp,
        notional: inv ? Math.abs(before * cs) : Math.abs(before * cs) * lp,
        fee: 0,
        slippage: 0,
      });
    event('liquidation', lp, lost);
    state = settings.onLiquidation === 'reopen' ? 'reopen' : 'out';
  };
  /** Stop-loss: a market order closing the leg at F (slippage and fee on top). */
  const stop = (p0: number, fill: number) => {
    T.hedgePnl += segment(p0, fill);
    const realised = positionPnl(leg.settlement, leg.size, leg.entry, fill) * (inv ? fill : 1);
    trade(-q, fill, 'stop');
    T.stops++;
    event('stop', fill, realised);
    state = settings.onLiquidation === 'reopen' ? 'reopen' : 'out';
  };
  /** Dated future at expiry: settles at the mark P (no fee); the book is unhedged after, unless
   *  it rolls into the next contract at this close. */
  const settleExpiry = (p: number) => {
    if (q !== 0) {
      const realised = positionPnl(leg.settlement, leg.size, leg.entry, p) * (inv ? p : 1);
      markTo(p);
      const held = q;
      cash += leg.wallet * (inv ? p : 1);
      leg.wallet = 0;
      leg.size = 0;
      q = 0;
      T.trades++;
      if (record)
        trades.push({
          bar,
          time,
          reason: 'expiry',
          contracts: -held,
          after: 0,
          price: p,
          notional: inv ? Math.abs(held * cs) : Math.abs(held * cs) * p,
          fee: 0,
          slippage: 0,
        });
      if (!settings.roll) event('expiry', p, realised);
      return held;
    }
    if (!settings.roll) event('expiry', p, 0);
    return 0;
  };
  const rollCostUsd = (contracts: number, p: number) =>
    (settings.roll?.cost ?? 0) * Math.abs(contractValueUsd(ins, p) * contracts);
  const roll = (p: number, reopen: number) => {
    if (q === 0 && reopen === 0) {
      expiry = nextQuarterlyExpiry(expiry as number); // nothing held: the next contract is used
      return;
    }
    const before = T.fees + T.slippage;
    if (q !== 0) trade(-q, p, 'roll');
    const rc = rollCostUsd(reopen, p);
    cash -= rc;
    T.rollCosts += rc;
    if (reopen !== 0) trade(reopen, p, 'roll');
    T.rolls++;
    event('roll', p, T.fees + T.slippage - before + rc);
    expiry = nextQuarterlyExpiry(expiry as number);
  };

  const te = { sum: 0, count: 0 };
  /** The book's beta at bar i, price P, with the hedge held now; NaN when unknown. */
  const heldBeta = (i: number, p: number): number => {
    const v = value[i] as number;
    const d = dollarBeta[i] as number;
    const bf = instrumentBeta[i] as number;
    const c = inv ? leg.size : leg.size * p;
    const col = inv && leg.size !== 0 ? balance(p) * p : 0;
    return (d + bf * (c + col)) / v;
  };
  /** A decision at bar i, close P. Returns a failure to end the simulation, else null. */
  const decide = (i: number, p: number, beta: number): Result<never> | null => {
    if (state === 'out' || state === 'expired') return null;
    const d = dollarBeta[i] as number;
    const bf = instrumentBeta[i] as number;
    const v = value[i] as number;
    if (!finite(d) || !finite(bf) || !(Math.abs(bf) > 1e-12) || !(v > 0)) {
      T.skippedDecisions++;
      return null;
    }
    const opening = i === from;
    const reopening = state === 'reopen';
    let reason: TradeReason = opening
      ? 'open'
      : reopening
        ? 'reopen'
        : rule.band > 0
          ? 'band'
          : 'schedule';
    if (!opening && !reopening && rule.band > 0 && !(Math.abs(beta - bt) > rule.band)) return null;
    const solved = solveNotional(bt * v - d, bf, ins.settlement, L);
    if (!solved.ok) return solved;
    const target = roundToLots(solved.value, ins, p).signedContracts;
    if (opening && collateral < 0) {
      collateral = Math.abs(contractValueUsd(ins, p) * target);
      cash = collateral;
    }
    state = 'on';
    const delta = clean(target - q);
    if (delta === 0) return null;
    if (!opening && !reopening && Math.abs(delta * contractValueUsd(ins, p)) < rule.minTrade)
      return null;
    if (opening) reason = 'open';
    trade(delta, p, reason);
    T.rebalances++;
    return null;
  };

  // Bar `from`: the start. Both books hold the spot and the collateral; the hedge opens.
  if (collateral >= 0) cash = collateral;
  {
    const p = price[from] as number;
    const beta = heldBeta(from, p);
    const r = decide(from, p, beta);
    if (r) return r;
    if (collateral < 0) {
      collateral = 0; // nothing to hedge: the first target rounded to zero contracts
      cash = 0;
    }
    if (path) {
      // The start: the book as opened (nothing was held through a bar yet).
      path.beta[0] = heldBeta(from, p);
      path.marginRatio[0] =
        leg.size !== 0 ? (legMargin(table, leg, p).marginRatio ?? Infinity) : NaN;
    }
  }
  const record_ = (k: number, i: number, p: number) => {
    if (!path) return;
    path.unhedged[k] = (value[i] as number) + collateral;
    path.equity[k] = (value[i] as number) + cash + legUsd(p);
    path.flows[k] =
      T.hedgePnl -
      T.fees -
      T.slippage +
      T.fundingReceived -
      T.fundingPaid -
      T.rollCosts -
      T.liquidationLosses;
    path.contracts[k] = q;
  };
  record_(0, from, price[from] as number);

  const fund = settings.funding;
  let s = 0;
  if (fund) while (s < fund.bar.length && (fund.bar[s] as number) <= from) s++;
  const pay = (rate: number, mark: number) => {
    if (leg.size === 0) return;
    const amount = fundingPayment(ins.settlement, leg.size, mark, rate);
    leg.wallet += amount;
    const usd = inv ? amount * mark : amount;
    if (usd >= 0) T.fundingReceived += usd;
    else T.fundingPaid -= usd;
  };
  const stopLoss = settings.stopLoss;

  for (let i = from + 1; i <= to; i++) {
    bar = i;
    time = times[i] as number;
    const p0 = price[i - 1] as number;
    const p1 = price[i] as number;
    let expiredNow = 0; // contracts that settled at expiry this bar (to roll into the next one)
    let settledAtExpiry = false;

    // A dated future that expired between the previous close and this one settles at the
    // previous close (the last close at or before expiry), before the bar moves.
    if (
      expiry !== null &&
      state !== 'expired' &&
      expiry > (times[i - 1] as number) &&
      expiry < time
    ) {
      expiredNow = settleExpiry(p0);
      settledAtExpiry = true;
    }
    // Funding settled inside the bar, at the previous close.
    if (fund)
      while (s < fund.bar.length && fund.bar[s] === i && fund.atClose[s] === 0) {
        pay(fund.rate[s] as number, p0);
        s++;
      }
    // The bar's range: liquidation and stop-loss.
    let closedInBar = false;
    if (leg.size !== 0) {
      const short = leg.size < 0;
      const extreme = hasRange ? ((short ? high : low)![i] as number) : p1;
      const worst = short ? Math.max(p0, extreme) : Math.min(p0, extreme);
      const sp =
        stopLoss === null ? null : short ? leg.entry * (1 + stopLoss) : leg.entry * (1 - stopLoss);
      const stopHit = sp !== null && (short ? worst >= sp : worst <= sp);
      if (isBreached(table, leg, p0)) {
        liquidate(p0, p0);
        closedInBar = true;
      } else if (isBreached(table, leg, worst)) {
        // not breached at P0, breached at the extreme: the liquidation price lies between
        const lp = legLiquidationPrice(table, leg, p0) ?? worst;
        const stopFirst = hasRange && stopHit && sp !== null && (short ? sp <= lp : sp >= lp);
        if (stopFirst) stop(p0, short ? Math.max(sp, p0) : Math.min(sp, p0));
        else liquidate(p0, lp);
        closedInBar = true;
      } else if (stopHit && sp !== null) {
        const beyond = short ? p0 >= sp : p0 <= sp;
        stop(p0, beyond ? p0 : hasRange ? sp : p1);
        closedInBar = true;
      }
    }
    // Mark to the close.
    if (!closedInBar && leg.size !== 0) T.hedgePnl += segment(p0, p1);
    // Funding settled on this close, to the position held before the close's trade.
    if (fund)
      while (s < fund.bar.length && fund.bar[s] === i) {
        pay(fund.rate[s] as number, p1);
        s++;
      }
    if (leg.size !== 0 && isBreached(table, leg, p1)) liquidate(p1, p1);
    // Expiry on this close, and rolls.
    if (expiry !== null && state !== 'expired' && expiry === time) {
      expiredNow = settleExpiry(p1);
      settledAtExpiry = true;
    }
    if (settledAtExpiry) {
      if (settings.roll) roll(p1, expiredNow);
      else state = 'expired';
    } else if (
      expiry !== null &&
      settings.roll &&
      state !== 'expired' &&
      time >= rollTime(expiry, settings.roll.days)
    )
      roll(p1, q);

    // The book as it stands at the close, before the trade.
    const beta = heldBeta(i, p1);
    if (finite(beta)) {
      te.sum += (beta - bt) * (beta - bt);
      te.count++;
    }
    if (path) {
      path.beta[i - from] = beta;
      path.marginRatio[i - from] =
        leg.size !== 0 ? (legMargin(table, leg, p1).marginRatio ?? Infinity) : NaN;
    }
    if (rule.decisions[i] === 1) {
      const r = decide(i, p1, beta);
      if (r) return r;
    }
    record_(i - from, i, p1);
  }

  return ok({
    collateral,
    totals: T,
    trackingError: te.count > 0 ? Math.sqrt(te.sum / te.count) : 0,
    path,
    trades,
    events,
  });
}

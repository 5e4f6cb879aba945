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
import { isBreached, legBalance, legLiquidationPrice, type IsolatedLeg } from './hedge-leg';
import { marginTable } from './margin';
import { bracketIndex, type Bracket, type BracketTable } from './brackets';
import { fundingPayment, type Settlements } from './funding';
import { type Problem, type Result, fail, failWith, ok } from './result';
import { nextQuarterlyExpiry, rollTime } from './roll';

// The functions the walk calls on every bar, bound once: run through tsx (tests, `npm run
// bench`) an imported binding is a getter call per use, which V8 does not inline.
const balanceAt = legBalance;
const breachedAt = isBreached;
const fundingOf = fundingPayment;

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
  /** The instrument's beta β_F,i per bar (NaN unknown), or one number when it is constant (a
   *  given beta, or 1 for the benchmark's own contract). */
  instrumentBeta: ArrayLike<number> | number;
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
  /** Σ of the identity's right side up to this bar, USD (equity − unhedged, from the flows);
   *  null unless run with flows: true (the accounting identity's check). */
  flows: Float64Array | null;
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
const clean = (x: number) => (Number.isInteger(x) ? x + 0 : Number(x.toPrecision(12)) || 0); // + 0: no −0

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
 *  tracking error (for comparing many rules); `flows: true` also records the path's `flows`. Fails with the settings' problems (at [field]),
 *  no_beta_at_start (no beta at bar `from`), future_expired (a dated future expired by the
 *  start), inverse_short_needs_leverage (sizing an inverse short at 1×). O(bars + settlements).
 *  @example simulateHedge(market, rule, { ..., targetBeta: 0, leverage: 5 }).value.totals.fees */
export function simulateHedge(
  market: SimulationMarket,
  rule: SimulationRule,
  settings: SimulationSettings,
  opts: { record?: boolean; flows?: boolean } = {},
): Result<SimulationResult> {
  const n = market.times.length;
  const bad = checkSettings(settings, rule, n);
  if (bad.length > 0) return failWith(bad);
  const { times, dollarBeta } = market;
  const { from, instrument: ins } = settings;
  const bf0 = instrumentBetaAt(market, from);
  if (ins.expiry !== null && ins.expiry <= (times[from] as number))
    return fail('future_expired', ['instrument'], {
      instrument: ins.name,
      expiry: ins.expiry,
      asOf: times[from] as number,
    });
  if (!finite(dollarBeta[from]) || !finite(bf0) || !(Math.abs(bf0) > 1e-12))
    return fail('no_beta_at_start', ['from'], { time: times[from] as number });
  const record = opts.record ?? true;
  return new Walk(market, rule, settings, record, record && (opts.flows ?? false)).run();
}

/** β_F at bar i (the market's array, or its constant). */
function instrumentBetaAt(market: SimulationMarket, i: number): number {
  const b = market.instrumentBeta;
  return typeof b === 'number' ? b : (b[i] as number);
}

type LegState = 'on' | 'reopen' | 'out' | 'expired';

/** One walk's state and the events that change it. A class (not closures) so the hot loop in
 *  run() reads plain fields and calls methods V8 can inline: the walk runs on every bar. */
class Walk {
  private readonly inv: boolean;
  private readonly cs: number;
  private readonly table: BracketTable;
  private readonly bybit: boolean;
  private readonly path: SimulationPath | null;
  private readonly trades: Trade[] = [];
  private readonly events: SimulationEvent[] = [];
  private readonly T: SimulationTotals = {
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
  /** The hedge leg and its isolated wallet. */
  private readonly leg: IsolatedLeg;
  /** Signed contracts held. */
  private q = 0;
  /** USD collateral not posted as margin. */
  private cash = 0;
  /** USD set aside; −1 until the opening decision sets it (settings.collateral null). */
  private collateral: number;
  private state: LegState = 'on';
  private expiry: number | null;
  /** The bar being walked (events and trades are stamped with its close). */
  private bar: number;
  /** The leg changed (a trade, a funding payment) since the previous close was checked: only
   *  then can it be breached at that close already. */
  private changed = true;
  // The maintenance bracket (brackets.ts) of the leg's notional, kept while the notional stays
  // inside it (cap_{k−1}, cap_k]: MM(N) = N·rate − amount of that bracket, as maintenanceMargin;
  // bracketIndex finds the next one when the notional leaves it. For the per-bar checks.
  private bLo = 0;
  private bHi = -1;
  private bRate = 0;
  private bAmount = 0;

  constructor(
    private readonly market: SimulationMarket,
    private readonly rule: SimulationRule,
    private readonly s: SimulationSettings,
    private readonly record: boolean,
    flows: boolean,
  ) {
    const ins = s.instrument;
    this.inv = ins.settlement === 'inverse';
    this.cs = ins.contractSize;
    // The maintenance margin of the leg: the instrument's bracket table, or its single rate.
    this.table = marginTable(ins);
    this.bybit = this.table.rule === 'bybit';
    this.expiry = ins.expiry;
    this.bar = s.from;
    this.collateral = s.collateral ?? -1;
    this.leg = {
      settlement: ins.settlement,
      size: 0,
      entry: market.price[s.from] as number,
      wallet: 0,
    };
    const m = s.to - s.from + 1;
    // The path's columns: views of one buffer (one allocation; fresh memory costs page faults).
    if (record) {
      const buffer = new ArrayBuffer((flows ? 6 : 5) * 8 * m);
      const column = (k: number) => new Float64Array(buffer, 8 * k * m, m);
      this.path = {
        equity: column(0),
        unhedged: column(1),
        beta: column(2),
        contracts: column(3),
        marginRatio: column(4),
        flows: flows ? column(5) : null,
      };
    } else this.path = null;
  }

  private time(): number {
    return this.market.times[this.bar] as number;
  }

  private event(kind: EventKind, price: number, amount: number): void {
    if (this.record) this.events.push({ bar: this.bar, time: this.time(), kind, price, amount });
  }

  private note(
    reason: TradeReason,
    contracts: number,
    price: number,
    notional: number,
    fee: number,
    slippage: number,
  ): void {
    this.T.trades++;
    if (this.record)
      this.trades.push({
        bar: this.bar,
        time: this.time(),
        reason,
        contracts,
        after: this.q,
        price,
        notional,
        fee,
        slippage,
      });
  }

  /** USD value of the isolated margin balance at price P (inverse: the coin balance × P). */
  private legUsd(p: number): number {
    const b = balanceAt(this.leg, p);
    return this.inv ? b * p : b;
  }

  /** Price P&L of the leg (and inverse coin margin) from a to b, USD: linear Q·(b − a); inverse
   *  (wallet + S/EP)·(b − a), the derivative of the USD value (wallet + S/EP)·P − S. */
  private segment(a: number, b: number): number {
    const leg = this.leg;
    return this.inv ? (leg.wallet + leg.size / leg.entry) * (b - a) : leg.size * (b - a);
  }

  private setBracket(n: number): void {
    const bs = this.table.brackets;
    const k = bracketIndex(this.table, n);
    this.bLo = k === 0 ? -Infinity : (bs[k - 1] as Bracket).cap;
    this.bHi = k === bs.length - 1 ? Infinity : (bs[k] as Bracket).cap;
    this.bRate = (bs[k] as Bracket).rate;
    this.bAmount = (bs[k] as Bracket).amount;
  }

  /** Maintenance margin of the leg at price P (hedge-leg.ts legMaintenance through the bracket
   *  kept above). */
  private maintenance(p: number): number {
    const leg = this.leg;
    const qty = leg.size < 0 ? -leg.size : leg.size;
    const at = this.bybit ? leg.entry : p;
    const n = this.inv ? qty / at : qty * at;
    if (!(n > this.bLo && n <= this.bHi)) this.setBracket(n);
    return n * this.bRate - this.bAmount;
  }

  /** Marks the wallet to P (realises the unrealised P&L into it; no P&L booked: the bars did). */
  private markTo(p: number): void {
    const leg = this.leg;
    if (leg.size !== 0) leg.wallet += positionPnl(leg.settlement, leg.size, leg.entry, p);
    leg.entry = p;
  }

  /** Trades `delta` contracts at close P (fill with slippage), then sets the margin. */
  private trade(delta: number, p: number, reason: TradeReason): void {
    const { leg, T, inv } = this;
    const { feeRate: f, slippage: slip, leverage: L } = this.s;
    this.markTo(p);
    const dSize = delta * this.cs;
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
    this.q = clean(this.q + delta);
    leg.size = this.q * this.cs;
    this.changed = true;
    // Margin: the wallet holds the initial margin of the new size, from or back to the cash.
    const q = this.q;
    const target = q === 0 ? 0 : inv ? Math.abs(leg.size) / (L * p) : (Math.abs(leg.size) * p) / L;
    const unit = inv ? p : 1;
    let moveUsd = (target - leg.wallet) * unit;
    if (moveUsd > this.cash) {
      this.event('margin_shortfall', p, moveUsd - this.cash);
      moveUsd = Math.max(0, this.cash);
    }
    this.cash -= moveUsd;
    leg.wallet += moveUsd / unit;
    if (q === 0) {
      // Nothing left in the leg: whatever remains (rounding) goes back to the cash.
      this.cash += leg.wallet * unit;
      leg.wallet = 0;
    }
    this.note(reason, delta, x, inv ? Math.abs(dSize) : Math.abs(dSize) * x, feeUsd, slipUsd);
  }

  /** The leg is liquidated within the bar: the exchange takes it over at the liquidation price
   *  `lp` (reached from the previous close P0). The hedge P&L runs to lp; the margin balance left
   *  there (the maintenance margin) is lost. Whatever the exchange then fills at, an isolated
   *  position never costs more than its margin. */
  private liquidate(p0: number, lp: number): void {
    const { leg, T } = this;
    T.hedgePnl += this.segment(p0, lp);
    const lost = this.legUsd(lp);
    T.liquidationLosses += lost;
    this.changed = true;
    T.liquidations++;
    const before = this.q;
    leg.wallet = 0;
    leg.size = 0;
    leg.entry = lp;
    this.q = 0;
    const size = Math.abs(before * this.cs);
    this.note('liquidation', -before, lp, this.inv ? size : size * lp, 0, 0);
    this.event('liquidation', lp, lost);
    this.state = this.s.onLiquidation === 'reopen' ? 'reopen' : 'out';
  }

  /** Stop-loss: a market order closing the leg at F (slippage and fee on top). */
  private stop(p0: number, fill: number): void {
    const leg = this.leg;
    this.T.hedgePnl += this.segment(p0, fill);
    const realised = positionPnl(leg.settlement, leg.size, leg.entry, fill) * (this.inv ? fill : 1);
    this.trade(-this.q, fill, 'stop');
    this.T.stops++;
    this.event('stop', fill, realised);
    this.state = this.s.onLiquidation === 'reopen' ? 'reopen' : 'out';
  }

  /** Dated future at expiry: settles at the mark P (no fee); the book is unhedged after, unless
   *  it rolls into the next contract at this close. Returns the contracts that were held. */
  private settleExpiry(p: number): number {
    const { leg } = this;
    const rolls = this.s.roll !== null;
    if (this.q === 0) {
      if (!rolls) this.event('expiry', p, 0);
      return 0;
    }
    const realised = positionPnl(leg.settlement, leg.size, leg.entry, p) * (this.inv ? p : 1);
    this.markTo(p);
    const held = this.q;
    this.cash += leg.wallet * (this.inv ? p : 1);
    leg.wallet = 0;
    leg.size = 0;
    this.changed = true;
    this.q = 0;
    const size = Math.abs(held * this.cs);
    this.note('expiry', -held, p, this.inv ? size : size * p, 0, 0);
    if (!rolls) this.event('expiry', p, realised);
    return held;
  }

  /** Rolls into the next quarterly contract at close P: closes what is held, pays the roll cost
   *  on `reopen` contracts and opens them again. */
  private roll(p: number, reopen: number): void {
    const T = this.T;
    if (this.q === 0 && reopen === 0) {
      this.expiry = nextQuarterlyExpiry(this.expiry as number); // nothing held: the next contract is used
      return;
    }
    const before = T.fees + T.slippage;
    if (this.q !== 0) this.trade(-this.q, p, 'roll');
    const rc = (this.s.roll?.cost ?? 0) * Math.abs(contractValueUsd(this.s.instrument, p) * reopen);
    this.cash -= rc;
    T.rollCosts += rc;
    if (reopen !== 0) this.trade(reopen, p, 'roll');
    T.rolls++;
    this.event('roll', p, T.fees + T.slippage - before + rc);
    this.expiry = nextQuarterlyExpiry(this.expiry as number);
  }

  /** Funding at a settlement: −rate · size at the mark into the wallet (funding.ts). */
  private pay(rate: number, mark: number): void {
    const leg = this.leg;
    if (leg.size === 0) return;
    const amount = fundingOf(leg.settlement, leg.size, mark, rate);
    leg.wallet += amount;
    this.changed = true;
    const usd = this.inv ? amount * mark : amount;
    if (usd >= 0) this.T.fundingReceived += usd;
    else this.T.fundingPaid -= usd;
  }

  /** The book's beta at bar i, price P, with the hedge held now; NaN when unknown. */
  private heldBeta(i: number, p: number): number {
    const { leg, market } = this;
    const c = this.inv ? leg.size : leg.size * p;
    const col = this.inv && leg.size !== 0 ? balanceAt(leg, p) * p : 0;
    return (
      ((market.dollarBeta[i] as number) + instrumentBetaAt(market, i) * (c + col)) /
      (market.value[i] as number)
    );
  }

  /** A decision at bar i, close P. Returns a failure to end the simulation, else null. */
  private decide(i: number, p: number, beta: number): Result<never> | null {
    const { market, rule, s, T } = this;
    if (this.state === 'out' || this.state === 'expired') return null;
    const d = market.dollarBeta[i] as number;
    const bf = instrumentBetaAt(market, i);
    const v = market.value[i] as number;
    if (!finite(d) || !finite(bf) || !(Math.abs(bf) > 1e-12) || !(v > 0)) {
      T.skippedDecisions++;
      return null;
    }
    const bt = s.targetBeta;
    const opening = i === s.from;
    const reopening = this.state === 'reopen';
    if (!opening && !reopening && rule.band > 0 && !(Math.abs(beta - bt) > rule.band)) return null;
    const solved = solveNotional(bt * v - d, bf, s.instrument.settlement, s.leverage);
    if (!solved.ok) return solved;
    const target = roundToLots(solved.value, s.instrument, p).signedContracts;
    if (opening && this.collateral < 0) {
      this.collateral = Math.abs(contractValueUsd(s.instrument, p) * target);
      this.cash = this.collateral;
    }
    this.state = 'on';
    const delta = clean(target - this.q);
    if (delta === 0) return null;
    if (
      !opening &&
      !reopening &&
      Math.abs(delta * contractValueUsd(s.instrument, p)) < rule.minTrade
    )
      return null;
    const reason: TradeReason = opening
      ? 'open'
      : reopening
        ? 'reopen'
        : rule.band > 0
          ? 'band'
          : 'schedule';
    this.trade(delta, p, reason);
    T.rebalances++;
    return null;
  }

  /** Records bar i (path index k) after its trade: both books, the flows, the contracts. */
  private recordAfter(k: number, i: number, p: number): void {
    const path = this.path as SimulationPath;
    const v = this.market.value[i] as number;
    const T = this.T;
    path.unhedged[k] = v + this.collateral;
    path.equity[k] = v + this.cash + this.legUsd(p);
    if (path.flows)
      path.flows[k] =
        T.hedgePnl -
        T.fees -
        T.slippage +
        T.fundingReceived -
        T.fundingPaid -
        T.rollCosts -
        T.liquidationLosses;
    path.contracts[k] = this.q;
  }

  run(): Result<SimulationResult> {
    const { market, s, leg, T, path, inv } = this;
    const { times, price, high, low, value, dollarBeta, instrumentBeta } = market;
    // β_F per bar, or its constant (bfArray null)
    const bfArray = typeof instrumentBeta === 'number' ? null : instrumentBeta;
    const bfConstant = typeof instrumentBeta === 'number' ? instrumentBeta : NaN;
    const { from, to, targetBeta: bt } = s;
    const hasRange = high !== null && low !== null;
    const stopLoss = s.stopLoss;
    const decisions = this.rule.decisions;

    // Bar `from`: the start. Both books hold the spot and the collateral; the hedge opens.
    if (this.collateral >= 0) this.cash = this.collateral;
    const p = price[from] as number;
    const r0 = this.decide(from, p, this.heldBeta(from, p));
    if (r0) return r0;
    if (this.collateral < 0) {
      this.collateral = 0; // nothing to hedge: the first target rounded to zero contracts
      this.cash = 0;
    }
    if (path) {
      // The start: the book as opened (nothing was held through a bar yet).
      path.beta[0] = this.heldBeta(from, p);
      const b = balanceAt(leg, p);
      path.marginRatio[0] = leg.size === 0 ? NaN : b > 0 ? this.maintenance(p) / b : Infinity;
      this.recordAfter(0, from, p);
    }

    const fund = s.funding;
    // Settlements as locals (read on every bar).
    const fBar = fund ? fund.bar : new Int32Array(0);
    const fClose = fund ? fund.atClose : new Uint8Array(0);
    const fRate = fund ? fund.rate : new Float64Array(0);
    const nf = fBar.length;
    let si = 0;
    while (si < nf && (fBar[si] as number) <= from) si++;
    let te = 0;
    let teCount = 0;

    for (let i = from + 1; i <= to; i++) {
      this.bar = i;
      const time = times[i] as number;
      const p0 = price[i - 1] as number;
      const p1 = price[i] as number;
      let expiredNow = 0; // contracts that settled at expiry this bar (to roll into the next one)
      let settledAtExpiry = false;
      const expiry = this.expiry;

      // A dated future that expired between the previous close and this one settles at the
      // previous close (the last close at or before expiry), before the bar moves.
      if (
        expiry !== null &&
        this.state !== 'expired' &&
        expiry > (times[i - 1] as number) &&
        expiry < time
      ) {
        expiredNow = this.settleExpiry(p0);
        settledAtExpiry = true;
      }
      // Funding settled inside the bar, at the previous close.
      while (si < nf && fBar[si] === i && fClose[si] === 0) this.pay(fRate[si++] as number, p0);
      // The bar's range: liquidation and stop-loss.
      let closedInBar = false;
      if (leg.size !== 0) {
        const short = leg.size < 0;
        const extreme = hasRange ? ((short ? high : low)![i] as number) : p1;
        const worst = short ? Math.max(p0, extreme, p1) : Math.min(p0, extreme, p1);
        const sp =
          stopLoss === null
            ? null
            : short
              ? leg.entry * (1 + stopLoss)
              : leg.entry * (1 - stopLoss);
        const stopHit = sp !== null && (short ? worst >= sp : worst <= sp);
        // Breached at the previous close only if the leg changed since that close was checked;
        // at the extreme: margin balance ≤ maintenance (hedge-leg.ts isBreached).
        if (this.changed && breachedAt(this.table, leg, p0)) {
          this.liquidate(p0, p0);
          closedInBar = true;
        } else if (balanceAt(leg, worst) <= this.maintenance(worst)) {
          // not breached at P0, breached at the extreme: the liquidation price lies between
          const at = legLiquidationPrice(this.table, leg, p0) ?? worst;
          const stopFirst = hasRange && stopHit && sp !== null && (short ? sp <= at : sp >= at);
          if (stopFirst) this.stop(p0, short ? Math.max(sp, p0) : Math.min(sp, p0));
          else this.liquidate(p0, at);
          closedInBar = true;
        } else if (stopHit && sp !== null) {
          const beyond = short ? p0 >= sp : p0 <= sp;
          this.stop(p0, beyond ? p0 : hasRange ? sp : p1);
          closedInBar = true;
        }
      }
      this.changed = false;
      // Mark to the close.
      if (!closedInBar && leg.size !== 0) T.hedgePnl += this.segment(p0, p1);
      // Funding settled on this close, to the position held before the close's trade; if it
      // pushes the margin under maintenance, the leg is liquidated at the close.
      if (si < nf && fBar[si] === i) {
        while (si < nf && fBar[si] === i) this.pay(fRate[si++] as number, p1);
        if (breachedAt(this.table, leg, p1)) this.liquidate(p1, p1);
      }
      // Expiry on this close, and rolls.
      if (expiry !== null && this.state !== 'expired') {
        if (this.expiry === time) {
          expiredNow = this.settleExpiry(p1);
          settledAtExpiry = true;
        }
        if (settledAtExpiry) {
          if (s.roll) this.roll(p1, expiredNow);
          else this.state = 'expired';
        } else if (s.roll && time >= rollTime(this.expiry as number, s.roll.days))
          this.roll(p1, this.q);
      } else if (settledAtExpiry) this.state = 'expired';

      // The book as it stands at the close, before the trade.
      const size = leg.size;
      const bal = balanceAt(leg, p1);
      const beta =
        ((dollarBeta[i] as number) +
          (bfArray === null ? bfConstant : (bfArray[i] as number)) *
            ((inv ? size : size * p1) + (inv ? bal * p1 : 0))) /
        (value[i] as number);
      if (beta === beta) {
        te += (beta - bt) * (beta - bt);
        teCount++;
      }
      if (path) {
        const k = i - from;
        path.beta[k] = beta;
        // Binance's margin ratio maintenance / balance (liquidated at ≥ 1)
        path.marginRatio[k] = size === 0 ? NaN : bal > 0 ? this.maintenance(p1) / bal : Infinity;
      }
      if (decisions[i] === 1) {
        const r = this.decide(i, p1, beta);
        if (r) return r;
      }
      if (path) this.recordAfter(i - from, i, p1);
    }

    return ok({
      collateral: this.collateral,
      totals: T,
      trackingError: teCount > 0 ? Math.sqrt(te / teCount) : 0,
      path,
      trades: this.trades,
      events: this.events,
    });
  }
}

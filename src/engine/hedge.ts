/** Hedge sizing, margin and liquidation of the hedge leg. Pure; see docs/math.md
 *  ("Hedge sizing", "Margin and liquidation"). Money is USD unless a name says coin. */
import { type Instrument, type Settlement, contractValueUsd, isExpired } from './instrument';
import { isolatedLiquidation, marginTable } from './margin';
import { type Problem, type Result, fail, failWith, ok } from './result';

export type Side = 'short' | 'long' | 'none';

/** The numeric fields of HedgeResult (src/results/hedge.ts) plus a few the notebook may show. */
export interface HedgeSizing {
  /** Exact signed USD notional that reaches the target before rounding (negative = short).
   *  Linear: (β_T − β_P)·V / β_F. Inverse: solved with the coin collateral counted (see sizeHedge). */
  notional: number;
  side: Side;
  /** Unsigned number of contracts, a multiple of the lot step; `side` gives the direction. */
  contracts: number;
  /** Signed contracts (negative = short). */
  signedContracts: number;
  /** Signed USD notional of the rounded position at `price`. */
  contractNotional: number;
  /** Portfolio beta after the rounded hedge and its collateral: (β_P·V + β_F·C + collateralExposure) / V. */
  betaAfter: number;
  /** betaAfter − targetBeta. */
  residualBeta: number;
  /** Largest change of betaAfter from one lot: |β_F| · lotNotional · k / V with k = 1 (linear)
   *  or 1 + 1/L (inverse, the lot's collateral counted). |residualBeta| ≤ lotBeta / 2. */
  lotBeta: number;
  /** USD margin posted: |contractNotional| / leverage. */
  initialMargin: number;
  /** Inverse only: the margin in coin (initialMargin / price); null for linear. */
  initialMarginCoin: number | null;
  /** Maintenance margin rate that sets the liquidation: the single rate, or the rate of the
   *  bracket at the liquidation price (Binance rule) or at entry (Bybit rule). */
  maintenanceMarginRate: number;
  /** That bracket's maintenance amount (Binance cum / Bybit deduction), margin currency (USD(T)
   *  linear, coin inverse); 0 for a single rate. */
  maintenanceAmount: number;
  /** The bracket used, when the instrument has a table: its name, 1-based number, the
   *  bracket's maximum leverage; null for a single rate. */
  bracket: { table: string; number: number; maxLeverage: number | null } | null;
  /** Mark price that liquidates the isolated hedge leg; null when there is none (no position, or
   *  the position cannot be liquidated, e.g. an inverse short at ≤ 1× leverage). */
  liquidationPrice: number | null;
  /** Signed % move from `price` to the liquidation price: (LP / price − 1) · 100. */
  liquidationMovePct: number | null;
  /** Beta-weighted USD of the coin collateral (inverse: β_F · initialMargin), else 0. */
  collateralExposure: number;
  /** USD moved per unit simple return of the underlying, per USD of portfolio:
   *  (contractNotional + coin collateral USD) / V; for hedgedReturns (effectiveness.ts). */
  hedgeRatio: number;
}

export interface HedgeInput {
  /** V, USD, > 0. */
  portfolioValue: number;
  /** β_P, e.g. Σ w_i β_i. */
  portfolioBeta: number;
  /** β_T, e.g. 0 (neutral) or 0.5 (keep half the upside). */
  targetBeta: number;
  instrument: Instrument;
  /** β_F: 1 for the benchmark's own futures, estimated otherwise; never 0. */
  instrumentBeta: number;
  /** Current price of the instrument (entry price of the hedge), USD per coin. */
  price: number;
  /** Isolated-margin leverage of the hedge leg, > 0 and < 1 / maintenanceMarginRate. */
  leverage: number;
  /** Binance "maintenance amount" (cum) of the position's bracket; 0 for the first bracket. */
  maintenanceAmount?: number;
  /** Time of the sizing (epoch ms): a dated future must not have expired by then. */
  asOf?: number;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The name of the first quantity that is not a finite number, or null: contract counts and
 *  notionals past double precision (a contract size of 1e-320) fail instead of showing "—". */
export function firstNonFinite(values: Readonly<Record<string, number>>): string | null {
  for (const [name, x] of Object.entries(values)) if (!Number.isFinite(x)) return name;
  return null;
}

/** Rounds half away from zero (so +2.5 → 3 and −2.5 → −3: the rule is symmetric for shorts). */
function roundNearest(x: number): number {
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return r === 0 ? 0 : r; // no −0
}

/** Signed notional N solving β_F · (N + collateral(N)) = gap, where the coin collateral of an
 *  inverse contract is |N| / leverage and is itself long the coin (β_F):
 *    linear (collateral in USD(T), beta 0):  N = gap / β_F
 *    inverse, gap/β_F ≥ 0 (long):            N = gap / (β_F · (1 + 1/L))
 *    inverse, gap/β_F < 0 (short):           N = gap / (β_F · (1 − 1/L)), needs L > 1
 *  (a 1× short inverse position plus its coin collateral is a synthetic dollar: beta 0).
 *  With `leverage` null the collateral is not counted (N = gap / β_F). O(1). Path-free problems
 *  are located by the caller. */
export function solveNotional(
  gapDollarBeta: number,
  instrumentBeta: number,
  settlement: Settlement,
  leverage: number | null,
): Result<number> {
  const g = gapDollarBeta / instrumentBeta;
  if (settlement === 'linear' || leverage === null || g === 0) return ok(g === 0 ? 0 : g);
  if (g > 0) return ok(g / (1 + 1 / leverage));
  if (!(leverage > 1)) return fail('inverse_short_needs_leverage', ['leverage'], { leverage });
  return ok(g / (1 - 1 / leverage));
}

/** Rounds a signed USD notional to signed whole lots of the instrument at `price`:
 *  contracts = round_nearest(N / (contractValue · lotStep)) · lotStep, with contractValue =
 *  price · contractSize (linear) or contractSize USD (inverse). Ties round away from zero. O(1). */
export function roundToLots(
  notional: number,
  instrument: Instrument,
  price: number,
): { signedContracts: number; contractNotional: number; lotNotional: number } {
  const cv = contractValueUsd(instrument, price);
  const lots = roundNearest(notional / (cv * instrument.lotStep));
  // toPrecision removes binary noise such as 3 · 0.1 = 0.30000000000000004.
  const step = instrument.lotStep;
  const signedContracts =
    lots === 0
      ? 0
      : Number.isInteger(step) // whole lots of whole contracts: exact, no noise to remove
        ? lots * step
        : Number((lots * step).toPrecision(12));
  return {
    signedContracts,
    contractNotional: signedContracts * cv,
    lotNotional: instrument.lotStep * cv,
  };
}

export interface LiquidationInput {
  settlement: Settlement;
  side: 'long' | 'short';
  /** Position size: linear in coin (contracts · contractSize); inverse in USD (contracts · contract value). */
  quantity: number;
  entryPrice: number;
  /** Isolated wallet balance of the position: USD(T) for linear, coin for inverse. */
  walletBalance: number;
  maintenanceMarginRate: number;
  /** Binance maintenance amount (cum) of the position's bracket; default 0 (first bracket). */
  maintenanceAmount?: number;
}

/** Liquidation price of one isolated position, Binance's published formulas in one-way mode
 *  with isolated margin (TMM = 0, UPNL = 0, hedge-mode terms 0):
 *  - USDⓈ-M (linear), Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures
 *    Contracts" (published 2020-08-14, formula as shown in 2025):
 *      LP = (WB + cum − side·Q·EP) / (Q·MMR − side·Q)
 *  - COIN-M (inverse), Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures
 *    Contracts" (published 2021-02-05):
 *      LP = (Q·MMR + side·Q) / (WB + cum + side·Q / EP)       (Q in USD, WB and cum in coin)
 *  side = +1 long, −1 short. Both say: the margin balance WB + P&L equals the maintenance
 *  margin MMR·notional − cum at the mark price LP.
 *  Simplifications: one maintenance bracket (rate and amount of the position's bracket at
 *  entry; Binance recomputes with the bracket at the liquidation price), mark = entry price,
 *  no fees, no funding accrued, no added margin.
 *  Returns ok(null) when no positive price liquidates the position (e.g. a 1× linear long or
 *  an inverse short with collateral ≥ its notional: Binance shows "--"). Fails with
 *  liquidated_at_entry when the margin is already at or below maintenance (leverage too high),
 *  and invalid_* problems for non-positive or non-finite inputs. O(1).
 *  @example liquidationPrice({ settlement: 'linear', side: 'short', quantity: 1, entryPrice: 50000,
 *    walletBalance: 10000, maintenanceMarginRate: 0.004 }) // => ok(60000 / 1.004 ≈ 59760.96) */
export function liquidationPrice(input: LiquidationInput): Result<number | null> {
  const { settlement, quantity: q, entryPrice: ep, walletBalance: wb } = input;
  const mmr = input.maintenanceMarginRate;
  const cum = input.maintenanceAmount ?? 0;
  const problems: Problem[] = [];
  if (!finite(q) || q <= 0)
    problems.push({ code: 'invalid_quantity', path: ['quantity'], params: { value: q } });
  if (!finite(ep) || ep <= 0)
    problems.push({ code: 'invalid_price', path: ['price'], params: { value: ep } });
  if (!finite(wb) || wb < 0)
    problems.push({ code: 'invalid_margin', path: ['walletBalance'], params: { value: wb } });
  if (!finite(mmr) || mmr < 0 || mmr >= 1)
    problems.push({
      code: 'invalid_maintenance_margin_rate',
      path: ['maintenanceMarginRate'],
      params: { value: String(mmr) },
    });
  if (!finite(cum) || cum < 0)
    problems.push({
      code: 'invalid_maintenance_amount',
      path: ['maintenanceAmount'],
      params: { value: String(cum) },
    });
  if (problems.length > 0) return failWith(problems);
  const s = input.side === 'long' ? 1 : -1;
  // Margin balance at entry vs maintenance margin at entry, in the margin currency.
  const maintenanceAtEntry = settlement === 'linear' ? q * ep * mmr - cum : (q / ep) * mmr - cum;
  if (wb <= maintenanceAtEntry)
    return fail('liquidated_at_entry', ['leverage'], {
      margin: wb,
      maintenance: maintenanceAtEntry,
    });
  let lp: number;
  if (settlement === 'linear') {
    lp = (wb + cum - s * q * ep) / (q * mmr - s * q); // denominator ≠ 0 since mmr < 1
  } else {
    const den = wb + cum + (s * q) / ep; // 0 for a 1× short: never liquidated
    if (den === 0) return ok(null);
    lp = (q * mmr + s * q) / den;
  }
  return ok(finite(lp) && lp > 0 ? lp : null);
}

/** Sizes the futures hedge that moves a portfolio's beta from β_P to β_T.
 *  Formula (DESIGN.md; Hull, "Options, Futures and Other Derivatives", ch. 3, beta hedging with
 *  index futures): N = (β_T − β_P)·V / β_F, negative = short. Inverse (coin-margined) contracts
 *  post their margin in the coin, and that coin is itself long exposure (β_F, taking the
 *  collateral coin's beta as the instrument's): the notional is solved so that the hedge plus its
 *  collateral reach the target (solveNotional), assuming the collateral is coin held in addition
 *  to the portfolio V. Contracts: linear N / (price · contractSize), inverse N / contractValueUsd,
 *  rounded to the nearest lot (ties away from zero). After rounding:
 *    initialMargin = |C| / L (USD; inverse also in coin: / price),
 *    collateralExposure = β_F · initialMargin (inverse) or 0 (linear, USD(T) collateral),
 *    betaAfter = (β_P·V + β_F·C + collateralExposure) / V, residualBeta = betaAfter − β_T,
 *  where C is the signed USD notional of the rounded position. |residualBeta| ≤ lotBeta / 2.
 *  Liquidation price of the isolated hedge leg: isolatedLiquidation() (margin.ts) with WB = the
 *  initial margin and the instrument's bracket table (or its single rate; then it equals
 *  liquidationPrice() below).
 *  Problems (path = input field): invalid_portfolio_value, invalid_beta, zero_instrument_beta,
 *  invalid_price, invalid_leverage, leverage_too_high (≥ 1 / MMR: liquidated on entry),
 *  inverse_short_needs_leverage, future_expired (with asOf ≥ expiry); warning
 *  hedge_rounds_to_zero. O(1).
 *  @example sizeHedge({ portfolioValue: 100000, portfolioBeta: 1.2, targetBeta: 0, instrumentBeta: 1,
 *    price: 50000, leverage: 5, instrument: BTCUSDT-PERP with contractSize 0.001 })
 *    // => notional −120000, side 'short', contracts 2400, betaAfter 0 */
export function sizeHedge(input: HedgeInput): Result<HedgeSizing> {
  const {
    portfolioValue: v,
    portfolioBeta: bp,
    targetBeta: bt,
    instrument,
    instrumentBeta: bf,
  } = input;
  const { price, leverage } = input;
  const mmr = instrument.maintenanceMarginRate;
  const problems: Problem[] = [];
  if (!finite(v) || v <= 0)
    problems.push({
      code: 'invalid_portfolio_value',
      path: ['portfolioValue'],
      params: { value: String(v) },
    });
  for (const [field, b] of [
    ['portfolioBeta', bp],
    ['targetBeta', bt],
    ['instrumentBeta', bf],
  ] as const)
    if (!finite(b))
      problems.push({ code: 'invalid_beta', path: [field], params: { value: String(b) } });
  if (finite(bf) && Math.abs(bf) < 1e-12)
    problems.push({
      code: 'zero_instrument_beta',
      path: ['instrumentBeta'],
      params: { instrument: instrument.name },
    });
  if (!finite(price) || price <= 0)
    problems.push({ code: 'invalid_price', path: ['price'], params: { value: String(price) } });
  if (!finite(leverage) || leverage <= 0)
    problems.push({
      code: 'invalid_leverage',
      path: ['leverage'],
      params: { value: String(leverage) },
    });
  else if (leverage * mmr >= 1)
    problems.push({
      code: 'leverage_too_high',
      path: ['leverage'],
      params: { leverage, max: 1 / mmr, maintenanceMarginRate: mmr },
    });
  if (input.asOf !== undefined && isExpired(instrument, input.asOf))
    problems.push({
      code: 'future_expired',
      path: ['instrument'],
      params: { instrument: instrument.name, expiry: instrument.expiry ?? 0, asOf: input.asOf },
    });
  if (problems.length > 0) return failWith(problems);

  const solved = solveNotional((bt - bp) * v, bf, instrument.settlement, leverage);
  if (!solved.ok) return solved;
  const notional = solved.value;
  const { signedContracts, contractNotional, lotNotional } = roundToLots(
    notional,
    instrument,
    price,
  );
  const side: Side = signedContracts > 0 ? 'long' : signedContracts < 0 ? 'short' : 'none';
  const initialMargin = Math.abs(contractNotional) / leverage;
  const inverse = instrument.settlement === 'inverse';
  const collateralExposure = inverse ? bf * initialMargin : 0;
  const betaAfter = (bp * v + bf * contractNotional + collateralExposure) / v;
  const overflow = firstNonFinite({
    notional,
    'number of contracts': signedContracts,
    "contracts' notional": contractNotional,
    'beta after the hedge': betaAfter,
  });
  if (overflow !== null)
    return fail('hedge_out_of_range', ['instrument'], {
      instrument: instrument.name,
      what: overflow,
    });

  let lp: number | null = null;
  const table = marginTable(instrument, input.maintenanceAmount ?? 0);
  let rate = mmr;
  let amount = input.maintenanceAmount ?? 0;
  let bracket: HedgeSizing['bracket'] = null;
  const liqWarnings: Problem[] = [];
  if (side !== 'none') {
    const liq = isolatedLiquidation(
      {
        settlement: instrument.settlement,
        side,
        quantity: inverse
          ? Math.abs(contractNotional)
          : Math.abs(signedContracts) * instrument.contractSize,
        entryPrice: price,
        walletBalance: inverse ? initialMargin / price : initialMargin,
      },
      table,
      { leverage },
    );
    if (!liq.ok) return liq;
    lp = liq.value.price;
    rate = liq.value.rate;
    amount = liq.value.amount;
    liqWarnings.push(...liq.warnings);
    if (instrument.brackets)
      bracket = {
        table: instrument.brackets.name,
        number: liq.value.bracket + 1,
        maxLeverage: instrument.brackets.brackets[liq.value.bracket]?.maxLeverage ?? null,
      };
  }
  const warnings: Problem[] =
    side === 'none' && notional !== 0
      ? [
          {
            code: 'hedge_rounds_to_zero',
            path: ['instrument'],
            params: { notional, lotNotional, instrument: instrument.name },
          },
        ]
      : liqWarnings;
  return ok(
    {
      notional,
      side,
      contracts: Math.abs(signedContracts),
      signedContracts,
      contractNotional,
      betaAfter,
      residualBeta: betaAfter - bt,
      lotBeta: Math.abs((bf * lotNotional * (inverse ? 1 + 1 / leverage : 1)) / v),
      initialMargin,
      initialMarginCoin: inverse ? initialMargin / price : null,
      maintenanceMarginRate: rate,
      maintenanceAmount: amount,
      bracket,
      liquidationPrice: lp,
      liquidationMovePct: lp === null ? null : (lp / price - 1) * 100,
      collateralExposure,
      hedgeRatio: (contractNotional + (inverse ? initialMargin : 0)) / v,
    },
    warnings,
  );
}

/** Profit and loss of a futures position from `entryPrice` to `exitPrice`, in its margin
 *  currency: linear (USDⓈ-M) Q · (exit − entry) in USD(T) with Q signed coin; inverse (COIN-M)
 *  S · (1/entry − 1/exit) in coin with S signed USD (contracts · contract value). Positive = gain.
 *  Fees and funding not included. O(1).
 *  @example positionPnl('inverse', -10000, 50000, 40000) // => +0.05 BTC (a short gains in coin) */
export function positionPnl(
  settlement: Settlement,
  signedQuantity: number,
  entryPrice: number,
  exitPrice: number,
): number {
  return settlement === 'linear'
    ? signedQuantity * (exitPrice - entryPrice)
    : signedQuantity * (1 / entryPrice - 1 / exitPrice);
}

/** One row of the exposure chart: beta-weighted USD before and after the hedge. */
export interface ExposureRow {
  label: string;
  before: number;
  after: number;
}

/** Beta-weighted USD exposure per holding (value_i · β_i, unchanged by the hedge), the hedge
 *  leg (0 before, β_F · C after) and, for inverse contracts, the coin collateral (0 before,
 *  collateralExposure after). Σ after = betaAfter · V. The benchmark asset's beta is 1 unless
 *  given (as in portfolioBeta). Holdings without a beta are left out (portfolioBeta reports
 *  them). O(n).
 *  @example hedgeExposures([{ asset: 'BTC', value: 100000 }], {}, h, 'BTCUSDT-PERP', 1, 'BTC')
 *    // => [{ BTC, 100000, 100000 }, { BTCUSDT-PERP, 0, −100000 }] for a hedge to beta 0 */
export function hedgeExposures(
  positions: readonly { asset: string; value: number }[],
  betas: Readonly<Record<string, number>>,
  hedge: Pick<HedgeSizing, 'contractNotional' | 'collateralExposure'>,
  instrumentName: string,
  instrumentBeta: number,
  benchmark?: string,
): ExposureRow[] {
  const rows: ExposureRow[] = [];
  for (const p of positions) {
    const b = Object.prototype.hasOwnProperty.call(betas, p.asset)
      ? betas[p.asset]
      : p.asset === benchmark
        ? 1
        : undefined;
    if (b === undefined || !Number.isFinite(b)) continue;
    rows.push({ label: p.asset, before: p.value * b, after: p.value * b });
  }
  rows.push({ label: instrumentName, before: 0, after: instrumentBeta * hedge.contractNotional });
  if (hedge.collateralExposure !== 0)
    rows.push({
      label: `${instrumentName} collateral`,
      before: 0,
      after: hedge.collateralExposure,
    });
  return rows;
}

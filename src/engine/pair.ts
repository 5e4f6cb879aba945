/** Beta-neutral pair trades: long A / short B, the residual beta hedged with the benchmark's
 *  futures. Pure; see docs/math.md ("Pair trades"). */
import { type Side, firstNonFinite, roundToLots, solveNotional } from './hedge';
import { type Instrument, contractValueUsd } from './instrument';
import { isolatedLiquidation, marginTable } from './margin';
import { type Problem, type Result, fail, failWith, ok } from './result';

export interface PairLegInput {
  asset: string;
  /** Unsigned USD size of the leg, > 0. */
  usd: number;
  beta: number;
}

export interface PairInput {
  long: PairLegInput;
  short: PairLegInput;
  /** Futures used to neutralise the residual dollar beta; omit for the legs only. */
  instrument?: Instrument;
  /** β_F of the instrument; required with `instrument`, never 0. */
  instrumentBeta?: number;
  /** Instrument price; required for linear instruments (contract value = price · size). */
  price?: number;
  /** Leverage of the hedge leg: with an inverse instrument the coin collateral (|N| / L, long the
   *  coin) is counted; without it the collateral is not counted (warning collateral_not_counted). */
  leverage?: number;
}

export interface PairLeg extends PairLegInput {
  /** Signed: +V_A β_A for the long leg, −V_B β_B for the short leg. */
  dollarBeta: number;
}

export interface PairHedge {
  side: Side;
  contracts: number;
  signedContracts: number;
  /** Exact signed USD notional: −dollarBeta / β_F (inverse with leverage: collateral counted). */
  notional: number;
  /** Signed USD notional of the rounded position. */
  contractNotional: number;
  /** Beta-weighted USD of the coin collateral (inverse with leverage), else 0. */
  collateralExposure: number;
  /** dollarBeta + β_F · contractNotional + collateralExposure: the residual after rounding. */
  dollarBetaAfter: number;
  /** Largest change of dollarBetaAfter from one lot; |dollarBetaAfter| ≤ lotDollarBeta / 2. */
  lotDollarBeta: number;
  /** With a leverage and a price: the isolated hedge leg's margin |C| / L (USD), the mark
   *  price that liquidates it (isolatedLiquidation, with the instrument's brackets or single
   *  rate; null when none does), the signed % move to it (LP / price − 1) · 100, the
   *  maintenance rate that sets it and the bracket used (null for a single rate). All null
   *  without a leverage or when no contracts are traded. */
  margin: {
    initialMargin: number;
    liquidationPrice: number | null;
    liquidationMovePct: number | null;
    maintenanceMarginRate: number;
    bracket: { table: string; number: number; maxLeverage: number | null } | null;
  } | null;
}

export interface PairSizing {
  long: PairLeg;
  short: PairLeg;
  /** V_A β_A − V_B β_B: USD of benchmark exposure the pair still carries. */
  dollarBeta: number;
  instrument: string | null;
  hedge: PairHedge | null;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Dollar beta of a long A / short B pair and the futures hedge that makes it beta-neutral.
 *  Formulas: dollar beta D = V_A β_A − V_B β_B; hedge notional N = −D / β_F (negative = short),
 *  in contracts as in sizeHedge (linear N / (price · contractSize), inverse N / contract value),
 *  rounded to the nearest lot (ties away from zero); residual D_after = D + β_F · C (+ the coin
 *  collateral's β_F · |C| / L for inverse contracts when a leverage is given), with C the rounded
 *  signed notional. The legs' own sizing (equal USD or beta-neutral legs) is the caller's choice.
 *  Problems (path into the input): invalid_leg_size at [leg, 'usd'], invalid_beta at [leg, 'beta']
 *  or ['instrumentBeta'], missing_instrument_beta, zero_instrument_beta, missing_price, invalid_price,
 *  invalid_leverage, inverse_short_needs_leverage, liquidated_at_entry; warnings
 *  hedge_rounds_to_zero, collateral_not_counted, leverage_above_bracket_max,
 *  notional_above_brackets. With a leverage and a price the hedge leg's margin and liquidation
 *  price are given (isolated, the instrument's brackets or single rate). O(brackets).
 *  @example pairHedge({ long: { asset: 'SOL', usd: 10000, beta: 1.5 },
 *    short: { asset: 'ETH', usd: 10000, beta: 1.1 } }).value.dollarBeta // => 4000 */
export function pairHedge(input: PairInput): Result<PairSizing> {
  const problems: Problem[] = [];
  for (const leg of ['long', 'short'] as const) {
    const l = input[leg];
    if (!finite(l.usd) || l.usd <= 0)
      problems.push({
        code: 'invalid_leg_size',
        path: [leg, 'usd'],
        params: { asset: l.asset, value: String(l.usd) },
      });
    if (!finite(l.beta))
      problems.push({
        code: 'invalid_beta',
        path: [leg, 'beta'],
        params: { asset: l.asset, value: String(l.beta) },
      });
  }
  const { instrument, instrumentBeta: bf, price, leverage } = input;
  if (instrument !== undefined) {
    if (bf === undefined)
      problems.push({
        code: 'missing_instrument_beta',
        path: ['instrumentBeta'],
        params: { instrument: instrument.name },
      });
    else if (!finite(bf))
      problems.push({
        code: 'invalid_beta',
        path: ['instrumentBeta'],
        params: { value: String(bf) },
      });
    else if (Math.abs(bf) < 1e-12)
      problems.push({
        code: 'zero_instrument_beta',
        path: ['instrumentBeta'],
        params: { instrument: instrument.name },
      });
    if (instrument.settlement === 'linear' && price === undefined)
      problems.push({
        code: 'missing_price',
        path: ['price'],
        params: { instrument: instrument.name },
      });
    else if (instrument.settlement === 'linear' && (!finite(price) || price <= 0))
      problems.push({ code: 'invalid_price', path: ['price'], params: { value: String(price) } });
    if (leverage !== undefined && (!finite(leverage) || leverage <= 0))
      problems.push({
        code: 'invalid_leverage',
        path: ['leverage'],
        params: { value: String(leverage) },
      });
  }
  if (problems.length > 0) return failWith(problems);

  const long: PairLeg = { ...input.long, dollarBeta: input.long.usd * input.long.beta };
  const short: PairLeg = { ...input.short, dollarBeta: -input.short.usd * input.short.beta };
  const dollarBeta = long.dollarBeta + short.dollarBeta;
  if (instrument === undefined || bf === undefined)
    return ok({ long, short, dollarBeta, instrument: null, hedge: null });

  const warnings: Problem[] = [];
  const inverse = instrument.settlement === 'inverse';
  const counted = inverse && leverage !== undefined ? leverage : null;
  if (inverse && counted === null)
    warnings.push({
      code: 'collateral_not_counted',
      path: ['leverage'],
      params: { instrument: instrument.name },
    });
  const solved = solveNotional(-dollarBeta, bf, instrument.settlement, counted);
  if (!solved.ok) return solved;
  const notional = solved.value;
  const px = price ?? 0; // unused by inverse contracts
  const { signedContracts, contractNotional, lotNotional } = roundToLots(notional, instrument, px);
  const collateralExposure = counted === null ? 0 : (bf * Math.abs(contractNotional)) / counted;
  const overflow = firstNonFinite({
    notional,
    'number of contracts': signedContracts,
    "contracts' notional": contractNotional,
    'dollar beta': dollarBeta,
  });
  if (overflow !== null)
    return fail('hedge_out_of_range', ['instrument'], {
      instrument: instrument.name,
      what: overflow,
    });
  const side: Side = signedContracts > 0 ? 'long' : signedContracts < 0 ? 'short' : 'none';
  if (side === 'none' && notional !== 0)
    warnings.push({
      code: 'hedge_rounds_to_zero',
      path: ['instrument'],
      params: {
        notional,
        lotNotional: instrument.lotStep * contractValueUsd(instrument, px),
        instrument: instrument.name,
      },
    });
  let margin: PairHedge['margin'] = null;
  if (leverage !== undefined && side !== 'none' && price !== undefined) {
    const initialMargin = Math.abs(contractNotional) / leverage;
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
      marginTable(instrument),
      { leverage },
    );
    if (!liq.ok) return liq;
    warnings.push(...liq.warnings);
    const lp = liq.value.price;
    margin = {
      initialMargin,
      liquidationPrice: lp,
      liquidationMovePct: lp === null ? null : (lp / price - 1) * 100,
      maintenanceMarginRate: liq.value.rate,
      bracket: instrument.brackets
        ? {
            table: instrument.brackets.name,
            number: liq.value.bracket + 1,
            maxLeverage: instrument.brackets.brackets[liq.value.bracket]?.maxLeverage ?? null,
          }
        : null,
    };
  }
  return ok(
    {
      long,
      short,
      dollarBeta,
      instrument: instrument.name,
      hedge: {
        side,
        contracts: Math.abs(signedContracts),
        signedContracts,
        notional,
        contractNotional,
        collateralExposure,
        dollarBetaAfter: dollarBeta + bf * contractNotional + collateralExposure,
        lotDollarBeta: Math.abs(bf * lotNotional * (counted === null ? 1 : 1 + 1 / counted)),
        margin,
      },
    },
    warnings,
  );
}

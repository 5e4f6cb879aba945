/** Wording for the problems of portfolios, instruments, hedge sizing, margin, pairs and hedge
 *  effectiveness (portfolio.ts, instrument.ts, hedge.ts, pair.ts, effectiveness.ts).
 *  describeProblem (messages.ts) uses this table, so words are still made in one place. */
import { isoTime } from './stats-messages';

type Params = Readonly<Record<string, string | number | boolean>>;
type Wording = (p: Params) => string;

/** Numbers for people: up to 6 significant digits, no exponent for ordinary sizes. */
function num(x: string | number | boolean | undefined): string {
  if (typeof x !== 'number') return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e12)) return x.toExponential(3);
  return Number(x.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
/** '$1,234.5', '-$1.81' (the sign before the dollar, as the tables write it). */
const usd = (x: string | number | boolean | undefined) =>
  typeof x === 'number'
    ? `${x < 0 && Math.round(-x * 100) > 0 ? '-' : ''}$${num(Math.round(Math.abs(x) * 100) / 100)}`
    : String(x);

export const hedgeMessages: Readonly<Record<string, Wording>> = {
  empty_portfolio: () => 'The portfolio has no holdings with a value: add at least one holding.',
  unknown_asset: (p) =>
    `No prices for ${p.asset}: add it to the price data or remove the holding (prices known: ${p.known || 'none'}).`,
  invalid_price: (p) =>
    p.asset !== undefined
      ? `The price of ${p.asset} is ${p.value}: prices must be positive numbers.`
      : `The price is ${p.value}: it must be a positive number.`,
  invalid_amount: (p) => `The ${p.kind} of ${p.asset} is ${p.value}: write a number.`,
  negative_holding: (p) =>
    `The ${p.kind} of ${p.asset} is ${num(p.value)}: holdings must be positive (express shorts as a pair or a hedge).`,
  zero_holding: (p) => `${p.asset} has ${p.kind} 0: it is kept with no value.`,
  value_out_of_range: (p) =>
    `The value of ${p.asset} is beyond what double precision holds: check the amount and its units.`,
  hedge_out_of_range: (p) =>
    `${p.instrument} cannot size this hedge: the ${p.what} is beyond what double precision holds; check the contract size, the lot step and the amounts.`,
  duplicate_holding: (p) => `${p.asset} is listed twice: merge the two holdings into one.`,
  weights_need_total: (p) =>
    `${p.asset} is given as a weight (${num(p.weight)}), so the portfolio needs a total in USD to size it.`,
  invalid_total: (p) => `The portfolio total is ${p.value}: it must be a positive USD amount.`,
  holdings_exceed_total: (p) =>
    `The holdings add up to ${usd(p.invested)}, more than the portfolio total of ${usd(p.total)}: weights sum above 100%?`,
  uninvested_cash: (p) =>
    `${usd(p.cash)} of the ${usd(p.total)} total is not allocated to any holding; it is counted as cash with beta 0.`,
  missing_beta: (p) => `There is no beta for ${p.asset}: estimate it against the benchmark first.`,
  invalid_beta: (p) =>
    p.asset !== undefined
      ? `The beta of ${p.asset} is ${p.value}: it must be a finite number.`
      : `The beta is ${p.value}: it must be a finite number.`,
  no_prices: () => 'There are no aligned prices to value the portfolio with.',
  invalid_time: (p) => `The valuation time ${p.value} is not a valid time.`,
  time_before_data: (p) =>
    `The valuation time ${isoTime(p.time)} is before the first price (${isoTime(p.first)}).`,
  invalid_instrument_name: () => 'The instrument needs a name, e.g. BTCUSDT-PERP.',
  invalid_instrument_type: (p) => `The instrument type is ${p.value}: use perpetual or future.`,
  invalid_settlement: (p) =>
    `The settlement is ${p.value}: use linear (USD(T)-margined) or inverse (coin-margined).`,
  invalid_underlying: () => 'The instrument needs an underlying coin, e.g. BTC.',
  invalid_contract_size: (p) =>
    `The contract size is ${p.value}: it must be positive (coin per contract for linear, USD per contract for inverse).`,
  invalid_lot_step: (p) => `The lot step is ${p.value}: it must be a positive number of contracts.`,
  missing_expiry: (p) => `${p.name} is a dated future: give its expiry date.`,
  perpetual_with_expiry: (p) =>
    `${p.name} is a perpetual and has no expiry: remove the expiry or make it a future.`,
  invalid_expiry: (p) => `The expiry ${p.value} is not a valid date.`,
  invalid_maintenance_margin_rate: (p) =>
    `The maintenance margin rate is ${p.value}: it must be a fraction between 0 and 1 (0.004 = 0.4%).`,
  invalid_maintenance_amount: (p) =>
    `The maintenance amount is ${p.value}: it must be zero or positive.`,
  invalid_portfolio_value: (p) =>
    `The portfolio value is ${p.value}: a hedge needs a positive portfolio value.`,
  zero_instrument_beta: (p) =>
    `${p.instrument} has a beta of 0 to the benchmark, so no amount of it changes the portfolio beta.`,
  invalid_leverage: (p) => `The leverage is ${p.value}: it must be a positive number.`,
  leverage_too_high: (p) =>
    `Leverage ${num(p.leverage)}× is too high for a maintenance margin rate of ${num(Number(p.maintenanceMarginRate) * 100)}%: the position would be liquidated at once (use less than ${num(p.max)}×).`,
  inverse_short_needs_leverage: (p) =>
    `A coin-margined short at ${num(p.leverage)}× leverage is offset by its own coin collateral and cannot lower the beta: use leverage above 1 or a linear (USD-margined) contract.`,
  future_expired: (p) =>
    `${p.instrument} expired at ${isoTime(p.expiry)}, not after the valuation time ${isoTime(p.asOf)}: roll to the next expiry or use a perpetual.`,
  hedge_rounds_to_zero: (p) =>
    `The hedge needs ${usd(p.notional)} of ${p.instrument}, less than half a lot (${usd(p.lotNotional)}): no contracts are traded.`,
  missing_price: (p) =>
    `A price for ${p.instrument} is needed to count its contracts (one contract is price × contract size).`,
  invalid_quantity: (p) => `The position size is ${p.value}: it must be positive.`,
  invalid_margin: (p) => `The margin is ${p.value}: it must be zero or positive.`,
  liquidated_at_entry: (p) =>
    `The margin (${num(p.margin)}) does not cover the maintenance margin (${num(p.maintenance)}): the position would be liquidated at once; lower the leverage.`,
  invalid_leg_size: (p) => `The ${p.asset} leg is ${p.value} USD: it must be a positive amount.`,
  missing_instrument_beta: (p) =>
    `The beta of ${p.instrument} to the benchmark is needed to size the hedge.`,
  collateral_not_counted: (p) =>
    `${p.instrument} is coin-margined but no leverage is given, so the coin collateral's own exposure is not counted.`,
  length_mismatch: (p) =>
    `The hedged and unhedged series have different lengths (${num(p.hedged)} and ${num(p.unhedged)}).`,
  too_few_points: (p) => `Only ${num(p.n)} points: at least ${num(p.min)} are needed.`,
  non_finite: (p) => `The value ${p.value} is not a finite number.`,
  flat_unhedged: () =>
    'The unhedged returns do not vary over the sample, so there is no risk for a hedge to reduce.',
};

/** Wording for the problems of maintenance-margin brackets, margin and liquidation under them,
 *  stress scenarios, the choice of hedge and held positions (brackets.ts, margin.ts, stress.ts,
 *  basis.ts, position.ts). describeProblem (messages.ts) uses this table, so words are still
 *  made in one place. */
type Params = Readonly<Record<string, string | number | boolean>>;
type Wording = (p: Params) => string;

function num(x: string | number | boolean | undefined): string {
  if (typeof x !== 'number') return String(x);
  if (x === Infinity) return 'no cap';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Number(x.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
const pct = (x: string | number | boolean | undefined) =>
  typeof x === 'number' ? `${num(Math.round(x * 1e6) / 1e4)}%` : String(x);
const unitWord = (u: unknown) => (u === 'coin' ? 'coin' : 'USD');

export const riskMessages: Readonly<Record<string, Wording>> = {
  // --- brackets.ts ---------------------------------------------------------------------------
  empty_brackets: () =>
    'The bracket list is empty: give at least one bracket, e.g. { up_to: 50000usd, rate: 0.4% }.',
  invalid_bracket_cap: (p) => `The bracket's cap is ${p.value}: it must be a positive notional.`,
  bracket_caps_not_ascending: (p) =>
    `Bracket ${p.bracket} ends at ${num(p.cap)}, not above the previous bracket's ${num(p.previous)}: list brackets from the smallest notional up.`,
  invalid_bracket_rate: (p) =>
    `The bracket's maintenance rate is ${p.value}: it must be a fraction from 0 up to (not including) 1, e.g. 0.4%.`,
  bracket_rates_falling: (p) =>
    `Bracket ${p.bracket} has a maintenance rate of ${pct(p.rate)}, below the previous bracket's ${pct(p.previous)}: larger positions need at least the same rate.`,
  invalid_bracket_amount: (p) =>
    `The maintenance amount is ${p.value}: it must be zero or positive.`,
  bracket_amount_inconsistent: (p) =>
    `Bracket ${p.bracket}'s maintenance amount ${num(p.amount)} breaks the exchanges' rule (amount = previous amount + previous cap × rate step), which gives ${num(p.expected)}: leave it out to have it computed.`,
  invalid_bracket_leverage: (p) =>
    `The bracket's maximum leverage is ${p.value}: it must be at least 1.`,
  unknown_bracket_table: (p) =>
    `There is no bracket table called ${p.name}${p.suggestion ? `; did you mean ${p.suggestion}?` : ''} (tables: ${p.known}).`,
  brackets_settlement_mismatch: (p) =>
    `The table ${p.table} counts notional in ${unitWord(p.unit)}, which does not fit a ${p.settlement} contract (linear contracts use USD brackets, inverse ones coin brackets).`,
  // --- margin.ts -----------------------------------------------------------------------------
  notional_above_brackets: (p) =>
    `The position's notional ${num(p.notional)} ${unitWord(p.unit)} is above the largest bracket of ${p.table} (${num(p.max)}): the exchange would not accept it; the last bracket is used.`,
  leverage_above_bracket_max: (p) =>
    `Leverage ${num(p.leverage)}× is above the ${num(p.max)}× that ${p.table} allows in bracket ${p.bracket} (this position's size): the exchange would refuse the order; use ${num(p.max)}× or less.`,
  // --- stress.ts ---------------------------------------------------------------------------
  invalid_holding: (p) =>
    `The holding ${p.asset} has value ${p.value} and beta ${p.beta}: both must be finite numbers and the value not negative.`,
  invalid_move: (p) =>
    `In scenario ${p.scenario}, ${p.asset} would move by ${typeof p.move === 'string' && Number.isFinite(Number(p.move)) ? pct(Number(p.move)) : p.move}: a price cannot fall by 100% or more; use a smaller move (with its beta, a benchmark move can be amplified).`,
  // --- basis.ts ------------------------------------------------------------------------------
  flat_instrument: (p) =>
    `${p.instrument ?? 'The hedge instrument'} did not move over the ${num(p.n)} periods, so no hedge ratio can be estimated from it.`,
  collinear_instruments: (p) =>
    `The ${num(p.k)} instruments move as combinations of each other over the sample, so a combined least-squares hedge is not defined; compare them one at a time.`,
  // --- position.ts ---------------------------------------------------------------------------
  invalid_contracts: (p) =>
    `The position holds ${p.value} contracts: give a non-zero number (negative = short).`,
  position_liquidated: (p) =>
    `At ${num(p.price)} the ${p.instrument} position is past its liquidation price ${num(p.liquidationPrice)}: the exchange would have closed it; check the position before trading.`,
};

/** Tiered maintenance margin: the exchanges' notional brackets (Binance "leverage brackets",
 *  Bybit "risk limits"). Pure; see docs/math.md ("Tiered maintenance margin"). The shipped
 *  tables are data in bracket-tables.ts; liquidation with them is in margin.ts.
 *
 *  A position of notional N (USD(T) for linear contracts, coin for inverse ones) sits in the
 *  first bracket whose cap is ≥ N, and needs the maintenance margin
 *    MM(N) = N · rate − amount
 *  (Binance calls the amount "cum", the maintenance amount; Bybit the "maintenance margin
 *  deduction"). Both exchanges publish the amounts by the same rule,
 *    amount_1 = 0,  amount_k = amount_{k−1} + cap_{k−1} · (rate_k − rate_{k−1}),
 *  which makes MM(N) continuous at every cap (a position that grows by one dollar across a cap
 *  does not jump in maintenance margin), so MM only rises with N. */
import { type Problem, type Result, failWith, ok } from './result';

export interface Bracket {
  /** Upper bound of the bracket's notional, inclusive, in the table's unit (> the previous cap). */
  readonly cap: number;
  /** Maintenance margin rate, a fraction (0.004 = 0.4 %), in [0, 1). */
  readonly rate: number;
  /** Maintenance amount (Binance cum, Bybit deduction), table unit, ≥ 0: MM = N · rate − amount. */
  readonly amount: number;
  /** Highest initial leverage the exchange allows in this bracket; null when not published. */
  readonly maxLeverage: number | null;
}

/** How an exchange finds the isolated liquidation price (margin.ts):
 *  - 'binance': the maintenance margin at the mark price, with the bracket of the notional at
 *    that price (Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts");
 *  - 'bybit': the maintenance margin of the position value at entry (Bybit help "Liquidation
 *    Price Calculation under Isolated Mode"). */
export type LiquidationRule = 'binance' | 'bybit';

export interface BracketTable {
  /** 'binance-btcusdt', or 'custom' for brackets a cell gives, or 'single rate'. */
  readonly name: string;
  /** Unit of caps and amounts: 'usd' for linear (USD(T)-margined) contracts, 'coin' for
   *  inverse (coin-margined) ones, whose brackets are counted in the coin. */
  readonly unit: 'usd' | 'coin';
  readonly rule: LiquidationRule;
  /** Ascending caps; the last cap is the largest position the exchange accepts. */
  readonly brackets: readonly Bracket[];
  /** Where the figures come from and their date (shown in results). */
  readonly source: string;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A table of one bracket with no cap: the single-rate default (MM = N · rate). */
export function singleRateTable(rate: number, rule: LiquidationRule = 'binance'): BracketTable {
  return {
    name: 'single rate',
    unit: 'usd',
    rule,
    brackets: [{ cap: Infinity, rate, amount: 0, maxLeverage: null }],
    source: 'single maintenance margin rate',
  };
}

/** Maintenance amounts by the exchanges' rule: a_1 = 0, a_k = a_{k−1} + cap_{k−1}·(r_k − r_{k−1}).
 *  O(n). Rounded to 1e-9 of the table's scale to keep binary noise out of published-looking
 *  figures (5,000,000 · 0.0025 = 12,500, not 12,500.000000000002).
 *  @example deriveAmounts([50000, 250000], [0.004, 0.005]) // => [0, 50] */
export function deriveAmounts(caps: readonly number[], rates: readonly number[]): number[] {
  const out: number[] = [];
  let a = 0;
  for (let k = 0; k < rates.length; k++) {
    if (k > 0) a += (caps[k - 1] as number) * ((rates[k] as number) - (rates[k - 1] as number));
    out.push(Number(a.toPrecision(12)));
  }
  return out;
}

export interface BracketInput {
  cap: number;
  rate: number;
  /** Omitted: derived by the exchanges' rule (deriveAmounts). */
  amount?: number;
  maxLeverage?: number | null;
}

/** Validates brackets a user gives (caps ascending and positive, rates in [0, 1) and not
 *  falling, amounts ≥ 0, leverages ≥ 1) and fills missing amounts by the exchanges' rule.
 *  Given amounts must keep MM continuous at each cap (|Δ| ≤ 1e-6 of cap · rate): an amount
 *  that breaks the rule would make a larger position need less margin. O(n).
 *  Problems at [k, field]: invalid_bracket_cap, bracket_caps_not_ascending,
 *  invalid_bracket_rate, bracket_rates_falling, invalid_bracket_amount,
 *  bracket_amount_inconsistent, invalid_bracket_leverage; empty_brackets at [].
 *  @example validateBrackets([{ cap: 50000, rate: 0.004 }, { cap: 250000, rate: 0.005 }])
 *    // => ok([{ cap 50000, rate 0.004, amount 0 }, { cap 250000, rate 0.005, amount 50 }]) */
export function validateBrackets(input: readonly BracketInput[]): Result<Bracket[]> {
  const problems: Problem[] = [];
  if (input.length === 0) return failWith([{ code: 'empty_brackets', path: [] }]);
  input.forEach((b, k) => {
    if (!finite(b.cap) && b.cap !== Infinity)
      problems.push({
        code: 'invalid_bracket_cap',
        path: [k, 'cap'],
        params: { value: String(b.cap) },
      });
    else if (!(b.cap > 0))
      problems.push({
        code: 'invalid_bracket_cap',
        path: [k, 'cap'],
        params: { value: String(b.cap) },
      });
    else if (k > 0 && !(b.cap > (input[k - 1]?.cap as number)))
      problems.push({
        code: 'bracket_caps_not_ascending',
        path: [k, 'cap'],
        params: { bracket: k + 1, cap: b.cap, previous: input[k - 1]?.cap as number },
      });
    if (!finite(b.rate) || b.rate < 0 || b.rate >= 1)
      problems.push({
        code: 'invalid_bracket_rate',
        path: [k, 'rate'],
        params: { value: String(b.rate) },
      });
    else if (k > 0 && b.rate < (input[k - 1]?.rate as number))
      problems.push({
        code: 'bracket_rates_falling',
        path: [k, 'rate'],
        params: { bracket: k + 1, rate: b.rate, previous: input[k - 1]?.rate as number },
      });
    if (b.amount !== undefined && (!finite(b.amount) || b.amount < 0))
      problems.push({
        code: 'invalid_bracket_amount',
        path: [k, 'amount'],
        params: { value: String(b.amount) },
      });
    if (
      b.maxLeverage !== undefined &&
      b.maxLeverage !== null &&
      !(finite(b.maxLeverage) && b.maxLeverage >= 1)
    )
      problems.push({
        code: 'invalid_bracket_leverage',
        path: [k, 'maxLeverage'],
        params: { value: String(b.maxLeverage) },
      });
  });
  if (problems.length > 0) return failWith(problems);
  const derived = deriveAmounts(
    input.map((b) => b.cap),
    input.map((b) => b.rate),
  );
  const out: Bracket[] = [];
  for (let k = 0; k < input.length; k++) {
    const b = input[k] as BracketInput;
    const amount = b.amount ?? (derived[k] as number);
    if (k > 0 && b.amount !== undefined) {
      // Continuity at the previous cap: cap·r_{k−1} − a_{k−1} = cap·r_k − a_k.
      const prev = out[k - 1] as Bracket;
      const c = prev.cap;
      const gap = c * b.rate - amount - (c * prev.rate - prev.amount);
      if (Math.abs(gap) > 1e-6 * Math.max(1, c * b.rate))
        problems.push({
          code: 'bracket_amount_inconsistent',
          path: [k, 'amount'],
          params: { bracket: k + 1, amount, expected: amount + gap },
        });
    } else if (k === 0 && b.amount !== undefined && b.amount !== 0)
      problems.push({
        code: 'bracket_amount_inconsistent',
        path: [0, 'amount'],
        params: { bracket: 1, amount: b.amount, expected: 0 },
      });
    out.push({ cap: b.cap, rate: b.rate, amount, maxLeverage: b.maxLeverage ?? null });
  }
  return problems.length > 0 ? failWith(problems) : ok(out);
}

/** Index (0-based) of the bracket holding a notional: the first with notional ≤ cap; the last
 *  bracket when the notional is above every cap (the caller warns: the exchange would refuse
 *  the position). Notional in the table's unit, ≥ 0. O(n), n ≤ a few dozen. */
export function bracketIndex(table: BracketTable, notional: number): number {
  const bs = table.brackets;
  for (let k = 0; k < bs.length; k++) if (notional <= (bs[k] as Bracket).cap) return k;
  return bs.length - 1;
}

/** Maintenance margin of a notional: N · rate − amount of its bracket, in the table's unit.
 *  O(n).
 *  @example maintenanceMargin(BINANCE_BTCUSDT, 5_000_000) // => 5e6 · 0.025 − 16,300 = 108,700 */
export function maintenanceMargin(table: BracketTable, notional: number): number {
  const b = table.brackets[bracketIndex(table, notional)] as Bracket;
  return notional * b.rate - b.amount;
}

/** The largest position (table unit) the table accepts: its last cap (Infinity for one rate). */
export function maxNotional(table: BracketTable): number {
  return (table.brackets[table.brackets.length - 1] as Bracket).cap;
}

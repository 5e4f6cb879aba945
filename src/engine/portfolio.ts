/** Portfolios of spot holdings: valuation, weights, weighted beta and the value series used for
 *  the regression beta. Pure; see docs/math.md ("Portfolio"). */
import { type Problem, type Result, fail, failWith, ok } from './result';
import { getOwn, setOwn } from './own';
import { type AlignedPrices, toReturns } from './series';

/** The part of series.ts's AlignedPrices this module reads (an AlignedPrices is accepted as is). */
export type PriceTable = Pick<AlignedPrices, 'times' | 'assets' | 'prices'>;

/** A holding: coin units, a USD amount (converted to units at the valuation price), or a
 *  weight of the portfolio's total (needs `totalUsd`). Long only: amounts are > 0. */
export type Holding = { asset: string } & (
  { units: number } | { usd: number } | { weight: number }
);

export interface Position {
  asset: string;
  units: number;
  price: number;
  /** USD: units · price. */
  value: number;
  /** value / portfolio value (the portfolio value includes uninvested cash, if any). */
  weight: number;
}

export interface Valuation {
  /** V = Σ q_i p_i + cash. */
  value: number;
  positions: Position[];
  /** USD of `totalUsd` not allocated to any holding (0 without `totalUsd`); beta 0. */
  cash: number;
}

/** Relative tolerance when checking that holdings fit inside `totalUsd`. */
const TOTAL_TOLERANCE = 1e-9;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Values holdings at given prices (the notebook passes the latest row or the row at a time:
 *  see pricesAt). Formula: units q_i = units, usd / p_i, or weight · totalUsd / p_i;
 *  value_i = q_i p_i; V = Σ value_i + cash; w_i = value_i / V.
 *  With `totalUsd`, holdings must fit in it (Σ value_i ≤ totalUsd); the rest is cash (beta 0,
 *  warning uninvested_cash). Without it, weight holdings are an error (weights_need_total) and
 *  V = Σ value_i.
 *  Problems, located at ['holdings', asset]: unknown_asset (no price), invalid_price (≤ 0 or not
 *  finite), invalid_amount (not finite), negative_holding, duplicate_holding, weights_need_total,
 *  value_out_of_range (a value or the total beyond double precision: never an Infinity or null);
 *  ['totalUsd']: invalid_total, holdings_exceed_total; []: empty_portfolio (no holdings or V = 0).
 *  Warning zero_holding (kept with value 0). O(n).
 *  @example valuePortfolio([{ asset: 'BTC', units: 2 }, { asset: 'ETH', usd: 30000 }],
 *    { BTC: 50000, ETH: 3000 }) // => value 130000, ETH units 10, BTC weight 100000/130000 */
export function valuePortfolio(
  holdings: readonly Holding[],
  prices: Readonly<Record<string, number>>,
  opts: { totalUsd?: number } = {},
): Result<Valuation> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const total = opts.totalUsd;
  if (total !== undefined && (!finite(total) || total <= 0))
    problems.push({ code: 'invalid_total', path: ['totalUsd'], params: { value: String(total) } });
  if (holdings.length === 0) return fail('empty_portfolio', ['holdings']);
  const seen = new Set<string>();
  const positions: Position[] = [];
  for (const h of holdings) {
    const path = ['holdings', h.asset];
    if (seen.has(h.asset)) {
      problems.push({ code: 'duplicate_holding', path, params: { asset: h.asset } });
      continue;
    }
    seen.add(h.asset);
    const [kind, amount] =
      'units' in h
        ? (['units', h.units] as const)
        : 'usd' in h
          ? (['usd', h.usd] as const)
          : (['weight', h.weight] as const);
    const price = Object.prototype.hasOwnProperty.call(prices, h.asset)
      ? prices[h.asset]
      : undefined;
    let valid = true;
    if (price === undefined) {
      problems.push({
        code: 'unknown_asset',
        path,
        params: { asset: h.asset, known: Object.keys(prices).join(', ') },
      });
      valid = false;
    } else if (!finite(price) || price <= 0) {
      problems.push({
        code: 'invalid_price',
        path,
        params: { asset: h.asset, value: String(price) },
      });
      valid = false;
    }
    if (!finite(amount)) {
      problems.push({
        code: 'invalid_amount',
        path,
        params: { asset: h.asset, kind, value: String(amount) },
      });
      valid = false;
    } else if (amount < 0) {
      problems.push({
        code: 'negative_holding',
        path,
        params: { asset: h.asset, kind, value: amount },
      });
      valid = false;
    } else if (amount === 0) {
      warnings.push({ code: 'zero_holding', path, params: { asset: h.asset, kind } });
    }
    if (kind === 'weight' && total === undefined) {
      problems.push({
        code: 'weights_need_total',
        path,
        params: { asset: h.asset, weight: amount },
      });
      valid = false;
    }
    if (!valid || price === undefined) continue;
    const usd =
      kind === 'units' ? amount * price : kind === 'usd' ? amount : amount * (total as number);
    const units = kind === 'units' ? amount : usd / price;
    if (!finite(usd) || !finite(units)) {
      // 1e308 units at any price: the value is beyond double precision, never "null".
      problems.push({ code: 'value_out_of_range', path, params: { asset: h.asset, kind } });
      continue;
    }
    positions.push({ asset: h.asset, units, price, value: usd, weight: 0 });
  }
  if (problems.length > 0) return failWith(problems);
  const invested = positions.reduce((s, p) => s + p.value, 0);
  if (!finite(invested))
    return fail('value_out_of_range', ['holdings'], { asset: 'the portfolio' });
  let value = invested;
  let cash = 0;
  if (total !== undefined) {
    if (invested > total * (1 + TOTAL_TOLERANCE))
      return fail('holdings_exceed_total', ['totalUsd'], { invested, total });
    cash = Math.max(0, total - invested);
    if (cash > total * TOTAL_TOLERANCE)
      warnings.push({ code: 'uninvested_cash', path: ['totalUsd'], params: { cash, total } });
    else cash = 0;
    value = invested + cash;
  }
  if (!(value > 0)) return fail('empty_portfolio', ['holdings']);
  for (const p of positions) p.weight = p.value / value;
  return ok({ value, positions, cash }, warnings);
}

/** Weighted portfolio beta Σ w_i β_i (cash, not in `positions`, counts with beta 0).
 *  The benchmark asset's own beta is 1 by definition (cov(m, m) / var(m)); pass
 *  `opts.benchmark` and a missing beta for that asset is taken as exactly 1 (callers need not
 *  regress the benchmark on itself). Precondition: every other asset with a non-zero weight has
 *  a finite beta in `betas` — a missing one is a caller bug and throws; use portfolioBeta for a
 *  Result. O(n).
 *  @example weightedBeta([{ asset: 'BTC', weight: 0.5 }, { asset: 'SOL', weight: 0.5 }],
 *    { SOL: 1.6 }, { benchmark: 'BTC' }) // => 1.3 */
export function weightedBeta(
  positions: readonly { weight: number; asset: string }[],
  betas: Readonly<Record<string, number>>,
  opts: { benchmark?: string } = {},
): number {
  const r = portfolioBeta(positions, betas, opts);
  if (!r.ok) throw new Error(`weightedBeta: ${r.problems.map((p) => p.code).join(', ')}`);
  return r.value;
}

/** Σ w_i β_i as a Result: missing_beta or invalid_beta at ['betas', asset] (positions with
 *  weight 0 need no beta). The benchmark asset (opts.benchmark) has beta 1 unless given. O(n). */
export function portfolioBeta(
  positions: readonly { weight: number; asset: string }[],
  betas: Readonly<Record<string, number>>,
  opts: { benchmark?: string } = {},
): Result<number> {
  const problems: Problem[] = [];
  let sum = 0;
  for (const p of positions) {
    if (p.weight === 0) continue;
    const given = Object.prototype.hasOwnProperty.call(betas, p.asset) ? betas[p.asset] : undefined;
    const b = given ?? (p.asset === opts.benchmark ? 1 : undefined);
    if (b === undefined)
      problems.push({ code: 'missing_beta', path: ['betas', p.asset], params: { asset: p.asset } });
    else if (!finite(b))
      problems.push({
        code: 'invalid_beta',
        path: ['betas', p.asset],
        params: { value: String(b) },
      });
    else sum += p.weight * b;
  }
  return problems.length > 0 ? failWith(problems) : ok(sum);
}

/** Units per asset of a valuation, for portfolioValueSeries. O(n). */
export function unitsOf(
  positions: readonly { asset: string; units: number }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of positions) setOwn(out, p.asset, (getOwn(out, p.asset) ?? 0) + p.units);
  return out;
}

/** Value of constant holdings over aligned prices: V_t = Σ q_i p_{i,t} (buy and hold, no
 *  rebalancing). Its returns regressed on the benchmark's (beta.ts betaStats) give the
 *  portfolio's regression beta, shown beside Σ w_i β_i: they differ because weights drift.
 *  Precondition: every asset with non-zero units is a column of `aligned` (valuePortfolio has
 *  already reported unknown assets); a missing column is a caller bug and throws. O(n · assets).
 *  @example portfolioValueSeries({ BTC: 1, ETH: 10 }, { times: [0, 1], assets: ['BTC', 'ETH'],
 *    prices: { BTC: [100, 110], ETH: [10, 9] } }) // => Float64Array [200, 200] */
export function portfolioValueSeries(
  units: Readonly<Record<string, number>>,
  aligned: PriceTable,
): Float64Array {
  const n = aligned.times.length;
  const out = new Float64Array(n);
  for (const [asset, q] of Object.entries(units)) {
    if (q === 0) continue;
    const col = getOwn(aligned.prices, asset);
    if (col === undefined || col.length !== n)
      throw new Error(`portfolioValueSeries: no aligned prices for ${asset}`);
    for (let t = 0; t < n; t++) out[t] = (out[t] as number) + q * (col[t] as number);
  }
  return out;
}

/** Returns of the buy-and-hold portfolio (toReturns of portfolioValueSeries), length n − 1:
 *  pass them with the benchmark's returns to betaStats for the regression beta. Same
 *  preconditions as portfolioValueSeries. O(n · assets). */
export function portfolioReturns(
  units: Readonly<Record<string, number>>,
  aligned: PriceTable,
  kind: 'simple' | 'log',
): Float64Array {
  return toReturns(portfolioValueSeries(units, aligned), kind);
}

/** Prices of every asset at the last aligned row at or before `time` (default: the latest row),
 *  for valuing a portfolio "as of" a time. Fails with no_prices (empty table) or time_before_data
 *  at ['asOf']. O(log n) (binary search) + O(assets).
 *  @example pricesAt(table) // => { time: last time, index: n − 1, prices: { BTC: …, ETH: … } } */
export function pricesAt(
  aligned: PriceTable,
  time?: number,
): Result<{ time: number; index: number; prices: Record<string, number> }> {
  const times = aligned.times;
  const n = times.length;
  if (n === 0) return fail('no_prices', ['prices']);
  let index = n - 1;
  if (time !== undefined) {
    if (!finite(time)) return fail('invalid_time', ['asOf'], { value: String(time) });
    if (time < (times[0] as number))
      return fail('time_before_data', ['asOf'], { time, first: times[0] as number });
    let lo = 0;
    let hi = n - 1; // invariant: times[lo] ≤ time; find the last such index
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((times[mid] as number) <= time) lo = mid;
      else hi = mid - 1;
    }
    index = lo;
  }
  const prices: Record<string, number> = {};
  for (const a of aligned.assets) {
    const v = getOwn(aligned.prices, a)?.[index];
    if (v !== undefined) setOwn(prices, a, v);
  }
  return ok({ time: times[index] as number, index, prices });
}

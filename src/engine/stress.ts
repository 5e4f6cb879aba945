/** Stress scenarios for a portfolio and its futures hedge: what a benchmark move (a ladder of
 *  them), idiosyncratic shocks, a funding shock or a replayed historical window does to the book,
 *  the hedge leg and the hedge leg's isolated margin. Pure; see docs/math.md ("Stress").
 *
 *  The model, stated in every stress result (STRESS_MODEL):
 *  - An asset with a shock moves by it (simple return). An asset without one moves by
 *    β_i · m, m the benchmark's simple return (single-index model in simple returns; β_i over
 *    the estimation window). The instrument's underlying moves the same way (β 1 when it is
 *    the benchmark).
 *  - Historical scenarios use every asset's realised simple return over the window instead.
 *  - The hedge leg is an isolated position: its P&L is the change of its margin balance valued
 *    in USD (linear: USD(T); inverse: coin × price, so the coin collateral's own move counts);
 *    a leg whose margin falls to its maintenance margin is liquidated, loses its whole margin
 *    and stops hedging.
 *  - Funding: P&L = −(signed notional after the move) × rate × intervals (a positive rate:
 *    longs pay shorts); not counted in the margin (it is settled from the wallet). */
import type { BracketTable } from './brackets';
import { type IsolatedPosition, isolatedLiquidation, marginAt } from './margin';
import { type Problem, type Result, fail, failWith, ok } from './result';

export const STRESS_MODEL: readonly string[] = [
  'Assets without a shock move by simple-return β·move of the benchmark (β over the estimation window); so does the hedge’s underlying.',
  'Historical scenarios replay each asset’s realised move over the window.',
  'The hedge leg is isolated: its P&L is the change of its margin in USD (coin margin × price); liquidated, it loses all its margin and stops hedging.',
  'Funding = −notional after the move × rate × intervals (positive rate: longs pay shorts), paid from the wallet.',
];

export interface StressHolding {
  asset: string;
  /** USD value now, ≥ 0. */
  value: number;
  /** β to the benchmark (simple returns). */
  beta: number;
}

/** The hedge leg as held now: an isolated position, its margin table and current price. */
export interface StressHedge {
  instrument: string;
  /** The asset the contract follows. */
  underlying: string;
  /** β of the underlying to the benchmark. */
  underlyingBeta: number;
  position: IsolatedPosition;
  table: BracketTable;
  /** Mark price now (USD per coin); the scenario moves it. */
  price: number;
}

export interface Scenario {
  name: string;
  kind: 'ladder' | 'scenario' | 'historical';
  /** m: the benchmark's simple return (−0.3 = −30 %). */
  benchmarkMove: number;
  /** Shocks by asset (simple returns) that replace β·m; historical scenarios give every asset. */
  shocks: Readonly<Record<string, number>>;
  /** Optional funding shock: rate per interval (0.001 = 0.1 %) over `intervals` intervals. */
  funding?: { rate: number; intervals: number };
  /** Historical windows: first and last time (epoch ms). */
  window?: { start: number; end: number };
}

export interface PositionMove {
  asset: string;
  /** USD value before the move. */
  value: number;
  /** Simple return applied. */
  move: number;
  /** 'shock' (given), 'beta' (β·m) or 'historical' (realised). */
  source: 'shock' | 'beta' | 'historical';
  /** value · move, USD. */
  pnl: number;
}

export interface HedgeOutcome {
  /** Simple return of the underlying in the scenario. */
  move: number;
  /** Mark price after the move: price · (1 + move). */
  priceAfter: number;
  /** Change of the leg's margin balance in USD: balance_after · k1 − balance_now · k0 (k = 1
   *  linear, price for inverse); −(balance now) when liquidated. Positive = gain. */
  pnl: number;
  /** Margin balance after the move, USD (0 when liquidated). */
  marginAfter: number;
  /** Maintenance margin at the price after the move, USD. */
  maintenanceAfter: number;
  /** maintenance / balance after the move (Binance's margin ratio; ≥ 1 liquidates); null when
   *  the balance is ≤ 0. */
  marginRatioAfter: number | null;
  liquidated: boolean;
  /** The leg's liquidation price (USD per coin), null when none. */
  liquidationPrice: number | null;
  /** Signed % move from the price after the scenario to the liquidation price:
   *  (LP / priceAfter − 1) · 100; null when none or when liquidated. */
  distancePct: number | null;
  /** Funding P&L of the shock, USD (0 without one). */
  fundingPnl: number;
}

export interface ScenarioOutcome {
  scenario: Scenario;
  positions: PositionMove[];
  /** Σ position P&L, USD. */
  unhedgedPnl: number;
  /** null without a hedge. */
  hedge: HedgeOutcome | null;
  /** unhedgedPnl + hedge pnl + funding pnl, USD. */
  hedgedPnl: number;
}

export interface StressInput {
  holdings: readonly StressHolding[];
  /** Cash in the portfolio (USD, β 0, does not move). */
  cash?: number;
  /** The benchmark asset when it is a single asset (its β is 1 by definition); null for a basket. */
  benchmark: string | null;
  hedge: StressHedge | null;
  scenarios: readonly Scenario[];
}

export interface StressResult {
  /** Portfolio value now, USD: Σ values + cash. */
  value: number;
  outcomes: ScenarioOutcome[];
  /** Benchmark move at which the hedge leg is liquidated when its underlying follows β·m:
   *  (LP / price − 1) / β_u; null without a hedge, a liquidation price or a β_u of 0. */
  liquidationBenchmarkMove: number | null;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function moveOf(
  asset: string,
  beta: number,
  s: Scenario,
): { move: number; source: PositionMove['source'] } {
  if (Object.hasOwn(s.shocks, asset))
    return {
      move: s.shocks[asset] as number,
      source: s.kind === 'historical' ? 'historical' : 'shock',
    };
  return { move: beta * s.benchmarkMove, source: 'beta' };
}

/** Runs stress scenarios on a portfolio and its hedge leg (model: STRESS_MODEL). O(scenarios ·
 *  (holdings + brackets)).
 *  Problems: invalid_move at ['scenarios', k] when a move (given or β·m) is ≤ −100 % or not
 *  finite (a price cannot fall below zero); invalid_holding at ['holdings', i]; the hedge
 *  leg's problems from isolatedLiquidation (liquidated_at_entry, invalid_*) at ['hedge'].
 *  @example a $100,000 book of β 1.2 with a −120,000 USD BTCUSDT short: at BTC −30 % the book
 *    loses 36,000 and the short gains 36,000 (hedged P&L 0). */
export function runStress(input: StressInput): Result<StressResult> {
  const problems: Problem[] = [];
  input.holdings.forEach((h, i) => {
    if (!finite(h.value) || h.value < 0 || !finite(h.beta))
      problems.push({
        code: 'invalid_holding',
        path: ['holdings', i],
        params: { asset: h.asset, value: String(h.value), beta: String(h.beta) },
      });
  });
  if (problems.length > 0) return failWith(problems);
  const hedge = input.hedge;
  let lp: number | null = null;
  const warnings: Problem[] = [];
  if (hedge) {
    const liq = isolatedLiquidation(hedge.position, hedge.table);
    if (!liq.ok) return failWith(liq.problems.map((p) => ({ ...p, path: ['hedge', ...p.path] })));
    lp = liq.value.price;
  }
  const value = input.holdings.reduce((s, h) => s + h.value, 0) + (input.cash ?? 0);
  const outcomes: ScenarioOutcome[] = [];
  for (let k = 0; k < input.scenarios.length; k++) {
    const s = input.scenarios[k] as Scenario;
    const positions: PositionMove[] = [];
    let unhedged = 0;
    for (const h of input.holdings) {
      const beta = h.asset === input.benchmark ? 1 : h.beta;
      const { move, source } = moveOf(h.asset, beta, s);
      if (!finite(move) || move <= -1)
        return fail('invalid_move', ['scenarios', k], {
          scenario: s.name,
          asset: h.asset,
          move: String(move),
        });
      const pnl = h.value * move;
      unhedged += pnl;
      positions.push({ asset: h.asset, value: h.value, move, source, pnl });
    }
    let outcome: HedgeOutcome | null = null;
    if (hedge) {
      const uBeta = hedge.underlying === input.benchmark ? 1 : hedge.underlyingBeta;
      const { move } = moveOf(hedge.underlying, uBeta, s);
      if (!finite(move) || move <= -1)
        return fail('invalid_move', ['scenarios', k], {
          scenario: s.name,
          asset: hedge.underlying,
          move: String(move),
        });
      outcome = hedgeOutcome(hedge, move, lp, s.funding);
    }
    outcomes.push({
      scenario: s,
      positions,
      unhedgedPnl: unhedged,
      hedge: outcome,
      hedgedPnl: unhedged + (outcome ? outcome.pnl + outcome.fundingPnl : 0),
    });
  }
  let liquidationBenchmarkMove: number | null = null;
  if (hedge && lp !== null) {
    const uBeta = hedge.underlying === input.benchmark ? 1 : hedge.underlyingBeta;
    if (Math.abs(uBeta) > 1e-12) liquidationBenchmarkMove = (lp / hedge.price - 1) / uBeta;
  }
  return ok({ value, outcomes, liquidationBenchmarkMove }, warnings);
}

/** The hedge leg after its underlying moves by `move` from `hedge.price`. O(brackets). */
export function hedgeOutcome(
  hedge: StressHedge,
  move: number,
  liquidationPrice: number | null,
  funding?: { rate: number; intervals: number },
): HedgeOutcome {
  const pos = hedge.position;
  const p0 = hedge.price;
  const p1 = p0 * (1 + move);
  const inverse = pos.settlement === 'inverse';
  const usd0 = inverse ? p0 : 1;
  const usd1 = inverse ? p1 : 1;
  const now = marginAt(pos, hedge.table, p0);
  const after = marginAt(pos, hedge.table, p1);
  const liquidated = after.liquidated;
  const balanceAfterUsd = liquidated ? 0 : after.balance * usd1;
  const s = pos.side === 'long' ? 1 : -1;
  // Signed USD notional after the move: linear s·Q·P1, inverse s·Q (fixed USD size).
  const notionalAfter = inverse ? s * pos.quantity : s * pos.quantity * p1;
  const fundingPnl = funding && !liquidated ? -notionalAfter * funding.rate * funding.intervals : 0;
  return {
    move,
    priceAfter: p1,
    pnl: balanceAfterUsd - now.balance * usd0,
    marginAfter: balanceAfterUsd,
    maintenanceAfter: after.maintenance * usd1,
    marginRatioAfter: after.marginRatio,
    liquidated,
    liquidationPrice,
    distancePct: liquidationPrice === null || liquidated ? null : (liquidationPrice / p1 - 1) * 100,
    fundingPnl,
  };
}

export interface HistoricalWindow {
  /** Indices into the price arrays: the window runs from prices[start] to prices[end]. */
  start: number;
  end: number;
  /** The benchmark's simple return over the window: B[end] / B[start] − 1. */
  move: number;
}

/** The `count` non-overlapping windows of `length` periods with the lowest benchmark return
 *  (`direction: 'falls'`) or the highest (`'rallies'`), best first. Windows are ranked by
 *  return, then taken greedily, skipping any that shares a period with one already taken
 *  (two windows may touch at an end point). Ties: the earlier window first. `benchmark` is a
 *  price (or index level) series, positive. O(n log n).
 *  @example worstWindows([100, 90, 95, 80, 85], 1, 2, 'falls')
 *    // => [{ start 2, end 3, move −0.1579 }, { start 0, end 1, move −0.1 }] */
export function worstWindows(
  benchmark: ArrayLike<number>,
  length: number,
  count: number,
  direction: 'falls' | 'rallies',
): HistoricalWindow[] {
  const n = benchmark.length;
  if (!(length >= 1) || n <= length || count <= 0) return [];
  const all: HistoricalWindow[] = [];
  for (let i = 0; i + length < n; i++) {
    const a = benchmark[i] as number;
    const b = benchmark[i + length] as number;
    if (a > 0 && Number.isFinite(b)) all.push({ start: i, end: i + length, move: b / a - 1 });
  }
  const sign = direction === 'falls' ? 1 : -1;
  all.sort((x, y) => sign * (x.move - y.move) || x.start - y.start);
  const taken: HistoricalWindow[] = [];
  for (const w of all) {
    if (taken.length >= count) break;
    if (taken.every((t) => w.end <= t.start || w.start >= t.end)) taken.push(w);
  }
  return taken;
}

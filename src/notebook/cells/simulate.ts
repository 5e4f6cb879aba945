/** A `simulate` cell: walks a hedge of a portfolio through the dataset's history with the engine's
 *  simulation (src/engine/simulate.ts; conventions in docs/math.md, "Dynamic hedging"), and
 *  reports both books, every cost, the trades and events, and optionally a grid of rules.
 *
 *  What the cell adds to the engine: the bars (a row's price time: exchange candles close an
 *  interval after their label; resampled bars at their last row), the holdings in units at the
 *  START price, the book's dollar beta and the instrument's beta on trailing windows (rolling
 *  sums, once per cell whatever the number of rules), funding settlements placed on bars. */
import { betaStats } from '../../engine/beta';
import { dollarBetaPath, instrumentBetaPath } from '../../engine/beta-path';
import { hedgeEffectiveness } from '../../engine/effectiveness';
import {
  checkFunding,
  constantFundingTimes,
  placeSettlements,
  type FundingSeries,
  type Settlements,
} from '../../engine/funding';
import { valuePortfolio } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import { rebalanceFlags } from '../../engine/schedule';
import { YEAR_MS } from '../../engine/series';
import {
  simulateHedge,
  type SimulationMarket,
  type SimulationResult,
  type SimulationRule,
  type SimulationSettings,
} from '../../engine/simulate';
import type { LocatedProblem } from '../location';
import type { ParsedCell, Path } from '../parse';
import {
  RESULT_VERSION,
  type BookStats,
  type CompareRule,
  type SimulatedTrade,
  type SimulateResult,
} from '../../results';
import { SIMULATE_DEFAULTS, type Rebalance, type SimulateSpec } from '../schemas';
import { checkpoint, type CellEvaluation, type EvalContext, type PricesValue } from './context';
import { failed, iso, provenance, relocate, savedFrame, unknownAsset, warningsOf } from './common';
import { marketFor, type Market } from './market';

/** Trades a result lists at most: the first, the last and the largest, this many of each. */
export const TRADE_ROWS = 4;
/** Events a result lists at most (liquidations, stops, rolls, expiries; shortfalls counted). */
export const EVENT_ROWS = 40;

const pct = (x: number) => `${Number((x * 100).toPrecision(6))}%`;

/** The time of each bar's price: a row's own time for files; an exchange candle's label is its
 *  open time, so + the data's interval; a resampled bar is the last row of its bucket. */
function closeTimes(prices: PricesValue, m: Market): Float64Array {
  const shift = prices.timeLabel === 'open' ? prices.frequency.ms : 0;
  const src = prices.aligned.times;
  const n = m.aligned.times.length;
  const out = new Float64Array(n);
  if (m.aligned.times === src || n === src.length) {
    for (let i = 0; i < n; i++) out[i] = src[i]! + shift;
    return out;
  }
  // resampled (series.ts resample): bucket k is labelled by its start; its price is the last row
  // whose time is before the next label
  let j = 0;
  for (let k = 0; k < n; k++) {
    const next = k + 1 < n ? m.aligned.times[k + 1]! : Infinity;
    while (j + 1 < src.length && src[j + 1]! < next) j++;
    out[k] = src[j]! + shift;
  }
  return out;
}

/** First index with t[i] ≥ x (binary search); t.length when none. */
function lowerBound(t: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((t[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bar returns of an equity path (simple). */
function pathReturns(e: Float64Array): Float64Array {
  const out = new Float64Array(Math.max(0, e.length - 1));
  for (let k = 1; k < e.length; k++) out[k - 1] = e[k]! / e[k - 1]! - 1;
  return out;
}

/** Drawdown at each bar: equity / running peak − 1 (≤ 0). */
function drawdown(e: Float64Array): Float64Array {
  const out = new Float64Array(e.length);
  let peak = -Infinity;
  for (let k = 0; k < e.length; k++) {
    peak = Math.max(peak, e[k]!);
    out[k] = e[k]! / peak - 1;
  }
  return out;
}

function bookStats(
  e: Float64Array,
  benchmark: Float64Array,
  periodsPerYear: number,
): { stats: BookStats; returns: Float64Array; dd: Float64Array } {
  const r = pathReturns(e);
  const dd = drawdown(e);
  let mean = 0;
  for (const x of r) mean += x;
  mean /= Math.max(1, r.length);
  let ss = 0;
  for (const x of r) ss += (x - mean) ** 2;
  const b = betaStats(r, benchmark, { periodsPerYear });
  let worst = 0;
  for (const x of dd) worst = Math.min(worst, x);
  return {
    stats: {
      start: e[0]!,
      end: e[e.length - 1]!,
      totalReturn: e[e.length - 1]! / e[0]! - 1,
      volAnnual: r.length > 1 ? Math.sqrt((ss / (r.length - 1)) * periodsPerYear) : null,
      maxDrawdown: worst,
      realisedBeta: b.ok ? b.value.beta : null,
    },
    returns: r,
    dd,
  };
}

/** The bounded sample of trades a result keeps: the first, last and largest TRADE_ROWS each. */
function tradeSample(r: SimulationResult): SimulatedTrade[] {
  const t = r.trades;
  const keep = new Set<number>();
  for (let k = 0; k < Math.min(TRADE_ROWS, t.length); k++) keep.add(k);
  for (let k = Math.max(0, t.length - TRADE_ROWS); k < t.length; k++) keep.add(k);
  [...t.keys()]
    .sort((a, b) => t[b]!.notional - t[a]!.notional)
    .slice(0, TRADE_ROWS)
    .forEach((k) => keep.add(k));
  return [...keep]
    .sort((a, b) => a - b)
    .map((k) => {
      const x = t[k]!;
      return {
        time: iso(x.time),
        reason: x.reason,
        side: x.contracts > 0 ? 'buy' : 'sell',
        contracts: Math.abs(x.contracts),
        after: x.after,
        price: x.price,
        notional: x.notional,
        fee: x.fee,
        slippage: x.slippage,
      };
    });
}

/** Engine problems (paths into SimulationSettings) relocated onto the cell's keys. */
function keyOf(p: Problem): Path {
  const k = p.path[0];
  const map: Record<string, string> = {
    leverage: 'leverage',
    instrument: 'with',
    collateral: 'collateral',
    feeRate: 'fees',
    slippage: 'slippage',
    stopLoss: 'stop_loss',
    roll: 'roll_days',
    rollCost: 'roll_cost',
    band: 'band',
    minTrade: 'min_trade',
    targetBeta: 'target_beta',
    from: 'start',
  };
  return typeof k === 'string' && map[k] ? [map[k]] : ['simulate'];
}

export async function evaluateSimulate(
  spec: SimulateSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const pricesValue = ctx.prices(spec.data);
  const portfolio = ctx.portfolio(spec.portfolio);
  const inst = ctx.instrument(spec.instrument);
  const ins = inst.instrument;
  const assets = m.aligned.assets;
  const holdings =
    portfolio.holdings ??
    portfolio.valuation.positions.map((p) => ({ asset: p.asset, units: p.units }));
  const missing: LocatedProblem[] = holdings
    .filter((h) => !assets.includes(h.asset))
    .map((h) => unknownAsset(parsed, ['simulate'], h.asset, `portfolio ${portfolio.name}`, assets));
  if (!assets.includes(ins.underlying))
    missing.push(unknownAsset(parsed, ['with'], ins.underlying, `instrument ${ins.name}`, assets));
  if (missing.length > 0) return failed(missing);
  const warnings: Problem[] = [...m.warnings];
  const fail = (code: string, path: Path, params: Problem['params'] = {}) =>
    failed(relocate([{ code, path, params }], () => path, parsed));

  // Bars and the estimation window.
  const times = closeTimes(pricesValue, m);
  const n = times.length;
  const win =
    spec.window ??
    (ctx.settings().spec.window.kind !== 'all'
      ? ctx.settings().spec.window
      : SIMULATE_DEFAULTS.window);
  const W =
    win.kind === 'periods'
      ? win.periods
      : win.kind === 'time'
        ? Math.max(3, Math.round(win.ms / m.frequency.ms))
        : 3;
  const windowLabel = win.kind === 'time' ? win.text : `${W} periods`;
  const windowPath: Path = spec.window ? ['window'] : ['simulate'];
  if (n - 1 < W + 2) return fail('simulation_too_short', windowPath, { window: W, n: n - 1 });
  let from = W;
  if (spec.start !== null) {
    const s = lowerBound(times, spec.start);
    if (s >= n)
      return fail('start_after_data', ['start'], { start: spec.start, last: times[n - 1]! });
    if (s < W)
      warnings.push({
        code: 'simulation_start_moved',
        path: ['start'],
        params: { start: spec.start, first: times[W]!, window: W },
      });
    from = Math.max(s, W);
  }
  let to = n - 1;
  if (spec.end !== null) to = lowerBound(times, spec.end + 1) - 1;
  if (to <= from)
    return fail('simulation_too_short', spec.end !== null ? ['end'] : windowPath, {
      window: W,
      n: Math.max(0, to - from),
    });

  // Holdings in units at the start price; the book's value and dollar beta per bar.
  const startPrices: Record<string, number> = {};
  for (const a of assets) startPrices[a] = m.aligned.prices[a]![from]!;
  const units = valuePortfolio(
    holdings,
    startPrices,
    portfolio.totalUsd ? { totalUsd: portfolio.totalUsd } : {},
  );
  if (!units.ok) return failed(relocate(units.problems, () => ['simulate'], parsed));
  const held = units.value.positions;
  await checkpoint(ctx.signal);
  const bench = m.benchmarkAsset;
  const paths = dollarBetaPath({
    prices: held.map((p) => m.aligned.prices[p.asset]!),
    returns: held.map((p) => m.returns(p.asset)),
    units: held.map((p) => p.units),
    isBenchmark: held.map((p) => p.asset === bench),
    benchmark: m.benchmark,
    window: W,
  });
  if (!paths.ok)
    return failed(
      relocate(
        paths.problems.map((p) => ({
          ...p,
          params: { ...p.params, asset: held[Number(p.params?.asset)]?.asset ?? '' },
        })),
        () => windowPath,
        parsed,
      ),
    );
  const value = paths.value.value;
  if (units.value.cash > 0) for (let i = 0; i < n; i++) value[i]! += units.value.cash;
  const betaF = instrumentBetaPath(
    n,
    inst.betaSource === 'estimated'
      ? { returns: m.returns(ins.underlying), benchmark: m.benchmark, window: W }
      : inst.beta,
  );
  if (!betaF.ok) return failed(relocate(betaF.problems, () => ['with'], parsed));

  // Funding.
  let funding: Settlements | null = null;
  let fundingLabel = 'none';
  const choice =
    spec.funding ??
    (ins.type === 'perpetual'
      ? { kind: 'rate' as const, rate: SIMULATE_DEFAULTS.fundingRate }
      : { kind: 'none' as const });
  if (choice.kind !== 'none' && ins.type === 'future')
    return fail('funding_on_future', ['funding'], { instrument: ins.name });
  if (choice.kind === 'rate') {
    const ts = constantFundingTimes(times[from]!, times[to]!);
    funding = placeSettlements(times, from, to, { times: ts, rates: ts.map(() => choice.rate) });
    fundingLabel = `constant ${pct(choice.rate)} per 8 h${spec.funding === null ? ' (default)' : ''}`;
  } else if (choice.kind === 'data') {
    const f = ctx.funding(choice.name);
    const symbols = [...f.series.keys()];
    const upper = ins.name.toUpperCase();
    const symbol =
      symbols.length === 1
        ? symbols[0]!
        : symbols
            .filter((s) => upper.startsWith(s.toUpperCase()))
            .sort((a, b) => b.length - a.length)[0];
    if (symbol === undefined)
      return fail('funding_symbol_ambiguous', ['funding'], {
        name: f.name,
        instrument: ins.name,
        known: symbols.join(', '),
      });
    const series: FundingSeries = f.series.get(symbol)!;
    const checked = checkFunding(series, times[from]!, times[to]!);
    if (!checked.ok)
      return failed(
        relocate(
          checked.problems.map((p) => ({ ...p, params: { ...p.params, name: f.name } })),
          () => ['funding'],
          parsed,
        ),
      );
    warnings.push(...checked.warnings.map((p) => ({ ...p, path: ['funding'] })));
    funding = placeSettlements(times, from, to, series);
    fundingLabel = `funding ${f.name} (${symbol})`;
  }

  // Rolls.
  let roll: SimulationSettings['roll'] = null;
  if (ins.type === 'future') {
    const days = spec.rollDays ?? SIMULATE_DEFAULTS.rollDays;
    roll = days === 'none' ? null : { days, cost: spec.rollCost };
  } else if (spec.rollDays !== null || spec.rollCost !== 0)
    warnings.push({
      code: 'roll_on_perpetual',
      path: ['roll_days'],
      params: { instrument: ins.name },
    });

  const market: SimulationMarket = {
    times,
    price: m.aligned.prices[ins.underlying]!,
    high: null,
    low: null,
    value,
    dollarBeta: paths.value.dollarBeta,
    instrumentBeta: betaF.value,
  };
  const settings: SimulationSettings = {
    instrument: ins,
    targetBeta: spec.targetBeta,
    leverage: spec.leverage,
    collateral: spec.collateral,
    feeRate: spec.fees,
    slippage: spec.slippage,
    funding,
    roll,
    onLiquidation: spec.onLiquidation,
    stopLoss: spec.stopLoss,
    from,
    to,
  };
  const ruleOf = (r: Rebalance, band: number): SimulationRule => ({
    decisions: rebalanceFlags(times, from, to, r.ms),
    band,
    minTrade: spec.minTrade,
  });
  await checkpoint(ctx.signal);
  const sim = simulateHedge(market, ruleOf(spec.rebalance, spec.band), settings);
  if (!sim.ok) return failed(relocate(sim.problems, keyOf, parsed));
  const r = sim.value;
  const path = r.path!;

  // Statistics of the two books along the path (out of sample: each hedge was sized before it
  // was held).
  const years = (times[to]! - times[from]!) / YEAR_MS;
  const ppy = m.frequency.periodsPerYear;
  const benchSimple = new Float64Array(to - from);
  for (let i = from + 1; i <= to; i++) {
    const x = m.benchmark[i - 1]!;
    benchSimple[i - from - 1] = m.kind === 'log' ? Math.expm1(x) : x;
  }
  const hedgedBook = bookStats(path.equity, benchSimple, ppy);
  const unhedgedBook = bookStats(path.unhedged, benchSimple, ppy);
  const eff = hedgeEffectiveness(hedgedBook.returns, unhedgedBook.returns);
  if (!eff.ok) warnings.push(...eff.problems.map((p) => ({ ...p, path: ['simulate'] })));
  let meanValue = 0;
  for (let i = from; i <= to; i++) meanValue += value[i]!;
  meanValue /= to - from + 1;
  const line = (usd: number) => ({
    usd,
    pctPerYear: years > 0 && meanValue > 0 ? usd / years / meanValue : 0,
  });
  const t = r.totals;
  const net =
    t.fees + t.slippage + t.fundingPaid - t.fundingReceived + t.rollCosts + t.liquidationLosses;
  const count = (k: string) => r.events.filter((e) => e.kind === k).length;
  if (t.skippedDecisions > 0)
    warnings.push({
      code: 'decisions_skipped',
      path: ['simulate'],
      params: { count: t.skippedDecisions },
    });
  const shortfalls = count('margin_shortfall');
  if (shortfalls > 0)
    warnings.push({
      code: 'collateral_short',
      path: [spec.collateral !== null ? 'collateral' : 'simulate'],
      params: { count: shortfalls, collateral: r.collateral },
    });

  // A grid of rules (the same paths, one walk each).
  let compare: CompareRule[] | null = null;
  if (spec.compare) {
    compare = [];
    const rebalances =
      spec.compare.rebalance.length > 0 ? spec.compare.rebalance : [spec.rebalance];
    const bands = spec.compare.band.length > 0 ? spec.compare.band : [spec.band];
    for (const rb of rebalances)
      for (const band of bands) {
        await checkpoint(ctx.signal);
        const s = simulateHedge(market, ruleOf(rb, band), settings, { record: false });
        if (!s.ok) return failed(relocate(s.problems, keyOf, parsed));
        const x = s.value.totals;
        const cost =
          x.fees +
          x.slippage +
          x.fundingPaid -
          x.fundingReceived +
          x.rollCosts +
          x.liquidationLosses;
        compare.push({
          rebalance: rb.label,
          band,
          costPerYear: years > 0 ? cost / years : 0,
          costPctPerYear: line(cost).pctPerYear,
          trackingError: s.value.trackingError,
          trades: x.trades,
          liquidations: x.liquidations,
          current: rb.label === spec.rebalance.label && band === spec.band,
        });
      }
  }

  // Saved series: reduced, the event bars kept.
  const eventRows = r.events
    .filter((e) => e.kind !== 'margin_shortfall')
    .slice(0, EVENT_ROWS)
    .map((e) => e.bar - from);
  const frame = savedFrame(
    ctx,
    times.subarray(from, to + 1),
    {
      hedged: path.equity,
      unhedged: path.unhedged,
      hedgedDrawdown: hedgedBook.dd,
      unhedgedDrawdown: unhedgedBook.dd,
      beta: path.beta,
      contracts: path.contracts,
      marginRatio: path.marginRatio,
    },
    { forced: eventRows },
  );
  const byReason: Record<string, number> = {};
  for (const x of r.trades) byReason[x.reason] = (byReason[x.reason] ?? 0) + 1;
  const shownEvents = r.events.filter((e) => e.kind !== 'margin_shortfall');
  const result: SimulateResult = {
    version: RESULT_VERSION,
    kind: 'simulate',
    name: portfolio.name,
    warnings: warningsOf(warnings),
    data: provenance(m.source, m.aligned.times, from),
    portfolio: portfolio.name,
    instrument: ins.name,
    settlement: ins.settlement,
    instrumentType: ins.type,
    benchmark: m.benchmarkLabel,
    frequency: m.frequency.label,
    rule: {
      targetBeta: spec.targetBeta,
      window: W,
      windowLabel,
      rebalance: spec.rebalance.label,
      band: spec.band,
      minTrade: spec.minTrade,
      leverage: spec.leverage,
      collateral: r.collateral,
      collateralDefault: spec.collateral === null,
      fees: spec.fees,
      slippage: spec.slippage,
      funding: fundingLabel,
      roll,
      onLiquidation: spec.onLiquidation,
      stopLoss: spec.stopLoss,
      maintenanceMarginRate: ins.maintenanceMarginRate,
      brackets: ins.brackets?.name ?? null,
    },
    period: { start: iso(times[from]!), end: iso(times[to]!), bars: to - from + 1, years },
    startValue: value[from]!,
    meanValue,
    hedged: hedgedBook.stats,
    unhedged: unhedgedBook.stats,
    effectiveness: eff.ok ? eff.value : null,
    trackingError: r.trackingError,
    hedgePnl: t.hedgePnl,
    costs: {
      fees: line(t.fees),
      slippage: line(t.slippage),
      fundingPaid: line(t.fundingPaid),
      fundingReceived: line(t.fundingReceived),
      rollCosts: line(t.rollCosts),
      liquidationLosses: line(t.liquidationLosses),
      net: line(net),
    },
    counts: {
      trades: t.trades,
      rebalances: t.rebalances,
      liquidations: t.liquidations,
      stops: t.stops,
      rolls: t.rolls,
      expiries: count('expiry'),
      marginShortfalls: shortfalls,
      skippedDecisions: t.skippedDecisions,
    },
    path: frame,
    trades: { count: r.trades.length, byReason, rows: tradeSample(r) },
    events: {
      count: shownEvents.length,
      rows: shownEvents.slice(0, EVENT_ROWS).map((e) => ({
        time: iso(e.time),
        kind: e.kind,
        price: e.price,
        amount: e.amount,
      })),
    },
    compare,
  };
  return { ok: true, problems: [], value: null, results: [result] };
}

/** A `betas` cell: per-asset beta statistics over the estimation window, the portfolio beta,
 *  the rolling beta and correlation, the returns scatter and the correlation matrix. */
import { betaStats, type BetaStats } from '../../engine/beta';
import { clusterOrder } from '../../engine/cluster';
import { correlationMatrix } from '../../engine/correlation';
import { portfolioBeta, portfolioValueSeries, unitsOf } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import { rollingBeta } from '../../engine/rolling';
import { toReturns } from '../../engine/series';
import type { LocatedProblem } from '../location';
import type { ParsedCell } from '../parse';
import { RESULT_VERSION, SERIES_BOUNDS, type BetaRow, type BetasResult } from '../../results';
import type { BetasSpec } from '../schemas';
import { checkpoint, type CellEvaluation, type EvalContext, type PortfolioValue } from './context';
import { failed, provenance, savedFrame, savedScatter, unknownAsset, warningsOf } from './common';
import { assetBetas, assetProblems, betaMap, betaOptions, marketFor, windowed } from './market';

export async function evaluateBetas(
  spec: BetasSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  let assets: string[];
  let portfolio: PortfolioValue | null = null;
  if (spec.target.kind === 'portfolio') {
    portfolio = ctx.portfolio(spec.target.name);
    assets = portfolio.valuation.positions.map((p) => p.asset);
  } else if (spec.target.kind === 'assets') {
    const problems: LocatedProblem[] = [];
    spec.target.assets.forEach((a, i) => {
      if (!m.aligned.assets.includes(a))
        problems.push({
          ...unknownAsset(parsed, ['betas', i], a, 'betas', m.aligned.assets),
          range: parsed.locate(['betas', i]),
        });
    });
    if (problems.length > 0) return failed(problems);
    assets = spec.target.assets;
  } else {
    assets = m.aligned.assets.filter((a) => a !== m.benchmarkAsset);
  }
  const { stats, problems } = await assetBetas(
    m,
    assets,
    spec.ewmaHalfLife ? { ewmaHalfLife: spec.ewmaHalfLife } : {},
    ctx.signal,
  );
  if (problems.size > 0) return failed(assetProblems(problems, 'betas', parsed));
  const weights = new Map(portfolio?.valuation.positions.map((p) => [p.asset, p.weight]) ?? []);
  const rows: BetaRow[] = assets.map((asset) => {
    const s = stats.get(asset) as BetaStats;
    return { asset, ...s, weight: weights.get(asset) ?? null };
  });
  const warnings: Problem[] = [...m.warnings];
  let portfolioOut: BetasResultPortfolio = null;
  if (portfolio) {
    const bw = portfolioBeta(portfolio.valuation.positions, betaMap(stats));
    const series = portfolioValueSeries(unitsOf(portfolio.valuation.positions), m.aligned);
    const pr = betaStats(
      windowed(m, toReturns(series, m.kind)),
      windowed(m, m.benchmark),
      betaOptions(m),
    );
    if (!pr.ok) warnings.push(...pr.problems);
    portfolioOut = {
      name: portfolio.name,
      value: portfolio.valuation.value,
      betaWeighted: bw.ok ? bw.value : 0,
      betaRegression: pr.ok ? pr.value.beta : null,
    };
  }
  // Charts: at most SERIES_BOUNDS.chartAssets assets (every row stays in the tables), their
  // series reduced for display (docs/results.md, "Bounded series").
  const chart = chartAssets(ctx, assets, portfolio);
  const notBenchmark = chart.assets.filter((a) => a !== m.benchmarkAsset);
  const x = windowed(m, m.benchmark);
  const scatter = notBenchmark.map((asset) => ({
    asset,
    cloud: savedScatter(ctx, x, windowed(m, m.returns(asset))),
  }));
  let rolling: BetasResult['rolling'] = null;
  if (m.window !== null) {
    const window = m.window;
    const columns: Record<string, Float64Array> = {};
    const shown: string[] = [];
    for (const asset of notBenchmark) {
      await checkpoint(ctx.signal);
      const r = rollingBeta(m.returns(asset), m.benchmark, window);
      if (!r.ok) {
        warnings.push(...r.problems);
        continue;
      }
      warnings.push(...r.warnings);
      shown.push(asset);
      columns[`${shown.length - 1}.beta`] = r.value.beta;
      columns[`${shown.length - 1}.stdErr`] = r.value.stdErr;
      columns[`${shown.length - 1}.correlation`] = r.value.correlation;
    }
    // Return i ends at aligned time i + 1; the series starts with the first full window.
    const from = window - 1;
    const times = m.aligned.times.slice(1 + from);
    const frame = savedFrame(
      ctx,
      times,
      Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.subarray(from)])),
    );
    const col = (k: string) => frame.columns[k] ?? [];
    rolling = {
      window,
      t: frame.t,
      points: frame.points,
      series: shown.map((asset, i) => ({
        asset,
        beta: col(`${i}.beta`),
        stdErr: col(`${i}.stdErr`),
        correlation: col(`${i}.correlation`),
      })),
    };
  }
  const matrix = correlationMatrix(chart.assets.map((a) => windowed(m, m.returns(a))));
  const order = chart.assets.length <= 200 ? clusterOrder(matrix) : chart.assets.map((_, i) => i);
  const correlation = {
    assets: order.map((i) => chart.assets[i]!),
    matrix: order.map((i) => order.map((j) => matrix[i]![j]!)),
    order: chart.assets.length <= 200 ? ('cluster' as const) : ('given' as const),
  };
  return {
    ok: true,
    problems: [],
    value: null,
    results: [
      {
        version: RESULT_VERSION,
        kind: 'betas',
        name: portfolio ? portfolio.name : spec.target.kind === 'all' ? 'all' : assets.join(', '),
        warnings: warningsOf(warnings),
        data: provenance(m.source, m.aligned, m.from),
        benchmark: m.benchmarkLabel,
        returns: m.kind,
        frequency: m.frequency.label,
        periodsPerYear: m.frequency.periodsPerYear,
        rows,
        portfolio: portfolioOut,
        chartAssets: { assets: chart.assets, of: assets.length, by: chart.by },
        scatter,
        rolling,
        correlation,
      },
    ],
  };
}
/** The assets the charts draw: all of them up to SERIES_BOUNDS.chartAssets (every one with
 *  --full-series); beyond that a portfolio's largest positions by |value|, else the first ones in
 *  the cell's (or the data's) order. Returned in the table's order. */
function chartAssets(
  ctx: EvalContext,
  assets: readonly string[],
  portfolio: PortfolioValue | null,
): { assets: string[]; by: 'value' | 'order' } {
  const cap = ctx.env.fullSeries ? Infinity : SERIES_BOUNDS.chartAssets;
  if (assets.length <= cap) return { assets: [...assets], by: 'order' };
  if (!portfolio) return { assets: assets.slice(0, cap), by: 'order' };
  const value = new Map(portfolio.valuation.positions.map((p) => [p.asset, Math.abs(p.value)]));
  const top = new Set(
    [...assets].sort((a, b) => (value.get(b) ?? 0) - (value.get(a) ?? 0)).slice(0, cap),
  );
  return { assets: assets.filter((a) => top.has(a)), by: 'value' };
}

type BetasResultPortfolio = {
  name: string;
  value: number;
  betaWeighted: number;
  betaRegression: number | null;
} | null;

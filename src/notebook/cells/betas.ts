/** A `betas` cell: per-asset beta statistics over the estimation window, the portfolio beta,
 *  the rolling beta and correlation, the returns scatter and the correlation matrix. */
import { betaStats, type BetaStats } from '../../engine/beta';
import { correlationMatrix } from '../../engine/correlation';
import { portfolioBeta, portfolioValueSeries, unitsOf } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import { rollingBeta } from '../../engine/rolling';
import { toReturns } from '../../engine/series';
import type { LocatedProblem } from '../location';
import type { ParsedCell } from '../parse';
import { RESULT_VERSION, type BetaRow } from '../../results';
import type { BetasSpec } from '../schemas';
import { checkpoint, type CellEvaluation, type EvalContext, type PortfolioValue } from './context';
import { failed, iso, nullIfNaN, provenance, unknownAsset, warningsOf } from './common';
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
  const x = Array.from(windowed(m, m.benchmark));
  const scatter = assets.map((asset) => ({
    asset,
    x,
    y: Array.from(windowed(m, m.returns(asset))),
  }));
  const rolling = [];
  if (m.window !== null) {
    const times = m.aligned.times.slice(1).map(iso);
    for (const asset of assets) {
      await checkpoint(ctx.signal);
      const r = rollingBeta(m.returns(asset), m.benchmark, m.window);
      if (!r.ok) {
        warnings.push(...r.problems);
        continue;
      }
      warnings.push(...r.warnings);
      const beta = Array.from(r.value.beta, nullIfNaN);
      const se = r.value.stdErr;
      rolling.push({
        asset,
        window: m.window,
        times,
        beta,
        betaLow: beta.map((b, i) => (b === null ? null : nullIfNaN(b - 1.96 * (se[i] as number)))),
        betaHigh: beta.map((b, i) => (b === null ? null : nullIfNaN(b + 1.96 * (se[i] as number)))),
        correlation: Array.from(r.value.correlation, nullIfNaN),
      });
    }
  }
  const cols = assets.map((a) => windowed(m, m.returns(a)));
  const matrix = correlationMatrix(cols);
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
        data: provenance(m.source, m.aligned.times, m.from),
        benchmark: m.benchmarkLabel,
        returns: m.kind,
        frequency: m.frequency.label,
        periodsPerYear: m.frequency.periodsPerYear,
        rows,
        portfolio: portfolioOut,
        scatter,
        rolling,
        correlation: { assets, matrix },
      },
    ],
  };
}
type BetasResultPortfolio = {
  name: string;
  value: number;
  betaWeighted: number;
  betaRegression: number | null;
} | null;

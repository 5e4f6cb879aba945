/** A `hedge` cell: sizes a hedge of a portfolio with an instrument to a target beta, with its
 *  margin, liquidation price, exposures and (in-sample) effectiveness. */
import { hedgedReturns, hedgeEffectiveness } from '../../engine/effectiveness';
import { hedgeExposures, sizeHedge } from '../../engine/hedge';
import { portfolioValueSeries, unitsOf } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import { toReturns } from '../../engine/series';
import type { ParsedCell, Path } from '../parse';
import { RESULT_VERSION, type HedgeResult } from '../../results';
import type { HedgeSpec } from '../schemas';
import type { CellEvaluation, EvalContext } from './context';
import { failed, provenance, relocate, warningsOf } from './common';
import { bookBetas, logReturnsWarning, marketFor, windowed } from './market';
import { getOwn } from '../../engine/own';

export async function evaluateHedge(
  spec: HedgeSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const portfolio = ctx.portfolio(spec.portfolio);
  const inst = ctx.instrument(spec.instrument);
  const positions = portfolio.valuation.positions;
  const book = await bookBetas(m, positions, 'hedge', parsed, ctx.signal);
  if (!book.ok) return book.e;
  const { betas } = book;
  const benchmark = m.benchmarkAsset ?? undefined;
  const sizing = sizeHedge({
    portfolioValue: portfolio.valuation.value,
    portfolioBeta: book.beta,
    targetBeta: spec.targetBeta,
    instrument: inst.instrument,
    instrumentBeta: inst.beta,
    price: inst.price,
    leverage: spec.leverage,
    asOf: portfolio.asOf,
  });
  const fieldOf = (p: Problem): Path =>
    p.path[0] === 'instrument'
      ? ['with']
      : p.path[0] === 'leverage'
        ? ['leverage']
        : p.path[0] === 'targetBeta'
          ? ['target_beta']
          : p.path[0] === 'instrumentBeta' || p.path[0] === 'price'
            ? ['with']
            : ['hedge'];
  if (!sizing.ok) return failed(relocate(sizing.problems, fieldOf, parsed));
  const h = sizing.value;
  const exposures = hedgeExposures(positions, betas, h, inst.instrument.name, inst.beta, benchmark);
  // Effectiveness over the estimation window (in-sample: the betas were fitted on it): the buy-and-hold portfolio's simple returns with
  // and without the static hedge (hedge ratio per USD of portfolio) on the underlying's returns.
  const values = portfolioValueSeries(unitsOf(positions), m.aligned);
  const unhedged = windowed(m, toReturns(values, 'simple'));
  const underlying = toReturns(
    getOwn(m.aligned.prices, inst.instrument.underlying) ?? [],
    'simple',
  );
  const hedged = hedgedReturns(unhedged, windowed(m, underlying), h.hedgeRatio);
  const eff = hedgeEffectiveness(hedged, unhedged);
  const warnings: Problem[] = [...logReturnsWarning(m, 'hedge'), ...m.warnings, ...sizing.warnings];
  if (!eff.ok) warnings.push(...eff.problems);
  const result: HedgeResult = {
    version: RESULT_VERSION,
    kind: 'hedge',
    name: portfolio.name,
    warnings: warningsOf(warnings),
    data: provenance(m.source, m.aligned, m.from),
    portfolio: portfolio.name,
    instrument: inst.instrument.name,
    settlement: inst.instrument.settlement,
    portfolioValue: portfolio.valuation.value,
    portfolioBeta: book.beta,
    instrumentBeta: inst.beta,
    targetBeta: spec.targetBeta,
    price: inst.price,
    notional: h.notional,
    side: h.side,
    contracts: h.contracts,
    contractNotional: h.contractNotional,
    betaAfter: h.betaAfter,
    residualBeta: h.residualBeta,
    leverage: spec.leverage,
    initialMargin: h.initialMargin,
    maintenanceMarginRate: h.maintenanceMarginRate,
    maintenanceAmount: h.maintenanceAmount,
    bracket: h.bracket,
    liquidationPrice: h.liquidationPrice,
    liquidationMovePct: h.liquidationMovePct,
    collateralExposure: h.collateralExposure,
    exposures,
    effectiveness: eff.ok ? eff.value : null,
  };
  return { ok: true, problems: [], value: null, results: [result] };
}

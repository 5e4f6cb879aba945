/** Pure figure builders: a typed cell result + a theme -> plotly figures ({ data, layout,
 *  config }). No DOM: unit-tested in Node and shared by the notebook renderer and the HTML
 *  report, so both draw identical charts. Trace types: scatter, bar, heatmap only. */
import type { CellResult } from '../results';
import {
  betaBarsFigure,
  betasScatterFigure,
  correlationHeatmapFigure,
  rollingBetaFigure,
  rollingCorrelationFigure,
} from './figures-betas';
import { fundingFigure, simulateFigures } from './figures-simulate';
import { hedgeExposureFigure, pairFigure, portfolioFigure } from './figures-hedge';
import {
  basisEffectivenessFigure,
  basisRollingFigure,
  stressLadderFigure,
  stressScenarioFigure,
} from './figures-risk';
import type { Figure } from './figure-style';
import type { Theme } from './theme';

export type { Figure, Trace, TraceType } from './figure-style';

export function buildFigures(result: CellResult, theme: Theme): Figure[] {
  const figures: (Figure | null)[] = [];
  switch (result.kind) {
    case 'betas':
      figures.push(
        betaBarsFigure(result, theme),
        betasScatterFigure(result, theme),
        rollingBetaFigure(result, theme),
        rollingCorrelationFigure(result, theme),
        correlationHeatmapFigure(result, theme),
      );
      break;
    case 'hedge':
      figures.push(hedgeExposureFigure(result, theme));
      break;
    case 'pair':
      figures.push(pairFigure(result, theme));
      break;
    case 'portfolio':
      figures.push(portfolioFigure(result, theme));
      break;
    case 'simulate':
      figures.push(...simulateFigures(result, theme));
      break;
    case 'funding':
      figures.push(fundingFigure(result, theme));
      break;
    case 'stress':
      figures.push(stressLadderFigure(result, theme), stressScenarioFigure(result, theme));
      break;
    case 'basis':
      figures.push(basisEffectivenessFigure(result, theme), basisRollingFigure(result, theme));
      break;
    case 'position':
      break;
    case 'prices':
    case 'settings':
    case 'instrument':
      break;
  }
  return figures.filter((f): f is Figure => f !== null);
}

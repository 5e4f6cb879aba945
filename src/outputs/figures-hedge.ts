/** Figures of hedge, pair and portfolio results: beta-weighted exposure before/after the hedge,
 *  pair dollar betas, portfolio weights. The hedge ticket itself is a table (tables.ts). */
import type { CellResult, HedgeResult, PairResult } from '../results';
import { escapePlotly } from './escape';
import { baseConfig, baseLayout, seriesColor, type Figure } from './figure-style';
import type { Theme } from './theme';

export function hedgeExposureFigure(result: HedgeResult, theme: Theme): Figure | null {
  if (result.exposures.length === 0) return null;
  const labels = [...result.exposures.map((e) => escapePlotly(e.label)), 'Net'];
  const before = [
    ...result.exposures.map((e) => e.before),
    sum(result.exposures.map((e) => e.before)),
  ];
  const after = [
    ...result.exposures.map((e) => e.after),
    sum(result.exposures.map((e) => e.after)),
  ];
  return {
    id: 'hedge-exposure',
    title: 'Beta-weighted exposure before and after the hedge',
    data: [
      {
        type: 'bar',
        name: 'Before',
        x: labels,
        y: before,
        marker: { color: seriesColor(theme, 0) },
        hovertemplate: '%{x}<br>before: %{y:$,.0f}<extra></extra>',
      },
      {
        type: 'bar',
        name: `After (target β ${result.targetBeta})`,
        x: labels,
        y: after,
        marker: { color: seriesColor(theme, 1) },
        hovertemplate: '%{x}<br>after: %{y:$,.0f}<extra></extra>',
      },
    ],
    layout: baseLayout(theme, {
      title: `Beta-weighted exposure, hedged with ${result.instrument}`,
      x: 'Position',
      y: 'Beta-weighted USD',
      xaxis: { type: 'category' },
      yaxis: { tickformat: '$,.0f' },
      extra: { barmode: 'group' },
    }),
    config: baseConfig(),
  };
}

export function pairFigure(result: PairResult, theme: Theme): Figure {
  const labels = [
    `Long ${escapePlotly(result.long.asset)}`,
    `Short ${escapePlotly(result.short.asset)}`,
  ];
  const values = [result.long.dollarBeta, result.short.dollarBeta];
  if (result.hedge && result.instrument !== null) {
    labels.push(`Hedge ${escapePlotly(result.instrument)}`);
    values.push(result.hedge.dollarBetaAfter - result.dollarBeta);
  }
  labels.push('Residual');
  values.push(result.hedge ? result.hedge.dollarBetaAfter : result.dollarBeta);
  return {
    id: 'pair-dollar-beta',
    title: 'Pair: dollar beta per leg and residual',
    data: [
      {
        type: 'bar',
        name: 'dollar beta',
        x: labels,
        y: values,
        marker: {
          color: values.map((v, i) =>
            i === values.length - 1
              ? seriesColor(theme, 3)
              : v >= 0
                ? theme.positive
                : theme.negative,
          ),
        },
        hovertemplate: '%{x}<br>dollar beta: %{y:$,.0f}<extra></extra>',
      },
    ],
    layout: baseLayout(theme, {
      title: 'Pair: dollar beta per leg and residual',
      x: 'Leg',
      y: 'Dollar beta (USD × beta)',
      xaxis: { type: 'category' },
      yaxis: { tickformat: '$,.0f' },
      extra: { showlegend: false },
    }),
    config: baseConfig(),
  };
}

export function portfolioFigure(
  result: Extract<CellResult, { kind: 'portfolio' }>,
  theme: Theme,
): Figure | null {
  if (result.positions.length === 0) return null;
  return {
    id: 'portfolio-values',
    title: 'Portfolio value by asset',
    data: [
      {
        type: 'bar',
        name: 'value',
        x: result.positions.map((p) => escapePlotly(p.asset)),
        y: result.positions.map((p) => p.value),
        customdata: result.positions.map((p) => [p.weight]),
        marker: { color: seriesColor(theme, 0) },
        hovertemplate: '%{x}<br>%{y:$,.2f} (%{customdata[0]:.1%})<extra></extra>',
      },
    ],
    layout: baseLayout(theme, {
      title: `Portfolio ${result.name}: value by asset`,
      x: 'Asset',
      y: 'Value (USD)',
      xaxis: { type: 'category' },
      yaxis: { tickformat: '$,.0f' },
      extra: { showlegend: false },
    }),
    config: baseConfig(),
  };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** Figures of the risk cells: the stress ladder (P&L hedged vs unhedged across benchmark moves,
 *  the hedge's liquidation marked), stress scenarios as bars, and for the choice of hedge the
 *  rolling correlation of the book with each candidate and each candidate's effectiveness. */
import type { BasisResult, StressResult } from '../results';
import { escapePlotly } from './escape';
import {
  baseConfig,
  baseLayout,
  sampleNote,
  seriesColor,
  type Figure,
  type Trace,
} from './figure-style';
import type { Theme } from './theme';

const pctText = (m: number) => `${m > 0 ? '+' : ''}${(m * 100).toFixed(1)}%`;

export function stressLadderFigure(r: StressResult, theme: Theme): Figure | null {
  const rows = r.scenarios
    .filter((s) => s.kind === 'ladder')
    .sort((a, b) => a.benchmarkMove - b.benchmarkMove);
  if (rows.length < 2) return null;
  const x = rows.map((s) => s.benchmarkMove * 100);
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: 'Unhedged',
      x,
      y: rows.map((s) => s.unhedgedPnl),
      line: { color: seriesColor(theme, 0), width: theme.lineWidth },
      hovertemplate: 'benchmark %{x:+.1f}%<br>unhedged $%{y:,.0f}<extra></extra>',
    },
  ];
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  if (r.hedge) {
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `Hedged (${escapePlotly(r.hedge.instrument)})`,
      x,
      y: rows.map((s) => s.hedgedPnl),
      customdata: rows.map((s) => [s.hedgePnl ?? 0, s.liquidated ? 'liquidated' : 'held']),
      line: { color: seriesColor(theme, 1), width: theme.lineWidth },
      hovertemplate:
        'benchmark %{x:+.1f}%<br>hedged $%{y:,.0f}<br>hedge leg $%{customdata[0]:,.0f} (%{customdata[1]})<extra></extra>',
    });
    const liq = rows.filter((s) => s.liquidated);
    if (liq.length > 0)
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: 'Hedge liquidated',
        x: liq.map((s) => s.benchmarkMove * 100),
        y: liq.map((s) => s.hedgedPnl),
        marker: { color: theme.negative, size: 11, symbol: 'x' },
        hovertemplate:
          'benchmark %{x:+.1f}%: hedge leg liquidated<br>hedged $%{y:,.0f}<extra></extra>',
      });
    const m = r.liquidationBenchmarkMove;
    if (m !== null && m * 100 >= (x[0] as number) && m * 100 <= (x[x.length - 1] as number)) {
      shapes.push({
        type: 'line',
        yref: 'paper',
        x0: m * 100,
        x1: m * 100,
        y0: 0,
        y1: 1,
        line: { color: theme.negative, width: theme.lineWidth, dash: 'dash' },
      });
      annotations.push({
        text: escapePlotly(`hedge liquidated at ${pctText(m)}`),
        x: m * 100,
        xanchor: m > 0 ? 'right' : 'left',
        yref: 'paper',
        y: 1,
        yanchor: 'top',
        showarrow: false,
        font: { color: theme.negative },
      });
    }
  }
  return {
    id: 'stress-ladder',
    title: 'P&L ladder: hedged vs unhedged across benchmark moves',
    data,
    layout: baseLayout(theme, {
      title: `P&L across ${r.benchmark} moves${r.hedge ? `, hedged with ${r.hedge.instrument}` : ''}`,
      x: `${r.benchmark} move (%)`,
      y: 'P&L (USD)',
      xaxis: { ticksuffix: '%', zeroline: true },
      yaxis: { tickformat: '$,.0f', zeroline: true },
      extra: { shapes, annotations, hovermode: 'x' },
    }),
    config: baseConfig(),
  };
}

export function stressScenarioFigure(r: StressResult, theme: Theme): Figure | null {
  const rows = r.scenarios.filter((s) => s.kind !== 'ladder');
  if (rows.length === 0) return null;
  const labels = rows.map((s) => escapePlotly(s.name));
  const data: Trace[] = [
    {
      type: 'bar',
      name: 'Unhedged',
      x: labels,
      y: rows.map((s) => s.unhedgedPnl),
      marker: { color: seriesColor(theme, 0) },
      hovertemplate: '%{x}<br>unhedged $%{y:,.0f}<extra></extra>',
    },
  ];
  if (r.hedge)
    data.push({
      type: 'bar',
      name: 'Hedged',
      x: labels,
      y: rows.map((s) => s.hedgedPnl),
      marker: {
        color: rows.map((s) => (s.liquidated ? theme.negative : seriesColor(theme, 1))),
      },
      hovertemplate: '%{x}<br>hedged $%{y:,.0f}<extra></extra>',
    });
  return {
    id: 'stress-scenarios',
    title: 'Stress scenarios: P&L unhedged and hedged',
    data,
    layout: baseLayout(theme, {
      title: `Scenarios${r.hedge ? ' (red: hedge leg liquidated)' : ''}`,
      x: 'Scenario',
      y: 'P&L (USD)',
      xaxis: { type: 'category' },
      yaxis: { tickformat: '$,.0f' },
      extra: { barmode: 'group' },
    }),
    config: baseConfig(),
  };
}

export function basisRollingFigure(r: BasisResult, theme: Theme): Figure | null {
  const f = r.rolling;
  if (!f || f.t.length === 0) return null;
  const data: Trace[] = Object.entries(f.columns).map(([name, col], i) => ({
    type: 'scatter',
    mode: 'lines',
    name: escapePlotly(name),
    x: f.t,
    y: col,
    connectgaps: false,
    line: { color: seriesColor(theme, i), width: theme.lineWidth },
    hovertemplate: `${escapePlotly(name)} ρ %{y:.3f}<extra>%{x}</extra>`,
  }));
  const annotations: Record<string, unknown>[] = [
    {
      text: escapePlotly(`warning below ${r.threshold}`),
      xref: 'paper',
      x: 0,
      xanchor: 'left',
      y: r.threshold,
      yanchor: 'top',
      showarrow: false,
      font: { color: theme.muted },
    },
  ];
  return {
    id: 'basis-rolling-correlation',
    title: `Rolling correlation of the book with each candidate (${r.recent} periods)`,
    data,
    layout: baseLayout(theme, {
      title: `Rolling ${r.recent}-period correlation of ${r.portfolio} with each hedge`,
      x: 'Time',
      y: 'Correlation',
      xaxis: { type: 'date' },
      yaxis: { range: [-0.05, 1.05] },
      note: [sampleNote(f.points)],
      extra: {
        hovermode: 'x',
        annotations,
        shapes: [
          {
            type: 'line',
            xref: 'paper',
            x0: 0,
            x1: 1,
            y0: r.threshold,
            y1: r.threshold,
            line: { color: theme.negative, width: 1, dash: 'dot' },
          },
        ],
      },
    }),
    config: baseConfig(),
  };
}

export function basisEffectivenessFigure(r: BasisResult, theme: Theme): Figure | null {
  if (r.candidates.length === 0) return null;
  const names = r.candidates.map((c) => escapePlotly(c.name));
  const combined = r.combined ? [escapePlotly(r.combined.names.join(' + '))] : [];
  const bar = (
    name: string,
    i: number,
    values: (number | null)[],
    extra: (number | null)[] = [],
  ) => ({
    type: 'bar' as const,
    name,
    x: [...names, ...combined],
    y: [...values, ...extra].map((v) => (v === null ? null : v * 100)),
    marker: { color: seriesColor(theme, i) },
    hovertemplate: `%{x}<br>${name}: %{y:.1f}%<extra></extra>`,
  });
  return {
    id: 'basis-effectiveness',
    title: 'Hedge effectiveness per candidate, in sample and walk-forward',
    data: [
      bar(
        'Beta hedge, walk-forward',
        0,
        r.candidates.map((c) => c.walkForwardBeta),
        r.combined ? [null] : [],
      ),
      bar(
        'Min-variance, in sample',
        1,
        r.candidates.map((c) => c.effectivenessMinVariance),
        r.combined ? [r.combined.effectiveness] : [],
      ),
      bar(
        'Min-variance, walk-forward',
        2,
        r.candidates.map((c) => c.walkForwardMinVariance),
        r.combined ? [r.combined.walkForward] : [],
      ),
    ],
    layout: baseLayout(theme, {
      title: `Variance removed (1 − var hedged / var book); recommended: ${r.recommendation.candidate}`,
      x: 'Hedge',
      y: 'Effectiveness (%)',
      xaxis: { type: 'category' },
      yaxis: { ticksuffix: '%', range: [0, 100] },
      extra: { barmode: 'group' },
    }),
    config: baseConfig(),
  };
}

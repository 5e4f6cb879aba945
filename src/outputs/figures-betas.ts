/** Figures of a betas result: returns scatter with the fitted line (asset selector), beta bars
 *  with 95% interval whiskers, rolling beta and rolling correlation with interval bands, and
 *  the correlation heatmap. Pure: result + theme -> plotly figures. */
import type { BetasResult } from '../results';
import { escapePlotly } from './escape';
import { fmtNum } from './format';
import {
  baseConfig,
  baseLayout,
  seriesColor,
  withAlpha,
  type Figure,
  type Trace,
} from './figure-style';
import { DRAW_MAX_POINTS, drawIndices, pick, thinScatterIndices } from './lttb';
import type { Theme } from './theme';

/** Above this many points per asset the scatter cloud is thinned for drawing. */
export const SCATTER_MAX_POINTS = 3000;

export function betasScatterFigure(result: BetasResult, theme: Theme): Figure | null {
  const series = result.scatter.filter((s) => s.x.length > 0);
  if (series.length === 0) return null;
  const data: Trace[] = [];
  const owner: number[] = []; // which asset each trace belongs to
  let drawnNote = '';
  // Open on the first asset that is not the benchmark itself (its scatter is a diagonal line).
  const first = Math.max(
    0,
    series.findIndex((s) => s.asset !== result.benchmark),
  );
  series.forEach((s, i) => {
    const color = seriesColor(theme, i);
    const name = escapePlotly(s.asset);
    const idx = thinScatterIndices(s.x, s.y, SCATTER_MAX_POINTS);
    if (idx.length < s.x.length && drawnNote === '') {
      drawnNote = `${idx.length} of ${s.x.length} points drawn`;
    }
    data.push({
      type: 'scatter',
      mode: 'markers',
      name,
      legendgroup: name,
      x: pick(s.x, idx),
      y: pick(s.y, idx),
      marker: { color: withAlpha(color, 0.55), size: 5, line: { width: 0 } },
      hovertemplate: `benchmark %{x:.3%}<br>${name} %{y:.3%}<extra></extra>`,
      visible: i === first,
    });
    owner.push(i);
    const row = result.rows.find((r) => r.asset === s.asset);
    if (row) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of s.x) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${name} fit: β ${row.beta.toFixed(3)}`,
        legendgroup: name,
        x: [lo, hi],
        y: [row.alpha + row.beta * lo, row.alpha + row.beta * hi],
        line: { color, width: theme.lineWidth + 0.5 },
        hovertemplate: `fit y = ${row.alpha.toExponential(2)} + ${row.beta.toFixed(3)} x<extra></extra>`,
        visible: i === first,
      });
      owner.push(i);
    }
  });
  const buttons = [
    ...series.map((s, i) => ({
      label: escapePlotly(s.asset),
      method: 'restyle',
      args: ['visible', owner.map((o) => o === i)],
    })),
    { label: 'All assets', method: 'restyle', args: ['visible', owner.map(() => true)] },
  ];
  const layout = baseLayout(theme, {
    title: `Returns vs ${result.benchmark}`,
    x: `${result.benchmark} return (${result.frequency}, ${result.returns})`,
    y: 'Asset return',
    xaxis: { tickformat: '.1%', zeroline: true },
    yaxis: { tickformat: '.1%', zeroline: true },
    extra: {
      updatemenus:
        series.length > 1
          ? [
              {
                type: 'dropdown',
                buttons,
                active: first,
                x: 1,
                xanchor: 'right',
                y: 1.01,
                yanchor: 'bottom',
                pad: { b: 2 },
                bgcolor: theme.background,
                bordercolor: theme.grid,
                font: { color: theme.foreground },
              },
            ]
          : [],
      annotations: drawnNote
        ? [
            {
              text: drawnNote,
              xref: 'paper',
              yref: 'paper',
              x: 0,
              y: 0,
              xanchor: 'left',
              yanchor: 'bottom',
              showarrow: false,
              font: { color: theme.muted, size: theme.font.size - 3 },
            },
          ]
        : [],
    },
  });
  return {
    id: 'betas-scatter',
    title: `Returns vs ${result.benchmark}`,
    data,
    layout,
    config: baseConfig(),
  };
}

export function betaBarsFigure(result: BetasResult, theme: Theme): Figure | null {
  if (result.rows.length === 0) return null;
  const rows = result.rows;
  const shapes: Record<string, unknown>[] = [
    {
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: 1,
      y1: 1,
      line: { color: theme.muted, width: 1, dash: 'dot' },
    },
  ];
  const annotations: Record<string, unknown>[] = [];
  if (result.portfolio) {
    const b = result.portfolio.betaWeighted;
    shapes.push({
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: b,
      y1: b,
      line: { color: seriesColor(theme, 1), width: theme.lineWidth, dash: 'dash' },
    });
    annotations.push({
      text: escapePlotly(`portfolio ${result.portfolio.name}: β ${b.toFixed(3)}`),
      xref: 'paper',
      x: 1,
      xanchor: 'right',
      y: b,
      yanchor: 'bottom',
      showarrow: false,
      font: { color: seriesColor(theme, 1) },
    });
  }
  return {
    id: 'betas-bars',
    title: `Beta to ${result.benchmark} with 95% interval`,
    data: [
      {
        type: 'bar',
        name: 'beta',
        x: rows.map((r) => escapePlotly(r.asset)),
        y: rows.map((r) => r.beta),
        marker: { color: seriesColor(theme, 0) },
        error_y: {
          type: 'data',
          symmetric: false,
          // no interval (null) for an exact row such as the benchmark's own: no whisker
          array: rows.map((r) => (r.ciHigh ?? r.beta) - r.beta),
          arrayminus: rows.map((r) => r.beta - (r.ciLow ?? r.beta)),
          color: theme.foreground,
          thickness: theme.lineWidth,
          width: 6,
          visible: true,
        },
        customdata: rows.map((r) => [
          r.ciLow === null ? '—' : `${fmtNum(r.ciLow)} to ${fmtNum(r.ciHigh)}`,
          r.n,
          r.r2,
        ]),
        hovertemplate:
          '%{x}<br>β %{y:.3f}<br>95% CI %{customdata[0]}' +
          '<br>R² %{customdata[2]:.3f}, n %{customdata[1]}<extra></extra>',
      },
    ],
    layout: baseLayout(theme, {
      title: `Beta to ${result.benchmark} with 95% interval`,
      x: 'Asset',
      y: 'Beta',
      xaxis: { type: 'category' },
      extra: { shapes, annotations, showlegend: false },
    }),
    config: baseConfig(),
  };
}

const timeMs = (times: readonly string[]) => times.map((t) => Date.parse(t));

/** Hover shows the exact time of a point: the date for daily or slower data, else date+time. */
function timeHoverFormat(frequency: string): string {
  return /^\d*[dwmy]$/i.test(frequency.trim()) ? '%Y-%m-%d' : '%Y-%m-%d %H:%M';
}

/** 95% interval of a correlation from Fisher's z: tanh(atanh(r) ± 1.96 / sqrt(window - 3)). */
export function correlationInterval(r: number, window: number): [number, number] {
  if (window <= 3) return [-1, 1];
  const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, r)));
  const h = 1.959964 / Math.sqrt(window - 3);
  return [Math.tanh(z - h), Math.tanh(z + h)];
}

function bandTraces(
  name: string,
  x: string[],
  low: (number | null)[],
  high: (number | null)[],
  color: string,
): Trace[] {
  return [
    {
      type: 'scatter',
      mode: 'lines',
      name: `${name} 95% low`,
      legendgroup: name,
      showlegend: false,
      x,
      y: low,
      line: { width: 0, color },
      hoverinfo: 'skip',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: `${name} 95% band`,
      legendgroup: name,
      showlegend: false,
      x,
      y: high,
      fill: 'tonexty',
      fillcolor: withAlpha(color, 0.18),
      line: { width: 0, color },
      hoverinfo: 'skip',
    },
  ];
}

export function rollingBetaFigure(result: BetasResult, theme: Theme): Figure | null {
  if (result.rolling.length === 0) return null;
  const data: Trace[] = [];
  result.rolling.forEach((r, i) => {
    const color = seriesColor(theme, i);
    const name = escapePlotly(r.asset);
    const idx = drawIndices(timeMs(r.times), r.beta, DRAW_MAX_POINTS);
    const x = pick(r.times, idx);
    data.push(...bandTraces(name, x, pick(r.betaLow, idx), pick(r.betaHigh, idx), color));
    data.push({
      type: 'scatter',
      mode: 'lines',
      name,
      legendgroup: name,
      x,
      y: pick(r.beta, idx),
      line: { color, width: theme.lineWidth },
      connectgaps: false,
      xhoverformat: timeHoverFormat(result.frequency),
      hovertemplate: `${name} β %{y:.3f}<extra>%{x}</extra>`,
    });
  });
  const window = result.rolling[0]?.window ?? 0;
  return {
    id: 'betas-rolling-beta',
    title: `Rolling beta (${window} periods) with 95% band`,
    data,
    layout: baseLayout(theme, {
      title: `Rolling beta to ${result.benchmark} (${window} periods, 95% band)`,
      x: 'Time',
      y: 'Beta',
      xaxis: { type: 'date' },
      extra: { hovermode: 'x' },
    }),
    config: baseConfig(),
  };
}

export function rollingCorrelationFigure(result: BetasResult, theme: Theme): Figure | null {
  if (result.rolling.length === 0) return null;
  const data: Trace[] = [];
  result.rolling.forEach((r, i) => {
    const color = seriesColor(theme, i);
    const name = escapePlotly(r.asset);
    const idx = drawIndices(timeMs(r.times), r.correlation, DRAW_MAX_POINTS);
    const x = pick(r.times, idx);
    const y = pick(r.correlation, idx);
    const band = y.map((v) => (v === null ? null : correlationInterval(v, r.window)));
    data.push(
      ...bandTraces(
        name,
        x,
        band.map((b) => (b ? b[0] : null)),
        band.map((b) => (b ? b[1] : null)),
        color,
      ),
    );
    data.push({
      type: 'scatter',
      mode: 'lines',
      name,
      legendgroup: name,
      x,
      y,
      line: { color, width: theme.lineWidth },
      connectgaps: false,
      xhoverformat: timeHoverFormat(result.frequency),
      hovertemplate: `${name} ρ %{y:.3f}<extra>%{x}</extra>`,
    });
  });
  const window = result.rolling[0]?.window ?? 0;
  return {
    id: 'betas-rolling-correlation',
    title: `Rolling correlation (${window} periods) with 95% band`,
    data,
    layout: baseLayout(theme, {
      title: `Rolling correlation with ${result.benchmark} (${window} periods, 95% band)`,
      x: 'Time',
      y: 'Correlation',
      xaxis: { type: 'date' },
      yaxis: { range: [-1.05, 1.05] },
      extra: { hovermode: 'x' },
    }),
    config: baseConfig(),
  };
}

export function correlationHeatmapFigure(result: BetasResult, theme: Theme): Figure | null {
  const { assets, matrix } = result.correlation;
  if (assets.length < 2) return null;
  const labels = assets.map(escapePlotly);
  return {
    id: 'betas-correlation',
    title: 'Correlation of returns',
    data: [
      {
        type: 'heatmap',
        x: labels,
        y: labels,
        z: matrix,
        zmin: -1,
        zmax: 1,
        colorscale: [
          [0, theme.negative],
          [0.5, theme.background],
          [1, theme.series[0] ?? theme.positive],
        ],
        texttemplate: '%{z:.2f}',
        textfont: { color: theme.foreground },
        hovertemplate: '%{y} / %{x}: ρ %{z:.3f}<extra></extra>',
        colorbar: { tickfont: { color: theme.foreground }, outlinewidth: 0, thickness: 12 },
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: baseLayout(theme, {
      title: 'Correlation of returns',
      x: '',
      y: '',
      xaxis: { type: 'category', showgrid: false },
      yaxis: { type: 'category', autorange: 'reversed', showgrid: false },
      extra: { height: Math.min(560, 160 + 36 * assets.length) },
    }),
    config: baseConfig(),
  };
}

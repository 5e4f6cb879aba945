/** Figures of a betas result: beta bars with 95% interval whiskers and the portfolio beta,
 *  returns scatter with the fitted line (one asset at a time, an asset selector), rolling beta
 *  and rolling correlation (the selected asset with its 95% band, the others for context), and
 *  the correlation heatmap in cluster order. Pure: result + theme -> plotly figures, drawn from
 *  what the result saved (docs/results.md, "Bounded series"); a chart drawn from a sample says
 *  so under its title. */
import { frameIndices, pick, scatterIndices } from '../engine/downsample';
import { isSample, SERIES_BOUNDS, type BetasResult, type Shown } from '../results';
import { escapePlotly } from './escape';
import { fmtNum } from './format';
import {
  baseConfig,
  baseLayout,
  count,
  noteText,
  sampleNote,
  seriesColor,
  seriesStyle,
  withAlpha,
  type Figure,
  type Trace,
} from './figure-style';
import type { Theme } from './theme';

/** What a chart draws at most, whatever the result carries (a `--full-series` result in the
 *  HTML report carries every point): beyond these, the chart draws a sample of its own. */
export const DRAW_LINE_POINTS = 2000;
export const DRAW_SCATTER_POINTS = 3000;

/** Above this many series a chart's legend moves from under the plot to the right (one column
 *  that scrolls) and its hover shows the nearest line instead of every line. */
const LEGEND_ON_TOP_MAX = 6;
/** Lines of the assets not selected on a rolling chart: there for context, behind the selected. */
const CONTEXT_OPACITY = 0.45;
/** Above this many assets the heatmap's cells carry no printed value (hover still has it). */
const HEATMAP_TEXT_MAX = 12;

const join = (...notes: string[]) => notes.filter((n) => n !== '').join(' · ');

/** '20 of 100 assets drawn: the largest positions', or '' when the chart draws every asset
 *  (`drawn`: how many of the result's charted assets the chart draws, when it draws fewer). */
function assetNote(result: BetasResult, drawn?: number): string {
  const { assets, of, by } = result.chartAssets;
  const shown = Math.min(assets.length, drawn ?? assets.length);
  if (shown >= of) return '';
  const which = by === 'value' ? 'the largest positions' : 'the first listed';
  return `${count(shown)} of ${count(of)} assets drawn: ${which}`;
}

/** Legend under the plot (a few series) or in a scrolling column at the right (many). */
const legendFor = (theme: Theme, series: number) =>
  series > LEGEND_ON_TOP_MAX ? sideLegend(theme) : bottomLegend(theme);
const sideLegend = (theme: Theme) => ({
  orientation: 'v',
  x: 1.01,
  xanchor: 'left',
  y: 1,
  yanchor: 'top',
  font: { color: theme.foreground, size: theme.font.size - 2 },
});
const bottomLegend = (theme: Theme) => ({
  orientation: 'h',
  x: 0,
  xanchor: 'left',
  y: -0.14,
  yanchor: 'top',
  font: { color: theme.foreground },
});

function dropdown(theme: Theme, buttons: unknown[], active: number): Record<string, unknown> {
  return {
    type: 'dropdown',
    buttons,
    active,
    x: 1,
    xanchor: 'right',
    y: 1.01,
    yanchor: 'bottom',
    pad: { b: 4 },
    bgcolor: theme.background,
    bordercolor: theme.grid,
    font: { color: theme.foreground, size: theme.font.size - 2 },
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
  const data: Trace[] = [
    {
      type: 'bar',
      name: 'beta',
      showlegend: false,
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
        width: rows.length > 40 ? 0 : 6,
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
  ];
  if (result.portfolio) {
    // The portfolio beta: a dashed line across the bars, labelled in the legend (a label on
    // the line itself sat on top of a bar).
    const b = result.portfolio.betaWeighted;
    const color = seriesColor(theme, 1);
    shapes.push({
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: b,
      y1: b,
      line: { color, width: theme.lineWidth + 0.5, dash: 'dash' },
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: escapePlotly(`portfolio ${result.portfolio.name}: β ${b.toFixed(3)} (Σ wᵢβᵢ)`),
      x: [null],
      y: [null],
      line: { color, width: theme.lineWidth + 0.5, dash: 'dash' },
      hoverinfo: 'skip',
    });
  }
  return {
    id: 'betas-bars',
    title: `Beta to ${result.benchmark} with 95% interval`,
    data,
    layout: baseLayout(theme, {
      title: `Beta to ${result.benchmark} with 95% interval`,
      x: 'Asset',
      y: 'Beta',
      xaxis: { type: 'category' },
      extra: { shapes, showlegend: result.portfolio !== null },
    }),
    config: baseConfig(),
  };
}

export function betasScatterFigure(result: BetasResult, theme: Theme): Figure | null {
  const series = result.scatter
    .filter((s) => s.cloud.x.length > 0)
    .slice(0, SERIES_BOUNDS.chartAssets);
  if (series.length === 0) return null;
  const assets = assetNote(
    result,
    series.length < result.scatter.length ? series.length : undefined,
  );
  const data: Trace[] = [];
  const owner: number[] = []; // which asset each trace belongs to
  const notes: string[] = [];
  let sampled = false;
  series.forEach((s, i) => {
    const { color, symbol } = seriesStyle(theme, i);
    const name = escapePlotly(s.asset);
    let { x, y } = s.cloud;
    let points: Shown = s.cloud.points;
    if (x.length > DRAW_SCATTER_POINTS) {
      const idx = scatterIndices(x, y, DRAW_SCATTER_POINTS);
      [x, y] = [pick(x, idx), pick(y, idx)];
      points = { shown: idx.length, of: points.of };
    }
    const row = result.rows.find((r) => r.asset === s.asset);
    if (isSample(points)) sampled = true;
    notes.push(
      join(
        row ? `${s.asset}: β ${row.beta.toFixed(3)}, the line α + β·x` : '',
        sampleNote(points, 'returns'),
      ),
    );
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: row ? `${name} (β ${row.beta.toFixed(3)})` : name,
      legendgroup: name,
      x,
      y,
      marker: { color: withAlpha(color, 0.75), size: 5, symbol, line: { width: 0 } },
      hovertemplate: `${escapePlotly(result.benchmark)} %{x:.3%}<br>${name} %{y:.3%}<extra></extra>`,
      visible: i === 0,
    });
    owner.push(i);
    if (row) {
      // The fitted line over the cloud's range (its extremes are always among the saved points).
      const lo = Math.min(...x);
      const hi = Math.max(...x);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${name} fit`,
        legendgroup: name,
        showlegend: false,
        x: [lo, hi],
        y: [row.alpha + row.beta * lo, row.alpha + row.beta * hi],
        line: { color, width: theme.lineWidth + 0.5 },
        hovertemplate: `fit y = ${row.alpha.toExponential(2)} + ${row.beta.toFixed(3)} x<extra></extra>`,
        visible: i === 0,
      });
      owner.push(i);
    }
  });
  const buttons = series.map((s, i) => ({
    label: escapePlotly(s.asset),
    method: 'update',
    args: [
      { visible: owner.map((o) => o === i) },
      { 'title.subtitle.text': noteText([notes[i] ?? '', assets]), showlegend: false },
    ],
  }));
  if (series.length > 1)
    buttons.push({
      label: 'All assets',
      method: 'update',
      args: [
        { visible: owner.map(() => true) },
        {
          'title.subtitle.text': noteText([
            sampled ? 'each asset drawn from a sample of its returns' : '',
            assets,
          ]),
          showlegend: true,
        },
      ],
    });
  const title = `Returns vs ${result.benchmark}`;
  return {
    id: 'betas-scatter',
    title,
    data,
    layout: baseLayout(theme, {
      title,
      note: [notes[0] ?? '', assets],
      x: `${result.benchmark} return (${result.frequency}, ${result.returns})`,
      y: 'Asset return',
      xaxis: { tickformat: '.1%', zeroline: true },
      yaxis: { tickformat: '.1%', zeroline: true },
      extra: {
        // One asset at a time: its name and beta are in the note and the menu, no legend.
        showlegend: false,
        legend: sideLegend(theme),
        updatemenus: series.length > 1 ? [dropdown(theme, buttons, 0)] : [],
      },
    }),
    config: baseConfig(),
  };
}

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

/** Rolling beta or correlation: one line per charted asset; the selected asset (the first, or
 *  the one picked in the chart's menu) drawn on top with its 95% band, the others thinner and
 *  fainter for context; 'All, no bands' draws every line alike. */
function rollingFigure(
  result: BetasResult,
  theme: Theme,
  what: 'beta' | 'correlation',
): Figure | null {
  const r = result.rolling;
  if (!r || r.series.length === 0 || r.t.length === 0) return null;
  const series = r.series.slice(0, SERIES_BOUNDS.chartAssets);
  let rows: number[] | null = null; // null: every saved row
  let points: Shown = r.points;
  if (r.t.length > DRAW_LINE_POINTS) {
    const cols = series.flatMap((s) => [s.beta, s.correlation]).map(nanColumn);
    rows = frameIndices(r.t, cols, DRAW_LINE_POINTS);
    points = { shown: rows.length, of: r.points.of };
  }
  const take = <T>(xs: T[]): T[] => (rows ? pick(xs, rows) : xs);
  const x = take(r.t);
  const many = series.length > LEGEND_ON_TOP_MAX;
  // High contrast keeps every line at full strength (the selected one is thicker).
  const context = theme.kind.startsWith('high-contrast') ? 1 : CONTEXT_OPACITY;
  const data: Trace[] = [];
  const bands: boolean[] = []; // per trace: is it a band trace
  const owner: number[] = [];
  series.forEach((s, i) => {
    const { color, dash } = seriesStyle(theme, i);
    const name = escapePlotly(s.asset);
    const y = take(what === 'beta' ? s.beta : s.correlation);
    let low: (number | null)[];
    let high: (number | null)[];
    if (what === 'beta') {
      const se = take(s.stdErr);
      low = y.map((b, k) => (b === null || se[k] == null ? null : b - 1.96 * se[k]));
      high = y.map((b, k) => (b === null || se[k] == null ? null : b + 1.96 * se[k]));
    } else {
      const band = y.map((v) => (v === null ? null : correlationInterval(v, r.window)));
      low = band.map((b) => (b ? b[0] : null));
      high = band.map((b) => (b ? b[1] : null));
    }
    const selected = i === 0;
    for (const [part, values] of [
      ['low', low],
      ['high', high],
    ] as const) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${name} 95% ${part}`,
        legendgroup: name,
        showlegend: false,
        x,
        y: values,
        ...(part === 'high' ? { fill: 'tonexty', fillcolor: withAlpha(color, 0.2) } : {}),
        line: { width: 0, color },
        hoverinfo: 'skip',
        visible: selected,
      });
      bands.push(true);
      owner.push(i);
    }
    data.push({
      type: 'scatter',
      mode: 'lines',
      name,
      legendgroup: name,
      x,
      y,
      line: { color, dash, width: selected ? theme.lineWidth + 0.5 : theme.lineWidth },
      opacity: selected || series.length === 1 ? 1 : context,
      visible: true,
      connectgaps: false,
      xhoverformat: timeHoverFormat(result.frequency),
      hovertemplate: `${name} ${what === 'beta' ? 'β' : 'ρ'} %{y:.3f}<extra>%{x}</extra>`,
    });
    bands.push(false);
    owner.push(i);
  });
  const select = (k: number | null) => ({
    visible: bands.map((band, j) => !band || owner[j] === k),
    opacity: bands.map((_, j) => (k === null || owner[j] === k ? 1 : context)),
    'line.width': bands.map((band, j) =>
      band ? 0 : owner[j] === k ? theme.lineWidth + 0.5 : theme.lineWidth,
    ),
  });
  const buttons = [
    ...series.map((s, i) => ({
      label: escapePlotly(s.asset),
      method: 'restyle',
      args: [select(i)],
    })),
    { label: 'All, no bands', method: 'restyle', args: [select(null)] },
  ];
  const title =
    what === 'beta'
      ? `Rolling beta to ${result.benchmark}`
      : `Rolling correlation with ${result.benchmark}`;
  const capped = series.length < r.series.length ? series.length : undefined;
  return {
    id: what === 'beta' ? 'betas-rolling-beta' : 'betas-rolling-correlation',
    title,
    data,
    layout: baseLayout(theme, {
      title,
      note: [
        join(`window ${r.window} × ${result.frequency}, 95% band`, sampleNote(points)),
        assetNote(result, capped),
      ],
      x: '',
      y: what === 'beta' ? 'Beta' : 'Correlation',
      xaxis: { type: 'date', ticklabelmode: 'period' },
      extra: {
        hovermode: many ? 'closest' : 'x',
        legend: legendFor(theme, series.length),
        updatemenus: series.length > 1 ? [dropdown(theme, buttons, 0)] : [],
      },
    }),
    config: baseConfig(),
  };
}

export function rollingBetaFigure(result: BetasResult, theme: Theme): Figure | null {
  return rollingFigure(result, theme, 'beta');
}

export function rollingCorrelationFigure(result: BetasResult, theme: Theme): Figure | null {
  return rollingFigure(result, theme, 'correlation');
}

export function correlationHeatmapFigure(result: BetasResult, theme: Theme): Figure | null {
  const k = Math.min(result.correlation.assets.length, SERIES_BOUNDS.chartAssets);
  if (k < 2) return null;
  const labels = result.correlation.assets.slice(0, k).map(escapePlotly);
  const matrix = result.correlation.matrix.slice(0, k).map((row) => row.slice(0, k));
  const order = result.correlation.order === 'cluster' ? ', similar assets side by side' : '';
  const title = 'Correlation of returns';
  return {
    id: 'betas-correlation',
    title,
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
        ...(k <= HEATMAP_TEXT_MAX
          ? { texttemplate: '%{z:.2f}', textfont: { color: theme.foreground } }
          : {}),
        hovertemplate: '%{y} / %{x}: ρ %{z:.3f}<extra></extra>',
        colorbar: { tickfont: { color: theme.foreground }, outlinewidth: 0, thickness: 12 },
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: baseLayout(theme, {
      title,
      note: [
        `over the estimation window${order}`,
        assetNote(result, k < result.correlation.assets.length ? k : undefined),
      ],
      x: '',
      y: '',
      xaxis: { type: 'category', showgrid: false },
      yaxis: { type: 'category', autorange: 'reversed', showgrid: false },
      extra: { height: Math.min(600, 180 + 30 * k), showlegend: false },
    }),
    config: baseConfig(),
  };
}

/** A saved column (null = gap) as the engine's reductions take it (NaN = gap). */
function nanColumn(c: readonly (number | null)[]): Float64Array {
  return Float64Array.from(c, (v) => (v === null ? NaN : v));
}

/** Shared plotly layout/config pieces coloured from a Theme. Only the trace types the renderer
 *  registers are used: scatter, bar, heatmap. */
import { escapePlotly } from './escape';
import type { Theme } from './theme';

export type TraceType = 'scatter' | 'bar' | 'heatmap';
export interface Trace {
  readonly type: TraceType;
  readonly [key: string]: unknown;
}

/** A plotly figure: what `Plotly.react(element, data, layout, config)` takes. `title` is plain
 *  text (not escaped) for a caption or an accessible label; strings inside data/layout are
 *  already escaped for plotly. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly data: Trace[];
  readonly layout: Record<string, unknown>;
  readonly config: Record<string, unknown>;
}

export const FIGURE_HEIGHT = 400;

/** A colour with an alpha channel (for bands); hex and rgb() are converted, anything else
 *  falls back to the given colour unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (hex) {
    const h = hex[1] as string;
    const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
    const n = Number.parseInt(full, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}

export function seriesColor(theme: Theme, i: number): string {
  return theme.series[i % theme.series.length] ?? theme.foreground;
}

function axis(theme: Theme, title: string, extra: Record<string, unknown> = {}) {
  return {
    title: { text: escapePlotly(title), font: { color: theme.foreground } },
    color: theme.foreground,
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    linecolor: theme.grid,
    automargin: true,
    ...extra,
  };
}

/** The common layout: transparent background (the output's own background shows through),
 *  text in the theme's foreground and font, grid in the theme's line colour. */
export function baseLayout(
  theme: Theme,
  opts: {
    title: string;
    x: string;
    y: string;
    xaxis?: Record<string, unknown>;
    yaxis?: Record<string, unknown>;
    extra?: Record<string, unknown>;
  },
): Record<string, unknown> {
  return {
    title: {
      text: escapePlotly(opts.title),
      font: { color: theme.foreground, size: theme.font.size + 2 },
      x: 0,
      xanchor: 'left',
      xref: 'paper',
      yref: 'container',
      y: 1,
      yanchor: 'top',
      pad: { t: 8 },
    },
    font: { family: theme.font.family, size: theme.font.size - 1, color: theme.foreground },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    colorway: [...theme.series],
    height: FIGURE_HEIGHT,
    autosize: true,
    margin: { l: 64, r: 24, t: opts.extra?.['showlegend'] === false ? 52 : 84, b: 48 },
    xaxis: axis(theme, opts.x, opts.xaxis),
    yaxis: axis(theme, opts.y, opts.yaxis),
    legend: {
      orientation: 'h',
      x: 0,
      y: 1.02,
      yanchor: 'bottom',
      font: { color: theme.foreground },
    },
    hoverlabel: {
      bgcolor: theme.background,
      bordercolor: theme.foreground,
      font: { color: theme.foreground, family: theme.font.family },
    },
    ...opts.extra,
  };
}

/** Interactive, offline: no plotly cloud links, a small mode bar. */
export function baseConfig(): Record<string, unknown> {
  return {
    responsive: true,
    displaylogo: false,
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    displayModeBar: 'hover',
    modeBarButtonsToRemove: ['lasso2d', 'select2d', 'sendDataToCloud'],
  };
}

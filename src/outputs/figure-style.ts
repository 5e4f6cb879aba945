/** Shared plotly layout/config pieces coloured from a Theme. Only the trace types the renderer
 *  registers are used: scatter, bar, heatmap. */
import { isSample, type Shown } from '../results';
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

/** How series i is drawn: the palette's colours, then the same colours dashed (lines) or as
 *  diamonds (markers), so 20 series on one chart are all told apart. */
export function seriesStyle(
  theme: Theme,
  i: number,
): { color: string; dash: 'solid' | 'dash'; symbol: 'circle' | 'diamond' } {
  const second = Math.floor(i / theme.series.length) % 2 === 1;
  return {
    color: seriesColor(theme, i),
    dash: second ? 'dash' : 'solid',
    symbol: second ? 'diamond' : 'circle',
  };
}

/** A whole number with thousands separators: 43800 -> '43,800'. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The note a chart drawn from a sample carries: '300 of 8,760 points shown'. Empty when
 *  nothing was left out. */
export function sampleNote(points: Shown, what = 'points'): string {
  return isSample(points) ? `${count(points.shown)} of ${count(points.of)} ${what} shown` : '';
}

/** An axis in the theme's colours. A category axis (bars) has no gridlines: a line through
 *  each bar reads as an error whisker. */
function axis(theme: Theme, title: string, extra: Record<string, unknown> = {}) {
  return {
    title: { text: escapePlotly(title), font: { color: theme.foreground } },
    color: theme.foreground,
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    linecolor: theme.grid,
    automargin: true,
    ...(extra['type'] === 'category' ? { showgrid: false } : {}),
    ...extra,
  };
}

/** The common layout: transparent background (the output's own background shows through),
 *  text in the theme's foreground and font, grid in the theme's line colour. */
export function baseLayout(
  theme: Theme,
  opts: {
    title: string;
    /** Lines under the title in muted text: what the chart shows and leaves out ('200 of
     *  8,760 points shown'); empty lines are dropped. Plain text (escaped here). */
    note?: readonly string[];
    x: string;
    y: string;
    xaxis?: Record<string, unknown>;
    yaxis?: Record<string, unknown>;
    extra?: Record<string, unknown>;
  },
): Record<string, unknown> {
  const legend = opts.extra?.['legend'] as { orientation?: string; y?: number } | undefined;
  const legendOnTop =
    opts.extra?.['showlegend'] !== false && legend?.orientation !== 'v' && (legend?.y ?? 1) > 0;
  const note = noteText(opts.note ?? []);
  const hasMenu = ((opts.extra?.['updatemenus'] as unknown[] | undefined)?.length ?? 0) > 0;
  const noteLines = note === '' ? 0 : note.split('<br>').length;
  return {
    title: {
      text: escapePlotly(opts.title),
      font: { color: theme.foreground, size: theme.font.size + 2 },
      subtitle: { text: note, font: { color: theme.muted, size: theme.font.size - 2 } },
      // From the chart's left edge, not the plot area's (which moves right with the y labels):
      // a long title fits a narrow output.
      x: 0,
      xanchor: 'left',
      xref: 'container',
      yref: 'container',
      y: 1,
      yanchor: 'top',
      pad: { t: 8, l: 8 },
    },
    font: { family: theme.font.family, size: theme.font.size - 1, color: theme.foreground },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    colorway: [...theme.series],
    height: FIGURE_HEIGHT,
    autosize: true,
    // Room above the plot for the title, its note lines, a legend on top and a menu (which
    // sits just above the plot area, right-aligned: below the note, never over it).
    margin: {
      l: 64,
      r: 24,
      t: (legendOnTop ? 84 : 52) + 16 * noteLines + (hasMenu ? 30 : 0),
      b: 48,
    },
    // x labels a little below the axis, clear of the lowest y label at the corner.
    xaxis: axis(theme, opts.x, { ticklabelstandoff: 4, ...opts.xaxis }),
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

/** Note lines as a plotly subtitle: each escaped, empty ones dropped, joined by line breaks. */
export function noteText(lines: readonly string[]): string {
  return lines
    .filter((l) => l !== '')
    .map(escapePlotly)
    .join('<br>');
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

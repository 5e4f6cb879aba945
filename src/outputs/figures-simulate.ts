/** Figures of simulate and funding results: hedged vs unhedged equity with drawdowns, the book's
 *  beta with its target, band, rebalances and events, the hedge size, the margin ratio against
 *  liquidation, the cost breakdown, the compared rules (cost per year against tracking error) and
 *  funding rates. Pure: result + theme -> plotly figures. Series arrive reduced (Frame); a chart
 *  drawn from a sample says so. */
import type { Frame, FundingResult, SimulateResult } from '../results';
import { escapePlotly } from './escape';
import {
  baseConfig,
  baseLayout,
  sampleNote,
  seriesColor,
  withAlpha,
  type Figure,
  type Trace,
} from './figure-style';
import { fmtCount, fmtPct, fmtUsd } from './format';
import type { Theme } from './theme';

const col = (f: Frame, name: string) => f.columns[name] ?? f.t.map(() => null);

const EVENT_STYLE: Record<string, { symbol: string; label: string }> = {
  liquidation: { symbol: 'x', label: 'liquidation' },
  stop: { symbol: 'triangle-up', label: 'stop-loss' },
  roll: { symbol: 'diamond', label: 'roll' },
  expiry: { symbol: 'square', label: 'expiry' },
};

function lineTrace(
  x: number[],
  y: (number | null)[],
  name: string,
  color: string,
  theme: Theme,
  extra: Record<string, unknown> = {},
): Trace {
  return {
    type: 'scatter',
    mode: 'lines',
    name: escapePlotly(name),
    x,
    y,
    line: { color, width: theme.lineWidth },
    connectgaps: false,
    ...extra,
  };
}

export function simulateEquityFigure(result: SimulateResult, theme: Theme): Figure {
  const f = result.path;
  const hedgedColor = seriesColor(theme, 0);
  const unhedgedColor = seriesColor(theme, 1);
  const data: Trace[] = [
    lineTrace(f.t, col(f, 'hedged'), 'hedged', hedgedColor, theme, {
      hovertemplate: 'hedged %{y:$,.0f}<extra>%{x}</extra>',
    }),
    lineTrace(f.t, col(f, 'unhedged'), 'unhedged', unhedgedColor, theme, {
      hovertemplate: 'unhedged %{y:$,.0f}<extra>%{x}</extra>',
    }),
    lineTrace(f.t, col(f, 'hedgedDrawdown'), 'hedged drawdown', hedgedColor, theme, {
      yaxis: 'y2',
      showlegend: false,
      fill: 'tozeroy',
      fillcolor: withAlpha(hedgedColor, 0.15),
      hovertemplate: 'hedged drawdown %{y:.1%}<extra>%{x}</extra>',
    }),
    lineTrace(f.t, col(f, 'unhedgedDrawdown'), 'unhedged drawdown', unhedgedColor, theme, {
      yaxis: 'y2',
      showlegend: false,
      hovertemplate: 'unhedged drawdown %{y:.1%}<extra>%{x}</extra>',
    }),
  ];
  const title = `Equity: hedged with ${result.instrument} vs unhedged (${result.portfolio})`;
  return {
    id: 'simulate-equity',
    title,
    data,
    layout: baseLayout(theme, {
      title,
      x: 'Time',
      y: 'Equity (USD)',
      // one time axis, drawn under the drawdown panel
      xaxis: { type: 'date', anchor: 'y2' },
      yaxis: { domain: [0.34, 1], tickformat: '$,.0f' },
      extra: {
        hovermode: 'x',
        height: 480,
        yaxis2: {
          domain: [0, 0.26],
          title: { text: 'Drawdown', font: { color: theme.foreground } },
          tickformat: '.0%',
          color: theme.foreground,
          gridcolor: theme.grid,
          zerolinecolor: theme.grid,
          automargin: true,
        },
      },
      note: [sampleNote(f.points)],
    }),
    config: baseConfig(),
  };
}

/** The frame's row nearest to an ISO time (event rows are kept in the frame, so exact). */
function rowAt(f: Frame, time: string): number {
  const t = Date.parse(time);
  let best = 0;
  for (let i = 0; i < f.t.length; i++)
    if (Math.abs(f.t[i]! - t) < Math.abs(f.t[best]! - t)) best = i;
  return best;
}

export function simulateBetaFigure(result: SimulateResult, theme: Theme): Figure {
  const f = result.path;
  const beta = col(f, 'beta');
  const target = result.rule.targetBeta;
  const band = result.rule.band;
  const color = seriesColor(theme, 0);
  const data: Trace[] = [
    lineTrace(f.t, beta, 'book beta (hedge held)', color, theme, {
      hovertemplate: 'β %{y:.3f}<extra>%{x}</extra>',
    }),
  ];
  const trades = result.trades.rows.filter(
    (t) =>
      t.reason !== 'liquidation' &&
      t.reason !== 'stop' &&
      t.reason !== 'expiry' &&
      t.reason !== 'roll',
  );
  if (trades.length > 0) {
    const rows = trades.map((t) => rowAt(f, t.time));
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: escapePlotly(
        result.trades.count > result.trades.rows.length
          ? `re-sizes (${trades.length} marked of ${fmtCount(result.counts.rebalances)})`
          : 're-sizes',
      ),
      x: trades.map((t) => Date.parse(t.time)),
      y: rows.map((i) => beta[i] ?? null),
      marker: {
        color: seriesColor(theme, 2),
        size: 6,
        symbol: 'circle-open',
        line: { width: 1.5 },
      },
      customdata: trades.map((t) => [t.side, t.contracts, t.reason]),
      hovertemplate:
        '%{customdata[2]}: %{customdata[0]} %{customdata[1]:,} contracts<extra>%{x}</extra>',
    });
  }
  for (const [kind, style] of Object.entries(EVENT_STYLE)) {
    const evs = result.events.rows.filter((e) => e.kind === kind);
    if (evs.length === 0) continue;
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: style.label,
      x: evs.map((e) => Date.parse(e.time)),
      y: evs.map((e) => beta[rowAt(f, e.time)] ?? null),
      marker: {
        color: kind === 'liquidation' || kind === 'stop' ? theme.negative : seriesColor(theme, 3),
        size: 11,
        symbol: style.symbol,
        line: { width: 2 },
      },
      customdata: evs.map((e) => [e.price, e.amount]),
      hovertemplate: `${style.label} at %{customdata[0]:,.2f}<br>%{customdata[1]:$,.0f}<extra>%{x}</extra>`,
    });
  }
  const shapes: Record<string, unknown>[] = [
    {
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: target,
      y1: target,
      line: { color: theme.foreground, width: 1, dash: 'dash' },
    },
  ];
  if (band > 0)
    shapes.push({
      type: 'rect',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: target - band,
      y1: target + band,
      line: { width: 0 },
      fillcolor: withAlpha(seriesColor(theme, 2), 0.12),
      layer: 'below',
    });
  const title = `Book beta with the hedge held (target ${target}${band > 0 ? ` ± ${band}` : ''}, rebalance ${result.rule.rebalance})`;
  return {
    id: 'simulate-beta',
    title,
    data,
    layout: baseLayout(theme, {
      title,
      x: 'Time',
      y: `Beta to ${result.benchmark}`,
      xaxis: { type: 'date' },
      note: [sampleNote(f.points)],
      extra: { hovermode: 'closest', shapes },
    }),
    config: baseConfig(),
  };
}

export function simulateHedgeSizeFigure(result: SimulateResult, theme: Theme): Figure {
  const f = result.path;
  const title = `Hedge size: ${result.instrument} contracts held (negative = short)`;
  return {
    id: 'simulate-hedge-size',
    title,
    data: [
      lineTrace(f.t, col(f, 'contracts'), 'contracts', seriesColor(theme, 0), theme, {
        line: { color: seriesColor(theme, 0), width: theme.lineWidth, shape: 'hv' },
        hovertemplate: '%{y:,} contracts<extra>%{x}</extra>',
      }),
    ],
    layout: baseLayout(theme, {
      title,
      x: 'Time',
      y: 'Contracts',
      xaxis: { type: 'date' },
      note: [sampleNote(f.points)],
      extra: { showlegend: false },
    }),
    config: baseConfig(),
  };
}

export function simulateMarginFigure(result: SimulateResult, theme: Theme): Figure | null {
  const f = result.path;
  const ratio = col(f, 'marginRatio');
  if (!ratio.some((v) => v !== null)) return null;
  const title = `Margin ratio of the ${result.rule.leverage}x hedge leg (maintenance / margin balance; liquidated at 100%)`;
  return {
    id: 'simulate-margin',
    title,
    data: [
      lineTrace(f.t, ratio, 'margin ratio', seriesColor(theme, 0), theme, {
        hovertemplate: 'margin ratio %{y:.1%}<extra>%{x}</extra>',
      }),
    ],
    layout: baseLayout(theme, {
      title,
      x: 'Time',
      y: 'Maintenance / margin balance',
      xaxis: { type: 'date' },
      yaxis: { tickformat: '.0%', rangemode: 'tozero' },
      note: [sampleNote(f.points)],
      extra: {
        showlegend: false,
        shapes: [
          {
            type: 'line',
            xref: 'paper',
            x0: 0,
            x1: 1,
            y0: 1,
            y1: 1,
            line: { color: theme.negative, width: 1.5, dash: 'dash' },
          },
        ],
        annotations: [
          {
            text: 'liquidation',
            xref: 'paper',
            x: 0,
            xanchor: 'left',
            y: 1,
            yanchor: 'bottom',
            showarrow: false,
            font: { color: theme.negative },
          },
        ],
      },
    }),
    config: baseConfig(),
  };
}

export function simulateCostsFigure(result: SimulateResult, theme: Theme): Figure {
  const c = result.costs;
  const items: [string, number, number][] = [
    ['Fees', c.fees.usd, c.fees.pctPerYear],
    ['Slippage', c.slippage.usd, c.slippage.pctPerYear],
    ['Funding paid', c.fundingPaid.usd, c.fundingPaid.pctPerYear],
    ['Funding received', -c.fundingReceived.usd, -c.fundingReceived.pctPerYear],
    ['Roll costs', c.rollCosts.usd, c.rollCosts.pctPerYear],
    ['Liquidation losses', c.liquidationLosses.usd, c.liquidationLosses.pctPerYear],
    ['Net cost', c.net.usd, c.net.pctPerYear],
  ];
  const title = 'What carrying the hedge cost (USD; received funding counts against the cost)';
  return {
    id: 'simulate-costs',
    title,
    data: [
      {
        type: 'bar',
        orientation: 'h',
        name: 'cost',
        y: items.map(([k]) => k),
        x: items.map(([, v]) => v),
        text: items.map(([, v, p]) => `${fmtUsd(v)} · ${fmtPct(p, 2)}/yr`),
        textposition: 'auto',
        cliponaxis: false,
        marker: {
          color: items.map(([, v], i) =>
            i === items.length - 1
              ? seriesColor(theme, 3)
              : v > 0
                ? theme.negative
                : theme.positive,
          ),
        },
        hovertemplate: '%{y}: %{x:$,.0f}<extra></extra>',
      },
    ],
    layout: baseLayout(theme, {
      title,
      x: 'USD (positive = cost)',
      y: '',
      xaxis: { tickformat: '$,.0f', zeroline: true },
      yaxis: { type: 'category', autorange: 'reversed' },
      extra: { showlegend: false, margin: { l: 64, r: 150, t: 52, b: 48 } },
    }),
    config: baseConfig(),
  };
}

type LabelPosition = 'top center' | 'bottom center' | 'middle right' | 'middle left';

/** Where to put each point's label so that labels of nearby points do not overprint each other:
 *  greedily, in order, the first of above / below / right / left whose label box (about 9 % of
 *  the plot wide and 6 % high, in coordinates scaled to the data's range) is clear of the labels
 *  and points already placed. Falls back to above. */
export function labelPositions(points: readonly { x: number; y: number }[]): LabelPosition[] {
  const span = (v: readonly number[]) => Math.max(...v) - Math.min(...v) || 1;
  const sx = span(points.map((p) => p.x));
  const sy = span(points.map((p) => p.y));
  const W = 0.09;
  const H = 0.06;
  const boxes: { x: number; y: number }[] = points.map((p) => ({ x: p.x / sx, y: p.y / sy }));
  const offsets: [LabelPosition, number, number][] = [
    ['top center', 0, H],
    ['bottom center', 0, -H],
    ['middle right', W, 0],
    ['middle left', -W, 0],
  ];
  const placed: { x: number; y: number }[] = [];
  return boxes.map((b) => {
    for (const [pos, dx, dy] of offsets) {
      const c = { x: b.x + dx, y: b.y + dy };
      const clear = placed.every((q) => Math.abs(q.x - c.x) > W || Math.abs(q.y - c.y) > H);
      const offPoints = boxes.every(
        (q) => q === b || Math.abs(q.x - c.x) > W / 2 || Math.abs(q.y - c.y) > H / 2,
      );
      if (clear && offPoints) {
        placed.push(c);
        return pos;
      }
    }
    placed.push({ x: b.x, y: b.y + H });
    return 'top center';
  });
}

export function simulateCompareFigure(result: SimulateResult, theme: Theme): Figure | null {
  const rules = result.compare;
  if (!rules || rules.length === 0) return null;
  const positions = labelPositions(rules.map((r) => ({ x: r.trackingError, y: r.costPctPerYear })));
  const positionOf = new Map(rules.map((r, k) => [r, positions[k]!]));
  const label = (r: (typeof rules)[number]) => `${r.rebalance}${r.band > 0 ? ` ±${r.band}` : ''}`;
  const byRebalance = [...new Set(rules.map((r) => r.rebalance))];
  const data: Trace[] = byRebalance.map((rb, i) => {
    const rs = rules.filter((r) => r.rebalance === rb);
    return {
      type: 'scatter',
      mode: 'markers+text',
      name: escapePlotly(`rebalance ${rb}`),
      x: rs.map((r) => r.trackingError),
      y: rs.map((r) => r.costPctPerYear),
      text: rs.map((r) => escapePlotly(r.band > 0 ? `±${r.band}` : 'no band')),
      textposition: rs.map((r) => positionOf.get(r) ?? 'top center'),
      textfont: { color: theme.muted, size: theme.font.size - 3 },
      cliponaxis: false,
      marker: {
        color: seriesColor(theme, i),
        size: rs.map((r) => (r.current ? 14 : 8)),
        symbol: rs.map((r) => (r.liquidations > 0 ? 'x' : 'circle')),
        line: { width: rs.map((r) => (r.current ? 2 : 0)), color: theme.foreground },
      },
      customdata: rs.map((r) => [label(r), r.costPerYear, r.trades, r.liquidations]),
      hovertemplate:
        '%{customdata[0]}<br>cost %{y:.3%}/yr (%{customdata[1]:$,.0f}/yr)<br>beta tracking error %{x:.4f}<br>%{customdata[2]} trades, %{customdata[3]} liquidations<extra></extra>',
    };
  });
  const title =
    'Rules compared: net cost per year (below 0: funding earned more) vs how far the beta strays (× = liquidated)';
  return {
    id: 'simulate-compare',
    title,
    data,
    layout: baseLayout(theme, {
      title,
      x: `Tracking error of the book beta (RMS distance from ${result.rule.targetBeta})`,
      y: 'Net cost, % per year',
      yaxis: { tickformat: '.1%', zeroline: true },
      xaxis: { rangemode: 'tozero' },
    }),
    config: baseConfig(),
  };
}

export function fundingFigure(result: FundingResult, theme: Theme): Figure | null {
  if (result.charts.length === 0) return null;
  const data: Trace[] = result.charts.map((c, i) =>
    lineTrace(c.frame.t, col(c.frame, 'rate'), c.symbol, seriesColor(theme, i), theme, {
      hovertemplate: `${escapePlotly(c.symbol)} %{y:.4%}<extra>%{x}</extra>`,
    }),
  );
  const first = result.charts[0]!.frame;
  const title = 'Funding rate per settlement (positive = longs pay shorts)';
  return {
    id: 'funding-rates',
    title,
    data,
    layout: baseLayout(theme, {
      title,
      x: 'Time',
      y: 'Rate per interval',
      xaxis: { type: 'date' },
      yaxis: { tickformat: '.3%', zeroline: true },
      note: [
        sampleNote(first.points),
        result.chartSymbols.shown < result.chartSymbols.of
          ? `${result.chartSymbols.shown} of ${result.chartSymbols.of} symbols drawn`
          : '',
      ],
      extra: { hovermode: 'x' },
    }),
    config: baseConfig(),
  };
}

export function simulateFigures(result: SimulateResult, theme: Theme): (Figure | null)[] {
  return [
    simulateEquityFigure(result, theme),
    simulateBetaFigure(result, theme),
    simulateCostsFigure(result, theme),
    simulateHedgeSizeFigure(result, theme),
    simulateMarginFigure(result, theme),
    simulateCompareFigure(result, theme),
  ];
}

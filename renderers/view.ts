// One rendered output: header, warnings, tables and plotly charts of a CellResult. The view owns
// its plotly roots: setTheme re-draws them with Plotly.react, dispose purges them.
import type { CellResult } from '../src/results';
import { buildFigures, type Figure } from '../src/outputs/figures';
import { FIGURE_HEIGHT } from '../src/outputs/figure-style';
import { buildTables, provenanceLine, resultTitle } from '../src/outputs/tables';
import type { Theme } from '../src/outputs/theme';
import { el, tableElement } from './dom';
import type { PlotlyApi } from './plotly';

export interface View {
  /** Re-draws the charts in another theme. */
  setTheme(theme: Theme): Promise<void>;
  /** Redraws at the container's current width. */
  resize(): void;
  dispose(): void;
}

export async function mountView(
  root: HTMLElement,
  result: CellResult,
  theme: Theme,
  loadPlotly: () => Promise<PlotlyApi>,
  signal: AbortSignal,
  /** false: tables only (an exported .ipynb carries the charts as plotly outputs of their own). */
  drawCharts = true,
): Promise<View> {
  const figuresOf = (t: Theme): Figure[] => (drawCharts ? buildFigures(result, t) : []);
  const container = el('div', 'hb-result');
  container.dataset.kind = result.kind;
  container.append(el('h3', undefined, resultTitle(result)));
  const prov = provenanceLine(result);
  if (prov) container.append(el('p', 'hb-muted', prov));
  if (result.warnings.length > 0) {
    const list = el('ul', 'hb-warnings');
    for (const w of result.warnings) {
      const item = el('li', undefined, w.message);
      item.dataset.code = w.code;
      list.append(item);
    }
    container.append(list);
  }
  const tables = buildTables(result);
  const [first, ...rest] = tables;
  if (first) container.append(tableElement(first));
  let figures: Figure[] = figuresOf(theme);
  const charts = figures.map((f) => {
    const div = el('div', 'hb-chart');
    div.dataset.figure = f.id;
    div.setAttribute('role', 'img');
    div.setAttribute('aria-label', f.title);
    // plotly's responsive mode sizes the plot to its div: without a height of its own the div
    // would shrink to its CSS min-height on the first resize (caught by npm run test:editor).
    const height = (f.layout as { height?: unknown }).height;
    div.style.height = `${typeof height === 'number' ? height : FIGURE_HEIGHT}px`;
    container.append(div);
    return div;
  });
  for (const t of rest) container.append(tableElement(t));
  root.replaceChildren(container);

  let disposed = false;
  let plotly: PlotlyApi | null = null;
  const draw = async () => {
    if (!plotly) return;
    await Promise.all(
      figures.map((f, i) =>
        (plotly as PlotlyApi).react(charts[i] as HTMLElement, f.data, f.layout, f.config),
      ),
    );
  };
  if (charts.length > 0) {
    const loading = el('p', 'hb-loading', 'Loading charts…');
    charts[0]?.before(loading);
    try {
      plotly = await loadPlotly();
    } finally {
      loading.remove();
    }
    if (!disposed && !signal.aborted) await draw();
  }
  const observer =
    typeof ResizeObserver === 'undefined' || charts.length === 0
      ? null
      : new ResizeObserver(() => view.resize());
  observer?.observe(container);
  let lastWidth = container.clientWidth;

  const view: View = {
    async setTheme(next: Theme) {
      if (disposed) return;
      figures = figuresOf(next);
      await draw();
    },
    resize() {
      if (disposed || !plotly || container.clientWidth === lastWidth) return;
      lastWidth = container.clientWidth;
      for (const c of charts) void plotly.Plots.resize(c);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      observer?.disconnect();
      if (plotly) for (const c of charts) plotly.purge(c);
      container.remove();
    },
  };
  if (disposed || signal.aborted) view.dispose();
  return view;
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFigures, type Figure, type Trace } from '../../src/outputs/figures';
import { defaultTheme, themeFromVariables } from '../../src/outputs/theme';
import { DRAW_MAX_POINTS } from '../../src/outputs/lttb';
import { sampleBetas, sampleHedge, samplePair, samplePortfolio, XSS_NAME } from './sample-results';

const light = defaultTheme('light');
const dark = defaultTheme('dark');

function figure(figures: Figure[], id: string): Figure {
  const f = figures.find((g) => g.id === id);
  assert.ok(f, `figure ${id} among ${figures.map((g) => g.id).join(', ')}`);
  return f;
}
const axisTitle = (f: Figure, axis: 'xaxis' | 'yaxis') =>
  ((f.layout[axis] as { title: { text: string } }).title as { text: string }).text;
const allStrings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(allStrings)
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(allStrings)
        : [];

describe('buildFigures', () => {
  const betas = sampleBetas();
  const figs = buildFigures(betas, light);

  it('draws betas as bars, returns scatter, rolling beta, rolling correlation and a heatmap', () => {
    assert.deepEqual(
      figs.map((f) => f.id),
      [
        'betas-bars',
        'betas-scatter',
        'betas-rolling-beta',
        'betas-rolling-correlation',
        'betas-correlation',
      ],
    );
  });

  it('uses only the scatter, bar and heatmap trace types', () => {
    const all = [
      ...figs,
      ...buildFigures(sampleHedge(), light),
      ...buildFigures(samplePair(), light),
      ...buildFigures(samplePortfolio(), light),
    ];
    const types = new Set(all.flatMap((f) => f.data.map((t: Trace) => t.type)));
    assert.deepEqual([...types].sort(), ['bar', 'heatmap', 'scatter']);
  });

  it('puts each beta in a bar with its 95% interval as asymmetric whiskers', () => {
    const bars = figure(figs, 'betas-bars').data[0] as Trace & {
      y: number[];
      error_y: { array: number[]; arrayminus: number[] };
    };
    betas.rows.forEach((r, i) => {
      assert.equal(bars.y[i], r.beta);
      assert.ok(
        Math.abs((bars.y[i] as number) + (bars.error_y.array[i] as number) - (r.ciHigh ?? NaN)) <
          1e-12,
      );
      assert.ok(
        Math.abs(
          (bars.y[i] as number) - (bars.error_y.arrayminus[i] as number) - (r.ciLow ?? NaN),
        ) < 1e-12,
      );
    });
    assert.equal(axisTitle(figure(figs, 'betas-bars'), 'yaxis'), 'Beta');
  });

  it('draws the fitted line of each asset through alpha + beta x over the observed range', () => {
    const scatter = figure(figs, 'betas-scatter');
    const line = scatter.data[1] as Trace & { x: number[]; y: number[]; mode: string };
    assert.equal(line.mode, 'lines');
    const row = betas.rows[0]!;
    const xs = betas.scatter[0]!.x;
    assert.equal(line.x[0], Math.min(...xs));
    assert.equal(line.x[1], Math.max(...xs));
    assert.ok(Math.abs(line.y[0]! - (row.alpha + row.beta * Math.min(...xs))) < 1e-15);
    assert.match(axisTitle(scatter, 'xaxis'), /^BTC return/);
  });

  it('shows one asset at a time in the scatter with a selector offering every asset', () => {
    const scatter = figure(figs, 'betas-scatter');
    assert.deepEqual(
      scatter.data.map((t) => t.visible),
      [true, true, false, false, false, false],
    );
    const menu = (
      scatter.layout.updatemenus as { buttons: { label: string; args: unknown[] }[] }[]
    )[0]!;
    assert.equal(menu.buttons.length, 4);
    assert.deepEqual(menu.buttons[1]!.args, ['visible', [false, false, true, true, false, false]]);
  });

  it('opens the scatter on the first asset that is not the benchmark itself', () => {
    const first = betas.scatter[0]!;
    const withBenchmark = {
      ...betas,
      scatter: [{ asset: betas.benchmark, x: first.x, y: first.x }, ...betas.scatter],
    };
    const scatter = figure(buildFigures(withBenchmark, light), 'betas-scatter');
    const shown = scatter.data.filter((t) => t.visible === true).map((t) => t.name);
    assert.equal(shown[0], first.asset);
    const menu = (scatter.layout.updatemenus as { active: number }[])[0]!;
    assert.equal(menu.active, 1);
  });

  it('draws rolling beta with a filled 95% band under each asset line', () => {
    const rolling = figure(figs, 'betas-rolling-beta');
    assert.equal(rolling.data.length, 3 * betas.rolling.length);
    const [low, high, line] = rolling.data as (Trace & { y: (number | null)[]; fill?: string })[];
    assert.equal(high!.fill, 'tonexty');
    assert.deepEqual(line!.y, betas.rolling[0]!.beta);
    assert.deepEqual(low!.y, betas.rolling[0]!.betaLow);
    assert.equal(axisTitle(rolling, 'xaxis'), 'Time');
  });

  it('bands rolling correlation with the Fisher z interval, inside [-1, 1]', () => {
    const fig = figure(figs, 'betas-rolling-correlation');
    const [low, high, line] = fig.data as (Trace & { y: (number | null)[] })[];
    const i = betas.rolling[0]!.window + 5;
    const r = line!.y[i] as number;
    assert.ok((low!.y[i] as number) < r && r < (high!.y[i] as number));
    assert.ok((low!.y[i] as number) >= -1 && (high!.y[i] as number) <= 1);
    assert.equal(line!.y[0], null);
  });

  it('shows the correlation matrix as a heatmap from -1 to 1', () => {
    const heat = figure(figs, 'betas-correlation').data[0] as Trace & {
      z: number[][];
      zmin: number;
    };
    assert.equal(heat.type, 'heatmap');
    assert.deepEqual(heat.z, betas.correlation.matrix);
    assert.equal(heat.zmin, -1);
  });

  it('downsamples long rolling series for drawing but keeps the endpoints exact', () => {
    const long = sampleBetas({ periods: 9000, window: 60, assets: [{ asset: 'ETH', beta: 1.1 }] });
    const line = figure(buildFigures(long, light), 'betas-rolling-beta').data[2] as Trace & {
      x: string[];
      y: (number | null)[];
    };
    assert.ok(line.y.length <= DRAW_MAX_POINTS + 8, `drew ${line.y.length}`);
    assert.ok(line.y.length > DRAW_MAX_POINTS / 2);
    assert.equal(line.x.at(-1), long.rolling[0]!.times.at(-1));
    assert.equal(line.y.at(-1), long.rolling[0]!.beta.at(-1));
    const byTime = new Map(long.rolling[0]!.times.map((t, i) => [t, long.rolling[0]!.beta[i]]));
    line.x.forEach((t, i) => assert.equal(line.y[i], byTime.get(t)));
  });

  it('thins a huge scatter cloud and says how many points it drew', () => {
    const long = sampleBetas({ periods: 9000, window: 60, assets: [{ asset: 'ETH', beta: 1.1 }] });
    const scatter = figure(buildFigures(long, light), 'betas-scatter');
    const points = scatter.data[0] as Trace & { x: number[] };
    assert.ok(points.x.length < 3100);
    const note = (scatter.layout.annotations as { text: string }[])[0]!;
    assert.match(note.text, new RegExp(`^${points.x.length} of 9000 points drawn$`));
  });

  it('colours text, grid and series from the theme', () => {
    const custom = themeFromVariables('dark', (v) =>
      v === '--vscode-editor-foreground'
        ? '#abcdef'
        : v === '--vscode-charts-blue'
          ? '#123456'
          : undefined,
    );
    const bars = buildFigures(betas, custom)[0]!;
    assert.equal((bars.layout.font as { color: string }).color, '#abcdef');
    assert.equal((bars.data[0]!.marker as { color: string }).color, '#123456');
    assert.equal((bars.layout.xaxis as { gridcolor: string }).gridcolor, custom.grid);
    const inLight = buildFigures(betas, light)[0]!;
    const inDark = buildFigures(betas, dark)[0]!;
    assert.notEqual(
      (inLight.layout.font as { color: string }).color,
      (inDark.layout.font as { color: string }).color,
    );
  });

  it('escapes notebook names in every plotly string, so plotly shows them as text', () => {
    const all = [
      ...figs,
      ...buildFigures(sampleHedge(), light),
      ...buildFigures(samplePortfolio(), light),
    ];
    const strings = all.flatMap((f) => allStrings(f.data).concat(allStrings(f.layout)));
    assert.ok(strings.some((s) => s.includes('&#60;img src=x onerror=alert(1)&#62;')));
    assert.ok(!strings.some((s) => s.includes(XSS_NAME)));
  });

  it('shows the hedge exposure before and after, with the hedge leg and the net', () => {
    const hedge = sampleHedge();
    const [fig] = buildFigures(hedge, light);
    assert.equal(fig!.id, 'hedge-exposure');
    const [before, after] = fig!.data as (Trace & { x: string[]; y: number[] })[];
    assert.equal(before!.x.at(-1), 'Net');
    assert.equal(before!.y.at(-1), 150_000);
    assert.equal(after!.y.at(-1), 150_000 - 87_480);
    assert.equal(after!.y.at(-2), -87_480);
    assert.equal(axisTitle(fig!, 'yaxis'), 'Beta-weighted USD');
  });

  it('shows pair legs, the hedge leg and the residual dollar beta', () => {
    const [fig] = buildFigures(samplePair(), light);
    const bar = fig!.data[0] as Trace & { x: string[]; y: number[] };
    assert.deepEqual(bar.x, ['Long SOL', 'Short ETH', 'Hedge BTCUSDT-PERP', 'Residual']);
    assert.deepEqual(bar.y, [16_000, -12_000, -4_020, -20]);
  });

  it('draws nothing for settings-like results', () => {
    const prices = {
      version: 1 as const,
      kind: 'prices' as const,
      name: 'prices',
      warnings: [],
      assets: ['BTC'],
      frequency: '1d',
      periodsPerYear: 365,
      last: [],
    };
    assert.deepEqual(buildFigures(prices, light), []);
  });
});

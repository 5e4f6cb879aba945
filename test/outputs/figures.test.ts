import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFigures, type Figure, type Trace } from '../../src/outputs/figures';
import { defaultTheme, themeFromVariables } from '../../src/outputs/theme';
import { DRAW_LINE_POINTS, DRAW_SCATTER_POINTS } from '../../src/outputs/figures-betas';
import { labelPositions } from '../../src/outputs/figures-simulate';
import {
  sampleBetas,
  sampleHedge,
  samplePair,
  samplePortfolio,
  savedResults,
  XSS_NAME,
} from './sample-results';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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

  it('draws no vertical gridlines through the bars and labels the portfolio beta in the legend', () => {
    const fig = figure(figs, 'betas-bars');
    assert.equal((fig.layout.xaxis as { showgrid: boolean }).showgrid, false);
    assert.equal(fig.layout.annotations, undefined);
    const legend = fig.data.filter((t) => t.showlegend !== false).map((t) => t.name);
    assert.deepEqual(legend, [
      `portfolio core: β ${betas.portfolio!.betaWeighted.toFixed(3)} (Σ wᵢβᵢ)`,
    ]);
    const line = (fig.layout.shapes as { y0: number; line: { dash: string } }[])[1]!;
    assert.equal(line.y0, betas.portfolio!.betaWeighted);
  });

  it('draws the fitted line of each asset through alpha + beta x over the observed range', () => {
    const scatter = figure(figs, 'betas-scatter');
    const line = scatter.data[1] as Trace & { x: number[]; y: number[]; mode: string };
    assert.equal(line.mode, 'lines');
    const row = betas.rows[0]!;
    const xs = betas.scatter[0]!.cloud.x;
    assert.equal(line.x[0], Math.min(...xs));
    assert.equal(line.x[1], Math.max(...xs));
    assert.ok(Math.abs(line.y[0]! - (row.alpha + row.beta * Math.min(...xs))) < 1e-15);
    assert.ok(Math.abs(line.y[1]! - (row.alpha + row.beta * Math.max(...xs))) < 1e-15);
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
    assert.deepEqual(
      menu.buttons.map((b) => b.label),
      ['ETH', 'SOL', '&#60;img src=x onerror=alert(1)&#62;', 'All assets'],
    );
    assert.deepEqual((menu.buttons[1]!.args[0] as { visible: boolean[] }).visible, [
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('says under the scatter title the asset’s beta and how many returns of how many it shows', () => {
    const subtitle = (f: Figure) =>
      (f.layout.title as { subtitle: { text: string } }).subtitle.text;
    const short = sampleBetas({ periods: 150 }); // every return shown: no sample to mention
    assert.equal(
      subtitle(figure(buildFigures(short, light), 'betas-scatter')),
      `ETH: β ${short.rows[0]!.beta.toFixed(3)}, the line α + β·x`,
    );
    const long = sampleBetas({ periods: 5000, assets: [{ asset: 'ETH', beta: 1.1 }] });
    const fig = figure(buildFigures(long, light), 'betas-scatter');
    const shown = (fig.data[0] as Trace & { x: number[] }).x.length;
    assert.equal(long.scatter[0]!.cloud.points.of, 5000);
    assert.match(subtitle(fig), new RegExp(` · ${shown} of 5,000 returns shown$`));
  });

  it('draws the selected asset with its 95% band (β ± 1.96 SE) and the others without', () => {
    const rolling = figure(figs, 'betas-rolling-beta');
    assert.equal(rolling.data.length, 3 * betas.rolling!.series.length);
    type Line = Trace & { x: number[]; y: (number | null)[]; fill?: string };
    const [low, high, line] = rolling.data as Line[];
    const first = betas.rolling!.series[0]!;
    assert.equal(high!.fill, 'tonexty');
    assert.deepEqual(line!.y, first.beta);
    assert.ok(Math.abs(low!.y[3]! - (first.beta[3]! - 1.96 * first.stdErr[3]!)) < 1e-12);
    assert.deepEqual(
      rolling.data.map((t) => t.visible),
      [true, true, true, false, false, true, false, false, true],
    );
    assert.equal(axisTitle(rolling, 'xaxis'), ''); // a date axis needs no title
  });

  it('starts the rolling charts where the series starts, with no empty window before it', () => {
    const line = figure(figs, 'betas-rolling-beta').data[2] as Trace & {
      x: number[];
      y: (number | null)[];
    };
    assert.notEqual(line.y[0], null);
    assert.equal(line.x[0], betas.rolling!.t[0]);
    assert.equal(betas.rolling!.points.of, 240 - betas.rolling!.window + 1);
  });

  it('bands rolling correlation with the Fisher z interval and fits its axis to the data', () => {
    const fig = figure(figs, 'betas-rolling-correlation');
    const [low, high, line] = fig.data as (Trace & { y: (number | null)[] })[];
    const r = line!.y[5] as number;
    assert.ok((low!.y[5] as number) < r && r < (high!.y[5] as number));
    assert.ok((low!.y[5] as number) >= -1 && (high!.y[5] as number) <= 1);
    assert.equal((fig.layout.yaxis as { range?: unknown }).range, undefined);
  });

  it('tells 20 assets apart on one chart and moves the legend aside', () => {
    const many = sampleBetas({
      periods: 120,
      assets: Array.from({ length: 20 }, (_, i) => ({ asset: `A${i}`, beta: 1 + i / 40 })),
    });
    const fig = figure(buildFigures(many, light), 'betas-rolling-beta');
    const lines = fig.data.filter((t) => t.showlegend !== false) as (Trace & {
      line: { color: string; dash: string };
    })[];
    assert.equal(lines.length, 20);
    assert.equal(new Set(lines.map((l) => `${l.line.color} ${l.line.dash}`)).size, 20);
    assert.equal((fig.layout.legend as { orientation: string }).orientation, 'v');
    assert.equal(fig.layout.hovermode, 'closest');
    assert.equal(fig.data.filter((t) => t.visible === true).length, 22); // 20 lines + 1 band
  });

  it('notes when a chart draws only some of the assets', () => {
    const capped = { ...betas, chartAssets: { ...betas.chartAssets, of: 100 } };
    const fig = figure(buildFigures(capped, light), 'betas-rolling-beta');
    assert.match(
      (fig.layout.title as { subtitle: { text: string } }).subtitle.text,
      /<br>3 of 100 assets drawn: the first listed$/,
    );
  });

  it('shows the correlation matrix as a heatmap from -1 to 1, values printed while legible', () => {
    const heat = figure(figs, 'betas-correlation').data[0] as Trace & {
      z: number[][];
      zmin: number;
      texttemplate?: string;
    };
    assert.equal(heat.type, 'heatmap');
    assert.deepEqual(heat.z, betas.correlation.matrix);
    assert.equal(heat.zmin, -1);
    assert.equal(heat.texttemplate, '%{z:.2f}');
    const many = sampleBetas({
      periods: 60,
      assets: Array.from({ length: 16 }, (_, i) => ({ asset: `A${i}`, beta: 1 })),
    });
    const big = figure(buildFigures(many, light), 'betas-correlation').data[0] as Trace;
    assert.equal(big.texttemplate, undefined);
  });

  it('draws a sample of a full-series result, exact values at the drawn times', () => {
    const long = sampleBetas({
      periods: 9000,
      window: 60,
      assets: [{ asset: 'ETH', beta: 1.1 }],
      full: true,
    });
    assert.equal(long.rolling!.t.length, 9000 - 59);
    const fig = figure(buildFigures(long, light), 'betas-rolling-beta');
    const line = fig.data[2] as Trace & { x: number[]; y: (number | null)[] };
    assert.ok(line.y.length <= DRAW_LINE_POINTS, `drew ${line.y.length}`);
    assert.ok(line.y.length > DRAW_LINE_POINTS / 2);
    assert.equal(line.x.at(-1), long.rolling!.t.at(-1));
    const byTime = new Map(long.rolling!.t.map((t, i) => [t, long.rolling!.series[0]!.beta[i]]));
    line.x.forEach((t, i) => assert.equal(line.y[i], byTime.get(t)));
    assert.match(
      (fig.layout.title as { subtitle: { text: string } }).subtitle.text,
      new RegExp(` · ${line.y.length.toLocaleString('en-US')} of 8,941 points shown$`),
    );
    const scatter = figure(buildFigures(long, light), 'betas-scatter');
    assert.ok((scatter.data[0] as Trace & { x: number[] }).x.length <= DRAW_SCATTER_POINTS);
  });

  it('colours text and grid from the theme and series from its palette', () => {
    const custom = themeFromVariables('dark', (v) =>
      v === '--vscode-editor-foreground' ? '#abcdef' : undefined,
    );
    const bars = buildFigures(betas, custom)[0]!;
    assert.equal((bars.layout.font as { color: string }).color, '#abcdef');
    assert.equal((bars.data[0]!.marker as { color: string }).color, custom.series[0]);
    assert.equal((bars.layout.yaxis as { gridcolor: string }).gridcolor, custom.grid);
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
    // Negative dollars read −$50,000: the currency sign after the minus (d3's '$' format).
    assert.equal((fig!.layout.yaxis as { tickformat: string }).tickformat, '$,.0f');
    assert.equal((fig!.layout.yaxis as { tickprefix?: string }).tickprefix, undefined);
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

describe('the compared rules chart', () => {
  it('puts the labels of rules that land close together on different sides', () => {
    // sample 06: three rules within 0.004 of tracking error and 0.05 % of cost of each other
    const points = [
      { x: 0.019, y: -0.12612 },
      { x: 0.0973, y: -0.11635 },
      { x: 0.1074, y: -0.11495 },
      { x: 0.1232, y: -0.12076 },
      { x: 0.0997, y: -0.11646 },
      { x: 0.1011, y: -0.11678 },
      { x: 0.0628, y: -0.13015 },
      { x: 0.1496, y: -0.12497 },
    ];
    const pos = labelPositions(points);
    assert.equal(new Set([pos[1], pos[4], pos[5]]).size, 3, JSON.stringify(pos));
    assert.deepEqual([pos[0], pos[6], pos[7]], ['top center', 'top center', 'top center']);
  });

  it('keeps every label above its point when the points are apart', () => {
    const pos = labelPositions([
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 0.5, y: 0.2 },
    ]);
    assert.deepEqual(pos, ['top center', 'top center', 'top center']);
  });
});

describe('dollar axes', () => {
  it('read −$50,000 on every chart of the samples (the sign before the dollar)', () => {
    const samples = readdirSync(join(__dirname, '..', '..', 'samples')).filter((f) =>
      f.endsWith('.hedgebook'),
    );
    let dollarAxes = 0;
    for (const sample of samples)
      for (const result of savedResults(sample))
        for (const fig of buildFigures(result, defaultTheme()))
          for (const [name, axis] of Object.entries(fig.layout)) {
            if (!/^[xy]axis\d*$/.test(name) || typeof axis !== 'object' || axis === null) continue;
            const a = axis as { tickprefix?: string; tickformat?: string };
            assert.notEqual(a.tickprefix, '$', `${sample} ${fig.id} ${name}: "$" as a prefix`);
            if (a.tickformat?.startsWith('$')) dollarAxes++;
          }
    assert.ok(dollarAxes >= 8, `${dollarAxes} dollar axes checked`);
  });
});

describe('charts drawn from a sample', () => {
  it('say so under the title in the simulation, funding and basis charts too', () => {
    const withMore = <T extends { points: { shown: number; of: number } }>(f: T): T => ({
      ...f,
      points: { ...f.points, of: 43_800 },
    });
    const shown = (fig: Figure) =>
      ((fig.layout.title as { subtitle?: { text?: string } }).subtitle?.text ?? '').includes(
        'of 43,800 points shown',
      );
    const sim = savedResults('06-dynamic-hedge.hedgebook').find((r) => r.kind === 'simulate');
    const basis = savedResults('07-risk.hedgebook').find((r) => r.kind === 'basis');
    assert.ok(sim?.kind === 'simulate' && basis?.kind === 'basis');
    const sampled = [
      ...buildFigures({ ...sim, path: withMore(sim.path) }, defaultTheme()).filter((f) =>
        ['simulate-equity', 'simulate-beta', 'simulate-hedge-size', 'simulate-margin'].includes(
          f.id,
        ),
      ),
      ...buildFigures(
        { ...basis, rolling: basis.rolling && withMore(basis.rolling) },
        defaultTheme(),
      ).filter((f) => f.id === 'basis-rolling-correlation'),
    ];
    assert.ok(sampled.length >= 4, sampled.map((f) => f.id).join(', '));
    for (const fig of sampled) assert.ok(shown(fig), fig.id);
  });
});

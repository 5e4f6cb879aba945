import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { fmtNum } from '../../src/outputs/format';
import { sampleBetas, sampleHedge, samplePair, XSS_NAME } from '../outputs/sample-results';
import {
  ARTIFACTS,
  ensureBuilt,
  js,
  launch,
  openPage,
  startServer,
  waitFor,
  type Watched,
} from './browser';

const betas = sampleBetas();
const hedge = sampleHedge();
const pair = samplePair();
const settings = {
  version: 1,
  kind: 'settings',
  name: 'settings',
  warnings: [],
  benchmark: [{ asset: 'BTC', weight: 1 }],
  returns: 'log',
  window: 180,
  frequency: '1d',
};

describe('notebook renderer in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin = '';

  before(async () => {
    ensureBuilt();
    ({ server, origin } = await startServer());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  async function host(): Promise<Watched> {
    const w = await openPage(browser, (url) => url.startsWith(origin));
    await w.page.goto(`${origin}/`);
    await waitFor(w.page, 'window.hostReady === true');
    return w;
  }
  async function render(w: Watched, id: string, result: unknown): Promise<void> {
    await js(
      w.page,
      `host.render(${JSON.stringify(id)}, ${JSON.stringify(JSON.stringify(result))})`,
    );
  }
  const chartCount = (w: Watched, id: string) =>
    js<number>(w.page, `document.querySelectorAll('#out-${id} .js-plotly-plot').length`);

  it('loads plotly only when an output has charts', async () => {
    const w = await host();
    await render(w, 's', settings);
    assert.equal(await js(w.page, `document.querySelector('#out-s table').rows.length`), 5);
    assert.ok(!w.requests.some((u) => /plotly/.test(u)), w.requests.join('\n'));
    await render(w, 'b', betas);
    assert.ok(w.requests.some((u) => /chunks\/plotly-.*\.js$/.test(u)));
    assert.deepEqual(w.errors, []);
    await w.page.close();
  });

  it('draws the betas charts with one trace per series and the table with the right numbers', async () => {
    const w = await host();
    await render(w, 'b', betas);
    const figures = await js<{ id: string; traces: number; svgTraces: number }[]>(
      w.page,
      `[...document.querySelectorAll('#out-b .hb-chart')].map((d) => ({ id: d.dataset.figure,
        traces: d.data.length, svgTraces: d.querySelectorAll('.scatterlayer .trace, .barlayer .trace, .heatmaplayer .hm').length }))`,
    );
    assert.deepEqual(
      figures.map((f) => [f.id, f.traces]),
      [
        ['betas-bars', 2], // the bars, and the portfolio beta's legend entry
        ['betas-scatter', 6],
        ['betas-rolling-beta', 9],
        ['betas-rolling-correlation', 9],
        ['betas-correlation', 1],
      ],
    );
    for (const f of figures) assert.ok(f.svgTraces >= 1, `${f.id} drew SVG traces`);
    assert.equal(
      await js(w.page, `document.querySelectorAll('#out-b .barlayer .point').length`),
      3,
    );
    const rows = await js<string[][]>(
      w.page,
      `[...document.querySelectorAll('#out-b table[data-table="betas-stats"] tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent))`,
    );
    betas.rows.forEach((r, i) => {
      assert.equal(rows[i]?.[0], r.asset);
      assert.equal(rows[i]?.[1], fmtNum(r.beta));
      assert.equal(rows[i]?.[7], String(r.n));
    });
    await w.page.screenshot({ path: join(ARTIFACTS, 'renderer-betas-light.png'), fullPage: true });
    assert.deepEqual(w.errors, []);
    await w.page.close();
  });

  it('shows the exact beta and interval when hovering a bar', async () => {
    const w = await host();
    await render(w, 'b', betas);
    const box = await w.page
      .locator('#out-b [data-figure="betas-bars"] .barlayer .point path')
      .first()
      .boundingBox();
    assert.ok(box);
    await w.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await w.page.waitForSelector('#out-b .hoverlayer .hovertext', { timeout: 5000 });
    const text = await js<string>(
      w.page,
      `document.querySelector('#out-b .hoverlayer .hovertext').textContent`,
    );
    const eth = betas.rows[0]!;
    assert.ok(text.includes(`β ${eth.beta.toFixed(3)}`), text);
    assert.ok(
      text.includes(`95% CI ${(eth.ciLow ?? NaN).toFixed(3)} to ${(eth.ciHigh ?? NaN).toFixed(3)}`),
      text,
    );
    await w.page.screenshot({ path: join(ARTIFACTS, 'renderer-hover.png') });
    await w.page.close();
  });

  it('follows a switch to the dark theme and redraws in its colours', async () => {
    const w = await host();
    await render(w, 'h', hedge);
    const titleFill = () =>
      js<string>(w.page, `getComputedStyle(document.querySelector('#out-h .g-ytitle text')).fill`);
    assert.equal(await titleFill(), 'rgb(59, 59, 59)');
    await js(w.page, `host.setTheme('dark')`);
    await waitFor(
      w.page,
      `getComputedStyle(document.querySelector('#out-h .g-ytitle text')).fill === 'rgb(204, 204, 204)'`,
    );
    await render(w, 'b', betas);
    await render(w, 'p', pair);
    assert.equal(
      await js(w.page, `getComputedStyle(document.querySelector('#out-b .g-xtitle text')).fill`),
      'rgb(204, 204, 204)',
    );
    await w.page.screenshot({ path: join(ARTIFACTS, 'renderer-dark.png'), fullPage: true });
    await js(w.page, `host.setTheme('light')`);
    await waitFor(
      w.page,
      `getComputedStyle(document.querySelector('#out-b .g-xtitle text')).fill === 'rgb(59, 59, 59)'`,
    );
    await w.page.screenshot({
      path: join(ARTIFACTS, 'renderer-hedge-pair-light.png'),
      fullPage: true,
    });
    assert.deepEqual(w.errors, []);
    await w.page.close();
  });

  it('draws in high contrast with thicker lines', async () => {
    const w = await host();
    await js(w.page, `host.setTheme('high-contrast')`);
    await render(w, 'b', betas);
    assert.equal(
      await js(w.page, `getComputedStyle(document.querySelector('#out-b .g-xtitle text')).fill`),
      'rgb(255, 255, 255)',
    );
    const width = (trace: number) =>
      js<string>(
        w.page,
        `getComputedStyle(document.querySelector('#out-b [data-figure="betas-rolling-beta"] .scatterlayer .trace:nth-child(${trace}) .js-line')).strokeWidth`,
      );
    assert.equal(await width(3), '3px'); // the selected asset's line, drawn on top
    assert.equal(await width(4), '2.5px'); // the next asset's (hidden bands draw no trace)
    await w.page.screenshot({
      path: join(ARTIFACTS, 'renderer-high-contrast.png'),
      fullPage: true,
    });
    await w.page.close();
  });

  it('draws a long rolling series downsampled but hovers exact values', async () => {
    const long = sampleBetas({
      periods: 20_000,
      window: 90,
      assets: [{ asset: 'ETH', beta: 1.3 }],
      full: true, // as `hedgebook run --full-series` makes it: the chart draws its own sample
    });
    const w = await host();
    await render(w, 'l', long);
    const drawn = await js<number>(
      w.page,
      `document.querySelector('#out-l [data-figure="betas-rolling-beta"]').data[2].y.length`,
    );
    assert.ok(drawn <= 2010 && drawn > 1000, `drew ${drawn} of 20000`);
    const plotArea = w.page.locator('#out-l [data-figure="betas-rolling-beta"] .nsewdrag').first();
    await plotArea.scrollIntoViewIfNeeded();
    const box = await plotArea.boundingBox();
    assert.ok(box);
    await w.page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await w.page.waitForSelector(
      '#out-l [data-figure="betas-rolling-beta"] .hoverlayer .hovertext',
      { timeout: 5000 },
    );
    const hover = await js<string>(
      w.page,
      `document.querySelector('#out-l [data-figure="betas-rolling-beta"] .hoverlayer .hovertext').textContent`,
    );
    const m = /β (-?\d+\.\d{3})/.exec(hover);
    assert.ok(m, hover);
    const exact = new Set(
      long.rolling!.series[0]!.beta.filter((b): b is number => b !== null).map((b) => b.toFixed(3)),
    );
    assert.ok(exact.has(m[1]!), `hovered β ${m[1]} is one of the exact values`);
    await w.page.screenshot({ path: join(ARTIFACTS, 'renderer-long-series.png') });
    await w.page.close();
  });

  it('shows the hedge ticket and the pair legs with the right numbers', async () => {
    const w = await host();
    await render(w, 'h', hedge);
    await render(w, 'p', pair);
    const ticket = await js<Record<string, string>>(
      w.page,
      `Object.fromEntries([...document.querySelectorAll('#out-h table[data-table="hedge-ticket"] tbody tr')].map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]))`,
    );
    assert.equal(ticket['Side'], 'Sell (short)');
    assert.equal(ticket['Contracts'], '1,458');
    assert.equal(ticket['Liquidation price'], '71,712.50');
    assert.equal(ticket['Distance to liquidation'], '19.52%');
    assert.equal(ticket['Residual beta (after - target)'], '0.000');
    assert.equal(
      await js(w.page, `document.querySelectorAll('#out-h .barlayer .point').length`),
      10,
    );
    const residual = await js<string>(
      w.page,
      `[...document.querySelectorAll('#out-p table tbody tr')].at(-1).cells[4].textContent`,
    );
    assert.equal(residual, '-$20.00');
    assert.equal(await chartCount(w, 'p'), 1);
    await w.page.close();
  });

  it('keeps a hostile asset name as text everywhere: no script runs, no image element', async () => {
    const w = await host();
    await render(w, 'b', betas);
    await render(w, 'h', hedge);
    assert.deepEqual(w.dialogs, []);
    assert.equal(await js(w.page, `document.querySelectorAll('img').length`), 0);
    const cell = await js<string>(
      w.page,
      `[...document.querySelectorAll('#out-b table[data-table="betas-stats"] tbody tr')][2].cells[0].textContent`,
    );
    assert.equal(cell, XSS_NAME);
    const ticks = await js<string[]>(
      w.page,
      `[...document.querySelectorAll('#out-b [data-figure="betas-bars"] .xtick text')].map((t) => t.textContent)`,
    );
    assert.ok(ticks.includes(XSS_NAME), ticks.join(' | '));
    assert.ok(!w.requests.some((u) => u.endsWith('/x')), 'no request for the image source');
    await w.page.close();
  });

  it('replaces the view on re-render and purges plotly on dispose', async () => {
    const w = await host();
    await render(w, 'h', hedge);
    await js(w.page, `window.firstChart = document.querySelector('#out-h .hb-chart')`);
    await render(w, 'h', { ...hedge, name: 'second' });
    assert.equal(await js(w.page, `document.querySelectorAll('#out-h .hb-result').length`), 1);
    assert.equal(
      await js(w.page, `document.querySelector('#out-h h3').textContent`),
      'Hedge: second',
    );
    assert.equal(
      await js(
        w.page,
        `window.firstChart._fullLayout === undefined && !window.firstChart.isConnected`,
      ),
      true,
    );
    await js(w.page, `window.secondChart = document.querySelector('#out-h .hb-chart')`);
    await js(w.page, `host.dispose('h')`);
    assert.equal(await js(w.page, `document.querySelectorAll('#out-h *').length`), 0);
    assert.equal(await js(w.page, `window.secondChart._fullLayout === undefined`), true);
    await w.page.close();
  });

  it('reports a damaged payload in words instead of drawing', async () => {
    const w = await host();
    await render(w, 'x', { ...hedge, contracts: 'many' });
    const text = await js<string>(w.page, `document.querySelector('#out-x').textContent`);
    assert.match(text, /written by another version or is damaged/);
    assert.match(text, /contracts/);
    await w.page.close();
  });
});

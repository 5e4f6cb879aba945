/** Every chart of the samples (and a 20-asset book) drawn at the editor's narrow and wide widths
 *  in light, dark and high contrast: no two pieces of text overlap (titles, notes, tick labels,
 *  legends, menus, annotations), none is cut off at the chart's edge, and the screenshots are
 *  kept in artifacts/layout/ (<theme>-<width>-<n>-<figure>.png) to look at. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { RESULT_MIME } from '../../src/results';
import { sampleBetas } from '../outputs/sample-results';
import {
  ARTIFACTS,
  ROOT,
  ensureBuilt,
  js,
  launch,
  openPage,
  startServer,
  waitFor,
} from './browser';

/** The saved result outputs of a sample notebook, as the editor would hand them to the renderer. */
function savedResults(sample: string): string[] {
  const file = JSON.parse(readFileSync(join(ROOT, 'samples', sample), 'utf8')) as {
    cells: { outputs?: { items: { mime: string; data: string }[] }[] }[];
  };
  return file.cells.flatMap((c) =>
    (c.outputs ?? []).flatMap((o) =>
      o.items.filter((i) => i.mime === RESULT_MIME).map((i) => i.data),
    ),
  );
}

const twenty = sampleBetas({
  periods: 400,
  window: 90,
  assets: [
    ...['ETH', 'SOL', 'AVAX', 'ATOM', 'LDO', 'UNI', 'AAVE', 'DOGE', 'LINK', 'DOT'],
    ...['ADA', 'XRP', 'NEAR', 'APT', 'ARB', 'OP', 'INJ', 'TIA', 'SUI'],
  ].map((asset, i) => ({ asset, beta: 0.8 + i * 0.05 })),
});

const OUTPUTS = [
  ...savedResults('02-hedge-perpetual.hedgebook'),
  ...savedResults('04-pair-sol-eth.hedgebook'),
  JSON.stringify(twenty),
];

interface Box {
  text: string;
  kind: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Text boxes of each chart (client coordinates), and the chart's own box. */
const TEXT_BOXES = `[...document.querySelectorAll('.hb-chart')].map((chart) => {
  const kinds = { 'text.gtitle': 'title', 'text.gtitle-subtitle': 'note', '.xtick text': 'x tick',
    '.ytick text': 'y tick', '.g-xtitle text': 'x title', '.g-ytitle text': 'y title',
    '.legendtext': 'legend', '.annotation-text-g text': 'annotation',
    '.updatemenu-header-group text': 'menu', '.cbaxis text': 'colorbar' };
  const boxes = [];
  for (const [sel, kind] of Object.entries(kinds))
    for (const el of chart.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || !el.textContent.trim()) continue;
      boxes.push({ text: el.textContent, kind, x: r.x, y: r.y, w: r.width, h: r.height });
    }
  const c = chart.getBoundingClientRect();
  return { id: chart.dataset.figure, chart: { x: c.x, y: c.y, w: c.width, h: c.height }, boxes };
})`;

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 1 && h > 1 ? w * h : 0;
}

describe('chart layout at the editor’s widths', () => {
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

  for (const width of [500, 1400])
    it(`draws every chart without overlapping or cut-off text at ${width} px`, async () => {
      const w = await openPage(browser, (url) => url.startsWith(origin));
      await w.page.setViewportSize({ width: width + 40, height: 900 });
      await w.page.goto(`${origin}/`);
      await waitFor(w.page, 'window.hostReady === true');
      await js(w.page, `document.body.style.width = '${width}px'`);
      for (const [theme, shot] of [
        ['light', true],
        ['dark', true],
        ['high-contrast', true],
      ] as const) {
        await js(w.page, `host.setTheme('${theme}')`);
        for (const [i, text] of OUTPUTS.entries())
          await js(w.page, `host.render('o${i}', ${JSON.stringify(text)})`);
        await waitFor(w.page, `document.querySelectorAll('.hb-chart .main-svg').length >= 10`);
        if (shot) {
          const charts = w.page.locator('.hb-chart');
          for (let k = 0; k < (await charts.count()); k++) {
            const chart = charts.nth(k);
            const id = await chart.getAttribute('data-figure');
            await chart.screenshot({
              path: join(ARTIFACTS, 'layout', `${theme}-${width}-${k}-${id}.png`),
            });
          }
        }
      }
      const charts = await js<{ id: string; chart: Omit<Box, 'text' | 'kind'>; boxes: Box[] }[]>(
        w.page,
        TEXT_BOXES,
      );
      assert.ok(charts.length >= 10, `${charts.length} charts`);
      const problems: string[] = [];
      for (const { id, chart, boxes } of charts) {
        for (const b of boxes)
          if (b.x < chart.x - 1 || b.x + b.w > chart.x + chart.w + 1)
            problems.push(`${id}: ${b.kind} "${b.text}" is cut off at the chart's edge`);
        boxes.forEach((a, i) =>
          boxes.slice(i + 1).forEach((b) => {
            // Labels of one axis: plotly spaces or angles them itself, and the boxes of angled
            // labels overlap where the glyphs do not.
            if (a.kind === b.kind && a.kind.endsWith('tick')) return;
            if (overlap(a, b) > 0)
              problems.push(`${id}: ${a.kind} "${a.text}" overlaps ${b.kind} "${b.text}"`);
          }),
        );
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(w.errors, []);
      await w.page.close();
    });
});

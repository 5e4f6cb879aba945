import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderReportHtml } from '../../src/outputs/report';
import { toOutputItems } from '../../src/outputs/mime';
import { sampleBetas, sampleHedge, samplePair, XSS_NAME } from '../outputs/sample-results';
import { ARTIFACTS, ROOT, ensureBuilt, js, launch, openPage, waitFor } from './browser';

describe('HTML report in Chromium', () => {
  let browser: Browser;
  before(async () => {
    ensureBuilt();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('draws every chart offline with the network blocked, and runs no notebook script', async () => {
    const html = renderReportHtml({
      title: 'Core hedge review',
      cells: [
        {
          kind: 'markdown',
          text: `# Core hedge\n\nBetas of **core** to BTC; one asset is called \`${XSS_NAME}\`.`,
        },
        { kind: 'code', source: 'betas: core', items: toOutputItems(sampleBetas()) },
        {
          kind: 'code',
          source: 'hedge: core\nwith: BTCUSDT-PERP\ntarget_beta: 0.5',
          items: toOutputItems(sampleHedge()),
        },
        {
          kind: 'code',
          source: 'pair: { long: { SOL: 10000usd }, short: { ETH: 10000usd } }',
          items: toOutputItems(samplePair()),
        },
      ],
      rendererJs: readFileSync(join(ROOT, 'dist/report-renderer.js'), 'utf8'),
    });
    const file = join(ARTIFACTS, 'report.html');
    writeFileSync(file, html);
    const w = await openPage(browser, (url) => url.startsWith('file:'));
    await w.page.goto(pathToFileURL(file).href);
    await waitFor(
      w.page,
      `document.querySelectorAll('.hb-chart .main-svg').length > 0 && document.querySelectorAll('.hb-chart:not(.js-plotly-plot)').length === 0`,
    );
    const charts = await js<string[]>(
      w.page,
      `[...document.querySelectorAll('.hb-chart.js-plotly-plot')].map((d) => d.dataset.figure)`,
    );
    assert.deepEqual(charts, [
      'betas-bars',
      'betas-scatter',
      'betas-rolling-beta',
      'betas-rolling-correlation',
      'betas-correlation',
      'hedge-exposure',
      'pair-dollar-beta',
    ]);
    assert.equal(await js(w.page, `document.querySelectorAll('.hb-result').length`), 3);
    assert.ok(
      w.requests.every((u) => u.startsWith('file:') || u.startsWith('data:')),
      w.requests.join('\n'),
    );
    assert.deepEqual(w.dialogs, []);
    assert.equal(await js(w.page, `document.querySelectorAll('img').length`), 0);
    assert.deepEqual(w.errors, []);
    await w.page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await w.page.close();
  });
});

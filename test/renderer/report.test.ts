import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderReportHtml } from '../../src/outputs/report';
import { toOutputItems } from '../../src/outputs/mime';
import { sampleBetas, sampleHedge, samplePair, XSS_NAME } from '../outputs/sample-results';
import { ARTIFACTS, ROOT, ensureBuilt, js, launch, openPage, waitFor } from './browser';

const sha256Base64 = (t: string) => createHash('sha256').update(t, 'utf8').digest('base64');

/** Markup and script a shared notebook might carry, each trying to set window.__hb. */
export const PAYLOADS = [
  '<script>window.__hb=1</script>',
  '<img src=x onerror="window.__hb=2">',
  '"><svg onload=window.__hb=3>',
  "'><svg/onload=window.__hb=4>",
  '</script><script>window.__hb=5</script>',
  '<iframe srcdoc="<script>parent.__hb=6</script>"></iframe>',
  '<details open ontoggle=window.__hb=7>',
  '<body onload=window.__hb=8>',
  '<input autofocus onfocus=window.__hb=9>',
  '<video><source onerror=window.__hb=10></video>',
  '<audio src=x onerror=window.__hb=11>',
  '<object data="javascript:window.__hb=12"></object>',
  '<embed src="javascript:window.__hb=13">',
  '<base href="javascript:window.__hb=14//">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__hb=15">',
  '<form action="javascript:window.__hb=16"><button>go</button></form>',
  '<a href="javascript:window.__hb=17">click</a>',
  '[click](javascript:window.__hb=18)',
  '![x](javascript:window.__hb=19)',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__hb=20>',
  '<svg><script>window.__hb=21</script></svg>',
  '<!--<script>window.__hb=22</script>-->',
  '<![CDATA[<script>window.__hb=23</script>]]>',
  '%{x}<b onmouseover=window.__hb=24>hover</b>',
  '{{constructor.constructor("window.__hb=25")()}}',
  '${window.__hb=26}',
  '<style>@import "http://127.0.0.1:1/x.css";</style>',
  '<link rel=stylesheet href="http://127.0.0.1:1/y.css">',
  '<img src="http://127.0.0.1:1/z.png">',
  'data:text/html,<script>window.__hb=27</script>',
  '\u2028<script>window.__hb=28</script>',
];

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
      sha256Base64,
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

  it('runs none of 31 injection payloads placed wherever a notebook reaches', async () => {
    const names = PAYLOADS.map((p, i) => ({ asset: p, beta: 0.5 + i / 40 }));
    const html = renderReportHtml({
      title: PAYLOADS.join(' '),
      cells: [
        { kind: 'markdown', text: PAYLOADS.map((p) => `# ${p}\n\n${p} [${p}](${p})`).join('\n\n') },
        {
          kind: 'code',
          source: PAYLOADS.join('\n'),
          items: toOutputItems(sampleBetas({ assets: names, periods: 60, window: 20 })),
          meta: { stale: PAYLOADS.join(' '), computedAt: PAYLOADS[0] },
        },
        {
          kind: 'code',
          source: 'x',
          language: PAYLOADS[1],
          items: [
            {
              mime: 'application/vnd.code.notebook.error',
              data: JSON.stringify({ name: PAYLOADS[2], message: PAYLOADS.join('\n') }),
            },
            { mime: 'text/plain', data: PAYLOADS.join('\n') },
            { mime: 'text/markdown', data: PAYLOADS.join('\n\n') },
          ],
        },
      ],
      rendererJs: readFileSync(join(ROOT, 'dist/report-renderer.js'), 'utf8'),
      sha256Base64,
      notebook: PAYLOADS[3],
      generator: PAYLOADS[4],
    });
    const file = join(ARTIFACTS, 'report-payloads.html');
    writeFileSync(file, html);
    const w = await openPage(browser, (url) => url.startsWith('file:'));
    await w.page.goto(pathToFileURL(file).href);
    await waitFor(w.page, `document.querySelectorAll('.hb-chart .main-svg').length >= 4`, 30_000);
    // Hover, click and focus everything a payload might have turned into a handler.
    await w.page.mouse.move(200, 300);
    await w.page.keyboard.press('Tab');
    assert.equal(await js(w.page, `typeof window.__hb`), 'undefined');
    assert.deepEqual(w.dialogs, []);
    assert.ok(
      w.requests.every((u) => u.startsWith('file:') || u.startsWith('data:')),
      w.requests.join('\n'),
    );
    assert.equal(
      await js(
        w.page,
        `document.querySelectorAll('img, iframe, object, embed, form, svg script, base, link').length`,
      ),
      0,
    );
    await w.page.close();
  });

  it('would not run an inline script or handler that slipped past escaping (CSP by hash)', async () => {
    const page = renderReportHtml({
      title: 'CSP',
      cells: [{ kind: 'code', source: 'betas: core', items: toOutputItems(sampleBetas()) }],
      rendererJs: readFileSync(join(ROOT, 'dist/report-renderer.js'), 'utf8'),
      sha256Base64,
    });
    // Simulate an escaping slip: markup inserted into the page as if a notebook string got through.
    const slipped = page.replace(
      '<main>',
      '<main><script>window.__hb = "inline"</script><img src="data:," onerror="window.__hb = \'handler\'"><a id="js" href="javascript:window.__hb=\'link\'">x</a>',
    );
    const file = join(ARTIFACTS, 'report-slip.html');
    writeFileSync(file, slipped);
    const w = await openPage(browser, (url) => url.startsWith('file:') || url.startsWith('data:'));
    await w.page.goto(pathToFileURL(file).href);
    // The report's own (hashed) script still runs and draws.
    await waitFor(w.page, `document.querySelectorAll('.hb-chart .main-svg').length > 0`, 30_000);
    await w.page.click('#js');
    assert.equal(await js(w.page, `typeof window.__hb`), 'undefined');
    assert.ok(
      w.errors.filter((e) => /Content Security Policy/.test(e)).length >= 2,
      w.errors.join('\n'),
    );
    await w.page.close();
  });
});

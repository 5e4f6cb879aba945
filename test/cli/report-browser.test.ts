import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launch } from '../renderer/browser';
import { ensureBuilt, hedgebook, ROOT, workspace } from './helpers';

let dir = '';
let browser: Browser | null = null;
before(async () => {
  ensureBuilt();
  dir = workspace('report');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report of a sample, end to end', () => {
  it('opens offline in Chromium and draws every chart of the main sample', async () => {
    assert.ok(
      existsSync(CHROMIUM),
      'chromium is installed (npm test installs it: scripts/chromium.mjs)',
    );
    const html = join(dir, 'report.html');
    const r = hedgebook(
      ['run', join(ROOT, 'samples', '02-hedge-perpetual.hedgebook'), '--html', html],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote report: /);

    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('.js-plotly-plot svg.main-svg', { timeout: 30_000 });
    // Every plot container has drawn its SVG, with traces in it.
    await page.waitForFunction(
      `[...document.querySelectorAll('.js-plotly-plot')].every((p) => p.querySelector('svg.main-svg'))`,
      undefined,
      { timeout: 30_000 },
    );
    const drawn = await page.$$eval('.js-plotly-plot', (plots) =>
      plots.map((p) => p.querySelectorAll('.trace, .point, .bars path, .hm image').length),
    );
    assert.ok(drawn.length >= 2, `expected several charts, found ${drawn.length}`);
    assert.ok(
      drawn.every((n) => n > 0),
      `a chart drew nothing: ${drawn.join(', ')}`,
    );
    // The markdown and the tables are there too.
    const text = await page.textContent('body');
    assert.match(text ?? '', /Hedging with a linear BTC perpetual/);
    assert.match(text ?? '', /SOL/);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'the report opens offline: no network requests');
    await page.close();
  });
});

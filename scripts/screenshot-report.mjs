// Takes the README's picture of the report: opens out/report.html (npm run demo writes it) in
// headless Chromium and saves docs/images/report.png. Usage: node scripts/screenshot-report.mjs
// [report.html] [out.png] [--selector CSS] (the top of the part of the page to show).
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumPath } from './chromium.mjs';

const args = process.argv.slice(2);
const sel = args.indexOf('--selector');
const selector = sel >= 0 ? args.splice(sel, 2)[1] : null;
const [html = 'out/report.html', out = 'docs/images/report.png'] = args;
const browser = await chromium.launch({
  executablePath: chromiumPath() ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1300 } });
  await page.goto(pathToFileURL(resolve(html)).href);
  await page.waitForSelector('.js-plotly-plot svg.main-svg', { timeout: 30_000 });
  await page.waitForTimeout(500);
  let y = 0;
  if (selector) {
    const box = await page.locator(selector).first().boundingBox();
    y = Math.max(0, Math.floor((box?.y ?? 0) - 16));
  }
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({
    path: out,
    fullPage: true,
    clip: { x: 0, y, width: 1100, height: 1300 },
  });
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KB)`);
} finally {
  await browser.close();
}

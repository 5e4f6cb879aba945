// Looks at a report as a reader would: screenshots of its top in light and in dark colours, and
// Chromium's print-to-PDF of the whole page (pdftoppm from poppler-utils turns the pages into
// PNGs to look at). Usage: node scripts/look-report.mjs REPORT.html OUTDIR
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumPath } from './chromium.mjs';

const [html, outDir = 'artifacts/report-look'] = process.argv.slice(2);
if (!html) {
  console.error('usage: node scripts/look-report.mjs REPORT.html [OUTDIR]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: chromiumPath() ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 }, colorScheme });
    await page.goto(pathToFileURL(resolve(html)).href);
    await page.waitForSelector('.js-plotly-plot svg.main-svg', { timeout: 30_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(outDir, `report-${colorScheme}.png`) });
    if (colorScheme === 'light') {
      // As a browser's Print does: the print layout at the paper's width, from the page as drawn.
      await page.pdf({ path: join(outDir, 'report.pdf'), format: 'A4', printBackground: true });
    }
    await page.close();
  }
  console.log(`wrote ${outDir}/report-light.png, report-dark.png, report.pdf`);
} finally {
  await browser.close();
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { exportIpynb } from '../../src/cli/export';
import { parseNotebookFile } from '../../src/notebook/file-format';
import { PLOTLY_MIME } from '../../src/outputs/ipynb';
import { ARTIFACTS, ROOT, ensureBuilt, js, launch, openPage, waitFor } from './browser';

/** The bundled plotly (renderers/plotly.ts: core + bar + heatmap) as one script setting
 *  window.Plotly, as a Jupyter front end would hold its own plotly. */
async function bundledPlotly(): Promise<string> {
  const out = await build({
    stdin: {
      contents: "import Plotly from './renderers/plotly'; (window as any).Plotly = Plotly;",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    minify: true,
    define: { global: 'globalThis' },
    loader: { '.css': 'empty' },
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

describe('an exported .ipynb in Chromium', () => {
  let browser: Browser;
  before(async () => {
    ensureBuilt();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('draws every chart of sample 02 from its application/vnd.plotly.v1+json outputs alone', async () => {
    const file = parseNotebookFile(
      readFileSync(join(ROOT, 'samples', '02-hedge-perpetual.hedgebook'), 'utf8'),
    );
    assert.ok(file.ok);
    const nb = JSON.parse(exportIpynb(file.value, { file: '02-hedge-perpetual.hedgebook' })) as {
      cells: { outputs?: { data?: Record<string, unknown> }[] }[];
    };
    const figures = nb.cells
      .flatMap((c) => c.outputs ?? [])
      .flatMap((o) => (o.data?.[PLOTLY_MIME] ? [o.data[PLOTLY_MIME]] : []));
    assert.ok(figures.length >= 5, `${figures.length} figures`);
    const page = `<!doctype html><html><head><meta charset="utf-8"></head><body style="width:1000px">
<div id="charts"></div>
<script>${(await bundledPlotly()).replace(/<\/script/gi, '<\\/script')}</script>
<script>
const figures = ${JSON.stringify(figures).replace(/</g, '\\u003c')};
window.drawn = Promise.all(figures.map((f, i) => {
  const div = document.createElement('div');
  div.className = 'fig';
  div.style.height = '400px';
  document.getElementById('charts').append(div);
  return Plotly.newPlot(div, f.data, f.layout);
})).then(() => { window.done = true; }, (e) => { window.failed = String(e); });
</script></body></html>`;
    const html = join(ARTIFACTS, 'ipynb-plotly.html');
    writeFileSync(html, page);
    const w = await openPage(browser, (url) => url.startsWith('file:'));
    await w.page.goto(pathToFileURL(html).href);
    await waitFor(w.page, 'window.done || window.failed', 30_000);
    assert.equal(await js(w.page, 'window.failed ?? null'), null);
    const traces = await js<number[]>(
      w.page,
      `[...document.querySelectorAll('.fig')].map((d) => d.querySelectorAll('.trace, .bars path, .hm image, .point').length)`,
    );
    assert.equal(traces.length, figures.length);
    assert.ok(
      traces.every((n) => n > 0),
      `a figure drew nothing: ${traces.join(', ')}`,
    );
    assert.deepEqual(w.errors, []);
    await w.page.screenshot({ path: join(ARTIFACTS, 'ipynb-plotly.png'), fullPage: true });
    await w.page.close();
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadPricesFile } from '../../src/data/files';
import { evaluateNotebook, type NotebookCell, type SessionEnv } from '../../src/notebook/session';
import type { CellResult } from '../../src/results';
import { toOutputItems } from '../../src/outputs/mime';
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

/** The workflow of the bundled synthetic sample data, evaluated by the real evaluator. */
const CELLS: NotebookCell[] = [
  { id: 'prices', kind: 'code', text: 'prices: daily\nfile: data/daily.csv' },
  { id: 'settings', kind: 'code', text: 'benchmark: BTC\nreturns: log\nwindow: 365d' },
  {
    id: 'portfolio',
    kind: 'code',
    text: 'portfolio: core\nholdings: { ETH: 40, SOL: 500, BTC: 0.5, UNI: { usd: 20000 } }',
  },
  { id: 'betas', kind: 'code', text: 'betas: core' },
  { id: 'perp', kind: 'code', text: 'instrument: BTCUSDT-PERP\ncontract_size: 0.001' },
  {
    id: 'hedge',
    kind: 'code',
    text: 'hedge: core\nwith: BTCUSDT-PERP\ntarget_beta: 0.5\nleverage: 5',
  },
  {
    id: 'pair',
    kind: 'code',
    text: 'pair: { long: { SOL: 10000usd }, short: { ETH: 10000usd } }\nhedge_with: BTCUSDT-PERP',
  },
];

const env: SessionEnv = {
  loadPrices: (file) => loadPricesFile(resolve(ROOT, 'samples', file)),
};

describe('results of the sample data, evaluated and drawn in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin = '';
  const results: { id: string; result: CellResult }[] = [];

  before(async () => {
    ensureBuilt();
    const runs = await evaluateNotebook(CELLS, env);
    for (const run of runs) {
      assert.equal(run.status, 'ok', `${run.id}: ${run.problems.map((p) => p.message).join('; ')}`);
      for (const result of run.results) results.push({ id: run.id, result });
    }
    ({ server, origin } = await startServer());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`draws the betas, hedge and pair results as interactive charts in the ${theme} theme`, async () => {
      const w = await openPage(browser, (url) => url.startsWith(origin));
      await w.page.goto(`${origin}/`);
      await waitFor(w.page, 'window.hostReady === true');
      await js(w.page, `host.setTheme('${theme}')`);
      for (const { id, result } of results) {
        if (!['betas', 'hedge', 'pair'].includes(result.kind)) continue;
        const item = toOutputItems(result)[0]!;
        await js(w.page, `host.render(${JSON.stringify(id)}, ${JSON.stringify(item.data)})`);
      }
      const figures = await js<string[]>(
        w.page,
        `[...document.querySelectorAll('.hb-chart.js-plotly-plot')].filter((d) => d.querySelector('.main-svg')).map((d) => d.dataset.figure)`,
      );
      assert.deepEqual(figures, [
        'betas-bars',
        'betas-scatter',
        'betas-rolling-beta',
        'betas-rolling-correlation',
        'betas-correlation',
        'hedge-exposure',
        'pair-dollar-beta',
      ]);
      const betas = results.find((r) => r.result.kind === 'betas')!.result;
      assert.equal(betas.kind, 'betas');
      const assets = await js<string[]>(
        w.page,
        `[...document.querySelectorAll('#out-betas table[data-table="betas-stats"] tbody tr')].map((tr) => tr.cells[0].textContent)`,
      );
      assert.deepEqual(
        assets,
        betas.rows.map((r) => r.asset),
      );
      const side = await js<string>(
        w.page,
        `[...document.querySelectorAll('#out-hedge table[data-table="hedge-ticket"] tr')].find((tr) => tr.cells[0].textContent === 'Side').cells[1].textContent`,
      );
      assert.equal(side, 'Sell (short)');
      assert.deepEqual(w.errors, []);
      await w.page.screenshot({ path: join(ARTIFACTS, `sample-${theme}.png`), fullPage: true });
      await w.page.close();
    });
  }
});

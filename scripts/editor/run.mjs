// `npm run test:editor`: tests the packaged extension in a real VS Code, offline.
// code-server (VS Code's server + web workbench, from the npm registry) runs with a real Node
// extension host; headless Chromium (playwright-core + Debian's chromium) is the window.
// See docs/testing.md. Steps:
//   0. install what is missing into the cache (scripts/editor/install.mjs)
//   1. build, package the .vsix with vsce, bundle the extension-host suite (out/integration)
//   2. start code-server in its own process group with scratch XDG/TMPDIR, user data, extensions
//   3. install the .vsix with code-server --install-extension
//   4. self-check: run the suite entry with only the harness self-check (one passing and one
//      deliberately failing test): the run must be reported as failed with exactly that failure
//   5. the extension-host mocha suite (test/integration/suite/*.test.ts): must pass
//   6. the workbench: open a sample, Run All, wait for the renderer's charts in the output
//      webview, screenshots in light and dark theme -> artifacts/editor/
// The process group is killed at the end whatever happens. Any step that cannot start fails
// the run with its reason; nothing is skipped silently.
//
// Options: --self-check (steps 0-4 only)  --no-suite  --no-ui  --no-big  --keep (keep the scratch folder)
//          --sample NAME (sample notebook for step 6; default: the first in samples/ with charts)
//          --chart REGEX (the chart title the screenshots centre on; default /^Beta to/)
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { format } from 'node:util';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { buildIntegrationTests, TESTS_OUT } from './build-tests.mjs';
import { ensureEditor, node24Env, scratchXdg } from './install.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'artifacts', 'editor');
const VSIX = join(ROOT, 'hedgebook.vsix');
const EXTENSION_ID = 'hedgebook.hedgebook';
const CHROMIUM = process.env.HEDGEBOOK_CHROMIUM || '/usr/bin/chromium';
const SUITE_TIMEOUT_MS = Number(process.env.HEDGEBOOK_SUITE_TIMEOUT_MS || 10 * 60_000);
const UI_TIMEOUT_MS = 180_000;
const CHART_TITLE = /^Beta to/; // the chart the screenshots centre on, when the sample has one

const args = process.argv.slice(2);
const opt = {
  selfCheckOnly: args.includes('--self-check'),
  selfCheck: !args.includes('--no-self-check'), // for iterating on the UI step only
  suite: !args.includes('--no-suite'),
  ui: !args.includes('--no-ui'),
  keep: args.includes('--keep'),
  big: !args.includes('--no-big'),
  sample: args.includes('--sample') ? args[args.indexOf('--sample') + 1] : undefined,
  chart: args.includes('--chart') ? new RegExp(args[args.indexOf('--chart') + 1]) : undefined,
};

const t0 = Date.now();
const timings = [];
function log(message) {
  console.log(`[editor ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}`);
}
async function phase(name, fn) {
  const start = Date.now();
  log(`${name} ...`);
  const value = await fn();
  const s = (Date.now() - start) / 1000;
  timings.push({ name, seconds: s });
  log(`${name}: ${s.toFixed(1)} s`);
  return value;
}
class HarnessError extends Error {}
function fail(message) {
  throw new HarnessError(message);
}

function sh(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.error) fail(`${cmd} ${cmdArgs.join(' ')} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} exited with ${r.status}`);
  return r;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- code-server
function startCodeServer({ paths, scratch, port, env }) {
  const logFile = join(ARTIFACTS, 'code-server.log');
  const out = createWriteStream(logFile);
  const child = spawn(
    paths.nodeBin,
    [
      paths.codeServerEntry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir',
      join(scratch, 'user-data'),
      '--extensions-dir',
      join(scratch, 'extensions'),
      '--vscode-option',
      'enable-smoke-test-driver',
      join(scratch, 'ws'),
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }, // detached = setsid: own group
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  return {
    child,
    logFile,
    exited: () => exited,
    /** Kills the whole process group (extension hosts, watchers, pty hosts). */
    async kill() {
      if (child.pid === undefined) return;
      for (const signal of ['SIGTERM', 'SIGKILL']) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          return; // group already gone
        }
        for (let i = 0; i < 30; i++) {
          try {
            process.kill(-child.pid, 0);
          } catch {
            return;
          }
          await sleep(100);
        }
      }
    },
  };
}

async function waitHealthy(server, port) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ex = server.exited();
    if (ex)
      fail(
        `code-server exited during start-up (${JSON.stringify(ex)}); log:\n` + tail(server.logFile),
      );
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  fail(
    `code-server did not answer on 127.0.0.1:${port} within 60 s; log:\n${tail(server.logFile)}`,
  );
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function writeUserSettings(scratch) {
  const dir = join(scratch, 'user-data', 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'files.autoSave': 'off',
    'git.enabled': false,
    'github.gitAuthentication': false,
    'window.commandCenter': false,
    'workbench.colorTheme': 'Light Modern',
    'workbench.preferredLightColorTheme': 'Light Modern',
    'workbench.preferredDarkColorTheme': 'Dark Modern',
    'notebook.output.textLineLimit': 60,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Every file the manifest points at (main, renderer entry points) must be in the package. */
function checkManifestFiles(extDir) {
  const manifest = JSON.parse(readFileSync(join(extDir, 'package.json'), 'utf8'));
  const wanted = [
    manifest.main,
    ...(manifest.contributes?.notebookRenderer ?? []).map((r) =>
      typeof r.entrypoint === 'string' ? r.entrypoint : r.entrypoint?.path,
    ),
  ].filter(Boolean);
  const missing = wanted.filter((f) => !existsSync(join(extDir, f)));
  if (missing.length > 0)
    fail(
      `the .vsix lacks files its manifest names: ${missing.join(', ')} (see .vscodeignore; ` +
        '`npx vsce ls` lists what is packaged)',
    );
  log(`  packaged files named by the manifest are present: ${wanted.join(', ')}`);
}

// ---------------------------------------------------------------- extension-host suite
/**
 * Loads the workbench with the smoke-test-driver payload that makes it run extensionTestsPath's
 * run() in the extension host; resolves with the exit code the workbench reports through
 * codeAutomationExit, the results file run() wrote, and the extension host's console.
 */
async function runSuite({ browser, port, scratch, extDir, name, extraEnv }) {
  const resultsFile = join(ARTIFACTS, `${name}-results.json`);
  rmSync(resultsFile, { force: true });
  const logFile = join(ARTIFACTS, `${name}.log`);
  const lines = [];
  const authority = `vscode-remote://127.0.0.1:${port}`;
  const extensionEnv = {
    HEDGEBOOK_TEST_RESULTS: resultsFile,
    HEDGEBOOK_WORKSPACE: join(scratch, 'ws'),
    HEDGEBOOK_REPO: ROOT,
    ...extraEnv,
  };
  const payload = [
    ['extensionDevelopmentPath', `${authority}${extDir}`],
    ['extensionTestsPath', `${authority}${join(ROOT, TESTS_OUT, 'index.js')}`],
    ['extensionEnvironment', JSON.stringify(extensionEnv)],
  ];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    let settle;
    const exited = new Promise((r) => (settle = r));
    await page.exposeFunction('codeAutomationExit', (code) => settle(code));
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      // The extension host's console: mocha's report (printf-style arguments) and editor noise.
      const text = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      lines.push(`[${type}] ${text}`);
      if (isReport(type, text)) for (const l of text.split('\n')) console.log(`    ${name} | ${l}`);
    });
    page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
    const url =
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(join(scratch, 'ws'))}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), SUITE_TIMEOUT_MS)));
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    writeFileSync(logFile, lines.join('\n') + '\n');
    if (code === 'timeout')
      fail(`${name}: the extension-host run did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
    let results = null;
    if (existsSync(resultsFile)) results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    return { code, results, resultsFile, logFile };
  } finally {
    await context.close();
  }
}

/** Lines worth showing on the console: the extension host's own output, not workbench noise. */
function isReport(type, text) {
  if (type !== 'log' && type !== 'info') return false;
  return !/^\[|^(Resolving|Resolved|Creating a socket|Updating additional|Unable to read file)|ENOTFOUND|^\s+at /.test(
    text,
  );
}

function checkSelfCheck(run) {
  const { code, results } = run;
  if (!results)
    fail(
      `self-check: run() wrote no results file (${run.resultsFile}); exit code ${code}; ` +
        `extension host log: ${run.logFile}`,
    );
  const deliberate = results.failures.filter((f) => /deliberately failing/.test(f.title));
  const problems = [];
  if (code === 0) problems.push('the workbench reported exit code 0 for a failing run');
  if (results.passed < 1) problems.push(`passed = ${results.passed}, expected >= 1`);
  if (results.failed !== 1 || deliberate.length !== 1)
    problems.push(`expected exactly the deliberate failure, got ${JSON.stringify(results)}`);
  if (problems.length > 0) fail(`self-check: failures are not detected: ${problems.join('; ')}`);
  log(
    `self-check ok: exit code ${code}, passed ${results.passed}, failed ${results.failed} ` +
      `(the deliberate one)`,
  );
}

function checkSuite(run) {
  const { code, results } = run;
  if (!results) fail(`suite: run() wrote no results file; exit code ${code}; log: ${run.logFile}`);
  if (code !== 0 || results.failed > 0 || results.passed === 0) {
    const lines = results.failures.map((f) => `  - ${f.title}\n      ${f.error.split('\n')[0]}`);
    fail(
      `suite failed: exit code ${code}, passed ${results.passed}, failed ${results.failed}\n` +
        lines.join('\n') +
        `\n  (extension host log: ${run.logFile})`,
    );
  }
  log(`suite ok: exit code ${code}, passed ${results.passed}, failed 0`);
  return results;
}

// ---------------------------------------------------------------- the 100-asset notebook
/** A notebook on real-sized data, with its outputs saved (issue 16): 100 assets × 43,800
 *  hourly rows, a 30-day window, `betas: all` (scripts/editor/wide-notebook.ts), run by the CLI
 *  with --in-place. Returns its path in the workspace and its size. */
function prepareBigNotebook(dir) {
  sh(process.execPath, ['--import', 'tsx', 'scripts/editor/wide-notebook.ts', dir]);
  const nb = join(dir, 'wide.hedgebook');
  sh(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'run', nb, '--in-place', '--quiet']);
  return {
    rel: 'big/wide.hedgebook',
    bytes: statSync(nb).size,
    csvBytes: statSync(join(dir, 'wide.csv')).size,
  };
}

/** The extension's activation time as VS Code measured it (Developer: Show Running Extensions:
 *  code loading + the activate call), in ms. */
async function activationTime(page) {
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Hedgebook' });
  await row.first().waitFor({ timeout: 30_000 });
  let text = '';
  for (let i = 0; i < 20; i++) {
    text = (await row.first().innerText()).replace(/\s+/g, ' ');
    if (/\d+\s*ms/.test(text)) break;
    await sleep(500);
  }
  const m = /(\d+)\s*ms/.exec(text);
  if (!m) fail(`no activation time in the Running Extensions row of Hedgebook: "${text}"`);
  await page.screenshot({ path: join(ARTIFACTS, 'running-extensions.png') });
  await page.keyboard.press('Escape'); // the Running Extensions view opens as a modal editor
  await sleep(500);
  await runCommand(page, 'View: Close All Editors');
  return { ms: Number(m[1]), row: text };
}

// ---------------------------------------------------------------- the workbench, driven
async function plotsInWebviews(page) {
  let plots = 0;
  const frames = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    try {
      const n = await frame.locator('.js-plotly-plot .main-svg').count();
      if (n > 0) {
        plots += await frame.locator('.js-plotly-plot').count();
        frames.push(frame);
      }
    } catch {
      // frame detached while looking
    }
  }
  return { plots, frames };
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await sleep(400);
  await page.keyboard.press('Enter');
  await sleep(300);
}

async function openNotebook(page, relPath) {
  const fileName = relPath.split('/').pop();
  let lastError = '';
  for (let attempt = 1; attempt <= 6; attempt++) {
    try {
      // Quick Open: the file search answers slowly while the workbench is still starting.
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 20_000 });
      await input.fill(relPath);
      await page
        .locator(`.quick-input-list .monaco-list-row[aria-label*="${fileName}"]`)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
    } catch (e) {
      lastError = e instanceof Error ? e.message.split('\n')[0] : String(e);
      log(`  quick open of ${fileName} failed (attempt ${attempt}): ${lastError}; retrying`);
      await page.keyboard.press('Escape');
      await sleep(2000);
      continue;
    }
    try {
      await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 10_000 });
      log(`  notebook editor open (attempt ${attempt})`);
      return;
    } catch {
      // the extension host had not registered the notebook type yet: it opened as text
      lastError = 'opened in the text editor';
      log(`  ${fileName} opened as text (attempt ${attempt}); closing and retrying`);
      await runCommand(page, 'View: Close All Editors');
      await sleep(3000);
    }
  }
  fail(`${relPath} never opened in the notebook editor (last: ${lastError})`);
}

async function waitForCharts(page, label) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const { plots } = await plotsInWebviews(page);
    if (plots !== last) {
      last = plots;
      stableSince = Date.now();
    } else if (plots > 0 && Date.now() - stableSince > 2500) {
      return plots;
    }
    const picker = page.locator('.quick-input-widget:visible');
    if ((await picker.count()) > 0) {
      log(`  ${label}: a quick pick is open (kernel selection?): choosing the first entry`);
      await page.keyboard.press('Enter');
    }
    await sleep(500);
  }
  const texts = await outputTexts(page);
  fail(
    `${label}: no Hedgebook chart appeared in the output webview within ${UI_TIMEOUT_MS / 1000} s` +
      ` (frames: ${page.frames().length}; output text seen: ${JSON.stringify(texts.slice(0, 5))})`,
  );
}

async function outputTexts(page) {
  const texts = [];
  for (const frame of page.frames()) {
    try {
      const t = await frame.locator('.output').allInnerTexts();
      texts.push(...t.map((s) => s.slice(0, 200)));
    } catch {
      // detached
    }
  }
  return texts;
}

/** Charts drawn shorter than their layout asks (e.g. collapsed after a resize or theme change):
 *  compares each plot's drawn svg height with the height in its plotly layout. */
async function collapsedCharts(page) {
  const { frames } = await plotsInWebviews(page);
  const bad = [];
  for (const frame of frames) {
    const sizes = await frame
      .locator('.js-plotly-plot')
      .evaluateAll((els) =>
        els.map((e) => ({
          drawn: Number(e.querySelector('.main-svg')?.getAttribute('height') ?? NaN),
          wanted: typeof e.layout?.height === 'number' ? e.layout.height : 200,
          title: e.getAttribute('aria-label') ?? e.querySelector('.gtitle')?.textContent ?? '',
        })),
      )
      .catch(() => []);
    for (const c of sizes)
      if (Number.isFinite(c.drawn) && c.drawn < 0.9 * c.wanted)
        bad.push(`"${c.title}" ${c.drawn} of ${c.wanted} px`);
  }
  return bad;
}

async function expectChartsDrawn(page, when) {
  const bad = await collapsedCharts(page);
  if (bad.length > 0)
    fail(`${when}: ${bad.length} chart(s) drawn shorter than their layout: ${bad.join('; ')}`);
}

/** The chart to photograph: the topmost whose title matches `pattern`, else the topmost. Each
 *  webview is read in one round trip (titles and boxes of all its charts), offset by its frame's
 *  place on the page: one locator call per chart made a 24-chart notebook take minutes. */
async function findChart(page, pattern) {
  const { frames } = await plotsInWebviews(page);
  let best = null;
  for (const frame of frames) {
    const offset = await frameOffset(frame);
    if (!offset) continue;
    const charts = await frame
      .evaluate(() =>
        [...globalThis.document.querySelectorAll('.js-plotly-plot')].map((el) => {
          const r = el.getBoundingClientRect();
          const title = el.querySelector('.gtitle')?.textContent ?? '';
          return { x: r.x, y: r.y, width: r.width, height: r.height, title };
        }),
      )
      .catch(() => []);
    for (const c of charts) {
      if (c.width === 0 || c.height === 0) continue;
      const box = { x: c.x + offset.x, y: c.y + offset.y, width: c.width, height: c.height };
      const rank = pattern.test(c.title) ? 0 : 1;
      if (!best || rank < best.rank || (rank === best.rank && box.y < best.box.y))
        best = { rank, box, title: c.title };
    }
  }
  return best;
}

/** Where a (possibly nested) frame's viewport starts on the page, or null if it is detached. */
async function frameOffset(frame) {
  let x = 0;
  let y = 0;
  for (let f = frame; f.parentFrame(); f = f.parentFrame()) {
    const element = await f.frameElement().catch(() => null);
    const inner = element
      ? await element
          .evaluate((el) => {
            const r = el.getBoundingClientRect();
            return { x: r.x + el.clientLeft, y: r.y + el.clientTop };
          })
          .catch(() => null)
      : null;
    if (!inner) return null;
    x += inner.x;
    y += inner.y;
  }
  return { x, y };
}

/** The box of the notebook list on screen: with two notebooks open, the hidden tab's list is
 *  still "visible" to CSS but parked far off-screen (x = -50000). */
async function notebookView(page) {
  const lists = page.locator('.notebook-editor .monaco-list:visible');
  const n = await lists.count();
  for (let k = 0; k < n; k++) {
    const box = await lists
      .nth(k)
      .boundingBox()
      .catch(() => null);
    if (box && box.x >= 0 && box.y >= 0 && box.width > 0) return box;
  }
  return null;
}

/** Scrolls the notebook under the mouse by about `delta` px. The workbench moves a fixed ~50 px
 *  per wheel event whatever the event's delta, so a long way is many events, then a pause. */
async function wheel(page, delta) {
  const steps = Math.min(40, Math.max(1, Math.round(Math.abs(delta) / 50)));
  for (let k = 0; k < steps; k++) await page.mouse.wheel(0, Math.sign(delta) * 50);
  await sleep(400);
}

/** Scrolls the notebook until the chosen chart's top is near the top of the notebook view
 *  (the output webview forwards wheel events to the notebook list), or, for a chart near the end
 *  of the notebook, until it is wholly in view. The list is the visible one: with two notebooks
 *  open, the first `.notebook-editor` in the page can be the hidden tab's. */
async function scrollToChart(page, pattern) {
  const view = await notebookView(page);
  if (!view) return null;
  const placed = (c) =>
    Math.abs(c.box.y - (view.y + 30)) < 40 ||
    (c.box.y >= view.y && c.box.y + c.box.height <= view.y + view.height);
  let chart = null;
  // Outputs above may still grow while we scroll: settle, re-measure, scroll again.
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 30; i++) {
      chart = await findChart(page, pattern);
      if (!chart) return null;
      const delta = chart.box.y - (view.y + 30);
      if (Math.abs(delta) < 40) break;
      await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
      await wheel(page, delta);
      const after = await findChart(page, pattern);
      // at the end of the notebook the wheel no longer moves it
      if (after && Math.abs(after.box.y - chart.box.y) < 2 && placed(after)) break;
    }
    await sleep(1500);
    chart = await findChart(page, pattern);
    if (chart && placed(chart)) break;
  }
  if (chart && !placed(chart))
    fail(`the chart "${chart.title}" could not be scrolled into view (top at ${chart.box.y} px)`);
  return chart?.title ?? null;
}

function pickSample() {
  const dir = join(ROOT, 'samples');
  const all = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.hedgebook'))
        .sort()
    : [];
  if (opt.sample) {
    const name = opt.sample.endsWith('.hedgebook') ? opt.sample : `${opt.sample}.hedgebook`;
    if (!all.includes(name)) fail(`--sample ${opt.sample}: no samples/${name}`);
    return name;
  }
  if (all.length === 0) fail('no samples/*.hedgebook to open in the workbench');
  return all[0];
}

/** The dynamic-hedge sample (06): Run All, then its equity, beta and compare charts in the dark
 *  theme and the equity chart again in the light one. */
async function simulationShots(page) {
  const sample = '06-dynamic-hedge.hedgebook';
  if (!existsSync(join(ROOT, 'samples', sample))) return {};
  await openNotebook(page, `samples/${sample}`);
  const runAll = page.locator(
    '.notebook-toolbar-container a.action-label[aria-label^="Run All"]:visible',
  );
  await runAll.first().waitFor({ state: 'visible', timeout: 30_000 });
  await runAll.first().click();
  // (the first notebook stays open in its tab: wait for this one's own charts)
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const chart = await findChart(page, /^Equity: hedged/);
    if (chart && /^Equity: hedged/.test(chart.title)) break;
    if (Date.now() > deadline) fail(`${sample}: no equity chart within ${UI_TIMEOUT_MS / 1000} s`);
    await sleep(500);
  }
  const plots = await waitForCharts(page, sample);
  log(`  ${sample}: ${plots} chart(s) rendered`);
  await runCommand(page, 'Notifications: Clear All Notifications');
  const shots = {};
  for (const [key, pattern, file] of [
    ['simulateEquity', /^Equity: hedged/, 'simulate-equity-dark.png'],
    ['simulateBeta', /^Book beta/, 'simulate-beta-dark.png'],
    ['simulateCompare', /^Rules compared/, 'simulate-compare-dark.png'],
  ]) {
    const title = await scrollToChart(page, pattern);
    if (!title || !pattern.test(title))
      fail(`${sample}: no chart titled ${pattern} (found ${title})`);
    await page.mouse.move(5, 400);
    await sleep(1200);
    shots[key] = join(ARTIFACTS, file);
    await page.screenshot({ path: shots[key] });
  }
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await sleep(3000);
  await expectChartsDrawn(page, `${sample} after switching back to the light theme`);
  await scrollToChart(page, /^Equity: hedged/);
  await page.mouse.move(5, 400);
  await sleep(1200);
  shots.simulateEquityLight = join(ARTIFACTS, 'simulate-equity-light.png');
  await page.screenshot({ path: shots.simulateEquityLight });
  return shots;
}

/** A box around several boxes, with a margin, inside the page. */
function around(boxes, margin = 12, page = { width: 1360, height: 860 }) {
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(page.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(page.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x, y, width: right - x, height: bottom - y };
}

/** Scrolls the notebook (wheel over the cell list, upwards first) until `line` is on screen in
 *  the upper half of the notebook view. */
async function scrollToLine(page, line) {
  const view = await notebookView(page);
  if (!view) fail('no notebook list to scroll');
  await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
  for (const direction of [-1, 1]) {
    for (let i = 0; i < 40; i++) {
      const box = (await line.count()) > 0 ? await line.boundingBox().catch(() => null) : null;
      if (box && box.y > view.y + 40 && box.y < view.y + view.height / 2) return;
      if (box && direction === 1 && box.y >= view.y + view.height / 2) {
        await page.mouse.wheel(0, box.y - (view.y + view.height / 3));
        await sleep(400);
        continue;
      }
      await page.mouse.wheel(0, direction * 500);
      await sleep(250);
    }
  }
  fail('the betas cell never came into view');
}

/** The editor's help in a cell, photographed: a hover on a declared name (`core` in the betas
 *  cell: where it is declared and its result) and the completion list in a new cell (the cell
 *  kinds, with the first one's documentation). Each must show what the language service says. */
async function languageShots(page) {
  const shots = {};
  const line = page.locator('.notebook-editor .view-line', { hasText: 'betas: core' }).first();
  if (
    (await page.locator('.notebook-editor .view-line', { hasText: 'betas: core' }).count()) === 0
  ) {
    log('  no betas: core cell in this sample: hover and completion pictures skipped');
    return shots;
  }
  await scrollToLine(page, line);
  const name = line.locator('span span', { hasText: /^core$/ }).last();
  const box = await name.boundingBox();
  if (!box) fail('the word core of the betas cell is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:visible').first();
  await hover.waitFor({ timeout: 15_000 }).catch(() => fail('no hover appeared over core'));
  await sleep(600);
  const hoverText = await hover.innerText();
  if (!/portfolio core/.test(hoverText) || !/declared in cell/.test(hoverText))
    fail(`the hover over core says: ${JSON.stringify(hoverText)}`);
  log(`  hover over core: ${JSON.stringify(hoverText.replace(/\s+/g, ' ').slice(0, 160))}`);
  const cellBox = await page
    .locator('.notebook-editor .cell-editor-container', { hasText: 'betas: core' })
    .first()
    .boundingBox();
  const hoverBox = await hover.boundingBox();
  shots.hover = join(ARTIFACTS, 'hover.png');
  // The cell, its hover and the top of its result, at most 900 px wide (the README shows it).
  const clip = around([cellBox, hoverBox].filter(Boolean), 24);
  clip.height = Math.min(860 - clip.y, clip.height + 150);
  clip.width = Math.min(clip.width, 900);
  await page.screenshot({ path: shots.hover, clip });

  // A new code cell below the betas cell, then Ctrl+Space: the cell kinds.
  await page.mouse.move(5, 400);
  await line.click();
  await page.keyboard.press('End');
  await runCommand(page, 'Notebook: Insert Code Cell Below');
  await sleep(1000);
  await page.keyboard.press('Control+Space');
  const widget = page.locator('.suggest-widget.visible').first();
  await widget.waitFor({ timeout: 15_000 }).catch(() => fail('no completion list appeared'));
  await sleep(800);
  const rows = await widget.locator('.monaco-list-row').allInnerTexts();
  if (!rows.some((r) => /^prices/.test(r)) || !rows.some((r) => /^hedge/.test(r)))
    fail(`the completion list in a new cell shows: ${JSON.stringify(rows)}`);
  log(`  completion list: ${rows.map((r) => r.split('\n')[0]).join(', ')}`);
  const details = page.locator('.suggest-details-container:visible, .suggest-details:visible');
  if ((await details.count()) === 0) {
    await page.keyboard.press('Control+Space'); // show the documentation beside the list
    await sleep(600);
  }
  const boxes = [await widget.boundingBox()];
  if ((await details.count()) > 0) boxes.push(await details.first().boundingBox());
  const focused = page.locator('.notebook-editor .cell-editor-container:focus-within').first();
  if ((await focused.count()) > 0) boxes.push(await focused.boundingBox());
  shots.completion = join(ARTIFACTS, 'completion.png');
  await page.screenshot({ path: shots.completion, clip: around(boxes.filter(Boolean)) });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  return shots;
}

async function driveWorkbench({ browser, port, scratch, sample, big }) {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  try {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(join(scratch, 'ws'))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({
      timeout: 60_000,
    });
    // The 100-asset notebook with its saved outputs (opening it activates the extension): it
    // opens in the notebook editor (no "very large" refusal) and its charts draw from what was
    // saved, without running anything.
    let bigRun = null;
    if (big) {
      const opened = Date.now();
      await openNotebook(page, big.rel);
      const bigPlots = await waitForCharts(page, big.rel);
      const bigMs = Date.now() - opened;
      if ((await page.getByText(/very large/i).count()) > 0)
        fail(`${big.rel} (${big.bytes} bytes) was refused as "very large"`);
      log(
        `  ${big.rel} (${big.bytes} bytes): ${bigPlots} chart(s) drawn from saved outputs in ${bigMs} ms`,
      );
      await expectChartsDrawn(page, `${big.rel} opened`);
      await runCommand(page, 'Notifications: Clear All Notifications');
      for (const [pattern, file] of [
        [/^Beta to/, 'big-notebook-bars.png'],
        [/^Rolling beta/, 'big-notebook-rolling.png'],
        [/^Correlation/, 'big-notebook-heatmap.png'],
      ]) {
        await scrollToChart(page, pattern);
        await page.mouse.move(5, 400);
        await sleep(800);
        await page.screenshot({ path: join(ARTIFACTS, file) });
      }
      bigRun = { charts: bigPlots, msToCharts: bigMs, activation: await activationTime(page) };
      const activation = bigRun.activation;
      log(
        `  activation time of Hedgebook (Running Extensions): ${activation.ms} ms (${activation.row})`,
      );
    }
    await openNotebook(page, `samples/${sample}`);
    const runAll = page.locator(
      '.notebook-toolbar-container a.action-label[aria-label^="Run All"]',
    );
    await runAll.first().waitFor({ state: 'visible', timeout: 30_000 });
    await runAll.first().click();
    log(`  clicked Run All on ${sample}`);
    const plots = await waitForCharts(page, sample);
    log(`  ${plots} chart(s) rendered by the Hedgebook renderer in the output webview`);
    // Hide the toasts (offline noise) before the screenshots.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Close Primary Side Bar');
    const title = await scrollToChart(page, opt.chart ?? CHART_TITLE);
    log(`  photographing the chart "${title}"`);
    await page.mouse.move(5, 400); // no hover tooltips in the pictures
    await sleep(1500);
    await expectChartsDrawn(page, 'after the notebook was resized (side bar closed)');
    const shots = {};
    shots.light = join(ARTIFACTS, 'notebook-light.png');
    await page.screenshot({ path: shots.light });
    Object.assign(shots, await languageShots(page));
    // Dark theme, switched live: the renderer must follow the theme change.
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page
      .locator('.monaco-workbench.vs-dark')
      .waitFor({ timeout: 20_000 })
      .catch(() => fail('the workbench did not switch to the dark theme'));
    await sleep(3000);
    const dark = await plotsInWebviews(page);
    if (dark.plots === 0) fail('charts disappeared after switching to the dark theme');
    await expectChartsDrawn(page, 'after switching to the dark theme');
    shots.dark = join(ARTIFACTS, 'notebook-dark.png');
    await page.screenshot({ path: shots.dark });
    Object.assign(shots, await simulationShots(page));
    return {
      plots,
      shots,
      consoleErrors,
      big: big && bigRun ? { ...big, charts: bigRun.charts, msToCharts: bigRun.msToCharts } : null,
      activationMs: bigRun?.activation.ms ?? null,
    };
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'failure.png') }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- main
async function main() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM))
    fail(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set HEDGEBOOK_CHROMIUM)`);
  const paths = await phase('install (cache)', () => ensureEditor());

  const suiteFiles = await phase('build + package', async () => {
    rmSync(VSIX, { force: true });
    sh('npm', ['run', '--silent', 'package']);
    if (!existsSync(VSIX)) fail(`npm run package produced no ${VSIX}`);
    return buildIntegrationTests(ROOT);
  });
  log(`suite files: ${suiteFiles.length === 0 ? '(none)' : suiteFiles.join(', ')}`);

  const scratch = mkdtempSync(join(paths.cache, 'run-'));
  const env = { ...node24Env(paths), ...scratchXdg(scratch) };
  delete env.NODE_OPTIONS;
  mkdirSync(join(scratch, 'ws'), { recursive: true });
  if (existsSync(join(ROOT, 'samples')))
    cpSync(join(ROOT, 'samples'), join(scratch, 'ws', 'samples'), { recursive: true });
  writeUserSettings(scratch);
  const big =
    opt.ui && opt.big
      ? await phase('the 100-asset notebook (generate, run --in-place)', () =>
          prepareBigNotebook(join(scratch, 'ws', 'big')),
        )
      : null;
  if (big) log(`  ${big.rel}: ${big.bytes} bytes with outputs (prices file ${big.csvBytes} bytes)`);

  let server;
  let browser;
  try {
    const extDir = await phase('install the .vsix', () => {
      sh(
        paths.nodeBin,
        [
          paths.codeServerEntry,
          '--user-data-dir',
          join(scratch, 'user-data'),
          '--extensions-dir',
          join(scratch, 'extensions'),
          '--install-extension',
          VSIX,
        ],
        { env, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      const dir = readdirSync(join(scratch, 'extensions')).find((d) =>
        d.startsWith(`${EXTENSION_ID}-`),
      );
      if (!dir)
        fail(`the .vsix installed but no ${EXTENSION_ID}-* folder is in the extensions dir`);
      const installed = join(scratch, 'extensions', dir);
      checkManifestFiles(installed);
      return installed;
    });

    const port = await freePort();
    server = await phase('start code-server', async () => {
      const s = startCodeServer({ paths, scratch, port, env });
      await waitHealthy(s, port);
      return s;
    });
    browser = await phase('start chromium', () =>
      chromium
        .launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
        .catch((e) => fail(`chromium (${CHROMIUM}) did not start: ${e.message}`)),
    );

    const base = { browser, port, scratch, extDir };
    if (opt.selfCheck || opt.selfCheckOnly)
      await phase('self-check (a deliberate failure must be reported)', async () =>
        checkSelfCheck(
          await runSuite({
            ...base,
            name: 'self-check',
            extraEnv: { HEDGEBOOK_EXPECT_FAILURE: '1', HEDGEBOOK_TEST_GREP: 'harness self-check' },
          }),
        ),
      );
    if (opt.selfCheckOnly) return;

    let suite = null;
    if (opt.suite) {
      if (suiteFiles.length === 0) fail('no test/integration/suite/*.test.ts to run');
      suite = await phase('extension-host suite', async () =>
        checkSuite(await runSuite({ ...base, name: 'suite', extraEnv: {} })),
      );
    }
    let ui = null;
    if (opt.ui) {
      const sample = pickSample();
      ui = await phase(`workbench: ${sample}, Run All, charts, screenshots`, () =>
        driveWorkbench({ browser, port, scratch, sample, big }),
      );
      log(`screenshots: ${Object.values(ui.shots).join(', ')}`);
    }
    writeFileSync(
      join(ARTIFACTS, 'summary.json'),
      JSON.stringify(
        {
          timings,
          totalSeconds: (Date.now() - t0) / 1000,
          suite,
          charts: ui?.plots ?? null,
          bigNotebook: ui?.big ?? null,
          activationMs: ui?.activationMs ?? null,
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.kill();
    if (!opt.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`scratch kept: ${scratch}`);
  }
}

main().then(
  () => {
    log(`test:editor passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const t of timings) console.log(`  ${t.name}: ${t.seconds.toFixed(1)} s`);
  },
  (e) => {
    console.error(`\ntest:editor FAILED: ${e instanceof HarnessError ? e.message : e?.stack || e}`);
    console.error(`artifacts: ${ARTIFACTS}`);
    process.exit(1);
  },
);

/** Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, and a static file
 *  server on 127.0.0.1 for the built renderer (dist/) and the test host page. Helpers for the
 *  renderer tests; no network: every request that is not to this server is aborted. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'artifacts');

/** The built bundles; built here when a single test file is run without `npm run build`. */
export function ensureBuilt(): void {
  if (
    !existsSync(join(ROOT, 'dist/renderer/index.js')) ||
    !existsSync(join(ROOT, 'dist/report-renderer.js'))
  ) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

/** Serves / (the host page) and /renderer/* (dist/renderer/*). */
export async function startServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const file =
      path === '/'
        ? join(ROOT, 'test/renderer/host.html')
        : path.startsWith('/renderer/')
          ? join(ROOT, 'dist', normalize(path).replace(/^(\.\.[/\\])+/, ''))
          : null;
    if (
      !file ||
      (!file.startsWith(join(ROOT, 'dist')) && !file.endsWith('host.html')) ||
      !existsSync(file)
    ) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** Debian's Chromium, or $HEDGEBOOK_CHROMIUM (`npm test` makes sure it exists first:
 *  scripts/chromium.mjs). */
export const CHROMIUM = process.env.HEDGEBOOK_CHROMIUM || '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface Watched {
  page: Page;
  dialogs: string[];
  errors: string[];
  requests: string[];
}

/** A page that records dialogs (an alert would mean script ran), page errors, console errors
 *  (CSP violations show there) and requests, and aborts any request off `allowed`. */
export async function openPage(
  browser: Browser,
  allowed: (url: string) => boolean,
): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const watched: Watched = { page, dialogs: [], errors: [], requests: [] };
  page.on('dialog', (d) => {
    watched.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => watched.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') watched.errors.push(m.text());
  });
  page.on('request', (r) => watched.requests.push(r.url()));
  await page.route('**/*', (route) =>
    allowed(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
  );
  return watched;
}

/** Evaluates a JS expression in the page (strings: the test tsconfig has no DOM types). */
export function js<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Polls a JS expression until it is truthy (page.waitForFunction with a string would need
 *  eval, which the host page's content security policy forbids, as a webview's does). */
export async function waitFor(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await js<boolean>(page, `Boolean(${expression})`).catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

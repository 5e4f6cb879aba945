// `npm run bench:activation`: what activating the extension costs, outside the editor. Each
// sample is a fresh Node process that stubs the `vscode` module (every API a no-op), requires
// dist/extension.js (VS Code's "code loading" time) and calls activate() with a fake context
// (its "activate call"); VS Code's Running Extensions view shows the sum of the two. Then, in
// the same process, it times loading each bundle src/vscode/lazy.ts requires on first use
// (dist/notebook.js when a notebook opens, dist/data.js when a cell reads data, dist/export.js
// for an export), which activation no longer pays for.
//   node bench/activation.mjs [--runs N] [--bundle dist/extension.js] [--cpu-prof]
// Run `npm run build -- --production` first to measure what the .vsix ships (minified).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const bundle = resolve(
  ROOT,
  process.env.HEDGEBOOK_BENCH_BUNDLE ?? arg('--bundle', 'dist/extension.js'),
);

/** A stand-in for the whole `vscode` API: any property is a function, any call or `new`
 *  returns another stand-in (so `vscode.workspace.getConfiguration('x').get('y')` and
 *  `new vscode.EventEmitter().event` work), and nothing is awaited or converted. */
function stub(name = 'vscode') {
  const fn = function () {};
  return new Proxy(fn, {
    get(_t, key) {
      if (typeof key === 'symbol' || key === 'then') return undefined;
      if (key === 'fsPath' || key === 'path') return '/tmp/hedgebook-bench';
      return stub(`${name}.${key}`);
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
    // esbuild's `import * as vscode` copies the module's own keys onto an object whose
    // prototype is the module's: a stand-in prototype answers every other key.
    getPrototypeOf: () => stub(`${name}.prototype`),
  });
}

/** The bundles src/vscode/lazy.ts loads on first use (scripts/build.mjs builds them). */
const LAZY = ['notebook', 'data', 'export'];

function child() {
  const vscode = stub();
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  const t0 = performance.now();
  const ext = Module.createRequire(bundle)(bundle);
  const t1 = performance.now();
  ext.activate({ subscriptions: [], extensionUri: stub(), globalStorageUri: stub() });
  const t2 = performance.now();
  const loaded = Object.keys(Module._cache)
    .filter((f) => dirname(f) === dirname(bundle))
    .map((f) => f.slice(ROOT.length + 1));
  // What a first use pays later (opening a notebook, a cell reading data, an export).
  const later = {};
  for (const name of LAZY) {
    const file = join(dirname(bundle), `${name}.js`);
    if (!existsSync(file) || Module._cache[file]) continue;
    const t = performance.now();
    Module.createRequire(file)(file);
    later[file.slice(ROOT.length + 1)] = performance.now() - t;
  }
  const result = { requireMs: t1 - t0, activateMs: t2 - t1, loaded, later };
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0); // timers set by activate (the first diagnostics pass) are not ours to wait for
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function parent() {
  if (!existsSync(bundle)) throw new Error(`${bundle} not found: run npm run build first`);
  const runs = Number(arg('--runs', '15'));
  const prof = process.argv.includes('--cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir=out/prof'] : [];
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [...prof, fileURLToPath(import.meta.url), '--child'], {
      env: { ...process.env, HEDGEBOOK_BENCH_BUNDLE: bundle },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const req = samples.map((s) => s.requireMs);
  const act = samples.map((s) => s.activateMs);
  const sum = samples.map((s) => s.requireMs + s.activateMs);
  const fmt = (xs) =>
    `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
  const kb = (f) => `${(statSync(join(ROOT, f)).size / 1024).toFixed(0)} KB`;
  console.log(
    `${bundle.slice(ROOT.length + 1)} (${kb(bundle.slice(ROOT.length + 1))}), ${runs} fresh processes`,
  );
  console.log(`  require (code loading) ${fmt(req)}`);
  console.log(`  activate() call        ${fmt(act)}`);
  console.log(`  activation (sum)       ${fmt(sum)}`);
  console.log(
    `  bundles loaded at activation: ${samples[0].loaded.map((f) => `${f} (${kb(f)})`).join(', ')}`,
  );
  for (const file of Object.keys(samples[0].later))
    console.log(
      `  later, first use: ${file} (${kb(file)}) ${fmt(samples.map((s) => s.later[file]))}`,
    );
  if (prof.length)
    console.log('  CPU profiles in out/prof/ (open in Chrome DevTools or speedscope)');
}

if (process.argv.includes('--child')) child();
else parent();

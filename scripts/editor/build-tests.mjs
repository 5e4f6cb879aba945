// Bundles the extension-host test suite for a real VS Code: test/integration/index.ts and every
// test/integration/suite/**/*.test.ts -> out/integration/**.js (CommonJS, node). 'vscode' is the
// editor's own module; mocha stays external so the suite files and index.js share one mocha
// (resolved from the repo's node_modules).
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const TESTS_OUT = join('out', 'integration');

function find(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Returns the suite files that were bundled (relative to test/integration). */
export async function buildIntegrationTests(root = process.cwd()) {
  const src = join(root, 'test', 'integration');
  const out = join(root, TESTS_OUT);
  rmSync(out, { recursive: true, force: true });
  const suite = find(join(src, 'suite')).sort();
  await build({
    entryPoints: [join(src, 'index.ts'), ...suite],
    outdir: out,
    outbase: src,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'], // as scripts/build.mjs: jsonc-parser's UMD build does not bundle
    logLevel: 'warning',
  });
  return suite.map((f) => relative(src, f));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const files = await buildIntegrationTests();
  console.log(`built ${TESTS_OUT}/index.js and ${files.length} suite file(s)`);
}

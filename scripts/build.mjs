// Bundles the three entry points with esbuild: the extension (node, cjs, vscode external),
// the notebook renderer (browser, one ES module) and the headless CLI (node, cjs).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const entries = [
  {
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'], // see the CLI entry: jsonc-parser's UMD build does not bundle
  },
  {
    entryPoints: ['renderers/index.ts'],
    outfile: 'dist/renderer.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    splitting: false,
    minify: true,
    loader: { '.css': 'empty' },
  },
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    // jsonc-parser's UMD "main" requires its parts dynamically, which a bundle cannot follow;
    // its ES module build bundles cleanly.
    mainFields: ['module', 'main'],
  },
];
for (const entry of entries) {
  if (!existsSync(entry.entryPoints[0])) continue; // a layer not written yet has nothing to bundle
  await build({ ...common, ...entry });
}

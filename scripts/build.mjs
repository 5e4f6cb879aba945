// Bundles the three entry points with esbuild: the extension (node, cjs, vscode external),
// the notebook renderer (browser, ES module + lazily loaded plotly chunk), the report renderer
// (browser, one IIFE with plotly inlined) and the headless CLI (node, cjs).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
// The extension loads the file readers and exchange clients only when a cell first needs data
// (src/vscode/controller.ts imports src/data/datasets dynamically): they are bundled apart, as
// dist/data.js, and the extension requires that file at that moment.
const dataApart = {
  name: 'data-apart',
  setup(b) {
    b.onResolve({ filter: /\/data\/datasets$/ }, (args) =>
      args.importer.includes('/src/vscode/') && args.kind === 'dynamic-import'
        ? { path: './data.js', external: true }
        : undefined,
    );
  },
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
    plugins: [dataApart],
    // import() becomes require() (as the extension itself is loaded, CommonJS): with a real
    // import() of dist/data.js, Run All in the workbench failed (npm run test:editor: the cells
    // after the prices cell found no dataset) although the extension-host suite passed.
    supported: { 'dynamic-import': false },
  },
  {
    entryPoints: ['src/data/datasets.ts'],
    outfile: 'dist/data.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The notebook renderer: an ES module entry (dist/renderer/index.js) whose lazily imported
    // plotly build is split into its own chunk, so outputs without charts never load it.
    entryPoints: ['renderers/index.ts'],
    outdir: 'dist/renderer',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    splitting: true,
    minify: true,
    sourcemap: false,
    loader: { '.css': 'empty' },
    define: { global: 'globalThis' }, // plotly's bundled deps read Node's `global`
  },
  {
    // The same renderer as one self-contained script (plotly inlined) for the HTML report:
    // the CLI reads it and inlines it into the page (renderReportHtml's rendererJs).
    entryPoints: ['renderers/report.ts'],
    outfile: 'dist/report-renderer.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    loader: { '.css': 'empty' },
    define: { global: 'globalThis' }, // plotly's bundled deps read Node's `global`
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
rmSync('dist/renderer', { recursive: true, force: true }); // no stale hashed chunks
for (const entry of entries) {
  if (!existsSync(entry.entryPoints[0])) continue; // a layer not written yet has nothing to bundle
  await build({ ...common, ...entry });
}

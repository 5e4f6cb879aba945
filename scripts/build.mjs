// Bundles the three entry points with esbuild: the extension (node, cjs, vscode external),
// the notebook renderer (browser, ES module + lazily loaded plotly chunk), the report renderer
// (browser, one IIFE with plotly inlined) and the headless CLI (node, cjs).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const production = process.argv.includes('--production');
export const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
// Activation loads dist/extension.js alone (the adapters, src/vscode); the layers they call are
// bundled apart and required on first use (src/vscode/lazy.ts says why): there, and only there,
// `require('./lazy/notebook')` becomes a require of './notebook.js' next to the extension.
const LAZY = ['notebook', 'data', 'export'];
const lazyApart = {
  name: 'lazy-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/lazy\/\w+$/ }, (args) => {
      const name = args.path.slice('./lazy/'.length);
      return args.importer.endsWith('/src/vscode/lazy.ts') && args.kind === 'require-call'
        ? { path: `./${name}.js`, external: true }
        : undefined;
    });
  },
};
/** Every bundle's esbuild options (the tests build the extension's with a metafile). */
export const entries = [
  {
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyApart],
  },
  ...LAZY.map((name) => ({
    entryPoints: [`src/vscode/lazy/${name}.ts`],
    outfile: `dist/${name}.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'], // see the CLI entry: jsonc-parser's UMD build does not bundle
  })),
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
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  rmSync('dist/renderer', { recursive: true, force: true }); // no stale hashed chunks
  for (const entry of entries) {
    if (!existsSync(entry.entryPoints[0])) continue; // a layer not written yet has nothing to bundle
    await build({ ...common, ...entry });
  }
}

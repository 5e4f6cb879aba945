// Bundles bench/engine.ts into OUTFILE with the settings of the shipped node bundles
// (scripts/build.mjs: `common` as `--production` sets it, platform node, cjs, target node20), so
// that `npm run bench` times the engine as dist/cli.js and dist/notebook.js run it.
//   node bench/bundle-engine.mjs OUTFILE
import { build } from 'esbuild';
import { common, entries } from '../scripts/build.mjs';

const outfile = process.argv[2];
if (!outfile) throw new Error('usage: node bench/bundle-engine.mjs OUTFILE');
const cli = entries.find((e) => e.outfile === 'dist/cli.js');
await build({
  ...common,
  minify: true,
  sourcemap: false,
  entryPoints: ['bench/engine.ts'],
  outfile,
  platform: cli.platform,
  format: cli.format,
  target: cli.target,
  mainFields: cli.mainFields,
});

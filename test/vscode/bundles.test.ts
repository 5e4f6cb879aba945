/* The extension's bundles (scripts/build.mjs, src/vscode/lazy.ts): activation loads
 * dist/extension.js, which holds the adapters alone; the layers they call are bundles of their
 * own, required on first use, built from src/vscode/lazy/*.ts and packaged in the .vsix. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { listFiles, PackageManager } from '@vscode/vsce';

const ROOT = join(import.meta.dirname, '..', '..');
const LAZY = ['notebook', 'data', 'export'];
/** The few small modules of the layers below that the adapters use as values at activation. */
const LIGHT = [
  'package.json',
  'src/data/dataset-cache.ts',
  'src/data/limits.ts',
  'src/data/paths.ts',
  'src/data/progress.ts',
  'src/engine/result.ts',
  'src/notebook/data-files.ts',
  'src/notebook/file-type.ts',
  'src/notebook/saved.ts',
  'src/notebook/version.ts',
];

let extension: Metafile['outputs'][string];

before(async () => {
  // @ts-expect-error -- an .mjs script without types: its esbuild options are BuildOptions
  const { common, entries } = (await import('../../scripts/build.mjs')) as {
    common: BuildOptions;
    entries: BuildOptions[];
  };
  const options = entries.find((e) => e.outfile === 'dist/extension.js');
  assert.ok(options, 'scripts/build.mjs builds dist/extension.js');
  const result = await build({
    ...common,
    ...options,
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    sourcemap: false,
  });
  const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint);
  assert.ok(output);
  extension = output;
});

describe('the extension bundles', () => {
  it('loads only the adapters and a few small modules at activation (no zod, yaml, engine, language service)', () => {
    const heavy = Object.keys(extension.inputs).filter(
      (f) => !f.startsWith('src/vscode/') && !LIGHT.includes(f),
    );
    assert.deepEqual(heavy, [], `in dist/extension.js: ${heavy.join(', ')}`);
    assert.ok(
      !Object.keys(extension.inputs).some((f) => f.startsWith('src/vscode/lazy/')),
      'the lazy entries are bundled apart',
    );
  });

  it('requires each lazy bundle by its file name next to dist/extension.js', () => {
    const required = extension.imports
      .filter((i) => i.external && i.path.startsWith('./'))
      .map((i) => i.path)
      .sort();
    assert.deepEqual(required, LAZY.map((n) => `./${n}.js`).sort());
  });

  it('builds each lazy bundle with the exports of its source module, and none imports vscode', async () => {
    const require = createRequire(import.meta.url);
    for (const name of LAZY) {
      const file = join(ROOT, 'dist', `${name}.js`);
      assert.ok(existsSync(file), `${file} is built (npm run build)`);
      const built = require(file) as Record<string, unknown>;
      const source = (await import(`../../src/vscode/lazy/${name}.ts`)) as Record<string, unknown>;
      const names = (m: Record<string, unknown>) =>
        Object.keys(m)
          .filter((k) => k !== 'default' && k !== '__esModule')
          .sort();
      assert.deepEqual(names(built), names(source), `dist/${name}.js exports`);
    }
  });

  it('packages the extension and every lazy bundle in the .vsix', async () => {
    const files = new Set(
      (await listFiles({ cwd: ROOT, packageManager: PackageManager.None })).map((f) =>
        f.replace(/\\/g, '/'),
      ),
    );
    const wanted = ['dist/extension.js', ...LAZY.map((n) => `dist/${n}.js`)];
    const missing = wanted.filter((f) => !files.has(f));
    assert.deepEqual(missing, [], `not in the package (see .vscodeignore): ${missing.join(', ')}`);
  });
});

// The engine as it ships: bench/engine.ts bundled and minified by esbuild with the production
// settings of dist/cli.js and dist/notebook.js (bench/bundle-engine.mjs), loaded once per bench.
// Through tsx every cross-module call goes through a getter and V8 optimizes the code differently
// (the beta path measured 2.5 ms under tsx, 1.66 ms bundled); a user runs the bundle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Engine = typeof import('./engine');
let loaded: Engine | undefined;

/** The bundled engine (built on first use into a temp folder, removed once loaded). */
export function bundledEngine(): Engine {
  if (loaded) return loaded;
  const dir = mkdtempSync(join(tmpdir(), 'hedgebook-bench-engine-'));
  try {
    const file = join(dir, 'engine.js');
    execFileSync(process.execPath, [join(__dirname, 'bundle-engine.mjs'), file], {
      cwd: join(__dirname, '..'),
      stdio: 'inherit',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as Engine;
    return loaded;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run test:integration`: the same extension-host suite as `npm run test:editor`, run by
// @vscode/test-electron in a desktop VS Code it downloads (for contributors whose machine can
// reach update.code.visualstudio.com; offline machines use `npm run test:editor`).
// Same layout and environment as the editor harness: the workspace is a scratch copy of
// samples/ (HEDGEBOOK_WORKSPACE), results JSON in HEDGEBOOK_TEST_RESULTS.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIntegrationTests, TESTS_OUT } from './build-tests.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await buildIntegrationTests(ROOT);

const scratch = mkdtempSync(join(tmpdir(), 'hedgebook-it-'));
const ws = join(scratch, 'ws');
mkdirSync(ws, { recursive: true });
if (existsSync(join(ROOT, 'samples')))
  cpSync(join(ROOT, 'samples'), join(ws, 'samples'), { recursive: true });
const results = join(ROOT, 'artifacts', 'integration-results.json');
rmSync(results, { force: true });
let code = 0;
try {
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, TESTS_OUT, 'index.js'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: {
      HEDGEBOOK_WORKSPACE: ws,
      HEDGEBOOK_REPO: ROOT,
      HEDGEBOOK_TEST_RESULTS: results,
      ...(process.env.HEDGEBOOK_EXPECT_FAILURE ? { HEDGEBOOK_EXPECT_FAILURE: '1' } : {}),
    },
  });
} catch (e) {
  console.error(`test:integration failed: ${e instanceof Error ? e.message : e}`);
  code = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (existsSync(results)) console.log(readFileSync(results, 'utf8'));
process.exit(code);

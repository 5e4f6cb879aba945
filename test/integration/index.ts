// Entry point of the extension-host test suite (the @vscode/test-electron contract: a module
// exporting run(), loaded by VS Code in the extension host). It runs mocha over the suite files
// bundled beside it (suite/*.test.js) and, when HEDGEBOOK_TEST_RESULTS names a file, writes
// { passed, failed, failures: [{ title, error }] } there, so a harness can read the outcome
// independently of the exit code.
//
// Environment (set by scripts/editor/run.mjs through the extension host's environment):
//   HEDGEBOOK_TEST_RESULTS     where to write the results JSON
//   HEDGEBOOK_EXPECT_FAILURE=1 add the harness self-check: one passing and one deliberately
//                              failing test, proving that both outcomes are detected
//   HEDGEBOOK_TEST_GREP        only run tests whose full title contains this text
import Mocha from 'mocha';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SELF_CHECK_TITLE = 'harness self-check';

interface Failure {
  title: string;
  error: string;
}
export interface TestResults {
  passed: number;
  failed: number;
  failures: Failure[];
}

function findTests(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

function writeResults(results: TestResults): void {
  const file = process.env.HEDGEBOOK_TEST_RESULTS;
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

function addSelfCheck(mocha: Mocha): void {
  const suite = Mocha.Suite.create(mocha.suite, SELF_CHECK_TITLE);
  suite.addTest(
    new Mocha.Test('a passing test is counted as passed', () => {
      if (typeof run !== 'function') throw new Error('run() is missing');
    }),
  );
  suite.addTest(
    new Mocha.Test('a deliberately failing test is counted as failed', () => {
      throw new Error('deliberate failure (HEDGEBOOK_EXPECT_FAILURE=1)');
    }),
  );
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Accept both mocha styles in suite files: bdd (describe/it) and tdd (suite/test).
  Mocha.interfaces.tdd(mocha.suite);
  const grep = process.env.HEDGEBOOK_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = findTests(join(__dirname, 'suite')).sort();
  for (const file of files) mocha.addFile(file);
  if (process.env.HEDGEBOOK_EXPECT_FAILURE === '1') addSelfCheck(mocha);

  const results: TestResults = { passed: 0, failed: 0, failures: [] };
  return new Promise((resolve, reject) => {
    if (files.length === 0 && process.env.HEDGEBOOK_EXPECT_FAILURE !== '1') {
      const error = `no suite files (*.test.js) under ${join(__dirname, 'suite')}`;
      writeResults({ passed: 0, failed: 1, failures: [{ title: 'suite', error }] });
      reject(new Error(error));
      return;
    }
    try {
      const runner = mocha.run((failures) => {
        writeResults(results);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (results.passed === 0) reject(new Error('no test ran'));
        else resolve();
      });
      runner.on('pass', () => {
        results.passed += 1;
      });
      runner.on('fail', (test, err: unknown) => {
        results.failed += 1;
        const error =
          err instanceof Error ? `${err.message}\n${err.stack ?? ''}`.trim() : String(err);
        results.failures.push({ title: test.fullTitle(), error });
      });
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      writeResults({ passed: 0, failed: 1, failures: [{ title: 'loading the suite', error }] });
      reject(err);
    }
  });
}

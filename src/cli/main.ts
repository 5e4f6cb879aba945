/** The `hedgebook` bin (bundled to dist/cli.js): wires process to runCli. Ctrl-C cancels the
 *  running cell (a second Ctrl-C exits at once); on a second Ctrl-C, SIGTERM or SIGHUP the
 *  temporary file of a write in progress is removed before exiting (kill -9 cannot be caught:
 *  the next run removes what it left, src/cli/write.ts). */
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { version } from '../../package.json';
import type { ProgressSink } from '../data/progress';
import { runCli } from './cli';

async function rendererJs(): Promise<string | null> {
  // dist/cli.js sits beside dist/report-renderer.js; from src/cli (tsx) look in dist/.
  for (const path of [
    join(__dirname, 'report-renderer.js'),
    join(__dirname, '..', '..', 'dist', 'report-renderer.js'),
  ]) {
    try {
      return await readFile(path, 'utf8');
    } catch {
      // try the next place
    }
  }
  return null;
}

const controller = new AbortController();
/** Temporary files being written now: removed when the process is stopped mid-write. */
const temps = new Set<string>();
const quit = (code: number) => {
  for (const tmp of temps) rmSync(tmp, { force: true });
  process.exit(code);
};
process.on('SIGINT', () => {
  if (controller.signal.aborted) quit(130);
  process.stderr.write('hedgebook: cancelling (Ctrl-C again to quit now)\n');
  controller.abort();
});
process.on('SIGTERM', () => quit(143));
process.on('SIGHUP', () => quit(129));

/** A progress line on a terminal, rewritten in place and erased when the load ends; none when
 *  stderr is piped or redirected (a log file gets no carriage returns). */
const progress: ProgressSink | undefined = process.stderr.isTTY
  ? {
      show: (text) =>
        process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns || 80) - 1)}`),
      clear: () => process.stderr.write('\r\x1b[2K'),
    }
  : undefined;

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  version,
  rendererJs,
  signal: controller.signal,
  ...(progress ? { progress } : {}),
  temps,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `hedgebook: internal error: ${e instanceof Error ? e.stack : String(e)}\n`,
    );
    process.exitCode = 70;
  },
);

/** `hedgebook run`: arguments -> run -> summary and files. I/O is injected (stdout, stderr, cwd,
 *  the report renderer bundle) so tests drive it in-process; main.ts only wires process. */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseNotebookFile, serializeNotebookFile } from '../notebook/file-format';
import { renderReportHtml } from '../outputs/report';
import type { ProgressSink } from '../data/progress';
import { parseArgs, USAGE, type RunCommand } from './args';
import { toResultsJson } from './results-json';
import { checkCommand, exportCommand } from './share';
import { checkWritable, RefusedWrite, writeFileAtomic, type WriteOptions } from './write';
import {
  firstFailure,
  notebookTitle,
  notebookWithOutputs,
  problemLines,
  reportCells,
  runNotebookFile,
  summarize,
} from './runner';

export const EXIT_OK = 0;
export const EXIT_CELL_ERROR = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  readonly version: string;
  /** The report renderer bundle (dist/report-renderer.js) as text, or null when missing. */
  readonly rendererJs: () => Promise<string | null>;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  /** Where long loads show progress: main.ts gives a line on stderr when it is a terminal
   *  (nothing when piped). */
  readonly progress?: ProgressSink;
  /** Temporary files being written (main.ts removes them when the process is stopped). */
  readonly temps?: Set<string>;
}

/** Base64 SHA-256 of a text (the report's content security policy names its script by it). */
export function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

async function writeOutput(path: string, text: string, opts: WriteOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text, opts);
}

const reason = (e: unknown): string => {
  if (e instanceof RefusedWrite) return e.message;
  const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `${code}: permission denied, the file or its folder is read-only`;
  return code ?? (e instanceof Error ? e.message : String(e));
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.err(`hedgebook: ${parsed.message}\n(see hedgebook --help)\n`);
    return EXIT_USAGE;
  }
  const cmd = parsed.value;
  if (cmd.command === 'help') {
    io.out(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (cmd.command === 'version') {
    io.out(`hedgebook ${io.version}\n`);
    return EXIT_OK;
  }
  const writing: WriteOptions = { temps: io.temps, note: (t) => io.err(`hedgebook: ${t}\n`) };
  const share = {
    ...io,
    write: (path: string, text: string) => writeOutput(path, text, writing),
    sha256Base64,
  };
  if (cmd.command === 'check') return checkCommand(cmd, share);
  if (cmd.command === 'export') return exportCommand(cmd, share);
  return run(cmd, io);
}

async function run(cmd: RunCommand, io: CliIo): Promise<number> {
  let rendererJs: string | null = null;
  if (cmd.html !== null) {
    rendererJs = await io.rendererJs();
    if (rendererJs === null) {
      io.err('hedgebook: the report renderer bundle is missing: run `npm run build` first\n');
      return EXIT_USAGE;
    }
  }
  if (cmd.inPlace) {
    try {
      await checkWritable(resolve(io.cwd, cmd.file));
    } catch (e) {
      if (!(e instanceof RefusedWrite)) throw e;
      io.err(
        `hedgebook: ${cmd.file} was not run: --in-place cannot save into it (${e.message}); make it writable or drop --in-place\n`,
      );
      return EXIT_USAGE;
    }
  }
  const result = await runNotebookFile(cmd.file, {
    cwd: io.cwd,
    signal: io.signal,
    now: io.now,
    allowPaths: cmd.allowPaths,
    fullSeries: cmd.fullSeries,
    ...(io.progress ? { progress: io.progress } : {}),
  });
  if (!result.ok) {
    io.err(`hedgebook: cannot run ${cmd.file}:\n${problemLines(cmd.file, result)}\n`);
    return EXIT_USAGE;
  }
  const nb = result.value;
  const summary = summarize(nb, { quiet: cmd.quiet });
  if (nb.ok) {
    if (!cmd.quiet) io.out(summary);
  } else {
    io.err(summary);
  }
  const title = notebookTitle(nb);
  const written: string[] = [];
  const writing: WriteOptions = { temps: io.temps, note: (t) => io.err(`hedgebook: ${t}\n`) };
  try {
    if (cmd.json !== null) {
      const path = resolve(io.cwd, cmd.json);
      await writeOutput(path, JSON.stringify(toResultsJson(nb, title), null, 2) + '\n', writing);
      written.push(`results: ${cmd.json}`);
    }
    if (cmd.html !== null && rendererJs !== null) {
      const path = resolve(io.cwd, cmd.html);
      const html = renderReportHtml({
        title,
        cells: reportCells(nb),
        rendererJs,
        sha256Base64,
        notebook: cmd.file,
        ranAt: nb.startedAt,
        durationMs: nb.durationMs,
        generator: `Hedgebook ${io.version}`,
        outputs: 'run',
      });
      await writeOutput(path, html, writing);
      written.push(`report: ${cmd.html}`);
    }
  } catch (e) {
    io.err(`hedgebook: could not write an output file (${reason(e)})\n`);
    return EXIT_USAGE;
  }
  if (cmd.inPlace) {
    if (!nb.ok) {
      io.err(
        `hedgebook: ${cmd.file} was not changed: cell ${firstFailure(nb)} failed (fix it and run again)\n`,
      );
    } else {
      const text = serializeNotebookFile(notebookWithOutputs(nb));
      // The written notebook must read back: never replace a good file with one we cannot open.
      const check = parseNotebookFile(text);
      if (!check.ok)
        throw new Error(`serialized notebook does not parse: ${check.problems[0]?.code}`);
      try {
        await writeFileAtomic(resolve(io.cwd, cmd.file), text, writing);
        written.push(`outputs saved in ${cmd.file}`);
      } catch (e) {
        io.err(`hedgebook: ${cmd.file} was not changed: could not write it (${reason(e)})\n`);
        return EXIT_USAGE;
      }
    }
  }
  if (!cmd.quiet && written.length > 0) io.out(`wrote ${written.join('; ')}\n`);
  return nb.ok ? EXIT_OK : EXIT_CELL_ERROR;
}

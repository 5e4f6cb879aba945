/** `hedgebook check` and `hedgebook export` (cli.ts dispatches here): a saved record verified
 *  against a fresh run, and a saved notebook written as an HTML report or a Jupyter notebook. */
import { dirname, resolve } from 'node:path';
import { diskFingerprints } from '../data/fingerprint';
import { describeDataProblem } from '../data/messages';
import { expandUserPath, fileAccess } from '../data/paths';
import type { DiskFiles } from '../notebook/data-files';
import type { NotebookFile } from '../notebook/file-format';
import { checkRun, checkText } from './check';
import { exportIpynb, exportReportHtml, savedDataFiles } from './export';
import { problemLines, readNotebook, runNotebookFile } from './runner';
import type { CheckCommand, ExportCommand } from './share-args';
import type { CliIo } from './cli';

export interface ShareIo extends CliIo {
  readonly write: (path: string, text: string) => Promise<void>;
  readonly sha256Base64: (text: string) => string;
}

const reason = (e: unknown): string =>
  e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);

/** Exit 0: the saved outputs follow from the cells and the data; 1: something changed (listed);
 *  2: the notebook cannot be read. */
export async function checkCommand(cmd: CheckCommand, io: ShareIo): Promise<number> {
  const result = await runNotebookFile(cmd.file, {
    cwd: io.cwd,
    signal: io.signal,
    now: io.now,
    allowPaths: cmd.allowPaths,
  });
  if (!result.ok) {
    io.err(`hedgebook: cannot check ${cmd.file}:\n${problemLines(cmd.file, result)}\n`);
    return 2;
  }
  const report = checkRun(result.value, cmd.tolerance);
  const text = checkText(report);
  if (report.ok) {
    if (!cmd.quiet) io.out(text);
    return 0;
  }
  io.err(text);
  return 1;
}

/** What is on disk now for the data files the saved outputs were computed from, read under the
 *  file rule (the notebook's folder and --allow-path); files it refuses are not checked, with a
 *  note saying so. Undefined when the check was cancelled. */
async function dataOnDisk(
  notebook: NotebookFile,
  absPath: string,
  cmd: ExportCommand,
  io: ShareIo,
): Promise<DiskFiles | undefined> {
  const files = savedDataFiles(notebook);
  if (files.length === 0) return undefined;
  const access = fileAccess({
    notebookDir: dirname(absPath),
    allowed: cmd.allowPaths.map((p) => expandUserPath(p, io.cwd)),
  });
  const r = await diskFingerprints(files, access, { signal: io.signal });
  if (!r.ok) return undefined;
  for (const p of r.value.unchecked)
    io.err(`hedgebook: not checked for changes on disk: ${describeDataProblem(p)}\n`);
  return r.value.disk;
}

export async function exportCommand(cmd: ExportCommand, io: ShareIo): Promise<number> {
  const absPath = resolve(io.cwd, cmd.file);
  const read = await readNotebook(absPath, cmd.file);
  if (!read.ok) {
    io.err(`hedgebook: cannot export ${cmd.file}:\n${problemLines(cmd.file, read)}\n`);
    return 2;
  }
  const notebook = read.value;
  const disk = await dataOnDisk(notebook, absPath, cmd, io);
  const opts = { file: cmd.file, version: io.version, ...(disk ? { disk } : {}) };
  const written: string[] = [];
  try {
    if (cmd.html !== null) {
      const rendererJs = await io.rendererJs();
      if (rendererJs === null) {
        io.err('hedgebook: the report renderer bundle is missing: run `npm run build` first\n');
        return 2;
      }
      const html = exportReportHtml(notebook, {
        ...opts,
        rendererJs,
        sha256Base64: io.sha256Base64,
      });
      await io.write(resolve(io.cwd, cmd.html), html);
      written.push(`report: ${cmd.html}`);
    }
    if (cmd.ipynb !== null) {
      await io.write(resolve(io.cwd, cmd.ipynb), exportIpynb(notebook, opts));
      written.push(`Jupyter notebook: ${cmd.ipynb}`);
    }
  } catch (e) {
    io.err(`hedgebook: could not write an output file (${reason(e)})\n`);
    return 2;
  }
  io.out(`wrote ${written.join('; ')}\n`);
  return 0;
}

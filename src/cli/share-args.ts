/** Arguments of `hedgebook check` and `hedgebook export` (pure; args.ts dispatches here). */
import { DEFAULT_TOLERANCE } from './check';
import { eachArg } from './options';

export const SHARE_USAGE = `       hedgebook check FILE [--tolerance X] [--allow-path DIR]... [--quiet]
       hedgebook export FILE [--html OUT] [--ipynb OUT] [--allow-path DIR]...`;

export const SHARE_HELP = `check    re-runs FILE without writing anything and compares every hedge cell's saved outputs
         with the fresh results: exit 0 when they still follow from the cells and the data,
         1 with a per-cell list of what changed (numbers beyond the tolerance, the data by
         its content hash, a cell that now fails or was never saved), 2 as for run.
  --tolerance X   numbers agree when |a - b| <= X * max(1, |a|, |b|) (default ${DEFAULT_TOLERANCE})
export   writes FILE as it is saved (outputs included; nothing is run) as an HTML report
         (--html OUT) and / or a Jupyter notebook (--ipynb OUT, nbformat 4.5, charts as
         application/vnd.plotly.v1+json). Stale outputs are marked stale in the report:
         a cell edited since, or a data file read (under the notebook's folder or an
         --allow-path) whose bytes on disk are no longer those the outputs were computed from.`;

export interface CheckCommand {
  readonly command: 'check';
  readonly file: string;
  readonly tolerance: number;
  readonly quiet: boolean;
  readonly allowPaths: readonly string[];
}

export interface ExportCommand {
  readonly command: 'export';
  readonly file: string;
  readonly html: string | null;
  readonly ipynb: string | null;
  /** --allow-path values as given: folders whose data files are checked for changes too. */
  readonly allowPaths: readonly string[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseShareArgs(
  command: 'check' | 'export',
  rest: readonly string[],
): Parsed<CheckCommand | ExportCommand> {
  const bad = (message: string) => ({ ok: false as const, message });
  let file: string | null = null;
  let tolerance = DEFAULT_TOLERANCE;
  let quiet = false;
  let html: string | null = null;
  let ipynb: string | null = null;
  const allowPaths: string[] = [];
  for (const { arg, name, value: takeValue } of eachArg(rest)) {
    if (command === 'check' && name === '--tolerance') {
      const value = takeValue();
      const x = Number(value);
      if (value === null || !Number.isFinite(x) || x < 0 || value.trim() === '')
        return bad(`--tolerance needs a number >= 0, such as 1e-9 (got ${value ?? 'nothing'})`);
      tolerance = x;
    } else if (command === 'check' && name === '--quiet') {
      quiet = true;
    } else if (name === '--allow-path') {
      const value = takeValue();
      if (value === null) return bad('--allow-path needs a folder: --allow-path DIR');
      allowPaths.push(value);
    } else if (command === 'export' && (name === '--html' || name === '--ipynb')) {
      const value = takeValue();
      if (value === null) return bad(`${name} needs an output file: ${name} OUT`);
      if (name === '--html') html = value;
      else ipynb = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return bad(`unknown option "${arg}" for ${command}`);
    } else if (file === null) {
      file = arg;
    } else {
      return bad(`one notebook at a time: got "${file}" and "${arg}"`);
    }
  }
  if (file === null) return bad(`no notebook given: hedgebook ${command} FILE`);
  if (command === 'check')
    return { ok: true, value: { command, file, tolerance, quiet, allowPaths } };
  if (html === null && ipynb === null) return bad('export needs --html OUT and / or --ipynb OUT');
  return { ok: true, value: { command, file, html, ipynb, allowPaths } };
}

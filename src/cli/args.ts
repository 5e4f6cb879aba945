/** Command-line arguments of `hedgebook` (pure; main.ts wires them to the runner). */
import { eachArg } from './options';
import {
  parseShareArgs,
  SHARE_HELP,
  SHARE_USAGE,
  type CheckCommand,
  type ExportCommand,
} from './share-args';

export const USAGE = `Usage: hedgebook run FILE [--in-place] [--html OUT] [--json OUT] [--full-series] [--allow-path DIR]... [--quiet]
${SHARE_USAGE}

Runs every cell of a .hedgebook notebook headlessly, exactly as the editor's kernel does, and
prints a summary of each cell.

Options:
  --in-place   write the fresh outputs back into FILE (only when every cell ran clean;
               on any error FILE is left untouched)
  --html OUT   write a self-contained HTML report (markdown, tables, interactive charts)
  --json OUT   write all results as JSON (schema: docs/results.md): every statistic, and
               the series reduced for display as a notebook saves them
  --full-series
               results keep every point of every series in full precision (for --json;
               not with --in-place: a notebook saves series reduced)
  --allow-path DIR
               let cells read price files under DIR too (repeatable; a file works as well)
  --quiet      print only errors
  -h, --help   show this help
  -v, --version

Paths in prices cells are relative to the notebook; only files under the notebook's folder
(or an --allow-path) whose names end in .csv, .tsv, .txt or .json are read. Exit codes: 0 all cells ran clean,
1 a cell failed, 2 bad arguments or an unreadable / malformed notebook or output path.

${SHARE_HELP}`;

export interface RunCommand {
  readonly command: 'run';
  readonly file: string;
  readonly inPlace: boolean;
  readonly html: string | null;
  readonly json: string | null;
  readonly quiet: boolean;
  /** --allow-path values as given (resolved against the working folder by the runner). */
  readonly allowPaths: readonly string[];
  /** --full-series: results keep every point of every series (docs/results.md). */
  readonly fullSeries: boolean;
}

export type Command =
  | RunCommand
  | CheckCommand
  | ExportCommand
  | { readonly command: 'help' }
  | { readonly command: 'version' };

export type ParsedArgs = { ok: true; value: Command } | { ok: false; message: string };

const bad = (message: string): ParsedArgs => ({ ok: false, message });

/** Parses argv (without node and the script). `--opt=value` and `--opt value` both work. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.some((a) => a === '-h' || a === '--help'))
    return { ok: true, value: { command: 'help' } };
  if (argv.some((a) => a === '-v' || a === '--version'))
    return { ok: true, value: { command: 'version' } };
  const [command, ...rest] = argv;
  if (command === undefined) return bad('no command given; try: hedgebook run FILE');
  if (command === 'check' || command === 'export') return parseShareArgs(command, rest);
  if (command !== 'run')
    return bad(`unknown command "${command}"; the commands are: run, check, export`);
  let file: string | null = null;
  let inPlace = false;
  let quiet = false;
  let html: string | null = null;
  let json: string | null = null;
  let fullSeries = false;
  const allowPaths: string[] = [];
  for (const { arg, name, inline, value: takeValue } of eachArg(rest)) {
    if (name === '--in-place') {
      if (inline) return bad('--in-place takes no value');
      inPlace = true;
    } else if (name === '--quiet') {
      quiet = true;
    } else if (name === '--full-series') {
      if (inline) return bad('--full-series takes no value');
      fullSeries = true;
    } else if (name === '--html' || name === '--json') {
      const value = takeValue();
      if (value === null) return bad(`${name} needs an output file: ${name} OUT`);
      if (name === '--html') html = value;
      else json = value;
    } else if (name === '--allow-path') {
      const value = takeValue();
      if (value === null) return bad('--allow-path needs a folder: --allow-path DIR');
      allowPaths.push(value);
    } else if (arg.startsWith('-') && arg !== '-') {
      return bad(`unknown option "${arg}"`);
    } else if (file === null) {
      file = arg;
    } else {
      return bad(`one notebook at a time: got "${file}" and "${arg}"`);
    }
  }
  if (file === null) return bad('no notebook given: hedgebook run FILE');
  if (fullSeries && inPlace)
    return bad(
      '--full-series cannot be used with --in-place: a notebook saves its series reduced (use --full-series with --json)',
    );
  return {
    ok: true,
    value: { command: 'run', file, inPlace, html, json, quiet, allowPaths, fullSeries },
  };
}

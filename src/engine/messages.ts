/** The one place where problems become words, so the same problem reads the same in a cell
 *  output, a squiggle, the CLI and the report. Each layer adds its codes to `wording`. */
import { exchangeMessages } from './exchange-messages';
import { fileMessages } from './file-messages';
import { hedgeMessages } from './hedge-messages';
import { languageMessages } from './language-messages';
import { statsMessages } from './stats-messages';
import type { Problem } from './result';

type Params = NonNullable<Problem['params']>;
type Words = (params: Params, path: string) => string;

/** "line 3, column 5" when the params carry a location, else ''. */
function at(params: Params): string {
  return typeof params.line === 'number'
    ? `line ${params.line}, column ${typeof params.column === 'number' ? params.column : 1}`
    : '';
}

function where(params: Params, path: string): string {
  const loc = at(params);
  if (path && loc) return `${path} (${loc}): `;
  if (path || loc) return `${path || loc}: `;
  return '';
}

/** jsonc-parser's error codes, in words. */
const jsonErrors: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'badly written number',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value (a trailing comma is not allowed in JSON)',
  ColonExpected: 'expected a colon after the key',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unfinished comment',
  UnexpectedEndOfString: 'unfinished string',
  UnexpectedEndOfNumber: 'unfinished number',
  InvalidUnicode: 'bad \\u escape',
  InvalidEscapeCharacter: 'bad escape in a string',
  InvalidCharacter: 'a control character inside a string',
  Empty: 'the file is empty',
};

const wording: Record<string, Words> = {
  // portfolio, instruments, hedges, pairs, effectiveness (hedge-messages.ts); entries below win
  ...hedgeMessages,
  // price series, returns, frequency, beta statistics, rolling beta (stats-messages.ts)
  ...statsMessages,
  // price and funding files (src/data/files.ts); each message starts with file, line, column
  ...fileMessages,
  // live exchange data (src/data/exchanges)
  ...exchangeMessages,
  // .hedgebook files (src/notebook/file-format.ts)
  notebook_json_syntax: (p) =>
    `${where(p, '')}this is not a valid notebook file: ${jsonErrors[String(p.error)] ?? String(p.error)}`,
  notebook_format_newer: (p) =>
    `this notebook was written by a newer Hedgebook (format ${p.format}); this version reads format ${p.supported}` +
    (at(p) ? ` (${at(p)})` : ''),
  notebook_schema: (p, path) => `${where(p, path || 'notebook')}${String(p.detail)}`,
  notebook_unknown_key: (p, path) =>
    `${where(p, path)}unknown key '${String(p.key)}' in a notebook file`,
  // the editor's kernel (src/vscode/controller.ts)
  notebook_unsaved_relative_file: (p) =>
    `${String(p.file)}: save the notebook (or open a folder) first: files are read relative to it`,
  // the hedge cell language: syntax, schema, names, references (language-messages.ts)
  ...languageMessages,
};

/** Words for a problem. An unknown code still reads sensibly: its code, path and params. */
export function describeProblem(problem: Problem): string {
  const params = problem.params ?? {};
  const path = problem.path.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.');
  const words = wording[problem.code];
  if (words) return words(params, path.replace(/\.\[/g, '['));
  const detail = Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return `${where({}, path)}${problem.code}${detail ? ` (${detail})` : ''}`;
}

/** Words for the notebook layer's problems: the `.hedgebook` file (file-format.ts) and the hedge
 *  cell language (language-messages.ts), over the engine's words (src/engine/messages.ts).
 *  Problems from the data layer arrive already worded. */
import { at, describer, engineMessages, where, type WordTable } from '../engine/messages';
import { languageMessages } from './language-messages';

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

/** The `.hedgebook` file's problems (file-format.ts). */
export const notebookFileMessages: WordTable = {
  notebook_json_syntax: (p) =>
    `${where(p, '')}this is not a valid notebook file: ${jsonErrors[String(p.error)] ?? String(p.error)}`,
  notebook_format_newer: (p) =>
    `this notebook was written by a newer Hedgebook (format ${p.format}); this version reads format ${p.supported}` +
    (at(p) ? ` (${at(p)})` : ''),
  notebook_schema: (p, path) => `${where(p, path || 'notebook')}${String(p.detail)}`,
  notebook_too_deep: (p) =>
    `${where(p, '')}this notebook file nests arrays or objects more than ${String(p.max)} levels deep; a notebook's own structure is a few levels deep (check its metadata)`,
  notebook_too_large: (p) =>
    `this notebook file has ${Number(p.chars).toLocaleString('en-US')} characters; Hedgebook opens notebooks of at most ${Number(p.max).toLocaleString('en-US')}`,
  notebook_unknown_key: (p, path) =>
    `${where(p, path)}unknown key '${String(p.key)}' in a notebook file`,
};

/** Words for a problem of the notebook layer (or of the engine below it). */
export const describeProblem = describer(engineMessages, notebookFileMessages, languageMessages);

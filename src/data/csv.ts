/** A small CSV reader that keeps where every field came from, so a problem can name the
 *  file's line and column. RFC 4180 quoting ("a ""quoted"" field", commas and newlines inside
 *  quotes), CRLF or LF line ends, a UTF-8 byte-order mark, blank lines skipped, and lines whose
 *  first character is `#` skipped as comments (the bundled samples say "synthetic" that way).
 *  The delimiter is a comma, unless the header line has none and has semicolons or tabs.
 *  A cursor: rows are read one at a time, so memory holds one row, not the whole table.
 *  O(n) in the text length. Fails with csv_unclosed_quote or csv_quote_in_field. */
import { fail, ok, type Result } from '../engine/result';

export interface CsvField {
  readonly text: string;
  /** 1-based column (in characters) where the field starts on its line. */
  readonly column: number;
}

export interface CsvRow {
  /** 1-based line number where the row starts. */
  readonly line: number;
  readonly fields: readonly CsvField[];
}

export interface CsvTable {
  readonly header: CsvRow;
  readonly rows: readonly CsvRow[];
  readonly delimiter: string;
}

/** The delimiter the header line uses: a comma, else a semicolon, else a tab. */
export function detectDelimiter(text: string): string {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (line.trim() !== '' && !line.startsWith('#')) {
      if (line.includes(',')) return ',';
      if (line.includes(';')) return ';';
      if (line.includes('\t')) return '\t';
      return ',';
    }
    start = end + 1;
  }
  return ',';
}

/** Reads rows one by one: `next()` gives the next row (the header first), or null at the end or
 *  on a syntax error, which is then in `failure`. */
export class CsvCursor {
  readonly delimiter: string;
  failure: Result<never> | null = null;
  private readonly src: string;
  private i: number;
  private line = 1;
  private lineStart: number;

  constructor(
    text: string,
    private readonly file: string,
  ) {
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.lineStart = this.i;
    this.src = text;
    this.delimiter = detectDelimiter(this.i === 1 ? text.slice(1) : text);
  }

  /** Characters read so far (for progress). */
  get offset(): number {
    return this.i;
  }

  get length(): number {
    return this.src.length;
  }

  private stop(code: string, line: number, column: number): null {
    this.failure = fail(code, [this.file, line], { file: this.file, line, column });
    return null;
  }

  next(): CsvRow | null {
    const src = this.src;
    const n = src.length;
    const delimiter = this.delimiter;
    let i = this.i;
    if (this.failure) return null;
    while (i < n) {
      // At the start of a line.
      const ch = src[i];
      if (ch === '#') {
        while (i < n && src[i] !== '\n') i++;
        i++;
        this.line++;
        this.lineStart = i;
        continue;
      }
      if (ch === '\n' || (ch === '\r' && src[i + 1] === '\n')) {
        i += ch === '\r' ? 2 : 1;
        this.line++;
        this.lineStart = i;
        continue;
      }
      break;
    }
    if (i >= n) {
      this.i = i;
      return null;
    }
    const rowLine = this.line;
    const fields: CsvField[] = [];
    for (;;) {
      const column = i - this.lineStart + 1;
      let value = '';
      if (src[i] === '"') {
        const quoteLine = this.line;
        const quoteColumn = column;
        i++;
        let closed = false;
        let from = i;
        while (i < n) {
          const c = src[i];
          if (c === '"') {
            value += src.slice(from, i);
            if (src[i + 1] === '"') {
              value += '"';
              i += 2;
              from = i;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') {
            this.line++;
            this.lineStart = i + 1;
          }
          i++;
        }
        if (!closed) return this.stop('csv_unclosed_quote', quoteLine, quoteColumn);
        // Only a delimiter, a line end or the end of the text may follow a closing quote.
        const next = src[i];
        if (i < n && next !== delimiter && next !== '\n' && next !== '\r')
          return this.stop('csv_quote_in_field', this.line, i - this.lineStart + 1);
      } else {
        const start = i;
        while (i < n && src[i] !== delimiter && src[i] !== '\n' && src[i] !== '\r') {
          if (src[i] === '"')
            return this.stop('csv_quote_in_field', this.line, i - this.lineStart + 1);
          i++;
        }
        value = src.slice(start, i);
      }
      fields.push({ text: value.trim(), column });
      if (i < n && src[i] === delimiter) {
        i++;
        continue;
      }
      // Line end or end of text.
      if (src[i] === '\r' && src[i + 1] === '\n') i += 2;
      else if (src[i] === '\r' || src[i] === '\n') i += 1;
      else if (i < n) i++;
      this.line++;
      this.lineStart = i;
      break;
    }
    this.i = i;
    return { line: rowLine, fields };
  }
}

/** Parses CSV text into a header row and data rows (the whole table in memory; the loaders use
 *  CsvCursor). `file` is used only in problem params. */
export function parseCsv(text: string, file: string): Result<CsvTable | null> {
  const cursor = new CsvCursor(text, file);
  const rows: CsvRow[] = [];
  for (let row = cursor.next(); row; row = cursor.next()) rows.push(row);
  if (cursor.failure) return cursor.failure;
  const [header, ...data] = rows;
  if (!header) return ok(null);
  return ok({ header, rows: data, delimiter: cursor.delimiter });
}

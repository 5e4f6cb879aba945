/** A small CSV reader that keeps where every field came from, so a problem can name the
 *  file's line and column. RFC 4180 quoting ("a ""quoted"" field", commas and newlines inside
 *  quotes), CRLF or LF line ends, a UTF-8 byte-order mark, blank lines skipped, and lines whose
 *  first character is `#` skipped as comments (the bundled samples say "synthetic" that way).
 *  The delimiter is a comma, unless the header line has none and has semicolons or tabs.
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

function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/);
  const headerLine = lines.find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  if (headerLine.includes(',')) return ',';
  if (headerLine.includes(';')) return ';';
  if (headerLine.includes('\t')) return '\t';
  return ',';
}

/** Parses CSV text into a header row and data rows. `file` is used only in problem params. */
export function parseCsv(text: string, file: string): Result<CsvTable | null> {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = detectDelimiter(src);
  const rows: CsvRow[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  while (i < n) {
    // At the start of a line.
    const ch = src[i];
    if (ch === '#') {
      while (i < n && src[i] !== '\n') i++;
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === '\n' || (ch === '\r' && src[i + 1] === '\n')) {
      i += ch === '\r' ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    const rowLine = line;
    const fields: CsvField[] = [];
    let endOfRow = false;
    while (!endOfRow) {
      const column = i - lineStart + 1;
      let value = '';
      if (src[i] === '"') {
        const quoteLine = line;
        const quoteColumn = column;
        i++;
        let closed = false;
        while (i < n) {
          const c = src[i];
          if (c === '"') {
            if (src[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') {
            line++;
            lineStart = i + 1;
          }
          value += c;
          i++;
        }
        if (!closed)
          return fail('csv_unclosed_quote', [file, quoteLine], {
            file,
            line: quoteLine,
            column: quoteColumn,
          });
        // Only a delimiter, a line end or the end of the text may follow a closing quote.
        const next = src[i];
        if (i < n && next !== delimiter && next !== '\n' && next !== '\r')
          return fail('csv_quote_in_field', [file, line], {
            file,
            line,
            column: i - lineStart + 1,
          });
      } else {
        const start = i;
        while (i < n && src[i] !== delimiter && src[i] !== '\n' && src[i] !== '\r') {
          if (src[i] === '"')
            return fail('csv_quote_in_field', [file, line], {
              file,
              line,
              column: i - lineStart + 1,
            });
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
      line++;
      lineStart = i;
      endOfRow = true;
    }
    rows.push({ line: rowLine, fields });
  }
  const [header, ...data] = rows;
  if (!header) return ok(null);
  return ok({ header, rows: data, delimiter });
}

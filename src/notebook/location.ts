/** Positions inside a cell: 0-based lines and columns (UTF-16 code units, as editors count). */

export interface Range {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A problem the user sees, with the exact place in the cell where it can be fixed. */
export interface LocatedProblem {
  code: string;
  message: string;
  range: Range;
  /** The did-you-mean replacement for the text at `range`, when the message offers one (the
   *  editor's quick fix applies it). */
  suggestion?: string;
}

/** Maps character offsets of a cell's text to 0-based line/column. O(log lines) per lookup. */
export class OffsetMap {
  private readonly lineStarts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++)
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: o - (this.lineStarts[lo] ?? 0) };
  }

  range(start: number, end: number): Range {
    // A range never ends after a line break: trailing newlines of a node belong to no token.
    const n = this.text.length;
    let s = Math.max(0, Math.min(start, n));
    let e = Math.max(s, Math.min(end, n));
    if (e === s && s === n && n > 0) {
      // A problem at the very end (an unclosed bracket) is shown on the last written character.
      s = n - 1;
      while (s > 0 && /\s/.test(this.text[s] ?? '')) s--;
      e = s + 1;
    }
    while (e > s + 1 && (this.text[e - 1] === '\n' || this.text[e - 1] === '\r')) e--;
    const a = this.position(s);
    const b = this.position(e);
    return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The whole first line: where problems about the cell as a whole are shown. */
  firstLine(): Range {
    const end = this.text.indexOf('\n');
    return this.range(0, end < 0 ? this.text.length : end);
  }
}

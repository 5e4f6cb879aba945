/** Where the cursor is in a cell's YAML, while the user is typing it (so the text is often not
 *  valid YAML yet: `holdings: { ETH: 40, SO`). A small scanner over the text before the cursor
 *  that follows block indentation and flow brackets, and answers: is the cursor at a key or at a
 *  value, under which keys (`['holdings']`, `['pair', 'long']`), and which word is being typed.
 *  Pure; O(length of the cell). */
import type { Range } from '../location';
import { CELL_KINDS, SETTINGS_KEYS, type CellKind } from '../parse';

export interface Position {
  /** 0-based line and column (UTF-16 code units), as editors count. */
  readonly line: number;
  readonly column: number;
}

export interface CursorContext {
  /** `key`: typing a mapping key; `value`: typing the value of the last key of `path`. */
  readonly at: 'key' | 'value';
  /** The keys whose value holds the cursor, outermost first. At a top-level key: []. */
  readonly path: readonly string[];
  /** The value is an item of a sequence (`[BTC, E|` or a `- ` line). */
  readonly inSequence: boolean;
  /** The word under the cursor (possibly empty) and its range; completions replace it. */
  readonly word: string;
  readonly range: Range;
  /** The cursor is inside a comment or a quoted string's quote mark: nothing to offer. */
  readonly inComment: boolean;
  /** This is the cell's first key: the one that says what the cell is. */
  readonly firstKey: boolean;
  /** The text after the word on the same line starts with `:` (the key is already written). */
  readonly keyWritten: boolean;
}

/** `p` lies in `r` (ends included: a cursor right after a word is on it). */
export const contains = (r: Range, p: Position): boolean =>
  (p.line > r.startLine || (p.line === r.startLine && p.column >= r.startColumn)) &&
  (p.line < r.endLine || (p.line === r.endLine && p.column <= r.endColumn));

type Frame =
  | { type: 'block'; indent: number; key: string; line: number }
  | { type: 'map'; key: string | null; afterColon: boolean }
  | { type: 'seq' };

const WORD = /[A-Za-z0-9_.$%/\\~+-]/;

/** Offset of a 0-based line/column in `text` (clamped). */
export function offsetAt(text: string, pos: Position): number {
  let line = 0;
  let i = 0;
  while (line < pos.line) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  const end = text.indexOf('\n', i);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(i + Math.max(0, pos.column), lineEnd);
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** The word around `offset` (letters, digits and `. _ - / $ %`), as [start, end). */
export function wordAt(text: string, offset: number): [number, number] {
  let s = offset;
  while (s > 0 && WORD.test(text[s - 1] ?? '')) s--;
  let e = offset;
  while (e < text.length && WORD.test(text[e] ?? '')) e++;
  return [s, e];
}

/** A line's indentation (spaces; a tab counts as one). */
const indentOf = (line: string) => line.length - line.trimStart().length;

/** Scans `text` before `offset` and returns the cursor context. */
export function cursorContext(text: string, pos: Position): CursorContext {
  const offset = offsetAt(text, pos);
  const [ws, we] = wordAt(text, offset);
  const range: Range = (() => {
    const a = positionAt(text, ws);
    const b = positionAt(text, we);
    return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  })();
  const word = text.slice(ws, offset);
  const keyWritten = /^\s*:(\s|$)/.test(text.slice(we).split('\n')[0] ?? '');

  const frames: Frame[] = [];
  let line = 0;
  let lineStart = 0;
  let lineHasDash = false;
  let inComment = false;
  let i = 0;
  const top = () => frames[frames.length - 1];
  const inFlow = () => frames.some((f) => f.type !== 'block');

  // A new line: blocks indented as deep as it (or deeper) end. Blank and comment lines end
  // nothing, except the cursor's own line, whose indentation is the cursor's column.
  const startLine = (at: number) => {
    lineStart = at;
    lineHasDash = false;
    inComment = false;
    if (inFlow()) return;
    const full = text.slice(at).split('\n')[0] ?? '';
    const cursorLine = at <= offset && offset <= at + full.length;
    let indent: number;
    if (full.trim() !== '' && !full.trimStart().startsWith('#')) indent = indentOf(full);
    else if (cursorLine) indent = offset - at;
    else return;
    while (frames.length > 0) {
      const f = top();
      if (f?.type === 'block' && f.indent >= indent) frames.pop();
      else break;
    }
  };
  startLine(0);

  while (i < offset) {
    const ch = text[i] ?? '';
    if (ch === '\n') {
      line++;
      i++;
      startLine(i);
      continue;
    }
    if (inComment) {
      i++;
      continue;
    }
    if (ch === '#' && (i === lineStart || /\s/.test(text[i - 1] ?? ''))) {
      inComment = true;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '-' && /[\s]/.test(text[i + 1] ?? ' ') && text.slice(lineStart, i).trim() === '') {
      lineHasDash = true;
      i++;
      continue;
    }
    if (ch === '{' || ch === '[') {
      frames.push(ch === '{' ? { type: 'map', key: null, afterColon: false } : { type: 'seq' });
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      // Close the innermost flow frame (block frames stay).
      for (let k = frames.length - 1; k >= 0; k--) {
        if (frames[k]?.type !== 'block') {
          frames.splice(k);
          break;
        }
      }
      i++;
      continue;
    }
    if (ch === ',') {
      const f = top();
      if (f?.type === 'map') {
        f.key = null;
        f.afterColon = false;
      }
      i++;
      continue;
    }
    // A scalar: quoted or plain, up to `: `, `,`, a bracket, a comment or the end of the line.
    let j = i;
    if (ch === '"' || ch === "'") {
      j = i + 1;
      while (j < text.length && text[j] !== ch && text[j] !== '\n') j++;
      j = Math.min(j + 1, text.length);
    } else {
      const flow = inFlow();
      while (j < text.length) {
        const c = text[j] ?? '';
        if (c === '\n') break;
        if (c === ':' && /[\s,{}[\]]/.test(text[j + 1] ?? ' ')) break;
        if (c === ':' && j + 1 >= text.length) break;
        if (flow && /[,{}[\]]/.test(c)) break;
        if (c === '#' && /\s/.test(text[j - 1] ?? '')) break;
        j++;
      }
    }
    if (j > offset) break; // the cursor is inside this scalar: it is the word being typed
    const scalar = text
      .slice(i, j)
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
    let k = j;
    while (k < offset && (text[k] === ' ' || text[k] === '\t')) k++;
    if (text[k] === ':' && k < offset) {
      // A key.
      const f = top();
      if (f?.type === 'map') {
        f.key = scalar;
        f.afterColon = true;
      } else if (f?.type !== 'seq') {
        const indent = lineHasDash ? i - lineStart : indentOf(text.slice(lineStart, i + 1));
        frames.push({ type: 'block', indent, key: scalar, line });
      }
      i = k + 1;
      continue;
    }
    i = j;
  }

  // Where the cursor is.
  const path: string[] = [];
  let at: 'key' | 'value' = 'key';
  let inSequence = false;
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k];
    const last = k === frames.length - 1;
    if (!f) continue;
    if (f.type === 'block') {
      path.push(f.key);
      if (last) {
        if (f.line === line) at = 'value';
        else if (lineHasDash) {
          at = 'value';
          inSequence = true;
        } else at = 'key';
      }
    } else if (f.type === 'map') {
      if (last) {
        if (f.afterColon && f.key !== null) {
          path.push(f.key);
          at = 'value';
        } else at = 'key';
      } else if (f.key !== null) path.push(f.key);
    } else if (last) {
      at = 'value';
      inSequence = true;
    }
  }
  const firstKey = frames.length === 0 && at === 'key' && !hasKeyBefore(text, lineStart);
  return {
    at,
    path,
    inSequence,
    word,
    range,
    inComment,
    firstKey,
    keyWritten,
  };
}

/** True when a line before `lineStart` holds a key (so the current line is not the first key). */
function hasKeyBefore(text: string, lineStart: number): boolean {
  return text
    .slice(0, lineStart)
    .split('\n')
    .some((l) => {
      const t = l.trim();
      return t !== '' && !t.startsWith('#') && t !== '---';
    });
}

/** The kind a cell's text is, read from its first key even when the YAML does not parse. */
export function kindOfText(text: string): { kind: CellKind | null; kindKey: string | null } {
  for (const raw of text.split('\n')) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t === '---') continue;
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(t);
    const key = m?.[1] ?? null;
    if (key !== null && (CELL_KINDS as readonly string[]).includes(key))
      return { kind: key as CellKind, kindKey: key };
    if (key !== null && (SETTINGS_KEYS as readonly string[]).includes(key))
      return { kind: 'settings', kindKey: null };
    return { kind: null, kindKey: null };
  }
  return { kind: null, kindKey: null };
}

/** The top-level keys a cell's text writes (also the inline body of `pair: { long: …, … }`). */
export function keysInText(text: string): string[] {
  const keys: string[] = [];
  for (const raw of text.split('\n')) {
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(raw);
    if (m?.[1]) keys.push(m[1]);
    const inline = /^[A-Za-z_][\w-]*\s*:\s*\{(.*)$/.exec(raw);
    if (inline?.[1]) {
      let depth = 0;
      let token = '';
      for (const ch of inline[1]) {
        if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') depth--;
        if (depth === 0 && ch === ':') {
          const k = token.trim();
          if (/^[A-Za-z_][\w-]*$/.test(k)) keys.push(k);
        }
        if (depth === 0 && ch === ',') token = '';
        else if (depth === 0 && ch !== ':') token += ch;
        else if (ch === ':') token = '';
      }
    }
  }
  return keys;
}

/** The fast reader for the common price file: a wide CSV of numbers (date,BTC,ETH,...). It reads
 *  the file's bytes straight into one Float64Array per asset, with no string per field: one
 *  pass, numbers parsed from the bytes (exactly as `Number(text)` would: see `decimal`), the
 *  time column read by the same `readTime` as the exact reader (one short string per row).
 *
 *  It handles only what it can read exactly like the exact reader (files.ts over csv.ts):
 *  unquoted ASCII rows with the header's number of fields, times in one form, prices that are
 *  decimals, empty or a missing-value token (a gap), or not positive (left out, with the same
 *  warning). Anything else (a quote, a non-ASCII byte in a row, a bad time or number, a wrong
 *  field count, a lone CR, a limit passed) returns null, and the caller reads the file with the
 *  exact reader, which names the line and column of the problem. Same input, same output:
 *  test/data/fast-csv.test.ts checks that on generated files. */
import type { Problem } from '../engine/result';
import { clip, LIMITS, type Limits } from './limits';
import { detectLayout, norm } from './layout';
import { MISSING } from './collect';
import { daysFromCivil, daysInMonth, readTime, type TimeFormat } from './time';

/** What the fast reader gives: the loader's LoadedPrices without the file-level fields. */
export interface FastWide {
  readonly series: { asset: string; times: number[]; prices: Float64Array }[];
  readonly timeFormat: TimeFormat;
  readonly rows: number;
  /** The file line of each data row (the rows of `times` when no series has gaps). */
  readonly lines: Int32Array;
  /** For a series with gaps, the row of each of its points; absent when it has none. */
  readonly rowsOf: ReadonlyMap<string, Int32Array>;
}

const LF = 10;
const CR = 13;
const HASH = 35;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

/** 10^0 .. 10^22: every one is an exact double, so m · 10^k and m / 10^k are correctly rounded
 *  (one IEEE operation on exact operands) whenever the digits m are below 2^53 (Clinger). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Above this, one more digit could take m past 2^53 (where integers stop being exact). */
const M_MAX = (2 ** 53 - 9) / 10;

/** A field that is not a number nor a gap: the exact reader must look at it. */
const BAD = Infinity;

/** The number in bytes [s, e) (already trimmed), NaN for a gap, or BAD. Grammar as
 *  `isDecimal` (time.ts): [+-] digits [. digits] [e [+-] digits]. */
function decimal(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  let c = buf[i]!;
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  let m = 0;
  let digits = 0;
  let scale = 0;
  let exact = true;
  while (i < e) {
    c = buf[i]! - 48;
    if (c < 0 || c > 9) break;
    if (m > M_MAX) exact = false;
    else m = m * 10 + c;
    if (!exact) scale++;
    digits++;
    i++;
  }
  if (i < e && buf[i] === 46) {
    i++;
    while (i < e) {
      c = buf[i]! - 48;
      if (c < 0 || c > 9) break;
      if (m > M_MAX) exact = false;
      else if (exact) {
        m = m * 10 + c;
        scale--;
      }
      digits++;
      i++;
    }
  }
  if (digits === 0) return missingOrBad(buf, s, e);
  if (i < e && (buf[i]! | 0x20) === 101) {
    i++;
    let eneg = false;
    if (i < e && (buf[i] === 45 || buf[i] === 43)) {
      eneg = buf[i] === 45;
      i++;
    }
    const start = i;
    let x = 0;
    while (i < e) {
      c = buf[i]! - 48;
      if (c < 0 || c > 9) break;
      if (x < 100_000) x = x * 10 + c;
      i++;
    }
    if (i === start) return BAD;
    scale += eneg ? -x : x;
  }
  if (i !== e) return BAD;
  let v: number;
  if (exact && scale === 0) v = m;
  else if (exact && scale < 0 && scale >= -22) v = m / POW10[-scale]!;
  else if (exact && scale > 0 && scale <= 22) v = m * POW10[scale]!;
  else {
    // Rare: more than 15 significant digits or a large exponent. The text is a valid decimal,
    // so Number() reads it as parseNumber would.
    v = Number(latin1(buf, s, e));
    if (!Number.isFinite(v)) return BAD;
    return v;
  }
  return neg ? -v : v;
}

function missingOrBad(buf: Uint8Array, s: number, e: number): number {
  if (e - s > 4) return BAD;
  return MISSING.has(latin1(buf, s, e).toLowerCase()) ? NaN : BAD;
}

const digit = (buf: Uint8Array, i: number): number => {
  const d = buf[i]! - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (buf: Uint8Array, i: number): number => digit(buf, i) * 10 + digit(buf, i + 1);

/** The common ISO forms straight from the bytes: `YYYY-MM-DD`, then optionally `T` or a space
 *  and `HH:MM` or `HH:MM:SS`, then optionally `Z`; NaN for anything else (readTime then reads
 *  it, with its words for what is wrong). The same checks and result as readIsoTime (time.ts). */
function isoFast(buf: Uint8Array, s: number, e: number): number {
  let n = e - s;
  if (n > 10 && buf[e - 1] === 90) n--; // Z
  if (n !== 10 && n !== 16 && n !== 19) return NaN;
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45) return NaN;
  const year = two(buf, s) * 100 + two(buf, s + 2);
  const month = two(buf, s + 5);
  const day = two(buf, s + 8);
  let seconds = 0;
  if (n > 10) {
    const sep = buf[s + 10];
    if ((sep !== 84 && sep !== 32) || buf[s + 13] !== 58) return NaN;
    const hour = two(buf, s + 11);
    const minute = two(buf, s + 14);
    let second = 0;
    if (n === 19) {
      if (buf[s + 16] !== 58) return NaN;
      second = two(buf, s + 17);
    }
    if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
    seconds = (hour * 60 + minute) * 60 + second;
  } else if (n !== e - s) return NaN; // a date with Z: readTime decides
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + seconds * 1000;
}

/** `a` followed by b[0, n), in a new array. */
function concat(a: Uint8Array, b: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(a.length + n);
  out.set(a);
  out.set(b.subarray(0, n), a.length);
  return out;
}

/** A copy of buf[s, e) (a Buffer's slice would be a view of a buffer the reader reuses). */
const copy = (buf: Uint8Array, s: number, e: number): Uint8Array =>
  Uint8Array.prototype.slice.call(buf, s, e);

function latin1(buf: Uint8Array, s: number, e: number): string {
  if (e - s > 64) return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]!);
  return out;
}

/** What the reader gives when done: the data and the warnings (the exact reader's, in its
 *  order), or null when the exact reader must read the file. */
export type FastResult = { data: FastWide; warnings: Problem[] } | null;

/** Reads a wide numeric CSV chunk by chunk (`push` each chunk as it is read, then `finish`), so
 *  memory holds the columns and one chunk, never the whole file. `sizeHint` (the file's size)
 *  sizes the columns from the first rows; they grow if the guess was short. Once `push` returns
 *  false the file is the exact reader's: stop reading. `file` names the file in the warnings it
 *  makes (the same as the exact reader's). */
export class WideCsvReader {
  private carry: Uint8Array = new Uint8Array(0);
  private fallback = false;
  private started = false;
  private line = 1;
  private bytesSeen = 0;
  // Set from the header:
  private names: string[] = [];
  private k = 0;
  private D = 44;
  private trimTabs = true;
  private cols: Float64Array[] = [];
  private lines = new Int32Array(0);
  private capacity = 0;
  private readonly times: number[] = [];
  private missing = new Int32Array(0);
  private firstMissing: ({ line: number; column: number } | null)[] = [];
  private readonly warnings: Problem[] = [];
  private format: TimeFormat | null = null;
  private rows = 0;
  private nonpositive = 0;
  /** Set when the header alone decides the file is refused (more assets than the limit): the
   *  exact reader would say the same, so the file need not be read on. */
  refusal: Problem | null = null;

  constructor(
    private readonly file: string,
    private readonly sizeHint: number,
    private readonly limits: Limits = LIMITS,
  ) {}

  /** Parses every complete line of `chunk` (with what was left of the previous one); false
   *  when the exact reader must read the file. `chunk` is not kept. */
  push(chunk: Uint8Array): boolean {
    if (this.fallback) return false;
    this.bytesSeen += chunk.length;
    if (this.started && this.carry.length > 0) {
      // Finish the line the last chunk cut: the carry and this chunk up to its first line end,
      // in a small buffer; the rest of the chunk is read where it is (no copy of the chunk).
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk, chunk.length);
        return true;
      }
      const line = concat(this.carry, chunk, nl + 1);
      this.carry = new Uint8Array(0);
      if (!this.parse(line, line.length, 0)) return this.stop();
      chunk = chunk.subarray(nl + 1);
    }
    const buf = this.carry.length === 0 ? chunk : concat(this.carry, chunk, chunk.length);
    const end = buf.lastIndexOf(LF) + 1; // complete lines end here
    let from = 0;
    if (end > 0 && !this.started) {
      from = this.header(buf, end);
      if (from === -2) return this.stop();
    }
    if (end === 0 || from === -1) {
      // No complete line, or no header yet (comments only): keep it all for the next chunk.
      this.carry = buf === chunk ? copy(chunk, 0, chunk.length) : buf;
      return true;
    }
    if (!this.parse(buf, end, from)) return this.stop();
    this.carry = end < buf.length ? copy(buf, end, buf.length) : new Uint8Array(0);
    return true;
  }

  private stop(): false {
    this.fallback = true;
    return false;
  }

  /** The result, once every chunk was pushed. */
  finish(): FastResult {
    if (this.fallback) return null;
    if (this.carry.length > 0) {
      // The last line has no line end: read it as if it had one.
      const last = new Uint8Array(this.carry.length + 1);
      last.set(this.carry);
      last[this.carry.length] = LF;
      this.carry = new Uint8Array(0);
      let from = 0;
      if (!this.started) {
        from = this.header(last, last.length);
        if (from < 0) return null;
      }
      if (!this.parse(last, last.length, from)) return null;
    }
    if (!this.started || this.rows === 0 || this.format === null) return null;
    return this.result();
  }

  /** Parses the complete lines in buf[from, end); false to hand over to the exact reader. */
  private parse(buf: Uint8Array, end: number, from: number): boolean {
    let i = from;
    const n = end;
    const { k, D, trimTabs, times, missing, firstMissing, warnings, names, file } = this;
    let line = this.line;
    let rows = this.rows;
    let format = this.format;
    while (i < n) {
      const lineStart = i;
      const c0 = buf[i]!;
      if (c0 === HASH) {
        i = buf.indexOf(LF, i) + 1;
        line++;
        continue;
      }
      if (c0 === LF) {
        i++;
        line++;
        continue;
      }
      if (c0 === CR) {
        if (buf[i + 1] !== LF) return false;
        i += 2;
        line++;
        continue;
      }
      if (rows === this.capacity && !this.grow(rows)) return false;
      const cs = this.cols;
      // The time field.
      let s = i;
      while (i < n) {
        const c = buf[i]!;
        if (c === D || c === LF || c === CR) break;
        if (c >= 0x80 || c === QUOTE || (c < SPACE && c !== TAB)) return false;
        i++;
      }
      if (i >= n || buf[i] !== D) return false; // a row of one field: the exact reader says so
      let e = i;
      while (s < e && (buf[s] === SPACE || (trimTabs && buf[s] === TAB))) s++;
      while (e > s && (buf[e - 1] === SPACE || (trimTabs && buf[e - 1] === TAB))) e--;
      if (e === s) return false;
      let time = format !== 'iso' && format !== null ? NaN : isoFast(buf, s, e);
      if (time !== time) {
        const t = readTime(latin1(buf, s, e), format);
        if (!t.ok) return false;
        format ??= t.format;
        time = t.time;
      } else format = 'iso';
      i++; // the delimiter
      for (let j = 0; j < k; j++) {
        const fieldStart = i;
        // The common field, read as it is scanned: [-]digits[.digits] of at most 15 digits (so
        // the digits m stay below 2^53 and m / 10^scale is correctly rounded), then the
        // delimiter or the line end. Anything else takes the general path below.
        let p = i;
        let c = buf[p]!;
        let neg = false;
        if (c === 45) {
          neg = true;
          c = buf[++p]!;
        }
        let m = 0;
        let nd = 0;
        let scale = 0;
        while (c >= 48 && c <= 57) {
          m = m * 10 + (c - 48);
          nd++;
          c = buf[++p]!;
        }
        if (c === 46) {
          c = buf[++p]!;
          while (c >= 48 && c <= 57) {
            m = m * 10 + (c - 48);
            nd++;
            scale++;
            c = buf[++p]!;
          }
        }
        let v: number;
        if (nd > 0 && nd <= 15 && (c === D || c === LF || c === CR)) {
          v = scale === 0 ? m : m / POW10[scale]!;
          if (neg) v = -v;
          i = p;
        } else {
          i = fieldStart;
          while (i < n) {
            c = buf[i]!;
            if (c === D || c === LF || c === CR) break;
            if (c >= 0x80 || c === QUOTE || (c < SPACE && c !== TAB)) return false;
            i++;
          }
          let fs = fieldStart;
          let fe = i;
          while (fs < fe && (buf[fs] === SPACE || (trimTabs && buf[fs] === TAB))) fs++;
          while (fe > fs && (buf[fe - 1] === SPACE || (trimTabs && buf[fe - 1] === TAB))) fe--;
          if (fs === fe) v = NaN;
          else {
            v = decimal(buf, fs, fe);
            if (v === BAD) return false;
          }
        }
        const last = j === k - 1;
        // Too few fields (a line end before the last) or too many (a delimiter after it).
        if (last ? buf[i] === D : i >= n || buf[i] !== D) return false;
        if (v !== v) {
          if (missing[j] === 0) firstMissing[j] = { line, column: fieldStart - lineStart + 1 };
          missing[j] = missing[j]! + 1;
        } else if (!(v > 0)) {
          const column = fieldStart - lineStart + 1;
          warnings.push({
            code: 'nonpositive_price',
            path: [file, line, column],
            params: { file, line, column, asset: clip(names[j + 1]!), value: v },
          });
          v = NaN;
          if (++this.nonpositive > this.limits.rows) return false;
        }
        cs[j]![rows] = v;
        if (!last) i++;
      }
      // The line end (every line here has one).
      if (buf[i] === CR) {
        if (buf[i + 1] !== LF) return false;
        i += 2;
      } else i++;
      times.push(time);
      this.lines[rows] = line;
      rows++;
      line++;
    }
    this.line = line;
    this.rows = rows;
    this.format = format;
    return true;
  }

  /** Reads the header from the first complete lines: the index after it, -1 when there is no
   *  header line yet, -2 when the file is not one for this reader. */
  private header(buf: Uint8Array, end: number): number {
    let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    let line = 1;
    // Comment and blank lines before the header.
    for (;;) {
      if (i >= end) return -1;
      const c = buf[i]!;
      if (c === HASH) {
        i = buf.indexOf(LF, i) + 1;
        line++;
      } else if (c === LF) {
        i++;
        line++;
      } else if (c === CR && buf[i + 1] === LF) {
        i += 2;
        line++;
      } else break;
    }
    const headerEnd = buf.indexOf(LF, i);
    let headerStop = headerEnd;
    if (headerStop > i && buf[headerStop - 1] === CR) headerStop--;
    const headerText = Buffer.from(buf.buffer, buf.byteOffset + i, headerStop - i).toString('utf8');
    if (headerText.includes('"') || headerText.includes('\r') || headerText.trim() === '')
      return -2;
    const delimiter = headerText.includes(',')
      ? ','
      : headerText.includes(';')
        ? ';'
        : headerText.includes('\t')
          ? '\t'
          : ',';
    const raw = headerText.split(delimiter);
    const names = raw.map((s) => s.trim());
    if (names.some((s) => s === '') || new Set(names.map(norm)).size !== names.length) return -2;
    const layout = detectLayout(names, true);
    if (!layout.ok || layout.layout.kind !== 'wide') return -2;
    const k = names.length - 1;
    if (k > this.limits.assets) {
      const params = { file: this.file, line, column: 1, limit: this.limits.assets, found: k };
      this.refusal = { code: 'too_many_assets', path: [this.file, line, 1], params };
      return -2;
    }
    this.names = names;
    this.k = k;
    this.D = delimiter.charCodeAt(0);
    this.trimTabs = this.D !== TAB;
    this.missing = new Int32Array(k);
    this.firstMissing = new Array<null>(k).fill(null);
    // Columns read as assets although named like a field: said at their header column.
    for (const index of layout.layout.fieldNamed) {
      const column = 1 + raw.slice(0, index).reduce((sum, f) => sum + f.length + 1, 0);
      this.warnings.push({
        code: 'field_named_asset',
        path: [this.file, line, column],
        params: { file: this.file, line, column, name: clip(names[index]!) },
      });
    }
    // Rows expected: the file's size over the length of the first rows (a little more).
    const after = headerEnd + 1;
    let sample = 0;
    let p = after;
    for (; sample < 64; sample++) {
      const nl = buf.indexOf(LF, p);
      if (nl < 0 || nl >= end) break;
      p = nl + 1;
    }
    const perRow = sample > 0 ? (p - after) / sample : 16;
    const estimate = Math.ceil(Math.max(0, this.sizeHint - after) / perRow);
    this.capacity = Math.min(Math.max(16, Math.ceil(estimate * 1.02) + 16), this.maxRows());
    this.cols = Array.from({ length: k }, () => new Float64Array(this.capacity));
    this.lines = new Int32Array(this.capacity);
    this.line = line + 1;
    this.started = true;
    return after;
  }

  /** The most rows the limits allow. */
  private maxRows(): number {
    return Math.min(this.limits.rows, Math.floor(this.limits.values / this.k));
  }

  /** More room for rows (×1.5); false past the limits (the exact reader then says which). */
  private grow(rows: number): boolean {
    const max = this.maxRows();
    if (rows + 1 > max) return false;
    const cap = Math.min(Math.ceil(this.capacity * 1.5) + 16, max);
    this.cols = this.cols.map((c) => {
      const g = new Float64Array(cap);
      g.set(c);
      return g;
    });
    const lines = new Int32Array(cap);
    lines.set(this.lines);
    this.lines = lines;
    this.capacity = cap;
    return true;
  }

  /** The series: the columns without their gaps and left-out points. Without any, every series
   *  shares the one times array (read-only; the aligner sees at once that they line up). */
  private result(): FastResult {
    const { rows, times, names, k } = this;
    const series: FastWide['series'] = [];
    const rowsOf = new Map<string, Int32Array>();
    for (let j = 0; j < k; j++) {
      const col = this.cols[j]!;
      const asset = names[j + 1]!;
      let kept = 0;
      for (let r = 0; r < rows; r++) if (col[r] === col[r]) kept++;
      if (kept === rows) {
        series.push({ asset, times, prices: rows === col.length ? col : col.subarray(0, rows) });
        continue;
      }
      const ts: number[] = new Array<number>(kept);
      const ps = new Float64Array(kept);
      const at = new Int32Array(kept);
      for (let r = 0, q = 0; r < rows; r++) {
        const v = col[r]!;
        if (v !== v) continue;
        ts[q] = times[r]!;
        ps[q] = v;
        at[q++] = r;
      }
      series.push({ asset, times: ts, prices: ps });
      rowsOf.set(asset, at);
    }
    const warnings = [...this.warnings];
    // The exact reader's order: header and left-out points as met, then gaps per asset.
    for (let j = 0; j < k; j++) {
      const first = this.firstMissing[j];
      if (first)
        warnings.push({
          code: 'missing_prices',
          path: [this.file, first.line, first.column],
          params: {
            file: this.file,
            ...first,
            asset: clip(names[j + 1]!),
            count: this.missing[j]!,
          },
        });
    }
    return {
      data: {
        series,
        timeFormat: this.format!,
        rows,
        lines: this.lines.subarray(0, rows),
        rowsOf,
      },
      warnings,
    };
  }
}

/** Reads a whole wide CSV held in memory (the sync path: tests, `parsePricesCsv`). */
export function readWideFast(buf: Uint8Array, file: string, limits: Limits = LIMITS): FastResult {
  const reader = new WideCsvReader(file, buf.length, limits);
  if (!reader.push(buf)) return null;
  return reader.finish();
}

/** Runs a generator to its end (no pauses). */
export function drain<T>(g: Generator<number, T, void>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** Runs a generator, letting the event loop run at each yield (so a cancel can arrive), and
 *  reporting its fraction; stops (returns null) when the signal aborts. */
export async function drive<T>(
  g: Generator<number, T, void>,
  signal: AbortSignal | undefined,
  onFraction?: (f: number) => void,
): Promise<{ value: T } | null> {
  let last = performance.now();
  for (;;) {
    const r = g.next();
    if (r.done) return { value: r.value };
    const now = performance.now();
    if (now - last < 30) continue;
    last = now;
    onFraction?.(r.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) {
      g.return(undefined as T);
      return null;
    }
  }
}

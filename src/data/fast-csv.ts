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
import { readTime, type TimeFormat } from './time';

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

function latin1(buf: Uint8Array, s: number, e: number): string {
  if (e - s > 64) return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]!);
  return out;
}

/** Reads a wide numeric CSV from its bytes. A generator: it yields the fraction of the bytes
 *  read every few thousand rows (the caller may pause there, report progress, or stop), and
 *  returns the data, or null when the exact reader must read the file. `file` names the file
 *  in the warnings it makes (the same as the exact reader's). */
export function* readWideFast(
  buf: Uint8Array,
  file: string,
  limits: Limits = LIMITS,
): Generator<number, { data: FastWide; warnings: Problem[] } | null, void> {
  const n = buf.length;
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let line = 1;
  // Comment and blank lines before the header.
  for (;;) {
    if (i >= n) return null;
    const c = buf[i]!;
    if (c === HASH) {
      const nl = buf.indexOf(LF, i);
      i = nl < 0 ? n : nl + 1;
      line++;
    } else if (c === LF) {
      i++;
      line++;
    } else if (c === CR && buf[i + 1] === LF) {
      i += 2;
      line++;
    } else break;
  }
  let headerEnd = buf.indexOf(LF, i);
  if (headerEnd < 0) headerEnd = n;
  let headerStop = headerEnd;
  if (headerStop > i && buf[headerStop - 1] === CR) headerStop--;
  const headerText = Buffer.from(buf.buffer, buf.byteOffset + i, headerStop - i).toString('utf8');
  if (headerText.includes('"') || headerText.includes('\r') || headerText.trim() === '')
    return null;
  const delimiter = headerText.includes(',')
    ? ','
    : headerText.includes(';')
      ? ';'
      : headerText.includes('\t')
        ? '\t'
        : ',';
  const raw = headerText.split(delimiter);
  const names = raw.map((s) => s.trim());
  if (names.some((s) => s === '') || new Set(names.map(norm)).size !== names.length) return null;
  const layout = detectLayout(names, true);
  if (!layout.ok || layout.layout.kind !== 'wide') return null;
  const k = names.length - 1;
  if (k > limits.assets) return null;
  const D = delimiter.charCodeAt(0);
  const trimTabs = D !== TAB;
  line++;
  i = headerEnd + 1;
  const dataStart = i;

  // Rows at most: the line ends left (a data row is a line).
  let capacity = 1;
  for (let p = buf.indexOf(LF, dataStart); p >= 0; p = buf.indexOf(LF, p + 1)) capacity++;
  if (capacity * k > limits.values + k || capacity > limits.rows + 1) return null;
  const cols: Float64Array[] = Array.from({ length: k }, () => new Float64Array(capacity));
  const times: number[] = [];
  const lines = new Int32Array(capacity);
  const missing = new Int32Array(k);
  const firstMissing: ({ line: number; column: number } | null)[] = new Array(k).fill(null);
  const warnings: Problem[] = [];
  // Columns read as assets although named like a field: said at their header column.
  const headerColumn = (index: number): number =>
    1 + raw.slice(0, index).reduce((sum, f) => sum + f.length + 1, 0);
  for (const index of layout.layout.fieldNamed) {
    const column = headerColumn(index);
    warnings.push({
      code: 'field_named_asset',
      path: [file, line - 1, column],
      params: { file, line: line - 1, column, name: clip(names[index]!) },
    });
  }
  let nonpositive = 0;
  let format: TimeFormat | null = null;
  let rows = 0;
  let sinceYield = 0;

  while (i < n) {
    const lineStart = i;
    const c0 = buf[i]!;
    if (c0 === HASH) {
      const nl = buf.indexOf(LF, i);
      i = nl < 0 ? n : nl + 1;
      line++;
      continue;
    }
    if (c0 === LF) {
      i++;
      line++;
      continue;
    }
    if (c0 === CR) {
      if (buf[i + 1] !== LF) return null;
      i += 2;
      line++;
      continue;
    }
    // The time field.
    let s = i;
    while (i < n) {
      const c = buf[i]!;
      if (c === D || c === LF || c === CR) break;
      if (c >= 0x80 || c === QUOTE || (c < SPACE && c !== TAB)) return null;
      i++;
    }
    if (i >= n || buf[i] !== D) return null; // a row of one field: the exact reader reports it
    let e = i;
    while (s < e && (buf[s] === SPACE || (trimTabs && buf[s] === TAB))) s++;
    while (e > s && (buf[e - 1] === SPACE || (trimTabs && buf[e - 1] === TAB))) e--;
    if (e === s) return null;
    const t = readTime(latin1(buf, s, e), format);
    if (!t.ok) return null;
    format ??= t.format;
    i++; // the delimiter
    for (let j = 0; j < k; j++) {
      const fieldStart = i;
      // The common field, read as it is scanned: [-]digits[.digits] of at most 15 digits (so
      // the digits m stay below 2^53 and m / 10^scale is correctly rounded), then the delimiter
      // or the line end. Anything else takes the general path below.
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
      if (nd > 0 && nd <= 15 && (p >= n || c === D || c === LF || c === CR)) {
        v = scale === 0 ? m : m / POW10[scale]!;
        if (neg) v = -v;
        i = p;
      } else {
        i = fieldStart;
        while (i < n) {
          c = buf[i]!;
          if (c === D || c === LF || c === CR) break;
          if (c >= 0x80 || c === QUOTE || (c < SPACE && c !== TAB)) return null;
          i++;
        }
        let fs = fieldStart;
        let fe = i;
        while (fs < fe && (buf[fs] === SPACE || (trimTabs && buf[fs] === TAB))) fs++;
        while (fe > fs && (buf[fe - 1] === SPACE || (trimTabs && buf[fe - 1] === TAB))) fe--;
        if (fs === fe) v = NaN;
        else {
          v = decimal(buf, fs, fe);
          if (v === BAD) return null;
        }
      }
      const last = j === k - 1;
      // Too few fields (a line end before the last) or too many (a delimiter after it).
      if (last ? i < n && buf[i] === D : i >= n || buf[i] !== D) return null;
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
        nonpositive++;
        v = NaN;
        if (nonpositive > limits.rows) return null;
      }
      cols[j]![rows] = v;
      if (!last) i++;
    }
    // The line end.
    if (i < n) {
      if (buf[i] === CR) {
        if (buf[i + 1] !== LF) return null;
        i += 2;
      } else i++;
    }
    times.push(t.time);
    lines[rows] = line;
    rows++;
    line++;
    if (++sinceYield === 4096) {
      sinceYield = 0;
      yield i / n;
    }
  }
  if (rows === 0 || format === null) return null;
  // The series: the columns without their gaps and left-out points. Without any, every series
  // shares the one times array (read-only; the aligner sees at once that they line up).
  const series: FastWide['series'] = [];
  const rowsOf = new Map<string, Int32Array>();
  for (let j = 0; j < k; j++) {
    const col = cols[j]!;
    const asset = names[j + 1]!;
    let kept = 0;
    for (let r = 0; r < rows; r++) if (col[r] === col[r]) kept++;
    if (kept === rows) {
      series.push({ asset, times, prices: rows === capacity ? col : col.slice(0, rows) });
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
  // The warnings in the exact reader's order: left-out points as met, then gaps per asset.
  for (let j = 0; j < k; j++) {
    const first = firstMissing[j];
    if (first)
      warnings.push({
        code: 'missing_prices',
        path: [file, first.line, first.column],
        params: { file, ...first, asset: clip(names[j + 1]!), count: missing[j]! },
      });
  }
  return {
    data: { series, timeFormat: format, rows, lines: lines.subarray(0, rows), rowsOf },
    warnings,
  };
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

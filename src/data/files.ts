/** Price and funding files on disk. The accepted shapes are documented in docs/data.md; in short:
 *
 *  CSV (comma, or semicolon/tab when the header has no comma; `#` lines are comments):
 *  - wide:  `date,BTC,ETH,...`: first column the time, one column of prices per asset;
 *  - long:  `timestamp,symbol,close`: one row per asset and time (`price` also names the price);
 *  - OHLCV: `timestamp,open,high,low,close,volume`: one asset, named by the caller or from the
 *           file name (`btc-1d.csv` -> BTC); the close is used.
 *  Which one a header is follows one rule (layout.ts).
 *  JSON:
 *  - `{ "series": [{ "asset": "BTC", "times": [...], "prices": [...] }] }` (or just the array);
 *  - `{ "BTC": [[time, price], ...], "ETH": [{ "time": t, "price": p }, ...] }`;
 *  - records, long `[{ "timestamp": t, "symbol": "BTC", "close": p }]`, wide
 *    `[{ "date": t, "BTC": p, "ETH": p }]`, or one asset `[{ "time": t, "close": p }]`.
 *  Times: ISO 8601 or epoch seconds / milliseconds / microseconds (see time.ts); the detected
 *  form is returned as `timeFormat`. An empty price (or NaN, null, NA) is a gap (counted in a
 *  `missing_prices` warning at the first); a price that is not positive is dropped with a
 *  warning; anything unreadable is an error naming the file, line and column. Funding files:
 *  `timestamp,symbol,funding_rate` (CSV or JSON records); a rate is a fraction per funding
 *  interval (0.0001 = 0.01%), or a percentage written with `%`.
 *
 *  Reading is bounded (limits.ts): only regular files, at most LIMITS.fileBytes, read in chunks
 *  with progress and cancel (read.ts). The common wide numeric CSV goes through the fast reader
 *  (fast-csv.ts) into one Float64Array per asset; any other file, or a wide file the fast reader
 *  cannot read exactly, goes through the exact reader here, which names line and column. */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, extname } from 'node:path';
import { fail, failWith, ok, type Problem, type Result } from '../engine/result';
import { Collector, type Where } from './collect';
import { CsvCursor, type CsvRow } from './csv';
import { type DatasetCache } from './dataset-cache';
import { Fingerprinter, fingerprintOf, type FileFingerprint } from './fingerprint';
import { drain, drive, readWideFast, WideCsvReader, type FastWide } from './fast-csv';
import { parseJson, type JsonEntry, type JsonNode } from './json';
import {
  detectLayout,
  findName,
  findTime,
  norm,
  PRICE_NAMES,
  SYMBOL_NAMES,
  TIME_NAMES,
  type Layout,
} from './layout';
import { clip, LIMITS, type Limits } from './limits';
import type { Progress } from './progress';
import { readFileBounded, readFileChunked } from './read';
import { parseNumber, type TimeFormat } from './time';

export type PriceFileFormat =
  | 'csv-wide'
  | 'csv-long'
  | 'csv-ohlcv'
  | 'json-series'
  | 'json-by-asset'
  | 'json-records-long'
  | 'json-records-wide'
  | 'json-records-single';

/** As src/engine/series.ts's PriceSeries (structurally the same). Read-only: series of a wide
 *  file share one `times` array, and a dataset may be reused from the session's cache. */
export interface FileSeries {
  readonly asset: string;
  readonly times: readonly number[];
  readonly prices: ArrayLike<number>;
}

export interface LoadedPrices {
  /** The file's name as shown to the user (provenance of every result computed on it). */
  readonly source: string;
  readonly series: readonly FileSeries[];
  readonly format: PriceFileFormat;
  readonly timeFormat: TimeFormat;
  /** Data rows (CSV lines or JSON records) read. */
  readonly rows: number;
  /** The file line of point `index` of `asset`'s series (to locate what the aligner finds:
   *  a repeated or unsorted time), or null. */
  readonly lineOf: (asset: string, index: number) => number | null;
  /** True when this dataset came from the session's memory (the file was unchanged). */
  readonly reused: boolean;
  /** The file's fingerprint (fingerprint.ts) from the bytes this dataset was parsed from (set by
   *  the file loaders; text parsed directly has none). */
  readonly fingerprint?: FileFingerprint;
}

export interface FundingRate {
  readonly time: number;
  readonly symbol: string;
  /** Fraction per funding interval; positive: longs pay shorts. */
  readonly rate: number;
}

export interface LoadedFunding {
  readonly source: string;
  readonly rates: FundingRate[];
  readonly timeFormat: TimeFormat;
  /** The file's fingerprint (fingerprint.ts) from the bytes the rates were parsed from (set by
   *  loadFundingFile; text parsed directly has none). */
  readonly fingerprint?: FileFingerprint;
}

export interface LoadOptions {
  /** How problems and provenance name the file (default: its base name). */
  readonly displayName?: string;
  /** The asset of a one-asset file (OHLCV); default: from the file name. */
  readonly asset?: string;
  /** Cancels a long read or parse (the result is then `cancelled`). */
  readonly signal?: AbortSignal;
  /** Progress of a long read or parse (a few reports a second at most). */
  readonly onProgress?: (p: Progress) => void;
  /** The session's parsed datasets: an unchanged file (same path, size, modification time) is
   *  not read again. */
  readonly cache?: DatasetCache;
  /** Other limits than LIMITS (tests use small ones). */
  readonly limits?: Partial<Limits>;
}

/** `btc-1d.csv` -> BTC, `ETHUSDT_1h.json` -> ETHUSDT, `sol.csv` -> SOL. */
export function assetFromFileName(file: string): string {
  const stem = basename(file, extname(file));
  const first = stem.split(/[-_. ]/)[0] ?? stem;
  return (first === '' ? stem : first).toUpperCase();
}

function isJson(absPath: string, firstChar: string): boolean {
  const ext = extname(absPath).toLowerCase();
  if (ext === '.json') return true;
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return false;
  return firstChar === '{' || firstChar === '[';
}

/** Index of the first byte that is not whitespace (nor the byte-order mark), or -1. */
function firstContent(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c !== 32 && (c < 9 || c > 13)) return i;
  }
  return -1;
}

function finish<T>(c: Collector, value: () => T): Result<T> {
  if (c.problems.length > 0) return failWith(c.problems);
  const warnings = c.finishWarnings();
  return ok(value(), warnings);
}

const cacheKey = (absPath: string, st: Stats, name: string, asset: string, kind: string) =>
  [kind, absPath, st.size, st.mtimeMs, st.ctimeMs, st.ino, name, asset].join('\u0000');

/** Memory a dataset holds: its arrays (shared ones once). */
function datasetBytes(v: LoadedPrices): number {
  const seen = new Set<unknown>();
  let bytes = 0;
  for (const s of v.series) {
    for (const a of [s.times, s.prices]) {
      if (seen.has(a)) continue;
      seen.add(a);
      bytes += a.length * 8;
    }
  }
  return bytes + v.rows * 8; // the line index
}

/** The file's bytes within the limits, and whether it is JSON (by its extension, else by its
 *  first character). A `.json` file is refused past LIMITS.jsonBytes before it is read. */
async function readBytes(
  absPath: string,
  name: string,
  limits: Limits,
  signal: AbortSignal | undefined,
  onProgress: (p: Progress) => void,
): Promise<Result<{ bytes: Buffer; stat: Stats; json: boolean }>> {
  const jsonByName = extname(absPath).toLowerCase() === '.json';
  const read = await readFileBounded(absPath, name, {
    maxBytes: jsonByName ? limits.jsonBytes : limits.fileBytes,
    signal,
    onProgress,
  });
  if (!read.ok) {
    const p = read.problems[0];
    if (jsonByName && p?.code === 'file_too_large')
      return failWith([{ ...p, params: { ...p.params, kind: 'JSON' } }]);
    return read;
  }
  const { bytes, stat: st } = read.value;
  const first = firstContent(bytes);
  if (first < 0) return fail('file_empty', [name], { file: name });
  const json = isJson(absPath, String.fromCharCode(bytes[first]!));
  if (json && bytes.length > limits.jsonBytes)
    return fail('file_too_large', [name], {
      file: name,
      bytes: bytes.length,
      limit: limits.jsonBytes,
      kind: 'JSON',
    });
  return ok({ bytes, stat: st, json });
}

// ---------------------------------------------------------------- prices

/** Loads a price file (CSV or JSON, shapes above). Never throws for a bad file: every problem
 *  is a Result naming the file, line and column. */
export async function loadPricesFile(
  absPath: string,
  opts: LoadOptions = {},
): Promise<Result<LoadedPrices>> {
  const name = opts.displayName ?? basename(absPath);
  const asset = opts.asset ?? assetFromFileName(absPath);
  const limits: Limits = { ...LIMITS, ...opts.limits };
  const cache = opts.cache;
  if (cache) {
    const st = await stat(absPath).catch(() => null);
    const hit = st?.isFile() ? cache.get(cacheKey(absPath, st, name, asset, 'prices')) : undefined;
    if (hit) {
      const r = hit as Result<LoadedPrices>;
      return r.ok ? ok({ ...r.value, reused: true }, r.warnings) : r;
    }
  }
  const progress = (p: Progress) => opts.onProgress?.({ ...p, what: name });
  let result: Result<LoadedPrices> | null = null;
  let st: Stats | null = null;
  if (extname(absPath).toLowerCase() !== '.json') {
    // The fast reader, chunk by chunk as the file is read: memory holds the columns and one
    // chunk. It hands over (null) on anything unusual, and on a file sniffed as JSON.
    let reader: WideCsvReader | null = null;
    let json = false;
    const hasher = new Fingerprinter();
    const read = await readFileChunked(
      absPath,
      name,
      { maxBytes: limits.fileBytes, signal: opts.signal, onProgress: progress },
      (chunk, s) => {
        if (!reader) {
          const first = firstContent(chunk);
          if (first >= 0 && isJson(absPath, String.fromCharCode(chunk[first]!))) {
            json = true;
            return false;
          }
          reader = new WideCsvReader(name, s.size, limits);
        }
        hasher.update(chunk);
        return reader.push(chunk);
      },
    );
    if (!read.ok) return read;
    st = read.value.stat;
    const refusal = (reader as WideCsvReader | null)?.refusal;
    if (refusal) return failWith([refusal]);
    const fast = !json && !read.value.stopped && reader ? (reader as WideCsvReader).finish() : null;
    if (fast) result = withFingerprint(fromFast(fast.data, fast.warnings, name), hasher.digest());
  }
  if (!result) {
    // The exact reader (or JSON): the whole text, parsed with pauses for progress and cancel.
    const read = await readBytes(absPath, name, limits, opts.signal, progress);
    if (!read.ok) return read;
    const { bytes, json } = read.value;
    st = read.value.stat;
    const fingerprint = fingerprintOf(bytes);
    if (json) result = parsePricesJson(bytes.toString('utf8'), name, asset, limits);
    else {
      const exact = await drive(
        pricesCsvSteps(bytes.toString('utf8'), name, asset, limits),
        opts.signal,
        (f) =>
          progress({
            phase: 'parse',
            done: Math.round(f * bytes.length),
            total: bytes.length,
            unit: 'bytes',
          }),
      );
      if (!exact) return fail('cancelled', [name], { file: name });
      result = exact.value;
    }
    result = withFingerprint(result, fingerprint);
  }
  if (cache && result.ok && st) {
    cache.set(cacheKey(absPath, st, name, asset, 'prices'), result, datasetBytes(result.value));
  }
  return result;
}

/** The parsed file with the fingerprint of the bytes it was parsed from. */
function withFingerprint<T extends { fingerprint?: FileFingerprint }>(
  r: Result<T>,
  fingerprint: FileFingerprint,
): Result<T> {
  return r.ok ? ok({ ...r.value, fingerprint }, r.warnings) : r;
}

function fromFast(data: FastWide, warnings: Problem[], file: string): Result<LoadedPrices> {
  const { lines, rowsOf } = data;
  return ok(
    {
      source: file,
      series: data.series,
      format: 'csv-wide',
      timeFormat: data.timeFormat,
      rows: data.rows,
      lineOf: (asset, index) => {
        const at = rowsOf.get(asset);
        const row = at ? at[index] : index;
        return row === undefined || index < 0 || row >= lines.length ? null : lines[row]!;
      },
      reused: false,
    },
    warnings,
  );
}

function noRows(file: string): Result<never> {
  return fail('no_rows', [file], { file });
}

function checkHeader(c: Collector, header: CsvRow): void {
  const seen = new Map<string, number>();
  for (const f of header.fields) {
    const at = { line: header.line, column: f.column };
    if (f.text === '') c.problem('csv_empty_header', at);
    else if (seen.has(norm(f.text)))
      c.problem('csv_duplicate_column', at, { name: clip(f.text), first: seen.get(norm(f.text))! });
    else seen.set(norm(f.text), f.column);
  }
}

function fieldCountOk(c: Collector, expected: number, row: CsvRow): boolean {
  if (row.fields.length === expected) return true;
  const last = row.fields[row.fields.length - 1];
  c.problem(
    'csv_field_count',
    { line: row.line, column: last?.column ?? 1 },
    { expected, found: row.fields.length },
  );
  return false;
}

/** The header shown in a message: its first names, cut when long. */
const headerText = (names: readonly string[]): string =>
  clip(names.slice(0, 12).join(',') + (names.length > 12 ? `,… (${names.length} columns)` : ''));

/** A header whose layout cannot be read, as a problem at the header's line and column. */
function layoutProblem(
  file: string,
  header: CsvRow,
  names: readonly string[],
  read: Extract<ReturnType<typeof detectLayout>, { ok: false }>,
): Result<never> {
  const column = header.fields[read.index]?.column ?? 1;
  return fail(read.code, [file, header.line], {
    file,
    line: header.line,
    column,
    header: headerText(names),
    ...(read.code === 'csv_no_time_column' ? { name: clip(names[read.index] ?? '') } : {}),
    ...(read.wanted ? { wanted: read.wanted } : {}),
  });
}

/** Warnings for columns of a wide file read as assets although named like a field. */
function fieldNamedWarnings(
  c: Collector,
  layout: Layout,
  names: readonly string[],
  at: (i: number) => Where,
): void {
  if (layout.kind !== 'wide') return;
  for (const i of layout.fieldNamed)
    c.warning('field_named_asset', at(i), { name: clip(names[i]!) });
}

type Steps<T> = Generator<number, Result<T>, void>;

/** Parses price CSV text (pure): the fast reader when it can, else the exact one. */
export function parsePricesCsv(
  text: string,
  file: string,
  asset: string,
  limits: Limits = LIMITS,
): Result<LoadedPrices> {
  const fast = readWideFast(Buffer.from(text, 'utf8'), file, limits);
  if (fast) return fromFast(fast.data, fast.warnings, file);
  return drain(pricesCsvSteps(text, file, asset, limits));
}

/** The exact reader alone (what the fast reader must agree with). */
export function parsePricesCsvExact(
  text: string,
  file: string,
  asset: string,
  limits: Limits = LIMITS,
): Result<LoadedPrices> {
  return drain(pricesCsvSteps(text, file, asset, limits));
}

function* pricesCsvSteps(
  text: string,
  file: string,
  asset: string,
  limits: Limits,
): Steps<LoadedPrices> {
  const cursor = new CsvCursor(text, file);
  const header = cursor.next();
  if (!header) return cursor.failure ?? fail('file_empty', [file], { file });
  const c = new Collector(file, limits);
  checkHeader(c, header);
  if (c.problems.length > 0) return failWith(c.problems);
  const names = header.fields.map((f) => f.text);
  const read = detectLayout(names, true);
  if (!read.ok) return layoutProblem(file, header, names, read);
  const layout = read.layout;
  const headerAt = (i: number): Where => ({ line: header.line, column: header.fields[i]!.column });
  if (layout.kind === 'wide') {
    if (names.length - 1 > limits.assets) {
      c.problem('too_many_assets', headerAt(0), { limit: limits.assets, found: names.length - 1 });
      return failWith(c.problems);
    }
    for (let i = 1; i < names.length; i++) c.declare(names[i]!, headerAt(i));
    fieldNamedWarnings(c, layout, names, headerAt);
  }
  const format: PriceFileFormat =
    layout.kind === 'wide' ? 'csv-wide' : layout.kind === 'long' ? 'csv-long' : 'csv-ohlcv';
  let sinceYield = 0;
  for (let row = cursor.next(); row; row = cursor.next()) {
    if (c.full) break;
    if (++sinceYield === 2048) {
      sinceYield = 0;
      yield cursor.offset / cursor.length;
    }
    if (!fieldCountOk(c, names.length, row)) continue;
    c.rows++;
    const at = (i: number): Where => ({ line: row.line, column: row.fields[i]!.column });
    if (c.overLimit(at(0))) break;
    const t = c.time(row.fields[layout.time]!.text, at(layout.time));
    if (t === null) continue;
    if (layout.kind === 'wide') {
      for (let i = 1; i < names.length; i++) c.price(names[i]!, t, row.fields[i]!.text, at(i));
    } else if (layout.kind === 'long') {
      const symbol = row.fields[layout.symbol]!.text;
      if (symbol === '') {
        c.problem('missing_symbol', at(layout.symbol));
        continue;
      }
      c.price(symbol, t, row.fields[layout.price]!.text, at(layout.price));
    } else {
      c.price(asset, t, row.fields[layout.price]!.text, at(layout.price));
    }
  }
  if (cursor.failure) return cursor.failure;
  if (c.rows === 0 && c.problems.length === 0) return noRows(file);
  return finish(c, () => loaded(c, file, format));
}

function loaded(c: Collector, file: string, format: PriceFileFormat): LoadedPrices {
  return {
    source: file,
    series: c.collected(),
    format,
    timeFormat: c.timeFormat ?? 'iso',
    rows: c.rows,
    lineOf: (asset, index) => c.lineOf(asset, index),
    reused: false,
  };
}

const at = (n: JsonNode | JsonEntry): Where =>
  'keyPos' in n ? n.keyPos : { line: n.line, column: n.column };

const scalar = (n: JsonNode): string | number | null =>
  n.kind === 'string' || n.kind === 'number' ? n.value : null;

function entry(obj: JsonNode, names: readonly string[]): JsonEntry | undefined {
  if (obj.kind !== 'object') return undefined;
  for (const w of names) {
    const e = obj.entries.find((x) => norm(x.key) === w);
    if (e) return e;
  }
  return undefined;
}

/** The time entry of a record: an exact time name first, else a key that looks like one. */
function timeEntry(obj: JsonNode): JsonEntry | undefined {
  if (obj.kind !== 'object') return undefined;
  const i = findTime(obj.entries.map((e) => e.key));
  return i >= 0 ? obj.entries[i] : undefined;
}

/** Parses price JSON text (pure). */
export function parsePricesJson(
  text: string,
  file: string,
  asset: string,
  limits: Limits = LIMITS,
): Result<LoadedPrices> {
  const parsed = parseJson(text, file, limits.jsonDepth);
  if (!parsed.ok) return parsed;
  let root = parsed.value;
  const c = new Collector(file, limits);
  let format: PriceFileFormat;
  const unknown = (n: JsonNode): Result<never> =>
    fail('json_unknown_shape', [file, n.line], { file, line: n.line, column: n.column });
  const wrapped = entry(root, ['series']);
  if (wrapped) root = wrapped.value;
  if (root.kind === 'array') {
    const first = root.items[0];
    if (!first) return noRows(file);
    if (first.kind !== 'object') return unknown(first);
    if (entry(first, ['prices']) && entry(first, ['asset', 'symbol'])) {
      format = 'json-series';
      readSeriesObjects(c, root.items);
    } else {
      const keys = first.entries.map((e) => e.key);
      const read = detectLayout(keys, false);
      if (!read.ok) {
        return fail('json_missing_key', [file, first.line], {
          file,
          line: first.line,
          column: first.column,
          wanted: read.wanted ?? 'timestamp',
        });
      }
      const layout = read.layout;
      format =
        layout.kind === 'long'
          ? 'json-records-long'
          : layout.kind === 'single'
            ? 'json-records-single'
            : 'json-records-wide';
      fieldNamedWarnings(c, layout, keys, (i) => first.entries[i]!.keyPos);
      readRecords(c, root.items, format, asset);
    }
  } else if (root.kind === 'object' && !wrapped) {
    format = 'json-by-asset';
    for (const e of root.entries) {
      if (c.full) break;
      c.declare(e.key, at(e));
      if (c.full) break;
      if (e.value.kind !== 'array') {
        c.problem('json_expected', at(e.value), { expected: 'an array of [time, price]' });
        continue;
      }
      for (const p of e.value.items) {
        if (c.full) break;
        c.rows++;
        if (c.overLimit(at(p))) break;
        if (p.kind === 'array' && p.items.length >= 2) {
          const t = c.time(scalar(p.items[0]!), at(p.items[0]!));
          if (t !== null) c.price(e.key, t, scalar(p.items[1]!), at(p.items[1]!));
        } else if (p.kind === 'object') {
          const te = timeEntry(p);
          const pe = entry(p, PRICE_NAMES);
          if (!te || !pe) {
            c.problem('json_expected', at(p), { expected: '{ "time": ..., "price": ... }' });
            continue;
          }
          const t = c.time(scalar(te.value), at(te.value));
          if (t !== null) c.price(e.key, t, scalar(pe.value), at(pe.value));
        } else {
          c.problem('json_expected', at(p), { expected: '[time, price]' });
        }
      }
    }
  } else {
    return unknown(root);
  }
  if (c.rows === 0 && c.problems.length === 0) return noRows(file);
  return finish(c, () => loaded(c, file, format));
}

function readSeriesObjects(c: Collector, items: readonly JsonNode[]): void {
  for (const s of items) {
    if (c.full) return;
    const a = entry(s, ['asset', 'symbol']);
    const ts = entry(s, ['times', 'timestamps']);
    const ps = entry(s, ['prices']);
    if (s.kind !== 'object' || !a || a.value.kind !== 'string' || !ts || !ps) {
      c.problem('json_expected', at(s), {
        expected: '{ "asset": "BTC", "times": [...], "prices": [...] }',
      });
      continue;
    }
    const name = a.value.value;
    c.declare(name, at(a));
    if (c.full) return;
    if (ts.value.kind !== 'array' || ps.value.kind !== 'array') {
      c.problem('json_expected', at(ts.value.kind !== 'array' ? ts.value : ps.value), {
        expected: 'an array',
      });
      continue;
    }
    if (ts.value.items.length !== ps.value.items.length) {
      c.problem('json_length_mismatch', at(ps), {
        asset: clip(name),
        times: ts.value.items.length,
        prices: ps.value.items.length,
      });
      continue;
    }
    const prices = ps.value.items;
    for (let k = 0; k < ts.value.items.length; k++) {
      if (c.full) return;
      const tn = ts.value.items[k]!;
      c.rows++;
      if (c.overLimit(at(tn))) return;
      const t = c.time(scalar(tn), at(tn));
      const pn = prices[k]!;
      if (t !== null) c.price(name, t, scalar(pn), at(pn));
    }
  }
}

function readRecords(
  c: Collector,
  items: readonly JsonNode[],
  format: PriceFileFormat,
  asset: string,
): void {
  for (const r of items) {
    if (c.full) return;
    if (r.kind !== 'object') {
      c.problem('json_expected', at(r), { expected: 'an object (one record)' });
      continue;
    }
    c.rows++;
    if (c.overLimit(at(r))) return;
    const te = timeEntry(r);
    if (!te) {
      c.problem('json_missing_key', at(r), { wanted: 'timestamp' });
      continue;
    }
    const t = c.time(scalar(te.value), at(te.value));
    if (t === null) continue;
    if (format === 'json-records-wide') {
      for (const e of r.entries) {
        if (e === te) continue;
        c.declare(e.key, at(e));
        c.price(e.key, t, scalar(e.value), at(e.value));
      }
      continue;
    }
    const pe = entry(r, PRICE_NAMES);
    if (!pe) {
      c.problem('json_missing_key', at(r), { wanted: 'close' });
      continue;
    }
    let name = asset;
    if (format === 'json-records-long') {
      const se = entry(r, SYMBOL_NAMES);
      if (!se || se.value.kind !== 'string' || se.value.value === '') {
        c.problem('missing_symbol', se ? at(se.value) : at(r));
        continue;
      }
      name = se.value.value;
    }
    c.price(name, t, scalar(pe.value), at(pe.value));
  }
}

// ---------------------------------------------------------------- funding

/** Loads a funding-rate file: CSV `timestamp,symbol,funding_rate` or JSON records with the same
 *  keys (`fundingTime` / `fundingRate` as exchanges name them also work). Read within the same
 *  bounds as a price file; `signal` and `onProgress` as for loadPricesFile. */
export async function loadFundingFile(
  absPath: string,
  opts: LoadOptions = {},
): Promise<Result<LoadedFunding>> {
  const name = opts.displayName ?? basename(absPath);
  const read = await readBytes(absPath, name, { ...LIMITS, ...opts.limits }, opts.signal, (p) =>
    opts.onProgress?.({ ...p, what: name }),
  );
  if (!read.ok) return read;
  const { bytes, json } = read.value;
  const text = bytes.toString('utf8');
  return withFingerprint(
    json ? parseFundingJson(text, name) : parseFundingCsv(text, name),
    fingerprintOf(bytes),
  );
}

const FUNDING_TIME_NAMES = [...TIME_NAMES, 'fundingtime', 'funding_time'];
const RATE_NAMES = ['funding_rate', 'fundingrate', 'rate', 'funding'];

function readRate(c: Collector, value: string | number | null, at: Where): number | null {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const v = parseNumber(value.trim().slice(0, -1));
    if (v === null) {
      c.problem('bad_number', at, { value: clip(value), what: 'funding rate' });
      return null;
    }
    return v / 100;
  }
  const v = c.number(value, at, 'funding rate');
  if (v === undefined) {
    c.problem('missing_value', at, { what: 'funding rate' });
    return null;
  }
  return v;
}

export function parseFundingCsv(text: string, file: string): Result<LoadedFunding> {
  const cursor = new CsvCursor(text, file);
  const header = cursor.next();
  if (!header) return cursor.failure ?? fail('file_empty', [file], { file });
  const c = new Collector(file);
  checkHeader(c, header);
  if (c.problems.length > 0) return failWith(c.problems);
  const names = header.fields.map((f) => f.text);
  const idx = [
    findName(names, FUNDING_TIME_NAMES),
    findName(names, SYMBOL_NAMES),
    findName(names, RATE_NAMES),
  ] as const;
  const wanted = ['timestamp', 'symbol', 'funding_rate'];
  const missing = idx.findIndex((i) => i < 0);
  if (missing >= 0)
    return fail('csv_missing_column', [file, header.line], {
      file,
      line: header.line,
      column: 1,
      wanted: wanted[missing]!,
      header: headerText(names),
    });
  const [iTime, iSymbol, iRate] = idx;
  const rates: FundingRate[] = [];
  for (let row = cursor.next(); row; row = cursor.next()) {
    if (c.full) break;
    if (!fieldCountOk(c, names.length, row)) continue;
    c.rows++;
    const where = (i: number): Where => ({ line: row.line, column: row.fields[i]!.column });
    if (c.overLimit(where(0))) break;
    const t = c.time(row.fields[iTime]!.text, where(iTime));
    const symbol = row.fields[iSymbol]!.text;
    if (symbol === '') c.problem('missing_symbol', where(iSymbol));
    const rate = readRate(c, row.fields[iRate]!.text, where(iRate));
    if (t !== null && rate !== null && symbol !== '') rates.push({ time: t, symbol, rate });
  }
  if (cursor.failure) return cursor.failure;
  if (c.rows === 0 && c.problems.length === 0) return noRows(file);
  return finish(c, () => ({ source: file, rates, timeFormat: c.timeFormat ?? 'iso' }));
}

export function parseFundingJson(text: string, file: string): Result<LoadedFunding> {
  const parsed = parseJson(text, file);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (root.kind !== 'array')
    return fail('json_unknown_shape', [file, root.line], {
      file,
      line: root.line,
      column: root.column,
    });
  const c = new Collector(file);
  const rates: FundingRate[] = [];
  for (const r of root.items) {
    if (c.full) break;
    c.rows++;
    if (c.overLimit(at(r))) break;
    const te = entry(r, FUNDING_TIME_NAMES);
    const se = entry(r, SYMBOL_NAMES);
    const re = entry(r, RATE_NAMES);
    if (r.kind !== 'object' || !te || !se || !re) {
      c.problem('json_expected', at(r), {
        expected: '{ "timestamp": ..., "symbol": ..., "funding_rate": ... }',
      });
      continue;
    }
    const t = c.time(scalar(te.value), at(te.value));
    const symbol = se.value.kind === 'string' ? se.value.value : '';
    if (symbol === '') c.problem('missing_symbol', at(se.value));
    const rate = readRate(c, scalar(re.value), at(re.value));
    if (t !== null && rate !== null && symbol !== '') rates.push({ time: t, symbol, rate });
  }
  if (c.rows === 0 && c.problems.length === 0) return noRows(file);
  return finish(c, () => ({ source: file, rates, timeFormat: c.timeFormat ?? 'iso' }));
}

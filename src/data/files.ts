/** Price and funding files on disk. The accepted shapes are documented in docs/data.md; in short:
 *
 *  CSV (comma, or semicolon/tab when the header has no comma; `#` lines are comments):
 *  - wide:  `date,BTC,ETH,...`: first column the time, one column of prices per asset;
 *  - long:  `timestamp,symbol,close`: one row per asset and time (`price` also names the price);
 *  - OHLCV: `timestamp,open,high,low,close,volume`: one asset, named by the caller or from the
 *           file name (`btc-1d.csv` -> BTC); the close is used.
 *  JSON:
 *  - `{ "series": [{ "asset": "BTC", "times": [...], "prices": [...] }] }` (or just the array);
 *  - `{ "BTC": [[time, price], ...], "ETH": [{ "time": t, "price": p }, ...] }`;
 *  - records, long `[{ "timestamp": t, "symbol": "BTC", "close": p }]`, wide
 *    `[{ "date": t, "BTC": p, "ETH": p }]`, or one asset `[{ "time": t, "close": p }]`.
 *  Times: ISO 8601 or epoch seconds / milliseconds / microseconds (see time.ts); the detected
 *  form is returned as `timeFormat`. An empty price (or NaN, null, NA) is a gap; a price that is
 *  not positive is dropped with a warning; anything unreadable is an error naming the file, line
 *  and column. Funding files: `timestamp,symbol,funding_rate` (CSV or JSON records); a rate is a
 *  fraction per funding interval (0.0001 = 0.01%), or a percentage written with `%`. */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fail, failWith, ok, type Result } from '../engine/result';
import { Collector, type Where } from './collect';
import { parseCsv, type CsvRow, type CsvTable } from './csv';
import { parseJson, type JsonEntry, type JsonNode } from './json';
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

/** As src/engine/series.ts's PriceSeries (structurally the same). */
export interface FileSeries {
  asset: string;
  times: number[];
  prices: number[];
}

export interface LoadedPrices {
  /** The file's name as shown to the user (provenance of every result computed on it). */
  readonly source: string;
  readonly series: FileSeries[];
  readonly format: PriceFileFormat;
  readonly timeFormat: TimeFormat;
  /** Data rows (CSV lines or JSON records) read. */
  readonly rows: number;
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
}

export interface LoadOptions {
  /** How problems and provenance name the file (default: its base name). */
  readonly displayName?: string;
  /** The asset of a one-asset file (OHLCV); default: from the file name. */
  readonly asset?: string;
}

const TIME_NAMES = ['timestamp', 'time', 'date', 'datetime', 'open_time', 'opentime', 'ts', 't'];
const SYMBOL_NAMES = ['symbol', 'asset', 'ticker', 'coin', 'instrument', 'pair'];
const PRICE_NAMES = ['close', 'price', 'close_price', 'last'];
const RATE_NAMES = ['funding_rate', 'fundingrate', 'rate', 'funding'];

const norm = (s: string): string => s.trim().toLowerCase();
const findName = (names: readonly string[], wanted: readonly string[]): number => {
  for (const w of wanted) {
    const i = names.findIndex((n) => norm(n) === w);
    if (i >= 0) return i;
  }
  return -1;
};

/** `btc-1d.csv` -> BTC, `ETHUSDT_1h.json` -> ETHUSDT, `sol.csv` -> SOL. */
export function assetFromFileName(file: string): string {
  const stem = basename(file, extname(file));
  const first = stem.split(/[-_. ]/)[0] ?? stem;
  return (first === '' ? stem : first).toUpperCase();
}

type Read<T> = Promise<Result<{ text: string; name: string } & T>>;

async function readText(absPath: string, opts: LoadOptions): Read<object> {
  const name = opts.displayName ?? basename(absPath);
  try {
    const text = await readFile(absPath, 'utf8');
    if (text.trim() === '') return fail('file_empty', [name], { file: name });
    return ok({ text, name });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
    if (code === 'ENOENT') return fail('file_not_found', [name], { file: name, absPath });
    return fail('file_unreadable', [name], { file: name, reason: code });
  }
}

function isJson(absPath: string, text: string): boolean {
  const ext = extname(absPath).toLowerCase();
  if (ext === '.json') return true;
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return false;
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

function finish<T>(c: Collector, value: () => T): Result<T> {
  if (c.problems.length > 0) return failWith(c.problems);
  return ok(value(), c.warnings);
}

// ---------------------------------------------------------------- prices

/** Loads a price file (CSV or JSON, shapes above). Never throws for a bad file: every problem
 *  is a Result naming the file, line and column. */
export async function loadPricesFile(
  absPath: string,
  opts: LoadOptions = {},
): Promise<Result<LoadedPrices>> {
  const read = await readText(absPath, opts);
  if (!read.ok) return read;
  const { text, name } = read.value;
  const asset = opts.asset ?? assetFromFileName(absPath);
  return isJson(absPath, text)
    ? parsePricesJson(text, name, asset)
    : parsePricesCsv(text, name, asset);
}

function noRows(file: string): Result<never> {
  return fail('no_rows', [file], { file });
}

/** The start both CSV parsers share: the table (an empty file is `file_empty`), its header
 *  checked (no empty or duplicate names), a collector for the rows' problems, and the column
 *  names. */
function readCsvTable(
  text: string,
  file: string,
): Result<{ table: CsvTable; c: Collector; names: string[] }> {
  const parsed = parseCsv(text, file);
  if (!parsed.ok) return parsed;
  const table = parsed.value;
  if (!table) return fail('file_empty', [file], { file });
  const c = new Collector(file);
  checkHeader(c, table);
  if (c.problems.length > 0) return failWith(c.problems);
  return ok({ table, c, names: table.header.fields.map((f) => f.text) });
}

function checkHeader(c: Collector, table: CsvTable): void {
  const seen = new Map<string, number>();
  for (const f of table.header.fields) {
    const at = { line: table.header.line, column: f.column };
    if (f.text === '') c.problem('csv_empty_header', at);
    else if (seen.has(norm(f.text)))
      c.problem('csv_duplicate_column', at, { name: f.text, first: seen.get(norm(f.text))! });
    else seen.set(norm(f.text), f.column);
  }
}

function fieldCountOk(c: Collector, table: CsvTable, row: CsvRow): boolean {
  const expected = table.header.fields.length;
  if (row.fields.length === expected) return true;
  const last = row.fields[row.fields.length - 1];
  c.problem(
    'csv_field_count',
    { line: row.line, column: last?.column ?? 1 },
    { expected, found: row.fields.length },
  );
  return false;
}

/** Parses price CSV text (pure; `loadPricesFile` reads the file and calls this). */
export function parsePricesCsv(text: string, file: string, asset: string): Result<LoadedPrices> {
  const read = readCsvTable(text, file);
  if (!read.ok) return read;
  const { table, c, names } = read.value;
  const iTime = findName(names, TIME_NAMES);
  const iSymbol = findName(names, SYMBOL_NAMES);
  const iPrice = findName(names, PRICE_NAMES);
  let format: PriceFileFormat;
  if (iSymbol >= 0 || iPrice >= 0) {
    format = iSymbol >= 0 ? 'csv-long' : 'csv-ohlcv';
    if (iTime < 0)
      return fail('csv_missing_column', [file, table.header.line], {
        file,
        line: table.header.line,
        column: 1,
        wanted: 'timestamp',
        header: names.join(','),
      });
    if (iPrice < 0)
      return fail('csv_missing_column', [file, table.header.line], {
        file,
        line: table.header.line,
        column: 1,
        wanted: 'close',
        header: names.join(','),
      });
  } else {
    format = 'csv-wide';
    if (names.length < 2)
      return fail('csv_unknown_layout', [file, table.header.line], {
        file,
        line: table.header.line,
        column: 1,
        header: names.join(','),
      });
    for (let i = 1; i < names.length; i++) c.declare(names[i]!);
  }
  for (const row of table.rows) {
    if (c.full) break;
    if (!fieldCountOk(c, table, row)) continue;
    c.rows++;
    const at = (i: number): Where => ({ line: row.line, column: row.fields[i]!.column });
    const timeIndex = format === 'csv-wide' ? 0 : iTime;
    const t = c.time(row.fields[timeIndex]!.text, at(timeIndex));
    if (t === null) continue;
    if (format === 'csv-wide') {
      for (let i = 1; i < names.length; i++) c.price(names[i]!, t, row.fields[i]!.text, at(i));
    } else if (format === 'csv-long') {
      const symbol = row.fields[iSymbol]!.text;
      if (symbol === '') {
        c.problem('missing_symbol', at(iSymbol));
        continue;
      }
      c.price(symbol, t, row.fields[iPrice]!.text, at(iPrice));
    } else {
      c.price(asset, t, row.fields[iPrice]!.text, at(iPrice));
    }
  }
  if (c.rows === 0 && c.problems.length === 0) return noRows(file);
  return finish(c, () => ({
    source: file,
    series: c.series(),
    format,
    timeFormat: c.timeFormat ?? 'iso',
    rows: c.rows,
  }));
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

/** Parses price JSON text (pure). */
export function parsePricesJson(text: string, file: string, asset: string): Result<LoadedPrices> {
  const parsed = parseJson(text, file);
  if (!parsed.ok) return parsed;
  let root = parsed.value;
  const c = new Collector(file);
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
      const hasSymbol = entry(first, SYMBOL_NAMES) !== undefined;
      const hasPrice = entry(first, PRICE_NAMES) !== undefined;
      if (!entry(first, TIME_NAMES)) {
        return fail('json_missing_key', [file, first.line], {
          file,
          line: first.line,
          column: first.column,
          wanted: 'timestamp',
        });
      }
      format = hasSymbol
        ? 'json-records-long'
        : hasPrice
          ? 'json-records-single'
          : 'json-records-wide';
      readRecords(c, root.items, format, asset);
    }
  } else if (root.kind === 'object' && !wrapped) {
    format = 'json-by-asset';
    for (const e of root.entries) {
      if (c.full) break;
      c.declare(e.key);
      if (e.value.kind !== 'array') {
        c.problem('json_expected', at(e.value), { expected: 'an array of [time, price]' });
        continue;
      }
      for (const p of e.value.items) {
        if (c.full) break;
        c.rows++;
        if (p.kind === 'array' && p.items.length >= 2) {
          const t = c.time(scalar(p.items[0]!), at(p.items[0]!));
          if (t !== null) c.price(e.key, t, scalar(p.items[1]!), at(p.items[1]!));
        } else if (p.kind === 'object') {
          const te = entry(p, TIME_NAMES);
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
  return finish(c, () => ({
    source: file,
    series: c.series(),
    format,
    timeFormat: c.timeFormat ?? 'iso',
    rows: c.rows,
  }));
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
    c.declare(name);
    if (ts.value.kind !== 'array' || ps.value.kind !== 'array') {
      c.problem('json_expected', at(ts.value.kind !== 'array' ? ts.value : ps.value), {
        expected: 'an array',
      });
      continue;
    }
    if (ts.value.items.length !== ps.value.items.length) {
      c.problem('json_length_mismatch', at(ps), {
        asset: name,
        times: ts.value.items.length,
        prices: ps.value.items.length,
      });
      continue;
    }
    ts.value.items.forEach((tn, k) => {
      if (c.full) return;
      c.rows++;
      const t = c.time(scalar(tn), at(tn));
      const pn = (ps.value as Extract<JsonNode, { kind: 'array' }>).items[k]!;
      if (t !== null) c.price(name, t, scalar(pn), at(pn));
    });
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
    const te = entry(r, TIME_NAMES);
    if (!te) {
      c.problem('json_missing_key', at(r), { wanted: 'timestamp' });
      continue;
    }
    const t = c.time(scalar(te.value), at(te.value));
    if (t === null) continue;
    if (format === 'json-records-wide') {
      for (const e of r.entries) {
        if (e === te) continue;
        c.declare(e.key);
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
 *  keys (`fundingTime` / `fundingRate` as exchanges name them also work). */
export async function loadFundingFile(
  absPath: string,
  opts: LoadOptions = {},
): Promise<Result<LoadedFunding>> {
  const read = await readText(absPath, opts);
  if (!read.ok) return read;
  const { text, name } = read.value;
  return isJson(absPath, text) ? parseFundingJson(text, name) : parseFundingCsv(text, name);
}

const FUNDING_TIME_NAMES = [...TIME_NAMES, 'fundingtime', 'funding_time'];

function readRate(c: Collector, value: string | number | null, at: Where): number | null {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const v = parseNumber(value.trim().slice(0, -1));
    if (v === null) {
      c.problem('bad_number', at, { value, what: 'funding rate' });
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
  const read = readCsvTable(text, file);
  if (!read.ok) return read;
  const { table, c, names } = read.value;
  const idx = [
    findName(names, FUNDING_TIME_NAMES),
    findName(names, SYMBOL_NAMES),
    findName(names, RATE_NAMES),
  ] as const;
  const wanted = ['timestamp', 'symbol', 'funding_rate'];
  const missing = idx.findIndex((i) => i < 0);
  if (missing >= 0)
    return fail('csv_missing_column', [file, table.header.line], {
      file,
      line: table.header.line,
      column: 1,
      wanted: wanted[missing]!,
      header: names.join(','),
    });
  const [iTime, iSymbol, iRate] = idx;
  const rates: FundingRate[] = [];
  for (const row of table.rows) {
    if (c.full) break;
    if (!fieldCountOk(c, table, row)) continue;
    c.rows++;
    const where = (i: number): Where => ({ line: row.line, column: row.fields[i]!.column });
    const t = c.time(row.fields[iTime]!.text, where(iTime));
    const symbol = row.fields[iSymbol]!.text;
    if (symbol === '') c.problem('missing_symbol', where(iSymbol));
    const rate = readRate(c, row.fields[iRate]!.text, where(iRate));
    if (t !== null && rate !== null && symbol !== '') rates.push({ time: t, symbol, rate });
  }
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

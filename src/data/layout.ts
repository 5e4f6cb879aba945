/** Which layout a price file has, from its column names (a CSV header, or the keys of the first
 *  JSON record). The rule, in order (docs/data.md):
 *  1. long:  a symbol column (symbol, asset, ticker, coin, instrument, pair) and a price column
 *            (close, price, close_price, last): one row per asset and time;
 *  2. one asset (OHLCV): a price column, and every other column is the time or a candle field
 *            (open, high, low, volume, vwap, trades, quote volume, ...): the close is used;
 *  3. a header of field names only (timestamp,symbol,volume) lacks its price column: refused;
 *  4. wide:  anything else: the time column first (a CSV) and one column of prices per asset.
 *            A column whose name is a field name (LAST, PRICE, CLOSE, VOLUME, SYMBOL, TIME) is
 *            read as an asset of that name, with a warning at its column that says so: a wide
 *            file never turns into another layout because of one column's name, and no column
 *            is dropped without a word.
 *  The time column of a wide CSV must be the first and be named as a time (date, time,
 *  timestamp, datetime, ts, or a name with date, time, epoch or unix in it, such as
 *  "Date (UTC)" or "open_time"); otherwise the file is refused at that column, so prices are
 *  never read as epoch seconds. */

export const TIME_NAMES = [
  'timestamp',
  'time',
  'date',
  'datetime',
  'open_time',
  'opentime',
  'ts',
  't',
];
export const SYMBOL_NAMES = ['symbol', 'asset', 'ticker', 'coin', 'instrument', 'pair'];
export const PRICE_NAMES = ['close', 'price', 'close_price', 'last'];
/** Other columns of one asset's candles (exchange and vendor exports). */
export const CANDLE_FIELDS = [
  'open',
  'high',
  'low',
  'volume',
  'adj_close',
  'vwap',
  'trades',
  'count',
  'number_of_trades',
  'quote_volume',
  'quote_asset_volume',
  'close_time',
  'turnover',
  'taker_buy_volume',
  'taker_buy_quote_volume',
  'taker_buy_base_asset_volume',
  'taker_buy_quote_asset_volume',
  'ignore',
];

/** A column name compared: case, spaces and hyphens do not matter (`Close Time` = `close_time`). */
export const norm = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Index of the first name in `names` that is one of `wanted` (in `wanted`'s order), or -1. */
export function findName(names: readonly string[], wanted: readonly string[]): number {
  for (const w of wanted) {
    const i = names.findIndex((n) => norm(n) === w);
    if (i >= 0) return i;
  }
  return -1;
}

/** A time column's name: one of TIME_NAMES, or a name with date, time, epoch or unix in it. */
export function isTimeName(name: string): boolean {
  const n = norm(name);
  return TIME_NAMES.includes(n) || /date|time|epoch|unix/.test(n);
}

/** The time column: an exact time name first, else the first name that looks like one. */
export function findTime(names: readonly string[]): number {
  const exact = findName(names, TIME_NAMES);
  return exact >= 0 ? exact : names.findIndex(isTimeName);
}

/** Names that say a column is a field, not an asset (`t` and `ts` left out: T is a ticker). */
const RESERVED = new Set(
  [...TIME_NAMES, ...SYMBOL_NAMES, ...PRICE_NAMES, ...CANDLE_FIELDS].filter(
    (n) => n !== 't' && n !== 'ts',
  ),
);

export type Layout =
  | {
      readonly kind: 'long';
      readonly time: number;
      readonly symbol: number;
      readonly price: number;
    }
  | { readonly kind: 'single'; readonly time: number; readonly price: number }
  | {
      readonly kind: 'wide';
      readonly time: number;
      /** Columns read as assets whose names are field names (warned about). */
      readonly fieldNamed: readonly number[];
    };

export type LayoutRead =
  | { readonly ok: true; readonly layout: Layout }
  | {
      readonly ok: false;
      /** csv_missing_column (wanted), csv_unknown_layout, csv_no_time_column (column, name) */
      readonly code: 'csv_missing_column' | 'csv_unknown_layout' | 'csv_no_time_column';
      readonly wanted?: string;
      /** 0-based index of the column at fault. */
      readonly index: number;
    };

/** The layout of a file with these column names. `timeFirst`: a wide file's time must be its
 *  first column (CSV); JSON records name it anywhere. */
export function detectLayout(names: readonly string[], timeFirst: boolean): LayoutRead {
  const symbol = findName(names, SYMBOL_NAMES);
  const price = findName(names, PRICE_NAMES);
  const time = findTime(names);
  if (symbol >= 0 && price >= 0) {
    if (time < 0) return { ok: false, code: 'csv_missing_column', wanted: 'timestamp', index: 0 };
    return { ok: true, layout: { kind: 'long', time, symbol, price } };
  }
  if (price >= 0 && time >= 0) {
    const candle = names.every(
      (n, i) =>
        i === time ||
        isTimeName(n) ||
        PRICE_NAMES.includes(norm(n)) ||
        CANDLE_FIELDS.includes(norm(n)),
    );
    if (candle) return { ok: true, layout: { kind: 'single', time, price } };
  }
  if (names.length < 2) return { ok: false, code: 'csv_unknown_layout', index: 0 };
  // Only field names (timestamp,symbol,volume): a long or candle file without its price column.
  if (names.every((n, i) => i === time || RESERVED.has(norm(n))))
    return { ok: false, code: 'csv_missing_column', wanted: 'close', index: 0 };
  const wideTime = timeFirst ? (isTimeName(names[0]!) ? 0 : -1) : time;
  if (wideTime < 0) {
    if (timeFirst) return { ok: false, code: 'csv_no_time_column', index: 0 };
    return { ok: false, code: 'csv_missing_column', wanted: 'timestamp', index: 0 };
  }
  const fieldNamed: number[] = [];
  names.forEach((n, i) => {
    if (i !== wideTime && RESERVED.has(norm(n))) fieldNamed.push(i);
  });
  return { ok: true, layout: { kind: 'wide', time: wideTime, fieldNamed } };
}

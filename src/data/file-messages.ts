/** Wording for the problems of price and funding files (src/data/files.ts and its readers).
 *  describeDataProblem (src/data/messages.ts) uses this table, so the same problem reads the same
 *  in a cell output, the CLI and the report. Every message starts with where: file, line, column. */
import { clip, formatBytes } from './limits';

type Params = Readonly<Record<string, string | number | boolean>>;

function where(p: Params): string {
  const file = String(p.file ?? 'the file');
  if (p.line === undefined) return file;
  return p.column === undefined
    ? `${file} line ${p.line}`
    : `${file} line ${p.line}, column ${p.column}`;
}

/** A quoted value from the file, cut to a few dozen characters (a 50 MB cell is never quoted). */
const q = (v: unknown): string => JSON.stringify(clip(String(v), 120));
const count = (n: unknown): string => (typeof n === 'number' ? n.toLocaleString('en') : String(n));

/** "data.csv line 17": where a point of a file is, for the words of a layer that only knows the
 *  point (the aligner's repeated time). */
export function fileLine(file: string, line: number): string {
  return `${file} line ${line}`;
}

export const fileMessages: Readonly<Record<string, (p: Params) => string>> = {
  file_not_found: (p) =>
    `${where(p)}: no such file${p.absPath ? ` (looked for ${p.absPath})` : ''}. Paths are relative to the notebook's folder (a notebook not saved yet: the first workspace folder).`,
  notebook_not_found: (p) =>
    `${p.file}: no such notebook file${p.absPath ? ` (looked for ${p.absPath})` : ''}.`,
  notebook_unsaved_relative_file: (p) =>
    `${String(p.file)}: save the notebook (or open a folder) first: files are read relative to it`,
  notebook_unreadable: (p) => `${p.file}: the notebook could not be read (${p.reason}).`,
  file_unreadable: (p) => `${where(p)}: the file could not be read (${p.reason}).`,
  file_too_large: (p) =>
    `${where(p)}: the ${p.kind ? `${p.kind} ` : ''}file is ${formatBytes(Number(p.bytes))}; files up to ${formatBytes(Number(p.limit))} are read (a limit, docs/data.md). Split it, or keep fewer assets or a coarser interval.`,
  too_many_rows: (p) =>
    `${where(p)}: the file has more than ${count(p.limit)} data rows, the most one file may hold (docs/data.md); reading stopped here.`,
  too_many_values: (p) =>
    `${where(p)}: the file holds more than ${count(p.limit)} prices, the most one file may hold (docs/data.md); reading stopped here. Keep fewer assets or a coarser interval.`,
  too_many_assets: (p) =>
    `${where(p)}: the file has ${p.found !== undefined ? `${count(p.found)} assets` : 'too many assets'}; at most ${count(p.limit)} are read from one file (docs/data.md).`,
  csv_no_time_column: (p) =>
    `${where(p)}: the first column is ${q(p.name)}, not a time. A wide file starts with its time column (named date, time or timestamp), then one column per asset (${p.header}).`,
  field_named_asset: (p) =>
    `${where(p)}: the column ${q(p.name)} is read as the prices of an asset named ${clip(String(p.name))} (a wide file: every column after the time is an asset). If it is not an asset, remove or rename it.`,
  missing_prices: (p) =>
    `${where(p)}: ${p.asset} has ${count(p.count)} empty or missing price${p.count === 1 ? '' : 's'} (the first here); those times are gaps in ${p.asset}.`,
  json_too_deep: (p) =>
    `${where(p)}: the JSON is nested more than ${p.limit} levels deep here; a price file needs a few (docs/data.md).`,
  file_empty: (p) => `${where(p)}: the file is empty.`,
  no_rows: (p) => `${where(p)}: the file has a header but no data rows.`,
  csv_unclosed_quote: (p) =>
    `${where(p)}: a quoted field starts here and is never closed (add the closing ").`,
  csv_quote_in_field: (p) =>
    `${where(p)}: a stray quote; quote the whole field ("...") and double quotes inside it ("").`,
  csv_empty_header: (p) => `${where(p)}: a column has no name in the header.`,
  csv_duplicate_column: (p) =>
    `${where(p)}: the column ${q(p.name)} appears twice (first at column ${p.first}).`,
  csv_field_count: (p) =>
    `${where(p)}: this row has ${p.found} fields but the header has ${p.expected}.`,
  csv_missing_column: (p) =>
    `${where(p)}: no ${q(p.wanted)} column in the header (${p.header}). Price files are wide (date,BTC,ETH,...), long (timestamp,symbol,close) or OHLCV (timestamp,open,high,low,close,volume); funding files are timestamp,symbol,funding_rate.`,
  csv_unknown_layout: (p) =>
    `${where(p)}: cannot tell the layout from the header (${p.header}). Use wide (date,BTC,ETH,...), long (timestamp,symbol,close) or OHLCV (timestamp,open,high,low,close,volume).`,
  missing_time: (p) => `${where(p)}: the time is empty.`,
  bad_time: (p) =>
    `${where(p)}: ${q(p.value)} is not a time${p.detail ? ` (${p.detail})` : ''}. Use ISO 8601 (2024-01-31 or 2024-01-31T08:00:00Z) or epoch seconds / milliseconds.`,
  mixed_time_format: (p) =>
    `${where(p)}: ${q(p.value)} is in ${p.found}, but the file's first time is in ${p.expected}; use one form for the whole column.`,
  bad_number: (p) =>
    `${where(p)}: ${q(p.value)} is not a number (${p.what}). Write plain decimals such as 42150.5; leave the cell empty for no data.`,
  missing_value: (p) => `${where(p)}: the ${p.what} is empty.`,
  missing_symbol: (p) => `${where(p)}: the symbol is empty.`,
  nonpositive_price: (p) =>
    `${where(p)}: the ${p.asset} price ${p.value} is not positive; that point is left out.`,
  json_syntax: (p) => `${where(p)}: invalid JSON: expected ${p.expected}, found ${p.found}.`,
  json_unknown_shape: (p) =>
    `${where(p)}: this JSON shape is not a price file. Use { "BTC": [[time, price], ...] }, records [{ "timestamp": ..., "symbol": ..., "close": ... }] or { "series": [{ "asset", "times", "prices" }] } (docs/data.md).`,
  json_expected: (p) => `${where(p)}: expected ${p.expected}.`,
  json_missing_key: (p) => `${where(p)}: this record has no ${q(p.wanted)} key.`,
  json_length_mismatch: (p) =>
    `${where(p)}: ${p.asset} has ${p.times} times but ${p.prices} prices; they must pair up.`,
};

/** The limits of what a price or funding file may hold (docs/data.md states them). Past any of
 *  them the loader stops with a clear error naming the limit, in bounded time and memory, rather
 *  than growing until the process runs out of memory. Each is far above what a beta notebook
 *  needs (5 years of hourly closes for 100 assets is a 45 MB file of 4.4 million prices). */
export const LIMITS: {
  readonly fileBytes: number;
  readonly jsonBytes: number;
  readonly assets: number;
  readonly rows: number;
  readonly values: number;
  readonly jsonDepth: number;
} = {
  /** Bytes of one file: 256 MiB (the text must also fit in one JavaScript string). */
  fileBytes: 256 * 1024 * 1024,
  /** Bytes of one JSON file: 16 MiB, about 600,000 prices. A JSON document is held as a tree
   *  of located values while it is read (about 15× its size in memory; 2 s of CPU for 16 MB);
   *  larger data belongs in a CSV file, which is read in chunks. */
  jsonBytes: 16 * 1024 * 1024,
  /** Price columns (assets) of one wide file, or distinct symbols of a long one. */
  assets: 5_000,
  /** Data rows (CSV lines, JSON records or points) of one file. */
  rows: 5_000_000,
  /** Prices in all (rows × price columns): 20 million float64 = 160 MB in memory. */
  values: 20_000_000,
  /** Nesting of a JSON document (a price file needs 4 levels). */
  jsonDepth: 100,
};

export type Limits = Readonly<typeof LIMITS>;

/** Characters of a value a message quotes; longer input is cut and its length said. */
export const QUOTE_CHARS = 80;

/** `text` cut to QUOTE_CHARS characters, with what was left out said ("… (52,428,800 characters)").
 *  Every value a data problem carries goes through this, so a 50 MB cell never ends up in a
 *  message, an output or a report. */
export function clip(text: string, max: number = QUOTE_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

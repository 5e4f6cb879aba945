/** Shared bookkeeping for the file readers: points per asset in first-seen order, the time
 *  column's format, and problems that carry the file, line and column. */
import type { Problem } from '../engine/result';
import { readTime, TIME_FORMAT_LABEL, parseNumber, type TimeFormat } from './time';

export interface Where {
  readonly line: number;
  readonly column: number;
}

/** Stop reading after this many errors: the first few say what is wrong with the file. */
export const MAX_PROBLEMS = 10;

const MISSING = new Set(['', 'nan', 'null', 'na', 'n/a', 'none', '-']);

export class Collector {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  timeFormat: TimeFormat | null = null;
  private readonly points = new Map<string, { times: number[]; prices: number[] }>();
  rows = 0;

  constructor(readonly file: string) {}

  get full(): boolean {
    return this.problems.length >= MAX_PROBLEMS;
  }

  problem(code: string, at: Where, params: Record<string, string | number | boolean> = {}): void {
    if (this.full) return;
    this.problems.push({
      code,
      path: [this.file, at.line, at.column],
      params: { file: this.file, line: at.line, column: at.column, ...params },
    });
  }

  warning(code: string, at: Where, params: Record<string, string | number | boolean> = {}): void {
    this.warnings.push({
      code,
      path: [this.file, at.line, at.column],
      params: { file: this.file, line: at.line, column: at.column, ...params },
    });
  }

  /** Reads a time value; records a problem and returns null when it is not one. */
  time(value: string | number | null, at: Where): number | null {
    if (value === null || value === '') {
      this.problem('missing_time', at);
      return null;
    }
    const r = readTime(value, this.timeFormat);
    if (!r.ok) {
      if (r.reason === 'mixed_format')
        this.problem('mixed_time_format', at, {
          value: String(value),
          expected: TIME_FORMAT_LABEL[this.timeFormat ?? 'iso'],
          found: r.found,
        });
      else this.problem('bad_time', at, { value: String(value) });
      return null;
    }
    this.timeFormat ??= r.format;
    return r.time;
  }

  /** Reads a number that may be missing (empty, NaN, null). undefined = missing, null = bad. */
  number(value: string | number | null, at: Where, what: string): number | null | undefined {
    if (value === null) return undefined;
    if (typeof value === 'number') return value;
    const text = value.trim();
    if (MISSING.has(text.toLowerCase())) return undefined;
    const v = parseNumber(text);
    if (v === null) {
      this.problem('bad_number', at, { value: text, what });
      return null;
    }
    return v;
  }

  /** Adds a price point; a missing price is a gap (the aligner reports it), a price that is not
   *  a positive number is dropped with a warning that says where it is. */
  price(asset: string, time: number, value: string | number | null, at: Where): void {
    const v = this.number(value, at, `${asset} price`);
    if (v === null || v === undefined) return;
    if (!(v > 0)) {
      this.warning('nonpositive_price', at, { asset, value: v });
      return;
    }
    let s = this.points.get(asset);
    if (!s) {
      s = { times: [], prices: [] };
      this.points.set(asset, s);
    }
    s.times.push(time);
    s.prices.push(v);
  }

  declare(asset: string): void {
    if (!this.points.has(asset)) this.points.set(asset, { times: [], prices: [] });
  }

  series(): { asset: string; times: number[]; prices: number[] }[] {
    return [...this.points].map(([asset, s]) => ({ asset, times: s.times, prices: s.prices }));
  }
}

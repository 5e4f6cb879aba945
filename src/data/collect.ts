/** Shared bookkeeping for the file readers: points per asset in first-seen order, the time
 *  column's format, and problems that carry the file, line and column. */
import type { Problem } from '../engine/result';
import { clip, LIMITS, type Limits } from './limits';
import { readTime, TIME_FORMAT_LABEL, parseNumber, type TimeFormat } from './time';

export interface Where {
  readonly line: number;
  readonly column: number;
}

/** Stop reading after this many errors: the first few say what is wrong with the file. */
export const MAX_PROBLEMS = 10;

export const MISSING = new Set(['', 'nan', 'null', 'na', 'n/a', 'none', '-']);

type Params = Record<string, string | number | boolean>;

interface Points {
  times: number[];
  prices: number[];
  /** The file line of each point, for locating what the aligner finds (a repeated time). */
  lines: number[];
  /** Empty or NaN prices: a gap each. */
  missing: number;
  firstMissing: Where | null;
}

export class Collector {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  timeFormat: TimeFormat | null = null;
  private readonly points = new Map<string, Points>();
  rows = 0;
  /** Prices kept so far (all assets), checked against LIMITS.values. */
  values = 0;
  /** A limit was passed: reading stops (the problem says where). */
  private stopped = false;

  constructor(
    readonly file: string,
    readonly limits: Limits = LIMITS,
  ) {}

  /** True when reading should stop: ten errors, or a limit passed. */
  get full(): boolean {
    return this.stopped || this.problems.length >= MAX_PROBLEMS;
  }

  /** True (with the problem recorded at `at`) when the rows read pass the limit: the reader
   *  stops there. Prices and assets are checked as they are added (`price`, `declare`). */
  overLimit(at: Where): boolean {
    if (this.rows > this.limits.rows) this.stop('too_many_rows', at, { limit: this.limits.rows });
    return this.stopped;
  }

  private stop(code: string, at: Where, params: Params): void {
    if (this.stopped) return;
    this.problem(code, at, params);
    this.stopped = true;
  }

  problem(code: string, at: Where, params: Params = {}): void {
    if (this.full) return;
    this.problems.push({
      code,
      path: [this.file, at.line, at.column],
      params: { file: this.file, line: at.line, column: at.column, ...params },
    });
  }

  warning(code: string, at: Where, params: Params = {}): void {
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
          value: clip(String(value)),
          expected: TIME_FORMAT_LABEL[this.timeFormat ?? 'iso'],
          found: r.found,
        });
      else
        this.problem('bad_time', at, {
          value: clip(String(value)),
          ...(r.detail ? { detail: r.detail } : {}),
        });
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
    if (text.length <= 4 && MISSING.has(text.toLowerCase())) return undefined;
    const v = parseNumber(text);
    if (v === null) {
      this.problem('bad_number', at, { value: clip(text), what: clip(what) });
      return null;
    }
    return v;
  }

  /** Adds a price point; a missing price is a gap (counted: one `missing_prices` warning per
   *  asset names the first), a price that is not a positive number is dropped with a warning
   *  that says where it is. */
  price(asset: string, time: number, value: string | number | null, at: Where): void {
    const v = this.number(value, at, `${asset} price`);
    if (v === null) return;
    if (v === undefined) {
      const s = this.series(asset, at);
      if (!s) return;
      s.missing++;
      s.firstMissing ??= at;
      return;
    }
    if (!(v > 0)) {
      this.warning('nonpositive_price', at, { asset: clip(asset), value: v });
      return;
    }
    if (this.values >= this.limits.values) {
      this.stop('too_many_values', at, { limit: this.limits.values });
      return;
    }
    const s = this.series(asset, at);
    if (!s) return;
    s.times.push(time);
    s.prices.push(v);
    s.lines.push(at.line);
    this.values++;
  }

  /** The points of `asset`, made on first sight; null (reading stops) past the asset limit. */
  private series(asset: string, at: Where): Points | null {
    let s = this.points.get(asset);
    if (!s) {
      if (this.points.size >= this.limits.assets) {
        this.stop('too_many_assets', at, { limit: this.limits.assets });
        return null;
      }
      s = { times: [], prices: [], lines: [], missing: 0, firstMissing: null };
      this.points.set(asset, s);
    }
    return s;
  }

  /** An asset seen at `at` (a header column, a JSON key), kept even when it has no prices. */
  declare(asset: string, at: Where = { line: 1, column: 1 }): void {
    this.series(asset, at);
  }

  get assetCount(): number {
    return this.points.size;
  }

  /** The `missing_prices` warnings (one per asset with gaps, at its first), after the others. */
  finishWarnings(): Problem[] {
    for (const [asset, s] of this.points)
      if (s.missing > 0 && s.firstMissing)
        this.warning('missing_prices', s.firstMissing, { asset: clip(asset), count: s.missing });
    return this.warnings;
  }

  collected(): { asset: string; times: number[]; prices: number[] }[] {
    return [...this.points].map(([asset, s]) => ({ asset, times: s.times, prices: s.prices }));
  }

  /** The file line of point `index` of `asset`'s series, or null. */
  lineOf(asset: string, index: number): number | null {
    const s = this.points.get(asset);
    if (!s || index < 0 || index >= s.lines.length) return null;
    return s.lines[index]!;
  }
}

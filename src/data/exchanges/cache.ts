/** A disk cache of exchange rows (candles, funding) so re-runs and offline work reuse what was
 *  fetched. One JSON file per exchange/market/symbol/interval, rows sorted by time. Only the
 *  missing ends of a requested range are fetched; when the network fails the cached part of
 *  the range is returned with a `used_cached_range` warning that says so.
 *
 *  A cache file is checked before it is used: its shape (zod: every row's fields finite numbers,
 *  times strictly increasing), its key, and a SHA-256 of its rows written beside them. A file
 *  that fails any check (damaged, edited by hand, written by an older version, larger than
 *  LIMITS.fileBytes) is not used: the whole range is fetched again, the file rewritten, and the
 *  result carries a `cache_invalid` warning that says which file and why. */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { failWith, ok, type Problem, type Result } from '../../engine/result';
import { LIMITS } from '../limits';
import { readFileBounded } from '../read';
import type { Candle, FundingRow } from './types';

/** What a cache read found: the rows, or none with the reason the file was not used. */
export interface CacheRead<T> {
  readonly rows: T[];
  /** Set when a file was there but failed a check (not when there was no file). */
  readonly invalid?: { readonly file: string; readonly reason: string };
}

export interface RowCache<T extends { time: number }> {
  read(key: string): Promise<CacheRead<T>>;
  write(key: string, rows: readonly T[]): Promise<void>;
}

const CACHE_FORMAT = 2;

const finite = z.number().finite();
export const CandleRows = z.array(
  z.object({
    time: finite,
    open: finite,
    high: finite,
    low: finite,
    close: finite,
    volume: finite,
  }),
);
export const FundingRows = z.array(z.object({ time: finite, symbol: z.string(), rate: finite }));
export const candleCache = (dir: string) => diskCache<Candle>(dir, CandleRows);
export const fundingCache = (dir: string) => diskCache<FundingRow>(dir, FundingRows);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Files under dir, one per key, checked on every read (see above). */
export function diskCache<T extends { time: number }>(
  dir: string,
  rowsSchema: z.ZodType<T[]>,
): RowCache<T> {
  const file = (key: string) => join(dir, `${key.replace(/[^A-Za-z0-9_./-]/g, '_')}.json`);
  return {
    async read(key) {
      const path = file(key);
      const read = await readFileBounded(path, path, { maxBytes: LIMITS.fileBytes });
      if (!read.ok) {
        const code = read.problems[0]?.code;
        if (code === 'file_not_found') return { rows: [] };
        return { rows: [], invalid: { file: path, reason: code ?? 'unreadable' } };
      }
      const bad = (reason: string): CacheRead<T> => ({ rows: [], invalid: { file: path, reason } });
      let doc: unknown;
      try {
        doc = JSON.parse(read.value.bytes.toString('utf8'));
      } catch {
        return bad('it is not JSON');
      }
      const envelope = z
        .object({
          format: z.literal(CACHE_FORMAT),
          key: z.string(),
          sha256: z.string(),
          rows: z.unknown(),
        })
        .safeParse(doc);
      if (!envelope.success) return bad('it is not a cache file of this version');
      if (envelope.data.key !== key) return bad(`it holds ${envelope.data.key}`);
      // The checksum is of the rows as written (JSON.parse keeps their key order and numbers).
      if (sha256(JSON.stringify(envelope.data.rows)) !== envelope.data.sha256)
        return bad('its checksum does not match its rows');
      const rows = rowsSchema.safeParse(envelope.data.rows);
      if (!rows.success) {
        const issue = rows.error.issues[0];
        return bad(`row ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'}`);
      }
      for (let i = 1; i < rows.data.length; i++)
        if (!(rows.data[i]!.time > rows.data[i - 1]!.time)) return bad(`row ${i} is out of order`);
      return { rows: rows.data };
    },
    async write(key, rows) {
      const path = file(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      const body = JSON.stringify(rows);
      await writeFile(
        tmp,
        `{"format":${CACHE_FORMAT},"key":${JSON.stringify(key)},"sha256":"${sha256(body)}","rows":${body}}`,
      );
      await rename(tmp, path); // atomic: a crash never leaves a half-written cache file
    },
  };
}

export interface CachedFetch<T extends { time: number }> {
  readonly key: string;
  readonly cache: RowCache<T>;
  /** Rows with start <= time < end, sorted. */
  readonly fetchRange: (start: number, end: number) => Promise<Result<T[]>>;
  readonly start: number;
  /** Exclusive; the caller passes only what is final (closed candles, past funding). */
  readonly end: number;
  /** Spacing of rows: the cache covers [first, last + step). */
  readonly step: number;
  readonly label: string;
}

export async function fetchWithCache<T extends { time: number }>(
  job: CachedFetch<T>,
): Promise<Result<T[]>> {
  const read = await job.cache.read(job.key);
  const cached = read.rows;
  const warnings: Problem[] = [];
  if (read.invalid)
    warnings.push({
      code: 'cache_invalid',
      path: [job.label],
      params: { what: job.label, file: read.invalid.file, reason: read.invalid.reason },
    });
  const first = cached[0]?.time;
  const last = cached.at(-1)?.time;
  const missing: [number, number][] = [];
  if (first === undefined || last === undefined) missing.push([job.start, job.end]);
  else {
    if (job.start < first) missing.push([job.start, Math.min(first, job.end)]);
    if (last + job.step < job.end) missing.push([Math.max(last + job.step, job.start), job.end]);
  }
  const fetched: T[] = [];
  const problems: Problem[] = [];
  for (const [start, end] of missing) {
    if (end <= start) continue;
    const rows = await job.fetchRange(start, end);
    if (rows.ok) fetched.push(...rows.value);
    else problems.push(...rows.problems);
  }
  const merged = mergeByTime(cached, fetched);
  if (fetched.length > 0) await job.cache.write(job.key, merged);
  const inRange = merged.filter((row) => row.time >= job.start && row.time < job.end);
  if (problems.length === 0) return ok(inRange, warnings);
  if (problems.some((p) => p.code === 'cancelled')) return failWith(problems);
  if (inRange.length === 0) {
    return failWith([
      ...problems,
      { code: 'no_cached_data', path: [job.label], params: { what: job.label } },
      ...warnings,
    ]);
  }
  const reason = problems
    .map((p) => `${p.code}${p.params?.status ? ` ${p.params.status}` : ''}`)
    .join(', ');
  return ok(inRange, [
    ...warnings,
    {
      code: 'used_cached_range',
      path: [job.label],
      params: {
        what: job.label,
        from: new Date(inRange[0]!.time).toISOString(),
        to: new Date(inRange.at(-1)!.time).toISOString(),
        reason,
      },
    },
  ]);
}

/** Union of two sorted row lists by time; the newer fetch wins on equal times. */
export function mergeByTime<T extends { time: number }>(
  older: readonly T[],
  newer: readonly T[],
): T[] {
  const byTime = new Map<number, T>();
  for (const row of older) byTime.set(row.time, row);
  for (const row of newer) byTime.set(row.time, row);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

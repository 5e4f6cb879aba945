/** A disk cache of exchange rows (candles, funding) so re-runs and offline work reuse what was
 *  fetched. One JSON file per exchange/market/symbol/interval, rows sorted by time. Only the
 *  missing ends of a requested range are fetched; when the network fails the cached part of
 *  the range is returned with a `used_cached_range` warning that says so. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { failWith, ok, type Problem, type Result } from '../../engine/result';

export interface RowCache<T extends { time: number }> {
  read(key: string): Promise<T[]>;
  write(key: string, rows: readonly T[]): Promise<void>;
}

/** Files under dir; a missing or unreadable file is an empty cache (it is rebuilt from the network). */
export function diskCache<T extends { time: number }>(dir: string): RowCache<T> {
  const file = (key: string) => join(dir, `${key.replace(/[^A-Za-z0-9_./-]/g, '_')}.json`);
  return {
    async read(key) {
      try {
        const parsed = JSON.parse(await readFile(file(key), 'utf8')) as { rows?: T[] };
        return Array.isArray(parsed.rows) ? parsed.rows : [];
      } catch {
        return [];
      }
    },
    async write(key, rows) {
      const path = file(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ rows }));
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
  const cached = await job.cache.read(job.key);
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
  if (problems.length === 0) return ok(inRange);
  if (problems.some((p) => p.code === 'cancelled')) return failWith(problems);
  if (inRange.length === 0) {
    return failWith([
      ...problems,
      { code: 'no_cached_data', path: [job.label], params: { what: job.label } },
    ]);
  }
  const reason = problems
    .map((p) => `${p.code}${p.params?.status ? ` ${p.params.status}` : ''}`)
    .join(', ');
  return ok(inRange, [
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

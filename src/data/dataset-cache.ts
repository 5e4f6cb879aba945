/** The session's parsed datasets, so a re-run does not read an unchanged file again (the editor's
 *  reactive re-runs after an edit, a notebook naming one file twice). Keyed by what identifies
 *  the file's content on disk (path, size, modification and change times, inode: files.ts makes
 *  the key) or, for exchange data, by the request. Bounded: at most `maxBytes` of arrays are
 *  kept; the least recently used dataset goes first, and one larger than the whole budget is
 *  not kept at all. A changed file has another key, so it is read again (its old entry ages
 *  out). Values are shared, never copied: whoever gets one must not change it. */
export interface DatasetCache {
  get(key: string): unknown;
  set(key: string, value: unknown, bytes: number): void;
  /** Bytes held now. */
  readonly bytes: number;
  readonly size: number;
  clear(): void;
}

/** 512 MiB: several real-sized datasets (5 years hourly × 100 assets is 35 MB). */
export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

export function createDatasetCache(maxBytes: number = DEFAULT_CACHE_BYTES): DatasetCache {
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  const entries = new Map<string, { value: unknown; bytes: number }>();
  let held = 0;
  return {
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      entries.delete(key);
      entries.set(key, e);
      return e.value;
    },
    set(key, value, bytes) {
      const old = entries.get(key);
      if (old) {
        held -= old.bytes;
        entries.delete(key);
      }
      if (bytes > maxBytes) return;
      for (const [k, e] of entries) {
        if (held + bytes <= maxBytes) break;
        entries.delete(k);
        held -= e.bytes;
      }
      entries.set(key, { value, bytes });
      held += bytes;
    },
    get bytes() {
      return held;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
      held = 0;
    },
  };
}

/** Whether the data files a notebook's outputs were computed from are still the files on disk.
 *  A prices or funding cell that read a file saves the file's fingerprint with its output (the
 *  results' `data.file`: SHA-256 of the bytes and the size, src/data/fingerprint.ts). The editor
 *  and `hedgebook export` hash the files again (src/data, under the file rule) and hand the
 *  session what they found (`DiskFiles`); the session (session.ts) marks stale every cell whose
 *  shown outputs were computed from a file that changed, and everything downstream of it. Pure:
 *  this module compares fingerprints and words the outcome; it reads nothing. */
import type { CellResult } from '../results';

/** A file a cell's shown outputs were computed from, as it was read then. `source` names the
 *  file as the cell wrote it (relative to the notebook), as the outputs' provenance does. */
export interface FileRead {
  readonly source: string;
  readonly hash: string;
  readonly bytes: number;
}

/** What is on disk now, per file (`source` as the cells wrote it): its fingerprint, or null when
 *  it cannot be read now (gone, outside the folders the notebook may read, too large). A file
 *  missing from the map has not been checked (Restricted Mode, a check still running): it is
 *  taken as unchanged. */
export type DiskFiles = ReadonlyMap<
  string,
  { readonly hash: string; readonly bytes: number } | null
>;

/** A file whose content on disk is not what a cell's outputs were computed from. */
export interface ChangedFile {
  readonly source: string;
  /** True when the file cannot be read any more (rather than holding other bytes). */
  readonly gone: boolean;
}

/** The files a cell's results were computed from, as read (their provenance's `file`), each
 *  once. Results of exchange data, and outputs saved before fingerprints were, name none. The
 *  editor hands saved metadata unvalidated: anything not of the expected shape is skipped. */
export function filesReadBy(provenances: readonly (CellResult['data'] | undefined)[]): FileRead[] {
  const out: FileRead[] = [];
  for (const d of provenances) {
    const file: unknown = d?.file;
    if (d === undefined || typeof d.source !== 'string' || !isFingerprint(file)) continue;
    if (out.some((f) => f.source === d.source && f.hash === file.hash)) continue;
    out.push({ source: d.source, hash: file.hash, bytes: file.bytes });
  }
  return out;
}

const isFingerprint = (f: unknown): f is { hash: string; bytes: number } =>
  typeof f === 'object' &&
  f !== null &&
  typeof (f as { hash?: unknown }).hash === 'string' &&
  typeof (f as { bytes?: unknown }).bytes === 'number';

/** The files among `read` whose content on disk differs from what was read (or that cannot be
 *  read now). O(files). */
export function changedFiles(read: readonly FileRead[], disk: DiskFiles): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (const f of read) {
    if (!disk.has(f.source)) continue;
    const now = disk.get(f.source) ?? null;
    if (now !== null && now.hash === f.hash && now.bytes === f.bytes) continue;
    if (!out.some((c) => c.source === f.source)) out.push({ source: f.source, gone: now === null });
  }
  return out;
}

/** Why the outputs are stale, in words, for the status bar and the report: "data/daily.csv
 *  changed on disk since these outputs were computed; run the cell to update them." */
export function changedFilesWords(files: readonly ChangedFile[]): string {
  const names = (list: readonly ChangedFile[]) => {
    const shown = list.slice(0, 3).map((f) => f.source);
    const more = list.length - shown.length;
    return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
  };
  const changed = files.filter((f) => !f.gone);
  const gone = files.filter((f) => f.gone);
  const parts = [
    ...(changed.length > 0 ? [`${names(changed)} changed on disk`] : []),
    ...(gone.length > 0 ? [`${names(gone)} can no longer be read`] : []),
  ];
  return `${parts.join(', and ')} since these outputs were computed; run the cell to update them.`;
}

/** A price or funding file's fingerprint: the SHA-256 of its bytes and its size, saved with the
 *  outputs of the cell that read it, so reopening the notebook can tell whether the file on disk
 *  is still the one those outputs were computed from (src/notebook/data-files.ts decides which
 *  cells that makes stale). The bytes, not the modification time: a git clone or a copy changes
 *  the time of an unchanged file, and an edit can keep it. Line ends are hashed as '\n' (CRLF
 *  and a lone CR alike), as the cells' source hash does: a clone on Windows that turns LF into
 *  CRLF (git's core.autocrlf) leaves the fingerprint as it was; `bytes` counts them so too.
 *
 *  - `Fingerprinter`: fed the chunks a reader already holds (files.ts), so reading a file costs
 *    one pass of SHA-256 more (about 1 s per GB here), not a second read.
 *  - `fingerprintFile`: the fingerprint of a file now, streamed in chunks (memory: one chunk),
 *    within the readers' size limit, cancellable between two chunks.
 *  - `diskFingerprints`: the fingerprints of the files a notebook's outputs name, each resolved
 *    under the file rule first (paths.ts): a file the notebook may not read is not opened. */
import { createHash, type Hash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fail, ok, type Problem, type Result } from '../engine/result';
import { LIMITS } from './limits';
import { resolveDataFile, type FileAccess, type PathFs } from './paths';
import { readFileChunked } from './read';

/** `hash`: 'sha256:' + 64 hex digits of the file's bytes; `bytes`: its size (line ends as '\n'). */
export interface FileFingerprint {
  readonly hash: string;
  readonly bytes: number;
}

const PREFIX = 'sha256:';
const CR = 13;
const LF = 10;
const LF_BYTE = Buffer.from([LF]);

/** A streaming fingerprint: `update` with each chunk in order, then `digest` once. */
export class Fingerprinter {
  private readonly h: Hash = createHash('sha256');
  private bytes = 0;
  /** The last chunk ended with a CR (already hashed as LF): a LF starting the next is skipped. */
  private cr = false;

  /** O(chunk). A chunk without CR (the usual case) is hashed as it is. */
  update(chunk: Uint8Array): void {
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = this.cr && b[0] === LF ? 1 : 0;
    this.cr = false;
    for (let at = b.indexOf(CR, start); at >= 0; at = b.indexOf(CR, start)) {
      this.take(b.subarray(start, at));
      this.take(LF_BYTE);
      start = at + 1;
      if (start === b.length) this.cr = true;
      else if (b[start] === LF) start++;
    }
    this.take(b.subarray(start));
  }

  private take(part: Uint8Array): void {
    if (part.length === 0) return;
    this.h.update(part);
    this.bytes += part.length;
  }

  digest(): FileFingerprint {
    return { hash: PREFIX + this.h.digest('hex'), bytes: this.bytes };
  }
}

/** The fingerprint of bytes already in memory. O(n). */
export function fingerprintOf(bytes: Uint8Array): FileFingerprint {
  const f = new Fingerprinter();
  f.update(bytes);
  return f.digest();
}

/** True when two fingerprints name the same content. */
export const sameFingerprint = (a: FileFingerprint, b: FileFingerprint): boolean =>
  a.hash === b.hash && a.bytes === b.bytes;

/** The file at `absPath` (already allowed by the caller) hashed in chunks: at most `maxBytes`
 *  (default the readers' LIMITS.fileBytes; a larger file is `file_too_large`, as the reader
 *  would say), only a regular file, stopped by `signal` between chunks (`cancelled`). */
export async function fingerprintFile(
  absPath: string,
  file: string,
  opts: { signal?: AbortSignal; maxBytes?: number } = {},
): Promise<Result<FileFingerprint & { stat: Stats }>> {
  const f = new Fingerprinter();
  const r = await readFileChunked(
    absPath,
    file,
    {
      maxBytes: opts.maxBytes ?? LIMITS.fileBytes,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    (chunk) => {
      f.update(chunk);
      return true;
    },
  );
  if (!r.ok) return r;
  return ok({ ...f.digest(), stat: r.value.stat });
}

/** Fingerprints already made, by what identifies a file's content on disk (path, size, times,
 *  inode, as the dataset cache keys it): a check when nothing changed costs a stat per file.
 *  Only ever a shortcut: a file whose stat changed is hashed again. */
export type FingerprintMemo = Map<string, FileFingerprint>;

const MEMO_ENTRIES = 256;

const memoKey = (absPath: string, st: Stats): string =>
  [absPath, st.size, st.mtimeMs, st.ctimeMs, st.ino].join('\u0000');

/** What the file rule refuses to open: such a file is not checked at all (its outputs are not
 *  called stale for it), and the caller may say why (`unchecked`). */
const REFUSED = new Set([
  'file_outside_allowed',
  'file_not_data',
  'notebook_unsaved_relative_file',
]);

export interface DiskCheck {
  /** Per file (as the cells wrote it): its fingerprint now, or null when it cannot be read now
   *  (gone, not a regular file, too large, unreadable). Files the rule refuses are left out. */
  readonly disk: Map<string, FileFingerprint | null>;
  /** Why the files left out were not checked (the file rule's problems, unworded). */
  readonly unchecked: readonly Problem[];
}

/** What is on disk now for each file (`file` as the cells wrote it, relative to the notebook),
 *  each resolved under the file rule before a byte is read. Files are hashed one after another,
 *  in chunks; `signal` stops the whole check (then the result is `cancelled`). `memo` keeps the
 *  fingerprints made, so a check when nothing changed costs a stat per file. */
export async function diskFingerprints(
  files: readonly string[],
  access: FileAccess,
  opts: { signal?: AbortSignal; memo?: FingerprintMemo; maxBytes?: number; fs?: PathFs } = {},
): Promise<Result<DiskCheck>> {
  const disk = new Map<string, FileFingerprint | null>();
  const unchecked: Problem[] = [];
  for (const file of files) {
    if (opts.signal?.aborted) return fail('cancelled', [file], { file });
    const path = await resolveDataFile(file, access, opts.fs);
    if (!path.ok) {
      const p = path.problems[0];
      if (p && REFUSED.has(p.code)) unchecked.push(p);
      else disk.set(file, null);
      continue;
    }
    const st = opts.memo ? await stat(path.value).catch(() => null) : null;
    const known = st && opts.memo?.get(memoKey(path.value, st));
    if (known) {
      disk.set(file, known);
      continue;
    }
    const r = await fingerprintFile(path.value, file, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
    });
    if (!r.ok) {
      if (r.problems[0]?.code === 'cancelled') return r;
      disk.set(file, null);
      continue;
    }
    const { stat: s, ...fingerprint } = r.value;
    if (opts.memo) {
      if (opts.memo.size >= MEMO_ENTRIES) opts.memo.clear();
      opts.memo.set(memoKey(path.value, s), fingerprint);
    }
    disk.set(file, fingerprint);
  }
  return ok({ disk, unchecked });
}

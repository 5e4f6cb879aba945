/** Reading a file the user named, within a budget: only regular files (a FIFO would block
 *  forever, /dev/zero or /dev/urandom never end), at most `maxBytes`, in chunks, so progress can
 *  be reported and a cancel (the signal) stops it between two chunks. The caller passes an
 *  absolute path that it has already decided may be read. */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { fail, ok, type Result } from '../engine/result';
import type { Progress } from './progress';

export interface ReadBudget {
  /** Larger files are refused (`file_too_large`) before a byte is read. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** Bytes per read; default 4 MiB. */
  readonly chunkBytes?: number;
}

export interface FileRead {
  readonly bytes: Buffer;
  readonly stat: Stats;
}

/** What kind of thing a path names, in a user's words (for `file_not_regular`). */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; with it the
// open returns at once and fstat says what it is. It changes nothing for regular files.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Reads the file chunk by chunk into one reused buffer, handing each chunk to `onChunk` (valid
 *  only during the call); `onChunk` returns false to stop early (`stopped`). Problems name
 *  `file` (as the user wrote it): file_not_found, file_not_regular, file_too_large,
 *  file_unreadable, cancelled. A file that grows while it is read is read on up to `maxBytes`. */
export async function readFileChunked(
  absPath: string,
  file: string,
  budget: ReadBudget,
  onChunk: (chunk: Buffer, stat: Stats) => boolean,
): Promise<Result<{ stat: Stats; bytes: number; stopped: boolean }>> {
  let handle: FileHandle;
  try {
    handle = await open(absPath, OPEN_FLAGS);
  } catch (e) {
    return ioProblem(e, file, absPath);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return fail('file_not_regular', [file], { file, kind: kindOf(st) });
    if (st.size > budget.maxBytes)
      return fail('file_too_large', [file], { file, bytes: st.size, limit: budget.maxBytes });
    const buf = Buffer.allocUnsafe(
      Math.max(1, Math.min(Math.max(64 * 1024, budget.chunkBytes ?? 4 * 1024 * 1024), st.size + 1)),
    );
    let done = 0;
    for (;;) {
      if (budget.signal?.aborted) return fail('cancelled', [file], { file });
      const { bytesRead } = await handle.read(buf, 0, buf.length, done);
      if (bytesRead === 0) break;
      done += bytesRead;
      if (done > budget.maxBytes)
        return fail('file_too_large', [file], { file, bytes: done, limit: budget.maxBytes });
      budget.onProgress?.({ phase: 'read', done, total: Math.max(st.size, done), unit: 'bytes' });
      if (!onChunk(buf.subarray(0, bytesRead), st))
        return ok({ stat: st, bytes: done, stopped: true });
    }
    return ok({ stat: st, bytes: done, stopped: false });
  } catch (e) {
    return ioProblem(e, file, absPath);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The whole file's bytes (read as readFileChunked reads it). */
export async function readFileBounded(
  absPath: string,
  file: string,
  budget: ReadBudget,
): Promise<Result<FileRead>> {
  let out: Buffer | null = null;
  let at = 0;
  const r = await readFileChunked(absPath, file, budget, (chunk, st) => {
    if (out === null) out = Buffer.allocUnsafe(st.size);
    if (at + chunk.length > out.length) {
      // The file grew since fstat.
      const grown = Buffer.allocUnsafe(Math.max(2 * out.length, at + chunk.length));
      out.copy(grown, 0, 0, at);
      out = grown;
    }
    chunk.copy(out, at);
    at += chunk.length;
    return true;
  });
  if (!r.ok) return r;
  const bytes: Buffer = out ?? Buffer.alloc(0);
  return ok({ bytes: at === bytes.length ? bytes : bytes.subarray(0, at), stat: r.value.stat });
}

function ioProblem(e: unknown, file: string, absPath: string): Result<never> {
  const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
  if (code === 'ENOENT') return fail('file_not_found', [file], { file, absPath });
  if (code === 'EISDIR') return fail('file_not_regular', [file], { file, kind: 'a folder' });
  return fail('file_unreadable', [file], { file, reason: code });
}

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

/** The file's bytes, or a problem naming `file` (as the user wrote it): file_not_found,
 *  file_not_regular, file_too_large, file_unreadable, cancelled. */
export async function readFileBounded(
  absPath: string,
  file: string,
  budget: ReadBudget,
): Promise<Result<FileRead>> {
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
    const chunk = Math.max(64 * 1024, budget.chunkBytes ?? 4 * 1024 * 1024);
    const total = st.size;
    let buf = Buffer.allocUnsafe(total);
    let done = 0;
    for (;;) {
      if (budget.signal?.aborted) return fail('cancelled', [file], { file });
      if (done === buf.length) {
        // The file grew since fstat: read on, within the budget.
        const probe = Buffer.allocUnsafe(1);
        const { bytesRead } = await handle.read(probe, 0, 1, done);
        if (bytesRead === 0) break;
        if (done + 1 > budget.maxBytes)
          return fail('file_too_large', [file], { file, bytes: done + 1, limit: budget.maxBytes });
        const grown = Buffer.allocUnsafe(Math.min(budget.maxBytes, Math.max(2 * buf.length, 1024)));
        buf.copy(grown, 0, 0, done);
        probe.copy(grown, done);
        buf = grown;
        done += 1;
        continue;
      }
      const want = Math.min(chunk, buf.length - done);
      const { bytesRead } = await handle.read(buf, done, want, done);
      if (bytesRead === 0) break;
      done += bytesRead;
      budget.onProgress?.({ phase: 'read', done, total: Math.max(total, done), unit: 'bytes' });
    }
    return ok({ bytes: done === buf.length ? buf : buf.subarray(0, done), stat: st });
  } catch (e) {
    return ioProblem(e, file, absPath);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function ioProblem(e: unknown, file: string, absPath: string): Result<never> {
  const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
  if (code === 'ENOENT') return fail('file_not_found', [file], { file, absPath });
  if (code === 'EISDIR') return fail('file_not_regular', [file], { file, kind: 'a folder' });
  return fail('file_unreadable', [file], { file, reason: code });
}

/** Writing the CLI's files (the notebook in place, the report, the results) so that a reader
 *  never sees half a file and the user's file keeps what it was:
 *  - a temporary file in the target's folder, then a rename over the target (atomic);
 *  - through a symbolic link: the link's target is replaced, the link stays a link;
 *  - the target's permission bits are kept; a read-only target is refused, untouched;
 *  - the temporary file is removed on any error, registered in `temps` so a signal handler can
 *    remove it when the process is stopped mid-write, and named after the target and the
 *    writing process, so a later run removes what a killed run (kill -9) left behind. */
import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** What a write may tell the user (a stale temporary file removed). */
export interface WriteOptions {
  /** Temporary files being written now (removed by the process's signal handlers). */
  readonly temps?: Set<string>;
  readonly note?: (text: string) => void;
  /** Whether a process id is alive (injectable for tests). */
  readonly alive?: (pid: number) => boolean;
}

/** The error thrown for a target that must not be replaced. */
export class RefusedWrite extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'read_only' | 'not_a_file',
  ) {
    super(reason === 'read_only' ? 'it is read-only' : 'it is not a regular file');
  }
}

const TEMP_SUFFIX = '.hedgebook-tmp';

/** `.NAME.PID-RANDOM.hedgebook-tmp` beside NAME. */
export function tempName(target: string, pid: number = process.pid): string {
  return join(
    dirname(target),
    `.${basename(target)}.${pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`,
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** The file a write to `path` must replace: the end of its chain of links (a dangling link's
 *  target too), or `path` itself. */
export async function writeTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let info;
    try {
      info = await lstat(current);
    } catch {
      return current; // does not exist (yet): written as a new file
    }
    if (!info.isSymbolicLink()) return await realpath(current);
    current = resolve(dirname(current), await readlink(current));
  }
  return realpath(path); // too many links: let realpath report ELOOP
}

const sizeWords = (bytes: number): string =>
  bytes < 1e3
    ? `${bytes} bytes`
    : bytes < 1e6
      ? `${(bytes / 1e3).toFixed(1)} kB`
      : `${(bytes / 1e6).toFixed(1)} MB`;

/** Removes temporary files a killed run left beside `target` (their writer is gone), saying so. */
export async function removeStaleTemps(target: string, opts: WriteOptions = {}): Promise<void> {
  const alive = opts.alive ?? processAlive;
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const m = /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (!m || alive(Number(m[1]))) continue;
    const path = join(dirname(target), name);
    try {
      const size = (await stat(path)).size;
      await rm(path, { force: true });
      opts.note?.(
        `removed ${name} (${sizeWords(size)}), a temporary file left by an interrupted run`,
      );
    } catch {
      // gone already, or not ours to remove
    }
  }
}

/** Throws RefusedWrite when `path` exists and must not be replaced (read-only, or not a regular
 *  file), so a run can refuse before it does any work. */
export async function checkWritable(path: string): Promise<void> {
  const target = await writeTarget(path);
  let info;
  try {
    info = await stat(target);
  } catch {
    return; // does not exist: the write reports its own problem
  }
  if (!info.isFile()) throw new RefusedWrite(path, 'not_a_file');
  if ((info.mode & 0o222) === 0) throw new RefusedWrite(path, 'read_only');
}

/** Writes `text` to `path` atomically (see the module comment). Throws RefusedWrite for a
 *  read-only or non-regular target, and the file system's error otherwise; the target is then
 *  exactly as it was. */
export async function writeFileAtomic(
  path: string,
  text: string,
  opts: WriteOptions = {},
): Promise<void> {
  const target = await writeTarget(path);
  let mode: number | null = null;
  try {
    const info = await stat(target);
    if (!info.isFile()) throw new RefusedWrite(path, 'not_a_file');
    mode = info.mode & 0o7777;
  } catch (e) {
    if (e instanceof RefusedWrite) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // No write bit for anyone: the user made it read-only (root could write it anyway).
  if (mode !== null && (mode & 0o222) === 0) throw new RefusedWrite(path, 'read_only');
  await removeStaleTemps(target, opts);
  const tmp = tempName(target);
  opts.temps?.add(tmp);
  try {
    await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    if (mode !== null) await chmod(tmp, mode);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    opts.temps?.delete(tmp);
  }
}

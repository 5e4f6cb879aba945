/** Which files a notebook may read: the one rule both the CLI (src/cli/runner.ts) and the editor
 *  (src/vscode/controller.ts) apply before a price file is opened (docs/data.md, "Which files a
 *  notebook may read").
 *
 *  The rule: a `file:` is resolved against the notebook's folder (`base`). It is read only when
 *  - the file it really is (symbolic links followed) lies under one of the allowed roots: the
 *    notebook's folder, the workspace folders in the editor, and the folders (or files) the user
 *    allowed explicitly (`hedgebook run --allow-path DIR`, the `hedgebook.allowedPaths` setting),
 *  - it names a price file: its name (and its target's) ends in .csv, .tsv, .txt or .json,
 *  - and it is a regular file (not a folder, a device or a pipe).
 *  Anything else is refused before a byte of it is read, so no content of a file that is not a
 *  price file can reach an output. An untitled notebook has no folder: relative paths resolve
 *  against the first workspace folder, and with none only absolute paths under an allowed root
 *  can be read.
 *
 *  The decisions are pure functions of paths (`lexicalDataPath`, `checkRealDataPath`);
 *  `resolveDataFile` adds the file system (realpath, stat) around them. */
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fail, ok, type Result } from '../engine/result';

/** The extensions a price or funding file may have (case-insensitive). */
export const DATA_FILE_EXTENSIONS = ['.csv', '.tsv', '.txt', '.json'] as const;

/** Where a notebook may read files from. */
export interface FileAccess {
  /** The folder relative paths resolve against (the notebook's folder); null when there is none
   *  (an untitled notebook without a workspace folder). Absolute. */
  readonly base: string | null;
  /** Absolute folders (or files) under which files may be read. */
  readonly roots: readonly string[];
}

/** True when `path` is `root` or lies under it (both absolute and normalized). */
export function isUnder(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** `~/data` -> the home folder's data; relative entries resolve against `cwd`. */
export function expandUserPath(path: string, cwd: string, home: string = homedir()): string {
  const p = path.trim();
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith(`~${sep}`)) return resolve(home, p.slice(2));
  return resolve(cwd, p);
}

/** The access a notebook gets: its folder (if saved), the workspace folders and the allow list,
 *  deduplicated. `base` is the notebook's folder, else the first workspace folder. */
export function fileAccess(opts: {
  notebookDir: string | null;
  workspaceFolders?: readonly string[];
  allowed?: readonly string[];
}): FileAccess {
  const workspace = opts.workspaceFolders ?? [];
  const roots = [
    ...(opts.notebookDir !== null ? [opts.notebookDir] : []),
    ...workspace,
    ...(opts.allowed ?? []),
  ].map((r) => resolve(r));
  return {
    base: opts.notebookDir ?? workspace[0] ?? null,
    roots: [...new Set(roots)],
  };
}

const hasDataExtension = (path: string): boolean =>
  (DATA_FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());

/** Step 1, pure: the absolute path a cell's `file:` names, refused when it is not a price file's
 *  name or lies outside every allowed root as written. Problems name the file as the cell wrote it. */
export function lexicalDataPath(file: string, access: FileAccess): Result<string> {
  if (!isAbsolute(file) && access.base === null)
    return fail('notebook_unsaved_relative_file', [file], { file });
  const path = isAbsolute(file) ? resolve(file) : resolve(access.base ?? '', file);
  if (!access.roots.some((r) => isUnder(path, r)))
    return fail('file_outside_allowed', [file], { file, path, roots: access.roots.join(', ') });
  if (!hasDataExtension(path))
    return fail('file_not_data', [file], { file, extensions: DATA_FILE_EXTENSIONS.join(', ') });
  return ok(path);
}

/** Step 2, pure: the same checks on the file's real path (links followed) against the real
 *  paths of the roots. A link inside the folder that points outside it is refused here. */
export function checkRealDataPath(
  file: string,
  real: string,
  realRoots: readonly string[],
): Result<string> {
  if (!realRoots.some((r) => isUnder(real, r)))
    return fail('file_outside_allowed', [file], {
      file,
      path: real,
      link: true,
      roots: realRoots.join(', '),
    });
  if (!hasDataExtension(real))
    return fail('file_not_data', [file], {
      file,
      target: real,
      extensions: DATA_FILE_EXTENSIONS.join(', '),
    });
  return ok(real);
}

/** The file system calls resolveDataFile makes (injectable for tests). */
export interface PathFs {
  realpath(path: string): Promise<string>;
  isFile(path: string): Promise<boolean>;
}

const nodeFs: PathFs = {
  realpath: (p) => realpath(p),
  isFile: async (p) => (await stat(p)).isFile(),
};

async function realOr(fs: PathFs, path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch {
    return path; // a root that does not exist (yet) keeps its written path
  }
}

/** Resolves a cell's `file:` under the rule above: the real path of the file to open, or a
 *  problem (`file_outside_allowed`, `file_not_data`, `file_not_regular`, `file_not_found`,
 *  `notebook_unsaved_relative_file`). Reads nothing but the file system's metadata. */
export async function resolveDataFile(
  file: string,
  access: FileAccess,
  fs: PathFs = nodeFs,
): Promise<Result<string>> {
  const realRoots = await Promise.all(access.roots.map((r) => realOr(fs, r)));
  // A root reached through a link (macOS's /tmp) also allows paths written through its target.
  const lexical = lexicalDataPath(file, {
    base: access.base,
    roots: [...new Set([...access.roots, ...realRoots])],
  });
  if (!lexical.ok) return lexical;
  let real: string;
  try {
    real = await fs.realpath(lexical.value);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return fail('file_not_found', [file], { file, absPath: lexical.value });
    return fail('file_unreadable', [file], { file, reason: code });
  }
  const checked = checkRealDataPath(file, real, realRoots);
  if (!checked.ok) return checked;
  try {
    if (!(await fs.isFile(real))) return fail('file_not_regular', [file], { file });
  } catch (e) {
    return fail('file_unreadable', [file], {
      file,
      reason: (e as NodeJS.ErrnoException).code ?? 'unknown',
    });
  }
  return ok(real);
}

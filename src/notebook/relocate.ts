/** Paths that survive saving. A prices cell's relative `file:` resolves against the notebook's
 *  folder (an untitled notebook: the first workspace folder; docs/data.md, the file rule). When a
 *  notebook is saved into another folder, its relative paths would name files that are not
 *  there. `relocation` finds those (the file exists where the path pointed before and not where
 *  it points now) and says how to keep them working: rewrite the path so it names the same file
 *  from the new folder, or copy the file next to the notebook. Pure: the caller says which files
 *  exist. */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { validateCell } from './check';
import { parseCell, type Path } from './parse';
import type { Range } from './location';

/** A relative `file:` written in a prices cell, and where. */
export interface FileReference {
  readonly cellId: string;
  readonly file: string;
  /** The range of the path in the cell (the value the user wrote). */
  readonly range: Range;
}

/** The relative file paths the prices cells of a notebook write. */
export function fileReferences(cells: readonly { id: string; text: string }[]): FileReference[] {
  const out: FileReference[] = [];
  for (const c of cells) {
    const checked = validateCell(parseCell(c.text));
    const spec = checked.spec;
    if (spec?.kind !== 'prices' || spec.file === null || isAbsolute(spec.file)) continue;
    // `prices: data/daily.csv` writes the path as the head; else it is the `file:` value.
    const path: Path = checked.parsed.value.file !== undefined ? ['file'] : ['prices'];
    const written = checked.parsed.sourceAt(path)?.replace(/^(['"])(.*)\1$/, '$2');
    if (written !== spec.file) continue; // written in a way we cannot rewrite in place
    out.push({ cellId: c.id, file: spec.file, range: checked.parsed.locate(path) });
  }
  return out;
}

export interface Relocation {
  readonly reference: FileReference;
  /** Where the file is (absolute). */
  readonly from: string;
  /** Where the path now points (absolute): nothing is there. */
  readonly to: string;
  /** The path that names `from` from the new folder (forward slashes). */
  readonly rewritten: string;
}

/** The references that break when the notebook's folder changes from `oldBase` to `newBase`:
 *  the file exists under the old folder and not under the new one. */
export function relocation(
  references: readonly FileReference[],
  oldBase: string,
  newBase: string,
  exists: (absolutePath: string) => boolean,
): Relocation[] {
  if (resolve(oldBase) === resolve(newBase)) return [];
  return references.flatMap((reference) => {
    const from = resolve(oldBase, reference.file);
    const to = resolve(newBase, reference.file);
    if (exists(to) || !exists(from)) return [];
    const rewritten = relative(newBase, from).split(sep).join(posix.sep);
    return [{ reference, from, to, rewritten }];
  });
}

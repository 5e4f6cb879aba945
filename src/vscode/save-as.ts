/** Paths that survive Save As (src/notebook/relocate.ts). A notebook's relative `file:` paths
 *  resolve against its folder (an untitled notebook: the first workspace folder). Saving it into
 *  another folder opens it there: when a path that named an existing file would now name
 *  nothing, Hedgebook offers to rewrite the paths (they then name the same files from the new
 *  folder) or to copy the files next to the notebook, instead of a run that fails in cascade. */
import * as vscode from 'vscode';
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { lexicalDataPath } from '../data/paths';
import { NOTEBOOK_TYPE } from '../notebook/file-type';
import type { Relocation } from '../notebook/relocate';
import { notebookAccess } from './controller';
import { HEDGE_LANGUAGE } from './diagnostics';
import { notebookLayer } from './lazy';

/** How long after one notebook closes another with the same cells counts as its Save As. */
const SAVE_AS_WINDOW_MS = 10_000;

interface Seen {
  readonly uri: string;
  readonly base: string | null;
  readonly cells: string;
  readonly at: number;
}

const cellsOf = (nb: vscode.NotebookDocument) =>
  nb
    .getCells()
    .filter(
      (c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === HEDGE_LANGUAGE,
    )
    .map((c) => ({ id: c.document.uri.toString(), text: c.document.getText() }));

const fingerprint = (nb: vscode.NotebookDocument) =>
  cellsOf(nb)
    .map((c) => c.text)
    .join('\u0000');

/** Offers to fix the relative paths of `nb`, saved from a notebook whose files resolved against
 *  `oldBase`. Returns what the user chose (tests pass `choice` to skip the question). */
export async function offerRelocation(
  nb: vscode.NotebookDocument,
  oldBase: string,
  choice?: 'rewrite' | 'copy',
): Promise<'rewrite' | 'copy' | 'none'> {
  const newBase = notebookAccess(nb).base;
  if (newBase === null) return 'none';
  const { fileReferences, relocation } = notebookLayer();
  const moves = relocation(fileReferences(cellsOf(nb)), oldBase, newBase, existsSync);
  if (moves.length === 0) return 'none';
  const access = notebookAccess(nb);
  const readable = moves.every((m) => lexicalDataPath(m.rewritten, access).ok);
  const names = moves.map((m) => m.reference.file).join(', ');
  const REWRITE = 'Rewrite the paths';
  const COPY = 'Copy the files here';
  let picked = choice;
  if (picked === undefined) {
    const answer = await vscode.window.showWarningMessage(
      `This notebook now lives in another folder: ${names} ${moves.length === 1 ? 'is' : 'are'} ` +
        `not next to it. Rewrite the ${moves.length === 1 ? 'path' : 'paths'} to name the ` +
        `same ${moves.length === 1 ? 'file' : 'files'} from here, or copy ` +
        `${moves.length === 1 ? 'it' : 'them'} next to the notebook?` +
        (readable ? '' : ' (Rewritten paths would lead outside the folders it may read.)'),
      ...(readable ? [REWRITE, COPY] : [COPY]),
    );
    picked = answer === REWRITE ? 'rewrite' : answer === COPY ? 'copy' : undefined;
  }
  if (picked === 'rewrite') {
    await rewrite(moves);
    return 'rewrite';
  }
  if (picked === 'copy') {
    for (const m of moves) {
      if (existsSync(m.to)) continue;
      await mkdir(dirname(m.to), { recursive: true });
      await copyFile(m.from, m.to);
    }
    return 'copy';
  }
  return 'none';
}

async function rewrite(moves: readonly Relocation[]): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const m of moves) {
    const r = m.reference.range;
    const range = new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === m.reference.cellId);
    const q = /^(['"])/.exec(doc?.getText(range) ?? '')?.[1] ?? '';
    edit.replace(vscode.Uri.parse(m.reference.cellId), range, `${q}${m.rewritten}${q}`);
  }
  await vscode.workspace.applyEdit(edit);
}

export function registerSaveAs(): vscode.Disposable {
  const closed: Seen[] = [];
  const opened: Seen[] = [];
  const seen = (nb: vscode.NotebookDocument): Seen => ({
    uri: nb.uri.toString(),
    base: notebookAccess(nb).base,
    cells: fingerprint(nb),
    at: Date.now(),
  });
  const recent = (list: Seen[]) => {
    const now = Date.now();
    while (list.length > 0 && now - (list[0]?.at ?? 0) > SAVE_AS_WINDOW_MS) list.shift();
    return list;
  };
  const pair = (from: Seen, to: vscode.NotebookDocument) => {
    if (from.uri === to.uri.toString() || from.cells !== fingerprint(to) || from.base === null)
      return;
    if (to.uri.scheme !== 'file') return;
    void offerRelocation(to, from.base);
  };
  return vscode.Disposable.from(
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      if (nb.notebookType !== NOTEBOOK_TYPE) return;
      const s = seen(nb);
      const match = recent(opened).find((o) => o.cells === s.cells && o.uri !== s.uri);
      const target =
        match && vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === match.uri);
      if (target) pair(s, target);
      else closed.push(s);
    }),
    vscode.workspace.onDidOpenNotebookDocument((nb) => {
      if (nb.notebookType !== NOTEBOOK_TYPE) return;
      const s = seen(nb);
      const match = recent(closed).find((c) => c.cells === s.cells && c.uri !== s.uri);
      if (match) pair(match, nb);
      else opened.push(s);
    }),
  );
}

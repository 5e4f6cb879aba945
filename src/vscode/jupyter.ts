/** Hedge cells inside Jupyter notebooks (.ipynb, VS Code's own serializer): what it takes for
 *  them to survive a save and reopen, and to say what Hedgebook does not run.
 *
 *  - Language: VS Code's .ipynb serializer writes a cell's language only when it differs from
 *    the notebook's (metadata.language_info.name, else the first code cell's), and reopens
 *    cells without one in the notebook's language, else Python. A notebook with no
 *    language_info whose cells are all hedge therefore reopened as Python. When Hedgebook runs
 *    such a notebook it sets language_info to hedge (only if neither language_info nor a
 *    kernelspec is there), so hedge cells reopen as hedge and other cells keep their own.
 *  - Output metadata: that serializer saves an output's `metadata.metadata` as the Jupyter
 *    output's metadata and drops the rest, so Hedgebook's (when, how long, on what data, from
 *    what) goes under `metadata.metadata.hedgebook`, and is read back from there.
 *  - Cells in other languages: VS Code never hands them to a kernel that does not list their
 *    language; Hedgebook says so on the cell (status bar) and once after a Run All. */
import * as vscode from 'vscode';
import type { OutputMetadata } from '../notebook/file-format';
import { HEDGE_LANGUAGE } from './diagnostics';

export const JUPYTER_TYPE = 'jupyter-notebook';

type Meta = Record<string, unknown>;
const isRecord = (v: unknown): v is Meta =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The metadata to give a Hedgebook output in a notebook of this type. */
export function outputMetadataFor(notebookType: string, meta: OutputMetadata): Meta {
  return notebookType === JUPYTER_TYPE ? { metadata: { hedgebook: meta } } : meta;
}

/** Hedgebook's output metadata from either shape (a .hedgebook output, or an .ipynb one). */
export function readOutputMetadata(metadata: unknown): Partial<OutputMetadata> | undefined {
  if (!isRecord(metadata)) return undefined;
  const inner = isRecord(metadata.metadata) ? metadata.metadata.hedgebook : undefined;
  if (isRecord(inner)) return inner as Partial<OutputMetadata>;
  return 'computedAt' in metadata ? (metadata as Partial<OutputMetadata>) : undefined;
}

/** Sets the notebook's language to hedge when it has none, so its hedge cells reopen as hedge. */
export async function ensureHedgeLanguage(notebook: vscode.NotebookDocument): Promise<void> {
  if (notebook.notebookType !== JUPYTER_TYPE) return;
  const meta: Meta = { ...notebook.metadata };
  const jupyter: Meta = isRecord(meta.metadata) ? { ...meta.metadata } : {};
  if (jupyter.language_info !== undefined || jupyter.kernelspec !== undefined) return;
  jupyter.language_info = { name: HEDGE_LANGUAGE };
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [
    vscode.NotebookEdit.updateNotebookMetadata({ ...meta, metadata: jupyter }),
  ]);
  await vscode.workspace.applyEdit(edit);
}

/** Code cells Hedgebook does not run (another language), as "3 (python)". */
export function skippedCells(notebook: vscode.NotebookDocument): string[] {
  return notebook
    .getCells()
    .filter(
      (c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId !== HEDGE_LANGUAGE,
    )
    .map((c) => `${c.index + 1} (${c.document.languageId})`);
}

/** After a run that asked for every hedge cell (Run All): says which cells were skipped and why,
 *  once per notebook and session. */
export function sayWhatWasSkipped(
  notebook: vscode.NotebookDocument,
  requested: readonly vscode.NotebookCell[],
  told: Set<string>,
): void {
  const skipped = skippedCells(notebook);
  const hedge = notebook
    .getCells()
    .filter(
      (c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === HEDGE_LANGUAGE,
    );
  const key = notebook.uri.toString();
  if (skipped.length === 0 || told.has(key) || requested.length < hedge.length) return;
  told.add(key);
  void vscode.window.showInformationMessage(
    `Hedgebook ran the hedge cells and did not run cell${skipped.length === 1 ? '' : 's'} ` +
      `${skipped.join(', ')}: it runs only cells in the hedge language. Pick another kernel ` +
      `to run those, or change a cell's language to hedge.`,
  );
}

/** A status bar note on code cells Hedgebook will not run, in notebooks whose kernel it is. */
export class SkippedCellStatusBar implements vscode.NotebookCellStatusBarItemProvider {
  constructor(
    private readonly isSelected: (notebook: vscode.NotebookDocument) => boolean,
    readonly onDidChangeCellStatusBarItems: vscode.Event<void>,
  ) {}

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    if (cell.kind !== vscode.NotebookCellKind.Code || cell.document.languageId === HEDGE_LANGUAGE)
      return [];
    if (!this.isSelected(cell.notebook)) return [];
    const item = new vscode.NotebookCellStatusBarItem(
      `$(circle-slash) not run by Hedgebook (${cell.document.languageId})`,
      vscode.NotebookCellStatusBarAlignment.Left,
    );
    item.tooltip =
      'The Hedgebook kernel runs only cells in the hedge language. Pick another kernel to run ' +
      'this cell, or change its language to hedge.';
    return [item];
  }
}

/** NotebookSerializer for `.hedgebook`: wraps the pure mapping (mapping.ts) in VS Code's classes.
 *
 *  A malformed or newer file makes deserializeNotebook THROW with the located problems. VS Code
 *  then shows the message in the editor area and creates no notebook document, so nothing can
 *  be saved over the file (returning an empty notebook instead would let a later save wipe it). */
import * as vscode from 'vscode';
import type { PlainCell, PlainNotebook } from './mapping';
import { notebookLayer } from './lazy';

export const serializerOptions: vscode.NotebookDocumentContentOptions = {
  transientOutputs: false,
  // Cell metadata is not part of the file: changing it must not make the notebook dirty.
  transientCellMetadata: { inputCollapsed: true, outputCollapsed: true },
};

export class HedgebookSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const { bytesToPlain, openErrorMessage } = notebookLayer(); // the file format, on first open
    const plain = bytesToPlain(content);
    if (!plain.ok) throw new Error(openErrorMessage(plain.problems));
    return toNotebookData(plain.value);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return notebookLayer().plainToBytes(fromNotebookData(data));
  }
}

export function toNotebookData(plain: PlainNotebook): vscode.NotebookData {
  const cells = plain.cells.map((c) => {
    const kind =
      c.kind === 'markup' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
    const cell = new vscode.NotebookCellData(kind, c.value, c.languageId);
    cell.outputs = c.outputs.map(
      (o) =>
        new vscode.NotebookCellOutput(
          o.items.map((i) => new vscode.NotebookCellOutputItem(i.data, i.mime)),
          o.metadata,
        ),
    );
    if (c.executionSummary) cell.executionSummary = c.executionSummary;
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = plain.metadata;
  return data;
}

export function fromNotebookData(data: vscode.NotebookData): PlainNotebook {
  return {
    metadata: data.metadata ?? {},
    cells: data.cells.map((c): PlainCell => ({
      kind: c.kind === vscode.NotebookCellKind.Markup ? 'markup' : 'code',
      languageId: c.languageId,
      value: c.value,
      outputs: (c.outputs ?? []).map((o) => ({
        items: o.items.map((i) => ({ mime: i.mime, data: i.data })),
        ...(o.metadata === undefined ? {} : { metadata: o.metadata }),
      })),
    })),
  };
}

/** Commands. "Hedgebook: New Notebook" opens an untitled hedgebook notebook with a starter. */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/file-format';

export const NEW_NOTEBOOK_COMMAND = 'hedgebook.newNotebook';

export const STARTER_MARKDOWN =
  '# Hedge notebook\n\nDeclare prices, a benchmark and a portfolio, then size a hedge. ' +
  'Each code cell is a small YAML document in the `hedge` language.';
export const STARTER_CELL =
  'prices:\n  file: prices.csv   # a CSV next to this notebook: date,BTC,ETH,...';

export async function newNotebook(): Promise<vscode.NotebookEditor> {
  const data = new vscode.NotebookData([
    new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, STARTER_MARKDOWN, 'markdown'),
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, STARTER_CELL, 'hedge'),
  ]);
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  return vscode.window.showNotebookDocument(doc);
}

export function registerCommands(): vscode.Disposable {
  return vscode.commands.registerCommand(NEW_NOTEBOOK_COMMAND, newNotebook);
}

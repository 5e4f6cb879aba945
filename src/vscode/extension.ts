/** Entry point: only registers. Every feature lives in its own module under src/vscode and
 *  calls the pure layers below (src/notebook, src/outputs, src/data). */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/file-type';
import { HedgebookSerializer, serializerOptions } from './serializer';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { registerKernel, type KernelApi } from './controller';
import {
  fixToWorkspaceEdit,
  languageCells,
  notebookOf,
  registerLanguageFeatures,
} from './language';
import { registerSaveAs } from './save-as';
import { registerTrust } from './trust';
import { registerExportCommands } from './export';

export function activate(context: vscode.ExtensionContext): KernelApi {
  // The exchange-data cache: the hedgebook.cacheDirectory setting, else the extension's storage.
  const cacheDir = () =>
    vscode.workspace.getConfiguration('hedgebook').get<string>('cacheDirectory')?.trim() ||
    vscode.Uri.joinPath(context.globalStorageUri, 'exchange-cache').fsPath;
  const { kernel, disposable } = registerKernel(cacheDir);
  const isStale = (cell: vscode.NotebookCell) => kernel.isStale(cell);
  context.subscriptions.push(
    disposable,
    vscode.workspace.registerNotebookSerializer(
      NOTEBOOK_TYPE,
      new HedgebookSerializer(),
      serializerOptions,
    ),
    registerCommands(context.extensionUri.fsPath),
    registerLanguageFeatures(isStale),
    registerDiagnostics({
      modelCells: (nb) => languageCells(nb, isStale),
      notebookOf,
      fixEdit: fixToWorkspaceEdit,
      onDidRunCell: kernel.onDidRunCell,
    }),
    registerTrust(),
    registerSaveAs(),
    registerExportCommands(context.extensionUri),
  );
  // For the integration tests: which cells are stale, whether a run is in progress.
  return {
    staleCells: (notebook) => kernel.staleCells(notebook),
    staleDetails: (notebook) => kernel.staleDetails(notebook),
    isRunning: (notebook) => kernel.isRunning(notebook),
    skippedCells: (notebook) => kernel.skippedCells(notebook),
  };
}

export function deactivate(): void {}

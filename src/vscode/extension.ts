/** Entry point: only registers. Every feature lives in its own module under src/vscode and
 *  calls the pure layers below (src/notebook, src/outputs, src/data). */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/file-format';
import { HedgebookSerializer, serializerOptions } from './serializer';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(
      NOTEBOOK_TYPE,
      new HedgebookSerializer(),
      serializerOptions,
    ),
    registerCommands(),
    registerDiagnostics(),
  );
}

export function deactivate(): void {}

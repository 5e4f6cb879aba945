/** Workspace trust. The extension supports Restricted Mode in part (package.json
 *  capabilities.untrustedWorkspaces: notebooks open as notebooks, saved outputs render, cells
 *  are checked as you type, nothing runs: controller.ts). A `.hedgebook` file that was shown as
 *  text before (opened before the extension could register its notebook type) is reopened as a
 *  notebook when the workspace is trusted, unless it has unsaved text edits or does not parse as
 *  a notebook (then the text editor is where it can be fixed). */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/file-type';
import { notebookLayer } from './lazy';

/** Reopens the text tabs of `.hedgebook` files as notebooks; returns how many. */
export async function reopenTextTabsAsNotebooks(): Promise<number> {
  let reopened = 0;
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (!(tab.input instanceof vscode.TabInputText)) continue;
      const uri = tab.input.uri;
      if (!uri.path.endsWith('.hedgebook') || tab.isDirty) continue;
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch {
        continue;
      }
      if (!notebookLayer().bytesToPlain(bytes).ok) continue;
      await vscode.commands.executeCommand('vscode.openWith', uri, NOTEBOOK_TYPE, {
        viewColumn: group.viewColumn,
        preview: tab.isPreview,
        preserveFocus: !tab.isActive,
      });
      await vscode.window.tabGroups.close(tab);
      reopened++;
    }
  }
  return reopened;
}

export function registerTrust(): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(() => void reopenTextTabsAsNotebooks());
}

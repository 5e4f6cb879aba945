/** "Hedgebook: Export Report (HTML)" and "Hedgebook: Export as Jupyter Notebook": the open
 *  notebook, as it stands in the editor (outputs included, nothing run), written next to it or
 *  where the user chooses, by the same code as `hedgebook export` (src/cli/export.ts). */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import type { NotebookFile } from '../notebook/file-format';
import { NOTEBOOK_FORMAT } from '../notebook/file-type';
import { HEDGEBOOK_VERSION } from '../notebook/version';
import { readOutputMetadata } from './jupyter';
import { dataLayer, exportLayer } from './lazy';
import { notebookAccess } from './controller';
import type { DiskFiles } from '../notebook/data-files';

export const EXPORT_REPORT_COMMAND = 'hedgebook.exportReport';
export const EXPORT_IPYNB_COMMAND = 'hedgebook.exportIpynb';

const decoder = new TextDecoder();

/** The open notebook as the file model the exports take; Hedgebook's output metadata is read
 *  from either shape (.hedgebook or .ipynb). */
export function documentToFile(notebook: vscode.NotebookDocument): NotebookFile {
  const { OutputMetadata } = exportLayer();
  return {
    format: NOTEBOOK_FORMAT,
    metadata: {},
    cells: notebook.getCells().map((c) => {
      const outputs = c.outputs.map((o) => {
        const items = o.items.map((i) => ({ mime: i.mime, data: decoder.decode(i.data) }));
        const meta = OutputMetadata.strip().safeParse(readOutputMetadata(o.metadata) ?? null);
        return meta.success ? { items, metadata: meta.data } : { items };
      });
      return {
        kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
        language: c.document.languageId,
        source: c.document.getText(),
        ...(outputs.length === 0 ? {} : { outputs }),
      };
    }),
  };
}

/** The notebook a command is about: the one given (a URI, or a toolbar's context), else the
 *  active notebook editor's. */
function notebookOf(arg: unknown): vscode.NotebookDocument | undefined {
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : (arg as { notebookEditor?: { notebookUri?: unknown } } | undefined)?.notebookEditor
          ?.notebookUri;
  if (uri instanceof vscode.Uri)
    return vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString());
  return vscode.window.activeNotebookEditor?.notebook;
}

function withExtension(uri: vscode.Uri, ext: string): vscode.Uri {
  const name = uri.path.split('/').pop() ?? 'notebook';
  const stem = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
  return vscode.Uri.joinPath(uri, '..', `${stem || 'notebook'}${ext}`);
}

/** What is on disk now for the data files the outputs were computed from (src/data/fingerprint.ts,
 *  under the notebook's file rule), so the export marks outputs of a changed file stale; nothing
 *  is read in Restricted Mode. */
async function dataOnDisk(
  notebook: vscode.NotebookDocument,
  files: readonly string[],
): Promise<DiskFiles | undefined> {
  if (!vscode.workspace.isTrusted || files.length === 0) return undefined;
  const r = await dataLayer().diskFingerprints(files, notebookAccess(notebook));
  return r.ok ? r.value.disk : undefined;
}

async function exportAs(
  kind: 'html' | 'ipynb',
  extensionUri: vscode.Uri,
  arg: unknown,
  target: unknown,
): Promise<vscode.Uri | undefined> {
  const notebook = notebookOf(arg);
  if (!notebook) {
    void vscode.window.showErrorMessage('Hedgebook: open a notebook to export it.');
    return undefined;
  }
  const ext = kind === 'html' ? '.html' : '.ipynb';
  let to = target instanceof vscode.Uri ? target : undefined;
  if (!to) {
    const base = notebook.isUntitled
      ? vscode.Uri.joinPath(
          vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()),
          'notebook',
        )
      : notebook.uri;
    to = await vscode.window.showSaveDialog({
      defaultUri: withExtension(base, ext),
      filters: kind === 'html' ? { 'HTML report': ['html'] } : { 'Jupyter notebook': ['ipynb'] },
      title: kind === 'html' ? 'Export Report (HTML)' : 'Export as Jupyter Notebook',
    });
    if (!to) return undefined;
  }
  const file = notebook.isUntitled
    ? 'Untitled notebook'
    : vscode.workspace.asRelativePath(notebook.uri);
  const model = documentToFile(notebook);
  const { exportIpynb, exportReportHtml, savedDataFiles } = exportLayer();
  const disk = await dataOnDisk(notebook, savedDataFiles(model));
  const opts = { file, version: HEDGEBOOK_VERSION, ...(disk ? { disk } : {}) };
  let text: string;
  if (kind === 'html') {
    const js = await vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(extensionUri, 'dist', 'report-renderer.js'),
    );
    text = exportReportHtml(model, {
      ...opts,
      rendererJs: decoder.decode(js),
      sha256Base64: (t) => createHash('sha256').update(t, 'utf8').digest('base64'),
    });
  } else text = exportIpynb(model, opts);
  await vscode.workspace.fs.writeFile(to, new TextEncoder().encode(text));
  const open = kind === 'html' ? 'Open in Browser' : 'Open';
  void vscode.window
    .showInformationMessage(`Hedgebook: exported ${vscode.workspace.asRelativePath(to)}`, open)
    .then((choice) => {
      if (choice !== open) return;
      if (kind === 'html') void vscode.env.openExternal(to);
      else void vscode.commands.executeCommand('vscode.open', to);
    });
  return to;
}

export function registerExportCommands(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(EXPORT_REPORT_COMMAND, (arg?: unknown, target?: unknown) =>
      exportAs('html', extensionUri, arg, target),
    ),
    vscode.commands.registerCommand(EXPORT_IPYNB_COMMAND, (arg?: unknown, target?: unknown) =>
      exportAs('ipynb', extensionUri, arg, target),
    ),
  );
}

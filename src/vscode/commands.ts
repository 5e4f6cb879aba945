/** Commands for a first run: "Hedgebook: New Notebook" opens a starter that runs as it is
 *  (src/notebook/starter.ts) over price data that exists (the bundled synthetic sample, copied
 *  next to it, or a file the user picks); "Hedgebook: Open Sample" copies a bundled sample and
 *  the data it reads into the workspace and opens it. Neither overwrites a file that differs. */
import * as vscode from 'vscode';
import { copyFile, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { createDatasetCache } from '../data/dataset-cache';
import { isUnder } from '../data/paths';
import { NOTEBOOK_FORMAT, NOTEBOOK_TYPE } from '../notebook/file-type';
import type { StarterCell } from '../notebook/starter';
import { dataLayer, notebookLayer } from './lazy';
import { HEDGE_LANGUAGE } from './diagnostics';
import { userDefaults } from './language';

export const NEW_NOTEBOOK_COMMAND = 'hedgebook.newNotebook';
export const OPEN_SAMPLE_COMMAND = 'hedgebook.openSample';
/** Where New Notebook puts the sample prices, relative to the notebook's folder. */
export const SAMPLE_DATA_FILE = 'data/sample-daily.csv';

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function sameBytes(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([readFile(a), readFile(b)]);
    return x.equals(y);
  } catch {
    return false;
  }
}

/** Copies `from` to `to` unless an identical file is there; a different file is never
 *  overwritten: returns false then. */
async function copyIfFree(from: string, to: string): Promise<boolean> {
  if (await exists(to)) return sameBytes(from, to);
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
  return true;
}

const firstFolder = () =>
  vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;

function toNotebookData(cells: readonly StarterCell[]): vscode.NotebookData {
  return new vscode.NotebookData(
    cells.map(
      (c) =>
        new vscode.NotebookCellData(
          c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
          c.text,
          c.kind === 'markdown' ? 'markdown' : HEDGE_LANGUAGE,
        ),
    ),
  );
}

/** What New Notebook reads: the bundled sample (`'sample'`) or a price file (an absolute path). */
export interface NewNotebookArgs {
  readonly data?: 'sample' | string;
}

async function pickData(): Promise<string | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      {
        label: 'Synthetic sample prices',
        description: `copied as ${SAMPLE_DATA_FILE}`,
        detail: 'Daily closes of BTC, ETH, SOL, UNI, AAVE and LDO made by a seeded model',
        value: 'sample',
      },
      {
        label: 'A price file of mine…',
        description: 'CSV or JSON: date,BTC,ETH,… (docs/data.md)',
        value: 'pick',
      },
    ],
    { title: 'Hedgebook: New Notebook', placeHolder: 'Which prices should the notebook read?' },
  );
  if (!choice) return undefined;
  if (choice.value === 'sample') return 'sample';
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Use these prices',
    filters: { 'Price files': ['csv', 'tsv', 'txt', 'json'] },
  });
  return picked?.[0]?.fsPath;
}

export async function newNotebook(
  extensionDir: string,
  args: NewNotebookArgs = {},
): Promise<vscode.NotebookEditor | undefined> {
  const data = args.data ?? (await pickData());
  if (data === undefined) return undefined;
  const folder = firstFolder();

  if (data === 'sample') {
    const source = join(extensionDir, 'samples', 'data', 'daily.csv');
    const assets = await fileAssets(source);
    if (!assets) return undefined;
    // Without a folder an untitled notebook cannot read relative paths: save it first.
    let notebookFile: string | undefined;
    let base = folder;
    if (base === undefined) {
      const target = await vscode.window.showSaveDialog({
        title: 'Hedgebook: where should the new notebook and its sample data go?',
        filters: { 'Hedgebook notebooks': ['hedgebook'] },
        saveLabel: 'Create notebook',
      });
      if (!target) return undefined;
      notebookFile = target.fsPath;
      base = dirname(notebookFile);
    }
    let file = SAMPLE_DATA_FILE;
    for (let n = 2; !(await copyIfFree(source, join(base, file))); n++)
      file = SAMPLE_DATA_FILE.replace('.csv', `-${n}.csv`);
    const cells = notebookLayer().starterCells({
      file,
      assets,
      sample: true,
      defaults: userDefaults(),
    });
    if (notebookFile !== undefined) {
      await writeNotebook(notebookFile, cells);
      return openNotebookFile(notebookFile);
    }
    return openUntitled(cells);
  }

  const assets = await fileAssets(data);
  if (!assets) return undefined;
  const under = folder !== undefined && isUnder(data, folder);
  if (folder === undefined || !under)
    void vscode.window.showWarningMessage(
      `${basename(data)} is outside the workspace folder: the notebook refers to it by its full path, ` +
        'and reads it only if its folder is in hedgebook.allowedPaths (docs/data.md).',
    );
  const file = under ? relative(folder, data).split(sep).join('/') : data;
  return openUntitled(
    notebookLayer().starterCells({ file, assets, sample: false, defaults: userDefaults() }),
  );
}

/** The assets of a price file, or undefined after telling the user why it cannot be read. */
async function fileAssets(path: string): Promise<string[] | undefined> {
  const { loadFileDataset } = dataLayer(); // the file readers, as for the kernel's first cell
  const loaded = await loadFileDataset(path, basename(path), {
    cache: createDatasetCache(),
    signal: new AbortController().signal,
  });
  if (loaded.ok) return loaded.value.series.map((s) => s.asset);
  const first = loaded.problems[0];
  void vscode.window.showErrorMessage(
    `Hedgebook cannot use ${basename(path)}: ${first?.message ?? first?.code ?? 'it could not be read'}`,
  );
  return undefined;
}

async function openUntitled(cells: readonly StarterCell[]): Promise<vscode.NotebookEditor> {
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, toNotebookData(cells));
  return vscode.window.showNotebookDocument(doc);
}

async function writeNotebook(path: string, cells: readonly StarterCell[]): Promise<void> {
  const text = notebookLayer().serializeNotebookFile({
    format: NOTEBOOK_FORMAT,
    metadata: {},
    cells: cells.map((c) => ({
      kind: c.kind,
      language: c.kind === 'markdown' ? 'markdown' : HEDGE_LANGUAGE,
      source: c.text,
    })),
  });
  await writeFile(path, text, { flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
    // The save dialog asked before replacing an existing file: honour that answer.
    if (e.code === 'EEXIST') await writeFile(path, text);
    else throw e;
  });
}

async function openNotebookFile(path: string): Promise<vscode.NotebookEditor> {
  const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path));
  return vscode.window.showNotebookDocument(doc);
}

/** The bundled samples: file name and title. */
async function bundledSamples(extensionDir: string): Promise<{ name: string; title: string }[]> {
  const dir = join(extensionDir, 'samples');
  const names = (await readdir(dir)).filter((f) => f.endsWith('.hedgebook')).sort();
  return Promise.all(
    names.map(async (name) => {
      const parsed = notebookLayer().parseNotebookFile(await readFile(join(dir, name), 'utf8'));
      const title = parsed.ok ? parsed.value.metadata.title : undefined;
      return { name, title: typeof title === 'string' ? title : name };
    }),
  );
}

/** Copies a bundled sample and the data it reads into `folder` (default: the workspace's
 *  `hedgebook-samples`), then opens it. An existing copy of the notebook is opened as it is
 *  (it may hold the user's edits); data files that differ are never overwritten: another
 *  folder is used instead. */
export async function openSample(
  extensionDir: string,
  name?: string,
  folder?: vscode.Uri,
): Promise<vscode.NotebookEditor | undefined> {
  const samples = await bundledSamples(extensionDir);
  let chosen = samples.find((s) => s.name === name || s.name === `${name}.hedgebook`);
  if (!chosen) {
    const pick = await vscode.window.showQuickPick(
      samples.map((s) => ({ label: s.title, description: s.name, sample: s })),
      { title: 'Hedgebook: Open Sample', placeHolder: 'Which sample notebook?' },
    );
    if (!pick) return undefined;
    chosen = pick.sample;
  }
  let root = folder?.fsPath ?? firstFolder();
  if (root === undefined) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      openLabel: 'Copy the sample here',
    });
    if (!picked?.[0]) return undefined;
    root = picked[0].fsPath;
  }
  const from = join(extensionDir, 'samples');
  const text = await readFile(join(from, chosen.name), 'utf8');
  const data = notebookLayer()
    .notebookDataFiles(text)
    .filter((f) => !isAbsolute(f) && !f.split('/').includes('..'));
  for (let n = 1; ; n++) {
    const dest = join(root, n === 1 ? 'hedgebook-samples' : `hedgebook-samples-${n}`);
    const copied = await Promise.all(
      [...data, ...(data.length > 0 ? ['data/README.md'] : [])].map((f) =>
        copyIfFree(join(from, f), join(dest, f)),
      ),
    );
    if (copied.every(Boolean)) {
      const target = join(dest, chosen.name);
      if (!(await exists(target))) await copyFile(join(from, chosen.name), target);
      return openNotebookFile(target);
    }
  }
}

export function registerCommands(extensionDir: string): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(NEW_NOTEBOOK_COMMAND, (args?: NewNotebookArgs) =>
      newNotebook(extensionDir, args),
    ),
    vscode.commands.registerCommand(OPEN_SAMPLE_COMMAND, (name?: string, folder?: vscode.Uri) =>
      openSample(extensionDir, typeof name === 'string' ? name : undefined, folder),
    ),
  );
}

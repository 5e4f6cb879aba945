/* Sharing a hedge decision, in a real VS Code: hedge cells in Jupyter notebooks (language and
 * output metadata across save and reopen, cells Hedgebook does not run), stale marks on a
 * reopened notebook from its saved hashes, and the export commands. Each test works on a fresh
 * copy of test/integration/fixtures in a temp folder. */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { RESULT_MIME } from '../../../src/results';
import { api, EXTENSION_ID, fixtureCopy, KERNEL, until } from './helpers';

const JUPYTER_KERNEL = { id: 'hedgebook-jupyter-kernel', extension: EXTENSION_ID };
async function show(
  nb: vscode.NotebookDocument,
  kernel: { id: string; extension: string },
): Promise<vscode.NotebookEditor> {
  const editor = await vscode.window.showNotebookDocument(nb);
  await vscode.commands.executeCommand('notebook.selectKernel', { editor, ...kernel });
  return editor;
}

const hedgeCells = (nb: vscode.NotebookDocument) =>
  nb
    .getCells()
    .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'hedge');

/** The hashes an output's metadata carries, in either shape (.hedgebook, or .ipynb's nested one). */
function inputsHashOf(output: vscode.NotebookCellOutput): unknown {
  const m = output.metadata as
    { inputsHash?: unknown; metadata?: { hedgebook?: { inputsHash?: unknown } } } | undefined;
  return m?.inputsHash ?? m?.metadata?.hedgebook?.inputsHash;
}

/** Runs every cell and waits until each hedge cell has a verdict and its new outputs (the
 *  execution can end a moment before its outputs are in the document). */
async function runAll(editor: vscode.NotebookEditor): Promise<void> {
  const before = hedgeCells(editor.notebook).map((c) => c.executionSummary?.executionOrder);
  await vscode.commands.executeCommand('notebook.execute', editor.notebook.uri);
  await until('every hedge cell to finish', () =>
    hedgeCells(editor.notebook).every(
      (c, i) =>
        c.executionSummary?.success !== undefined &&
        c.executionSummary.executionOrder !== before[i] &&
        c.outputs.length > 0 &&
        inputsHashOf(c.outputs[0]!) !== undefined,
    )
      ? true
      : undefined,
  );
}

const languages = (nb: vscode.NotebookDocument) => nb.getCells().map((c) => c.document.languageId);

/** VS Code's own .ipynb serializer (the built-in ipynb extension's exportNotebook): what a save
 *  of this notebook writes. */
async function ipynbText(nb: vscode.NotebookDocument): Promise<string> {
  const ext = vscode.extensions.getExtension<{
    exportNotebook(data: vscode.NotebookData): Promise<string>;
  }>('vscode.ipynb');
  assert.ok(ext, 'the built-in ipynb extension is there');
  const ipynb = await ext.activate();
  const data = new vscode.NotebookData(
    nb.getCells().map((c) => {
      const cell = new vscode.NotebookCellData(c.kind, c.document.getText(), c.document.languageId);
      cell.outputs = [...c.outputs];
      cell.metadata = c.metadata;
      if (c.executionSummary) cell.executionSummary = c.executionSummary;
      return cell;
    }),
  );
  data.metadata = nb.metadata;
  return ipynb.exportNotebook(data);
}

type IpynbJson = {
  metadata: { language_info?: { name: string } };
  cells: {
    cell_type: string;
    metadata: { vscode?: { languageId: string } };
    outputs?: {
      output_type: string;
      data: Record<string, unknown>;
      metadata: { hedgebook?: Record<string, unknown> };
    }[];
  }[];
};

describe('Sharing hedge decisions in VS Code', function () {
  this.timeout(180_000);

  it('keeps a new Jupyter notebook’s hedge cells hedge, with their output metadata, across save and reopen', async () => {
    const kernel = await api();
    const dir = fixtureCopy('hedgebook-share-');
    // An untitled notebook reads files relative to the first workspace folder (and only there).
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(ws, 'the test workspace is open');
    const sub = mkdtempSync(join(ws, 'share-'));
    cpSync(join(dir, 'prices.csv'), join(sub, 'prices.csv'));
    const prices = relative(ws, join(sub, 'prices.csv'));
    // As "New Jupyter Notebook" makes it: no language_info, no kernelspec.
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# New notebook', 'markdown'),
      new vscode.NotebookCellData(
        vscode.NotebookCellKind.Code,
        `prices: daily\nfile: ${JSON.stringify(prices)}`,
        'hedge',
      ),
      new vscode.NotebookCellData(
        vscode.NotebookCellKind.Code,
        'portfolio: core\nholdings: { ETH: 10, BTC: 0.5 }',
        'hedge',
      ),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'print(1)', 'python'),
    ]);
    data.metadata = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    const editor = await show(nb, JUPYTER_KERNEL);
    await runAll(editor);
    assert.equal(
      (nb.metadata.metadata as { language_info?: { name?: string } }).language_info?.name,
      'hedge',
      'running hedge cells gives the notebook its language',
    );
    assert.deepEqual(kernel.skippedCells(nb), ['4 (python)']);
    assert.deepEqual(
      hedgeCells(nb).map((c) => c.executionSummary?.success),
      [true, true],
      JSON.stringify(nb.cellAt(1).outputs.map((o) => o.items.map((i) => i.mime))),
    );

    const text = await ipynbText(nb);
    const saved = JSON.parse(text) as IpynbJson;
    assert.equal(saved.metadata.language_info?.name, 'hedge');
    assert.deepEqual(saved.cells[3]!.metadata.vscode, { languageId: 'python' });
    const meta = saved.cells[1]!.outputs![0]!.metadata.hedgebook as Record<string, unknown>;
    assert.ok(meta, JSON.stringify(saved.cells[1]!.outputs![0]!.metadata));
    assert.match(String(meta.inputsHash), /^sha256:[0-9a-f]{64}$/);
    assert.match(String(meta.computedAt), /^\d{4}-\d{2}-\d{2}T/);
    assert.equal((meta.data as { rows: number }).rows, 120);

    // Reopen from disk: same languages, the metadata is still there, nothing is stale.
    const file = join(dir, 'saved.ipynb');
    writeFileSync(file, text);
    const reopened = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    assert.deepEqual(languages(reopened), ['markdown', 'hedge', 'hedge', 'python']);
    const again = reopened.cellAt(1).outputs[0]!.metadata as { metadata?: { hedgebook?: unknown } };
    assert.deepEqual(again.metadata?.hedgebook, meta);
    assert.deepEqual(kernel.staleCells(reopened), []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs the hedge cells of an .ipynb fixture, says which cell it did not run, and saves them', async () => {
    const kernel = await api();
    const dir = fixtureCopy('hedgebook-share-');
    const nb = await vscode.workspace.openNotebookDocument(
      vscode.Uri.file(join(dir, 'hedge-cells.ipynb')),
    );
    assert.deepEqual(languages(nb), ['markdown', 'hedge', 'hedge', 'hedge', 'python']);
    const editor = await show(nb, JUPYTER_KERNEL);
    await runAll(editor);
    assert.deepEqual(
      hedgeCells(nb).map((c) => c.executionSummary?.success),
      [true, true, true],
    );
    assert.deepEqual(kernel.skippedCells(nb), ['5 (python)']);
    assert.equal(nb.cellAt(4).outputs.length, 0, 'the python cell is left as it was');
    assert.ok(await nb.save());
    const saved = JSON.parse(readFileSync(join(dir, 'hedge-cells.ipynb'), 'utf8')) as IpynbJson;
    const out = saved.cells[3]!.outputs![0]!;
    assert.equal(out.output_type, 'display_data');
    assert.ok(out.data[RESULT_MIME], Object.keys(out.data).join(', '));
    assert.ok(out.data['text/markdown']);
    assert.match(String(out.metadata.hedgebook?.sourceHash), /^sha256:/);
    assert.deepEqual(saved.cells[4]!.metadata.vscode, { languageId: 'python' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('marks outputs stale when a saved notebook is reopened after an edit on disk', async () => {
    const kernel = await api();
    const dir = fixtureCopy('hedgebook-share-');
    const file = join(dir, 'hedge.hedgebook');
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await runAll(await show(nb, KERNEL));
    assert.ok(await nb.save());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const text = readFileSync(file, 'utf8');
    const same = join(dir, 'same.hedgebook');
    writeFileSync(same, text);
    const unchanged = await vscode.workspace.openNotebookDocument(vscode.Uri.file(same));
    assert.deepEqual(kernel.staleCells(unchanged), []);

    // Edited outside the editor: the benchmark cell's returns (the window example of the issue).
    const edited = join(dir, 'edited.hedgebook');
    assert.ok(text.includes('"returns: simple"'));
    writeFileSync(edited, text.replace('"returns: simple"', '"returns: log"'));
    const reopened = await vscode.workspace.openNotebookDocument(vscode.Uri.file(edited));
    const stale = kernel.staleCells(reopened);
    const index = (id: string) =>
      reopened.getCells().findIndex((c) => c.document.uri.toString() === id);
    // settings (cell 3) and everything that uses it: portfolio valuation does not, betas,
    // instrument, hedge and pair do.
    assert.ok(stale.map(index).includes(2), stale.map(index).join(','));
    assert.ok(stale.map(index).includes(4));
    assert.ok(!stale.map(index).includes(1), 'the prices cell is current');
  });

  it('marks outputs stale when the data file of a saved notebook changed on disk before reopening', async () => {
    const kernel = await api();
    const dir = fixtureCopy('hedgebook-share-');
    const file = join(dir, 'hedge.hedgebook');
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await runAll(await show(nb, KERNEL));
    assert.ok(await nb.save());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // The same notebook and data under another name: the background check finds nothing.
    const text = readFileSync(file, 'utf8');
    assert.match(text, /"file": \{\s*"hash": "sha256:[0-9a-f]{64}",\s*"bytes": \d+/);
    const same = join(dir, 'same.hedgebook');
    writeFileSync(same, text);
    const unchanged = await vscode.workspace.openNotebookDocument(vscode.Uri.file(same));
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(kernel.staleCells(unchanged), []);

    // The data file is edited outside the editor (one close appended), the cells are not.
    const csv = join(dir, 'prices.csv');
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const last = rows[rows.length - 1]!.split(',');
    last[1] = String(Number(last[1]) * 1.01);
    writeFileSync(csv, [...rows, last.join(',')].join('\n') + '\n');
    const again = join(dir, 'reopened.hedgebook'); // a document not open yet: as after a restart
    writeFileSync(again, text);
    const reopened = await vscode.workspace.openNotebookDocument(vscode.Uri.file(again));
    const stale = await until('the data file reported as changed', () => {
      const s = kernel.staleDetails(reopened);
      return s.some((c) => c.reason === 'data') ? s : undefined;
    });
    const index = (id: string) =>
      reopened.getCells().findIndex((c) => c.document.uri.toString() === id);
    assert.equal(stale.find((s) => index(s.id) === 1)?.reason, 'data', 'the prices cell');
    assert.deepEqual(stale.find((s) => index(s.id) === 1)?.files, ['prices.csv']);
    const code = reopened
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.outputs.length > 0);
    // Every cell with outputs depends on the prices (the settings show the data's window).
    assert.deepEqual(
      stale.map((s) => index(s.id)).sort((a, b) => a - b),
      code.map((c) => c.index),
    );
    assert.ok(stale.every((s) => s.reason === 'data'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('exports the open notebook as a report and as a Jupyter notebook with plotly charts', async () => {
    await api();
    const dir = fixtureCopy('hedgebook-share-');
    const nb = await vscode.workspace.openNotebookDocument(
      vscode.Uri.file(join(dir, 'hedge.hedgebook')),
    );
    await runAll(await show(nb, KERNEL));
    const ipynb = vscode.Uri.file(join(dir, 'out', 'hedge.ipynb'));
    const html = vscode.Uri.file(join(dir, 'out', 'hedge.html'));
    await vscode.commands.executeCommand('hedgebook.exportIpynb', nb.uri, ipynb);
    await vscode.commands.executeCommand('hedgebook.exportReport', nb.uri, html);

    const exported = JSON.parse(readFileSync(ipynb.fsPath, 'utf8')) as IpynbJson & {
      nbformat: number;
      nbformat_minor: number;
    };
    assert.equal(exported.nbformat, 4);
    assert.equal(exported.nbformat_minor, 5);
    assert.equal(exported.metadata.language_info?.name, 'hedge');
    const plotly = exported.cells
      .flatMap((c) => c.outputs ?? [])
      .filter((o) => o.data['application/vnd.plotly.v1+json']);
    assert.ok(plotly.length >= 3, `${plotly.length} plotly outputs`);
    // Opened by VS Code's .ipynb support: hedge cells, Hedgebook results in their outputs.
    const opened = await vscode.workspace.openNotebookDocument(ipynb);
    assert.equal(languages(opened).filter((l) => l === 'hedge').length, hedgeCells(nb).length);
    assert.ok(opened.cellAt(1).outputs[0]!.items.some((i) => i.mime === RESULT_MIME));

    const page = readFileSync(html.fsPath, 'utf8');
    assert.match(page, /<title>Integration fixture<\/title>/);
    assert.match(page, /script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.match(page, /<nav class="toc"/);
    const stale = [...page.matchAll(/<section class="cell code-cell stale" id="(cell-\d+)">/g)];
    assert.deepEqual(
      stale.map((m) => m[1]),
      [],
      `nothing is stale right after a run: ${JSON.stringify(nb.getCells().map((c) => c.outputs.map((o) => o.metadata)))}`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

/* The extension in a real VS Code (extension host): open, run, save, errors, squiggles,
 * staleness, interrupt. Each test works on a fresh copy of test/integration/fixtures in a temp
 * folder, so the repository is never written. Bundled by scripts/build-tests.mjs and run with
 * mocha by test/integration/index.ts. */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseNotebookFile } from '../../../src/notebook/file-format';
import { RESULT_MIME, type CellResult } from '../../../src/results';
import { api, fixtureCopy, KERNEL, REPO, until } from './helpers';

async function open(file: string): Promise<vscode.NotebookEditor> {
  const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showNotebookDocument(nb);
  await vscode.commands.executeCommand('notebook.selectKernel', { editor, ...KERNEL });
  return editor;
}

const hedgeCells = (nb: vscode.NotebookDocument) =>
  nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);

/** Runs every cell and waits until each code cell has a verdict. */
async function runAll(editor: vscode.NotebookEditor): Promise<void> {
  const before = hedgeCells(editor.notebook).map((c) => c.executionSummary?.executionOrder);
  await vscode.commands.executeCommand('notebook.execute', editor.notebook.uri);
  await until('every cell to finish', () =>
    hedgeCells(editor.notebook).every(
      (c, i) =>
        c.executionSummary?.success !== undefined &&
        c.executionSummary.executionOrder !== before[i],
    )
      ? true
      : undefined,
  );
}

function result(cell: vscode.NotebookCell): CellResult {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === RESULT_MIME);
  assert.ok(item, `cell ${cell.index} has no ${RESULT_MIME} output`);
  return JSON.parse(new TextDecoder().decode(item.data)) as CellResult;
}

function ofKind<K extends CellResult['kind']>(
  nb: vscode.NotebookDocument,
  kind: K,
): Extract<CellResult, { kind: K }> {
  for (const cell of hedgeCells(nb)) {
    const r = result(cell);
    if (r.kind === kind) return r as Extract<CellResult, { kind: K }>;
  }
  throw new Error(`no ${kind} result in the notebook`);
}

afterEach(async () => {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

describe('Hedgebook in VS Code', function () {
  this.timeout(120_000);

  it('runs every cell of a notebook and shows each result as JSON, markdown and text', async () => {
    const editor = await open(join(fixtureCopy(), 'hedge.hedgebook'));
    await runAll(editor);
    const nb = editor.notebook;
    for (const cell of hedgeCells(nb)) {
      assert.equal(cell.executionSummary?.success, true, `cell ${cell.index} failed`);
      const mimes = cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
      assert.deepEqual(mimes.slice(0, 3), [RESULT_MIME, 'text/markdown', 'text/plain']);
      assert.equal(typeof cell.outputs[0]?.metadata?.computedAt, 'string');
    }
    const orders = hedgeCells(nb).map((c) => c.executionSummary?.executionOrder ?? 0);
    assert.deepEqual(
      orders,
      [...orders].sort((a, b) => a - b),
      'cells ran in notebook order',
    );

    const betas = ofKind(nb, 'betas');
    const eth = betas.rows.find((r) => r.asset === 'ETH');
    assert.ok(eth && Math.abs(eth.beta - 1.5) < 1e-9, `ETH beta ${eth?.beta}, expected 1.5`);
    assert.ok(Math.abs(eth.r2 - 1) < 1e-9);
    assert.equal(betas.data?.source, 'prices.csv');
    assert.equal(betas.data?.rows, 120);

    const hedge = ofKind(nb, 'hedge');
    assert.equal(hedge.side, 'short');
    assert.ok(hedge.contracts > 0);
    const expected = -hedge.portfolioBeta * hedge.portfolioValue;
    assert.ok(Math.abs(hedge.notional - expected) < 1e-6 * Math.abs(expected));

    const pair = ofKind(nb, 'pair');
    assert.ok(Math.abs(pair.short.beta - 1.5) < 1e-9);
  });

  it('saves outputs with when and on what data they were computed', async () => {
    const file = join(fixtureCopy(), 'hedge.hedgebook');
    const editor = await open(file);
    await runAll(editor);
    await editor.notebook.save();
    const saved = parseNotebookFile(readFileSync(file, 'utf8'));
    assert.ok(saved.ok, 'the saved file parses');
    const betasCell = saved.value.cells.find((c) => c.source === 'betas: core');
    const output = betasCell?.outputs?.[0];
    assert.ok(output?.items.some((i) => i.mime === RESULT_MIME));
    assert.equal(output?.metadata?.data?.source, 'prices.csv');
    assert.ok(Date.parse(output?.metadata?.computedAt ?? '') > Date.now() - 600_000);
  });

  it('refuses a malformed file with the line and column, and leaves it unchanged', async () => {
    const file = join(fixtureCopy(), 'malformed.hedgebook');
    const bytes = readFileSync(file);
    await assert.rejects(
      Promise.resolve(vscode.workspace.openNotebookDocument(vscode.Uri.file(file))),
      /line 8, column 7: this is not a valid notebook file: expected a comma/,
    );
    // Opening it in the editor area and saving everything must not write it either.
    await vscode.commands
      .executeCommand('vscode.openWith', vscode.Uri.file(file), 'hedgebook')
      .then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    assert.ok(
      !vscode.workspace.notebookDocuments.some((d) => d.uri.fsPath === file),
      'no notebook document was created for the malformed file',
    );
    assert.deepEqual(readFileSync(file), bytes);
  });

  it('refuses a notebook from a newer Hedgebook and leaves it unchanged', async () => {
    const file = join(fixtureCopy(), 'hedge.hedgebook');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"format": 1', '"format": 2'));
    const bytes = readFileSync(file);
    await assert.rejects(
      Promise.resolve(vscode.workspace.openNotebookDocument(vscode.Uri.file(file))),
      /written by a newer Hedgebook \(format 2\); this version reads format 1/,
    );
    assert.deepEqual(readFileSync(file), bytes);
  });

  it('puts a squiggle on the exact value of a bad cell', async () => {
    const editor = await open(join(fixtureCopy(), 'bad-cell.hedgebook'));
    const cell = hedgeCells(editor.notebook)[0]!;
    const diags = await until('a diagnostic', () => {
      const d = vscode.languages.getDiagnostics(cell.document.uri);
      return d.length > 0 ? d : undefined;
    });
    assert.equal(diags.length, 1);
    const d = diags[0]!;
    // "  SOL: five hundred" is line 3 (0-based); the value spans columns 7..19.
    assert.deepEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [3, 7, 3, 19],
    );
    assert.match(d.message, /^holdings\.SOL: .*got 'five hundred'/);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('marks what depends on an edited declaration stale, and running clears it', async () => {
    const kernel = await api();
    const editor = await open(join(fixtureCopy(), 'hedge.hedgebook'));
    await runAll(editor);
    const nb = editor.notebook;
    assert.deepEqual(kernel.staleCells(nb), []);
    const id = (source: string) =>
      hedgeCells(nb)
        .find((c) => c.document.getText().startsWith(source))!
        .document.uri.toString();
    const settings = hedgeCells(nb).find((c) => c.document.getText().startsWith('benchmark'))!;
    const edit = new vscode.WorkspaceEdit();
    const doc = settings.document;
    edit.replace(
      doc.uri,
      new vscode.Range(0, 0, doc.lineCount, 0),
      'benchmark: BTC\nreturns: log\nwindow: all',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const stale = await until('stale cells', () => {
      const s = kernel.staleCells(nb);
      return s.length > 0 ? s : undefined;
    });
    const seen = `stale: ${stale.map((s) => hedgeCells(nb).findIndex((c) => c.document.uri.toString() === s)).join(',')}`;
    assert.ok(stale.includes(id('betas')), `the betas cell is stale (${seen})`);
    assert.ok(stale.includes(id('hedge')), `the hedge cell is stale (${seen})`);
    assert.ok(!stale.includes(id('prices')), 'the prices cell is not stale');
    await runAll(editor);
    assert.deepEqual(kernel.staleCells(nb), []);
  });

  it('stops a run when interrupted: the running cell says so, later cells do not run', async () => {
    const dir = fixtureCopy();
    // A large price file with quoted fields (the exact reader, the slower path: seconds), so
    // the interrupt surely arrives while the first cell loads it; loading stops between two
    // steps of the reader.
    const rows = ['date,BTC,ETH,SOL'];
    const t0 = Date.UTC(1990, 0, 1);
    for (let i = 0; i < 400_000; i++)
      rows.push(`${new Date(t0 + i * 3_600_000).toISOString()},"40000.5","2500.25","100.125"`);
    writeFileSync(join(dir, 'slow.csv'), rows.join('\n') + '\n');
    const cells = [
      'prices: slow\nfile: slow.csv',
      'benchmark: BTC\nreturns: simple\nwindow: all',
      'portfolio: p\nholdings: { ETH: 10 }',
      'betas: p',
    ].map((source) => ({ kind: 'code', language: 'hedge', source }));
    const file = join(dir, 'slow.hedgebook');
    writeFileSync(file, JSON.stringify({ format: 1, metadata: {}, cells }));
    const kernel = await api();
    const editor = await open(file);
    const nb = editor.notebook;
    void vscode.commands.executeCommand('notebook.execute', nb.uri);
    await until('the run to start', () => (kernel.isRunning(nb) ? true : undefined));
    await new Promise((r) => setTimeout(r, 300)); // into the load
    await vscode.commands.executeCommand('notebook.cancelExecution');
    await until('the run to stop', () => (kernel.isRunning(nb) ? undefined : true), 10_000);
    const [first, , , last] = hedgeCells(nb);
    // VS Code may cancel the queued cell itself before the kernel's start() (success undefined,
    // no output); when the kernel ran it, the cell failed and says it was interrupted.
    const success = first!.executionSummary?.success;
    assert.notEqual(success, true, 'the interrupted cell did not complete');
    const text = first!.outputs
      .flatMap((o) => o.items)
      .map((i) => new TextDecoder().decode(i.data));
    if (success === false) assert.match(text.join('\n'), /Interrupted/);
    assert.notEqual(last!.executionSummary?.success, true, 'the last cell did not complete');
    assert.equal(last!.outputs.length, 0, 'the last cell shows no result');
  });

  it('runs the dynamic-hedge sample: funding, three simulations, a compare grid, liquidations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedgebook-it-samples-'));
    cpSync(join(REPO, 'samples'), dir, { recursive: true });
    const editor = await open(join(dir, '06-dynamic-hedge.hedgebook'));
    const nb = editor.notebook;
    // The sample opens with its saved outputs (and their execution orders, which a fresh session
    // repeats): wait for outputs computed by this run.
    const stamp = (c: vscode.NotebookCell) => c.outputs[0]?.metadata?.computedAt as unknown;
    const before = hedgeCells(nb).map(stamp);
    await vscode.commands.executeCommand('notebook.execute', nb.uri);
    await until(
      'every cell to finish',
      () =>
        hedgeCells(nb).every(
          (c, i) => c.executionSummary?.success !== undefined && stamp(c) !== before[i],
        )
          ? true
          : undefined,
      120_000,
    );
    const said = (c: vscode.NotebookCell) =>
      c.outputs
        .flatMap((o) => o.items)
        .map((i) => new TextDecoder().decode(i.data).slice(0, 400))
        .join(' | ');
    for (const cell of hedgeCells(nb))
      assert.equal(
        cell.executionSummary?.success,
        true,
        `cell ${cell.index} failed: ${said(cell)}` +
          hedgeCells(nb)
            .filter((c) => c.executionSummary?.success === false && c !== cell)
            .map((c) => ` [cell ${c.index}: ${said(c)}]`)
            .join(''),
      );
    const sims = hedgeCells(nb)
      .map(result)
      .filter((r): r is Extract<CellResult, { kind: 'simulate' }> => r.kind === 'simulate');
    assert.equal(sims.length, 3);
    const [daily, band, tenX] = sims as [(typeof sims)[0], (typeof sims)[0], (typeof sims)[0]];
    assert.ok(daily.trackingError < band.trackingError, 'daily re-sizing tracks the target closer');
    assert.ok(daily.counts.trades > band.counts.trades);
    assert.equal(band.compare?.length, 8);
    assert.ok(tenX.counts.liquidations > 0, 'the rally liquidates the 10× hedge');
    assert.ok(tenX.costs.liquidationLosses.usd > 0);
    assert.ok(daily.costs.fundingReceived.usd > 0, 'the short hedge receives positive funding');
    assert.ok(daily.path.t.length <= 400, 'the saved path is bounded');
    assert.equal(ofKind(nb, 'funding').symbols[0]?.symbol, 'BTCUSDT');
  });
});

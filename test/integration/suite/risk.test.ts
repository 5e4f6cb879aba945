/* Sample 07-risk in a real VS Code: every cell runs clean in the editor's kernel (funding file,
 * brackets, stress, basis, position), and the results say what the sample claims. Works on the
 * scratch workspace's copy of samples/ (HEDGEBOOK_WORKSPACE). */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { RESULT_MIME, type CellResult } from '../../../src/results';
import { KERNEL, REPO } from './helpers';

const code = (nb: vscode.NotebookDocument) =>
  nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);

function results(nb: vscode.NotebookDocument): CellResult[] {
  return code(nb).flatMap((cell) =>
    cell.outputs
      .flatMap((o) => o.items)
      .filter((i) => i.mime === RESULT_MIME)
      .map((i) => JSON.parse(new TextDecoder().decode(i.data)) as CellResult),
  );
}

function errorText(cell: vscode.NotebookCell): string {
  return cell.outputs
    .flatMap((o) => o.items)
    .map((i) => new TextDecoder().decode(i.data))
    .join(' ')
    .slice(0, 400);
}

describe('Sample 07-risk in VS Code', function () {
  this.timeout(180_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs every cell clean: stress ladder, BTC vs ETH, the held hedge and its ticket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedgebook-risk-'));
    cpSync(join(REPO, 'samples'), dir, { recursive: true });
    const nb = await vscode.workspace.openNotebookDocument(
      vscode.Uri.file(join(dir, '07-risk.hedgebook')),
    );
    const editor = await vscode.window.showNotebookDocument(nb);
    await vscode.commands.executeCommand('notebook.selectKernel', { editor, ...KERNEL });
    // The sample is saved with outputs: wait for outputs computed after this run started.
    const started = new Date().toISOString();
    const fresh = (c: vscode.NotebookCell) => {
      const at = c.outputs[0]?.metadata?.computedAt;
      return typeof at === 'string' && at >= started;
    };
    await vscode.commands.executeCommand('notebook.execute', nb.uri);
    const t0 = Date.now();
    while (!code(nb).every((c) => c.executionSummary?.success !== undefined && fresh(c))) {
      if (Date.now() - t0 > 120_000)
        throw new Error(
          `timed out waiting for the cells: ${code(nb)
            .map(
              (c) =>
                `${c.document.getText().split('\n')[0]} ${String(c.executionSummary?.success)} fresh ${String(fresh(c))} ${errorText(c).slice(0, 120)}`,
            )
            .join(' | ')}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const cell of code(nb))
      assert.equal(
        cell.executionSummary?.success,
        true,
        `cell ${cell.index + 1} (${cell.document.getText().split('\n')[0]}) failed: ${errorText(cell)}`,
      );
    const all = results(nb);
    const basis = all.find((r) => r.kind === 'basis');
    assert.ok(basis?.kind === 'basis');
    assert.equal(basis.recommendation.candidate, 'ETHUSDT-PERP');
    const stress = all.find((r) => r.kind === 'stress');
    assert.ok(stress?.kind === 'stress');
    assert.ok(stress.scenarios.some((s) => s.liquidated === true));
    const position = all.find((r) => r.kind === 'position');
    assert.ok(position?.kind === 'position');
    assert.equal(position.ticket.side, 'sell');
    assert.ok(position.fundingPnl !== null && position.fundingPayments > 0);
  });
});

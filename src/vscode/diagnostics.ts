/** Squiggles while typing: every `hedge` document (a notebook cell, or a .hedge file) is checked
 *  with the same pure checkCell the kernel uses, on open and on every change. */
import * as vscode from 'vscode';
import { checkCell } from '../notebook/check';
import type { LocatedProblem } from '../notebook/location';

export const HEDGE_LANGUAGE = 'hedge';

export function toDiagnostic(p: LocatedProblem): vscode.Diagnostic {
  const r = p.range;
  const range = new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn);
  const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
  d.source = 'hedgebook';
  d.code = p.code;
  return d;
}

export function registerDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(HEDGE_LANGUAGE);
  const check = (doc: vscode.TextDocument) => {
    if (doc.languageId !== HEDGE_LANGUAGE) {
      collection.delete(doc.uri); // a cell whose language was changed away from hedge
      return;
    }
    collection.set(doc.uri, checkCell(doc.getText()).map(toDiagnostic));
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
  );
}

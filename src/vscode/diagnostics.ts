/** Squiggles and quick fixes. While typing (debounced), every `hedge` cell of a notebook gets
 *  the problems the language service finds without running (syntax, schema, names across cells,
 *  unknown assets once the dataset is loaded: src/notebook/language/problems.ts); a `.hedge`
 *  file gets its own. After a run, the problems the run reported stay in the Problems panel
 *  until the cell is edited. Quick fixes come with the problems. */
import * as vscode from 'vscode';
import type { LocatedProblem } from '../notebook/location';
import type { EditorProblem, LanguageCell } from '../notebook/language';
import { notebookLayer } from './lazy';

export const HEDGE_LANGUAGE = 'hedge';
/** Inserts a hedge cell before a cell: (notebook URI, id of the cell it goes before, text). */
export const INSERT_CELL_COMMAND = 'hedgebook.insertCell';
/** Quiet time after the last keystroke before a notebook is checked again. */
export const DIAGNOSTICS_DEBOUNCE_MS = 250;

export function toDiagnostic(p: LocatedProblem): vscode.Diagnostic {
  const r = p.range;
  const range = new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn);
  const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
  d.source = 'hedgebook';
  d.code = p.code;
  return d;
}

const key = (p: LocatedProblem) =>
  `${p.code}|${p.message}|${p.range.startLine}:${p.range.startColumn}-${p.range.endLine}:${p.range.endColumn}`;

/** What the diagnostics need from the language adapter (language.ts), injected so this module
 *  does not import it (language.ts imports HEDGE_LANGUAGE from here). */
export interface DiagnosticsDeps {
  modelCells(nb: vscode.NotebookDocument): LanguageCell[];
  notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined;
  fixEdit(
    fix: EditorProblem['fixes'][number],
    nb: vscode.NotebookDocument | undefined,
  ): vscode.WorkspaceEdit;
  /** Fires with a cell's problems after the kernel ran it. */
  onDidRunCell: vscode.Event<{ readonly cellId: string; readonly problems: LocatedProblem[] }>;
}

export function registerDiagnostics(deps: DiagnosticsDeps): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(HEDGE_LANGUAGE);
  /** Problems of the last run per cell, until the cell's text changes. */
  const runProblems = new Map<string, { text: string; problems: LocatedProblem[] }>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const publish = (uri: vscode.Uri, text: string, problems: readonly LocatedProblem[]) => {
    const ran = runProblems.get(uri.toString());
    const extra = ran && ran.text === text ? ran.problems : [];
    if (ran && ran.text !== text) runProblems.delete(uri.toString());
    const seen = new Set(problems.map(key));
    collection.set(uri, [...problems, ...extra.filter((p) => !seen.has(key(p)))].map(toDiagnostic));
  };

  const checkNotebook = (nb: vscode.NotebookDocument) => {
    const { analyzeNotebook, notebookProblems } = notebookLayer();
    const byId = notebookProblems(analyzeNotebook(deps.modelCells(nb)));
    for (const cell of nb.getCells()) {
      const uri = cell.document.uri;
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      if (cell.document.languageId !== HEDGE_LANGUAGE) {
        collection.delete(uri);
        continue;
      }
      publish(uri, cell.document.getText(), byId.get(uri.toString()) ?? []);
    }
  };

  const checkDocument = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme === 'vscode-notebook-cell') {
      const nb = deps.notebookOf(doc);
      if (nb) return schedule(nb);
    }
    if (doc.languageId !== HEDGE_LANGUAGE) {
      collection.delete(doc.uri); // a cell whose language was changed away from hedge
      return;
    }
    const id = doc.uri.toString();
    const { analyzeNotebook, cellProblems } = notebookLayer();
    const model = analyzeNotebook([{ id, kind: 'code', text: doc.getText() }]);
    publish(doc.uri, doc.getText(), cellProblems(model, id));
  };

  /** Checks a notebook once typing pauses (every cell: a name change affects the others). */
  const schedule = (nb: vscode.NotebookDocument) => {
    const k = nb.uri.toString();
    clearTimeout(timers.get(k));
    timers.set(
      k,
      setTimeout(() => {
        timers.delete(k);
        if (!nb.isClosed) checkNotebook(nb);
      }, DIAGNOSTICS_DEBOUNCE_MS),
    );
  };

  const quickFixes: vscode.CodeActionProvider = {
    provideCodeActions(doc, range, context) {
      const ours = context.diagnostics.filter((d) => d.source === 'hedgebook');
      if (ours.length === 0) return [];
      const nb = deps.notebookOf(doc);
      const { analyzeNotebook, cellProblems } = notebookLayer();
      const model = analyzeNotebook(
        nb ? deps.modelCells(nb) : [{ id: doc.uri.toString(), kind: 'code', text: doc.getText() }],
      );
      const actions: vscode.CodeAction[] = [];
      for (const p of cellProblems(model, doc.uri.toString())) {
        const diag = ours.find(
          (d) =>
            d.code === p.code &&
            d.message === p.message &&
            d.range.start.line === p.range.startLine &&
            d.range.start.character === p.range.startColumn,
        );
        if (!diag || !diag.range.intersection(range)) continue;
        for (const fix of p.fixes) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          if (fix.newCell && nb) {
            // A new cell goes in through a command (a notebook edit inside a code action's
            // WorkspaceEdit does not survive every route a code action takes).
            action.command = {
              title: fix.title,
              command: INSERT_CELL_COMMAND,
              arguments: [nb.uri.toString(), fix.newCell.before, fix.newCell.text],
            };
            if (fix.edits.length > 0)
              action.edit = deps.fixEdit({ ...fix, newCell: undefined }, nb);
          } else action.edit = deps.fixEdit(fix, nb);
          action.diagnostics = [diag];
          action.isPreferred = fix.preferred;
          actions.push(action);
        }
      }
      return actions;
    },
  };

  // The first check waits for the event loop: activation registers and returns at once.
  const initial = setTimeout(() => {
    vscode.workspace.notebookDocuments.forEach(schedule);
    vscode.workspace.textDocuments
      .filter((d) => d.uri.scheme !== 'vscode-notebook-cell')
      .forEach(checkDocument);
  }, 0);

  return vscode.Disposable.from(
    collection,
    vscode.commands.registerCommand(
      INSERT_CELL_COMMAND,
      (notebook: string, before: string, text: string) => {
        const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === notebook);
        if (!nb) return false;
        return vscode.workspace.applyEdit(
          deps.fixEdit({ title: '', edits: [], preferred: false, newCell: { before, text } }, nb),
        );
      },
    ),
    { dispose: () => [initial, ...timers.values()].forEach((t) => clearTimeout(t)) },
    vscode.languages.registerCodeActionsProvider({ language: HEDGE_LANGUAGE }, quickFixes, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.workspace.onDidOpenTextDocument(checkDocument),
    vscode.workspace.onDidChangeTextDocument((e) => checkDocument(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    vscode.workspace.onDidOpenNotebookDocument(schedule),
    // Outputs changed (a run): datasets and results the checks read may have changed.
    vscode.workspace.onDidChangeNotebookDocument((e) => schedule(e.notebook)),
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      for (const c of nb.getCells()) {
        collection.delete(c.document.uri);
        runProblems.delete(c.document.uri.toString());
      }
    }),
    deps.onDidRunCell(({ cellId, problems }) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === cellId);
      if (!doc) return;
      runProblems.set(cellId, { text: doc.getText(), problems });
      const nb = deps.notebookOf(doc);
      if (nb) schedule(nb);
    }),
  );
}

/** Language features for `hedge` cells: thin adapters from VS Code's providers to the pure
 *  language service (src/notebook/language). Each request builds the notebook's model from its
 *  cells' text and current outputs (the results a cell shows, unless the kernel marks it stale),
 *  asks the service, and converts positions and edits. */
import * as vscode from 'vscode';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isUnder } from '../data/paths';
import type { Completion, LanguageCell, NotebookModel, CellEdit, Fix } from '../notebook/language';
import type { Range } from '../notebook/location';
import type { CellResult } from '../results';
import { notebookAccess } from './controller';
import { HEDGE_LANGUAGE } from './diagnostics';
import { notebookLayer } from './lazy';

/** Tells whether a cell's shown result is stale (the kernel knows). */
export type StaleProbe = (cell: vscode.NotebookCell) => boolean;

const decoder = new TextDecoder();
/** Parsed results by output item bytes: hovers and completions ask often, outputs change rarely. */
const parsedResults = new WeakMap<Uint8Array, CellResult | null>();

function resultsOf(cell: vscode.NotebookCell): CellResult[] {
  const { CellResult, RESULT_MIME } = notebookLayer();
  const out: CellResult[] = [];
  for (const item of cell.outputs.flatMap((o) => o.items)) {
    if (item.mime !== RESULT_MIME) continue;
    let r = parsedResults.get(item.data);
    if (r === undefined) {
      try {
        const parsed = CellResult.safeParse(JSON.parse(decoder.decode(item.data)));
        r = parsed.success ? parsed.data : null;
      } catch {
        r = null;
      }
      parsedResults.set(item.data, r);
    }
    if (r) out.push(r);
  }
  return out;
}

/** The notebook a cell document belongs to, if any. */
export function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  return vscode.workspace.notebookDocuments.find((nb) =>
    nb.getCells().some((c) => c.document === doc),
  );
}

/** The language service's cells for a notebook: markdown and hedge cells, as the kernel sees
 *  them (cell numbers in messages agree), with the results each shows when not stale. */
export function languageCells(nb: vscode.NotebookDocument, isStale: StaleProbe): LanguageCell[] {
  return nb
    .getCells()
    .filter(
      (c) => c.kind === vscode.NotebookCellKind.Markup || c.document.languageId === HEDGE_LANGUAGE,
    )
    .map((c) => ({
      id: c.document.uri.toString(),
      kind: c.kind === vscode.NotebookCellKind.Markup ? ('markdown' as const) : ('code' as const),
      text: c.document.getText(),
      ...(c.kind === vscode.NotebookCellKind.Code && !isStale(c) ? { results: resultsOf(c) } : {}),
    }));
}

/** The language service (loaded on first use: ./lazy.ts). */
type Service = ReturnType<typeof notebookLayer>;

/** The model for the notebook holding `doc` (or for `doc` alone: a `.hedge` file), and the
 *  service to ask about it. */
export function modelFor(
  doc: vscode.TextDocument,
  isStale: StaleProbe,
): { model: NotebookModel; service: Service; notebook?: vscode.NotebookDocument } {
  const service = notebookLayer();
  const nb = notebookOf(doc);
  const cells: LanguageCell[] = nb
    ? languageCells(nb, isStale)
    : [{ id: doc.uri.toString(), kind: 'code', text: doc.getText() }];
  return { model: service.analyzeNotebook(cells), service, ...(nb ? { notebook: nb } : {}) };
}

export const toRange = (r: Range) =>
  new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn);
const toPosition = (p: vscode.Position) => ({ line: p.line, column: p.character });

const KINDS: Record<Completion['kind'], vscode.CompletionItemKind> = {
  kind: vscode.CompletionItemKind.Class,
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  name: vscode.CompletionItemKind.Reference,
  asset: vscode.CompletionItemKind.Constant,
  file: vscode.CompletionItemKind.File,
  folder: vscode.CompletionItemKind.Folder,
};

function toCompletionItem(c: Completion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, KINDS[c.kind]);
  item.detail = c.detail;
  if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
  item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
  item.range = toRange(c.range);
  item.sortText = c.sortText;
  item.filterText = c.label;
  if (c.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}

/** The hedgebook.default* settings: what a settings cell snippet starts from. */
export function userDefaults(): { benchmark?: string; returns?: string; window?: string } {
  const c = vscode.workspace.getConfiguration('hedgebook');
  return {
    benchmark: c.get<string>('defaultBenchmark'),
    returns: c.get<string>('defaultReturns'),
    window: c.get<string>('defaultWindow'),
  };
}

/** Lists a folder relative to where the notebook's files resolve, never outside the folders it
 *  may read (src/data/paths.ts). */
function fileLister(nb: vscode.NotebookDocument | undefined, doc: vscode.TextDocument) {
  return async (dir: string) => {
    const access = nb
      ? notebookAccess(nb)
      : doc.uri.scheme === 'file'
        ? { base: resolve(doc.uri.fsPath, '..'), roots: [resolve(doc.uri.fsPath, '..')] }
        : null;
    if (!access?.base) return undefined;
    const folder = resolve(access.base, dir);
    if (!access.roots.some((r) => isUnder(folder, r))) return undefined;
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, directory: e.isDirectory() }));
    } catch {
      return undefined;
    }
  };
}

function cellEditsToWorkspaceEdit(edits: readonly CellEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(vscode.Uri.parse(e.cellId), toRange(e.range), e.newText);
  return edit;
}

/** A fix as a WorkspaceEdit: text edits, and a new cell inserted into the notebook. */
export function fixToWorkspaceEdit(
  fix: Fix,
  nb: vscode.NotebookDocument | undefined,
): vscode.WorkspaceEdit {
  const edit = cellEditsToWorkspaceEdit(fix.edits);
  if (fix.newCell && nb) {
    const index = nb.getCells().findIndex((c) => c.document.uri.toString() === fix.newCell?.before);
    const cell = new vscode.NotebookCellData(
      vscode.NotebookCellKind.Code,
      fix.newCell.text,
      HEDGE_LANGUAGE,
    );
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(Math.max(0, index), [cell])]);
  }
  return edit;
}

export function registerLanguageFeatures(isStale: StaleProbe): vscode.Disposable {
  const selector: vscode.DocumentSelector = { language: HEDGE_LANGUAGE };
  const locate = (l: { cellId: string; range: Range }) =>
    new vscode.Location(vscode.Uri.parse(l.cellId), toRange(l.range));
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        async provideCompletionItems(doc, position) {
          const { model, service, notebook } = modelFor(doc, isStale);
          const items = await service.completions(model, doc.uri.toString(), toPosition(position), {
            listFiles: fileLister(notebook, doc),
            defaults: userDefaults(),
          });
          return items.map(toCompletionItem);
        },
      },
      ' ',
      '/',
      '[',
      '{',
      ',',
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, position) {
        const { model, service } = modelFor(doc, isStale);
        const h = service.hover(model, doc.uri.toString(), toPosition(position));
        return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range)) : null;
      },
    }),
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition(doc, position) {
        const { model, service } = modelFor(doc, isStale);
        return service.definition(model, doc.uri.toString(), toPosition(position)).map(locate);
      },
    }),
    vscode.languages.registerReferenceProvider(selector, {
      provideReferences(doc, position, context) {
        const { model, service } = modelFor(doc, isStale);
        return service
          .references(model, doc.uri.toString(), toPosition(position), context.includeDeclaration)
          .map(locate);
      },
    }),
    vscode.languages.registerRenameProvider(selector, {
      prepareRename(doc, position) {
        const { model, service } = modelFor(doc, isStale);
        const check = service.prepareRename(model, doc.uri.toString(), toPosition(position));
        if (!check.ok) throw new Error(check.message);
        return { range: toRange(check.range), placeholder: check.placeholder };
      },
      provideRenameEdits(doc, position, newName) {
        const { model, service } = modelFor(doc, isStale);
        const r = service.rename(model, doc.uri.toString(), toPosition(position), newName.trim());
        if (!r.ok) throw new Error(r.message);
        return cellEditsToWorkspaceEdit(r.edits);
      },
    }),
  );
}

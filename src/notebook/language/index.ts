/** The `hedge` language service: pure functions from a notebook's cells (text, current results)
 *  and a cursor to what an editor shows: completions, hovers, problems with quick fixes, and
 *  names across cells (definition, references, rename). src/vscode/language.ts adapts them to
 *  VS Code; nothing here imports vscode, so all of it is unit-tested in Node. */
export { analyzeNotebook, knownAssets } from './model';
export type { AnalyzedCell, Dataset, LanguageCell, NotebookModel, Occurrence } from './model';
export { completions, kindSnippet } from './completions';
export type { Completion, CompletionKind, CompletionOptions, FileEntry } from './completions';
export { hover, resultSummary } from './hover';
export type { Hover } from './hover';
export { cellProblems, instrumentDraft, notebookProblems } from './problems';
export type { CellEdit, EditorProblem, Fix } from './problems';
export { definition, prepareRename, references, rename } from './names';
export type { CellLocation, RenameCheck } from './names';
export { cursorContext } from './cursor';
export type { CursorContext, Position } from './cursor';
export { keyDoc, keyDocs, keyMarkdown, kindDoc, kindMarkdown, kinds } from './docs';

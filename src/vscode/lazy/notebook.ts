/** What the adapters take from the notebook layer, bundled apart as dist/notebook.js and
 *  loaded on first use (../lazy.ts says why): the file format and its mapping to VS Code's
 *  shapes, the session (evaluators, results, outputs), the language service, starters and the
 *  relocation of file paths. */
export { bytesToPlain, openErrorMessage, plainToBytes } from '../mapping';
export { parseNotebookFile, serializeNotebookFile } from '../../notebook/file-format';
export { Session } from '../../notebook/session';
export { changedFilesWords } from '../../notebook/data-files';
export { outputMetadata } from '../../notebook/saved';
export { problemsToText, toOutputItems } from '../../outputs/mime';
export { CellResult, RESULT_MIME } from '../../results';
export {
  analyzeNotebook,
  cellProblems,
  completions,
  definition,
  hover,
  notebookProblems,
  prepareRename,
  references,
  rename,
} from '../../notebook/language';
export { notebookDataFiles, starterCells } from '../../notebook/starter';
export { fileReferences, relocation } from '../../notebook/relocate';

/** The notebook type and file format version, apart from the file model (file-format.ts) so
 *  that code needing only the names (the extension's activation, src/vscode/lazy.ts) does not
 *  load zod and the schemas. */
export const NOTEBOOK_FORMAT = 1;
export const NOTEBOOK_TYPE = 'hedgebook';

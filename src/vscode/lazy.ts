/** The heavy parts of the extension, loaded when first used instead of at activation.
 *
 *  Why: VS Code counts loading dist/extension.js plus the activate() call as the extension's
 *  activation time, and it activates us at startup in any workspace holding a .hedgebook file.
 *  One bundle of everything (zod schemas built as the module loads, yaml, the engine, the
 *  language service, the report's markdown) took 70-80 ms to load in plain Node and 85-240 ms in
 *  the editor. So dist/extension.js holds only the adapters (src/vscode), and what they call
 *  lives in bundles built apart by scripts/build.mjs:
 *  - dist/notebook.js (./lazy/notebook.ts): the file format, the session and the evaluators,
 *    outputs, the language service: first needed to open a notebook or check a `hedge` cell;
 *  - dist/data.js (./lazy/data.ts): file readers and exchange clients, when a cell loads data;
 *  - dist/export.js (./lazy/export.ts): the HTML report and `.ipynb` exports, for their commands.
 *
 *  Each is loaded with a plain, synchronous require() (Node caches it after the first call), so
 *  the adapters keep their shape: a real import() of such a bundle broke Run All in the
 *  workbench (git log da53c27). The build turns `require('./lazy/x')` here into a require of
 *  `./x.js` next to dist/extension.js; run from source (tsx), it loads the module itself.
 *  Only this file loads those layers: elsewhere in src/vscode, what comes from them is imported
 *  with `import type` (eslint.config.mjs enforces it), or esbuild would pull them back into
 *  dist/extension.js (bench/activation.mjs lists what activation loads). */
import type * as NotebookLayer from './lazy/notebook';
import type * as DataLayer from './lazy/data';
import type * as ExportLayer from './lazy/export';

/* eslint-disable @typescript-eslint/no-require-imports -- a bundle built apart, see above */
export const notebookLayer = (): typeof NotebookLayer => require('./lazy/notebook');
export const dataLayer = (): typeof DataLayer => require('./lazy/data');
export const exportLayer = (): typeof ExportLayer => require('./lazy/export');

/** The pure half of the serializer: the `.hedgebook` file model <-> plain objects shaped like
 *  VS Code's NotebookData (structurally compatible, so serializer.ts only wraps them in the
 *  vscode classes). No 'vscode' import: this file is unit-tested in Node. */
import type { Problem, Result } from '../engine/result';
import { describeProblem } from '../notebook/messages';
import {
  NOTEBOOK_FORMAT,
  OutputMetadata,
  parseNotebookFile,
  serializeNotebookFile,
  type CellOutput,
  type NotebookFile,
} from '../notebook/file-format';

/** VS Code's error output MIME (NotebookCellOutputItem.error). */
export const ERROR_MIME = 'application/vnd.code.notebook.error';

export interface PlainOutputItem {
  mime: string;
  data: Uint8Array;
}
export interface PlainOutput {
  items: PlainOutputItem[];
  metadata?: Record<string, unknown>;
}
export interface PlainCell {
  kind: 'markup' | 'code';
  languageId: string;
  value: string;
  outputs: PlainOutput[];
  executionSummary?: {
    executionOrder?: number;
    success?: boolean;
    timing?: { startTime: number; endTime: number };
  };
}
export interface PlainNotebook {
  cells: PlainCell[];
  metadata: Record<string, unknown>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8'); // drops a leading BOM

/** File model -> plain notebook. The execution summary (order, success, timing) is restored from
 *  the saved output metadata, so a reopened notebook still shows when and how long each cell ran. */
export function fileToPlain(file: NotebookFile): PlainNotebook {
  return {
    metadata: { ...file.metadata },
    cells: file.cells.map((cell): PlainCell => {
      const outputs = (cell.outputs ?? []).map((o): PlainOutput => ({
        items: o.items.map((i) => ({ mime: i.mime, data: encoder.encode(i.data) })),
        ...(o.metadata === undefined ? {} : { metadata: { ...o.metadata } }),
      }));
      const summary = executionSummary(cell.outputs ?? []);
      return {
        kind: cell.kind === 'markdown' ? 'markup' : 'code',
        languageId: cell.language,
        value: cell.source,
        outputs,
        ...(summary === undefined ? {} : { executionSummary: summary }),
      };
    }),
  };
}

function executionSummary(outputs: readonly CellOutput[]): PlainCell['executionSummary'] {
  const meta = outputs.find((o) => o.metadata !== undefined)?.metadata;
  if (meta === undefined) return undefined;
  const success = !outputs.some((o) => o.items.some((i) => i.mime === ERROR_MIME));
  const end = Date.parse(meta.computedAt);
  return {
    ...(meta.executionOrder === undefined ? {} : { executionOrder: meta.executionOrder }),
    success,
    ...(Number.isFinite(end) ? { timing: { startTime: end - meta.durationMs, endTime: end } } : {}),
  };
}

/** Plain notebook -> file model. Output metadata that is not ours is dropped; item bytes are
 *  stored as UTF-8 text (every output Hedgebook writes is text or JSON). */
export function plainToFile(notebook: PlainNotebook): NotebookFile {
  return {
    format: NOTEBOOK_FORMAT,
    metadata: jsonClone(notebook.metadata) as NotebookFile['metadata'],
    cells: notebook.cells.map((cell) => {
      const outputs = cell.outputs.map((o): CellOutput => {
        const items = o.items.map((i) => ({ mime: i.mime, data: decoder.decode(i.data) }));
        const meta = OutputMetadata.strip().safeParse(o.metadata ?? {});
        return meta.success ? { items, metadata: meta.data } : { items };
      });
      return {
        kind: cell.kind === 'markup' ? 'markdown' : 'code',
        language: cell.languageId,
        source: cell.value,
        ...(outputs.length === 0 ? {} : { outputs }),
      };
    }),
  };
}

/** Notebook metadata as plain JSON (VS Code may hand over values JSON cannot hold). */
function jsonClone(value: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(value ?? {}) ?? '{}');
}

/** Bytes of a file -> plain notebook, or the problems that keep it from opening. A file with
 *  nothing but whitespace is a new, empty notebook (nothing on disk can be lost). */
export function bytesToPlain(bytes: Uint8Array): Result<PlainNotebook> {
  const text = decoder.decode(bytes);
  if (text.trim() === '') return { ok: true, value: { cells: [], metadata: {} }, warnings: [] };
  const parsed = parseNotebookFile(text);
  if (!parsed.ok) return parsed;
  return { ok: true, value: fileToPlain(parsed.value), warnings: parsed.warnings };
}

export function plainToBytes(notebook: PlainNotebook): Uint8Array {
  return encoder.encode(serializeNotebookFile(plainToFile(notebook)));
}

/** The message of the error thrown when a file cannot be opened: what is wrong and where. */
export function openErrorMessage(problems: readonly Problem[], fileName?: string): string {
  const shown = problems.slice(0, 5).map((p) => `- ${describeProblem(p)}`);
  if (problems.length > shown.length) shown.push(`- and ${problems.length - shown.length} more`);
  const name = fileName ? ` ${fileName}` : '';
  return (
    `Hedgebook cannot open${name}; the file was left unchanged.\n${shown.join('\n')}\n` +
    'Fix it in a text editor (Reopen Editor With... > Text Editor), then open it again.'
  );
}

/** The `.hedgebook` file: JSON, versioned, validated with zod, written with a stable layout so
 *  git diffs stay small. Pure (no I/O, no vscode): the serializer, the CLI and tests share it.
 *
 *  On disk a cell's `source` is an array of lines (an edit shows as a one-line diff); in the
 *  model it is one string. A string is accepted on read too. Every problem found on read names
 *  the JSON path and the 1-based line/column in the file (params.line, params.column).
 *
 *  Layout written by serializeNotebookFile (the canonical form):
 *  { "format": 1, "metadata": {…sorted keys…}, "cells": [ { "kind", "language", "source": [lines],
 *    "outputs"?: [ { "items": [ { "mime", "data" } ], "metadata"?: { "computedAt", "durationMs",
 *    "executionOrder"?, "data"?: { "source", "start", "end", "rows", "hash"?,
 *    "file"?: { "hash", "bytes" } }, "sourceHash"?, "inputsHash"?, "hedgebookVersion"? } } ] } ] }
 *  two-space indentation, a trailing newline. */
import * as z from 'zod';
import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { fail, failWith, ok, type Problem, type Result } from '../engine/result';
import { Provenance } from '../results';
import { MAX_NOTEBOOK_CHARS, MAX_NOTEBOOK_DEPTH } from './limits';
import { NOTEBOOK_FORMAT } from './file-type';

export { NOTEBOOK_FORMAT, NOTEBOOK_TYPE } from './file-type';

export const OutputItem = z.strictObject({
  mime: z.string().min(1),
  /** Text, or JSON text for JSON MIME types (kept verbatim). */
  data: z.string(),
});
export type OutputItem = z.infer<typeof OutputItem>;

/** When and on what a result was computed: the notebook is the record of a hedge decision. */
export const OutputMetadata = z.strictObject({
  computedAt: z.string(), // ISO time
  durationMs: z.number().nonnegative(),
  executionOrder: z.number().int().nonnegative().optional(),
  data: Provenance.strict().optional(),
  /** What the output follows from (src/notebook/digest.ts): the cell's text, and the cell's text
   *  with every upstream cell and the data they loaded. A mismatch on open marks it stale. */
  sourceHash: z.string().optional(),
  inputsHash: z.string().optional(),
  /** The Hedgebook version that computed it. */
  hedgebookVersion: z.string().optional(),
});
export type OutputMetadata = z.infer<typeof OutputMetadata>;

export const CellOutput = z.strictObject({
  items: z.array(OutputItem),
  metadata: OutputMetadata.optional(),
});
export type CellOutput = z.infer<typeof CellOutput>;

/** On disk: an array of lines (or, hand-written, one string); in the model: one string. */
const Source = z
  .union([z.string(), z.array(z.string())])
  .transform((s) => (typeof s === 'string' ? s : s.join('\n')));

export const FileCell = z.strictObject({
  kind: z.enum(['markdown', 'code']),
  /** 'hedge' or 'markdown' normally; any language id VS Code lets a user pick is kept. */
  language: z.string().min(1),
  source: Source,
  outputs: z.array(CellOutput).optional(),
});
export type FileCell = z.output<typeof FileCell>;

export const NotebookFileSchema = z.strictObject({
  format: z.literal(NOTEBOOK_FORMAT),
  /** Free-form notebook metadata (title, ...): any JSON, written with sorted keys. */
  metadata: z.record(z.string(), z.json()).default({}),
  cells: z.array(FileCell),
});
export type NotebookFile = z.output<typeof NotebookFileSchema>;

/** Parses and validates a `.hedgebook` file. Never throws for bad input: JSON syntax errors
 *  (notebook_json_syntax), a newer format (notebook_format_newer), schema errors
 *  (notebook_schema, notebook_unknown_key) and files past the limits (notebook_too_large,
 *  notebook_too_deep: limits.ts) come back as located problems, in time linear in the file's
 *  size. A leading UTF-8 byte order mark is ignored. */
export function parseNotebookFile(input: string): Result<NotebookFile> {
  // A UTF-8 byte order mark (some editors on Windows write one) is not part of the JSON.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.length > MAX_NOTEBOOK_CHARS)
    return fail('notebook_too_large', [], { chars: text.length, max: MAX_NOTEBOOK_CHARS });
  const locate = lineLocator(text);
  // The JSON parsers recurse per level: refuse absurd nesting before they run.
  const deep = tooDeepAt(text, MAX_NOTEBOOK_DEPTH);
  if (deep >= 0) return fail('notebook_too_deep', [], { ...locate(deep), max: MAX_NOTEBOOK_DEPTH });
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first !== undefined) {
    return fail('notebook_json_syntax', [], {
      ...locate(first.offset),
      error: printParseErrorCode(first.error),
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text); // the standard's semantics; the tree above is only for positions
  } catch (e) {
    return fail('notebook_json_syntax', [], { line: 1, column: 1, error: String(e) });
  }
  if (root === undefined) return fail('notebook_json_syntax', [], { ...locate(0), error: 'Empty' });

  const format = isRecord(value) ? value.format : undefined;
  if (typeof format === 'number' && Number.isInteger(format) && format > NOTEBOOK_FORMAT) {
    return fail('notebook_format_newer', ['format'], {
      ...locate(offsetOf(root, ['format'])),
      format,
      supported: NOTEBOOK_FORMAT,
    });
  }

  // JSON.parse keeps a "__proto__" key but validation would silently drop it: refuse it instead.
  const proto = findKey(root, '__proto__');
  if (proto !== undefined) {
    return fail('notebook_schema', [], {
      ...locate(proto),
      detail: 'a key named "__proto__" is not allowed in a notebook file',
    });
  }

  const parsed = NotebookFileSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const problems: Problem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          code: 'notebook_unknown_key',
          path: [...path, key],
          params: { ...locate(offsetOf(root, [...path, key])), key },
        });
      }
      continue;
    }
    problems.push({
      code: 'notebook_schema',
      path,
      params: { ...locate(offsetOf(root, path)), detail: issue.message },
    });
  }
  return failWith(problems);
}

/** Writes the canonical form: fixed key order, sorted metadata keys, two-space indentation,
 *  source as lines, a trailing newline. parseNotebookFile(serializeNotebookFile(m)) equals m. */
export function serializeNotebookFile(file: NotebookFile): string {
  const out = {
    format: file.format,
    metadata: sortKeys(file.metadata),
    cells: file.cells.map((cell) => ({
      kind: cell.kind,
      language: cell.language,
      source: cell.source === '' ? [] : cell.source.split('\n'),
      ...(cell.outputs === undefined ? {} : { outputs: cell.outputs.map(serializeOutput) }),
    })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

function serializeOutput(output: CellOutput): object {
  const items = output.items.map((item) => ({ mime: item.mime, data: item.data }));
  const m = output.metadata;
  if (m === undefined) return { items };
  const metadata = {
    computedAt: m.computedAt,
    durationMs: m.durationMs,
    ...(m.executionOrder === undefined ? {} : { executionOrder: m.executionOrder }),
    ...(m.data === undefined
      ? {}
      : {
          data: {
            source: m.data.source,
            start: m.data.start,
            end: m.data.end,
            rows: m.data.rows,
            ...(m.data.hash === undefined ? {} : { hash: m.data.hash }),
            ...(m.data.file === undefined
              ? {}
              : { file: { hash: m.data.file.hash, bytes: m.data.file.bytes } }),
          },
        }),
    ...(m.sourceHash === undefined ? {} : { sourceHash: m.sourceHash }),
    ...(m.inputsHash === undefined ? {} : { inputsHash: m.inputsHash }),
    ...(m.hedgebookVersion === undefined ? {} : { hedgebookVersion: m.hedgebookVersion }),
  };
  return { items, metadata };
}

/** Offset of the first object key with this name anywhere in the tree (in document order;
 *  iterative, so no depth can overflow the stack). */
function findKey(root: Node, key: string): number | undefined {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.type === 'property' && node.children?.[0]?.value === key)
      return node.children[0].offset;
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Node);
  }
  return undefined;
}

/** Offset of the first [ or { opened deeper than `max` outside strings, or -1. O(n). */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote (a backslash escapes the next character)
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++)
        if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return -1;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Offset of the key (for an object property) or the element at `path`; a missing key is
 *  located at the nearest enclosing value that exists. */
function offsetOf(root: Node, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
    if (node === undefined) continue;
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return (key ?? node).offset;
  }
  return root.offset;
}

/** Offset -> 1-based line and column (columns count UTF-16 code units, as editors do). */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}

/** A notebook as a Jupyter notebook (nbformat 4.5), for the people who read .ipynb files:
 *  GitHub, JupyterLab, VS Code's Jupyter support, nbviewer. Pure.
 *
 *  - markdown cells stay markdown cells;
 *  - a hedge cell is a code cell whose source is its YAML, with one display_data output per
 *    result carrying the Hedgebook result (application/vnd.hedgebook.result+json, so VS Code
 *    with Hedgebook draws it), its tables as text/markdown and text/plain, and one display_data
 *    output per chart as application/vnd.plotly.v1+json ({ data, layout }, drawn by JupyterLab's
 *    and VS Code's plotly renderers; text/plain names the chart elsewhere). The result output's
 *    metadata says `hedgebook.charts: "plotly-outputs"`, so Hedgebook's renderer draws only the
 *    tables and the charts are not shown twice;
 *  - a failed cell's error is an `error` output; other code cells keep their language in
 *    `metadata.vscode.languageId` (as VS Code's own .ipynb serializer writes it);
 *  - the notebook's language is `hedge` (metadata.language_info), so VS Code reopens the code
 *    cells as hedge cells. */
import { CellResult, RESULT_MIME } from '../results';
import { buildFigures } from './figures';
import { defaultTheme } from './theme';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const ERROR_MIME = 'application/vnd.code.notebook.error';

export type IpynbCell =
  | { kind: 'markdown'; source: string }
  | {
      kind: 'code';
      source: string;
      language: string;
      executionOrder?: number | undefined;
      outputs: {
        items: { mime: string; data: string }[];
        /** Kept under metadata.hedgebook (when, on what data, from what it was computed). */
        metadata?: Record<string, unknown> | undefined;
      }[];
    };

export interface IpynbInput {
  readonly title?: string;
  readonly cells: readonly IpynbCell[];
  /** Notebook-level facts kept under metadata.hedgebook (source file, version). */
  readonly hedgebook?: Record<string, unknown>;
}

/** nbformat's multiline string: lines that keep their '\n', the last one without. */
export function toLines(text: string): string[] {
  const parts = text.replace(/\r\n?/g, '\n').split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? `${l}\n` : l)).filter((l) => l !== '');
}

type Json = unknown;

function parseResult(data: string): CellResult | null {
  try {
    const r = CellResult.safeParse(JSON.parse(data));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function outputsOf(cell: Extract<IpynbCell, { kind: 'code' }>): Json[] {
  const out: Json[] = [];
  for (const o of cell.outputs) {
    const by = (mime: string) => o.items.find((i) => i.mime === mime);
    const error = by(ERROR_MIME);
    if (error) {
      let ename = 'Error';
      let evalue = error.data;
      try {
        const e = JSON.parse(error.data) as { name?: unknown; message?: unknown };
        if (typeof e.name === 'string') ename = e.name;
        if (typeof e.message === 'string') evalue = e.message;
      } catch {
        // not JSON: the text as it is
      }
      out.push({ output_type: 'error', ename, evalue, traceback: evalue.split('\n') });
      continue;
    }
    const resultItem = by(RESULT_MIME);
    const result = resultItem ? parseResult(resultItem.data) : null;
    const figures = result ? buildFigures(result, defaultTheme('light')) : [];
    const data: Record<string, Json> = {};
    for (const i of o.items) {
      if (i.mime === RESULT_MIME) {
        try {
          data[i.mime] = JSON.parse(i.data);
        } catch {
          // a damaged result: left out, its text alternatives stay
        }
      } else if (i.mime.startsWith('text/')) data[i.mime] = toLines(i.data);
      else if (/json/i.test(i.mime)) {
        try {
          data[i.mime] = JSON.parse(i.data);
        } catch {
          data[i.mime] = i.data;
        }
      } else data[i.mime] = i.data;
    }
    if (Object.keys(data).length === 0) continue;
    const hedgebook = {
      ...(o.metadata ?? {}),
      ...(figures.length > 0 ? { charts: 'plotly-outputs' } : {}),
    };
    out.push({
      output_type: 'display_data',
      data,
      metadata: Object.keys(hedgebook).length > 0 ? { hedgebook } : {},
    });
    for (const f of figures) {
      out.push({
        output_type: 'display_data',
        data: {
          [PLOTLY_MIME]: { data: f.data, layout: f.layout },
          'text/plain': [`<${f.title}: an interactive plotly chart>`],
        },
        metadata: { hedgebook: { figure: f.id } },
      });
    }
  }
  return out;
}

/** The .ipynb JSON object (nbformat 4.5). Cell ids are their 1-based positions. */
export function toIpynb(input: IpynbInput): Record<string, Json> {
  const cells = input.cells.map((cell, i): Json => {
    const id = `cell-${i + 1}`;
    if (cell.kind === 'markdown')
      return { cell_type: 'markdown', id, metadata: {}, source: toLines(cell.source) };
    return {
      cell_type: 'code',
      id,
      metadata: cell.language === 'hedge' ? {} : { vscode: { languageId: cell.language } },
      execution_count:
        cell.executionOrder !== undefined && cell.executionOrder > 0 ? cell.executionOrder : null,
      source: toLines(cell.source),
      outputs: cell.language === 'hedge' ? outputsOf(cell) : [],
    };
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      language_info: { name: 'hedge', file_extension: '.hedge', mimetype: 'text/x-yaml' },
      ...(input.title ? { title: input.title } : {}),
      ...(input.hedgebook ? { hedgebook: input.hedgebook } : {}),
    },
    cells,
  };
}

/** The file's text: one-space indentation and sorted keys, as Jupyter and VS Code write it,
 *  except that an array of numbers or strings stays on one line (a chart's series would take a
 *  line per point and double the file). */
export function ipynbText(input: IpynbInput): string {
  return `${pretty(sortKeys(toIpynb(input)), '')}\n`;
}

function pretty(value: Json, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null)) return JSON.stringify(value);
    const inner = `${indent} `;
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent} `;
    const body = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, Json> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, Json>)[k]);
  return out;
}

/** The self-contained HTML report of a notebook: a header (title, notebook, when its outputs were
 *  computed, by which Hedgebook), a table of contents, the markdown cells as HTML (markdown-it,
 *  markdown.ts), each code cell's source and outputs with the data they were computed on, and a
 *  stale mark where the outputs no longer follow from the cell. Result outputs are drawn in the
 *  page by the renderer bundle (the same activate()/renderOutputItem() code as in the editor,
 *  plotly inlined), passed in as `rendererJs` (the CLI reads dist/report-renderer.js).
 *
 *  Nothing can run but that one script: the content security policy allows no source at all
 *  (`default-src 'none'`) and scripts only by the SHA-256 of the renderer's text, so an escaping
 *  slip anywhere (a `<script>` or an `onerror=` attribute from a notebook) would still not run.
 *  Every notebook string is escaped; result JSON sits in JSON script elements (never executed)
 *  that the renderer parses. Light and dark follow the reader's prefers-color-scheme; printing
 *  (to paper or PDF) uses the light colours and keeps charts and tables whole on a page. */
import { CellResult, RESULT_MIME, type Provenance } from '../results';
import { escapeHtml } from './escape';
import { renderMarkdown, type Heading } from './markdown';
import { resultTitle } from './tables';

export interface ReportCellMeta {
  /** ISO time the outputs were computed. */
  readonly computedAt?: string;
  readonly durationMs?: number;
  readonly executionOrder?: number;
  /** Why the outputs no longer follow from the cell and its inputs (null or absent: current). */
  readonly stale?: string | null;
}

export type ReportCell =
  | { kind: 'markdown'; text: string }
  | {
      kind: 'code';
      source: string;
      items: { mime: string; data: string }[];
      /** The cell's language when it is not `hedge` (shown, and said not to be run). */
      language?: string;
      meta?: ReportCellMeta;
    };

export interface ReportInput {
  title: string;
  cells: ReportCell[];
  rendererJs: string;
  /** Base64 SHA-256 of a text: the CSP's hash of the inline script (node:crypto in the CLI). */
  sha256Base64: (text: string) => string;
  /** The notebook file, as the user named it. */
  notebook?: string;
  /** When the outputs shown were computed (ISO) and how long the run took. */
  ranAt?: string;
  durationMs?: number;
  /** "Hedgebook 0.1.0". */
  generator?: string;
  /** What the outputs are: 'run' (computed for this report) or 'saved' (as saved in the file). */
  outputs?: 'run' | 'saved';
}

const ERROR_MIME = 'application/vnd.code.notebook.error';
const STREAM_MIMES = [
  'application/vnd.code.notebook.stdout',
  'application/vnd.code.notebook.stderr',
];

/** Consecutive items of one output (a result and its markdown/text alternatives) are grouped;
 *  a new group starts at a result item or when a mime repeats. */
function groupOutputs(items: readonly { mime: string; data: string }[]) {
  const groups: { mime: string; data: string }[][] = [];
  for (const item of items) {
    const current = groups[groups.length - 1];
    if (!current || item.mime === RESULT_MIME || current.some((i) => i.mime === item.mime)) {
      groups.push([item]);
    } else current.push(item);
  }
  return groups;
}

/** JSON text that can sit inside a script element: '<' never appears raw. */
function scriptJson(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Script text that cannot close its script element early. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** The cell results held in an output list (the ones that parse). */
function resultsOf(items: readonly { mime: string; data: string }[]): CellResult[] {
  return items.flatMap((i) => {
    if (i.mime !== RESULT_MIME) return [];
    try {
      const r = CellResult.safeParse(JSON.parse(i.data));
      return r.success ? [r.data] : [];
    } catch {
      return [];
    }
  });
}

function renderOutput(
  group: readonly { mime: string; data: string }[],
  id: string,
  ids: Set<string>,
): string {
  const by = (mime: string) => group.find((i) => i.mime === mime);
  const result = by(RESULT_MIME);
  const markdown = by('text/markdown');
  const md = (text: string) => renderMarkdown(text, ids).html;
  if (result) {
    // The markdown tables are the fallback shown until (or unless) the renderer draws.
    return (
      `<div class="hb-output" data-output-id="${escapeHtml(id)}" data-mime="${RESULT_MIME}">` +
      (markdown ? md(markdown.data) : '') +
      `</div><script type="application/json">${scriptJson(result.data)}</script>`
    );
  }
  if (markdown) return `<div class="hb-markdown-output">${md(markdown.data)}</div>`;
  const error = by(ERROR_MIME);
  if (error) {
    let message = error.data;
    try {
      const parsed = JSON.parse(error.data) as { name?: unknown; message?: unknown };
      message = [parsed.name, parsed.message].filter((x) => typeof x === 'string').join(': ');
    } catch {
      // not JSON: show the text as it is
    }
    return `<pre class="hb-error-output">${escapeHtml(message)}</pre>`;
  }
  const text = by('text/plain') ?? group.find((i) => STREAM_MIMES.includes(i.mime));
  if (text) return `<pre class="hb-text-output">${escapeHtml(text.data)}</pre>`;
  return `<p class="hb-muted">(output of type ${escapeHtml(group[0]?.mime ?? 'unknown')} not shown)</p>`;
}

/** '2024-01-01' for a UTC midnight, else '2024-01-01 13:00 UTC'; other text as it is. */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?Z$/.exec(iso);
  if (!m) return iso;
  return m[2] === '00:00' && !/[1-9]/.test(m[3] ?? '') ? (m[1] ?? iso) : `${m[1]} ${m[2]} UTC`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line per distinct dataset the cell's results were computed on. */
function provenanceHtml(results: readonly CellResult[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of results) {
    const d: (Provenance & { hash?: unknown }) | undefined = r.data;
    if (!d) continue;
    const key = JSON.stringify(d);
    if (seen.has(key)) continue;
    seen.add(key);
    const hash =
      typeof d.hash === 'string'
        ? ` · content <code title="${escapeHtml(d.hash)}">${escapeHtml(d.hash.slice(0, 19))}…</code>`
        : '';
    lines.push(
      `<li>${escapeHtml(d.source)}: ${escapeHtml(shortTime(d.start))} to ` +
        `${escapeHtml(shortTime(d.end))}, ${d.rows.toLocaleString('en-US')} rows${hash}</li>`,
    );
  }
  return lines.length === 0
    ? ''
    : `<ul class="hb-provenance" aria-label="Data used">${lines.join('')}</ul>`;
}

function cellFooter(results: readonly CellResult[], meta: ReportCellMeta | undefined): string {
  const when: string[] = [];
  if (meta?.computedAt) when.push(`computed ${escapeHtml(shortTime(meta.computedAt))}`);
  if (meta?.durationMs !== undefined) when.push(`in ${duration(meta.durationMs)}`);
  const prov = provenanceHtml(results);
  if (when.length === 0 && prov === '') return '';
  return (
    `<footer class="cell-footer hb-muted">` +
    (prov === '' ? '' : `<span class="label">Data used</span>${prov}`) +
    (when.length === 0 ? '' : `<div>Outputs ${when.join(' ')}</div>`) +
    `</footer>`
  );
}

interface TocEntry {
  readonly level: number;
  readonly text: string;
  readonly id: string;
  readonly stale?: boolean;
}

function tocHtml(entries: readonly TocEntry[]): string {
  if (entries.length < 2) return '';
  const items = entries
    .map(
      (e) =>
        `<li class="toc-${Math.min(e.level, 4)}"><a href="#${escapeHtml(e.id)}">${escapeHtml(e.text)}</a>` +
        (e.stale ? ' <span class="hb-stale-tag">stale</span>' : '') +
        `</li>`,
    )
    .join('');
  return `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ul>${items}</ul></nav>`;
}

export function renderReportHtml(input: ReportInput): string {
  const ids = new Set<string>(['contents']);
  const toc: TocEntry[] = [];
  let lastLevel = 1;
  const title = escapeHtml(input.title);
  const firstMarkdown = input.cells.findIndex((c) => c.kind === 'markdown');
  const sections = input.cells.map((cell, c) => {
    if (cell.kind === 'markdown') {
      // The notebook's own first heading is the page's title: not shown twice.
      const r = renderMarkdown(cell.text, ids, c === firstMarkdown ? input.title : undefined);
      for (const h of r.headings.filter((x: Heading) => x.level <= 3)) {
        toc.push(h);
        lastLevel = h.level;
      }
      return `<section class="cell markdown-cell">${r.html}</section>`;
    }
    const id = `cell-${c + 1}`;
    ids.add(id);
    const results = resultsOf(cell.items);
    const stale = cell.meta?.stale ?? null;
    for (const r of results)
      toc.push({ level: lastLevel + 1, text: resultTitle(r), id, stale: stale !== null });
    const outputs = groupOutputs(cell.items)
      .map((g, o) => renderOutput(g, `cell${c}-output${o}`, ids))
      .join('\n');
    const language = cell.language && cell.language !== 'hedge' ? cell.language : null;
    const order = cell.meta?.executionOrder;
    // 'cell 3' counts every cell, markdown too, as messages ('portfolio core (cell 3) has
    // errors'), the CLI and the JSON do; [n] is the execution order, as the editor shows it.
    const label = `cell ${c + 1}${order ? ` · [${order}]` : ''}`;
    return (
      `<section class="cell code-cell${stale !== null ? ' stale' : ''}" id="${id}">` +
      `<div class="cell-label">${label}${language ? ` ${escapeHtml(language)}` : ''}</div>` +
      (stale !== null
        ? `<p class="hb-stale" role="note"><strong>Stale:</strong> ${escapeHtml(stale)}</p>`
        : '') +
      `<pre class="source"><code class="language-${escapeHtml(language ?? 'hedge')}">${escapeHtml(cell.source)}</code></pre>` +
      (language
        ? `<p class="hb-muted">Not run: Hedgebook runs only <code>hedge</code> cells.</p>`
        : '') +
      (outputs ? `<div class="outputs">${outputs}</div>` : '') +
      cellFooter(results, cell.meta) +
      `</section>`
    );
  });
  const facts: string[] = [];
  if (input.notebook) facts.push(`Notebook <code>${escapeHtml(input.notebook)}</code>`);
  if (input.ranAt) {
    const verb = input.outputs === 'saved' ? 'Outputs as saved, computed' : 'Run';
    facts.push(
      `${verb} ${escapeHtml(shortTime(input.ranAt))}` +
        (input.durationMs !== undefined ? ` in ${duration(input.durationMs)}` : ''),
    );
  }
  if (input.generator) facts.push(escapeHtml(input.generator));
  const staleCount = input.cells.filter((c) => c.kind === 'code' && c.meta?.stale).length;
  if (staleCount > 0)
    facts.push(
      `<span class="hb-stale-tag">${staleCount} stale cell${staleCount === 1 ? '' : 's'}</span>`,
    );
  const script = inlineScript(input.rendererJs);
  const csp =
    `default-src 'none'; script-src 'sha256-${input.sha256Base64(script)}'; ` +
    `style-src 'unsafe-inline'; img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="${escapeHtml(input.generator ?? 'Hedgebook')}">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${REPORT_CSS}</style>
</head>
<body class="vscode-light">
<main>
<header class="report-header"><h1>${title}</h1>
${facts.length > 0 ? `<p class="facts">${facts.join(' · ')}</p>` : ''}
<p class="hb-muted screen-only">Charts are interactive: hover for exact values, drag to zoom, double-click to reset.</p></header>
${tocHtml(toc)}
${sections.join('\n')}
</main>
<script>${script}</script>
</body>
</html>
`;
}

const LIGHT = `--vscode-editor-foreground: #3b3b3b; --vscode-editor-background: #ffffff;
  --vscode-descriptionForeground: #6b6b6b; --vscode-charts-lines: rgba(97, 97, 97, 0.25);
  --hb-code-bg: #f5f5f5; --hb-border: #e0e0e0; --hb-link: #0f62c4; --hb-warn-bg: #fff4ce;
  --hb-warn: #8a5a00;`;
const DARK = `--vscode-editor-foreground: #cccccc; --vscode-editor-background: #1f1f1f;
  --vscode-descriptionForeground: #9d9d9d; --vscode-charts-lines: rgba(204, 204, 204, 0.2);
  --hb-code-bg: #2a2a2a; --hb-border: #3c3c3c; --hb-link: #4daafc; --hb-warn-bg: #3d3200;
  --hb-warn: #e9c46a;`;

const REPORT_CSS = `
:root { color-scheme: light dark; ${LIGHT} }
@media (prefers-color-scheme: dark) { :root { ${DARK} } }
body { margin: 0; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground);
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Helvetica Neue", sans-serif;
  font-size: 14px; line-height: 1.5; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: 8px 0 0; }
.facts { margin: 4px 0; }
.hb-muted { color: var(--vscode-descriptionForeground); }
.toc { border: 1px solid var(--hb-border); border-radius: 6px; padding: 4px 16px 8px; margin: 12px 0 20px; }
.toc h2 { font-size: 1em; margin: 6px 0; }
.toc ul { list-style: none; padding: 0; margin: 0; columns: 2 320px; }
.toc li { break-inside: avoid; }
.toc .toc-2 { padding-left: 1em; } .toc .toc-3 { padding-left: 2em; } .toc .toc-4 { padding-left: 3em; }
.cell { margin: 18px 0; }
.code-cell { border-left: 3px solid var(--hb-border); padding-left: 12px; }
.code-cell.stale { border-left-color: var(--hb-warn); }
.cell-label { color: var(--vscode-descriptionForeground); font-size: 0.85em; }
.hb-stale { background: var(--hb-warn-bg); color: var(--vscode-editor-foreground); padding: 6px 10px; border-radius: 4px; margin: 4px 0; }
.hb-stale-tag { background: var(--hb-warn-bg); color: var(--hb-warn); border-radius: 3px; padding: 0 5px; font-size: 0.85em; }
pre { background: var(--hb-code-bg); padding: 8px 12px; overflow-x: auto; border-radius: 4px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
.outputs { margin-top: 8px; }
.cell-footer { font-size: 0.85em; margin-top: 6px; }
.cell-footer .label { font-weight: 600; }
.hb-provenance { margin: 0 0 2px; padding-left: 18px; }
table { border-collapse: collapse; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--hb-border); }
.hb-error-output { border-left: 3px solid #e51400; }
a { color: var(--hb-link); }
@media print {
  :root { ${LIGHT} }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .screen-only { display: none; }
  .toc ul { columns: 2; }
  a { color: inherit; text-decoration: none; }
  pre { white-space: pre-wrap; overflow: visible; }
  table { font-size: 8.5pt; }
  th, td { padding: 2px 5px; }
  h1, h2, h3 { break-after: avoid; }
  .hb-chart { zoom: var(--hb-print-zoom, 1); }
  .hb-chart, .js-plotly-plot, table, .cell-footer, .hb-stale { break-inside: avoid; }
  .modebar-container, .updatemenu-container { display: none; }
}
@page { margin: 14mm 12mm; }
`;

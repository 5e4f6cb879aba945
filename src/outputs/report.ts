/** The self-contained HTML report of an executed notebook: markdown cells as HTML, each code
 *  cell's source and its outputs. Result outputs are drawn in the page by the renderer bundle
 *  (the same activate()/renderOutputItem() code as in the editor, plotly inlined), passed in as
 *  `rendererJs` (the CLI reads dist/report-renderer.js). Nothing is fetched: a strict content
 *  security policy allows only the page's own inline script and styles. Every notebook string
 *  is escaped; result JSON sits in a JSON script element that the renderer parses. */
import { RESULT_MIME } from '../results';
import { escapeHtml } from './escape';
import { markdownToHtml } from './markdown';

export type ReportCell =
  | { kind: 'markdown'; text: string }
  | { kind: 'code'; source: string; items: { mime: string; data: string }[] };

export interface ReportInput {
  title: string;
  cells: ReportCell[];
  rendererJs: string;
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

function renderOutput(group: readonly { mime: string; data: string }[], id: string): string {
  const by = (mime: string) => group.find((i) => i.mime === mime);
  const result = by(RESULT_MIME);
  const markdown = by('text/markdown');
  if (result) {
    // The markdown tables are the fallback shown until (or unless) the renderer draws.
    return (
      `<div class="hb-output" data-output-id="${escapeHtml(id)}" data-mime="${RESULT_MIME}">` +
      (markdown ? markdownToHtml(markdown.data) : '') +
      `</div><script type="application/json">${scriptJson(result.data)}</script>`
    );
  }
  if (markdown) return `<div class="hb-markdown-output">${markdownToHtml(markdown.data)}</div>`;
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

export function renderReportHtml(input: ReportInput): string {
  let codeIndex = 0;
  const sections = input.cells.map((cell, c) => {
    if (cell.kind === 'markdown') {
      return `<section class="cell markdown-cell">${markdownToHtml(cell.text)}</section>`;
    }
    codeIndex++;
    const outputs = groupOutputs(cell.items)
      .map((g, o) => renderOutput(g, `cell${c}-output${o}`))
      .join('\n');
    return (
      `<section class="cell code-cell"><div class="cell-label">[${codeIndex}]</div>` +
      `<pre class="source"><code class="language-hedge">${escapeHtml(cell.source)}</code></pre>` +
      (outputs ? `<div class="outputs">${outputs}</div>` : '') +
      `</section>`
    );
  });
  const title = escapeHtml(input.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<meta name="generator" content="Hedgebook">
<title>${title}</title>
<style>${REPORT_CSS}</style>
</head>
<body class="vscode-light">
<main>
<header><h1>${title}</h1><p class="hb-muted">Hedgebook report. Charts are interactive: hover for exact values, drag to zoom, double-click to reset.</p></header>
${sections.join('\n')}
</main>
<script>${inlineScript(input.rendererJs)}</script>
</body>
</html>
`;
}

const REPORT_CSS = `
body.vscode-light { --vscode-editor-foreground: #3b3b3b; --vscode-editor-background: #ffffff;
  --vscode-descriptionForeground: #717171; --vscode-charts-lines: rgba(97, 97, 97, 0.25);
  --hb-code-bg: #f5f5f5; --hb-border: #e0e0e0; }
body.vscode-dark { --vscode-editor-foreground: #cccccc; --vscode-editor-background: #1f1f1f;
  --vscode-descriptionForeground: #9d9d9d; --vscode-charts-lines: rgba(204, 204, 204, 0.2);
  --hb-code-bg: #2a2a2a; --hb-border: #3c3c3c; }
body { margin: 0; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground);
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Helvetica Neue", sans-serif;
  font-size: 14px; line-height: 1.5; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: 8px 0 0; }
.hb-muted { color: var(--vscode-descriptionForeground); }
.cell { margin: 18px 0; }
.code-cell { border-left: 3px solid var(--hb-border); padding-left: 12px; }
.cell-label { color: var(--vscode-descriptionForeground); font-size: 0.85em; }
pre { background: var(--hb-code-bg); padding: 8px 12px; overflow-x: auto; border-radius: 4px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
.outputs { margin-top: 8px; }
table { border-collapse: collapse; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--hb-border); }
.hb-error-output { border-left: 3px solid #e51400; }
a { color: #1a85ff; }
`;

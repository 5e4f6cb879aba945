import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renderReportHtml, shortTime } from '../../src/outputs/report';
import { markdownToHtml, renderMarkdown, slug } from '../../src/outputs/markdown';
import { toOutputItems } from '../../src/outputs/mime';
import { RESULT_MIME } from '../../src/results';
import { sampleHedge, XSS_NAME } from './sample-results';

const sha256Base64 = (t: string) => createHash('sha256').update(t, 'utf8').digest('base64');

describe('markdownToHtml (markdown-it)', () => {
  it('renders headings, emphasis, code, lists and GitHub tables', () => {
    const html = markdownToHtml(
      '# Title\n\nSome **bold**, *it* and `co<de>`.\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |',
    );
    assert.ok(html.startsWith('<h1 id="title">Title</h1>\n'), html);
    assert.ok(
      html.includes(
        '<p>Some <strong>bold</strong>, <em>it</em> and <code>co&lt;de&gt;</code>.</p>',
      ),
    );
    assert.ok(html.includes('<ul>\n<li>one</li>\n<li>two</li>\n</ul>'));
    assert.ok(html.includes('<th style="text-align:right">b</th>'));
    assert.ok(html.includes('<td style="text-align:right">2</td>'));
  });
  it('shows raw HTML as text', () => {
    assert.equal(
      markdownToHtml(`${XSS_NAME} <script>alert(1)</script>`),
      '<p>&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
  });
  it('links only to safe places, without an opener, and never loads an image', () => {
    assert.equal(markdownToHtml('[a](javascript:alert(1))'), '<p>[a](javascript:alert(1))</p>\n');
    assert.equal(markdownToHtml('[a](vbscript:x) [b](data:text/html,x)').includes('href'), false);
    assert.equal(
      markdownToHtml('[docs](https://example.org/x?a=1&b=2)'),
      '<p><a href="https://example.org/x?a=1&amp;b=2" rel="noopener noreferrer">docs</a></p>\n',
    );
    assert.equal(
      markdownToHtml('![chart](https://example.org/c.png)'),
      '<p><a href="https://example.org/c.png" rel="noopener noreferrer">chart</a></p>\n',
    );
    assert.ok(!markdownToHtml('![x](javascript:alert(1))').includes('href'));
    assert.ok(markdownToHtml('see www.example.org').includes('<a href="http://www.example.org"'));
  });
  it('reads markdown backslash escapes of our own tables back as the characters', () => {
    assert.ok(markdownToHtml('| a |\n|---|\n| x\\|y |').includes('>x|y<'));
  });
  it('gives every heading of a page its own id', () => {
    const ids = new Set<string>();
    const a = renderMarkdown('## Hedge to β = 0\n\n## Hedge to β = 0', ids);
    const b = renderMarkdown('# Hedge to β = 0', ids);
    assert.deepEqual(
      [...a.headings, ...b.headings].map((h) => h.id),
      ['hedge-to-β-0', 'hedge-to-β-0-2', 'hedge-to-β-0-3'],
    );
    assert.equal(slug('<script>'), 'script');
    assert.equal(slug('***'), 'section');
  });
});

describe('renderReportHtml', () => {
  const hedge = {
    ...sampleHedge(),
    data: {
      source: 'daily.csv',
      start: '2024-01-01T00:00:00.000Z',
      end: '2025-12-31T00:00:00.000Z',
      rows: 731,
    },
  };
  const input = {
    title: `Hedge <review>`,
    cells: [
      { kind: 'markdown' as const, text: '## Why we hedge\n\nKeep *half* the upside.' },
      {
        kind: 'code' as const,
        source: `hedge: core\nwith: "${XSS_NAME}"`,
        items: toOutputItems(hedge),
        meta: { computedAt: '2026-01-05T10:00:00.000Z', durationMs: 12, executionOrder: 3 },
      },
      {
        kind: 'code' as const,
        source: 'betas: nope',
        items: [
          {
            mime: 'application/vnd.code.notebook.error',
            data: JSON.stringify({ name: 'Error', message: 'No portfolio <nope>.' }),
          },
        ],
        meta: { stale: 'this cell was edited after its outputs were computed' },
      },
      { kind: 'code' as const, source: 'print(1)', language: 'python', items: [] },
    ],
    rendererJs: 'window.marker = "</script><script>alert(1)</script>";',
    sha256Base64,
    notebook: 'hedges/core.hedgebook',
    ranAt: '2026-01-05T10:00:00.000Z',
    durationMs: 1500,
    generator: 'Hedgebook 9.9.9',
    outputs: 'saved' as const,
  };
  const html = renderReportHtml(input);

  it('allows its one inline script by hash and nothing else: no inline script by default, no fetching', () => {
    assert.match(html, /^<!doctype html>/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; /);
    assert.ok(!/script-src[^;]*unsafe/.test(csp), csp);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 1);
    assert.ok(
      csp.includes(`'sha256-${sha256Base64(scripts[0]!)}'`),
      'the hash is of the script as written',
    );
    assert.ok(!/<script[^>]+src=/.test(html));
    assert.ok(!/<link/.test(html));
  });
  it('escapes the title, the cell source and error text', () => {
    assert.match(html, /<title>Hedge &lt;review&gt;<\/title>/);
    assert.ok(!html.includes(XSS_NAME));
    assert.ok(html.includes('No portfolio &lt;nope&gt;.'));
  });
  it('embeds the result JSON where the renderer finds it, with the markdown tables as fallback', () => {
    const m =
      /<div class="hb-output" data-output-id="cell1-output0" data-mime="([^"]+)">([\s\S]*?)<\/div><script type="application\/json">([\s\S]*?)<\/script>/.exec(
        html,
      );
    assert.ok(m);
    assert.equal(m[1], RESULT_MIME);
    assert.ok(m[2]!.includes('<td style="text-align:right">1,458</td>'), m[2]);
    assert.deepEqual(JSON.parse(m[3]!), hedge);
    assert.ok(!m[3]!.includes('<'));
  });
  it('cannot be closed early by a script end tag inside the renderer code', () => {
    assert.equal(html.match(/<\/script>/g)?.length, 2); // the JSON element and the renderer
    assert.ok(html.includes('<\\/script><script>alert(1)<\\/script>'));
  });
  it('says what notebook it shows, when its outputs were computed and by which Hedgebook', () => {
    assert.match(
      html,
      /<p class="facts">Notebook <code>hedges\/core.hedgebook<\/code> · Outputs as saved, computed 2026-01-05 10:00 UTC in 1.5 s · Hedgebook 9.9.9 · <span class="hb-stale-tag">1 stale cell<\/span><\/p>/,
    );
  });
  it('has a table of contents of the headings and the results, linked to the cells', () => {
    const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    assert.ok(toc.includes('<a href="#why-we-hedge">Why we hedge</a>'), toc);
    assert.match(toc, /<li class="toc-3"><a href="#cell-2">[^<]+<\/a><\/li>/);
    assert.ok(html.includes('<section class="cell code-cell" id="cell-2">'));
    assert.ok(html.includes('<h2 id="why-we-hedge">'));
  });
  it('shows the data each cell used and when its outputs were computed', () => {
    const cell =
      /<section class="cell code-cell" id="cell-2">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    const d = hedge.data!;
    assert.ok(
      cell.includes(
        `<li>${d.source}: ${shortTime(d.start)} to ${shortTime(d.end)}, ${d.rows.toLocaleString('en-US')} rows</li>`,
      ),
      cell,
    );
    assert.ok(cell.includes('Outputs computed 2026-01-05 10:00 UTC in 12 ms'));
    assert.ok(cell.includes('<div class="cell-label">cell 2 · [3]</div>'));
  });
  it('marks stale outputs and says why', () => {
    assert.ok(
      html.includes(
        '<section class="cell code-cell stale" id="cell-3">' +
          '<div class="cell-label">cell 3</div>' +
          '<p class="hb-stale" role="note"><strong>Stale:</strong> this cell was edited after its outputs were computed</p>',
      ),
    );
  });
  it('shows an error output as its name and message, not the raw JSON', () => {
    const page = renderReportHtml({
      ...input,
      cells: [
        {
          kind: 'code' as const,
          source: 'betas: all',
          items: [
            {
              mime: 'application/vnd.code.notebook.error',
              data: JSON.stringify({ name: 'Error', message: 'no prices are declared' }),
            },
          ],
        },
      ],
    });
    assert.ok(page.includes('<pre class="hb-error-output">Error: no prices are declared</pre>'));
  });
  it('says a cell in another language was not run', () => {
    assert.ok(html.includes('<div class="cell-label">cell 4 python</div>'));
    assert.ok(html.includes('Not run: Hedgebook runs only <code>hedge</code> cells.'));
  });
  it('follows the reader’s light or dark preference and prints in light colours', () => {
    assert.match(
      html,
      /@media \(prefers-color-scheme: dark\) \{ :root \{ --vscode-editor-foreground: #cccccc/,
    );
    assert.match(html, /@media print \{\n {2}:root \{ --vscode-editor-foreground: #3b3b3b/);
  });
});

describe('shortTime', () => {
  it('shows a UTC midnight as a date and other times to the minute', () => {
    assert.equal(shortTime('2024-01-01T00:00:00.000Z'), '2024-01-01');
    assert.equal(shortTime('2024-01-01T13:05:00.000Z'), '2024-01-01 13:05 UTC');
    assert.equal(shortTime('2024-01-01T00:00:01.000Z'), '2024-01-01 00:00 UTC');
    assert.equal(shortTime('yesterday'), 'yesterday');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderReportHtml } from '../../src/outputs/report';
import { markdownToHtml } from '../../src/outputs/markdown';
import { toOutputItems } from '../../src/outputs/mime';
import { RESULT_MIME } from '../../src/results';
import { sampleHedge, XSS_NAME } from './sample-results';

describe('markdownToHtml', () => {
  it('renders headings, emphasis, code, lists and tables', () => {
    const html = markdownToHtml(
      '# Title\n\nSome **bold**, *it* and `co<de>`.\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |',
    );
    assert.equal(
      html,
      '<h1>Title</h1>\n<p>Some <strong>bold</strong>, <em>it</em> and <code>co&lt;de&gt;</code>.</p>\n' +
        '<ul><li>one</li><li>two</li></ul>\n' +
        '<table><thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>' +
        '<tbody><tr><td style="text-align:left">1</td><td style="text-align:right">2</td></tr></tbody></table>',
    );
  });
  it('shows raw HTML as text', () => {
    assert.equal(
      markdownToHtml(`${XSS_NAME} <script>alert(1)</script>`),
      '<p>&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });
  it('links only to safe places and never loads an image', () => {
    assert.equal(markdownToHtml('[a](javascript:alert(1))'), '<p>a</p>');
    assert.equal(
      markdownToHtml('[docs](https://example.org/x?a=1&b=2)'),
      '<p><a href="https://example.org/x?a=1&amp;b=2">docs</a></p>',
    );
    assert.equal(
      markdownToHtml('![chart](https://example.org/c.png)'),
      '<p><a href="https://example.org/c.png">chart</a></p>',
    );
  });
  it('reads markdown backslash escapes of our own tables back as the characters', () => {
    assert.ok(markdownToHtml('| a |\n|---|\n| x\\|y |').includes('>x|y<'));
  });
});

describe('renderReportHtml', () => {
  const hedge = sampleHedge();
  const html = renderReportHtml({
    title: `Hedge <review>`,
    cells: [
      { kind: 'markdown', text: '## Why we hedge\n\nKeep *half* the upside.' },
      { kind: 'code', source: `hedge: core\nwith: "${XSS_NAME}"`, items: toOutputItems(hedge) },
      {
        kind: 'code',
        source: 'betas: nope',
        items: [
          {
            mime: 'application/vnd.code.notebook.error',
            data: JSON.stringify({ name: 'Error', message: 'No portfolio <nope>.' }),
          },
        ],
      },
    ],
    rendererJs: 'window.marker = "</script><script>alert(1)</script>";',
  });

  it('is one page with the renderer inlined and a policy that forbids fetching', () => {
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /default-src 'none'; script-src 'unsafe-inline'/);
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
    assert.ok(m[2]!.includes('<td style="text-align:right">1,458</td>'));
    assert.deepEqual(JSON.parse(m[3]!), hedge);
    assert.ok(!m[3]!.includes('<'));
  });
  it('cannot be closed early by a script end tag inside the renderer code', () => {
    assert.equal(html.match(/<\/script>/g)?.length, 2); // the JSON element and the renderer
    assert.ok(html.includes('<\\/script><script>alert(1)<\\/script>'));
  });
});

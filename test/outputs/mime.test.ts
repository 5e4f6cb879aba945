import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { problemsToText, resultToMarkdown, toOutputItems } from '../../src/outputs/mime';
import { escapeHtml, escapeMarkdown, escapePlotly } from '../../src/outputs/escape';
import { CellResult, RESULT_MIME } from '../../src/results';
import { sampleBetas, sampleHedge, samplePair, XSS_NAME } from './sample-results';

describe('toOutputItems', () => {
  const hedge = sampleHedge();
  const items = toOutputItems(hedge);

  it('writes the result JSON, markdown and plain text, in that order', () => {
    assert.deepEqual(
      items.map((i) => i.mime),
      [RESULT_MIME, 'text/markdown', 'text/plain'],
    );
  });
  it('round-trips the result through its JSON item', () => {
    assert.deepEqual(CellResult.parse(JSON.parse(items[0]!.data)), hedge);
  });
  it('puts the hedge ticket numbers in a GitHub table', () => {
    const md = items[1]!.data;
    assert.match(md, /^### Hedge: core$/m);
    assert.match(md, /^\| Field \| Value \|$/m);
    assert.match(md, /^\| --- \| ---: \|$/m);
    for (const row of [
      '| Side | Sell (short) |',
      '| Contracts | 1,458 |',
      '| Liquidation price | 71,712.50 |',
      '| Distance to liquidation | 19.52% |',
      '| Initial margin | \\$17,496 |',
      '| Residual beta (after - target) | 0.000 |',
    ])
      assert.ok(md.includes(row), row);
  });
  it('escapes a hostile asset name in markdown so it stays text', () => {
    const md = items[1]!.data;
    assert.ok(!md.includes(XSS_NAME));
    assert.ok(md.includes('\\<img src=x onerror=alert(1)\\>'));
  });
  it('keeps the plain text readable, with the name as written', () => {
    const text = items[2]!.data;
    assert.match(text, /^Hedge: core$/m);
    assert.ok(text.includes(XSS_NAME));
    assert.match(text, /Contracts\s+1,458/);
  });
  it('lists warnings under the tables', () => {
    assert.match(
      items[1]!.data,
      /- ⚠️ Rounded to whole contracts: 0\.4 contracts left\. \(`lot_rounding`\)/,
    );
  });
});

describe('resultToMarkdown', () => {
  it('shows beta, the 95% interval and n for each asset of a betas result', () => {
    const betas = sampleBetas();
    const md = resultToMarkdown(betas);
    const eth = betas.rows[0]!;
    assert.ok(
      md.includes(
        `| ETH | ${eth.beta.toFixed(3)} | ${(eth.ciLow ?? NaN).toFixed(3)} to ${(eth.ciHigh ?? NaN).toFixed(3)} |`,
      ),
      md,
    );
    assert.match(md, /_Data: data/);
  });
  it('shows the pair residual after the hedge leg', () => {
    const md = resultToMarkdown(samplePair());
    assert.ok(md.includes('| Residual |   |   |   | -\\$20.00 |'), md);
  });
  it('keeps a name with a pipe inside its table cell', () => {
    const pair = samplePair();
    const md = resultToMarkdown({ ...pair, long: { ...pair.long, asset: 'A|B' } });
    assert.ok(md.includes('| Long | A\\|B |'));
  });
});

describe('escaping', () => {
  it('turns HTML metacharacters into entities', () => {
    assert.equal(
      escapeHtml(`<a href="x">'&'</a>`),
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
  it('backslash-escapes markdown markup and flattens newlines', () => {
    assert.equal(escapeMarkdown('*a*_b_[c](d)\n# e'), '\\*a\\*\\_b\\_\\[c\\](d) \\# e');
  });
  it('makes plotly template placeholders and tags inert', () => {
    assert.equal(escapePlotly('<b>%{x}</b>'), '&#60;b&#62;&#37;{x}&#60;/b&#62;');
  });
});

describe('problemsToText', () => {
  it('shows 1-based line and column with the message and code', () => {
    assert.equal(
      problemsToText([
        {
          code: 'unknown_asset',
          message: 'No prices for DOGE.',
          range: { startLine: 2, startColumn: 4 },
        },
        { code: 'x', message: 'Whole cell.' },
      ]),
      'line 3, column 5: No prices for DOGE. (unknown_asset)\nWhole cell. (x)',
    );
  });
});

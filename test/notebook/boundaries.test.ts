// Edges of the notebook layer a one-character slip would move: the order of a cell's problems,
// line numbers with CRLF line ends (in a cell and in a .hedgebook file), and staleness passed on
// through a chain of cells when the notebook has two datasets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkCell } from '../../src/notebook/check';
import { parseNotebookFile } from '../../src/notebook/file-format';
import { Session, type SessionEnv } from '../../src/notebook/session';
import { code, memoryEnv } from './helpers';

describe('the problems of one cell', () => {
  it('come in the order of their lines, and of their columns on one line', () => {
    const text = [
      'portfolio: core',
      'hodlings: { ETH: 1 }', // line 1: unknown key
      'value: lots', // line 2: not an amount
      'extra: 1', // line 3: unknown key
    ].join('\n');
    const ps = checkCell(text);
    const at = ps.map((p) => [p.range.startLine, p.range.startColumn]);
    assert.ok(ps.length >= 3, JSON.stringify(ps));
    assert.deepEqual(
      at,
      [...at].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
    );
    assert.deepEqual(
      [...new Set(at.map((a) => a[0]))],
      [0, 1, 2, 3].filter((l) => at.some((a) => a[0] === l)),
    );
    assert.equal(at[0]?.[0], ps.find((p) => p.message.includes('holdings'))?.range.startLine);
  });

  it('sort two problems on one line by column', () => {
    const ps = checkCell('pair: { long: { SOL: lots }, short: { ETH: plenty } }');
    const cols = ps.filter((p) => p.range.startLine === 0).map((p) => p.range.startColumn);
    assert.ok(cols.length >= 2, JSON.stringify(ps));
    assert.deepEqual(
      cols,
      [...cols].sort((a, b) => a - b),
    );
  });
});

describe('line numbers with CRLF line ends', () => {
  it('locate a problem in a CRLF cell on the same line and column as in an LF cell', () => {
    const lines = ['portfolio: core', 'holdings: { ETH: 1 }', 'value: lots'];
    const lf = checkCell(lines.join('\n'));
    const crlf = checkCell(lines.join('\r\n'));
    assert.ok(lf.length > 0);
    assert.deepEqual(
      crlf.map((p) => p.range),
      lf.map((p) => p.range),
    );
    assert.equal(crlf[0]?.range.startLine, 2);
    assert.equal(crlf[0]?.range.startColumn, 7);
  });

  it('locate a schema problem of a CRLF .hedgebook file at its own line', () => {
    const text = [
      '{',
      '  "format": 1,',
      '  "cells": [',
      '    { "kind": "code", "language": "hedge", "source": ["betas: all"], "oops": 1 }',
      '  ]',
      '}',
    ].join('\r\n');
    const r = parseNotebookFile(text);
    assert.equal(r.ok, false);
    const p = r.ok ? undefined : r.problems[0];
    assert.equal(p?.code, 'notebook_unknown_key');
    assert.equal(p?.params?.line, 4);
    assert.equal(p?.params?.column, 70);
  });

  it('locate a JSON syntax error of a CRLF .hedgebook file at its own line', () => {
    const text = ['{', '  "format": 1,', '  "cells": [,]', '}'].join('\r\n');
    const r = parseNotebookFile(text);
    const p = r.ok ? undefined : r.problems[0];
    assert.equal(p?.code, 'notebook_json_syntax');
    assert.equal(p?.params?.line, 3);
    assert.equal(p?.params?.column, 13);
  });
});

describe('staleness with two datasets', () => {
  it('passes through a chain: an edit of one dataset makes stale a cell that reads it only through another', async () => {
    const daily = memoryEnv();
    const env: SessionEnv = {
      loadPrices: (_file, signal) => daily.loadPrices('data/daily.csv', signal),
    };
    const cells = [
      code('a', 'prices: daily\nfile: data/a.csv'),
      code('b', 'prices: other\nfile: data/b.csv'),
      code('s', 'benchmark: BTC\ndata: daily'),
      code('pf', 'portfolio: core\nholdings: { ETH: 40 }\ndata: other'),
      code('perp', 'instrument: BTCUSDT-PERP\ndata: daily'),
      code('h', 'hedge: core\nwith: BTCUSDT-PERP\ndata: daily'), // reads 'other' only via core
      code('bd', 'betas: [ETH, SOL]\ndata: daily'),
    ];
    const s = new Session(env);
    s.update(cells);
    const runs = await s.run(
      cells.map((c) => c.id),
      new AbortController().signal,
    );
    assert.ok(
      runs.every((r) => r.status === 'ok'),
      JSON.stringify(runs.map((r) => r.problems)),
    );
    assert.deepEqual(s.staleIds(), []);
    s.update(cells.map((c) => (c.id === 'b' ? code('b', 'prices: other\nfile: data/b2.csv') : c)));
    assert.deepEqual(s.staleIds(), ['b', 'pf', 'h']);
    // an edit of the first dataset reaches the portfolio on the second through the settings
    s.update(cells.map((c) => (c.id === 'a' ? code('a', 'prices: daily\nfile: data/a2.csv') : c)));
    assert.deepEqual(s.staleIds(), ['a', 'b', 's', 'pf', 'perp', 'h', 'bd']);
  });
});

describe('holdings given as weights', () => {
  it('refuse a weight that is not a percentage, and a weight of 0', () => {
    for (const w of ['lots', '0%']) {
      const ps = checkCell(
        `portfolio: core\nvalue: 100000usd\nholdings: { ETH: { weight: ${w} } }`,
      );
      assert.equal(ps[0]?.code, 'expected_holding', `weight: ${w}: ${JSON.stringify(ps)}`);
      assert.equal(ps[0]?.range.startLine, 2);
    }
    assert.deepEqual(
      checkCell('portfolio: core\nvalue: 100000usd\nholdings: { ETH: { weight: 25% } }'),
      [],
    );
  });
});

describe('run timings', () => {
  it('give each cell a duration from its start, never the time since the epoch', async () => {
    const s = new Session(memoryEnv());
    const cells = [code('p', 'prices: daily\nfile: data/daily.csv'), code('b', 'betas: all')];
    s.update(cells);
    const t0 = performance.now();
    const runs = await s.run(['b'], new AbortController().signal);
    const wall = performance.now() - t0;
    assert.equal(runs.length, 2);
    for (const r of runs)
      assert.ok(r.durationMs >= 0 && r.durationMs <= wall, `${r.durationMs} > ${wall}`);
  });
});

/* Paths that survive Save As: which relative `file:` paths break when a notebook moves to another
 * folder, and what they become so they name the same file. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileReferences, relocation } from '../../src/notebook/relocate';

const cells = [
  { id: 'a', text: 'prices: daily\nfile: data/daily.csv' },
  { id: 'b', text: 'prices: data/hourly.csv' },
  { id: 'c', text: 'prices: abs\nfile: /srv/prices.csv' },
  { id: 'd', text: 'portfolio: core\nholdings: { ETH: 1 }' },
  { id: 'e', text: "prices: q\nfile: 'data/quoted.csv'" },
];

describe('paths after Save As', () => {
  it('finds the relative file paths prices cells write, with their ranges', () => {
    assert.deepEqual(
      fileReferences(cells).map((r) => [r.cellId, r.file, r.range.startLine, r.range.startColumn]),
      [
        ['a', 'data/daily.csv', 1, 6],
        ['b', 'data/hourly.csv', 0, 8],
        ['e', 'data/quoted.csv', 1, 6],
      ],
    );
  });

  it('rewrites a path that would break so it names the same file from the new folder', () => {
    const have = new Set(['/work/book/data/daily.csv', '/work/book/data/hourly.csv']);
    const moves = relocation(fileReferences(cells), '/work/book', '/work/reports/q3', (p) =>
      have.has(p),
    );
    assert.deepEqual(
      moves.map((m) => [m.reference.cellId, m.rewritten, m.to]),
      [
        ['a', '../../book/data/daily.csv', '/work/reports/q3/data/daily.csv'],
        ['b', '../../book/data/hourly.csv', '/work/reports/q3/data/hourly.csv'],
      ],
    );
  });

  it('leaves paths alone that still work, or that were broken before', () => {
    const have = new Set(['/work/book/data/daily.csv', '/work/copy/data/daily.csv']);
    const exists = (p: string) => have.has(p);
    assert.deepEqual(relocation(fileReferences(cells), '/work/book', '/work/copy', exists), []);
    assert.deepEqual(relocation(fileReferences(cells), '/work/book', '/work/book', exists), []);
  });
});

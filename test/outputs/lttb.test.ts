import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drawIndices, thinScatterIndices } from '../../src/outputs/lttb';

const wave = (n: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(i / 50) + 0.001 * ((i * 7919) % 13));

describe('drawIndices', () => {
  it('keeps one null between runs so the line still breaks at a gap', () => {
    const y: (number | null)[] = wave(6000);
    for (let i = 0; i < 100; i++) y[i] = null;
    for (let i = 3000; i < 3010; i++) y[i] = null;
    const idx = drawIndices(
      y.map((_, i) => i),
      y,
      1000,
    );
    assert.equal(idx[0], 100);
    assert.equal(idx.at(-1), 5999);
    assert.equal(idx.filter((i) => y[i] === null).length, 1);
  });
});

describe('thinScatterIndices', () => {
  it('keeps the extreme points of a cloud', () => {
    const x = Array.from({ length: 10_000 }, (_, i) => Math.sin(i * 12.9898) * 0.01);
    const y = x.map((v, i) => v * 1.5 + Math.cos(i * 78.233) * 0.002);
    x[4321] = 0.5;
    y[9876] = -0.7;
    const idx = thinScatterIndices(x, y, 1000);
    assert.ok(idx.length <= 1005);
    assert.ok(idx.includes(4321) && idx.includes(9876));
  });
});

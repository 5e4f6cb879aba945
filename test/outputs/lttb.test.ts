import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drawIndices, lttbIndices, thinScatterIndices } from '../../src/outputs/lttb';

const wave = (n: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(i / 50) + 0.001 * ((i * 7919) % 13));

describe('lttbIndices', () => {
  it('keeps the first and last point and returns the threshold count', () => {
    const y = wave(10_000);
    const x = y.map((_, i) => i);
    const idx = lttbIndices(x, y, 500);
    assert.equal(idx[0], 0);
    assert.equal(idx.at(-1), 9999);
    assert.ok(idx.length >= 500 && idx.length <= 502);
  });
  it('keeps a single spike and a single dip however many points are dropped', () => {
    const y = new Array(20_000).fill(1);
    y[12_345] = 50;
    y[777] = -50;
    const x = y.map((_, i) => i);
    const idx = lttbIndices(x, y, 100);
    assert.ok(idx.includes(12_345));
    assert.ok(idx.includes(777));
  });
  it('returns every index when the series is already short', () => {
    assert.deepEqual(lttbIndices([0, 1, 2], [5, 6, 7], 10), [0, 1, 2]);
  });
  it('returns strictly increasing indices', () => {
    const y = wave(5000);
    const idx = lttbIndices(
      y.map((_, i) => i),
      y,
      321,
    );
    for (let i = 1; i < idx.length; i++) assert.ok(idx[i]! > idx[i - 1]!);
  });
});

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

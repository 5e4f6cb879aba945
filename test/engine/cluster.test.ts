import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOrder } from '../../src/engine/cluster';

describe('clusterOrder', () => {
  it('puts the two most correlated assets next to each other', () => {
    assert.deepEqual(
      clusterOrder([
        [1, 0, 0.9],
        [0, 1, 0],
        [0.9, 0, 1],
      ]),
      [0, 2, 1],
    );
  });
  it('groups two blocks of correlated assets, each block contiguous', () => {
    // assets 0, 2, 4 move together (ρ 0.8), 1, 3, 5 together (ρ 0.7), across blocks ρ 0.1
    const block = (i: number) => i % 2;
    const m = Array.from({ length: 6 }, (_, i) =>
      Array.from({ length: 6 }, (_, j) =>
        i === j ? 1 : block(i) === block(j) ? (block(i) === 0 ? 0.8 : 0.7) : 0.1,
      ),
    );
    const order = clusterOrder(m);
    assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
    const blocks = order.map(block);
    assert.ok(
      blocks.join('') === '000111' || blocks.join('') === '111000',
      `order ${order.join(',')}`,
    );
  });
  it('returns a permutation of every asset, the first asset first on ties', () => {
    const m = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 5 }, (_, j) => (i === j ? 1 : 0.5)),
    );
    const order = clusterOrder(m);
    assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
    assert.equal(order[0], 0);
  });
  it('keeps one or two assets as they are', () => {
    assert.deepEqual(clusterOrder([[1]]), [0]);
    assert.deepEqual(
      clusterOrder([
        [1, 0.3],
        [0.3, 1],
      ]),
      [0, 1],
    );
  });
});

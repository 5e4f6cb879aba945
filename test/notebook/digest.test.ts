import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataHash, inputsHash, sourceHash } from '../../src/notebook/digest';
import type { AlignedPrices } from '../../src/engine/series';

const aligned = (prices: Record<string, number[]>, times = [1, 2, 3, 4]): AlignedPrices => ({
  times,
  assets: Object.keys(prices),
  prices,
  dropped: [],
});

describe('sourceHash', () => {
  it('is a named SHA-256 of the text, the same for Windows and Unix line ends', () => {
    assert.match(sourceHash('betas: core'), /^sha256:[0-9a-f]{64}$/);
    assert.equal(sourceHash('a: 1\r\nb: 2'), sourceHash('a: 1\nb: 2'));
    assert.notEqual(sourceHash('window: 365d'), sourceHash('window: 90d'));
  });
});

describe('dataHash', () => {
  const base = aligned({ BTC: [10, 11, 12, 13], ETH: [1, 2, 3, 4] });
  it('does not depend on the order of the columns', () => {
    assert.equal(dataHash(base), dataHash(aligned({ ETH: [1, 2, 3, 4], BTC: [10, 11, 12, 13] })));
  });
  it('changes when any price or time used changes, or a row is added', () => {
    const h = dataHash(base);
    assert.notEqual(h, dataHash(aligned({ BTC: [10, 11, 12, 13.000001], ETH: [1, 2, 3, 4] })));
    assert.notEqual(
      h,
      dataHash(aligned({ BTC: [10, 11, 12, 13], ETH: [1, 2, 3, 4] }, [1, 2, 3, 5])),
    );
    assert.notEqual(
      h,
      dataHash(aligned({ BTC: [10, 11, 12, 13, 14], ETH: [1, 2, 3, 4, 5] }, [1, 2, 3, 4, 5])),
    );
    assert.notEqual(h, dataHash(aligned({ BTC: [10, 11, 12, 13], SOL: [1, 2, 3, 4] })));
  });
  it('covers only the rows used: an edit before the window leaves it unchanged', () => {
    const edited = aligned({ BTC: [99, 11, 12, 13], ETH: [1, 2, 3, 4] });
    assert.equal(dataHash(base, 1), dataHash(edited, 1));
    assert.notEqual(dataHash(base, 0), dataHash(edited, 0));
    assert.equal(dataHash(base, 1, 3), dataHash(edited, 1, 3));
  });
});

describe('inputsHash', () => {
  const up = [
    { key: 'prices daily', inputs: 'sha256:a', data: 'sha256:d' },
    { key: 'settings', inputs: 'sha256:b', data: null },
  ];
  it('does not depend on the order upstream cells are listed in', () => {
    assert.equal(inputsHash('s', up), inputsHash('s', [...up].reverse()));
  });
  it('changes with the source, an upstream cell or its data', () => {
    const h = inputsHash('s', up);
    assert.notEqual(h, inputsHash('t', up));
    assert.notEqual(h, inputsHash('s', [{ ...up[0]!, inputs: 'sha256:x' }, up[1]!]));
    assert.notEqual(h, inputsHash('s', [{ ...up[0]!, data: 'sha256:e' }, up[1]!]));
  });
});

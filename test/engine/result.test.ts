import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fail, failWith, ok } from '../../src/engine/result';

describe('Result', () => {
  it('carries a value and no warnings when ok', () => {
    assert.deepEqual(ok(2), { ok: true, value: 2, warnings: [] });
  });
  it('carries a located problem when it fails', () => {
    assert.deepEqual(fail('too_few_points', ['BTC'], { n: 1, min: 3 }), {
      ok: false,
      problems: [{ code: 'too_few_points', path: ['BTC'], params: { n: 1, min: 3 } }],
    });
  });
  it('refuses to fail without a problem, since that would be a bug', () => {
    assert.throws(() => failWith([]));
  });
});

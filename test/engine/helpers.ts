// Small shared assertions for the engine tests.
import assert from 'node:assert/strict';
import { describeProblem } from '../../src/engine/messages';
import { statsMessages } from '../../src/engine/stats-messages';
import type { Instrument } from '../../src/engine/instrument';
import type { Problem, Result } from '../../src/engine/result';

/** |actual - expected| <= tol · max(1, |expected|) */
export function close(
  actual: number | null | undefined,
  expected: number,
  tol = 1e-12,
  what = '',
): void {
  assert.ok(typeof actual === 'number', `${what} expected a number, got ${String(actual)}`);
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tol * scale,
    `${what} ${actual} != ${expected} (tol ${tol})`,
  );
}

/** The result failed, its first problem has `code` (and `path` when given), and every problem
 *  has its own wording and reads as a sentence with no "undefined". */
export function assertProblem<T>(
  r: Result<T>,
  code: string,
  path?: readonly (string | number)[],
): readonly Problem[] {
  assert.equal(r.ok, false, `expected failure ${code}, got ok`);
  if (r.ok) throw new Error('unreachable');
  assert.equal(r.problems[0]?.code, code, JSON.stringify(r.problems));
  if (path) assert.deepEqual(r.problems[0]?.path, path);
  for (const p of r.problems) assertWorded(p);
  return r.problems;
}

export function assertWorded(p: Problem): void {
  assert.ok(p.code in statsMessages, `no wording for ${p.code}`);
  const text = describeProblem(p);
  assert.ok(!/undefined|\[object/.test(text), `bad wording for ${p.code}: ${text}`);
  assert.ok(text.length > 20, text);
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`expected ok, got ${JSON.stringify(r.problems)}`);
  return r.value;
}

/** Binance's BTCUSDT perpetual: linear, 0.001 BTC a contract, maintenance margin 0.4 %. */
export const BTCUSDT: Instrument = {
  name: 'BTCUSDT-PERP',
  type: 'perpetual',
  settlement: 'linear',
  underlying: 'BTC',
  contractSize: 0.001,
  lotStep: 1,
  expiry: null,
  maintenanceMarginRate: 0.004,
};

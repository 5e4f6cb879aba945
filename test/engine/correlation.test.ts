import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { correlationMatrix } from '../../src/engine/correlation';
import { betaStats } from '../../src/engine/beta';
import { close } from './helpers';

describe('correlationMatrix', () => {
  it('matches hand-computed correlations, with 1 on the diagonal and a symmetric matrix', () => {
    // a = [1, 2, 3], b = [2, 4, 6] (ρ = 1), c = [3, 1, 2]: centred a = [-1, 0, 1], c = [1, -1, 0],
    // Sac = -1, Saa = 2, Scc = 2 -> ρ = -0.5.
    const m = correlationMatrix([
      [1, 2, 3],
      [2, 4, 6],
      [3, 1, 2],
    ]);
    assert.deepEqual(
      m.map((row) => row.map((v) => Math.round(v * 1e12) / 1e12)),
      [
        [1, 1, -0.5],
        [1, 1, -0.5],
        [-0.5, -0.5, 1],
      ],
    );
  });

  it('gives 0 for a flat series and for fewer than two points', () => {
    assert.deepEqual(
      correlationMatrix([
        [0.01, 0.02, 0.03],
        [0.5, 0.5, 0.5],
      ]),
      [
        [1, 0],
        [0, 1],
      ],
    );
    assert.deepEqual(correlationMatrix([[0.01], [0.02]]), [
      [1, 0],
      [0, 1],
    ]);
    assert.deepEqual(correlationMatrix([]), []);
  });

  it('equals the correlation betaStats gives for every pair', () => {
    const cols = fc.integer({ min: 3, max: 40 }).chain((n) =>
      fc.array(
        fc
          .array(fc.integer({ min: -500, max: 500 }), { minLength: n, maxLength: n })
          .map((xs) => xs.map((v) => v / 1e4))
          .filter((xs) => new Set(xs).size > 1),
        { minLength: 2, maxLength: 5 },
      ),
    );
    fc.assert(
      fc.property(cols, (series) => {
        const m = correlationMatrix(series);
        series.forEach((a, i) =>
          series.forEach((b, j) => {
            if (i === j) return assert.equal(m[i]![j], 1);
            const s = betaStats(a, b, { periodsPerYear: 365 });
            assert.ok(s.ok);
            close(m[i]![j], s.value.correlation, 1e-12, `ρ(${i}, ${j})`);
          }),
        );
      }),
      { numRuns: 200 },
    );
  });
});

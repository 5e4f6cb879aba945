import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hedgeEffectiveness, hedgedReturns } from '../../src/engine/effectiveness';
import { describeProblem } from '../../src/engine/messages';

const series = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), {
  minLength: 3,
  maxLength: 200,
});
const varies = (xs: number[]) => xs.some((x) => Math.abs(x - (xs[0] as number)) > 1e-6);

describe('hedgeEffectiveness', () => {
  it('is 0.75 when the hedge halves every return (variance falls to a quarter)', () => {
    const r = hedgeEffectiveness([0.01, -0.01, 0.01], [0.02, -0.02, 0.02]);
    assert.ok(r.ok && Math.abs(r.value - 0.75) < 1e-12);
  });

  it('adds the hedge ratio times the instrument returns to the portfolio returns', () => {
    const h = hedgedReturns([0.02, -0.01], [0.01, -0.01], -1.2);
    assert.ok(
      Math.abs((h[0] as number) - 0.008) < 1e-15 && Math.abs((h[1] as number) - 0.002) < 1e-15,
    );
  });

  it('is 1 for a perfect hedge: the hedged returns are constant', () => {
    fc.assert(
      fc.property(
        series.filter(varies),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        (u, c) => {
          const r = hedgeEffectiveness(
            u.map(() => c),
            u,
          );
          assert.ok(r.ok && Math.abs(r.value - 1) < 1e-12);
        },
      ),
    );
  });

  it('is 0 for no hedge and negative when the hedge adds risk', () => {
    fc.assert(
      fc.property(series.filter(varies), (u) => {
        const same = hedgeEffectiveness(u, u);
        assert.ok(same.ok && Math.abs(same.value) < 1e-12);
        const doubled = hedgeEffectiveness(
          u.map((x) => 2 * x),
          u,
        );
        assert.ok(doubled.ok && Math.abs(doubled.value - -3) < 1e-9);
      }),
    );
  });

  it('reports too-short, mismatched, non-finite and flat inputs with their location', () => {
    const cases: [number[], number[], string, (string | number)[]][] = [
      [[0.1, 0.2], [0.1, 0.3], 'too_few_points', ['unhedged']],
      [[0.1, 0.2, 0.3], [0.1, 0.3], 'length_mismatch', ['hedged']],
      [[0.1, NaN, 0.3], [0.1, 0.3, 0.2], 'non_finite', ['hedged', 1]],
      [[0.1, 0.2, 0.3], [0.1, 0.3, Infinity], 'non_finite', ['unhedged', 2]],
      [[0.1, 0.2, 0.3], [0.05, 0.05, 0.05], 'flat_unhedged', ['unhedged']],
      [[], [], 'too_few_points', ['unhedged']],
    ];
    for (const [h, u, code, path] of cases) {
      const r = hedgeEffectiveness(h, u);
      assert.ok(!r.ok, code);
      if (r.ok) continue;
      assert.equal(r.problems[0]?.code, code);
      assert.deepEqual(r.problems[0]?.path, path);
      assert.ok(
        !/undefined|_/.test(describeProblem(r.problems[0]!)),
        describeProblem(r.problems[0]!),
      );
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalQuantile, studentTCdf, studentTQuantile } from '../../src/engine/student-t';

// Oracle: scipy.stats.t.ppf / t.cdf / norm.ppf (Debian python3-scipy), e.g.
//   python3 -c "from scipy import stats; print(repr(stats.t.ppf(0.975, 10)))"
const T975: [number, number][] = [
  [1, 12.706204736174694],
  [2, 4.302652729749462],
  [3, 3.1824463052837078],
  [4, 2.7764451051977934],
  [5, 2.5705818356363146],
  [7, 2.364624251592784],
  [10, 2.228138851986274],
  [30, 2.0422724563012378],
  [100, 1.9839715185235518],
  [500, 1.9647198374673676],
  [1000, 1.9623390808264083],
  [10000, 1.960201239890626],
  [100000, 1.9599877075346095],
  [1000000, 1.959966356814107],
];

function rel(a: number, b: number): number {
  return Math.abs(a / b - 1);
}

describe('studentTQuantile', () => {
  it('matches scipy t.ppf(0.975, dof) from 1 to a million degrees of freedom', () => {
    for (const [dof, expected] of T975) {
      const t = studentTQuantile(0.975, dof);
      assert.ok(rel(t, expected) < 1e-12, `dof ${dof}: ${t} vs ${expected}`);
    }
  });

  it('matches scipy in the tails and below the median', () => {
    assert.ok(rel(studentTQuantile(0.995, 3), 5.840909309733355) < 1e-12);
    assert.ok(rel(studentTQuantile(0.9, 12), 1.356217334023205) < 1e-12);
    assert.ok(rel(studentTQuantile(0.025, 8), -2.3060041352041662) < 1e-12);
    assert.ok(rel(studentTQuantile(0.9995, 50), 3.496012881811176) < 1e-11);
    assert.equal(studentTQuantile(0.5, 9), 0);
  });

  it('inverts its own CDF', () => {
    for (const dof of [3, 6, 25, 250]) {
      for (const p of [0.01, 0.2, 0.7, 0.975]) {
        assert.ok(Math.abs(studentTCdf(studentTQuantile(p, dof), dof) - p) < 1e-13, `${p} ${dof}`);
      }
    }
    assert.ok(Math.abs(studentTCdf(1.3, 5) - 0.8748496829146615) < 1e-14);
  });

  it('throws on arguments no caller should pass (a bug, not user data)', () => {
    assert.throws(() => studentTQuantile(1, 5), RangeError);
    assert.throws(() => studentTQuantile(0.5, 0), RangeError);
  });
});

describe('normalQuantile', () => {
  it('matches scipy norm.ppf in the centre and the tails', () => {
    assert.ok(rel(normalQuantile(0.975), 1.959963984540054) < 1e-15);
    assert.ok(rel(normalQuantile(0.01), -2.3263478740408408) < 1e-14);
    assert.ok(rel(normalQuantile(1e-10), -6.361340902404056) < 1e-14);
  });
});

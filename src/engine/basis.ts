/** Basis risk and the choice of hedge: for a book and candidate hedge instruments (or baskets),
 *  the beta-hedge and minimum-variance ratios, residual volatility, in-sample and walk-forward
 *  (out-of-sample) effectiveness, a least-squares hedge with several instruments at once, and a
 *  recommendation. Pure; see docs/math.md ("Basis risk and the choice of hedge").
 *
 *  Conventions: returns are simple, per period, aligned (same length, same periods). A hedge
 *  ratio h is signed USD of instrument per USD of book (negative = short): the hedged return is
 *  r_P + h · r_F. Variances are sample variances (ddof 1; ratios do not depend on it). */
import { type Problem, type Result, fail, ok } from './result';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function mean(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] as number;
  return s / (to - from);
}

/** Sample covariance over [from, to), two-pass (means first). */
function cov(x: ArrayLike<number>, y: ArrayLike<number>, from = 0, to = x.length): number {
  const mx = mean(x, from, to);
  const my = mean(y, from, to);
  let s = 0;
  for (let i = from; i < to; i++) s += ((x[i] as number) - mx) * ((y[i] as number) - my);
  return s / (to - from - 1);
}

export interface MinVariance {
  /** OLS slope of the book on the instrument: b = cov(P, F) / var(F) = ρ · σ_P / σ_F. The
   *  minimum-variance hedge ratio is −b (short b USD of the instrument per USD of book). */
  slope: number;
  /** ρ(P, F). */
  correlation: number;
  /** σ_P, σ_F per period (sample). */
  sdBook: number;
  sdInstrument: number;
}

/** Minimum-variance hedge of a book with one instrument (Johnson 1960; Ederington 1979):
 *  h* = −cov(r_P, r_F) / var(r_F) = −ρ σ_P / σ_F, the OLS slope of r_P on r_F with its sign
 *  turned; it leaves var(r_P)·(1 − ρ²), the least any static ratio can. O(n).
 *  Fails with too_few_points (n < 3), flat_instrument (var(r_F) = 0), non_finite.
 *  @example minimumVariance([0.02, -0.01, 0.03], [0.01, -0.01, 0.02]).value.slope // => 1.2857… */
export function minimumVariance(
  book: ArrayLike<number>,
  instrument: ArrayLike<number>,
): Result<MinVariance> {
  const n = Math.min(book.length, instrument.length);
  if (n < 3) return fail('too_few_points', ['returns'], { n, min: 3 });
  for (let i = 0; i < n; i++)
    if (!finite(book[i]) || !finite(instrument[i]))
      return fail('non_finite', ['returns', i], { value: String(book[i] ?? instrument[i]) });
  const vF = cov(instrument, instrument, 0, n);
  const vP = cov(book, book, 0, n);
  if (!(vF > 0)) return fail('flat_instrument', ['returns'], { n });
  const c = cov(book, instrument, 0, n);
  return ok({
    slope: c / vF,
    correlation: vP > 0 ? c / Math.sqrt(vP * vF) : 0,
    sdBook: Math.sqrt(vP),
    sdInstrument: Math.sqrt(vF),
  });
}

/** Least-squares hedge with k instruments at once: r_P = a + Σ b_j r_j + e by OLS (normal
 *  equations on centred data, Gaussian elimination with partial pivoting); the hedge ratios are
 *  −b_j and the variance left is var(e) = var(r_P)·(1 − R²). O(n·k² + k³).
 *  Fails with too_few_points (n < k + 2), collinear_instruments (a singular system: one
 *  instrument is a combination of the others over the sample).
 *  @example leastSquaresHedge(book, [btc, eth]).value.slopes // => [b_BTC, b_ETH] */
export function leastSquaresHedge(
  book: ArrayLike<number>,
  instruments: readonly ArrayLike<number>[],
): Result<{ slopes: number[]; r2: number }> {
  const k = instruments.length;
  const n = Math.min(book.length, ...instruments.map((x) => x.length));
  if (n < k + 2) return fail('too_few_points', ['returns'], { n, min: k + 2 });
  const a: number[][] = [];
  for (let i = 0; i < k; i++) {
    const row: number[] = [];
    for (let j = 0; j < k; j++) row.push(cov(instruments[i]!, instruments[j]!, 0, n));
    row.push(cov(instruments[i]!, book, 0, n));
    a.push(row);
  }
  // Gaussian elimination with partial pivoting on the k × (k+1) augmented matrix.
  const scale = Math.max(...a.map((r, i) => Math.abs(r[i] as number)), 1e-300);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) <= 1e-12 * scale)
      return fail('collinear_instruments', ['compare'], { k });
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let j = c; j <= k; j++) a[r]![j] = a[r]![j]! - f * a[c]![j]!;
    }
  }
  const slopes = a.map((r, i) => r[k]! / r[i]!);
  const vP = cov(book, book, 0, n);
  const resid = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let e = book[t] as number;
    for (let j = 0; j < k; j++) e -= slopes[j]! * (instruments[j]![t] as number);
    resid[t] = e;
  }
  const vE = cov(resid, resid, 0, n);
  return ok({ slopes, r2: vP > 0 ? 1 - vE / vP : 0 });
}

/** Hedged returns r_P + Σ h_j r_j (h_j signed USD per USD of book). O(n·k). */
export function hedgedSeries(
  book: ArrayLike<number>,
  legs: readonly ArrayLike<number>[],
  ratios: readonly number[],
): Float64Array {
  const n = Math.min(book.length, ...legs.map((x) => x.length));
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let v = book[t] as number;
    for (let j = 0; j < legs.length; j++) v += ratios[j]! * (legs[j]![t] as number);
    out[t] = v;
  }
  return out;
}

/** 1 − var(hedged) / var(unhedged) and the hedged standard deviation, over [from, to). */
export function effectivenessOf(
  book: ArrayLike<number>,
  hedged: ArrayLike<number>,
  from = 0,
  to = Math.min(book.length, hedged.length),
): { effectiveness: number; sdHedged: number } {
  const vP = cov(book, book, from, to);
  const vH = cov(hedged, hedged, from, to);
  return { effectiveness: vP > 0 ? 1 - vH / vP : 0, sdHedged: Math.sqrt(vH) };
}

/** How a walk-forward step re-estimates the hedge ratios from the trailing `train` periods
 *  [i − train, i): the minimum-variance ratios (OLS of the book on the legs) or the beta-hedge
 *  ratio (β_T − β_P) / β_F (both betas to the benchmark over the same periods; β_T default 0). */
export type WalkForwardMethod =
  { kind: 'min-variance' } | { kind: 'beta'; benchmark: ArrayLike<number>; targetBeta?: number };

export interface WalkForward {
  /** 1 − var(out-of-sample hedged) / var(unhedged) over the same out-of-sample periods. */
  effectiveness: number;
  /** Standard deviation per period of the out-of-sample hedged returns. */
  sdHedged: number;
  /** Out-of-sample periods (n − train) and re-estimations. */
  periods: number;
  refits: number;
  /** The out-of-sample hedged returns, periods train … n − 1. */
  hedged: Float64Array;
}

/** Walk-forward (out-of-sample) hedge effectiveness: at periods train, train + step, … the
 *  ratios are estimated on the trailing `train` periods only and applied to the next `step`
 *  periods (never to the periods they were estimated on); the effectiveness is measured on
 *  all those out-of-sample periods together. No look-ahead: the ratio used at period t depends
 *  on returns before t only. O(n/step · train · k² ).
 *  Fails with too_few_points when fewer than `train` + 3 periods, or a fit fails.
 *  @example walkForward(book, [eth], 180, 30, { kind: 'min-variance' }) */
export function walkForward(
  book: ArrayLike<number>,
  legs: readonly ArrayLike<number>[],
  train: number,
  step: number,
  method: WalkForwardMethod,
): Result<WalkForward> {
  const n = Math.min(book.length, ...legs.map((x) => x.length));
  if (!(train >= 3) || n < train + 3)
    return fail('too_few_points', ['returns'], { n, min: Math.max(3, train) + 3 });
  const m = n - train;
  const oosHedged = new Float64Array(m);
  const oosBook = new Float64Array(m);
  let refits = 0;
  for (let i = train; i < n; i += step) {
    const from = i - train;
    const win = (x: ArrayLike<number>) => Array.prototype.slice.call(x, from, i) as number[];
    let ratios: number[];
    if (method.kind === 'min-variance') {
      const fit = leastSquaresHedge(win(book), legs.map(win));
      if (!fit.ok) return fit;
      ratios = fit.value.slopes.map((b) => -b);
    } else {
      const bm = win(method.benchmark);
      const vB = cov(bm, bm);
      if (!(vB > 0)) return fail('flat_instrument', ['benchmark'], { n: train });
      const bP = cov(win(book), bm) / vB;
      const bF = cov(win(legs[0]!), bm) / vB;
      if (Math.abs(bF) < 1e-12)
        return fail('zero_instrument_beta', ['compare'], { instrument: 'leg' });
      ratios = [((method.targetBeta ?? 0) - bP) / bF];
    }
    refits++;
    const end = Math.min(n, i + step);
    for (let t = i; t < end; t++) {
      let v = book[t] as number;
      for (let j = 0; j < legs.length; j++) v += ratios[j]! * (legs[j]![t] as number);
      oosHedged[t - train] = v;
      oosBook[t - train] = book[t] as number;
    }
  }
  const e = effectivenessOf(oosBook, oosHedged);
  return ok({
    effectiveness: e.effectiveness,
    sdHedged: e.sdHedged,
    periods: m,
    refits,
    hedged: oosHedged,
  });
}

export interface Candidate {
  name: string;
  /** Simple returns of the instrument (its underlying) or basket, aligned with the book. */
  returns: ArrayLike<number>;
  /** β of the candidate to the benchmark (1 for the benchmark's own futures). */
  beta: number;
}

export interface CandidateResult {
  name: string;
  /** (β_T − β_P) / β_F: the beta hedge, USD of instrument per USD of book (signed). */
  betaRatio: number;
  /** −ρ σ_P / σ_F: the minimum-variance hedge ratio (signed). */
  minVarianceRatio: number;
  correlation: number;
  /** Residual volatility per period with each hedge, in sample. */
  sdBeta: number;
  sdMinVariance: number;
  /** In-sample effectiveness 1 − var(hedged) / var(book): beta hedge; min-variance (= ρ²). */
  effectivenessBeta: number;
  effectivenessMinVariance: number;
  /** Walk-forward effectiveness (null when the sample is too short for one). */
  walkForwardBeta: number | null;
  walkForwardMinVariance: number | null;
  /** Walk-forward residual volatility per period of the min-variance hedge. */
  walkForwardSd: number | null;
}

export interface CompareInput {
  book: ArrayLike<number>;
  benchmark: ArrayLike<number>;
  /** β_P of the book to the benchmark. */
  bookBeta: number;
  /** β_T the beta hedge aims for (default 0). */
  targetBeta?: number;
  candidates: readonly Candidate[];
  /** Trailing periods each walk-forward fit uses, and how often it refits. */
  train: number;
  step: number;
}

export interface CompareResult {
  candidates: CandidateResult[];
  /** The least-squares hedge with every candidate at once (k ≥ 2), else null. */
  combined: {
    ratios: number[];
    effectiveness: number;
    sd: number;
    walkForward: number | null;
    walkForwardSd: number | null;
  } | null;
  /** Index of the recommended candidate: the highest walk-forward effectiveness of the
   *  minimum-variance hedge (in-sample when no walk-forward is possible); ties to the first. */
  best: number;
  /** Ranked by that criterion. */
  basis: 'walk-forward' | 'in-sample';
}

/** Compares candidate hedges of a book (see the module comment). O(k · n + walk-forward).
 *  Problems: too_few_points, flat_instrument (at ['compare', j]), zero_instrument_beta. */
export function compareHedges(input: CompareInput): Result<CompareResult> {
  const { book, benchmark, candidates } = input;
  const out: CandidateResult[] = [];
  const warnings: Problem[] = [];
  for (let j = 0; j < candidates.length; j++) {
    const c = candidates[j]!;
    const mv = minimumVariance(book, c.returns);
    if (!mv.ok)
      return fail(mv.problems[0]!.code, ['compare', j], {
        ...mv.problems[0]!.params,
        instrument: c.name,
      });
    if (Math.abs(c.beta) < 1e-12)
      return fail('zero_instrument_beta', ['compare', j], { instrument: c.name });
    const betaRatio = ((input.targetBeta ?? 0) - input.bookBeta) / c.beta;
    const mvRatio = -mv.value.slope;
    const eBeta = effectivenessOf(book, hedgedSeries(book, [c.returns], [betaRatio]));
    const eMv = effectivenessOf(book, hedgedSeries(book, [c.returns], [mvRatio]));
    const wfB = walkForward(book, [c.returns], input.train, input.step, {
      kind: 'beta',
      benchmark,
      targetBeta: input.targetBeta ?? 0,
    });
    const wfM = walkForward(book, [c.returns], input.train, input.step, { kind: 'min-variance' });
    out.push({
      name: c.name,
      betaRatio,
      minVarianceRatio: mvRatio,
      correlation: mv.value.correlation,
      sdBeta: eBeta.sdHedged,
      sdMinVariance: eMv.sdHedged,
      effectivenessBeta: eBeta.effectiveness,
      effectivenessMinVariance: eMv.effectiveness,
      walkForwardBeta: wfB.ok ? wfB.value.effectiveness : null,
      walkForwardMinVariance: wfM.ok ? wfM.value.effectiveness : null,
      walkForwardSd: wfM.ok ? wfM.value.sdHedged : null,
    });
  }
  let combined: CompareResult['combined'] = null;
  if (candidates.length >= 2) {
    const legs = candidates.map((c) => c.returns);
    const fit = leastSquaresHedge(book, legs);
    if (fit.ok) {
      const ratios = fit.value.slopes.map((b) => -b);
      const e = effectivenessOf(book, hedgedSeries(book, legs, ratios));
      const wf = walkForward(book, legs, input.train, input.step, { kind: 'min-variance' });
      combined = {
        ratios,
        effectiveness: e.effectiveness,
        sd: e.sdHedged,
        walkForward: wf.ok ? wf.value.effectiveness : null,
        walkForwardSd: wf.ok ? wf.value.sdHedged : null,
      };
    } else warnings.push(...fit.problems);
  }
  const oos = out.every((c) => c.walkForwardMinVariance !== null);
  const score = (c: CandidateResult) =>
    oos ? (c.walkForwardMinVariance as number) : c.effectivenessMinVariance;
  let best = 0;
  out.forEach((c, j) => {
    if (score(c) > score(out[best]!)) best = j;
  });
  return ok(
    { candidates: out, combined, best, basis: oos ? 'walk-forward' : 'in-sample' },
    warnings,
  );
}

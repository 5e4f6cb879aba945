/** A `basis` cell: candidate hedges of a book compared (beta and minimum-variance ratios,
 *  residual volatility, in-sample and walk-forward effectiveness, rolling correlation) and the
 *  one recommended, with why. The rolling correlation is a bounded Frame (series.ts). */
import * as z from 'zod';
import { base } from './common';
import { Frame } from './series';

export const BasisCandidate = z.object({
  name: z.string(), // instrument name, or a basket label
  kind: z.enum(['instrument', 'basket']),
  beta: z.number(), // β of the candidate to the benchmark
  /** Beta hedge to the target: ratio (β_T − β_P) / β_F, signed USD per USD of book
   *  (negative = short), its USD notional and whole contracts (null for a basket). */
  betaRatio: z.number(),
  betaNotional: z.number(),
  betaContracts: z.number().nullable(),
  /** Minimum-variance hedge: ratio −ρ σ_P / σ_F (= −OLS slope), notional, contracts. */
  minVarianceRatio: z.number(),
  minVarianceNotional: z.number(),
  minVarianceContracts: z.number().nullable(),
  correlation: z.number(), // ρ(book, candidate) over the estimation window
  recentCorrelation: z.number().nullable(), // over the last `recent` periods
  /** Annualised volatilities: the book alone and with each hedge, in sample. */
  volUnhedged: z.number(),
  volBeta: z.number(),
  volMinVariance: z.number(),
  effectivenessBeta: z.number(), // 1 − var(hedged)/var(book), in sample
  effectivenessMinVariance: z.number(), // = ρ², in sample
  walkForwardBeta: z.number().nullable(), // out of sample (walk-forward)
  walkForwardMinVariance: z.number().nullable(),
  walkForwardVol: z.number().nullable(), // annualised, min-variance hedge out of sample
});
export type BasisCandidate = z.infer<typeof BasisCandidate>;

export const BasisResult = z.object({
  ...base,
  kind: z.literal('basis'),
  portfolio: z.string(),
  benchmark: z.string(),
  value: z.number(), // book value, USD
  bookBeta: z.number(), // β_P to the benchmark (Σ w β)
  targetBeta: z.number(),
  periods: z.number().int(), // returns in the estimation window (in-sample statistics)
  periodsPerYear: z.number(),
  /** Walk-forward: trailing periods per fit and periods between refits; out-of-sample periods. */
  train: z.number().int(),
  step: z.number().int(),
  outOfSample: z.number().int(),
  recent: z.number().int(), // periods of the recent / rolling correlation
  threshold: z.number(), // warn below this recent correlation
  drop: z.number(), // warn when the recent correlation is this far below the long-run one
  candidates: z.array(BasisCandidate),
  /** The least-squares hedge with all candidates at once (two or more). */
  combined: z
    .object({
      names: z.array(z.string()),
      ratios: z.array(z.number()), // signed USD per USD of book, one per candidate
      notionals: z.array(z.number()), // USD
      effectiveness: z.number(), // in sample (= R²)
      vol: z.number(), // annualised residual volatility in sample
      walkForward: z.number().nullable(),
      walkForwardVol: z.number().nullable(),
    })
    .nullable(),
  recommendation: z.object({
    candidate: z.string(),
    basis: z.enum(['walk-forward', 'in-sample']),
    reason: z.string(), // why, in words
  }),
  /** Rolling correlation of the book with each candidate (columns by name), bounded. */
  rolling: Frame.nullable(),
});
export type BasisResult = z.infer<typeof BasisResult>;

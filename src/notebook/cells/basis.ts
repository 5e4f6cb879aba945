/** A `basis` cell: the choice of hedge for a book. Candidates (instruments, or baskets of assets)
 *  are compared on the book's simple returns: beta and minimum-variance ratios, residual
 *  volatility and effectiveness over the estimation window, walk-forward (out-of-sample)
 *  effectiveness over the whole sample, the rolling correlation of the book with each, and a
 *  combined least-squares hedge; the recommendation says why in words. */
import { compareHedges, minimumVariance, type Candidate } from '../../engine/basis';
import { roundToLots } from '../../engine/hedge';
import { portfolioValueSeries, unitsOf } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import { rollingBeta } from '../../engine/rolling';
import { toReturns } from '../../engine/series';
import type { LocatedProblem } from '../location';
import type { ParsedCell } from '../parse';
import { RESULT_VERSION, type BasisResult } from '../../results';
import type { BasisSpec, Window } from '../schemas';
import { checkpoint, type CellEvaluation, type EvalContext, type InstrumentValue } from './context';
import { failed, provenance, relocate, savedFrame, unknownAsset, warningsOf } from './common';
import { bookBetas, logReturnsWarning, marketFor, windowed, type Market } from './market';

function periods(w: Window | null, m: Market, fallback: number): number {
  if (w === null || w.kind === 'all') return fallback;
  if (w.kind === 'periods') return w.periods;
  return Math.max(3, Math.round(w.ms / m.frequency.ms));
}

/** The words of a recommendation: which candidate, on what evidence. */
function reasonFor(r: BasisResult, best: BasisResult['candidates'][number]): string {
  const others = r.candidates.filter((c) => c !== best);
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(0)}%`);
  const vol = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const oos = r.recommendation.basis === 'walk-forward';
  const parts = [
    `${best.name} hedges this book best${oos ? ' out of sample' : ' in sample'}: its minimum-variance hedge removes ${pct(oos ? best.walkForwardMinVariance : best.effectivenessMinVariance)} of the book's variance${oos ? ' walk-forward' : ''}` +
      (others.length > 0
        ? `, against ${others.map((o) => `${pct(oos ? o.walkForwardMinVariance : o.effectivenessMinVariance)} for ${o.name}`).join(', ')}`
        : '') +
      '.',
    `It leaves ${vol(oos ? best.walkForwardVol : best.volMinVariance)} annual volatility of the book's ${vol(best.volUnhedged)}; its correlation with the book is ${best.correlation.toFixed(2)} over the estimation window` +
      (best.recentCorrelation !== null
        ? ` and ${best.recentCorrelation.toFixed(2)} recently`
        : '') +
      '.',
  ];
  if (r.combined && r.combined.walkForward !== null && oos) {
    const gain = r.combined.walkForward - (best.walkForwardMinVariance ?? 0);
    parts.push(
      gain > 0.02
        ? `Hedging with ${r.combined.names.join(' and ')} together (least squares) does better still: ${pct(r.combined.walkForward)} out of sample.`
        : `Adding the other candidates (least squares) gains ${gain > 0 ? `only ${(gain * 100).toFixed(1)} points` : 'nothing'} out of sample: one instrument is enough.`,
    );
  }
  return parts.join(' ');
}

export async function evaluateBasis(
  spec: BasisSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const portfolio = ctx.portfolio(spec.portfolio);
  const positions = portfolio.valuation.positions;
  const known = m.aligned.assets;
  const problems: LocatedProblem[] = [];
  spec.candidates.forEach((c, i) => {
    if (c.kind === 'basket')
      for (const w of c.weights)
        if (!known.includes(w.asset))
          problems.push(
            unknownAsset(parsed, ['compare', i, w.asset], w.asset, 'the basket', known),
          );
  });
  if (problems.length > 0) return failed(problems);

  // The book: buy-and-hold value series, simple returns (as the hedge cell measures it).
  const values = portfolioValueSeries(unitsOf(positions), m.aligned);
  const book = toReturns(values, 'simple');
  const simple = (asset: string) => toReturns(m.aligned.prices[asset] ?? [], 'simple');
  const benchmarkSimple = (() => {
    const w = ctx.settings().spec.benchmark;
    const n = book.length;
    const out = new Float64Array(n);
    for (const { asset, weight } of w) {
      const r = simple(asset);
      for (let t = 0; t < n; t++) out[t] = (out[t] ?? 0) + weight * (r[t] as number);
    }
    return out;
  })();

  const betas = await bookBetas(m, positions, 'basis', parsed, ctx.signal);
  if (!betas.ok) return betas.e;
  const bookBeta = betas.beta;
  const v = portfolio.valuation.value;

  // Candidates: the instrument's underlying returns, or a basket's (rebalanced each period).
  const insts: (InstrumentValue | null)[] = [];
  const cands: (Candidate & { kind: 'instrument' | 'basket' })[] = [];
  for (const [i, c] of spec.candidates.entries()) {
    if (c.kind === 'instrument') {
      const inst = ctx.instrument(c.name);
      insts.push(inst);
      cands.push({
        kind: 'instrument',
        name: c.name,
        returns: simple(inst.instrument.underlying),
        beta: inst.beta,
      });
    } else {
      const n = book.length;
      const r = new Float64Array(n);
      for (const { asset, weight } of c.weights) {
        const a = simple(asset);
        for (let t = 0; t < n; t++) r[t] = (r[t] ?? 0) + weight * (a[t] as number);
      }
      const label = c.weights
        .map((w) => `${Number((w.weight * 100).toPrecision(4))}% ${w.asset}`)
        .join(' + ');
      // β of the basket to the benchmark over the estimation window (OLS, simple returns).
      const fit = minimumVariance(windowed(m, r), windowed(m, benchmarkSimple));
      if (!fit.ok) return failed(relocate(fit.problems, () => ['compare', i], parsed));
      insts.push(null);
      cands.push({ kind: 'basket', name: label, returns: r, beta: fit.value.slope });
    }
  }
  await checkpoint(ctx.signal);

  // In sample: the estimation window. Walk-forward: the whole sample.
  const nAll = book.length;
  const inSample = (x: ArrayLike<number>) => (x as Float64Array).subarray(m.from);
  const nIn = nAll - m.from;
  const train = Math.min(
    periods(spec.train, m, m.window ?? Math.max(30, Math.floor(nAll / 4))),
    Math.max(3, nAll - 3),
  );
  const step = Math.max(1, periods(spec.step, m, Math.max(1, Math.round(train / 6))));
  const warnings: Problem[] = [...logReturnsWarning(m, 'hedge'), ...m.warnings];
  const cmpIn = compareHedges({
    book: inSample(book),
    benchmark: inSample(benchmarkSimple),
    bookBeta,
    targetBeta: spec.targetBeta,
    candidates: cands.map((c) => ({ ...c, returns: inSample(c.returns) })),
    train: Number.MAX_SAFE_INTEGER, // in-sample statistics only
    step,
  });
  const cmpAll = compareHedges({
    book,
    benchmark: benchmarkSimple,
    bookBeta,
    targetBeta: spec.targetBeta,
    candidates: cands,
    train,
    step,
  });
  if (!cmpIn.ok)
    return failed(
      relocate(
        cmpIn.problems,
        (p) => (p.path[0] === 'compare' ? ['compare', p.path[1] as number] : ['basis']),
        parsed,
      ),
    );
  if (!cmpAll.ok) warnings.push(...cmpAll.problems);
  const ppy = m.frequency.periodsPerYear;
  const ann = (sd: number) => sd * Math.sqrt(ppy);
  let sdBook = 0;
  {
    const x = inSample(book);
    const mu = x.reduce((s, y) => s + y, 0) / x.length;
    sdBook = Math.sqrt(x.reduce((s, y) => s + (y - mu) ** 2, 0) / (x.length - 1));
  }
  const recent = Math.min(
    periods(spec.recent, m, Math.max(3, Math.round((30 * 86_400_000) / m.frequency.ms))),
    nAll,
  );
  const contractsOf = (i: number, notional: number) => {
    const inst = insts[i];
    if (!inst) return null;
    return roundToLots(notional, inst.instrument, inst.price).signedContracts;
  };
  const candidates: BasisResult['candidates'] = cmpIn.value.candidates.map((c, i) => {
    const all = cmpAll.ok ? cmpAll.value.candidates[i] : null;
    const betaRatio = c.betaRatio;
    const mvNotional = c.minVarianceRatio * v;
    // Recent correlation: the last `recent` periods.
    const rb = cands[i]!.returns as Float64Array;
    const rc = minimumVariance(book.subarray(nAll - recent), rb.subarray(nAll - recent));
    return {
      name: c.name,
      kind: cands[i]!.kind,
      beta: cands[i]!.beta,
      betaRatio,
      betaNotional: betaRatio * v,
      betaContracts: contractsOf(i, betaRatio * v),
      minVarianceRatio: c.minVarianceRatio,
      minVarianceNotional: mvNotional,
      minVarianceContracts: contractsOf(i, mvNotional),
      correlation: c.correlation,
      recentCorrelation: rc.ok ? rc.value.correlation : null,
      volUnhedged: ann(sdBook),
      volBeta: ann(c.sdBeta),
      volMinVariance: ann(c.sdMinVariance),
      effectivenessBeta: c.effectivenessBeta,
      effectivenessMinVariance: c.effectivenessMinVariance,
      walkForwardBeta: all?.walkForwardBeta ?? null,
      walkForwardMinVariance: all?.walkForwardMinVariance ?? null,
      walkForwardVol: all?.walkForwardSd == null ? null : ann(all.walkForwardSd),
    };
  });
  for (const c of candidates) {
    if (c.recentCorrelation !== null && c.recentCorrelation < spec.threshold)
      warnings.push({
        code: 'correlation_below_threshold',
        path: ['threshold'],
        params: {
          candidate: c.name,
          recent: c.recentCorrelation,
          threshold: spec.threshold,
          periods: recent,
        },
      });
    else if (c.recentCorrelation !== null && c.correlation - c.recentCorrelation > spec.drop)
      warnings.push({
        code: 'correlation_dropped',
        path: ['drop'],
        params: {
          candidate: c.name,
          recent: c.recentCorrelation,
          longRun: c.correlation,
          periods: recent,
        },
      });
  }
  const combinedIn = cmpIn.value.combined;
  const combinedAll = cmpAll.ok ? cmpAll.value.combined : null;
  const oos = cmpAll.ok && cmpAll.value.basis === 'walk-forward';
  const bestIdx = oos && cmpAll.ok ? cmpAll.value.best : cmpIn.value.best;
  const result: BasisResult = {
    version: RESULT_VERSION,
    kind: 'basis',
    name: portfolio.name,
    warnings: [],
    data: provenance(m.source, m.aligned.times, 0),
    portfolio: portfolio.name,
    benchmark: m.benchmarkLabel,
    value: v,
    bookBeta,
    targetBeta: spec.targetBeta,
    periods: nIn,
    periodsPerYear: ppy,
    train,
    step,
    outOfSample: Math.max(0, nAll - train),
    recent,
    threshold: spec.threshold,
    drop: spec.drop,
    candidates,
    combined: combinedIn
      ? {
          names: candidates.map((c) => c.name),
          ratios: combinedIn.ratios,
          notionals: combinedIn.ratios.map((r) => r * v),
          effectiveness: combinedIn.effectiveness,
          vol: ann(combinedIn.sd),
          walkForward: combinedAll?.walkForward ?? null,
          walkForwardVol:
            combinedAll?.walkForwardSd == null ? null : ann(combinedAll.walkForwardSd),
        }
      : null,
    recommendation: {
      candidate: candidates[bestIdx]!.name,
      basis: oos ? 'walk-forward' : 'in-sample',
      reason: '',
    },
    rolling: null,
  };
  result.recommendation.reason = reasonFor(result, candidates[bestIdx]!);

  // Rolling correlation of the book with each candidate over the whole sample (bounded Frame).
  if (recent >= 3 && recent < nAll) {
    const columns: Record<string, Float64Array> = {};
    for (const c of cands) {
      await checkpoint(ctx.signal);
      const r = rollingBeta(book, c.returns, recent);
      if (r.ok) columns[c.name] = r.value.correlation;
      else warnings.push(...r.problems);
    }
    if (Object.keys(columns).length > 0)
      result.rolling = savedFrame(ctx, m.aligned.times.slice(1), columns);
  }
  result.warnings = warningsOf(warnings);
  return { ok: true, problems: [], value: null, results: [result] };
}

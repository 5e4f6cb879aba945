/** A `pair` cell: a beta-neutral long/short pair, its dollar beta and the residual hedge. */
import { pairHedge } from '../../engine/pair';
import { pricesAt } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import type { LocatedProblem } from '../location';
import type { ParsedCell, Path } from '../parse';
import { RESULT_VERSION, type PairResult } from '../../results';
import type { PairSpec } from '../schemas';
import type { CellEvaluation, EvalContext } from './context';
import { failed, provenance, relocate, unknownAsset, warningsOf } from './common';
import { assetBetas, logReturnsWarning, marketFor } from './market';
import { getOwn } from '../../engine/own';

export async function evaluatePair(
  spec: PairSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const where = `pair ${spec.name}`;
  const problems: LocatedProblem[] = [];
  for (const leg of ['long', 'short'] as const) {
    const a = spec[leg].asset;
    if (!m.aligned.assets.includes(a))
      problems.push(unknownAsset(parsed, [leg, a], a, where, m.aligned.assets));
  }
  if (problems.length > 0) return failed(problems);
  const at = pricesAt(m.aligned);
  if (!at.ok) return failed(relocate(at.problems, () => ['pair'], parsed));
  const assets = [spec.long.asset, spec.short.asset];
  const { stats, problems: bp } = await assetBetas(
    m,
    assets.filter((a) => a !== m.benchmarkAsset),
    {},
    ctx.signal,
  );
  if (bp.size > 0)
    return failed(
      relocate(
        [...bp.entries()].flatMap(([asset, ps]) =>
          ps.map((p) => ({
            ...p,
            path: [asset === spec.long.asset ? 'long' : 'short'],
            params: { ...p.params, asset },
          })),
        ),
        (p) => p.path,
        parsed,
      ),
    );
  const beta = (a: string) => (a === m.benchmarkAsset ? 1 : (stats.get(a)?.beta ?? 0));
  const usd = (leg: PairSpec['long']) =>
    'usd' in leg.amount
      ? leg.amount.usd
      : leg.amount.units * (getOwn(at.value.prices, leg.asset) ?? 0);
  const inst = spec.instrument ? ctx.instrument(spec.instrument) : null;
  const r = pairHedge({
    long: { asset: spec.long.asset, usd: usd(spec.long), beta: beta(spec.long.asset) },
    short: { asset: spec.short.asset, usd: usd(spec.short), beta: beta(spec.short.asset) },
    ...(inst
      ? {
          instrument: inst.instrument,
          instrumentBeta: inst.beta,
          price: inst.price,
          ...(spec.leverage !== null ? { leverage: spec.leverage } : {}),
        }
      : {}),
  });
  const fieldOf = (p: Problem): Path =>
    p.path[0] === 'long' || p.path[0] === 'short'
      ? [p.path[0]]
      : p.path[0] === 'leverage'
        ? ['leverage']
        : ['hedge_with'];
  if (!r.ok) return failed(relocate(r.problems, fieldOf, parsed));
  const v = r.value;
  const result: PairResult = {
    version: RESULT_VERSION,
    kind: 'pair',
    name: spec.name,
    warnings: warningsOf([...logReturnsWarning(m, 'pair'), ...m.warnings, ...r.warnings]),
    data: provenance(m.source, m.aligned, m.from),
    long: {
      asset: v.long.asset,
      usd: v.long.usd,
      beta: v.long.beta,
      dollarBeta: v.long.dollarBeta,
    },
    short: {
      asset: v.short.asset,
      usd: v.short.usd,
      beta: v.short.beta,
      dollarBeta: v.short.dollarBeta,
    },
    dollarBeta: v.dollarBeta,
    instrument: v.instrument,
    hedge: v.hedge
      ? {
          side: v.hedge.side,
          contracts: v.hedge.contracts,
          notional: v.hedge.contractNotional,
          dollarBetaAfter: v.hedge.dollarBetaAfter,
          margin: v.hedge.margin,
        }
      : null,
  };
  return { ok: true, problems: [], value: { kind: 'pair', result }, results: [result] };
}

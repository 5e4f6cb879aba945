/** A `portfolio` cell: holdings valued at the latest time every asset of the dataset has a price. */
import { pricesAt, valuePortfolio } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import type { AlignedPrices } from '../../engine/series';
import type { ParsedCell, Path } from '../parse';
import { RESULT_VERSION } from '../../results';
import type { PortfolioSpec } from '../schemas';
import { type CellEvaluation, type EvalContext, type PortfolioValue } from './context';
import { failed, iso, provenance, relocate, unknownAsset, warningsOf } from './common';
import { marketFor } from './market';

/** When the data goes on past the valuation time (some asset lacks the latest prices), the
 *  warning that names the assets missing at the latest time and the time used instead. */
function valuedBefore(aligned: AlignedPrices, asOf: number): Problem[] {
  let latest = -Infinity;
  for (const d of aligned.dropped)
    if (d.reason === 'not_shared' && d.time > latest) latest = d.time;
  if (!(latest > asOf)) return [];
  const have = new Set(
    aligned.dropped
      .filter((d) => d.reason === 'not_shared' && d.time === latest)
      .map((d) => d.asset),
  );
  const missing = aligned.assets.filter((a) => !have.has(a));
  return [
    {
      code: 'valued_before_latest',
      path: ['portfolio'],
      params: { asOf, latest, missing: missing.join(', '), count: missing.length },
    },
  ];
}

export async function evaluatePortfolio(
  spec: PortfolioSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const where = `portfolio ${spec.name}`;
  const problems = spec.holdings
    .filter((h) => !m.aligned.assets.includes(h.asset))
    .map((h) => unknownAsset(parsed, ['holdings', h.asset], h.asset, where, m.aligned.assets));
  if (problems.length > 0) return failed(problems);
  const at = pricesAt(m.aligned);
  if (!at.ok) return failed(relocate(at.problems, () => ['portfolio'], parsed));
  const holdings = spec.holdings.map((h) => ({ asset: h.asset, ...h.holding }));
  const v = valuePortfolio(
    holdings,
    at.value.prices,
    spec.value !== null ? { totalUsd: spec.value } : {},
  );
  const toCell = (p: Problem): Path =>
    p.path[0] === 'totalUsd' ? ['value'] : p.path[0] === 'holdings' ? p.path : ['holdings'];
  if (!v.ok) return failed(relocate(v.problems, toCell, parsed));
  const warnings = [...v.warnings, ...valuedBefore(m.aligned, at.value.time)];
  const value: PortfolioValue = {
    kind: 'portfolio',
    name: spec.name,
    valuation: v.value,
    asOf: at.value.time,
    holdings,
    totalUsd: spec.value,
  };
  return {
    ok: true,
    problems: [],
    value,
    results: [
      {
        version: RESULT_VERSION,
        kind: 'portfolio',
        name: spec.name,
        warnings: warningsOf(warnings),
        data: provenance(m.source, m.aligned, at.value.index, at.value.index + 1),
        asOf: iso(at.value.time),
        value: v.value.value,
        positions: v.value.positions.map((p) => ({ ...p })),
      },
    ],
  };
}

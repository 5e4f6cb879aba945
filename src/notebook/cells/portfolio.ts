/** A `portfolio` cell: holdings valued at the latest time every asset of the dataset has a price. */
import { pricesAt, valuePortfolio } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import type { ParsedCell, Path } from '../parse';
import { RESULT_VERSION } from '../../results';
import type { PortfolioSpec } from '../schemas';
import { type CellEvaluation, type EvalContext, type PortfolioValue } from './context';
import { failed, iso, relocate, unknownAsset, warningsOf } from './common';
import { marketFor } from './market';

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
  const value: PortfolioValue = {
    kind: 'portfolio',
    name: spec.name,
    valuation: v.value,
    asOf: at.value.time,
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
        warnings: warningsOf(v.warnings),
        data: {
          source: m.source,
          start: iso(at.value.time),
          end: iso(at.value.time),
          rows: 1,
        },
        asOf: iso(at.value.time),
        value: v.value.value,
        positions: v.value.positions.map((p) => ({ ...p })),
      },
    ],
  };
}

/** The asset an instrument follows: `underlying`, else the longest asset its name starts with. */

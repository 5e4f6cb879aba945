/** The settings cell: benchmark, returns, window and frequency for the cells below it. */
import type { LocatedProblem } from '../location';
import type { ParsedCell } from '../parse';
import { RESULT_VERSION } from '../../results';
import type { SettingsSpec } from '../schemas';
import { type CellEvaluation, type EvalContext, type SettingsValue } from './context';
import { failed, provenance, relocate, unknownAsset, warningsOf } from './common';
import { market } from './market';

export async function evaluateSettings(
  spec: SettingsSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const prices = ctx.prices(spec.data);
  const value: SettingsValue = {
    kind: 'settings',
    spec: {
      benchmark: spec.benchmark,
      returns: spec.returns,
      window: spec.window,
      frequency: spec.frequency,
    },
  };
  const problems: LocatedProblem[] = [];
  for (const b of spec.benchmark) {
    if (!prices.aligned.assets.includes(b.asset)) {
      const path = spec.benchmark.length === 1 ? ['benchmark'] : ['benchmark', b.asset];
      const p = unknownAsset(parsed, path, b.asset, 'the benchmark', prices.aligned.assets);
      problems.push(spec.benchmark.length === 1 ? { ...p, range: parsed.locate(path) } : p);
    }
  }
  if (problems.length > 0) return failed(problems);
  const m = market(prices, value);
  if (!m.ok)
    return failed(
      relocate(m.problems, (p) => (p.path[0] === 'frequency' ? ['frequency'] : []), parsed),
    );
  const mk = m.value;
  return {
    ok: true,
    problems: [],
    value,
    results: [
      {
        version: RESULT_VERSION,
        kind: 'settings',
        name: 'settings',
        warnings: warningsOf(mk.warnings),
        data: provenance(mk.source, mk.aligned, mk.from),
        benchmark: spec.benchmark,
        returns: spec.returns,
        window: mk.window,
        frequency: mk.frequency.label,
      },
    ],
  };
}

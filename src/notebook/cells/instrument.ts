/** An `instrument` cell: a perpetual or dated future, linear or inverse, its price and beta. */
import { BRACKET_TABLES } from '../../engine/bracket-tables';
import { type BracketTable, validateBrackets } from '../../engine/brackets';
import { isExpired, validateInstrument } from '../../engine/instrument';
import { pricesAt } from '../../engine/portfolio';
import type { Problem } from '../../engine/result';
import { describeProblem } from '../messages';
import { listed, type ParsedCell } from '../parse';
import { RESULT_VERSION } from '../../results';
import type { InstrumentSpec } from '../schemas';
import { type CellEvaluation, type EvalContext, type InstrumentValue } from './context';
import { failed, iso, provenance, relocate, unknownAsset, warningsOf } from './common';
import { assetBetas, marketFor } from './market';
import { getOwn } from '../../engine/own';

function underlyingOf(spec: InstrumentSpec, assets: readonly string[]): string | null {
  if (spec.underlying) return spec.underlying;
  const name = spec.name.toUpperCase();
  let best: string | null = null;
  for (const a of assets)
    if (name.startsWith(a.toUpperCase()) && (!best || a.length > best.length)) best = a;
  return best;
}

export async function evaluateInstrument(
  spec: InstrumentSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const underlying = underlyingOf(spec, m.aligned.assets);
  if (underlying === null) {
    const p: Problem = {
      code: 'no_underlying',
      path: ['instrument'],
      params: { name: spec.name, known: listed(m.aligned.assets) },
    };
    return failed([
      { code: p.code, message: describeProblem(p), range: parsed.locate(['instrument']) },
    ]);
  }
  if (!m.aligned.assets.includes(underlying))
    return failed([
      {
        ...unknownAsset(
          parsed,
          ['underlying'],
          underlying,
          `instrument ${spec.name}`,
          m.aligned.assets,
        ),
        range: parsed.locate(['underlying']),
      },
    ]);
  const contractSize =
    spec.contractSize ??
    (spec.settlement === 'linear' ? 0.001 : underlying.toUpperCase() === 'BTC' ? 100 : 10);
  let brackets: BracketTable | undefined;
  if (spec.brackets?.kind === 'table') brackets = BRACKET_TABLES[spec.brackets.name];
  else if (spec.brackets?.kind === 'custom') {
    const rows = validateBrackets(spec.brackets.rows);
    const key: Record<string, string> = {
      cap: 'up_to',
      rate: 'rate',
      amount: 'amount',
      maxLeverage: 'max_leverage',
    };
    if (!rows.ok)
      return failed(
        relocate(
          rows.problems,
          (p) =>
            p.path.length === 0
              ? ['brackets']
              : ['brackets', p.path[0] as number, key[String(p.path[1])] ?? 'rate'],
          parsed,
        ),
      );
    brackets = {
      name: 'custom',
      unit: spec.settlement === 'inverse' ? 'coin' : 'usd',
      rule: spec.liquidationRule,
      brackets: rows.value,
      source: `brackets given in instrument ${spec.name}`,
    };
  }
  const inst = validateInstrument({
    name: spec.name,
    type: spec.type,
    settlement: spec.settlement,
    underlying,
    contractSize,
    lotStep: spec.lotStep,
    expiry: spec.expiry,
    maintenanceMarginRate: spec.maintenanceMarginRate,
    ...(brackets ? { brackets } : {}),
  });
  const fields: Record<string, string> = {
    contractSize: 'contract_size',
    lotStep: 'lot_step',
    maintenanceMarginRate: 'maintenance_margin',
    expiry: 'expiry',
    type: 'type',
    settlement: 'settlement',
    underlying: 'underlying',
    brackets: 'brackets',
  };
  if (!inst.ok)
    return failed(
      relocate(inst.problems, (p) => [fields[String(p.path[0])] ?? 'instrument'], parsed),
    );
  const at = pricesAt(m.aligned);
  if (!at.ok) return failed(relocate(at.problems, () => ['instrument'], parsed));
  const price = getOwn(at.value.prices, underlying) ?? 0;
  let beta: number;
  let betaSource: InstrumentValue['betaSource'];
  const warnings: Problem[] = [...m.warnings];
  if (spec.beta !== null) {
    beta = spec.beta;
    betaSource = 'given';
  } else if (underlying === m.benchmarkAsset) {
    beta = 1;
    betaSource = 'benchmark';
  } else {
    const b = await assetBetas(m, [underlying], {}, ctx.signal);
    const s = b.stats.get(underlying);
    if (!s) return failed(relocate(b.problems.get(underlying) ?? [], () => ['instrument'], parsed));
    beta = s.beta;
    betaSource = 'estimated';
  }
  if (isExpired(inst.value, at.value.time))
    warnings.push({
      code: 'instrument_expired',
      path: ['expiry'],
      params: { name: spec.name, expiry: inst.value.expiry ?? 0, asOf: at.value.time },
    });
  const value: InstrumentValue = {
    kind: 'instrument',
    instrument: inst.value,
    price,
    beta,
    betaSource,
  };
  return {
    ok: true,
    problems: [],
    value,
    results: [
      {
        version: RESULT_VERSION,
        kind: 'instrument',
        name: spec.name,
        warnings: warningsOf(warnings),
        data: provenance(
          m.source,
          m.aligned,
          betaSource === 'estimated' ? m.from : m.aligned.times.length - 1,
        ),
        type: inst.value.type,
        settlement: inst.value.settlement,
        underlying,
        contractSize: inst.value.contractSize,
        lotStep: inst.value.lotStep,
        expiry: inst.value.expiry === null ? null : iso(inst.value.expiry),
        price,
        beta,
        betaSource,
        maintenanceMarginRate: inst.value.maintenanceMarginRate,
        brackets: brackets
          ? {
              table: brackets.name,
              source: brackets.source,
              rule: brackets.rule,
              unit: brackets.unit,
              rows: brackets.brackets.map((b) => ({
                cap: Number.isFinite(b.cap) ? b.cap : null,
                rate: b.rate,
                amount: b.amount,
                maxLeverage: b.maxLeverage,
              })),
            }
          : null,
      },
    ],
  };
}

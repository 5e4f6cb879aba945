/** A `position` cell: a hedge already held (instrument, contracts, entry price, margin or
 *  leverage, opened at) and today's data: the portfolio beta with it, drift from target,
 *  unrealised P&L, liquidation price and distance, and the rebalance ticket back to target.
 *  Declares `position NAME` for stress cells. */
import { positionState, type FundingHistory } from '../../engine/position';
import type { Problem } from '../../engine/result';
import type { ParsedCell, Path } from '../parse';
import { RESULT_VERSION, type PositionResult } from '../../results';
import type { PositionSpec } from '../schemas';
import type { CellEvaluation, EvalContext, PositionValue } from './context';
import { failed, iso, provenance, relocate, warningsOf } from './common';
import { bookBetas, logReturnsWarning, marketFor } from './market';

export async function evaluatePosition(
  spec: PositionSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const portfolio = ctx.portfolio(spec.portfolio);
  const inst = ctx.instrument(spec.instrument);
  const positions = portfolio.valuation.positions;
  const book = await bookBetas(m, positions, 'hedges', parsed, ctx.signal);
  if (!book.ok) return book.e;
  const instrument = inst.instrument;
  const inverse = instrument.settlement === 'inverse';
  const entryNotionalUsd =
    Math.abs(spec.contracts) * instrument.contractSize * (inverse ? 1 : spec.entryPrice);
  // Margin in the margin currency: given (USD converted at entry for inverse), or from leverage.
  let margin: number;
  if (spec.margin !== null)
    margin =
      'usd' in spec.margin ? spec.margin.usd / (inverse ? spec.entryPrice : 1) : spec.margin.amount;
  else margin = entryNotionalUsd / (spec.leverage ?? 1) / (inverse ? spec.entryPrice : 1);
  const warnings: Problem[] = [...logReturnsWarning(m, 'hedge'), ...m.warnings];
  if (spec.opened !== null && spec.opened > portfolio.asOf)
    warnings.push({
      code: 'opened_after_data',
      path: ['opened'],
      params: { opened: iso(spec.opened), asOf: iso(portfolio.asOf) },
    });
  // Funding since opening, from a funding dataset: the instrument's symbol (the only one, or the
  // longest symbol its name starts with), each settlement valued at the underlying's last price
  // at or before it.
  let funding: FundingHistory | undefined;
  if (spec.funding !== null) {
    const f = ctx.funding(spec.funding);
    const symbols = [...f.series.keys()];
    const upper = instrument.name.toUpperCase();
    const symbol =
      symbols.length === 1
        ? symbols[0]
        : symbols
            .filter((x) => upper.startsWith(x.toUpperCase()))
            .sort((a, b) => b.length - a.length)[0];
    if (symbol === undefined)
      return failed(
        relocate(
          [
            {
              code: 'funding_symbol_ambiguous',
              path: [],
              params: { name: f.name, instrument: instrument.name, known: symbols.join(', ') },
            },
          ],
          () => ['funding'],
          parsed,
        ),
      );
    const series = f.series.get(symbol)!;
    const times = m.aligned.times;
    const px = m.aligned.prices[instrument.underlying] ?? [];
    const out = { times: [] as number[], rates: [] as number[], prices: [] as number[] };
    let j = 0;
    for (let i = 0; i < series.times.length; i++) {
      const t = series.times[i] as number;
      while (j + 1 < times.length && (times[j + 1] as number) <= t) j++;
      if ((times[j] as number) > t) continue; // before the first price
      out.times.push(t);
      out.rates.push(series.rates[i] as number);
      out.prices.push(px[j] as number);
    }
    funding = out;
    if (spec.opened === null)
      warnings.push({ code: 'funding_needs_opened', path: ['funding'], params: {} });
  }
  const state = positionState({
    held: {
      instrument,
      contracts: spec.contracts,
      entryPrice: spec.entryPrice,
      margin,
      openedAt: spec.opened ?? portfolio.asOf,
    },
    price: inst.price,
    asOf: portfolio.asOf,
    portfolioValue: portfolio.valuation.value,
    portfolioBeta: book.beta,
    instrumentBeta: inst.beta,
    targetBeta: spec.targetBeta,
    feeRate: spec.fee,
    band: spec.band,
    ...(funding ? { funding } : {}),
  });
  const fieldOf = (p: Problem): Path =>
    p.path[1] === 'contracts'
      ? ['contracts']
      : p.path[1] === 'entryPrice'
        ? ['entry_price']
        : p.path[0] === 'held' && (p.path[1] === 'margin' || p.code === 'liquidated_at_entry')
          ? [
              spec.margin !== null
                ? 'margin'
                : spec.leverage !== null && parsed.sourceAt(['leverage']) !== null
                  ? 'leverage'
                  : 'position',
            ]
          : p.path[0] === 'instrumentBeta'
            ? ['with']
            : ['position'];
  if (!state.ok) return failed(relocate(state.problems, fieldOf, parsed));
  warnings.push(...state.warnings);
  const s = state.value;
  const liqBracket = instrument.brackets
    ? {
        table: instrument.brackets.name,
        number: s.bracket + 1,
        maxLeverage: instrument.brackets.brackets[s.bracket]?.maxLeverage ?? null,
      }
    : null;
  const result: PositionResult = {
    version: RESULT_VERSION,
    kind: 'position',
    name: spec.name,
    warnings: warningsOf(warnings),
    data: provenance(m.source, m.aligned.times, m.from),
    portfolio: portfolio.name,
    instrument: instrument.name,
    settlement: instrument.settlement,
    side: s.side,
    contracts: spec.contracts,
    entryPrice: spec.entryPrice,
    price: inst.price,
    openedAt: spec.opened === null ? null : iso(spec.opened),
    asOf: iso(portfolio.asOf),
    notional: s.notional,
    leverage: s.leverage,
    margin: margin * (inverse ? spec.entryPrice : 1),
    marginBalance: s.marginBalance,
    unrealizedPnl: s.unrealizedPnlUsd,
    fundingPnl: s.fundingPnl,
    fundingPayments: s.fundingPayments,
    portfolioValue: portfolio.valuation.value,
    portfolioBeta: book.beta,
    instrumentBeta: inst.beta,
    targetBeta: spec.targetBeta,
    betaNow: s.betaNow,
    drift: s.drift,
    band: spec.band,
    withinBand: s.withinBand,
    liquidationPrice: s.liquidationPrice,
    liquidationMovePct: s.liquidationMovePct,
    maintenanceMarginRate: s.maintenanceMarginRate,
    marginRatio: s.marginRatio,
    bracket: liqBracket,
    ticket: {
      side: s.ticket.side,
      contracts: s.ticket.contracts,
      notional: s.ticket.notional,
      fee: s.ticket.fee,
      feeRate: spec.fee,
      contractsAfter: s.ticket.contractsAfter,
      betaAfter: s.ticket.betaAfter,
      marginAfter: s.ticket.marginAfter,
      marginChange: s.ticket.marginChange,
    },
  };
  const value: PositionValue = {
    kind: 'position',
    name: spec.name,
    portfolio: portfolio.name,
    instrument,
    contracts: spec.contracts,
    entryPrice: spec.entryPrice,
    margin,
    price: inst.price,
    instrumentBeta: inst.beta,
  };
  return { ok: true, problems: [], value, results: [result] };
}

/** A `funding` cell: loads funding-rate history (a file through SessionEnv.loadFunding, or an
 *  exchange's public history through SessionEnv.loadExchangeFunding and its disk cache), keeps the
 *  chosen symbol and dates, and declares it per symbol for `simulate` cells. Positive rates mean
 *  longs pay shorts (the exchanges' rule, kept as loaded). */
import { FUNDING_GAP_FACTOR } from '../../engine/funding';
import { YEAR_MS } from '../../engine/series';
import type { Problem, Result } from '../../engine/result';
import { describeProblem } from '../messages';
import type { ParsedCell } from '../parse';
import { RESULT_VERSION, SERIES_BOUNDS, type FundingSymbol } from '../../results';
import type { FundingSpec } from '../schemas';
import {
  Cancelled,
  type CellEvaluation,
  type EvalContext,
  type FundingValue,
  type LoadedFundingRates,
} from './context';
import { failed, fileRecord, iso, relocate, savedFrame, warningsOf } from './common';

/** Points of each symbol's rate chart at most: a rate that mean-reverts every few settlements
 *  reads as well from 100 points as from 400, and a notebook often holds several funding cells. */
export const FUNDING_CHART_POINTS = 100;

export async function evaluateFunding(
  spec: FundingSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const head = spec.exchange
    ? ['exchange']
    : parsed.sourceAt(['file']) === null
      ? ['funding']
      : ['file'];
  let loaded: Result<LoadedFundingRates>;
  if (spec.exchange) {
    const load = ctx.env.loadExchangeFunding;
    if (!load)
      return failed(relocate([{ code: 'exchange_unavailable', path: [] }], () => head, parsed));
    loaded = await load.call(
      ctx.env,
      {
        exchange: spec.exchange.exchange,
        market: spec.exchange.market,
        symbol: spec.exchange.symbol,
        start: spec.start ?? 0,
        ...(spec.end !== null ? { end: spec.end } : {}),
      },
      ctx.signal,
    );
  } else {
    const load = ctx.env.loadFunding;
    if (!load)
      return failed(relocate([{ code: 'funding_unavailable', path: [] }], () => head, parsed));
    loaded = await load.call(ctx.env, spec.file ?? '', ctx.signal);
  }
  if (ctx.signal.aborted) throw new Cancelled();
  if (!loaded.ok)
    return failed(
      loaded.problems.map((p) => ({
        code: p.code,
        message: describeProblem(p),
        range: parsed.locate(head),
      })),
    );
  const lo = spec.start ?? -Infinity;
  const hi = spec.end ?? Infinity;
  const bySymbol = new Map<string, { time: number; rate: number }[]>();
  for (const r of loaded.value.rates) {
    if (spec.symbol !== null && r.symbol !== spec.symbol) continue;
    if (r.time < lo || r.time > hi) continue;
    const list = bySymbol.get(r.symbol) ?? [];
    list.push(r);
    bySymbol.set(r.symbol, list);
  }
  if (bySymbol.size === 0) {
    const symbols = [...new Set(loaded.value.rates.map((r) => r.symbol))];
    const p: Problem =
      spec.symbol !== null && !symbols.includes(spec.symbol)
        ? {
            code: 'funding_unknown_symbol',
            path: ['symbol'],
            params: { symbol: spec.symbol, known: symbols.join(', ') },
          }
        : {
            code: 'funding_no_rows',
            path: [spec.start !== null ? 'start' : head[0]!],
            params: { source: loaded.value.source },
          };
    return failed(relocate([p], () => p.path, parsed));
  }
  const series = new Map<string, { times: number[]; rates: number[] }>();
  const rows: FundingSymbol[] = [];
  for (const [symbol, list] of bySymbol) {
    // Sorted by time (stable); a repeated time keeps its first row, as the price aligner does.
    list.sort((a, b) => a.time - b.time);
    const times: number[] = [];
    const rates: number[] = [];
    let duplicates = 0;
    for (const r of list) {
      if (times.length > 0 && times[times.length - 1] === r.time) {
        duplicates++;
        continue;
      }
      times.push(r.time);
      rates.push(r.rate);
    }
    series.set(symbol, { times, rates });
    const diffs = times
      .slice(1)
      .map((t, i) => t - times[i]!)
      .sort((a, b) => a - b);
    const interval = diffs.length > 0 ? diffs[diffs.length >> 1]! : 8 * 3_600_000;
    const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
    rows.push({
      symbol,
      settlements: times.length,
      first: iso(times[0]!),
      last: iso(times[times.length - 1]!),
      intervalHours: interval / 3_600_000,
      mean,
      meanAnnual: mean * (YEAR_MS / interval),
      min: rates.reduce((m, r) => Math.min(m, r), Infinity),
      max: rates.reduce((m, r) => Math.max(m, r), -Infinity),
      positiveShare: rates.filter((r) => r > 0).length / rates.length,
      gaps:
        diffs.length === 0
          ? 0
          : times.slice(1).filter((t, i) => t - times[i]! > FUNDING_GAP_FACTOR * interval).length,
      duplicates,
    });
  }
  const charted = rows.slice(0, SERIES_BOUNDS.chartAssets);
  const value: FundingValue = {
    kind: 'funding',
    name: spec.name,
    source: loaded.value.source,
    series,
  };
  const all = [...series.values()].flatMap((s) => [s.times[0]!, s.times[s.times.length - 1]!]);
  // (two times per symbol: few)
  return {
    ok: true,
    problems: [],
    value,
    results: [
      {
        version: RESULT_VERSION,
        kind: 'funding',
        name: spec.name,
        warnings: warningsOf(loaded.warnings),
        data: {
          source: loaded.value.source,
          start: iso(Math.min(...all)),
          end: iso(Math.max(...all)),
          rows: rows.reduce((s, r) => s + r.settlements, 0),
          ...(loaded.value.fingerprint ? { file: fileRecord(loaded.value.fingerprint) } : {}),
        },
        symbols: rows,
        charts: charted.map((r) => {
          const s = series.get(r.symbol)!;
          return {
            symbol: r.symbol,
            frame: savedFrame(ctx, s.times, { rate: s.rates }, { max: FUNDING_CHART_POINTS }),
          };
        }),
        chartSymbols: { shown: charted.length, of: rows.length },
      },
    ],
  };
}

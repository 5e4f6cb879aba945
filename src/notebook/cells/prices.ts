/** A `prices` cell: loads a dataset (a file through SessionEnv.loadPrices, or an exchange), keeps
 *  the chosen assets and dates (start and end inclusive), and aligns the series on shared times. */
import type { Result } from '../../engine/result';
import { alignSeries, inferFrequency, type PriceSeries } from '../../engine/series';
import { describeProblem } from '../messages';
import type { LocatedProblem } from '../location';
import type { ParsedCell } from '../parse';
import { RESULT_VERSION } from '../../results';
import type { PricesSpec } from '../schemas';
import { Cancelled, type CellEvaluation, type EvalContext, type PricesValue } from './context';
import { failed, iso, provenance, relocate, unknownAsset, warningsOf } from './common';

export async function evaluatePrices(
  spec: PricesSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  let loaded: Result<{ source: string; series: PriceSeries[] }>;
  if (spec.exchange) {
    const load = ctx.env.loadExchangePrices;
    if (!load)
      return failed(
        relocate([{ code: 'exchange_unavailable', path: [] }], () => ['exchange'], parsed),
      );
    loaded = await load.call(
      ctx.env,
      {
        exchange: spec.exchange.exchange,
        market: spec.exchange.market,
        interval: spec.exchange.interval,
        start: spec.start ?? 0,
        ...(spec.end !== null ? { end: spec.end } : {}),
        assets: spec.exchange.symbols,
      },
      ctx.signal,
    );
  } else loaded = await ctx.env.loadPrices(spec.file ?? '', ctx.signal);
  if (ctx.signal.aborted) throw new Cancelled();
  if (!loaded.ok) {
    return failed(
      loaded.problems.map((p) => ({
        code: p.code,
        message: describeProblem(p),
        range: parsed.locate(
          spec.exchange ? ['exchange'] : parsed.sourceAt(['file']) === null ? ['prices'] : ['file'],
        ),
      })),
    );
  }
  let series = loaded.value.series;
  const problems: LocatedProblem[] = [];
  if (spec.assets) {
    const known = series.map((s) => s.asset);
    spec.assets.forEach((a, i) => {
      if (!known.includes(a))
        problems.push(unknownAsset(parsed, ['assets', i], a, 'the file', known));
    });
    series = series.filter((s) => spec.assets?.includes(s.asset));
  }
  if (problems.length > 0) return failed(problems);
  if (spec.start !== null || spec.end !== null) {
    const lo = spec.start ?? -Infinity;
    const hi = spec.end ?? Infinity;
    series = series.map((s) => {
      const keep = s.times.map((t) => t >= lo && t <= hi);
      return {
        asset: s.asset,
        times: s.times.filter((_, i) => keep[i]),
        prices: s.prices.filter((_, i) => keep[i]),
      };
    });
  }
  const aligned = alignSeries(series, { minPoints: 4 });
  const headPath = spec.exchange
    ? ['exchange']
    : parsed.sourceAt(['file']) === null
      ? ['prices']
      : ['file'];
  if (!aligned.ok) return failed(relocate(aligned.problems, () => headPath, parsed));
  const freq = inferFrequency(aligned.value.times);
  if (!freq.ok) return failed(relocate(freq.problems, () => headPath, parsed));
  const a = aligned.value;
  const value: PricesValue = {
    kind: 'prices',
    name: spec.name,
    source: loaded.value.source,
    aligned: a,
    frequency: freq.value,
  };
  const last = a.times.length - 1;
  return {
    ok: true,
    problems: [],
    value,
    results: [
      {
        version: RESULT_VERSION,
        kind: 'prices',
        name: spec.name,
        // the loader's own warnings first: e.g. that a cached range was used because the network failed
        warnings: warningsOf([...loaded.warnings, ...aligned.warnings, ...freq.warnings]),
        data: provenance(loaded.value.source, a.times),
        assets: a.assets,
        frequency: freq.value.label,
        periodsPerYear: freq.value.periodsPerYear,
        last: a.assets.map((asset) => ({
          asset,
          price: a.prices[asset]?.[last] ?? 0,
          time: iso(a.times[last] ?? 0),
        })),
      },
    ],
  };
}

/** A `prices` cell: loads a dataset (a file through SessionEnv.loadPrices, or an exchange), keeps
 *  the chosen assets and dates (start and end inclusive), and aligns the series on shared times.
 *  When the alignment fails (too little overlap), the failure keeps what caused it: the loader's
 *  located warnings (a price that is not positive, empty prices, at their line and column) and
 *  the aligner's drops, placed in the file when the loader can say where. */
import type { Problem, Result } from '../../engine/result';
import { alignSeries, inferFrequency, type PriceSeries } from '../../engine/series';
import { describeProblem } from '../messages';
import type { LocatedProblem } from '../location';
import type { ParsedCell } from '../parse';
import { RESULT_VERSION } from '../../results';
import type { PricesSpec } from '../schemas';
import {
  Cancelled,
  type CellEvaluation,
  type EvalContext,
  type LoadedDataset,
  type PricesValue,
} from './context';
import { failed, fileRecord, iso, provenance, relocate, unknownAsset, warningsOf } from './common';
import { getOwn } from '../../engine/own';

export async function evaluatePrices(
  spec: PricesSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  let loaded: Result<LoadedDataset>;
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
  let series: readonly PriceSeries[] = loaded.value.series;
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
  if (spec.start !== null || spec.end !== null)
    series = between(series, spec.start ?? -Infinity, spec.end ?? Infinity);
  const aligned = alignSeries(series, { minPoints: 4 });
  const headPath = spec.exchange
    ? ['exchange']
    : parsed.sourceAt(['file']) === null
      ? ['prices']
      : ['file'];
  // The aligner's words, placed in the file when the loader can say where the point is.
  const where = loaded.value.where;
  const placed = (p: Problem): Problem => {
    const [head, asset, index] = p.path;
    const at =
      where && head === 'prices' && typeof asset === 'string' && typeof index === 'number'
        ? where(asset, index)
        : null;
    return at === null ? p : { ...p, message: `${at}: ${describeProblem(p)}` };
  };
  if (!aligned.ok)
    return failed(
      relocate([...aligned.problems.map(placed), ...loaded.warnings], () => headPath, parsed),
    );
  const freq = inferFrequency(aligned.value.times);
  if (!freq.ok) return failed(relocate(freq.problems, () => headPath, parsed));
  const a = aligned.value;
  const value: PricesValue = {
    kind: 'prices',
    name: spec.name,
    source: loaded.value.source,
    aligned: a,
    frequency: freq.value,
    // exchange candles are labelled by their open time (their close is an interval later)
    timeLabel: spec.exchange ? 'open' : 'close',
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
        warnings: warningsOf([
          ...loaded.warnings,
          ...aligned.warnings.map(placed),
          ...freq.warnings,
        ]),
        ...(loaded.value.reused ? { reused: true } : {}),
        data: {
          ...provenance(loaded.value.source, a),
          ...(loaded.value.fingerprint ? { file: fileRecord(loaded.value.fingerprint) } : {}),
        },
        assets: a.assets,
        frequency: freq.value.label,
        periodsPerYear: freq.value.periodsPerYear,
        last: a.assets.map((asset) => ({
          asset,
          price: getOwn(a.prices, asset)?.[last] ?? 0,
          time: iso(a.times[last] ?? 0),
        })),
      },
    ],
  };
}

/** The series cut to start <= time <= end. Sorted times are cut by binary search (a view of a
 *  typed array, a slice of a plain one), and series that shared one times array still share
 *  the cut one, so the aligner still sees at once that they line up. */
function between(series: readonly PriceSeries[], lo: number, hi: number): PriceSeries[] {
  const cut = new Map<readonly number[], { times: number[]; from: number; to: number } | null>();
  return series.map((s) => {
    let c = cut.get(s.times);
    if (c === undefined) {
      c = sortedRange(s.times, lo, hi);
      cut.set(s.times, c);
    }
    if (c !== null)
      return { asset: s.asset, times: c.times, prices: slice(s.prices, c.from, c.to) };
    const times: number[] = [];
    const prices: number[] = [];
    for (let i = 0; i < s.times.length; i++) {
      const t = s.times[i]!;
      if (t >= lo && t <= hi) {
        times.push(t);
        prices.push(s.prices[i]!);
      }
    }
    return { asset: s.asset, times, prices };
  });
}

/** [from, to) of the times in [lo, hi] when the times are sorted; null when they are not. */
function sortedRange(
  times: readonly number[],
  lo: number,
  hi: number,
): { times: number[]; from: number; to: number } | null {
  for (let i = 1; i < times.length; i++) if (!(times[i]! >= times[i - 1]!)) return null;
  const bound = (x: number, inclusive: boolean): number => {
    let a = 0;
    let b = times.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (inclusive ? times[m]! <= x : times[m]! < x) a = m + 1;
      else b = m;
    }
    return a;
  };
  const from = bound(lo, false);
  const to = Math.max(from, bound(hi, true));
  return { times: times.slice(from, to), from, to };
}

function slice(a: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (a instanceof Float64Array) return a.subarray(from, to);
  return Array.prototype.slice.call(a, from, to) as number[];
}

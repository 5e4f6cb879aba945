/** The `hedge` cell language, step 4: evaluation of one validated cell into typed results
 *  (src/notebook/results.ts) with the pure engine. No I/O: price files come through
 *  SessionEnv.loadPrices. Long loops check the AbortSignal and yield to the event loop.
 *
 *  Conventions (docs/language.md):
 *  - Every cell works on the aligned prices of its dataset, resampled to the settings' frequency.
 *  - Betas are estimated over the estimation window: the last `window` returns (all by default);
 *    the rolling beta (shown when a window is set) moves that window over the whole sample.
 *  - A basket benchmark's return is Σ w_i r_i of simple returns (rebalanced every period), taken
 *    to log(1 + r) for log returns.
 *  - The portfolio is valued at the latest time every asset of the dataset has a price. */
import { betaStats, betaTable, type BetaStats } from '../engine/beta';
import { correlationMatrix } from '../engine/correlation';
import { hedgedReturns, hedgeEffectiveness } from '../engine/effectiveness';
import { hedgeExposures, sizeHedge } from '../engine/hedge';
import { isExpired, validateInstrument, type Instrument } from '../engine/instrument';
import { describeProblem } from '../engine/messages';
import { pairHedge } from '../engine/pair';
import {
  portfolioBeta,
  portfolioValueSeries,
  pricesAt,
  unitsOf,
  valuePortfolio,
  type Valuation,
} from '../engine/portfolio';
import type { Problem, Result } from '../engine/result';
import { rollingBeta } from '../engine/rolling';
import {
  alignSeries,
  inferFrequency,
  resample,
  toReturns,
  type AlignedPrices,
  type Frequency,
  type PriceSeries,
} from '../engine/series';
import type { LocatedProblem } from './location';
import { suggest, type ParsedCell, type Path } from './parse';
import {
  RESULT_VERSION,
  type BetaRow,
  type CellResult,
  type HedgeResult,
  type PairResult,
  type Provenance,
} from './results';
import {
  DEFAULT_SETTINGS,
  type BetasSpec,
  type CellSpec,
  type HedgeSpec,
  type InstrumentSpec,
  type PairSpec,
  type PortfolioSpec,
  type PricesSpec,
  type ExchangeInterval,
  type SettingsSpec,
} from './schemas';

/** What the notebook needs from the outside world (the CLI and the editor provide it). */
export interface SessionEnv {
  /** `file` as written in the cell, relative to the notebook; the env resolves it. */
  loadPrices(
    file: string,
    signal: AbortSignal,
  ): Promise<Result<{ source: string; series: PriceSeries[] }>>;
  /** Candles' close prices from an exchange's public API (src/data/exchanges/load.ts
   *  loadExchangePrices); optional: without it, exchange prices cells report so. */
  loadExchangePrices?(
    request: ExchangePricesRequest,
    signal: AbortSignal,
  ): Promise<Result<{ source: string; series: PriceSeries[] }>>;
}

/** What an exchange prices cell asks for (the shape of src/data's ExchangePricesRequest). */
export interface ExchangePricesRequest {
  readonly exchange: 'binance' | 'bybit';
  readonly market: 'spot' | 'linear' | 'inverse';
  readonly interval: ExchangeInterval;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive; omitted = now. */
  readonly end?: number;
  readonly assets: readonly { readonly asset: string; readonly symbol: string }[];
}

/** The declared values cells share (what `prices daily` or `portfolio core` stands for). */
export interface PricesValue {
  readonly kind: 'prices';
  readonly name: string;
  readonly source: string;
  readonly aligned: AlignedPrices;
  readonly frequency: Frequency;
}
export interface SettingsValue {
  readonly kind: 'settings';
  readonly spec: Omit<SettingsSpec, 'kind' | 'name' | 'data'>;
}
export interface PortfolioValue {
  readonly kind: 'portfolio';
  readonly name: string;
  readonly valuation: Valuation;
  readonly asOf: number;
}
export interface InstrumentValue {
  readonly kind: 'instrument';
  readonly instrument: Instrument;
  readonly price: number;
  readonly beta: number;
  readonly betaSource: 'benchmark' | 'estimated' | 'given';
}
export interface PairValue {
  readonly kind: 'pair';
  readonly result: PairResult;
}
export type DeclaredValue =
  PricesValue | SettingsValue | PortfolioValue | InstrumentValue | PairValue;

/** Access to what upstream cells declared; the session guarantees the values exist. */
export interface EvalContext {
  readonly env: SessionEnv;
  readonly signal: AbortSignal;
  prices(name: string | null): PricesValue;
  /** The settings cell's value, or the defaults when the notebook has none. */
  settings(): SettingsValue;
  portfolio(name: string): PortfolioValue;
  instrument(name: string): InstrumentValue;
}

export interface CellEvaluation {
  readonly ok: boolean;
  readonly results: CellResult[];
  readonly problems: LocatedProblem[];
  /** What the cell declares, for the cells that refer to it (null on error or nothing declared). */
  readonly value: DeclaredValue | null;
}

/** Thrown (and caught by the session) when the signal aborts a long evaluation. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** Lets the event loop run (so an interrupt can arrive) and stops when the signal aborted. */
export async function checkpoint(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new Cancelled();
}

export const DEFAULT_SETTINGS_VALUE: SettingsValue = {
  kind: 'settings',
  spec: DEFAULT_SETTINGS,
};

// ---------------------------------------------------------------------------------------------
// Helpers

const iso = (t: number) => new Date(t).toISOString();

function provenance(source: string, times: readonly number[], from = 0): Provenance {
  const start = times[from] ?? times[0] ?? 0;
  const end = times[times.length - 1] ?? start;
  return { source, start: iso(start), end: iso(end), rows: Math.max(0, times.length - from) };
}

function warningsOf(problems: readonly Problem[]): { code: string; message: string }[] {
  return problems.map((p) => ({ code: p.code, message: describeProblem(p) }));
}

/** Engine problems (paths into the engine's input) relocated to one place of the cell. */
function relocate(
  problems: readonly Problem[],
  map: (p: Problem) => Path,
  parsed: ParsedCell,
  part: 'key' | 'value' = 'value',
): LocatedProblem[] {
  return problems.map((p) => ({
    code: p.code,
    message: describeProblem(p),
    range: parsed.locate(map(p), part),
  }));
}

function failed(problems: LocatedProblem[]): CellEvaluation {
  return { ok: false, results: [], problems, value: null };
}

function unknownAsset(
  parsed: ParsedCell,
  path: Path,
  asset: string,
  where: string,
  known: readonly string[],
): LocatedProblem {
  const params: Record<string, string> = { asset, where, known: known.join(', ') };
  const s = suggest(asset, known);
  if (s) params.suggestion = s;
  const p: Problem = { code: 'cell_unknown_asset', path, params };
  return { code: p.code, message: describeProblem(p), range: parsed.locate(path, 'key') };
}

function benchmarkLabel(b: readonly { asset: string; weight: number }[]): string {
  if (b.length === 1) return b[0]?.asset ?? '';
  return b.map((x) => `${Math.round(x.weight * 1000) / 10}% ${x.asset}`).join(' + ');
}

/** Prices, returns and benchmark of a dataset under the settings: what every analysis uses. */
interface Market {
  readonly source: string;
  readonly aligned: AlignedPrices;
  readonly frequency: Frequency;
  readonly kind: 'simple' | 'log';
  /** Per asset, the n-1 returns of the aligned prices. */
  returns(asset: string): Float64Array;
  /** The benchmark's n-1 returns. */
  readonly benchmark: Float64Array;
  readonly benchmarkAsset: string | null;
  readonly benchmarkLabel: string;
  /** Returns in the estimation window: indices [from, n-1) of the return arrays. */
  readonly from: number;
  /** The window in periods when one is set (for the rolling beta), else null. */
  readonly window: number | null;
  readonly warnings: Problem[];
}

function market(prices: PricesValue, settings: SettingsValue): Result<Market> {
  const s = settings.spec;
  let aligned = prices.aligned;
  let frequency = prices.frequency;
  const warnings: Problem[] = [];
  if (s.frequency.ms !== null && s.frequency.ms !== frequency.ms) {
    if (s.frequency.ms < frequency.ms)
      return {
        ok: false,
        problems: [
          {
            code: 'frequency_finer_than_data',
            path: ['frequency'],
            params: { frequency: s.frequency.label, data: frequency.label },
          },
        ],
      };
    aligned = resample(aligned, s.frequency.ms);
    const f = inferFrequency(aligned.times);
    frequency = f.ok
      ? { ...f.value, label: s.frequency.label }
      : { label: s.frequency.label, ms: s.frequency.ms, periodsPerYear: 0 };
    if (!f.ok || aligned.times.length < 4)
      return {
        ok: false,
        problems: [
          {
            code: 'too_few_points',
            path: ['frequency'],
            params: { n: aligned.times.length, min: 4 },
          },
        ],
      };
    frequency = { ...frequency, periodsPerYear: (365 * 86_400_000) / s.frequency.ms };
  }
  const missing = s.benchmark.filter((b) => !aligned.assets.includes(b.asset));
  if (missing.length > 0)
    return {
      ok: false,
      problems: missing.map((b) => ({
        code: 'cell_unknown_asset',
        path: ['benchmark', b.asset],
        params: { asset: b.asset, where: 'the benchmark', known: aligned.assets.join(', ') },
      })),
    };
  const cache = new Map<string, Float64Array>();
  const returns = (asset: string) => {
    let r = cache.get(asset);
    if (!r) {
      const col = aligned.prices[asset];
      if (!col) throw new Error(`no aligned prices for ${asset}`);
      r = toReturns(col, s.returns);
      cache.set(asset, r);
    }
    return r;
  };
  let benchmark: Float64Array;
  if (s.benchmark.length === 1) benchmark = returns(s.benchmark[0]?.asset ?? '');
  else {
    const n = aligned.times.length - 1;
    benchmark = new Float64Array(Math.max(0, n));
    for (const { asset, weight } of s.benchmark) {
      const simple = toReturns(aligned.prices[asset] ?? [], 'simple');
      for (let i = 0; i < n; i++) benchmark[i] = (benchmark[i] ?? 0) + weight * (simple[i] ?? 0);
    }
    if (s.returns === 'log')
      for (let i = 0; i < n; i++) benchmark[i] = Math.log1p(benchmark[i] ?? 0);
  }
  const nReturns = benchmark.length;
  let window: number | null = null;
  if (s.window.kind === 'periods') window = s.window.periods;
  if (s.window.kind === 'time') window = Math.max(3, Math.round(s.window.ms / frequency.ms));
  if (window !== null && window > nReturns) {
    warnings.push({
      code: 'window_longer_than_data',
      path: ['window'],
      params: { window, n: nReturns },
    });
    window = null;
  }
  return {
    ok: true,
    warnings: [],
    value: {
      source: prices.source,
      aligned,
      frequency,
      kind: s.returns,
      returns,
      benchmark,
      benchmarkAsset: s.benchmark.length === 1 ? (s.benchmark[0]?.asset ?? null) : null,
      benchmarkLabel: benchmarkLabel(s.benchmark),
      from: window === null ? 0 : nReturns - window,
      window,
      warnings,
    },
  };
}

/** The market, or the cell's failure located at its first line (the settings cell owns it). */
function marketFor(
  ctx: EvalContext,
  parsed: ParsedCell,
  data: string | null,
): { ok: true; m: Market } | { ok: false; e: CellEvaluation } {
  const r = market(ctx.prices(data), ctx.settings());
  if (r.ok) return { ok: true, m: r.value };
  return { ok: false, e: failed(relocate(r.problems, () => [], parsed)) };
}

function windowed(m: Market, xs: Float64Array): Float64Array {
  return xs.subarray(m.from);
}

/** Beta statistics of each asset over the estimation window (one `betaTable`: the benchmark's
 *  side is computed once); the benchmark itself is exactly 1. */
async function assetBetas(
  m: Market,
  assets: readonly string[],
  opts: { ewmaHalfLife?: number },
  signal: AbortSignal,
): Promise<{ stats: Map<string, BetaStats>; problems: Map<string, readonly Problem[]> }> {
  const stats = new Map<string, BetaStats>();
  const problems = new Map<string, readonly Problem[]>();
  await checkpoint(signal);
  const rows = betaTable(
    assets.map((asset) => windowed(m, m.returns(asset))),
    windowed(m, m.benchmark),
    {
      periodsPerYear: m.frequency.periodsPerYear,
      ...(opts.ewmaHalfLife ? { ewmaHalfLife: opts.ewmaHalfLife } : {}),
    },
  );
  assets.forEach((asset, k) => {
    const r = rows[k]!;
    if (r.ok) stats.set(asset, r.value);
    else problems.set(asset, r.problems);
  });
  return { stats, problems };
}

function betaMap(stats: Map<string, BetaStats>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [a, s] of stats) out[a] = s.beta;
  return out;
}

/** Per-asset estimation problems, each naming its asset, located at the cell's head key. */
function assetProblems(
  problems: ReadonlyMap<string, readonly Problem[]>,
  key: string,
  parsed: ParsedCell,
): LocatedProblem[] {
  const named = [...problems.entries()].flatMap(([asset, ps]) =>
    ps.map((p) => ({ ...p, params: { ...p.params, asset } })),
  );
  return relocate(named, () => [key], parsed);
}

// ---------------------------------------------------------------------------------------------
// One evaluator per kind

async function evaluatePrices(
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

async function evaluateSettings(
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
        data: provenance(mk.source, mk.aligned.times, mk.from),
        benchmark: spec.benchmark,
        returns: spec.returns,
        window: mk.window,
        frequency: mk.frequency.label,
      },
    ],
  };
}

async function evaluatePortfolio(
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
function underlyingOf(spec: InstrumentSpec, assets: readonly string[]): string | null {
  if (spec.underlying) return spec.underlying;
  const name = spec.name.toUpperCase();
  let best: string | null = null;
  for (const a of assets)
    if (name.startsWith(a.toUpperCase()) && (!best || a.length > best.length)) best = a;
  return best;
}

async function evaluateInstrument(
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
      params: { name: spec.name, known: m.aligned.assets.join(', ') },
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
  const inst = validateInstrument({
    name: spec.name,
    type: spec.type,
    settlement: spec.settlement,
    underlying,
    contractSize,
    lotStep: spec.lotStep,
    expiry: spec.expiry,
    maintenanceMarginRate: spec.maintenanceMarginRate,
  });
  const fields: Record<string, string> = {
    contractSize: 'contract_size',
    lotStep: 'lot_step',
    maintenanceMarginRate: 'maintenance_margin',
    expiry: 'expiry',
    type: 'type',
    settlement: 'settlement',
    underlying: 'underlying',
  };
  if (!inst.ok)
    return failed(
      relocate(inst.problems, (p) => [fields[String(p.path[0])] ?? 'instrument'], parsed),
    );
  const at = pricesAt(m.aligned);
  if (!at.ok) return failed(relocate(at.problems, () => ['instrument'], parsed));
  const price = at.value.prices[underlying] ?? 0;
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
      params: { name: spec.name, expiry: iso(inst.value.expiry ?? 0) },
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
          m.aligned.times,
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
      },
    ],
  };
}

const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);

async function evaluateBetas(
  spec: BetasSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  let assets: string[];
  let portfolio: PortfolioValue | null = null;
  if (spec.target.kind === 'portfolio') {
    portfolio = ctx.portfolio(spec.target.name);
    assets = portfolio.valuation.positions.map((p) => p.asset);
  } else if (spec.target.kind === 'assets') {
    const problems: LocatedProblem[] = [];
    spec.target.assets.forEach((a, i) => {
      if (!m.aligned.assets.includes(a))
        problems.push({
          ...unknownAsset(parsed, ['betas', i], a, 'betas', m.aligned.assets),
          range: parsed.locate(['betas', i]),
        });
    });
    if (problems.length > 0) return failed(problems);
    assets = spec.target.assets;
  } else {
    assets = m.aligned.assets.filter((a) => a !== m.benchmarkAsset);
  }
  const { stats, problems } = await assetBetas(
    m,
    assets,
    spec.ewmaHalfLife ? { ewmaHalfLife: spec.ewmaHalfLife } : {},
    ctx.signal,
  );
  if (problems.size > 0) return failed(assetProblems(problems, 'betas', parsed));
  const weights = new Map(portfolio?.valuation.positions.map((p) => [p.asset, p.weight]) ?? []);
  const rows: BetaRow[] = assets.map((asset) => {
    const s = stats.get(asset) as BetaStats;
    return { asset, ...s, weight: weights.get(asset) ?? null };
  });
  const warnings: Problem[] = [...m.warnings];
  let portfolioOut: BetasResultPortfolio = null;
  if (portfolio) {
    const bw = portfolioBeta(portfolio.valuation.positions, betaMap(stats));
    const series = portfolioValueSeries(unitsOf(portfolio.valuation.positions), m.aligned);
    const pr = betaStats(windowed(m, toReturns(series, m.kind)), windowed(m, m.benchmark), {
      periodsPerYear: m.frequency.periodsPerYear,
    });
    if (!pr.ok) warnings.push(...pr.problems);
    portfolioOut = {
      name: portfolio.name,
      value: portfolio.valuation.value,
      betaWeighted: bw.ok ? bw.value : 0,
      betaRegression: pr.ok ? pr.value.beta : null,
    };
  }
  const x = Array.from(windowed(m, m.benchmark));
  const scatter = assets.map((asset) => ({
    asset,
    x,
    y: Array.from(windowed(m, m.returns(asset))),
  }));
  const rolling = [];
  if (m.window !== null) {
    const times = m.aligned.times.slice(1).map(iso);
    for (const asset of assets) {
      await checkpoint(ctx.signal);
      const r = rollingBeta(m.returns(asset), m.benchmark, m.window);
      if (!r.ok) {
        warnings.push(...r.problems);
        continue;
      }
      warnings.push(...r.warnings);
      const beta = Array.from(r.value.beta, nullIfNaN);
      const se = r.value.stdErr;
      rolling.push({
        asset,
        window: m.window,
        times,
        beta,
        betaLow: beta.map((b, i) => (b === null ? null : nullIfNaN(b - 1.96 * (se[i] as number)))),
        betaHigh: beta.map((b, i) => (b === null ? null : nullIfNaN(b + 1.96 * (se[i] as number)))),
        correlation: Array.from(r.value.correlation, nullIfNaN),
      });
    }
  }
  const cols = assets.map((a) => windowed(m, m.returns(a)));
  const matrix = correlationMatrix(cols);
  return {
    ok: true,
    problems: [],
    value: null,
    results: [
      {
        version: RESULT_VERSION,
        kind: 'betas',
        name: portfolio ? portfolio.name : spec.target.kind === 'all' ? 'all' : assets.join(', '),
        warnings: warningsOf(warnings),
        data: provenance(m.source, m.aligned.times, m.from),
        benchmark: m.benchmarkLabel,
        returns: m.kind,
        frequency: m.frequency.label,
        periodsPerYear: m.frequency.periodsPerYear,
        rows,
        portfolio: portfolioOut,
        scatter,
        rolling,
        correlation: { assets, matrix },
      },
    ],
  };
}
type BetasResultPortfolio = {
  name: string;
  value: number;
  betaWeighted: number;
  betaRegression: number | null;
} | null;

async function evaluateHedge(
  spec: HedgeSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const portfolio = ctx.portfolio(spec.portfolio);
  const inst = ctx.instrument(spec.instrument);
  const positions = portfolio.valuation.positions;
  const { stats, problems } = await assetBetas(
    m,
    positions.map((p) => p.asset),
    {},
    ctx.signal,
  );
  if (problems.size > 0) return failed(assetProblems(problems, 'hedge', parsed));
  const betas = betaMap(stats);
  const benchmark = m.benchmarkAsset ?? undefined;
  const bp = portfolioBeta(positions, betas, benchmark ? { benchmark } : {});
  if (!bp.ok) return failed(relocate(bp.problems, () => ['hedge'], parsed));
  const sizing = sizeHedge({
    portfolioValue: portfolio.valuation.value,
    portfolioBeta: bp.value,
    targetBeta: spec.targetBeta,
    instrument: inst.instrument,
    instrumentBeta: inst.beta,
    price: inst.price,
    leverage: spec.leverage,
    asOf: portfolio.asOf,
  });
  const fieldOf = (p: Problem): Path =>
    p.path[0] === 'instrument'
      ? ['with']
      : p.path[0] === 'leverage'
        ? ['leverage']
        : p.path[0] === 'targetBeta'
          ? ['target_beta']
          : p.path[0] === 'instrumentBeta' || p.path[0] === 'price'
            ? ['with']
            : ['hedge'];
  if (!sizing.ok) return failed(relocate(sizing.problems, fieldOf, parsed));
  const h = sizing.value;
  const exposures = hedgeExposures(positions, betas, h, inst.instrument.name, inst.beta, benchmark);
  // Effectiveness over the estimation window: the buy-and-hold portfolio's simple returns with
  // and without the static hedge (hedge ratio per USD of portfolio) on the underlying's returns.
  const values = portfolioValueSeries(unitsOf(positions), m.aligned);
  const unhedged = windowed(m, toReturns(values, 'simple'));
  const underlying = toReturns(m.aligned.prices[inst.instrument.underlying] ?? [], 'simple');
  const hedged = hedgedReturns(unhedged, windowed(m, underlying), h.hedgeRatio);
  const eff = hedgeEffectiveness(hedged, unhedged);
  const warnings: Problem[] = [...m.warnings, ...sizing.warnings];
  if (!eff.ok) warnings.push(...eff.problems);
  const result: HedgeResult = {
    version: RESULT_VERSION,
    kind: 'hedge',
    name: portfolio.name,
    warnings: warningsOf(warnings),
    data: provenance(m.source, m.aligned.times, m.from),
    portfolio: portfolio.name,
    instrument: inst.instrument.name,
    settlement: inst.instrument.settlement,
    portfolioValue: portfolio.valuation.value,
    portfolioBeta: bp.value,
    instrumentBeta: inst.beta,
    targetBeta: spec.targetBeta,
    price: inst.price,
    notional: h.notional,
    side: h.side,
    contracts: h.contracts,
    contractNotional: h.contractNotional,
    betaAfter: h.betaAfter,
    residualBeta: h.residualBeta,
    leverage: spec.leverage,
    initialMargin: h.initialMargin,
    maintenanceMarginRate: h.maintenanceMarginRate,
    liquidationPrice: h.liquidationPrice,
    liquidationMovePct: h.liquidationMovePct,
    collateralExposure: h.collateralExposure,
    exposures,
    effectiveness: eff.ok ? eff.value : null,
  };
  return { ok: true, problems: [], value: null, results: [result] };
}

async function evaluatePair(
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
    'usd' in leg.amount ? leg.amount.usd : leg.amount.units * (at.value.prices[leg.asset] ?? 0);
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
    warnings: warningsOf([...m.warnings, ...r.warnings]),
    data: provenance(m.source, m.aligned.times, m.from),
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
        }
      : null,
  };
  return { ok: true, problems: [], value: { kind: 'pair', result }, results: [result] };
}

/** Evaluates one validated cell. Throws Cancelled when the signal aborts; never throws for
 *  user data (problems are returned located in the cell). */
export async function evaluateCell(
  spec: CellSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  switch (spec.kind) {
    case 'prices':
      return evaluatePrices(spec, parsed, ctx);
    case 'settings':
      return evaluateSettings(spec, parsed, ctx);
    case 'portfolio':
      return evaluatePortfolio(spec, parsed, ctx);
    case 'instrument':
      return evaluateInstrument(spec, parsed, ctx);
    case 'betas':
      return evaluateBetas(spec, parsed, ctx);
    case 'hedge':
      return evaluateHedge(spec, parsed, ctx);
    case 'pair':
      return evaluatePair(spec, parsed, ctx);
  }
}

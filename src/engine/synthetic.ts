/**
 * Seeded synthetic market data: a one-factor model with known betas, fat tails and volatility
 * clustering. Used by the samples (clearly labelled synthetic), the reference fixtures, the
 * estimator-recovery test and the benchmarks. Pure: no I/O, no global state; the same options
 * always give the same numbers (the PRNG is mulberry32, so results are identical on every
 * platform and Node version).
 *
 * Model, per period t (log returns):
 *   r_m,t = σ_m · e_m,t                       (benchmark)
 *   r_i,t = β_i · r_m,t + σ_i · e_i,t         (asset i; e_i independent of e_m)
 * where each e is a GARCH(1,1) process driven by unit-variance Student-t shocks:
 *   e_t = sqrt(h_t) · z_t,   h_t = ω' + α · e_{t-1}² + β_g · h_{t-1},   z_t ~ t_ν · sqrt((ν-2)/ν)
 * with ω' = 1 − α − β_g so that the unconditional variance of e is 1 (the given `omega` sets the
 * ratio ω / (1 − α − β_g) of the process before it is normalised; only α and β_g shape the
 * clustering). σ_m, σ_i are per-period standard deviations derived from the annualised `vol` /
 * `idioVol` (crypto trades 365 days a year): σ = vol · sqrt(intervalMs / YEAR_MS).
 * Prices compound the log returns: p_t = p_0 · exp(Σ_{s≤t} r_s).
 * The true beta of each asset in log returns is exactly β_i; the benchmark's is 1.
 */

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** A uniform [0, 1) generator. */
export type Rng = () => number;

/**
 * mulberry32: a small, fast 32-bit PRNG (Tommy Ettinger's public-domain generator). Period 2^32;
 * good enough for simulation, not for cryptography.
 * @example mulberry32(1)() // => 0.6270739405881613
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for an independent sub-stream: mixes (seed, stream) with a 32-bit avalanche (murmur3 fmix). */
export function subSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Standard normal draws by the Box–Muller transform (both values of each pair are used). */
export function normalSampler(rng: Rng): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rng(); // log(0) guard
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * Gamma(shape, 1) draws by Marsaglia & Tsang (2000), "A simple method for generating gamma
 * variables", ACM TOMS 26(3); shape < 1 by the boost Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
function gammaSampler(rng: Rng, normal: () => number, shape: number): () => number {
  const boost = shape < 1;
  const a = boost ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  return () => {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        const g = d * v;
        if (!boost) return g;
        let w = 0;
        while (w === 0) w = rng();
        return g * Math.pow(w, 1 / shape);
      }
    }
  };
}

/**
 * Unit-variance Student-t draws with `dof` degrees of freedom: z / sqrt(χ²_ν / ν), scaled by
 * sqrt((ν − 2) / ν). χ²_ν = 2 · Gamma(ν / 2). `dof` = Infinity gives standard normal draws.
 * Requires dof > 2 (finite variance).
 */
export function studentTSampler(rng: Rng, dof: number): () => number {
  if (!(dof > 2)) throw new RangeError(`studentTSampler: dof must be > 2, got ${dof}`);
  const normal = normalSampler(rng);
  if (dof === Infinity) return normal;
  const gamma = gammaSampler(rng, normal, dof / 2);
  const scale = Math.sqrt((dof - 2) / dof);
  return () => {
    const z = normal();
    const chi2 = 2 * gamma();
    return (scale * z) / Math.sqrt(chi2 / dof);
  };
}

export interface GarchParams {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
}

/** Default clustering: persistence α + β = 0.98, typical of crypto hourly returns. */
export const DEFAULT_GARCH: GarchParams = { omega: 0.02, alpha: 0.08, beta: 0.9 };
export const DEFAULT_TAIL_DOF = 5;

/**
 * n draws of a unit-unconditional-variance GARCH(1,1) process with Student-t shocks.
 * Starts at the unconditional variance h_0 = 1. alpha = beta = 0 gives i.i.d. shocks.
 */
export function garchShocks(rng: Rng, n: number, dof: number, garch: GarchParams): Float64Array {
  const { omega, alpha, beta } = garch;
  if (!(omega > 0) || !(alpha >= 0) || !(beta >= 0) || !(alpha + beta < 1)) {
    throw new RangeError(`garch needs omega > 0, alpha, beta >= 0, alpha + beta < 1`);
  }
  const t = studentTSampler(rng, dof);
  const w = 1 - alpha - beta; // normalised omega: E[h] = w / (1 - alpha - beta) = 1
  const out = new Float64Array(n);
  let h = 1;
  for (let i = 0; i < n; i++) {
    const e = Math.sqrt(h) * t();
    out[i] = e;
    h = w + alpha * e * e + beta * h;
  }
  return out;
}

export interface MarketOptions {
  readonly seed: number;
  /** Number of price points (times.length); there are periods − 1 returns. */
  readonly periods: number;
  readonly intervalMs: number;
  /** Epoch ms UTC of the first point. */
  readonly start: number;
  /** vol: annualised volatility of the benchmark's log returns (365-day year), e.g. 0.6. */
  readonly benchmark: { readonly asset: string; readonly price: number; readonly vol: number };
  /** beta: true beta to the benchmark; idioVol: annualised volatility of the residual. */
  readonly assets: readonly {
    readonly asset: string;
    readonly beta: number;
    readonly idioVol: number;
    readonly price: number;
  }[];
  /** Student-t degrees of freedom of the shocks (> 2); default 5; Infinity = normal. */
  readonly tailDof?: number;
  /** GARCH(1,1) on the benchmark and each residual; default DEFAULT_GARCH; {alpha:0,beta:0} = none. */
  readonly garch?: GarchParams;
}

export interface SyntheticMarket {
  times: number[];
  prices: Record<string, number[]>;
  /** The true beta of each asset's log returns to the benchmark's (the benchmark: 1). */
  trueBetas: Record<string, number>;
}

/**
 * A seeded synthetic market (see the model at the top of this file). Each series draws from its
 * own sub-stream of the seed, so adding an asset does not change the others. O(periods · assets).
 * Throws RangeError on invalid options (a caller's bug, not user data).
 * @example generateMarket({ seed: 1, periods: 3, intervalMs: 3600000, start: 0,
 *   benchmark: { asset: 'BTC', price: 100, vol: 0.5 }, assets: [] }).times // => [0, 3600000, 7200000]
 */
export function generateMarket(opts: MarketOptions): SyntheticMarket {
  const { seed, periods, intervalMs, start, benchmark, assets } = opts;
  const dof = opts.tailDof ?? DEFAULT_TAIL_DOF;
  const garch = opts.garch ?? DEFAULT_GARCH;
  if (!Number.isInteger(periods) || periods < 1) {
    throw new RangeError(`generateMarket: periods must be a positive integer, got ${periods}`);
  }
  if (!(intervalMs > 0)) throw new RangeError('generateMarket: intervalMs must be > 0');
  const names = [benchmark.asset, ...assets.map((a) => a.asset)];
  if (new Set(names).size !== names.length) {
    throw new RangeError('generateMarket: asset names must be unique');
  }
  for (const p of [benchmark.price, ...assets.map((a) => a.price)]) {
    if (!(p > 0) || !Number.isFinite(p)) throw new RangeError('generateMarket: prices must be > 0');
  }
  const perPeriod = Math.sqrt(intervalMs / YEAR_MS);
  const n = periods - 1;

  const times = new Array<number>(periods);
  for (let i = 0; i < periods; i++) times[i] = start + i * intervalMs;

  const sigmaM = benchmark.vol * perPeriod;
  const em = garchShocks(mulberry32(subSeed(seed, 0)), n, dof, garch);
  const rm = new Float64Array(n);
  for (let t = 0; t < n; t++) rm[t] = sigmaM * (em[t] as number);

  const prices: Record<string, number[]> = { [benchmark.asset]: compound(benchmark.price, rm) };
  const trueBetas: Record<string, number> = { [benchmark.asset]: 1 };
  assets.forEach((a, k) => {
    const sigma = a.idioVol * perPeriod;
    const e = garchShocks(mulberry32(subSeed(seed, k + 1)), n, dof, garch);
    const r = new Float64Array(n);
    for (let t = 0; t < n; t++) r[t] = a.beta * (rm[t] as number) + sigma * (e[t] as number);
    prices[a.asset] = compound(a.price, r);
    trueBetas[a.asset] = a.beta;
  });
  return { times, prices, trueBetas };
}

/** p_0 · exp(cumulative log return), summed in order (so prices are reproducible exactly). */
function compound(p0: number, logReturns: Float64Array): number[] {
  const out = new Array<number>(logReturns.length + 1);
  out[0] = p0;
  let cum = 0;
  for (let t = 0; t < logReturns.length; t++) {
    cum += logReturns[t] as number;
    out[t + 1] = p0 * Math.exp(cum);
  }
  return out;
}

export interface FundingOptions {
  readonly seed: number;
  /** Funding times (epoch ms), e.g. every 8 h. */
  readonly times: readonly number[];
  readonly symbols: readonly string[];
  /** Long-run mean rate per funding interval (decimal, e.g. 0.0001 = 0.01 %). */
  readonly mean: number;
  /** Stationary standard deviation of the rate around its mean. */
  readonly vol: number;
}

/**
 * Seeded synthetic funding rates: per symbol an AR(1) around `mean` with persistence 0.9 and
 * stationary std `vol` (funding is sticky: positive for days in bull markets), rounded to 1e-8
 * like exchange rates. Sorted by time, then by the order of `symbols`. Positive = longs pay shorts.
 */
export function generateFunding(
  opts: FundingOptions,
): { time: number; symbol: string; rate: number }[] {
  const { seed, times, symbols, mean, vol } = opts;
  const phi = 0.9;
  const innov = vol * Math.sqrt(1 - phi * phi);
  const draws = symbols.map((_, k) => normalSampler(mulberry32(subSeed(seed, 1000 + k))));
  const dev = symbols.map((_, k) => vol * (draws[k] as () => number)());
  const out: { time: number; symbol: string; rate: number }[] = [];
  for (let i = 0; i < times.length; i++) {
    for (let k = 0; k < symbols.length; k++) {
      if (i > 0) dev[k] = phi * (dev[k] as number) + innov * (draws[k] as () => number)();
      const rate = Math.round((mean + (dev[k] as number)) * 1e8) / 1e8;
      out.push({
        time: times[i] as number,
        symbol: symbols[k] as string,
        rate: rate === 0 ? 0 : rate,
      });
    }
  }
  return out;
}

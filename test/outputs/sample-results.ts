/** Hand-built CellResult objects for the output tests (valid per the zod schema; parsed here so
 *  a schema change breaks these helpers loudly). Deterministic: a seeded PRNG, a one-factor
 *  model with known betas, OLS statistics computed here from the generated returns. */
import {
  CellResult,
  RESULT_MIME,
  SERIES_BOUNDS,
  type BetasResult,
  type HedgeResult,
  type PairResult,
} from '../../src/results';
import { frameIndices, roundSignificant, scatterIndices } from '../../src/engine/downsample';
import { mulberry32 } from '../../src/engine/synthetic';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotebookFile } from '../../src/notebook/file-format';

export const XSS_NAME = '<img src=x onerror=alert(1)>';

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function ols(y: readonly number[], x: readonly number[]) {
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
    sxx += ((x[i] as number) - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  }
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  const corr = sxy / Math.sqrt(sxx * syy);
  const ssr = syy - beta * sxy;
  const stdErr = Math.sqrt(ssr / (n - 2) / sxx);
  return { beta, alpha, corr, r2: corr * corr, stdErr };
}

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

/** A betas result for `assets` with `periods` daily returns and a rolling window, its series
 *  reduced as a cell saves them (SERIES_BOUNDS; `full`: every point, as with --full-series). */
export function sampleBetas(
  opts: {
    periods?: number;
    window?: number;
    assets?: { asset: string; beta: number }[];
    seed?: number;
    full?: boolean;
  } = {},
): BetasResult {
  const periods = opts.periods ?? 240;
  const window = opts.window ?? 30;
  const assets = opts.assets ?? [
    { asset: 'ETH', beta: 1.2 },
    { asset: 'SOL', beta: 1.6 },
    { asset: XSS_NAME, beta: 0.7 },
  ];
  const rand = mulberry32(opts.seed ?? 7);
  const market = Array.from({ length: periods }, () => 0.03 * normal(rand));
  const times = Array.from({ length: periods }, (_, i) =>
    new Date(START + (i + 1) * DAY).toISOString(),
  );
  const returns = assets.map((a) => market.map((m) => a.beta * m + 0.02 * normal(rand)));
  const rows = assets.map((a, k) => {
    const y = returns[k] as number[];
    const s = ols(y, market);
    const t = 1.97; // ~ Student t 0.975 quantile for the sample sizes used here
    return {
      asset: a.asset,
      beta: s.beta,
      alpha: s.alpha,
      alphaAnnual: s.alpha * 365,
      r2: s.r2,
      correlation: s.corr,
      stdErr: s.stdErr,
      tStat: s.beta / s.stdErr,
      ciLow: s.beta - t * s.stdErr,
      ciHigh: s.beta + t * s.stdErr,
      n: periods,
      volAnnual: Math.sqrt(mean(y.map((v) => (v - mean(y)) ** 2))) * Math.sqrt(365),
      downsideBeta: s.beta * 1.05,
      blumeBeta: 0.67 * s.beta + 0.33,
      vasicekBeta: s.beta * 0.95 + 0.05,
      ewmaBeta: s.beta * 1.01,
      weight: 1 / assets.length,
    };
  });
  const full = opts.full === true;
  const t = times.map((x) => Date.parse(x)).slice(window - 1);
  const columns: number[][] = [];
  const rollingOf = assets.map((_, k) => {
    const y = returns[k] as number[];
    const out = { beta: [] as number[], stdErr: [] as number[], correlation: [] as number[] };
    for (let i = window - 1; i < periods; i++) {
      const s = ols(y.slice(i - window + 1, i + 1), market.slice(i - window + 1, i + 1));
      out.beta.push(s.beta);
      out.stdErr.push(s.stdErr);
      out.correlation.push(s.corr);
    }
    columns.push(out.beta, out.stdErr, out.correlation);
    return out;
  });
  const rows_ = full ? t.map((_, i) => i) : frameIndices(t, columns, SERIES_BOUNDS.linePoints);
  const show = (c: number[]) =>
    rows_.map((i) => (full ? c[i]! : roundSignificant(c[i]!, SERIES_BOUNDS.digits)));
  const rolling = {
    window,
    t: rows_.map((i) => t[i]!),
    points: { shown: rows_.length, of: t.length },
    series: assets.map((a, k) => ({
      asset: a.asset,
      beta: show(rollingOf[k]!.beta),
      stdErr: show(rollingOf[k]!.stdErr),
      correlation: show(rollingOf[k]!.correlation),
    })),
  };
  const cloud = (y: number[]) => {
    const idx = full
      ? market.map((_, i) => i)
      : scatterIndices(market, y, SERIES_BOUNDS.scatterPoints);
    const r = (v: number) => (full ? v : roundSignificant(v, SERIES_BOUNDS.digits));
    return {
      x: idx.map((i) => r(market[i]!)),
      y: idx.map((i) => r(y[i]!)),
      points: { shown: idx.length, of: market.length },
    };
  };
  const names = assets.map((a) => a.asset);
  const matrix = returns.map((ri) => returns.map((rj) => ols(ri, rj).corr));
  const result = {
    version: 1 as const,
    kind: 'betas' as const,
    name: 'core',
    warnings: [],
    data: {
      source: 'data/daily.csv',
      start: times[0] as string,
      end: times[periods - 1] as string,
      rows: periods + 1,
    },
    benchmark: 'BTC',
    returns: 'log' as const,
    frequency: '1d',
    periodsPerYear: 365,
    rows,
    portfolio: {
      name: 'core',
      value: 125_000,
      betaWeighted: mean(rows.map((r) => r.beta)),
      betaRegression: 1.1,
    },
    chartAssets: { assets: names, of: names.length, by: 'order' as const },
    scatter: assets.map((a, k) => ({ asset: a.asset, cloud: cloud(returns[k] as number[]) })),
    rolling,
    correlation: { assets: names, matrix, order: 'given' as const },
  };
  return CellResult.parse(result) as BetasResult;
}

export function sampleHedge(name = 'core'): HedgeResult {
  const result: HedgeResult = {
    version: 1,
    kind: 'hedge',
    name,
    warnings: [
      { code: 'lot_rounding', message: 'Rounded to whole contracts: 0.4 contracts left.' },
    ],
    portfolio: name,
    instrument: 'BTCUSDT-PERP',
    settlement: 'linear',
    portfolioValue: 125_000,
    portfolioBeta: 1.2,
    instrumentBeta: 1,
    targetBeta: 0.5,
    price: 60_000,
    notional: -87_500,
    side: 'short',
    contracts: 1458,
    contractNotional: -87_480,
    betaAfter: 0.50016,
    residualBeta: 0.00016,
    leverage: 5,
    initialMargin: 17_496,
    maintenanceMarginRate: 0.004,
    maintenanceAmount: 0,
    bracket: null,
    liquidationPrice: 71_712.5,
    liquidationMovePct: 19.52,
    collateralExposure: 0,
    exposures: [
      { label: 'ETH', before: 72_000, after: 72_000 },
      { label: 'SOL', before: 60_000, after: 60_000 },
      { label: XSS_NAME, before: 18_000, after: 18_000 },
      { label: 'BTCUSDT-PERP', before: 0, after: -87_480 },
    ],
    effectiveness: 0.62,
  };
  return CellResult.parse(result) as HedgeResult;
}

export function samplePair(): PairResult {
  const result: PairResult = {
    version: 1,
    kind: 'pair',
    name: 'SOL/ETH',
    warnings: [],
    long: { asset: 'SOL', usd: 10_000, beta: 1.6, dollarBeta: 16_000 },
    short: { asset: 'ETH', usd: 10_000, beta: 1.2, dollarBeta: -12_000 },
    dollarBeta: 4_000,
    instrument: 'BTCUSDT-PERP',
    hedge: { side: 'short', contracts: 67, notional: -4_020, dollarBetaAfter: -20, margin: null },
  };
  return CellResult.parse(result) as PairResult;
}

export function samplePortfolio(): CellResult {
  return CellResult.parse({
    version: 1,
    kind: 'portfolio',
    name: 'core',
    asOf: '2024-08-28T00:00:00.000Z',
    value: 125_000,
    positions: [
      { asset: 'ETH', units: 20, price: 3000, value: 60_000, weight: 0.48 },
      { asset: 'SOL', units: 375, price: 160, value: 60_000, weight: 0.48 },
      { asset: XSS_NAME, units: 1000, price: 5, value: 5_000, weight: 0.04 },
    ],
  });
}

/** The results saved in a sample notebook, parsed as the renderer parses them. */
export function savedResults(sample: string): CellResult[] {
  const file = join(__dirname, '..', '..', 'samples', sample);
  const nb = parseNotebookFile(readFileSync(file, 'utf8'));
  if (!nb.ok) throw new Error(`${sample} does not parse`);
  return nb.value.cells.flatMap((c) =>
    (c.outputs ?? []).flatMap((o) =>
      o.items
        .filter((i) => i.mime === RESULT_MIME)
        .map((i) => CellResult.parse(typeof i.data === 'string' ? JSON.parse(i.data) : i.data)),
    ),
  );
}

// Writes the seeded input series of the reference fixtures as JSON, one file per case, for
// scripts/reference/make_fixtures.py to compute the expected numbers with numpy / pandas /
// statsmodels. Run through `npm run fixtures` (which runs both steps).
//   node --import tsx scripts/reference/export-inputs.ts OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMarket, type MarketOptions } from '../../src/engine/synthetic';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Case {
  name: string;
  description: string;
  /** Which returns the beta statistics use: computed from the prices by make_fixtures.py. */
  returns: 'log' | 'simple';
  periodsPerYear: number;
  window: number;
  ewmaHalfLife: number;
  /** Every k-th window of the rolling series is kept in the fixture (size). */
  rollingEvery: number;
  /** Whether the fixture keeps the prices (else only the returns, to stay small). */
  keepPrices: boolean;
  /** Per-period log drift added to the generated returns before compounding (tests cancellation). */
  drift?: Record<string, number>;
  market: MarketOptions;
}

const cases: Case[] = [
  {
    name: 'hourly',
    description: '60 days of hourly synthetic prices (BTC benchmark), log returns, 1-week window',
    returns: 'log',
    periodsPerYear: 8760,
    window: 168,
    ewmaHalfLife: 72,
    rollingEvery: 11,
    keepPrices: false,
    market: {
      seed: 20240101,
      periods: 1441,
      intervalMs: HOUR,
      start: Date.UTC(2025, 0, 1),
      benchmark: { asset: 'BTC', price: 95_000, vol: 0.55 },
      assets: [
        { asset: 'ETH', beta: 1.15, idioVol: 0.35, price: 3300 },
        { asset: 'SOL', beta: 1.45, idioVol: 0.6, price: 190 },
      ],
    },
  },
  {
    name: 'daily',
    description:
      'two years of daily synthetic prices (BTC benchmark), simple returns, 90-day window',
    returns: 'simple',
    periodsPerYear: 365,
    window: 90,
    ewmaHalfLife: 30,
    rollingEvery: 7,
    keepPrices: false,
    market: {
      seed: 7,
      periods: 731,
      intervalMs: DAY,
      start: Date.UTC(2023, 0, 1),
      benchmark: { asset: 'BTC', price: 16_500, vol: 0.6 },
      assets: [
        { asset: 'ETH', beta: 1.1, idioVol: 0.4, price: 1200 },
        { asset: 'DOGE', beta: 1.6, idioVol: 1.1, price: 0.07 },
        { asset: 'PAXG', beta: 0.15, idioVol: 0.2, price: 1830 },
      ],
    },
  },
  {
    name: 'precision',
    description:
      'prices near 1e5 with hourly returns near 1e-5 (benchmark mean 1.2 times its std): catastrophic ' +
      'cancellation shows up here in naive sum-of-squares formulas',
    returns: 'simple',
    periodsPerYear: 8760,
    window: 240,
    ewmaHalfLife: 48,
    rollingEvery: 9,
    keepPrices: true,
    drift: { BTC: 1.2e-5, ETH: 2e-5 },
    market: {
      seed: 99,
      periods: 901,
      intervalMs: HOUR,
      start: Date.UTC(2025, 5, 1),
      benchmark: { asset: 'BTC', price: 100_000, vol: 1e-5 * Math.sqrt(8760) },
      assets: [{ asset: 'ETH', beta: 0.8, idioVol: 0.6e-5 * Math.sqrt(8760), price: 99_000 }],
      tailDof: 6,
    },
  },
];

function withDrift(prices: readonly number[], drift: number): number[] {
  const out = [prices[0] as number];
  let cum = 0;
  for (let i = 1; i < prices.length; i++) {
    cum += Math.log((prices[i] as number) / (prices[i - 1] as number)) + drift;
    out.push((prices[0] as number) * Math.exp(cum));
  }
  return out;
}

const outDir = process.argv[2] ?? 'out/reference-inputs';
mkdirSync(outDir, { recursive: true });
for (const c of cases) {
  const m = generateMarket(c.market);
  const prices: Record<string, number[]> = {};
  for (const [asset, p] of Object.entries(m.prices)) {
    const d = c.drift?.[asset];
    prices[asset] = d === undefined ? p : withDrift(p, d);
  }
  const { market, ...rest } = c;
  const input = {
    ...rest,
    benchmark: market.benchmark.asset,
    generator: { function: 'generateMarket (src/engine/synthetic.ts)', options: market },
    trueBetas: m.trueBetas,
    times: m.times,
    prices,
  };
  const path = join(outDir, `${c.name}.json`);
  writeFileSync(path, JSON.stringify(input) + '\n');
  console.log(`wrote ${path}`);
}

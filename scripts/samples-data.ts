/** The bundled sample data: a seeded synthetic market (src/engine/synthetic.ts: a one-factor
 *  model on BTC with known betas, Student-t shocks and GARCH(1,1) volatility clustering) and
 *  synthetic funding rates. Pure: returns the files' text; scripts/make-samples.ts writes them,
 *  and a test checks the committed files are exactly what this makes. Not market data. */
import { generateFunding, generateMarket } from '../src/engine/synthetic';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const SAMPLE_SEED = 20240101;

/** True betas of each asset's log returns to BTC's, annualised volatilities, start prices. */
export const SAMPLE_ASSETS = [
  { asset: 'ETH', beta: 1.15, idioVol: 0.35, price: 2300 },
  { asset: 'SOL', beta: 1.45, idioVol: 0.6, price: 95 },
  { asset: 'UNI', beta: 1.3, idioVol: 0.7, price: 6.5 },
  { asset: 'AAVE', beta: 1.2, idioVol: 0.65, price: 95 },
  { asset: 'LDO', beta: 1.6, idioVol: 0.8, price: 2.8 },
] as const;
export const SAMPLE_BENCHMARK = { asset: 'BTC', price: 42000, vol: 0.55 } as const;

/** Sub-seeds picked (of the first 40) for paths that look like an ordinary two years / quarter:
 *  no asset up twenty-fold or down to cents. */
export const DAILY = { start: Date.UTC(2024, 0, 1), periods: 731, intervalMs: DAY, seed: 4 };
export const HOURLY = {
  start: Date.UTC(2025, 9, 2),
  periods: 90 * 24 + 1,
  intervalMs: HOUR,
  seed: 12,
};
export const FUNDING = {
  symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  intervalMs: 8 * HOUR,
  days: 180,
  mean: 0.0001,
  vol: 0.00008,
  seed: 3,
};

const isoSeconds = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/** Seven significant digits: enough for any beta estimate, small files, stable diffs. */
const fmt = (p: number): string => String(Number(p.toPrecision(7)));

const betaList = (): string =>
  SAMPLE_ASSETS.map((a) => `${a.asset} ${a.beta.toFixed(2)}`).join(', ');

function header(what: string): string[] {
  return [
    `# SYNTHETIC DATA, not market prices: ${what}.`,
    `# Made by scripts/make-samples.ts (npm run samples), seed ${SAMPLE_SEED}: a one-factor model`,
    `# on BTC with Student-t shocks and GARCH(1,1) volatility clustering.`,
    `# True betas of log returns to BTC: ${betaList()}.`,
  ];
}

function priceCsv(
  spec: typeof DAILY,
  what: string,
  formatTime: (t: number) => string,
  startPrices?: Readonly<Record<string, number>>,
): { text: string; pricesAt: (t: number) => Record<string, number> } {
  const start = (asset: string, p: number): number => Number(fmt(startPrices?.[asset] ?? p));
  const market = generateMarket({
    seed: SAMPLE_SEED + spec.seed,
    periods: spec.periods,
    intervalMs: spec.intervalMs,
    start: spec.start,
    benchmark: { ...SAMPLE_BENCHMARK, price: start('BTC', SAMPLE_BENCHMARK.price) },
    assets: SAMPLE_ASSETS.map((a) => ({ ...a, price: start(a.asset, a.price) })),
  });
  const assets = [SAMPLE_BENCHMARK.asset, ...SAMPLE_ASSETS.map((a) => a.asset)];
  const lines = [...header(what), ['date', ...assets].join(',')];
  market.times.forEach((t, i) => {
    lines.push([formatTime(t), ...assets.map((a) => fmt(market.prices[a]![i]!))].join(','));
  });
  const pricesAt = (t: number): Record<string, number> => {
    const i = market.times.indexOf(t);
    if (i < 0) throw new Error(`no sample row at ${new Date(t).toISOString()}`);
    return Object.fromEntries(assets.map((a) => [a, market.prices[a]![i]!]));
  };
  return { text: lines.join('\n') + '\n', pricesAt };
}

function fundingCsv(): string {
  const end = DAILY.start + (DAILY.periods - 1) * DAY;
  const n = (FUNDING.days * DAY) / FUNDING.intervalMs;
  const times = Array.from({ length: n }, (_, i) => end - (n - 1 - i) * FUNDING.intervalMs);
  const rows = generateFunding({
    seed: SAMPLE_SEED + FUNDING.seed,
    times,
    symbols: FUNDING.symbols,
    mean: FUNDING.mean,
    vol: FUNDING.vol,
  });
  const lines = [
    '# SYNTHETIC DATA, not exchange funding rates: 8-hourly funding of USDT-margined perpetuals.',
    `# Made by scripts/make-samples.ts (npm run samples), seed ${SAMPLE_SEED}: AR(1) around`,
    `# ${FUNDING.mean} per interval. A positive rate means longs pay shorts.`,
    'timestamp,symbol,funding_rate',
    ...rows.map((r) => `${isoSeconds(r.time)},${r.symbol},${r.rate.toFixed(8)}`),
  ];
  return lines.join('\n') + '\n';
}

function readme(): string {
  const rows = SAMPLE_ASSETS.map(
    (a) => `| ${a.asset} | ${a.beta.toFixed(2)} | ${Math.round(a.idioVol * 100)}% | ${a.price} |`,
  );
  return [
    '# Sample data (synthetic)',
    '',
    '**These files are synthetic, not market data.** `scripts/make-samples.ts` (`npm run samples`)',
    `makes them from a seeded (seed ${SAMPLE_SEED}) one-factor model on BTC`,
    "(`src/engine/synthetic.ts`): each asset's log return is β · BTC's log return plus its own",
    'noise, with Student-t shocks (5 degrees of freedom: fat tails) and GARCH(1,1) volatility',
    'clustering. Because the true betas are known, the sample notebooks show how close the',
    'estimates come.',
    '',
    `| asset | true beta to BTC | idiosyncratic vol (annual) | start price (USD) |`,
    '| ----- | ---------------- | -------------------------- | ----------------- |',
    `| BTC | 1.00 (benchmark, ${Math.round(SAMPLE_BENCHMARK.vol * 100)}% vol) | — | ${SAMPLE_BENCHMARK.price} |`,
    ...rows,
    '',
    '| file | what | rows |',
    '| ---- | ---- | ---- |',
    `| daily.csv | wide CSV, daily closes from 2024-01-01 (ISO dates) | ${DAILY.periods} |`,
    `| hourly.csv | wide CSV, hourly closes from 2025-10-02 (ISO date-times, UTC): another draw of the same model, starting from daily.csv's prices that day | ${HOURLY.periods} |`,
    `| funding.csv | \`timestamp,symbol,funding_rate\`, 8-hourly, ${FUNDING.symbols.join(', ')}, the last ${FUNDING.days} days of daily.csv | ${(FUNDING.days * 3 * FUNDING.symbols.length).toString()} |`,
    '',
    'Betas are estimated from sampled prices, so an estimate differs from the true beta by its',
    'sampling error (the betas table shows the standard error and the 95% interval).',
    '',
  ].join('\n');
}

/** Every sample data file: path relative to the repository root -> its text. */
export function sampleDataFiles(): Record<string, string> {
  const daily = priceCsv(DAILY, 'daily closes in USD', (t) =>
    new Date(t).toISOString().slice(0, 10),
  );
  const hourly = priceCsv(HOURLY, 'hourly closes in USD', isoSeconds, daily.pricesAt(HOURLY.start));
  return {
    'samples/data/daily.csv': daily.text,
    'samples/data/hourly.csv': hourly.text,
    'samples/data/funding.csv': fundingCsv(),
    'samples/data/README.md': readme(),
  };
}

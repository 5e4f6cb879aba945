/** The end-to-end bench's data: a wide CSV of hourly closes (date,BTC,A1,...,A99), the shape a
 *  user exports from a data vendor. 100 assets × 43,800 rows (5 years hourly) is about 45 MB.
 *  Seeded synthetic prices (src/engine/synthetic.ts), eight significant digits, ISO times with
 *  seconds and Z. Written in chunks so the generator itself stays small in memory. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { generateMarket } from '../src/engine/synthetic';

const HOUR = 3_600_000;

export interface WideCsvSpec {
  readonly assets: number;
  readonly rows: number;
  readonly seed?: number;
}

/** Writes the CSV to `path`; returns the asset names (the benchmark, BTC, first). */
export function writeWideCsv(path: string, spec: WideCsvSpec): string[] {
  const market = generateMarket({
    seed: spec.seed ?? 16,
    periods: spec.rows,
    intervalMs: HOUR,
    start: Date.UTC(2020, 0, 1),
    benchmark: { asset: 'BTC', price: 30_000, vol: 0.6 },
    assets: Array.from({ length: spec.assets - 1 }, (_, k) => ({
      asset: `A${k + 1}`,
      beta: 0.4 + (1.4 * k) / spec.assets,
      idioVol: 0.3 + (0.4 * ((k * 37) % 100)) / 100,
      price: 0.5 + 37 * ((k * 13) % 29),
    })),
  });
  const names = ['BTC', ...Array.from({ length: spec.assets - 1 }, (_, k) => `A${k + 1}`)];
  const columns = names.map((n) => market.prices[n]!);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `date,${names.join(',')}\n`);
    let chunk = '';
    for (let i = 0; i < spec.rows; i++) {
      let line = new Date(market.times[i]!).toISOString().replace('.000Z', 'Z');
      for (const col of columns) line += ',' + String(Number(col[i]!.toPrecision(8)));
      chunk += line + '\n';
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return names;
}

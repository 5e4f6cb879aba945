/** Writes the editor test's real-sized notebook into a folder: `wide.csv` (100 assets × 43,800
 *  hourly closes, bench/wide-csv.ts) and `wide.hedgebook` (prices, settings with simple returns
 *  and a 30-day window, `betas: all`), without outputs (the caller runs it with --in-place).
 *  Usage: node --import tsx scripts/editor/wide-notebook.ts DIR */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeWideCsv } from '../../bench/wide-csv';

const dir = process.argv[2];
if (!dir) throw new Error('usage: wide-notebook.ts DIR');
mkdirSync(dir, { recursive: true });
writeWideCsv(join(dir, 'wide.csv'), { assets: 100, rows: 43_800 });
const code = (source: string[]) => ({ kind: 'code', language: 'hedge', source });
writeFileSync(
  join(dir, 'wide.hedgebook'),
  JSON.stringify({
    format: 1,
    metadata: { title: '100 assets, 5 years hourly' },
    cells: [
      code(['prices: wide.csv']),
      code(['benchmark: BTC', 'returns: simple', 'window: 30d']),
      code(['betas: all']),
    ],
  }),
);

/** `npm run samples`: writes the synthetic sample data (scripts/samples-data.ts) under
 *  samples/data/. Deterministic: the same seed writes the same bytes. To refresh the sample
 *  notebooks' saved outputs afterwards: `npm run samples:run`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sampleDataFiles } from './samples-data';

const root = join(__dirname, '..');
for (const [path, text] of Object.entries(sampleDataFiles())) {
  const abs = join(root, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  console.log(`wrote ${path} (${Math.round(text.length / 1024)} KB)`);
}

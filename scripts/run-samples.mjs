// `npm run samples:run`: runs every sample notebook with the built CLI and saves its outputs in
// place (the samples test checks they are current). Samples that read live exchange data are
// saved without outputs on purpose (their data changes every day) and are left alone, as the
// samples test leaves them. Runs them all, then lists the ones that failed.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const isLive = (name) => /"exchange: /.test(readFileSync(`samples/${name}`, 'utf8'));
const samples = readdirSync('samples')
  .filter((f) => f.endsWith('.hedgebook'))
  .sort();
const failed = [];
for (const name of samples) {
  if (isLive(name)) {
    console.log(`left samples/${name} as it is (live exchange data, saved without outputs)`);
    continue;
  }
  const r = spawnSync(
    process.execPath,
    ['dist/cli.js', 'run', `samples/${name}`, '--in-place', '--quiet'],
    { stdio: 'inherit' },
  );
  if (r.status === 0) console.log(`ran samples/${name}`);
  else failed.push(`samples/${name} (exit ${r.status ?? r.signal})`);
}
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}

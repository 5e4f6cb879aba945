// `npm run samples:run`: runs every sample notebook with the built CLI and saves its outputs in
// place (the samples test checks they are current). Stops at the first sample that fails.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const samples = readdirSync('samples')
  .filter((f) => f.endsWith('.hedgebook'))
  .sort();
for (const name of samples) {
  const r = spawnSync(
    process.execPath,
    ['dist/cli.js', 'run', `samples/${name}`, '--in-place', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`ran samples/${name}`);
}

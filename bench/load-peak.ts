// Peak memory of loading a price file, for the end-to-end bench: run in a fresh process
// (`node --expose-gc --import tsx bench/load-peak.ts DIR`), it settles the heap, resets the
// process's peak resident size (Linux: "5" into /proc/self/clear_refs), runs the prices cell on
// DIR/wide.csv and prints the growth of the peak over the resident size before the load, in
// bytes, as JSON. A peak measured from process start instead would be the start-up's own peak
// (loading and compiling the bundles), which has nothing to do with the data.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileEnv } from '../src/cli/runner';
import { fileAccess } from '../src/data/paths';
import { evaluateNotebook } from '../src/notebook/session';

const peakKb = (): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);

async function main(dir: string): Promise<void> {
  const env = fileEnv(fileAccess({ notebookDir: dir }), `${dir}/cache`);
  globalThis.gc?.();
  globalThis.gc?.();
  writeFileSync('/proc/self/clear_refs', '5');
  const before = process.memoryUsage().rss;
  const [run] = await evaluateNotebook([{ id: 'p', kind: 'code', text: 'prices: wide.csv' }], env);
  if (run?.status !== 'ok')
    throw new Error(`the prices cell failed: ${JSON.stringify(run?.problems)}`);
  const peak = peakKb() * 1024;
  process.stdout.write(JSON.stringify({ before, peak, growth: peak - before }));
}

void main(process.argv[2] ?? '.');

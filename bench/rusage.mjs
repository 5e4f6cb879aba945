// Preloaded (`node --import ./bench/rusage.mjs dist/cli.js ...`) by the end-to-end bench: at exit,
// writes the process's CPU time and peak resident memory (process.resourceUsage) as one JSON
// line to the file named by HEDGEBOOK_BENCH_RUSAGE. The CLI itself runs unchanged.
import { writeFileSync } from 'node:fs';
const out = process.env.HEDGEBOOK_BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({
        userMs: u.userCPUTime / 1000,
        systemMs: u.systemCPUTime / 1000,
        maxRssKb: u.maxRSS,
      }),
    );
  });
}

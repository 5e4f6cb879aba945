// `npm run bench:simulate`: only the hedge-simulation part of `npm run bench` (bench/simulate.ts).
//   BENCH_ROUNDS=3 BENCH_RUNS=7 npm run bench:simulate
import { spawnSync } from 'node:child_process';
import { simulationBench } from './simulate';

const pandas =
  spawnSync('/usr/bin/python3', ['-c', 'import pandas, numpy'], { stdio: 'ignore' }).status === 0;
const verdicts = simulationBench({
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  runs: Number(process.env.BENCH_RUNS ?? 7),
  pandas,
});
console.log(
  '\ntargets:\n' + verdicts.map(([t, ok]) => `  ${ok ? 'met   ' : 'MISSED'} ${t}`).join('\n'),
);

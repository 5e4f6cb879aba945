// Shared by the notebook tests: a seeded synthetic daily market with known betas, an in-memory
// env serving it as data/daily.csv, and small accessors for runs and results.
import assert from 'node:assert/strict';
import { ok, fail } from '../../src/engine/result';
import { generateMarket } from '../../src/engine/synthetic';
import type { PriceSeries } from '../../src/engine/series';
import { CellResult } from '../../src/results';
import type { CellRun, NotebookCell, SessionEnv } from '../../src/notebook/session';

export const DAY = 86_400_000;

/** A seeded synthetic daily market with known betas (BTC is the benchmark). */
export function market(periods = 400) {
  return generateMarket({
    seed: 7,
    periods,
    intervalMs: DAY,
    start: Date.UTC(2024, 0, 1),
    benchmark: { asset: 'BTC', price: 60_000, vol: 0.6 },
    assets: [
      { asset: 'ETH', beta: 1.2, idioVol: 0.3, price: 3_000 },
      { asset: 'SOL', beta: 1.6, idioVol: 0.5, price: 150 },
      { asset: 'DOGE', beta: 0.8, idioVol: 0.6, price: 0.1 },
    ],
  });
}

/** An in-memory env: one file name maps to the generated series; records each load. */
export function memoryEnv(periods = 400): SessionEnv & { loads: string[] } {
  const m = market(periods);
  const series: PriceSeries[] = Object.entries(m.prices).map(([asset, prices]) => ({
    asset,
    times: m.times,
    prices,
  }));
  const loads: string[] = [];
  return {
    loads,
    async loadPrices(file) {
      loads.push(file);
      if (file !== 'data/daily.csv') return fail('file_not_found', ['file'], { file });
      return ok({ source: 'memory:daily.csv', series });
    },
  };
}

export const code = (id: string, text: string): NotebookCell => ({ id, kind: 'code', text });

export function byId(runs: readonly CellRun[], id: string): CellRun {
  const r = runs.find((x) => x.id === id);
  assert.ok(r, `no run for ${id}`);
  return r;
}

export function only<K extends CellResult['kind']>(
  run: CellRun,
  kind: K,
): Extract<CellResult, { kind: K }> {
  assert.equal(run.status, 'ok', JSON.stringify(run.problems));
  assert.equal(run.results.length, 1);
  const r = run.results[0] as CellResult;
  assert.equal(r.kind, kind);
  return r as Extract<CellResult, { kind: K }>;
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cellOutputs, runNotebookFile } from '../../src/cli/runner';
import { checkRun, checkText } from '../../src/cli/check';
import { parseNotebookFile, type CellOutput } from '../../src/notebook/file-format';
import { ROOT } from './helpers';

const ALL = readdirSync(join(ROOT, 'samples'))
  .filter((f) => f.endsWith('.hedgebook'))
  .sort();
/** Samples that read live exchange data are run against a local exchange (live-sample.test.ts). */
export const isLive = (name: string) =>
  /"exchange: /.test(readFileSync(join(ROOT, 'samples', name), 'utf8'));
const SAMPLES = ALL.filter((name) => !isLive(name));

/** Outputs without the parts that change on every run. */
const stable = (outputs: readonly CellOutput[] | undefined) =>
  (outputs ?? []).map((o) => ({
    items: o.items,
    metadata: o.metadata && { ...o.metadata, computedAt: '_', durationMs: 0 },
  }));

describe('sample notebooks', () => {
  it('include the four walkthroughs and a live-data one', () => {
    assert.ok(ALL.includes('05-live-exchange.hedgebook'));
    for (const n of [
      '01-portfolio-betas',
      '02-hedge-perpetual',
      '03-hedge-inverse-future',
      '04-pair-sol-eth',
    ])
      assert.ok(SAMPLES.includes(`${n}.hedgebook`), n);
  });

  for (const name of SAMPLES) {
    it(`${name} runs clean and its saved outputs are current`, async () => {
      const file = join('samples', name);
      const r = await runNotebookFile(file, { cwd: ROOT });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
      const failed = r.value.cells.filter((c) => c.run && c.run.status !== 'ok');
      assert.deepEqual(
        failed.map((c) => [c.index + 1, c.run!.problems.map((p) => p.message)]),
        [],
      );
      assert.ok(
        r.value.cells.some((c) => c.kind === 'markdown'),
        'explains itself in markdown',
      );
      // hedgebook check: the saved numbers follow from the cells and the data (by content hash).
      const check = checkRun(r.value);
      assert.ok(check.ok, `${checkText(check)}run npm run samples:run`);
      // ...and the saved outputs are exactly what a run writes (tables and text included).
      const saved = parseNotebookFile(readFileSync(join(ROOT, file), 'utf8'));
      assert.ok(saved.ok);
      r.value.cells.forEach((c, i) => {
        if (!c.run) return;
        assert.deepEqual(
          stable(saved.value.cells[i]!.outputs),
          stable(cellOutputs(c.run, '_')),
          `${name} cell ${i + 1}: saved outputs are stale; run npm run samples:run`,
        );
      });
    });

    it(`${name} stays under 100 KB with its outputs (a notebook is committed and shared)`, () => {
      const bytes = statSync(join(ROOT, 'samples', name)).size;
      assert.ok(bytes <= 100_000, `${name} is ${bytes} bytes`);
    });
  }
});

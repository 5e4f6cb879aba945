/* "Hedgebook: New Notebook" must produce cells that run as they are, and "Open Sample" must copy
 * the data a sample reads. The starter is run here by the same code the CLI uses, on the bundled
 * sample data (the file New Notebook copies next to the notebook). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileEnv } from '../../src/cli/runner';
import { fileAccess } from '../../src/data/paths';
import { evaluateNotebook } from '../../src/notebook/session';
import { notebookDataFiles, starterCells, starterSettings } from '../../src/notebook/starter';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE_ASSETS = ['BTC', 'ETH', 'SOL', 'UNI', 'AAVE', 'LDO'];

async function runStarter(defaults = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hedgebook-starter-'));
  mkdirSync(join(dir, 'data'));
  copyFileSync(join(ROOT, 'samples', 'data', 'daily.csv'), join(dir, 'data', 'sample-daily.csv'));
  const cells = starterCells({
    file: 'data/sample-daily.csv',
    assets: SAMPLE_ASSETS,
    sample: true,
    defaults,
  }).map((c, i) => ({ id: `c${i}`, ...c }));
  const runs = await evaluateNotebook(cells, fileEnv(fileAccess({ notebookDir: dir })));
  return { cells, runs };
}

describe('the New Notebook starter', () => {
  it('runs clean as it is on the bundled sample data, down to the hedge ticket', async () => {
    const { cells, runs } = await runStarter();
    assert.equal(runs.length, cells.filter((c) => c.kind === 'code').length);
    for (const r of runs) assert.equal(r.status, 'ok', `${r.id}: ${JSON.stringify(r.problems)}`);
    const hedge = runs.at(-1)?.results[0];
    assert.equal(hedge?.kind, 'hedge');
    assert.ok(hedge?.kind === 'hedge' && hedge.side === 'short' && hedge.contracts > 0);
  });

  it("writes the user's defaults into its settings cell and still runs", async () => {
    const { cells, runs } = await runStarter({ benchmark: 'ETH', returns: 'log', window: '180d' });
    assert.equal(cells[2]?.text, 'benchmark: ETH\nreturns: log\nwindow: 180d');
    assert.match(cells[5]?.text ?? '', /^instrument: ETHUSDT-PERP\n/);
    for (const r of runs) assert.equal(r.status, 'ok', `${r.id}: ${JSON.stringify(r.problems)}`);
  });

  it('ignores defaults that would not run: a benchmark the data lacks, a bad window', () => {
    assert.deepEqual(starterSettings(SAMPLE_ASSETS, { benchmark: 'DOGE', window: 'soon' }), {
      benchmark: 'BTC',
      returns: 'simple',
      window: 'all',
    });
    assert.equal(starterSettings(['ETH', 'SOL']).benchmark, 'ETH');
  });

  it('promises in its markdown only the cells it has, and says the sample data is synthetic', () => {
    const text = starterCells({ file: 'data/x.csv', assets: SAMPLE_ASSETS, sample: true })[0]?.text;
    assert.match(text ?? '', /\*\*synthetic\*\*/);
    const mine = starterCells({ file: 'prices.csv', assets: SAMPLE_ASSETS, sample: false })[0];
    assert.doesNotMatch(mine?.text ?? '', /synthetic/);
  });
});

describe('a sample and its data', () => {
  it('lists the files each bundled sample reads', () => {
    const files = (name: string) =>
      notebookDataFiles(readFileSync(join(ROOT, 'samples', `${name}.hedgebook`), 'utf8'));
    assert.deepEqual(files('02-hedge-perpetual'), ['data/daily.csv']);
    assert.deepEqual(files('05-live-exchange'), []);
  });
});

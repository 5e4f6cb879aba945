import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, hedgebook, ROOT, workspace } from './helpers';
import { assertValidIpynb } from '../outputs/ipynb-schema';
import { RESULT_MIME } from '../../src/results';

const SAMPLE = '02-hedge-perpetual.hedgebook';
let dir = '';
before(() => {
  ensureBuilt();
});
const fresh = () => {
  dir = workspace('share');
  copyFileSync(join(ROOT, 'samples', SAMPLE), join(dir, SAMPLE));
};
after(() => rmSync(dir, { recursive: true, force: true }));

type FileJson = {
  cells: { source: string[]; outputs?: { items: { mime: string; data: string }[] }[] }[];
};
const edit = (f: (nb: FileJson) => void) => {
  const path = join(dir, SAMPLE);
  const nb = JSON.parse(readFileSync(path, 'utf8')) as FileJson;
  f(nb);
  writeFileSync(path, JSON.stringify(nb, null, 2) + '\n');
};

describe('hedgebook check', () => {
  it('passes a sample whose saved outputs are current, writing nothing', () => {
    fresh();
    const before = readFileSync(join(dir, SAMPLE), 'utf8');
    const r = hedgebook(['check', SAMPLE], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /saved outputs are current \(7 hedge cells checked, tolerance 1e-9\)/);
    assert.equal(readFileSync(join(dir, SAMPLE), 'utf8'), before);
  });

  it('fails on a saved number that no longer follows, naming the cell and the number', () => {
    fresh();
    let contracts = 0;
    edit((nb) => {
      const cell = nb.cells.find((c) => c.source.join('\n').includes('target_beta: 0.5'))!;
      const item = cell.outputs![0]!.items.find((i) => i.mime === RESULT_MIME)!;
      const result = JSON.parse(item.data) as { contracts: number };
      contracts = result.contracts;
      result.contracts += 1;
      item.data = JSON.stringify(result);
    });
    const r = hedgebook(['check', SAMPLE], dir);
    assert.equal(r.code, 1, r.stdout);
    assert.ok(
      r.stderr.startsWith(
        `[cell 11] Hedge: core: changed\n    contracts  ${contracts + 1} → ${contracts}\n`,
      ),
      r.stderr,
    );
    assert.match(r.stderr, /1 of 7 hedge cells no longer match their saved outputs/);
    // Within a stated tolerance a change this size is accepted.
    assert.equal(hedgebook(['check', SAMPLE, '--tolerance', '1e-3'], dir).code, 0);
  });

  it('fails when the data changed, and says so by its content hash', () => {
    fresh();
    const csv = join(dir, 'data', 'daily.csv');
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const last = lines[lines.length - 1]!.split(',');
    last[2] = String(Number(last[2]) * 1.05); // ETH's last close, 5% higher
    lines[lines.length - 1] = last.join(',');
    writeFileSync(csv, lines.join('\n') + '\n');
    const r = hedgebook(['check', SAMPLE], dir);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /\[cell 2\] Prices: daily: changed\n {4}the data changed: data\/daily.csv now 2024-01-01 to 2025-12-31, 731 rows, content sha256:[0-9a-f]{12}… \(saved: 2024-01-01 to 2025-12-31, 731 rows, content sha256:[0-9a-f]{12}…\)/,
    );
    assert.match(r.stderr, /last\[ETH\]\.price/);
    assert.match(r.stderr, /7 of 7 hedge cells no longer match/);
  });

  it('says which cell fails now and which were never saved', () => {
    fresh();
    edit((nb) => {
      const cell = nb.cells.find((c) => c.source.join('\n').includes('target_beta: 0.5'))!;
      cell.source = ['hedge: nope', 'with: BTCUSDT-PERP'];
      delete nb.cells.find((c) => c.source.join('\n') === 'betas: core')!.outputs;
    });
    const r = hedgebook(['check', SAMPLE], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[cell 5\] Betas: core: not saved\n {4}no saved outputs/);
    assert.match(r.stderr, /\[cell 11\] .*: fails\n {4}now fails: line 1, column 8: /);
  });
});

describe('hedgebook export', () => {
  it('writes a valid .ipynb and a report of the notebook as saved, marking stale outputs', () => {
    fresh();
    edit((nb) => {
      const cell = nb.cells.find((c) => c.source.join('\n').includes('window: 365d'))!;
      cell.source = cell.source.map((l) => l.replace('365d', '90d'));
    });
    const r = hedgebook(['export', SAMPLE, '--ipynb', 'out/x.ipynb', '--html', 'out/x.html'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote report: out\/x.html; Jupyter notebook: out\/x.ipynb/);
    const nb = JSON.parse(readFileSync(join(dir, 'out/x.ipynb'), 'utf8')) as {
      cells: { cell_type: string; outputs?: { metadata?: { hedgebook?: { stale?: string } } }[] }[];
    };
    assertValidIpynb(nb);
    const staleCells = nb.cells.flatMap((c, i) =>
      c.outputs?.[0]?.metadata?.hedgebook?.stale ? [i + 1] : [],
    );
    // The settings cell was edited; everything that uses the settings follows.
    assert.deepEqual(staleCells, [3, 4, 5, 7, 9, 11]);
    const html = readFileSync(join(dir, 'out/x.html'), 'utf8');
    assert.match(
      html,
      /<section class="cell code-cell stale" id="cell-3">.*<strong>Stale:<\/strong> this cell was edited/s,
    );
    assert.match(html, /Outputs as saved, computed /);
    assert.match(html, /6 stale cells/);
  });

  it('marks the prices cell and everything downstream stale when its data file changed on disk', () => {
    fresh();
    const plain = hedgebook(['export', SAMPLE, '--html', 'out/same.html'], dir);
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(readFileSync(join(dir, 'out/same.html'), 'utf8'), /code-cell stale/);
    const csv = join(dir, 'data', 'daily.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(/\n$/, '\n2026-01-01,1,2,3,4,5,6\n'));
    const r = hedgebook(['export', SAMPLE, '--html', 'out/x.html', '--ipynb', 'out/x.ipynb'], dir);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(join(dir, 'out/x.html'), 'utf8');
    assert.match(
      html,
      /<section class="cell code-cell stale" id="cell-2">.*<strong>Stale:<\/strong> data\/daily.csv changed on disk since these outputs were computed/s,
    );
    assert.match(html, /7 stale cells/);
    const nb = JSON.parse(readFileSync(join(dir, 'out/x.ipynb'), 'utf8')) as {
      cells: { outputs?: { metadata?: { hedgebook?: { stale?: string } } }[] }[];
    };
    assert.match(
      String(nb.cells[1]?.outputs?.[0]?.metadata?.hedgebook?.stale),
      /daily\.csv changed/,
    );
  });

  it('checks data files only where the file rule allows, saying which it did not check', () => {
    fresh();
    edit((nb) => {
      const cell = nb.cells.find((c) => c.source.join('\n').includes('prices: data/daily.csv'))!;
      // As if the file had been read from outside the notebook's folder (an --allow-path run).
      for (const o of (cell.outputs ?? []) as { metadata?: { data?: { source: string } } }[])
        if (o.metadata?.data) o.metadata.data.source = '../elsewhere/daily.csv';
    });
    const r = hedgebook(['export', SAMPLE, '--html', 'out/x.html'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /not checked for changes on disk: \.\.\/elsewhere\/daily\.csv: not read/,
    );
  });

  it('refuses to run without an output and reports an unreadable notebook', () => {
    fresh();
    assert.equal(hedgebook(['export', SAMPLE], dir).code, 2);
    const r = hedgebook(['export', 'missing.hedgebook', '--ipynb', 'x.ipynb'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot export missing.hedgebook/);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ok } from '../../src/engine/result';
import {
  changedFiles,
  changedFilesWords,
  filesReadBy,
  type DiskFiles,
} from '../../src/notebook/data-files';
import { savedFingerprint } from '../../src/notebook/saved';
import { evaluateNotebook, Session, type NotebookCell } from '../../src/notebook/session';
import { byId, code, memoryEnv, only } from './helpers';

const A = { hash: 'sha256:' + 'a'.repeat(64), bytes: 100 };
const B = { hash: 'sha256:' + 'b'.repeat(64), bytes: 100 };
const disk = (entries: [string, typeof A | null][]): DiskFiles => new Map(entries);

describe('data files: which files changed on disk', () => {
  const read = [{ source: 'data/daily.csv', ...A }];
  it('finds nothing changed when the bytes on disk hash the same', () => {
    assert.deepEqual(changedFiles(read, disk([['data/daily.csv', A]])), []);
  });
  it('finds a file whose hash differs', () => {
    assert.deepEqual(changedFiles(read, disk([['data/daily.csv', B]])), [
      { source: 'data/daily.csv', gone: false },
    ]);
  });
  it('finds a file of the same hash but another size (a record from another file)', () => {
    assert.deepEqual(changedFiles(read, disk([['data/daily.csv', { ...A, bytes: 101 }]])), [
      { source: 'data/daily.csv', gone: false },
    ]);
  });
  it('finds a file that can no longer be read', () => {
    assert.deepEqual(changedFiles(read, disk([['data/daily.csv', null]])), [
      { source: 'data/daily.csv', gone: true },
    ]);
  });
  it('takes a file not checked (Restricted Mode, a check running) as unchanged', () => {
    assert.deepEqual(changedFiles(read, disk([])), []);
  });
  it('reads the files from provenance, once each, skipping exchange data and malformed records', () => {
    const p = { source: 'data/daily.csv', start: 'x', end: 'y', rows: 3 };
    assert.deepEqual(
      filesReadBy([
        { ...p, file: A },
        { ...p, file: A },
        { ...p, source: 'binance spot' },
        undefined,
        { ...p, file: { hash: 3, bytes: 'x' } as unknown as typeof A },
      ]),
      [{ source: 'data/daily.csv', ...A }],
    );
  });
  it('words the change with the file names, and says when one is gone', () => {
    assert.equal(
      changedFilesWords([{ source: 'data/daily.csv', gone: false }]),
      'data/daily.csv changed on disk since these outputs were computed; run the cell to update them.',
    );
    assert.match(
      changedFilesWords([
        { source: 'a.csv', gone: false },
        { source: 'b.csv', gone: true },
      ]),
      /^a\.csv changed on disk, and b\.csv can no longer be read since/,
    );
  });
});

describe('Session staleness from data files on disk', () => {
  const cells: NotebookCell[] = [
    code('prices', 'prices: daily\nfile: data/daily.csv'),
    code('settings', 'benchmark: BTC\nreturns: log\nwindow: 365d'),
    code('portfolio', 'portfolio: core\nholdings: { ETH: 40, SOL: 500 }'),
    code('betas', 'betas: core'),
    code('note', '# only a comment'),
  ];
  /** An env whose file has fingerprint `now.fp` (a test changes it as an edit on disk would). */
  function fileEnv(now: { fp: typeof A }) {
    const env = memoryEnv();
    const load = env.loadPrices.bind(env);
    env.loadPrices = async (file, signal) => {
      const r = await load(file, signal);
      return r.ok ? ok({ ...r.value, fingerprint: now.fp }) : r;
    };
    return env;
  }
  /** The cells as saved after a run, with the metadata each output would carry. */
  async function saved(): Promise<NotebookCell[]> {
    const runs = await evaluateNotebook(cells, fileEnv({ fp: A }));
    return cells.map((c) => {
      const r = byId(runs, c.id);
      const s = savedFingerprint(
        r.results.map((x) => ({
          sourceHash: r.sourceHash,
          inputsHash: r.inputsHash,
          ...(x.data ? { data: x.data } : {}),
        })),
      );
      return s ? { ...c, saved: s } : c;
    });
  }
  const source = 'memory:daily.csv';

  it('saves the file fingerprint in the prices result, and only there', async () => {
    const runs = await evaluateNotebook(cells, fileEnv({ fp: A }));
    assert.deepEqual(only(byId(runs, 'prices'), 'prices').data?.file, A);
    assert.equal(only(byId(runs, 'betas'), 'betas').data?.file, undefined);
  });
  it('lists the files the saved outputs were computed from', async () => {
    const s = new Session(memoryEnv());
    s.update(await saved());
    assert.deepEqual(s.dataFiles(), [source]);
  });
  it('shows nothing stale when the file on disk is the one read', async () => {
    const s = new Session(memoryEnv());
    s.update(await saved());
    s.setDiskFiles(disk([[source, A]]));
    assert.deepEqual(s.staleCells(), []);
  });
  it('marks the prices cell and everything downstream stale when the file changed, naming it', async () => {
    const s = new Session(memoryEnv());
    s.update(await saved());
    s.setDiskFiles(disk([[source, B]]));
    assert.deepEqual(s.staleCells(), [
      { id: 'prices', reason: 'data' },
      { id: 'settings', reason: 'data' },
      { id: 'portfolio', reason: 'data' },
      { id: 'betas', reason: 'data' },
    ]);
    assert.deepEqual(s.staleFiles('betas'), [{ source, gone: false }]);
    assert.deepEqual(s.staleFiles('note'), []);
  });
  it('says edited, not data, for a cell that was also edited', async () => {
    const s = new Session(memoryEnv());
    s.update(
      (await saved()).map((c) =>
        c.id === 'betas' ? { ...c, text: 'betas: core\nwindow: 90d' } : c,
      ),
    );
    s.setDiskFiles(disk([[source, B]]));
    assert.equal(s.staleReason('betas'), 'edited');
    assert.equal(s.staleReason('portfolio'), 'data');
  });
  it('keeps the mark across edits of other cells, and clears it when the file is back', async () => {
    const s = new Session(memoryEnv());
    const nb = await saved();
    s.update(nb);
    s.setDiskFiles(disk([[source, B]]));
    s.update(nb.map((c) => (c.id === 'note' ? { ...c, text: '# another comment' } : c)));
    assert.equal(s.staleReason('betas'), 'data');
    s.setDiskFiles(disk([[source, A]]));
    assert.deepEqual(s.staleIds(), []);
  });
  it('never marks outputs saved without a fingerprint (an older file) for data', async () => {
    const s = new Session(memoryEnv());
    s.update(
      (await saved()).map((c) => (c.saved ? { ...c, saved: { ...c.saved, files: undefined } } : c)),
    );
    s.setDiskFiles(disk([[source, B]]));
    assert.deepEqual(s.staleIds(), []);
  });
  it('marks cells run in this session when the file changes after, and running a downstream cell reads it again', async () => {
    const now = { fp: A };
    const env = fileEnv(now);
    const s = new Session(env);
    s.update(cells);
    await s.run(['betas'], new AbortController().signal);
    s.setDiskFiles(disk([[source, A]]));
    assert.deepEqual(s.staleIds(), []);
    now.fp = B; // the file is edited on disk; a watcher reports it
    s.setDiskFiles(disk([[source, B]]));
    assert.deepEqual(s.staleIds(), ['prices', 'settings', 'portfolio', 'betas']);
    env.loads.length = 0;
    const runs = await s.run(['betas'], new AbortController().signal);
    assert.deepEqual(env.loads, ['data/daily.csv'], 'the prices cell read the file again');
    assert.ok(runs.map((r) => r.id).includes('prices'));
    assert.deepEqual(s.staleIds(), []);
  });
});

/** `hedgebook run` against hostile notebooks and file systems (issue 14): files outside the
 *  notebook's folder, and the notebook file on disk. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, hedgebook, notebookText, workspace } from './helpers';

let dir = '';
before(() => {
  ensureBuilt();
  dir = workspace('hostile');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file whose first line must never reach an output unless its folder was allowed. */
const SECRET = 'root:x:0:0:SECRET-FIRST-LINE';

describe('hedgebook run: files outside the notebook folder', () => {
  let book = '';
  before(() => {
    book = join(dir, 'book');
    mkdirSync(join(book, 'data'), { recursive: true });
    writeFileSync(join(book, 'data', 'daily.csv'), readFileSync(join(dir, 'data', 'daily.csv')));
    writeFileSync(join(dir, 'secret.csv'), `${SECRET}\nmore\n`);
    writeFileSync(join(dir, 'passwd'), `${SECRET}\n`);
    symlinkSync(join(dir, 'secret.csv'), join(book, 'data', 'link.csv'));
  });

  const runWith = (file: string, extra: string[] = []) => {
    const nb = notebookText([['code', `prices: d\nfile: ${file}`]]);
    writeFileSync(join(book, 'nb.hedgebook'), nb);
    const r = hedgebook(['run', 'book/nb.hedgebook', '--json', 'out.json', ...extra], dir);
    const json = readFileSync(join(dir, 'out.json'), 'utf8');
    return { ...r, json };
  };

  for (const file of ['../../../../../../etc/passwd', '../passwd', '../secret.csv', 'LINK']) {
    it(`refuses ${file} with a located error and echoes nothing of it`, () => {
      const path = file === 'LINK' ? 'data/link.csv' : file;
      const r = runWith(path);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /line 2, column 7: .*not read: it (is|links to) .*outside the folders/,
      );
      for (const text of [r.stdout, r.stderr, r.json]) assert.doesNotMatch(text, /SECRET|root:x/);
    });
  }

  it('refuses an absolute path outside the folder', () => {
    const r = runWith(join(dir, 'secret.csv'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not read: it is .*secret\.csv, outside/);
    assert.doesNotMatch(r.stderr + r.json, /SECRET/);
  });

  it('reads it once --allow-path names its folder', () => {
    const r = runWith('../secret.csv', ['--allow-path', '.']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /outside the folders/);
    assert.match(r.stderr, /secret\.csv line 1/); // now read: a located reader error
  });

  it('reads files under the notebook folder as before', () => {
    const r = runWith('data/daily.csv');
    assert.equal(r.code, 0, r.stderr);
  });
});

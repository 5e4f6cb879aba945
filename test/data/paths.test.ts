import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRealDataPath,
  expandUserPath,
  fileAccess,
  isUnder,
  lexicalDataPath,
  resolveDataFile,
  type FileAccess,
} from '../../src/data/paths';
import { describeDataProblem } from '../../src/data/messages';
import type { Result } from '../../src/engine/result';

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : (r.problems[0]?.code ?? '?'));
const words = (r: Result<unknown>): string =>
  r.ok ? '' : describeDataProblem(r.problems[0] ?? { code: '?', path: [] });

const NB: FileAccess = fileAccess({ notebookDir: '/home/t/book' });

describe('the file rule, on paths as written (lexicalDataPath)', () => {
  it('reads a price file under the notebook folder, relative or absolute', () => {
    assert.deepEqual(lexicalDataPath('data/daily.csv', NB), {
      ok: true,
      value: '/home/t/book/data/daily.csv',
      warnings: [],
    });
    assert.equal(code(lexicalDataPath('/home/t/book/x.JSON', NB)), 'ok');
    assert.equal(code(lexicalDataPath('./a/../b.tsv', NB)), 'ok');
  });

  it('refuses paths that climb out of the folder or are absolute elsewhere', () => {
    for (const f of ['../../../../etc/passwd', '../other/prices.csv', '/etc/passwd', '/tmp/x.csv'])
      assert.equal(code(lexicalDataPath(f, NB)), 'file_outside_allowed', f);
    assert.match(
      words(lexicalDataPath('../../../../etc/passwd', NB)),
      /^\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd: not read: it is \/etc\/passwd, outside the folders this notebook may read \(\/home\/t\/book\).*--allow-path DIR.*hedgebook\.allowedPaths/,
    );
  });

  it('does not mistake a sibling folder sharing a prefix for the notebook folder', () => {
    assert.equal(code(lexicalDataPath('/home/t/bookkeeping/x.csv', NB)), 'file_outside_allowed');
    assert.equal(isUnder('/home/t/book', '/home/t/book'), true);
    assert.equal(isUnder('/home/t/book/..x/y', '/home/t/book'), true);
    assert.equal(isUnder('/home/t/bookx', '/home/t/book'), false);
  });

  it('reads outside the folder only what the allow list or the workspace names', () => {
    const access = fileAccess({
      notebookDir: '/home/t/book/notebooks',
      workspaceFolders: ['/home/t/book'],
      allowed: ['/srv/prices', '/opt/one.csv'],
    });
    assert.equal(code(lexicalDataPath('../data/daily.csv', access)), 'ok');
    assert.equal(code(lexicalDataPath('/srv/prices/2024/btc.csv', access)), 'ok');
    assert.equal(code(lexicalDataPath('/opt/one.csv', access)), 'ok');
    assert.equal(code(lexicalDataPath('/opt/two.csv', access)), 'file_outside_allowed');
  });

  it('refuses a file whose name is not a price file name, before reading it', () => {
    for (const f of ['notes.md', '.env', 'id_rsa', 'prices', 'book.hedgebook', 'a.csv.bak'])
      assert.equal(code(lexicalDataPath(f, NB)), 'file_not_data', f);
    assert.match(words(lexicalDataPath('id_rsa', NB)), /ends in \.csv, \.tsv, \.txt, \.json/);
  });

  it('states the untitled rule: relative paths need a folder, absolute ones an allowed root', () => {
    const untitled = fileAccess({ notebookDir: null, allowed: ['/srv/prices'] });
    assert.equal(untitled.base, null);
    assert.equal(code(lexicalDataPath('data.csv', untitled)), 'notebook_unsaved_relative_file');
    assert.equal(code(lexicalDataPath('/srv/prices/a.csv', untitled)), 'ok');
    assert.equal(code(lexicalDataPath('/etc/a.csv', untitled)), 'file_outside_allowed');
    const inWorkspace = fileAccess({ notebookDir: null, workspaceFolders: ['/w'] });
    assert.equal(lexicalDataPath('d/a.csv', inWorkspace).ok && 'read', 'read');
  });

  it('expands ~ and resolves relative allow-list entries against the working folder', () => {
    assert.equal(expandUserPath('~/data', '/cwd', '/home/u'), '/home/u/data');
    assert.equal(expandUserPath('~', '/cwd', '/home/u'), '/home/u');
    assert.equal(expandUserPath('../shared', '/cwd/sub', '/home/u'), '/cwd/shared');
  });

  it('checks the real path of a link against the real roots', () => {
    assert.equal(code(checkRealDataPath('d.csv', '/home/t/book/real.csv', ['/home/t/book'])), 'ok');
    const out = checkRealDataPath('d.csv', '/etc/shadow', ['/home/t/book']);
    assert.equal(code(out), 'file_outside_allowed');
    assert.match(words(out), /d\.csv: not read: it links to \/etc\/shadow, outside/);
    assert.equal(
      code(checkRealDataPath('d.csv', '/home/t/book/key.pem', ['/home/t/book'])),
      'file_not_data',
    );
  });
});

describe('the file rule, on the disk (resolveDataFile)', () => {
  let root = '';
  let book = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'hedgebook-paths-'));
    book = join(root, 'book');
    mkdirSync(join(book, 'data'), { recursive: true });
    writeFileSync(join(book, 'data', 'daily.csv'), 'date,BTC\n2024-01-01,1\n');
    writeFileSync(join(book, 'data', 'key.pem'), 'SECRET\n');
    writeFileSync(join(root, 'outside.csv'), 'SECRET,x\n');
    symlinkSync(join(root, 'outside.csv'), join(book, 'data', 'escape.csv'));
    symlinkSync(join(book, 'data', 'daily.csv'), join(book, 'alias.csv'));
    symlinkSync(join(book, 'data', 'key.pem'), join(book, 'data', 'key.csv'));
    symlinkSync(book, join(root, 'linked-book'));
    mkdirSync(join(book, 'folder.csv'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const access = () => fileAccess({ notebookDir: book });

  it('resolves a file in the folder to its real path', async () => {
    const r = await resolveDataFile('data/daily.csv', access());
    assert.equal(r.ok && r.value, join(book, 'data', 'daily.csv'));
    const viaLink = await resolveDataFile('alias.csv', access());
    assert.equal(viaLink.ok && viaLink.value, join(book, 'data', 'daily.csv'));
  });

  it('refuses a link in the folder that points outside it', async () => {
    const r = await resolveDataFile('data/escape.csv', access());
    assert.equal(code(r), 'file_outside_allowed');
    assert.match(words(r), /links to .*outside\.csv/);
    assert.doesNotMatch(words(r), /SECRET/);
  });

  it('refuses a link with a price file name to a file that is not one', async () => {
    assert.equal(code(await resolveDataFile('data/key.csv', access())), 'file_not_data');
  });

  it('reads through a notebook folder that is itself reached by a link', async () => {
    const linked = fileAccess({ notebookDir: join(root, 'linked-book') });
    assert.equal(code(await resolveDataFile('data/daily.csv', linked)), 'ok');
    assert.equal(code(await resolveDataFile(join(book, 'data', 'daily.csv'), linked)), 'ok');
  });

  it('reads outside the folder once the allow list names it', async () => {
    const allowed = fileAccess({ notebookDir: book, allowed: [root] });
    assert.equal(code(await resolveDataFile('data/escape.csv', allowed)), 'ok');
    assert.equal(code(await resolveDataFile('../outside.csv', allowed)), 'ok');
  });

  it('refuses a folder, a pipe or a device named like a price file', async () => {
    assert.equal(code(await resolveDataFile('folder.csv', access())), 'file_not_regular');
    if (spawnSync('mkfifo', [join(book, 'pipe.csv')]).status === 0)
      assert.equal(code(await resolveDataFile('pipe.csv', access())), 'file_not_regular');
    const dev = fileAccess({ notebookDir: book, allowed: ['/dev'] });
    assert.equal(code(await resolveDataFile('/dev/zero', dev)), 'file_not_data');
  });

  it('says a missing file is missing, and does not look outside the roots at all', async () => {
    assert.equal(code(await resolveDataFile('data/nope.csv', access())), 'file_not_found');
    let touched = 0;
    const fs = {
      realpath: async (p: string) => {
        if (!p.startsWith(root)) touched++;
        return p;
      },
      isFile: async () => true,
    };
    assert.equal(
      code(await resolveDataFile('../../../../etc/passwd.csv', access(), fs)),
      'file_outside_allowed',
    );
    assert.equal(touched, 0);
  });
});

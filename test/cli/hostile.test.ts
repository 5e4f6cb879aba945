/** `hedgebook run` against hostile notebooks and file systems (issue 14): files outside the
 *  notebook's folder, and the notebook file on disk. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

describe('hedgebook run: hostile notebooks end with a located error, never an internal one', () => {
  const GOOD = notebookText([
    ['code', 'prices: data/daily.csv'],
    ['code', 'portfolio: p\nholdings: { ETH: 10 }'],
  ]);

  it('accepts a notebook that starts with a UTF-8 byte order mark', () => {
    writeFileSync(join(dir, 'bom.hedgebook'), `\uFEFF${GOOD}`);
    const r = hedgebook(['run', 'bom.hedgebook'], dir);
    assert.equal(r.code, 0, r.stderr);
  });

  it('reports a YAML alias bomb at its first alias (exit 1, not 70)', () => {
    const bomb = [
      'portfolio: p',
      'holdings: { ETH: 10 }',
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    ].join('\n');
    writeFileSync(
      join(dir, 'bomb.hedgebook'),
      notebookText([
        ['code', 'prices: data/daily.csv'],
        ['code', bomb],
      ]),
    );
    const r = hedgebook(['run', 'bomb.hedgebook'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /line 4, column 8: the aliases \(\*name\) in this cell expand/);
    assert.doesNotMatch(r.stderr, /internal error|ReferenceError/);
  });

  it('refuses metadata nested 50,000 arrays deep at its place, in bounded time (exit 2)', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    writeFileSync(
      join(dir, 'deep.hedgebook'),
      `{"format": 1, "metadata": {"x": ${deep}}, "cells": []}`,
    );
    const r = hedgebook(['run', 'deep.hedgebook'], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /line 1, column \d+: this notebook file nests arrays or objects more than 100/,
    );
    assert.doesNotMatch(r.stderr, /internal error|RangeError/);
  });

  it('does not read a pipe named as the notebook', () => {
    const fifo = join(dir, 'fifo.hedgebook');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo: nothing to prove here
    const r = hedgebook(['run', 'fifo.hedgebook'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a regular file/);
  });
});

describe('hedgebook run --in-place on the file system', () => {
  const NB = notebookText([['code', 'prices: data/daily.csv']]);

  it('keeps the permission bits and writes through a link to its target', () => {
    mkdirSync(join(dir, 'kept'), { recursive: true });
    writeFileSync(join(dir, 'kept', 'real.hedgebook'), NB);
    chmodSync(join(dir, 'kept', 'real.hedgebook'), 0o640);
    symlinkSync(join('kept', 'real.hedgebook'), join(dir, 'via-link.hedgebook'));
    const r = hedgebook(['run', 'via-link.hedgebook', '--in-place'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(join(dir, 'via-link.hedgebook')).isSymbolicLink());
    assert.match(readFileSync(join(dir, 'kept', 'real.hedgebook'), 'utf8'), /"outputs"/);
    assert.equal(statSync(join(dir, 'kept', 'real.hedgebook')).mode & 0o777, 0o640);
  });

  it('refuses a read-only notebook before running, and leaves it as it was', () => {
    writeFileSync(join(dir, 'ro.hedgebook'), NB);
    chmodSync(join(dir, 'ro.hedgebook'), 0o444);
    const r = hedgebook(['run', 'ro.hedgebook', '--in-place'], dir);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /ro\.hedgebook was not run: --in-place cannot save into it \(it is read-only\)/,
    );
    assert.equal(readFileSync(join(dir, 'ro.hedgebook'), 'utf8'), NB);
  });

  it('removes the temporary file a killed run left, and says so', () => {
    writeFileSync(join(dir, 'again.hedgebook'), NB);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid; // exited: its pid is free
    const stale = join(dir, `.again.hedgebook.${dead}-0badf00d.hedgebook-tmp`);
    writeFileSync(stale, 'x'.repeat(200_000));
    const r = hedgebook(['run', 'again.hedgebook', '--in-place'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /removed \.again\.hedgebook\.\d+-0badf00d\.hedgebook-tmp \(200\.0 kB\)/);
    assert.equal(existsSync(stale), false);
  });
});

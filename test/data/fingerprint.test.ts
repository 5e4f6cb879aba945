import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  diskFingerprints,
  Fingerprinter,
  fingerprintFile,
  fingerprintOf,
  type FingerprintMemo,
} from '../../src/data/fingerprint';
import { loadFundingFile, loadPricesFile } from '../../src/data/files';
import { fileAccess } from '../../src/data/paths';

const sha = (s: string) => 'sha256:' + createHash('sha256').update(s).digest('hex');
const CSV = 'date,BTC,ETH\n2024-01-01,100,10\n2024-01-02,101,11\n2024-01-03,102,12\n';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'hedgebook-fp-'));
}

describe('file fingerprint', () => {
  it('is the SHA-256 of the bytes and their count', () => {
    assert.deepEqual(fingerprintOf(Buffer.from(CSV)), { hash: sha(CSV), bytes: CSV.length });
  });
  it('hashes CRLF and lone CR line ends as LF, even split across chunks', () => {
    const crlf = CSV.replace(/\n/g, '\r\n');
    const want = fingerprintOf(Buffer.from(CSV));
    assert.deepEqual(fingerprintOf(Buffer.from(crlf)), want);
    assert.deepEqual(fingerprintOf(Buffer.from(CSV.replace(/\n/g, '\r'))), want);
    for (let cut = 0; cut <= crlf.length; cut++) {
      const f = new Fingerprinter();
      f.update(Buffer.from(crlf.slice(0, cut)));
      f.update(Buffer.from(crlf.slice(cut)));
      assert.deepEqual(f.digest(), want, `cut at ${cut}`);
    }
  });
  it('changes when one price changes, or a row is added', () => {
    const a = fingerprintOf(Buffer.from(CSV));
    assert.notEqual(fingerprintOf(Buffer.from(CSV.replace('102', '103'))).hash, a.hash);
    assert.notEqual(fingerprintOf(Buffer.from(CSV + '2024-01-04,1,1\n')).hash, a.hash);
  });
  it('is what the price and funding readers record, by either reader', async () => {
    const dir = folder();
    try {
      writeFileSync(join(dir, 'p.csv'), CSV);
      const want = fingerprintOf(Buffer.from(CSV));
      const fast = await loadPricesFile(join(dir, 'p.csv'));
      assert.ok(fast.ok);
      assert.deepEqual(fast.value.fingerprint, want);
      // A semicolon file goes through the exact reader.
      const semi = CSV.replace(/,/g, ';');
      writeFileSync(join(dir, 's.csv'), semi);
      const exact = await loadPricesFile(join(dir, 's.csv'));
      assert.ok(exact.ok);
      assert.deepEqual(exact.value.fingerprint, fingerprintOf(Buffer.from(semi)));
      const json = '{"BTC": [[1704067200, 1], [1704153600, 2], [1704240000, 3], [1704326400, 4]]}';
      writeFileSync(join(dir, 'j.json'), json);
      const j = await loadPricesFile(join(dir, 'j.json'));
      assert.ok(j.ok);
      assert.deepEqual(j.value.fingerprint, fingerprintOf(Buffer.from(json)));
      const funding = 'timestamp,symbol,funding_rate\n2024-01-01,BTCUSDT,0.0001\n';
      writeFileSync(join(dir, 'f.csv'), funding);
      const f = await loadFundingFile(join(dir, 'f.csv'));
      assert.ok(f.ok);
      assert.deepEqual(f.value.fingerprint, fingerprintOf(Buffer.from(funding)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('streams a file in chunks and refuses one past the size limit, or not a regular file', async () => {
    const dir = folder();
    try {
      const big = CSV.repeat(2000);
      writeFileSync(join(dir, 'p.csv'), big);
      const r = await fingerprintFile(join(dir, 'p.csv'), 'p.csv');
      assert.ok(r.ok);
      assert.equal(r.value.hash, sha(big));
      const small = await fingerprintFile(join(dir, 'p.csv'), 'p.csv', { maxBytes: 1000 });
      assert.equal(!small.ok && small.problems[0]?.code, 'file_too_large');
      execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
      const pipe = await fingerprintFile(join(dir, 'pipe.csv'), 'pipe.csv');
      assert.equal(!pipe.ok && pipe.problems[0]?.code, 'file_not_regular');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('diskFingerprints', () => {
  it('hashes the files under the file rule, gives null for a missing one and leaves refused ones out', async () => {
    const dir = folder();
    const outside = folder();
    try {
      writeFileSync(join(dir, 'p.csv'), CSV);
      writeFileSync(join(outside, 'o.csv'), CSV);
      symlinkSync(join(outside, 'o.csv'), join(dir, 'link.csv'));
      const access = fileAccess({ notebookDir: dir });
      const r = await diskFingerprints(
        ['p.csv', 'gone.csv', 'link.csv', join(outside, 'o.csv')],
        access,
      );
      assert.ok(r.ok);
      assert.deepEqual(r.value.disk.get('p.csv'), fingerprintOf(Buffer.from(CSV)));
      assert.equal(r.value.disk.get('gone.csv'), null);
      assert.equal(r.value.disk.has('link.csv'), false, 'a link out of the folder is not read');
      assert.equal(r.value.disk.has(join(outside, 'o.csv')), false);
      assert.deepEqual(
        r.value.unchecked.map((p) => p.code),
        ['file_outside_allowed', 'file_outside_allowed'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
  it('hashes an unchanged file once with a memo, and again once it changes', async () => {
    const dir = folder();
    try {
      writeFileSync(join(dir, 'p.csv'), CSV);
      const access = fileAccess({ notebookDir: dir });
      const memo: FingerprintMemo = new Map();
      const a = await diskFingerprints(['p.csv'], access, { memo });
      assert.equal(memo.size, 1);
      const b = await diskFingerprints(['p.csv'], access, { memo });
      assert.ok(a.ok && b.ok);
      assert.deepEqual(b.value.disk.get('p.csv'), a.value.disk.get('p.csv'));
      writeFileSync(join(dir, 'p.csv'), CSV + '2024-01-04,103,13\n');
      const c = await diskFingerprints(['p.csv'], access, { memo });
      assert.ok(c.ok);
      assert.equal(c.value.disk.get('p.csv')?.bytes, CSV.length + 18);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('stops when cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    const r = await diskFingerprints(['p.csv'], fileAccess({ notebookDir: tmpdir() }), {
      signal: abort.signal,
    });
    assert.equal(!r.ok && r.problems[0]?.code, 'cancelled');
  });
});

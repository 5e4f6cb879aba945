import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkWritable,
  RefusedWrite,
  removeStaleTemps,
  tempName,
  writeFileAtomic,
  writeTarget,
} from '../../src/cli/write';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hedgebook-write-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const at = (name: string) => join(dir, name);
const mode = (name: string) => statSync(at(name)).mode & 0o7777;
const temps = () => readdirSync(dir).filter((f) => f.endsWith('.hedgebook-tmp'));

describe('writeFileAtomic', () => {
  it("keeps the file's permission bits", async () => {
    writeFileSync(at('private.hedgebook'), 'old');
    chmodSync(at('private.hedgebook'), 0o600);
    await writeFileAtomic(at('private.hedgebook'), 'new');
    assert.equal(readFileSync(at('private.hedgebook'), 'utf8'), 'new');
    assert.equal(mode('private.hedgebook'), 0o600);
    chmodSync(at('private.hedgebook'), 0o754);
    await writeFileAtomic(at('private.hedgebook'), 'newer');
    assert.equal(mode('private.hedgebook'), 0o754);
  });

  it('writes through a symbolic link to its target and leaves the link a link', async () => {
    mkdirSync(at('real'));
    writeFileSync(at('real/nb.hedgebook'), 'old');
    chmodSync(at('real/nb.hedgebook'), 0o640);
    symlinkSync(join('real', 'nb.hedgebook'), at('link.hedgebook'));
    symlinkSync('link.hedgebook', at('link2.hedgebook')); // a chain of two links
    await writeFileAtomic(at('link2.hedgebook'), 'new');
    assert.ok(lstatSync(at('link.hedgebook')).isSymbolicLink());
    assert.ok(lstatSync(at('link2.hedgebook')).isSymbolicLink());
    assert.equal(readlinkSync(at('link.hedgebook')), join('real', 'nb.hedgebook'));
    assert.equal(readFileSync(at('real/nb.hedgebook'), 'utf8'), 'new');
    assert.equal(mode('real/nb.hedgebook'), 0o640);
    assert.deepEqual(readdirSync(at('real')), ['nb.hedgebook']);
    assert.equal(await writeTarget(at('link2.hedgebook')), at('real/nb.hedgebook'));
  });

  it('refuses a read-only file and leaves it untouched, even for root', async () => {
    writeFileSync(at('ro.hedgebook'), 'keep');
    chmodSync(at('ro.hedgebook'), 0o444);
    await assert.rejects(writeFileAtomic(at('ro.hedgebook'), 'x'), RefusedWrite);
    await assert.rejects(checkWritable(at('ro.hedgebook')), /read-only/);
    assert.equal(readFileSync(at('ro.hedgebook'), 'utf8'), 'keep');
    assert.equal(mode('ro.hedgebook'), 0o444);
  });

  it('refuses to replace a folder', async () => {
    mkdirSync(at('folder.hedgebook'));
    await assert.rejects(writeFileAtomic(at('folder.hedgebook'), 'x'), /not a regular file/);
  });

  it('registers its temporary file while writing and leaves none behind', async () => {
    const seen: string[] = [];
    const live = new (class extends Set<string> {
      override add(v: string) {
        seen.push(v);
        return super.add(v);
      }
    })();
    await writeFileAtomic(at('t.hedgebook'), 'text', { temps: live });
    assert.equal(seen.length, 1);
    assert.match(seen[0]!, /\/\.t\.hedgebook\.\d+-[0-9a-f]+\.hedgebook-tmp$/);
    assert.equal(live.size, 0);
    assert.deepEqual(temps(), []);
  });

  it("removes a killed run's stale temporary files on the next write, and says so", async () => {
    const stale = tempName(at('s.hedgebook'), 4_000_000);
    const busy = tempName(at('s.hedgebook'), 4_000_001);
    const other = tempName(at('other.hedgebook'), 4_000_000);
    for (const f of [stale, busy, other]) writeFileSync(f, 'x'.repeat(2_000));
    const notes: string[] = [];
    await writeFileAtomic(at('s.hedgebook'), 'new', {
      note: (t) => notes.push(t),
      alive: (pid) => pid === 4_000_001,
    });
    assert.deepEqual(temps().sort(), [busy, other].map((f) => f.slice(dir.length + 1)).sort());
    assert.equal(notes.length, 1);
    assert.match(
      notes[0]!,
      /^removed \.s\.hedgebook\.4000000-[0-9a-f]+\.hedgebook-tmp \(2\.0 kB\)/,
    );
    await removeStaleTemps(at('other.hedgebook'), { alive: () => false });
    assert.deepEqual(
      temps(),
      [busy.slice(dir.length + 1)],
      'only temporary files of that notebook are removed',
    );
  });
});

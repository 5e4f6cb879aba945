/* The extension's own page and package: what `vsce` packages (its listFiles, the list `vsce ls`
 * prints) holds every file the manifest and the marketplace README point at, and the page is
 * for users: no contributor commands at the top. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const page = readFileSync(join(ROOT, 'MARKETPLACE.md'), 'utf8');
let packaged = new Set<string>();

before(async () => {
  const files = await listFiles({ cwd: ROOT, packageManager: PackageManager.None });
  packaged = new Set(files.map((f) => f.replace(/\\/g, '/')));
});

const strip = (p: string) => p.replace(/^\.\//, '').replace(/#.*$/, '');

describe('the extension package and its page', () => {
  it('is packaged with MARKETPLACE.md as its README', () => {
    assert.match(pkg.scripts.package, /--readme-path MARKETPLACE\.md/);
  });

  it('packages the icon, the grammar, the language configuration and the walkthrough media', () => {
    const wanted = [
      pkg.icon,
      ...pkg.contributes.grammars.map((g: { path: string }) => g.path),
      ...pkg.contributes.languages.flatMap((l: { configuration?: string }) =>
        l.configuration ? [l.configuration] : [],
      ),
      ...pkg.contributes.walkthroughs.flatMap((w: { steps: { media: Record<string, string> }[] }) =>
        w.steps.flatMap((s) => Object.values(s.media)),
      ),
      'samples/data/daily.csv',
      'samples/02-hedge-perpetual.hedgebook',
    ].map(strip);
    const missing = wanted.filter((f) => !packaged.has(f));
    assert.deepEqual(missing, [], `not in the package (see .vscodeignore): ${missing.join(', ')}`);
  });

  it('shows only images and links that are in the package (or on the web)', () => {
    const targets = [...page.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
    assert.ok(targets.length > 0);
    const local = targets.filter((t) => !/^(https?:|mailto:|#)/.test(t)).map(strip);
    const missing = local.filter((f) => !packaged.has(f));
    assert.deepEqual(missing, [], `links and images not packaged: ${missing.join(', ')}`);
  });

  it('starts with what the extension does for a user, not how to build it', () => {
    const top = page.split('\n## ')[0] ?? '';
    assert.doesNotMatch(page, /npm (ci|run|test)|git clone/);
    assert.match(top, /hedge/i);
    assert.match(top, /!\[[^\]]+\]\(docs\/images\/editor-hover\.png\)/);
  });
});

/* What the extension-host test files share: the extension and its kernels, the fixtures, the
 * activated extension's test API, and waiting for the workbench. */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { KernelApi } from '../../../src/vscode/controller';

export const EXTENSION_ID = 'hedgebook.hedgebook';
export const KERNEL = { id: 'hedgebook-kernel', extension: EXTENSION_ID };
export const REPO = process.env.HEDGEBOOK_REPO ?? resolve(__dirname, '..', '..', '..');
export const FIXTURES = join(REPO, 'test', 'integration', 'fixtures');

/** A fresh copy of test/integration/fixtures in a temp folder. */
export function fixtureCopy(prefix = 'hedgebook-it-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

/** The activated extension's test API. */
export async function api(): Promise<KernelApi> {
  const ext = vscode.extensions.getExtension<KernelApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/** Polls `probe` every 100 ms until it gives a value; fails after `ms` saying what it waited for. */
export async function until<T>(
  what: string | (() => string),
  probe: () => T | undefined,
  ms = 60_000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms)
      throw new Error(
        `timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

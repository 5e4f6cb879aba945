/** Shared by the CLI tests: the built bundle (npm test builds before testing; a lone test file
 *  builds it when missing), a spawn helper and temp folders holding a copy of the sample data. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export function ensureBuilt(): void {
  if (existsSync(CLI) && existsSync(join(ROOT, 'dist', 'report-renderer.js'))) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function hedgebook(args: readonly string[], cwd: string): Spawned {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp folder with data/ copied from samples/data (so notebooks there read the samples). */
export function workspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hedgebook-${prefix}-`));
  cpSync(join(ROOT, 'samples', 'data'), join(dir, 'data'), { recursive: true });
  return dir;
}

/** A notebook file's text from cells (markdown or hedge code). */
export function notebookText(cells: readonly (readonly ['markdown' | 'code', string])[]): string {
  return (
    JSON.stringify(
      {
        format: 1,
        metadata: { title: 'Test notebook' },
        cells: cells.map(([kind, text]) => ({
          kind,
          language: kind === 'code' ? 'hedge' : 'markdown',
          source: text.split('\n'),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

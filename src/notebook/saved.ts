/** What a cell's saved outputs say they were computed from: the metadata written with them
 *  (file-format.ts OutputMetadata; the CLI and the editor's kernel both write it from here), and
 *  the hashes in it, for the session to tell whether they are stale. */
import type { CellResult } from '../results';
import { filesReadBy } from './data-files';
import type { OutputMetadata } from './file-format';
import type { CellRun, SavedFingerprint } from './session';
import { HEDGEBOOK_VERSION } from './version';

/** The fingerprint of a cell's saved outputs: the first output's hashes (one cell run writes
 *  the same ones into each), the first data hash among them and the files they were computed
 *  from (data-files.ts); undefined when none has any. */
export function savedFingerprint(
  metadata: readonly (Partial<OutputMetadata> | undefined)[],
): SavedFingerprint | undefined {
  const m = metadata.find((x) => x?.inputsHash !== undefined);
  if (!m) return undefined;
  const data = metadata.find((x) => x?.data?.hash !== undefined)?.data?.hash ?? null;
  const files = filesReadBy(metadata.map((x) => x?.data));
  return {
    inputsHash: m.inputsHash,
    ...(m.sourceHash === undefined ? {} : { sourceHash: m.sourceHash }),
    dataHash: data,
    ...(files.length > 0 ? { files } : {}),
  };
}

/** When, on what data and from what a result was computed (saved with the output). */
export function outputMetadata(
  run: CellRun,
  result: CellResult | undefined,
  computedAt: string,
): OutputMetadata {
  return {
    computedAt,
    durationMs: run.durationMs,
    executionOrder: run.order,
    ...(result?.data ? { data: result.data } : {}),
    sourceHash: run.sourceHash,
    inputsHash: run.inputsHash,
    hedgebookVersion: HEDGEBOOK_VERSION,
  };
}

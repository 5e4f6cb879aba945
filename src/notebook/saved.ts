/** What a cell's saved outputs say they were computed from: the hashes in their metadata
 *  (file-format.ts OutputMetadata), for the session to tell whether they are stale. */
import type { OutputMetadata } from './file-format';
import type { SavedFingerprint } from './session';

/** The fingerprint of a cell's saved outputs: the first output's hashes (one cell run writes
 *  the same ones into each) and the first data hash among them; undefined when none has any. */
export function savedFingerprint(
  metadata: readonly (Partial<OutputMetadata> | undefined)[],
): SavedFingerprint | undefined {
  const m = metadata.find((x) => x?.inputsHash !== undefined);
  if (!m) return undefined;
  const data = metadata.find((x) => x?.data?.hash !== undefined)?.data?.hash ?? null;
  return {
    inputsHash: m.inputsHash,
    ...(m.sourceHash === undefined ? {} : { sourceHash: m.sourceHash }),
    dataHash: data,
  };
}

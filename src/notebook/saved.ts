/** What a cell's saved outputs say they were computed from: the hashes in their metadata
 *  (file-format.ts OutputMetadata), for the session to tell whether they are stale. */
import { filesReadBy } from './data-files';
import type { OutputMetadata } from './file-format';
import type { SavedFingerprint } from './session';

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

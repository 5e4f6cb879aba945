/** What an env (the CLI's, the editor's) hands a `prices` cell: a file or an exchange request
 *  loaded through the session's memory cache, with progress and cancel, problems worded by this
 *  layer, and `where` to place the aligner's findings in the file ("data.csv line 17"). The
 *  envs stay a few lines each. */
import type { Result } from '../engine/result';
import type { DatasetCache } from './dataset-cache';
import {
  loadExchangePrices,
  type ExchangePricesRequest,
  type ExchangeSettings,
} from './exchanges/load';
import { fileLine } from './file-messages';
import type { FileFingerprint } from './fingerprint';
import { loadPricesFile } from './files';
import { worded } from './messages';
import type { Progress } from './progress';

export interface SessionDataset {
  readonly source: string;
  readonly series: readonly {
    readonly asset: string;
    readonly times: readonly number[];
    readonly prices: ArrayLike<number>;
  }[];
  readonly where?: (asset: string, index: number) => string | null;
  readonly reused?: boolean;
  /** The file's fingerprint (fingerprint.ts): saved with the prices cell's output. */
  readonly fingerprint?: FileFingerprint;
}

export interface LoadContext {
  readonly cache: DatasetCache;
  readonly signal: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}

/** A price file at `absPath` (already resolved and allowed by the caller), named `file` as the
 *  cell wrote it. */
export async function loadFileDataset(
  absPath: string,
  file: string,
  ctx: LoadContext,
): Promise<Result<SessionDataset>> {
  const r = worded(
    await loadPricesFile(absPath, {
      displayName: file,
      cache: ctx.cache,
      signal: ctx.signal,
      onProgress: ctx.onProgress,
    }),
  );
  if (!r.ok) return r;
  const v = r.value;
  return {
    ok: true,
    warnings: r.warnings,
    value: {
      source: v.source,
      series: v.series,
      reused: v.reused,
      ...(v.fingerprint ? { fingerprint: v.fingerprint } : {}),
      where: (asset, index) => {
        const line = v.lineOf(asset, index);
        return line === null ? null : fileLine(v.source, line);
      },
    },
  };
}

/** Closes of an exchange request through the disk cache and the session's memory. */
export async function loadExchangeDataset(
  request: ExchangePricesRequest,
  settings: Omit<ExchangeSettings, 'memory' | 'signal' | 'onProgress'>,
  ctx: LoadContext,
): Promise<Result<SessionDataset>> {
  return worded(
    await loadExchangePrices(request, {
      ...settings,
      memory: ctx.cache,
      signal: ctx.signal,
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    }),
  );
}

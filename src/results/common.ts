/** The contract every side shares: what a cell's result looks like once evaluated. The kernel
 *  (src/notebook) makes results, src/outputs turns them into MIME bundles and figures, the
 *  renderer and the reports draw them, the CLI writes them as JSON. zod schemas, so every consumer
 *  safe-parses what it receives (a saved notebook may hold outputs from an older version).
 *  This layer imports nothing but zod. */
import * as z from 'zod';

export const RESULT_MIME = 'application/vnd.hedgebook.result+json';
export const RESULT_VERSION = 1;

/** What data a result was computed on: the record of a hedge decision says so. */
export const Provenance = z.object({
  source: z.string(),
  start: z.string(), // ISO time of the first row used
  end: z.string(), // ISO time of the last row used
  rows: z.number().int().nonnegative(),
  /** 'sha256:…' of the price rows used (times and prices of every asset, src/notebook/digest.ts
   *  dataHash): the same file content gives the same hash; absent in outputs saved before it. */
  hash: z.string().optional(),
  /** The file as read, for a prices or funding cell that read one: 'sha256:…' of its bytes and
   *  its size (src/data/fingerprint.ts). On open the file on disk is hashed again; a mismatch
   *  marks the cell and what depends on it stale. Absent for exchange data and in outputs
   *  saved before it (then a change of the file is not noticed on open). */
  file: z.object({ hash: z.string(), bytes: z.number().int().nonnegative() }).strict().optional(),
});
export type Provenance = z.infer<typeof Provenance>;

export const Warning = z.object({ code: z.string(), message: z.string() });

/** Fields every result has. */
export const base = {
  version: z.literal(RESULT_VERSION),
  /** The name the cell declared (portfolio core, instrument BTCUSDT-PERP, ...) or its subject. */
  name: z.string(),
  warnings: z.array(Warning).default([]),
  data: Provenance.optional(),
};

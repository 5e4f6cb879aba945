/** Content hashes that make a saved output checkable: of a cell's source, of the data a result was
 *  computed on, and of everything a cell's result follows from (its inputs). Pure (no I/O);
 *  SHA-256, written as 'sha256:' + 64 hex digits so the algorithm is part of the record.
 *
 *  - sourceHash(text): the cell's text, line ends normalised to '\n' (an editor on Windows and
 *    the CLI hash the same cell alike).
 *  - dataHash(aligned, from, to): the aligned price rows [from, to) a result used: the asset
 *    names in sorted order, then per row the time (epoch ms) and every asset's price, as little-endian float64.
 *    It names the numbers, not the file: reformatting a CSV, reordering its columns or editing
 *    rows outside the range used leaves it unchanged; any price or time used that changes, or a
 *    row added or removed inside the range, changes it.
 *  - inputsHash(source, upstream): the cell's source hash and, per upstream declaration the cell
 *    refers to (sorted by key), that cell's own inputs hash and data hash. Changing a cell, a
 *    cell it depends on (directly or not) or the data an upstream cell loaded changes it. */
import { createHash } from 'node:crypto';
import type { AlignedPrices } from '../engine/series';

const PREFIX = 'sha256:';

const sha256 = (text: string): string =>
  PREFIX + createHash('sha256').update(text, 'utf8').digest('hex');

export function sourceHash(text: string): string {
  return sha256(text.replace(/\r\n?/g, '\n'));
}

/** O(rows × assets). `to` defaults to the number of rows. */
export function dataHash(aligned: AlignedPrices, from = 0, to = aligned.times.length): string {
  const h = createHash('sha256');
  const assets = [...aligned.assets].sort();
  h.update(JSON.stringify(assets), 'utf8');
  const lo = Math.max(0, from);
  const hi = Math.min(to, aligned.times.length);
  const row = Buffer.alloc(8 * (1 + assets.length));
  const columns = assets.map((a) => aligned.prices[a] ?? []);
  for (let i = lo; i < hi; i++) {
    row.writeDoubleLE(aligned.times[i] ?? NaN, 0);
    columns.forEach((c, j) => row.writeDoubleLE(c[i] ?? NaN, 8 * (j + 1)));
    h.update(row);
  }
  return PREFIX + h.digest('hex');
}

export interface UpstreamInput {
  /** The declaration referred to: 'prices daily', 'portfolio core', 'settings'. */
  readonly key: string;
  readonly inputs: string;
  readonly data: string | null;
}

export function inputsHash(source: string, upstream: readonly UpstreamInput[]): string {
  const parts = [...upstream]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((u) => [u.key, u.inputs, u.data]);
  return sha256(JSON.stringify([source, parts]));
}

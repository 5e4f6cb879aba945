/** Order of the rows of a correlation matrix that puts assets moving together next to each
 *  other (a heatmap in this order shows blocks instead of noise).
 *
 *  Agglomerative clustering with average linkage on the distance d(i, j) = 1 − ρ(i, j): start
 *  with every asset alone, repeatedly merge the two clusters whose mean pairwise distance is
 *  smallest (ties: the pair with the smaller first index), and read the leaves of the tree left
 *  to right. Within a merge, the cluster holding the smaller original index goes first, so the
 *  order is deterministic. O(k³) for k assets (k is at most a chart's worth of assets).
 *  @example clusterOrder([[1, 0, 0.9], [0, 1, 0], [0.9, 0, 1]]) // => [0, 2, 1] */
export function clusterOrder(matrix: readonly (readonly number[])[]): number[] {
  const k = matrix.length;
  if (k <= 2) return Array.from({ length: k }, (_, i) => i);
  const d = (i: number, j: number) => 1 - (matrix[i]?.[j] ?? 0);
  let clusters = Array.from({ length: k }, (_, i) => [i]);
  // dist[a][b]: mean pairwise distance between clusters a and b (kept up to date on merges).
  let dist = clusters.map((a) => clusters.map((b) => d(a[0]!, b[0]!)));
  while (clusters.length > 1) {
    let ba = 0;
    let bb = 1;
    for (let a = 0; a < clusters.length; a++)
      for (let b = a + 1; b < clusters.length; b++)
        if (dist[a]![b]! < dist[ba]![bb]!) {
          ba = a;
          bb = b;
        }
    const [A, B] = [clusters[ba]!, clusters[bb]!];
    const merged = Math.min(...A) <= Math.min(...B) ? [...A, ...B] : [...B, ...A];
    // Average linkage: the merged cluster's distance to c is the size-weighted mean.
    const toMerged = clusters.map(
      (_, c) => (A.length * dist[ba]![c]! + B.length * dist[bb]![c]!) / (A.length + B.length),
    );
    const keep = clusters.map((_, c) => c).filter((c) => c !== ba && c !== bb);
    clusters = [...keep.map((c) => clusters[c]!), merged];
    dist = [
      ...keep.map((r) => [...keep.map((c) => dist[r]![c]!), toMerged[r]!]),
      [...keep.map((c) => toMerged[c]!), 0],
    ];
  }
  return clusters[0]!;
}

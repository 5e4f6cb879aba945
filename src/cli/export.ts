/** Exports of a notebook as it is saved (outputs included, nothing run): the HTML report and the
 *  Jupyter notebook. The same code serves `hedgebook export` and the editor's export commands
 *  (src/vscode/export.ts hands over the open notebook as a NotebookFile). Stale outputs (their
 *  saved hashes no longer match the cells, session.ts staleCells; or a data file they were
 *  computed from is no longer the one on disk, when the caller hashed the files: `disk`,
 *  data-files.ts) are marked in the report and in the .ipynb's output metadata. Pure, but for
 *  the hashing in src/notebook/digest.ts. */
import { changedFilesWords, type DiskFiles } from '../notebook/data-files';
import type { NotebookFile } from '../notebook/file-format';
import { Session, type StaleReason } from '../notebook/session';
import { HEDGEBOOK_VERSION } from '../notebook/version';
import { ipynbText, type IpynbCell } from '../outputs/ipynb';
import { renderReportHtml, type ReportCell } from '../outputs/report';
import { cellId, notebookCells, titleOf } from './runner';

export const STALE_WORDS: Record<Exclude<StaleReason, 'data'>, string> = {
  edited: 'this cell was edited after these outputs were computed; run it to update them.',
  upstream:
    'a cell it depends on, or the data one loaded, changed after these outputs were computed; run it to update them.',
};

function sessionOf(notebook: NotebookFile, disk?: DiskFiles): Session {
  // The session only compares hashes here: nothing is loaded or run.
  const session = new Session({
    loadPrices: () => Promise.reject(new Error('export runs nothing')),
  });
  session.update(notebookCells(notebook));
  if (disk) session.setDiskFiles(disk);
  return session;
}

/** The data files the saved outputs were computed from (as the cells wrote them): what to hash
 *  for `disk` (src/data/fingerprint.ts diskFingerprints). */
export function savedDataFiles(notebook: NotebookFile): string[] {
  return sessionOf(notebook).dataFiles();
}

/** Why each hedge cell's saved outputs are stale, in words, by 0-based cell index. `disk`: what
 *  is on disk now for savedDataFiles (without it, data files are not checked). */
export function staleCells(notebook: NotebookFile, disk?: DiskFiles): Map<number, string> {
  const session = sessionOf(notebook, disk);
  const out = new Map<number, string>();
  for (const s of session.staleCells()) {
    const index = notebook.cells.findIndex((_, i) => cellId(i) === s.id);
    if (index < 0) continue;
    out.set(
      index,
      s.reason === 'data' ? changedFilesWords(session.staleFiles(s.id)) : STALE_WORDS[s.reason],
    );
  }
  return out;
}

/** The report's cells from the saved outputs: each code cell's items, when they were computed
 *  and, when stale, why. */
export function savedReportCells(notebook: NotebookFile, disk?: DiskFiles): ReportCell[] {
  const stale = staleCells(notebook, disk);
  return notebook.cells.map((c, i): ReportCell => {
    if (c.kind === 'markdown') return { kind: 'markdown', text: c.source };
    const outputs = c.outputs ?? [];
    const meta = outputs.find((o) => o.metadata !== undefined)?.metadata;
    const reason = stale.get(i);
    return {
      kind: 'code',
      source: c.source,
      items: outputs.flatMap((o) => o.items),
      ...(c.language === 'hedge' ? {} : { language: c.language }),
      meta: {
        ...(meta
          ? {
              computedAt: meta.computedAt,
              durationMs: meta.durationMs,
              ...(meta.executionOrder === undefined ? {} : { executionOrder: meta.executionOrder }),
            }
          : {}),
        stale: reason ?? null,
      },
    };
  });
}

/** The latest time any saved output was computed (ISO), if any. */
export function savedAt(notebook: NotebookFile): string | undefined {
  let latest: string | undefined;
  for (const c of notebook.cells)
    for (const o of c.outputs ?? []) {
      const t = o.metadata?.computedAt;
      if (t !== undefined && (latest === undefined || t > latest)) latest = t;
    }
  return latest;
}

export interface ExportOptions {
  /** The notebook's file name as the user knows it (shown in the report, kept in the .ipynb). */
  readonly file: string;
  readonly version?: string;
  /** What is on disk now for the data files (savedDataFiles), to mark outputs computed from a
   *  file that changed since; without it, data files are not checked. */
  readonly disk?: DiskFiles;
}

export function exportReportHtml(
  notebook: NotebookFile,
  opts: ExportOptions & { rendererJs: string; sha256Base64: (text: string) => string },
): string {
  const ranAt = savedAt(notebook);
  return renderReportHtml({
    title: titleOf(notebook, opts.file),
    cells: savedReportCells(notebook, opts.disk),
    rendererJs: opts.rendererJs,
    sha256Base64: opts.sha256Base64,
    notebook: opts.file,
    ...(ranAt === undefined ? {} : { ranAt }),
    generator: `Hedgebook ${opts.version ?? HEDGEBOOK_VERSION}`,
    outputs: 'saved',
  });
}

export function exportIpynb(notebook: NotebookFile, opts: ExportOptions): string {
  const stale = staleCells(notebook, opts.disk);
  const cells = notebook.cells.map((c, i): IpynbCell => {
    if (c.kind === 'markdown') return { kind: 'markdown', source: c.source };
    const reason = stale.get(i);
    const outputs = (c.outputs ?? []).map((o) => ({
      items: o.items,
      metadata:
        o.metadata === undefined && reason === undefined
          ? undefined
          : { ...(o.metadata ?? {}), ...(reason ? { stale: reason } : {}) },
    }));
    const order = c.outputs?.find((o) => o.metadata?.executionOrder !== undefined)?.metadata
      ?.executionOrder;
    return { kind: 'code', source: c.source, language: c.language, executionOrder: order, outputs };
  });
  return ipynbText({
    title: titleOf(notebook, opts.file),
    cells,
    hedgebook: { exportedFrom: opts.file, version: opts.version ?? HEDGEBOOK_VERSION },
  });
}

/** `hedgebook check`: do a notebook's saved outputs still follow from its cells and its data?
 *  Pure: compares the outputs saved in the file with a fresh run of it (runner.ts) and says, per
 *  hedge cell, what changed: numbers beyond the tolerance, text, the data (by its content hash),
 *  a cell that now fails or has no saved outputs. Nothing is written.
 *
 *  Two numbers agree when |a − b| ≤ tolerance × max(1, |a|, |b|): relative above 1, absolute
 *  below (so a beta of 1.2 and an alpha of 1e-17 are judged alike). Times of computation,
 *  durations and execution order are not compared. */
import { CellResult, RESULT_MIME } from '../results';
import { resultTitle } from '../outputs/tables';
import { HEDGEBOOK_VERSION } from '../notebook/version';
import type { CellOutput } from '../notebook/file-format';
import type { NotebookRun } from './runner';

export const DEFAULT_TOLERANCE = 1e-9;
/** Changes listed per cell before "and N more". */
const SHOWN_CHANGES = 12;

export interface Change {
  /** Where in the result: 'betas[ETH].beta', 'ticket.contracts'. */
  readonly path: string;
  readonly saved: string;
  readonly now: string;
}

export interface CellCheck {
  /** 1-based position in the notebook. */
  readonly cell: number;
  /** What the cell computes: 'betas core', or its first line. */
  readonly title: string;
  readonly status: 'current' | 'changed' | 'fails' | 'unsaved';
  /** Said in words: the data changed, the cell was edited, another Hedgebook saved it. */
  readonly notes: string[];
  readonly changes: Change[];
}

export interface CheckReport {
  readonly file: string;
  readonly tolerance: number;
  readonly ok: boolean;
  readonly cells: CellCheck[];
}

const fmt = (v: unknown): string =>
  typeof v === 'number'
    ? String(v)
    : typeof v === 'string'
      ? JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
      : v === undefined
        ? '(none)'
        : JSON.stringify(v);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An array element's label: its asset, name, label or id when it has one, else its index. */
function elementKey(v: unknown, i: number): string {
  if (isRecord(v))
    for (const k of ['asset', 'name', 'label', 'id', 'scenario'])
      if (typeof v[k] === 'string') return `[${v[k] as string}]`;
  return `[${i}]`;
}

export function numbersAgree(a: number, b: number, tolerance: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Every difference between two JSON values, numbers within the tolerance agreeing. */
export function diffValues(saved: unknown, now: unknown, tolerance: number, path = ''): Change[] {
  if (typeof saved === 'number' && typeof now === 'number')
    return numbersAgree(saved, now, tolerance) ? [] : [{ path, saved: fmt(saved), now: fmt(now) }];
  if (Array.isArray(saved) && Array.isArray(now)) {
    const out: Change[] = [];
    const keys = saved.map(elementKey);
    const nowKeys = now.map(elementKey);
    const byKey = keys.every((k, i) => k !== `[${i}]`) && new Set(keys).size === keys.length;
    if (byKey) {
      // Match elements by their label, so one asset added does not shift every row.
      for (const [i, k] of keys.entries()) {
        const j = nowKeys.indexOf(k);
        if (j < 0) out.push({ path: path + k, saved: 'present', now: '(gone)' });
        else out.push(...diffValues(saved[i], now[j], tolerance, path + k));
      }
      for (const k of nowKeys)
        if (!keys.includes(k)) out.push({ path: path + k, saved: '(none)', now: 'present' });
      return out;
    }
    if (saved.length !== now.length)
      out.push({ path: `${path}.length`, saved: String(saved.length), now: String(now.length) });
    const n = Math.min(saved.length, now.length);
    for (let i = 0; i < n; i++)
      out.push(...diffValues(saved[i], now[i], tolerance, `${path}[${i}]`));
    return out;
  }
  if (isRecord(saved) && isRecord(now)) {
    const out: Change[] = [];
    for (const k of new Set([...Object.keys(saved), ...Object.keys(now)])) {
      out.push(...diffValues(saved[k], now[k], tolerance, path === '' ? k : `${path}.${k}`));
    }
    return out;
  }
  return saved === now || JSON.stringify(saved) === JSON.stringify(now)
    ? []
    : [{ path, saved: fmt(saved), now: fmt(now) }];
}

function savedResults(outputs: readonly CellOutput[]): { results: CellResult[]; damaged: number } {
  let damaged = 0;
  const results: CellResult[] = [];
  for (const o of outputs)
    for (const i of o.items) {
      if (i.mime !== RESULT_MIME) continue;
      try {
        const r = CellResult.safeParse(JSON.parse(i.data));
        if (r.success) results.push(r.data);
        else damaged++;
      } catch {
        damaged++;
      }
    }
  return { results, damaged };
}

function dataWords(d: NonNullable<CellResult['data']>): string {
  return `${d.start.slice(0, 10)} to ${d.end.slice(0, 10)}, ${d.rows} row${d.rows === 1 ? '' : 's'}`;
}

/** Without the provenance's content hash (compared on its own, in words) and the file's
 *  fingerprint (a file rewritten with the same numbers gives the same results). */
function withoutHash(r: CellResult): unknown {
  if (!r.data) return r;
  const { hash: _hash, file: _file, ...data } = r.data;
  return { ...r, data };
}

/** Compares each hedge cell's saved outputs (as read from the file) with the run's results. */
export function checkRun(run: NotebookRun, tolerance: number = DEFAULT_TOLERANCE): CheckReport {
  const cells: CellCheck[] = [];
  for (const c of run.cells) {
    if (c.kind !== 'code' || c.run === null) continue;
    const fileCell = run.notebook.cells[c.index];
    const outputs = fileCell?.outputs ?? [];
    const r = c.run;
    const firstLine = c.source.split('\n').find((l) => l.trim() !== '') ?? '';
    const title =
      r.results.length > 0
        ? r.results.map(resultTitle).join(', ')
        : r.declares.length > 0
          ? r.declares.join(', ')
          : firstLine.trim().slice(0, 40);
    const notes: string[] = [];
    const meta = outputs.find((o) => o.metadata !== undefined)?.metadata;
    if (meta?.hedgebookVersion !== undefined && meta.hedgebookVersion !== HEDGEBOOK_VERSION)
      notes.push(`saved by Hedgebook ${meta.hedgebookVersion}; checked with ${HEDGEBOOK_VERSION}`);
    if (r.status !== 'ok') {
      const why =
        r.status === 'cancelled'
          ? 'the run was cancelled'
          : r.problems
              .slice(0, 3)
              .map(
                (p) =>
                  `line ${p.range.startLine + 1}, column ${p.range.startColumn + 1}: ${p.message}`,
              )
              .join('; ');
      cells.push({
        cell: c.index + 1,
        title,
        status: 'fails',
        notes: [`now fails: ${why}`, ...notes],
        changes: [],
      });
      continue;
    }
    if (outputs.length === 0) {
      if (r.results.length === 0) continue; // an empty cell: nothing to record
      cells.push({
        cell: c.index + 1,
        title,
        status: 'unsaved',
        notes: ['no saved outputs: run the notebook and save it (hedgebook run FILE --in-place)'],
        changes: [],
      });
      continue;
    }
    const saved = savedResults(outputs);
    if (meta?.sourceHash !== undefined && meta.sourceHash !== r.sourceHash)
      notes.push('the cell was edited after its outputs were saved');
    if (saved.damaged > 0) notes.push(`${saved.damaged} saved result(s) cannot be read`);
    const changes: Change[] = [];
    if (saved.results.length === 0 && saved.damaged === 0)
      notes.push('the saved outputs show an error or no results; the cell now runs clean');
    else if (saved.results.length !== r.results.length)
      changes.push({
        path: 'results',
        saved: String(saved.results.length),
        now: String(r.results.length),
      });
    r.results.forEach((now, i) => {
      const was = saved.results[i];
      if (!was) return;
      const prefix = r.results.length > 1 ? `${i + 1}:` : '';
      const d0 = was.data;
      const d1 = now.data;
      if (d0?.hash !== undefined && d1?.hash !== undefined && d0.hash !== d1.hash)
        notes.push(
          `the data changed: ${d1.source} now ${dataWords(d1)}, content ${d1.hash.slice(0, 19)}… ` +
            `(saved: ${dataWords(d0)}, content ${d0.hash.slice(0, 19)}…)`,
        );
      else if (d0 !== undefined && d0.hash === undefined && d1?.hash !== undefined)
        notes.push('the saved outputs carry no data hash (an older Hedgebook): numbers compared');
      for (const ch of diffValues(withoutHash(was), withoutHash(now), tolerance))
        changes.push({ ...ch, path: prefix + ch.path });
    });
    const changed =
      changes.length > 0 ||
      saved.damaged > 0 ||
      (saved.results.length === 0 && r.results.length > 0) ||
      notes.some((n) => n.startsWith('the data changed'));
    cells.push({
      cell: c.index + 1,
      title,
      status: changed ? 'changed' : 'current',
      notes,
      changes,
    });
  }
  return {
    file: run.file,
    tolerance,
    ok: cells.every((c) => c.status === 'current'),
    cells,
  };
}

/** The report as text: a block per cell that does not match (its notes, then its changes as
 *  'path  saved → now'), then one line for the notebook. `verbose` lists current cells too. */
export function checkText(report: CheckReport, opts: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  for (const c of report.cells) {
    if (c.status === 'current' && !opts.verbose && c.notes.length === 0) continue;
    const word =
      c.status === 'current'
        ? 'current'
        : c.status === 'changed'
          ? 'changed'
          : c.status === 'fails'
            ? 'fails'
            : 'not saved';
    out.push(`[cell ${c.cell}] ${c.title}: ${word}`);
    for (const n of c.notes) out.push(`    ${n}`);
    const width = Math.min(
      48,
      Math.max(0, ...c.changes.slice(0, SHOWN_CHANGES).map((x) => x.path.length)),
    );
    for (const ch of c.changes.slice(0, SHOWN_CHANGES))
      out.push(`    ${ch.path.padEnd(width)}  ${ch.saved} → ${ch.now}`);
    if (c.changes.length > SHOWN_CHANGES)
      out.push(`    ... and ${c.changes.length - SHOWN_CHANGES} more`);
  }
  const bad = report.cells.filter((c) => c.status !== 'current').length;
  out.push(
    report.ok
      ? `${report.file}: saved outputs are current (${report.cells.length} hedge cell${report.cells.length === 1 ? '' : 's'} checked, tolerance ${report.tolerance})`
      : `${report.file}: ${bad} of ${report.cells.length} hedge cells no longer match their saved outputs (tolerance ${report.tolerance})`,
  );
  return out.join('\n') + '\n';
}

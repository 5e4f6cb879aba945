/** A notebook session (the kernel's state, without vscode): which cell declares each name, what
 *  each declaration evaluated to, which results are stale. Reactive like marimo: running a cell
 *  first runs its stale (or never run) upstream declarations; editing a declaration marks every
 *  cell that depends on it, directly or not, stale. An error in one cell never breaks the
 *  session: it is that cell's result, and the cells that need it say so.
 *
 *  Execution order: one counter per session, incremented for every cell that runs (upstream
 *  cells run on the way included), as Jupyter's [n]. Cells cancelled before they started get
 *  order 0 and duration 0. */
import { describeProblem } from './messages';
import { capProblems, validateCell, type CheckedCell } from './check';
import {
  Cancelled,
  DEFAULT_SETTINGS_VALUE,
  evaluateCell,
  type DeclaredValue,
  type EvalContext,
  type FundingValue,
  type InstrumentValue,
  type PositionValue,
  type PortfolioValue,
  type PricesValue,
  type SessionEnv,
  type SettingsValue,
} from './evaluate';
import { MAX_CELLS } from './limits';
import { OffsetMap, type LocatedProblem } from './location';
import {
  declarationKey,
  declarationsOf,
  nameTable,
  referencesOf,
  type NameTable,
  type Reference,
} from './names';
import { parseCell } from './parse';
import { inputsHash, sourceHash } from './digest';
import {
  changedFiles,
  filesReadBy,
  type ChangedFile,
  type DiskFiles,
  type FileRead,
} from './data-files';
import type { CellResult } from '../results';

export type { SessionEnv } from './evaluate';
export type { LocatedProblem, Range } from './location';

export interface NotebookCell {
  id: string;
  kind: 'code' | 'markdown';
  text: string;
  /** What the cell's saved outputs (in the file) were computed from, when they say so. */
  saved?: SavedFingerprint;
}

/** The hashes a saved output carries (file-format.ts OutputMetadata, digest.ts). */
export interface SavedFingerprint {
  readonly sourceHash?: string;
  readonly inputsHash?: string;
  /** The content hash of the data its results used (their provenance), if any. */
  readonly dataHash?: string | null;
  /** The files its results were computed from, as read then (data-files.ts). */
  readonly files?: readonly FileRead[];
}

/** Why a cell's shown outputs no longer follow from it: its own text changed; a data file it or
 *  a cell upstream read changed on disk since (`data`: staleFiles says which); or something
 *  else it depends on did (an upstream cell's text, or the data an upstream cell loaded). */
export type StaleReason = 'edited' | 'data' | 'upstream';

export interface CellRun {
  id: string;
  status: 'ok' | 'error' | 'cancelled';
  results: CellResult[];
  problems: LocatedProblem[];
  durationMs: number;
  /** Execution order ([n]); 0 for a cell cancelled before it started. */
  order: number;
  /** What the cell declares: 'prices daily', 'settings', 'portfolio core', 'instrument X', 'pair p'. */
  declares: string[];
  /** digest.ts: the cell's text, and everything its results follow from, when it ran. */
  sourceHash: string;
  inputsHash: string;
}

interface CellState {
  readonly id: string;
  readonly kind: 'code' | 'markdown';
  readonly text: string;
  number: number;
  readonly checked: CheckedCell | null;
  /** The cell's declared value after its last successful run. */
  value: DeclaredValue | null;
  lastRun: CellRun | null;
  /** Ran since its text and everything upstream last changed. */
  fresh: boolean;
  /** When its last run failed because a cell upstream failed: the first cell that failed on its
   *  own (the root cause), so a chain of failures names the cell to fix, not every link. */
  cause?: Cause | null;
  /** What the outputs saved in the file were computed from (null: none saved, or no hashes). */
  saved: SavedFingerprint | null;
}

/** A cell that failed on its own: what it declares and its position (1-based, markdown too). */
interface Cause {
  kind: string;
  name: string;
  cell: number;
}

const now = () => performance.now();

/** What a cell depends on: declaration keys it names, and kinds it refers to by default ("the"
 *  price data, the settings), which depend on every declaration of that kind. */
function dependenciesOf(state: CellState): { keys: string[]; kinds: string[] } {
  const spec = state.checked?.spec;
  if (!spec) return { keys: [], kinds: [] };
  const keys: string[] = [];
  const kinds: string[] = [];
  for (const r of referencesOf(spec)) {
    if (r.name !== null) keys.push(declarationKey({ kind: r.kind, name: r.name }));
    else kinds.push(r.kind);
  }
  return { keys, kinds };
}

/** The kind of a declaration key: 'portfolio core' -> 'portfolio', 'settings' -> 'settings'. */
const kindOfKey = (key: string): string => key.split(' ', 1)[0] ?? key;

function declaredKeys(state: CellState | undefined): string[] {
  const spec = state?.checked?.spec;
  return spec ? declarationsOf(spec).map(declarationKey) : [];
}

export class Session {
  private cells: CellState[] = [];
  private byId = new Map<string, CellState>();
  private table: NameTable = nameTable([]);
  private order = 0;
  /** Inputs hash per cell id, computed when asked and dropped on any change. */
  private hashes: Map<string, string> | null = null;
  /** Cells by the declaration key, and by the kind, they depend on (indexDependents). */
  private dependents: {
    byKey: ReadonlyMap<string, CellState[]>;
    byKind: ReadonlyMap<string, CellState[]>;
  } = { byKey: new Map(), byKind: new Map() };
  /** The cells of a notebook over MAX_CELLS (then nothing runs), else null. */
  private tooMany: readonly NotebookCell[] | null = null;
  /** What is on disk now for the data files outputs were computed from (setDiskFiles). */
  private disk: DiskFiles = new Map();
  /** Changed data files per cell id, its own and upstream ones; dropped on any change. */
  private changed: Map<string, readonly ChangedFile[]> | null = null;

  constructor(private readonly env: SessionEnv) {}

  /** Takes the notebook's current cells. Cells whose text changed (and cells removed) invalidate
   *  what they declare(d); every cell depending on those names, transitively, becomes stale. */
  update(cells: readonly NotebookCell[]): void {
    if (cells.length > MAX_CELLS) {
      // Past the limit nothing is parsed: every run says why (tooMany), in bounded time.
      this.tooMany = cells;
      this.cells = [];
      this.byId = new Map();
      this.table = nameTable([]);
      this.hashes = null;
      this.dependents = { byKey: new Map(), byKind: new Map() };
      return;
    }
    this.tooMany = null;
    const changedKeys = new Set<string>();
    const next: CellState[] = [];
    const seen = new Set<string>();
    cells.forEach((c, i) => {
      seen.add(c.id);
      const old = this.byId.get(c.id);
      if (old && old.text === c.text && old.kind === c.kind) {
        // The same object, not a copy: a run in progress writes its outcome (value, lastRun)
        // into it, and the editor updates the session while cells run (staleness in the
        // status bar); a copy would drop the value a running cell is about to declare.
        old.number = i + 1;
        old.saved = c.saved ?? null;
        next.push(old);
        return;
      }
      const checked = c.kind === 'code' ? validateCell(parseCell(c.text)) : null;
      const state: CellState = {
        id: c.id,
        kind: c.kind,
        text: c.text,
        number: i + 1,
        checked,
        value: null,
        lastRun: old?.lastRun ?? null,
        fresh: false,
        saved: c.saved ?? null,
      };
      for (const k of [...declaredKeys(old), ...declaredKeys(state)]) changedKeys.add(k);
      next.push(state);
    });
    for (const old of this.cells) {
      if (!seen.has(old.id)) for (const k of declaredKeys(old)) changedKeys.add(k);
    }
    const beforeKeys = new Set(this.table.declared.keys());
    this.cells = next;
    this.byId = new Map(next.map((s) => [s.id, s]));
    this.table = nameTable(
      next.flatMap((s) => (s.checked ? [{ id: s.id, number: s.number, checked: s.checked }] : [])),
    );
    // A name that appears or disappears changes how default references resolve.
    for (const k of this.table.declared.keys()) if (!beforeKeys.has(k)) changedKeys.add(k);
    for (const k of beforeKeys) if (!this.table.declared.has(k)) changedKeys.add(k);
    this.indexDependents();
    this.invalidate(changedKeys);
    this.hashes = null;
    this.changed = null;
  }

  /** The data files the shown outputs were computed from (`file` as the cells wrote it), each
   *  once, in notebook order: what the editor or the export hashes to call setDiskFiles. */
  dataFiles(): string[] {
    const out = new Set<string>();
    for (const s of this.cells) for (const f of shownFiles(s)) out.add(f.source);
    return [...out];
  }

  /** What is on disk now for the data files (dataFiles), as hashed by the caller. A cell whose
   *  shown outputs were computed from a file that changed, and every cell depending on it, is
   *  stale (`data`); a run of one of them first runs again the cells that read the file. */
  setDiskFiles(disk: DiskFiles): void {
    this.disk = disk;
    this.changed = null;
  }

  /** The changed data files behind a cell's stale mark: read by the cell itself or by a cell
   *  upstream ([] when none changed, or no such cell). */
  staleFiles(id: string): readonly ChangedFile[] {
    const s = this.byId.get(id);
    return s === undefined ? [] : this.changedFilesOf(s);
  }

  private changedFilesOf(s: CellState, stack: readonly string[] = []): readonly ChangedFile[] {
    if (this.disk.size === 0) return [];
    this.changed ??= new Map();
    const known = this.changed.get(s.id);
    if (known !== undefined) return known;
    const out = [...changedFiles(shownFiles(s), this.disk)];
    if (!stack.includes(s.id))
      for (const up of this.upstream(s))
        for (const f of this.changedFilesOf(up, [...stack, s.id]))
          if (!out.some((o) => o.source === f.source)) out.push(f);
    this.changed.set(s.id, out);
    return out;
  }

  /** Who depends on what, from the cells' specs: rebuilt by update() only (a run does not change
   *  it), so invalidating after each run costs what it reaches, not the whole notebook. */
  private indexDependents(): void {
    const byKey = new Map<string, CellState[]>();
    const byKind = new Map<string, CellState[]>();
    const push = (map: Map<string, CellState[]>, k: string, s: CellState) => {
      const list = map.get(k);
      if (list) list.push(s);
      else map.set(k, [s]);
    };
    for (const s of this.cells) {
      const deps = dependenciesOf(s);
      for (const k of deps.keys) push(byKey, k, s);
      for (const k of deps.kinds) push(byKind, k, s);
    }
    this.dependents = { byKey, byKind };
  }

  /** Marks every cell depending on `keys`, directly or through what it declares, stale. Each
   *  cell and each key is visited once: O(keys and cells reached). */
  private invalidate(keys: Set<string>): void {
    const { byKey, byKind } = this.dependents;
    const queue = [...keys];
    const done = new Set<string>();
    const reached = new Set<CellState>();
    while (queue.length > 0) {
      const key = queue.pop() as string;
      if (done.has(key)) continue;
      done.add(key);
      for (const list of [byKey.get(key), byKind.get(kindOfKey(key))]) {
        for (const s of list ?? []) {
          if (reached.has(s)) continue;
          reached.add(s);
          s.fresh = false;
          s.value = null;
          for (const k of declaredKeys(s)) queue.push(k);
        }
      }
    }
  }

  /** Ids of cells whose shown results no longer match their inputs, in notebook order. */
  staleIds(): string[] {
    return this.staleCells().map((c) => c.id);
  }

  /** Cells whose shown outputs no longer follow from their inputs, in notebook order, and why:
   *  cells that ran in this session and then changed (or something upstream did, its data
   *  included), and cells never run here whose saved outputs' hashes no longer match. */
  staleCells(): { id: string; reason: StaleReason }[] {
    const out: { id: string; reason: StaleReason }[] = [];
    for (const s of this.cells) {
      const reason = this.reasonOf(s);
      if (reason !== null) out.push({ id: s.id, reason });
    }
    return out;
  }

  /** Whether one cell's shown result is stale (as staleCells, for one cell: a status bar asks
   *  this per cell, so it must not walk the notebook each time). */
  isStale(id: string): boolean {
    return this.staleReason(id) !== null;
  }

  /** Why a cell's shown outputs are stale (null: current, or no such cell). */
  staleReason(id: string): StaleReason | null {
    const s = this.byId.get(id);
    return s === undefined ? null : this.reasonOf(s);
  }

  private reasonOf(s: CellState): StaleReason | null {
    if (s.kind !== 'code') return null;
    const byInputs = this.inputsReason(s);
    if (byInputs === 'edited') return byInputs;
    return this.changedFilesOf(s).length > 0 ? 'data' : byInputs;
  }

  private inputsReason(s: CellState): StaleReason | null {
    const shown = s.lastRun ?? s.saved;
    if (!shown?.inputsHash) return s.lastRun !== null && !s.fresh ? 'upstream' : null;
    const fresh = s.lastRun === null || s.fresh;
    if (fresh && shown.inputsHash === this.inputsHash(s)) return null;
    return shown.sourceHash !== undefined && shown.sourceHash !== sourceHash(s.text)
      ? 'edited'
      : 'upstream';
  }

  /** The inputs hash of a cell as it stands (digest.ts): its text, and per upstream cell that
   *  cell's inputs hash and the data hash of what it last computed (this session's run, else
   *  its saved outputs). O(cells + references) for all cells together; cached until a change. */
  private inputsHash(s: CellState, stack: readonly string[] = []): string {
    this.hashes ??= new Map();
    const known = this.hashes.get(s.id);
    if (known !== undefined) return known;
    const upstream = stack.includes(s.id)
      ? []
      : this.upstream(s).map((up) => ({
          key: declaredKeys(up).join(', '),
          inputs: this.inputsHash(up, [...stack, s.id]),
          data: dataHashOf(up),
        }));
    const h = inputsHash(sourceHash(s.text), upstream);
    this.hashes.set(s.id, h);
    return h;
  }

  /** Static problems of a cell (syntax, schema, names) without running it: for diagnostics. */
  problems(id: string): LocatedProblem[] {
    const s = this.byId.get(id);
    if (!s?.checked) return [];
    return [...s.checked.problems, ...(this.table.problems.get(id) ?? [])];
  }

  /** What a cell declares, as 'portfolio core' (for status bars and hovers). */
  declares(id: string): string[] {
    return declaredKeys(this.byId.get(id));
  }

  /** Runs cells (in the given order), each after its stale upstream declarations. Resolves
   *  with every run made, upstream ones included, in execution order; cells not reached
   *  because the signal aborted come back as 'cancelled'. */
  async run(
    ids: readonly string[],
    signal: AbortSignal,
    onCell?: (run: CellRun) => void,
  ): Promise<CellRun[]> {
    if (this.tooMany) return this.refuseTooMany(this.tooMany, ids, onCell);
    const runs: CellRun[] = [];
    const ranNow = new Set<string>();
    const emit = (run: CellRun) => {
      runs.push(run);
      onCell?.(run);
    };
    const ensure = async (id: string, stack: string[]): Promise<void> => {
      const s = this.byId.get(id);
      if (!s || s.kind !== 'code') return;
      if (signal.aborted) {
        if (!ranNow.has(id)) {
          ranNow.add(id);
          emit(this.cancelled(s, 0, 0));
        }
        return;
      }
      // A cell with static problems fails without running anything else.
      const blocked = !s.checked?.spec || (this.table.problems.get(id) ?? []).length > 0;
      for (const up of blocked ? [] : this.upstream(s)) {
        if (stack.includes(up.id) || ranNow.has(up.id)) continue;
        // Fresh, unless a data file it (or a cell above it) read changed on disk since.
        if (up.fresh && up.lastRun !== null && this.changedFilesOf(up).length === 0) continue;
        await ensure(up.id, [...stack, id]);
      }
      if (signal.aborted) {
        if (!ranNow.has(id)) {
          ranNow.add(id);
          emit(this.cancelled(s, 0, 0));
        }
        return;
      }
      ranNow.add(id);
      emit(await this.execute(s, signal, stack));
    };
    for (const id of ids) {
      if (ranNow.has(id)) continue;
      await ensure(id, []);
    }
    return runs;
  }

  /** A notebook over MAX_CELLS: each requested code cell fails, saying so on its first line. */
  private refuseTooMany(
    cells: readonly NotebookCell[],
    ids: readonly string[],
    onCell?: (run: CellRun) => void,
  ): CellRun[] {
    const wanted = new Set(ids);
    const p = { code: 'too_many_cells', path: [], params: { count: cells.length, max: MAX_CELLS } };
    const runs = cells
      .filter((c) => c.kind === 'code' && wanted.has(c.id))
      .map((c): CellRun => ({
        id: c.id,
        status: 'error',
        results: [],
        problems: [
          { code: p.code, message: describeProblem(p), range: new OffsetMap(c.text).firstLine() },
        ],
        durationMs: 0,
        order: ++this.order,
        declares: [],
        sourceHash: sourceHash(c.text),
        inputsHash: inputsHash(sourceHash(c.text), []), // nothing upstream was looked at
      }));
    runs.forEach((r) => onCell?.(r));
    return runs;
  }

  private upstream(s: CellState): CellState[] {
    const spec = s.checked?.spec;
    if (!spec) return [];
    const out: CellState[] = [];
    for (const r of referencesOf(spec)) {
      const id = this.table.resolve(r);
      const up = id !== null ? this.byId.get(id) : undefined;
      if (up && up.id !== s.id && !out.includes(up)) out.push(up);
    }
    return out;
  }

  private cancelled(s: CellState, order: number, durationMs: number): CellRun {
    const run: CellRun = {
      id: s.id,
      status: 'cancelled',
      results: [],
      problems: [],
      durationMs,
      order,
      declares: declaredKeys(s),
      sourceHash: sourceHash(s.text),
      inputsHash: this.inputsHash(s),
    };
    s.lastRun = run;
    s.fresh = false;
    s.value = null;
    return run;
  }

  private async execute(s: CellState, signal: AbortSignal, stack: string[]): Promise<CellRun> {
    const order = ++this.order;
    const start = now();
    const declares = declaredKeys(s);
    // Upstream cells have run (or were fresh): the hash of what this run follows from.
    this.hashes = null;
    const hashes = { sourceHash: sourceHash(s.text), inputsHash: this.inputsHash(s) };
    const dataBefore = dataHashOf(s);
    const finish = (
      status: CellRun['status'],
      results: CellResult[],
      problems: LocatedProblem[],
      value: DeclaredValue | null,
    ): CellRun => {
      const run: CellRun = {
        id: s.id,
        status,
        results,
        problems:
          problems.length > 0 && s.checked
            ? capProblems(problems, s.checked.parsed.locate([]))
            : problems,
        durationMs: now() - start,
        order,
        declares,
        ...hashes,
      };
      s.lastRun = run;
      s.fresh = status !== 'cancelled';
      s.value = status === 'ok' ? value : null;
      s.cause = null;
      // New data under an unchanged text (a price file edited, an exchange refetched): what
      // depends on this cell no longer follows from it.
      if (status === 'ok' && dataHashOf(s) !== dataBefore) this.invalidate(new Set(declares));
      // The files it just read are what is on disk now, as far as anyone knows.
      const read = filesReadBy(results.map((r) => r.data)).filter((f) => this.disk.has(f.source));
      if (read.length > 0) {
        const disk = new Map(this.disk);
        for (const f of read) disk.set(f.source, { hash: f.hash, bytes: f.bytes });
        this.disk = disk;
      }
      this.hashes = null;
      this.changed = null;
      return run;
    };
    const checked = s.checked;
    if (checked?.parsed.empty) return finish('ok', [], [], null); // only comments: nothing to do
    if (!checked || !checked.spec)
      return finish('error', [], checked ? checked.problems : [], null);
    const spec = checked.spec;
    const nameProblems = this.table.problems.get(s.id) ?? [];
    if (nameProblems.length > 0) return finish('error', [], nameProblems, null);

    // Every reference must have a value: its cell ran without errors. When some did not, the
    // cell fails with one problem: the first cause (the earliest cell in the notebook that
    // failed on its own), located at the reference that leads to it. A cycle is said as such.
    const cycles: LocatedProblem[] = [];
    let first: { r: Reference; direct: Cause; root: Cause } | null = null;
    const values = new Map<Reference, DeclaredValue>();
    for (const r of referencesOf(spec)) {
      const id = this.table.resolve(r);
      if (id === null) continue; // optional settings, or already reported by the name table
      const up = this.byId.get(id);
      if (up?.value) {
        values.set(r, up.value);
        continue;
      }
      const direct: Cause = {
        kind: r.kind,
        name: r.name ?? declaredKeys(up)[0]?.replace(/^\S+ /, '') ?? r.kind,
        cell: up?.number ?? 0,
      };
      if (stack.includes(id)) {
        const p = {
          code: 'cycle',
          path: r.path,
          params: { ...direct, through: declaredKeys(up).join(', ') },
        };
        cycles.push({
          code: p.code,
          message: describeProblem(p),
          range: checked.parsed.locate(r.path),
        });
        continue;
      }
      const root = up?.cause ?? direct;
      if (first === null || root.cell < first.root.cell) first = { r, direct, root };
    }
    if (cycles.length > 0) return finish('error', [], cycles, null);
    if (first !== null) {
      const { r, direct, root } = first;
      const p = {
        code: 'upstream_failed',
        path: r.path,
        params: {
          ...direct,
          ...(root.cell !== direct.cell
            ? { rootKind: root.kind, rootName: root.name, rootCell: root.cell }
            : {}),
        },
      };
      const run = finish(
        'error',
        [],
        [{ code: p.code, message: describeProblem(p), range: checked.parsed.locate(r.path) }],
        null,
      );
      s.cause = root;
      return run;
    }

    const find = <T extends DeclaredValue>(kind: T['kind'], name: string | null): T => {
      for (const [r, v] of values)
        if (r.kind === kind && (name === null || r.name === name)) return v as T;
      throw new Error(`no value for ${kind} ${name ?? ''}`);
    };
    const ctx: EvalContext = {
      env: this.env,
      signal,
      prices: (name) => find<PricesValue>('prices', name),
      settings: () => {
        for (const [r, v] of values) if (r.kind === 'settings') return v as SettingsValue;
        return DEFAULT_SETTINGS_VALUE;
      },
      portfolio: (name) => find<PortfolioValue>('portfolio', name),
      instrument: (name) => find<InstrumentValue>('instrument', name),
      funding: (name) => find<FundingValue>('funding', name),
      position: (name) => find<PositionValue>('position', name),
    };
    try {
      const e = await evaluateCell(spec, checked.parsed, ctx);
      if (signal.aborted) return finish('cancelled', [], [], null);
      return finish(e.ok ? 'ok' : 'error', e.results, e.problems, e.value);
    } catch (err) {
      if (err instanceof Cancelled || signal.aborted) return finish('cancelled', [], [], null);
      const p = {
        code: 'internal_error',
        path: [],
        params: { detail: err instanceof Error ? err.message : String(err) },
      };
      return finish(
        'error',
        [],
        [{ code: p.code, message: describeProblem(p), range: checked.parsed.locate([]) }],
        null,
      );
    }
  }
}

/** The content hash of the data a cell's shown results were computed on: this session's run,
 *  else its saved outputs. */
function dataHashOf(s: CellState): string | null {
  if (s.lastRun !== null)
    return s.lastRun.results.find((r) => r.data?.hash !== undefined)?.data?.hash ?? null;
  return s.saved?.dataHash ?? null;
}

/** The files a cell's shown results were computed from: this session's run, else its saved
 *  outputs. */
function shownFiles(s: CellState): readonly FileRead[] {
  if (s.kind !== 'code') return [];
  if (s.lastRun !== null) return filesReadBy(s.lastRun.results.map((r) => r.data));
  return s.saved?.files ?? [];
}

/** Evaluates a whole notebook in order (run all), in a fresh session. */
export async function evaluateNotebook(
  cells: readonly NotebookCell[],
  env: SessionEnv,
  signal: AbortSignal = new AbortController().signal,
): Promise<CellRun[]> {
  const session = new Session(env);
  session.update(cells);
  return session.run(
    cells.filter((c) => c.kind === 'code').map((c) => c.id),
    signal,
  );
}

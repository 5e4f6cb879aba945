/** The kernel: a thin adapter from VS Code's NotebookController to the pure Session
 *  (src/notebook/session.ts). One Session per notebook; results become MIME bundles through
 *  src/outputs (RESULT_MIME + text/markdown + text/plain), problems become error outputs.
 *  Two controllers share the code: one for `.hedgebook`, one for Jupyter notebooks whose code
 *  cells are `hedge`. Interrupt aborts the session's AbortSignal (long work checks it). */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import { fail } from '../engine/result';
import { NOTEBOOK_TYPE } from '../notebook/file-type';
import type { CellResult } from '../results';
import type {
  CellRun,
  LocatedProblem,
  NotebookCell,
  Session,
  SessionEnv,
  StaleReason,
} from '../notebook/session';
import {
  expandUserPath,
  fileAccess,
  lexicalDataPath,
  resolveDataFile,
  type FileAccess,
} from '../data/paths';
import type { FingerprintMemo } from '../data/fingerprint';
import { createDatasetCache, type DatasetCache } from '../data/dataset-cache';
import { trackLoad, type ProgressSink } from '../data/progress';
import { HEDGE_LANGUAGE } from './diagnostics';
import { savedFingerprint } from '../notebook/saved';
import {
  ensureHedgeLanguage,
  outputMetadataFor,
  readOutputMetadata,
  sayWhatWasSkipped,
  skippedCells,
  SkippedCellStatusBar,
  JUPYTER_TYPE,
} from './jupyter';
import { dataLayer, notebookLayer } from './lazy';

export { JUPYTER_TYPE };
export const CONTROLLER_IDS = {
  hedgebook: 'hedgebook-kernel',
  jupyter: 'hedgebook-jupyter-kernel',
};

/** Session input: hedge code cells and markdown cells, keyed by the cell document's URI. Code
 *  cells in other languages (a Jupyter notebook's Python) are not the session's business. */
export function sessionCells(notebook: vscode.NotebookDocument): NotebookCell[] {
  return notebook
    .getCells()
    .filter(
      (c) => c.kind === vscode.NotebookCellKind.Markup || c.document.languageId === HEDGE_LANGUAGE,
    )
    .map((c) => {
      const saved = savedFingerprint(c.outputs.map((o) => readOutputMetadata(o.metadata)));
      return {
        id: c.document.uri.toString(),
        kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
        text: c.document.getText(),
        ...(saved ? { saved } : {}),
      };
    });
}

/** The folders a notebook's cells may read (src/data/paths.ts): its own folder (a saved
 *  notebook on disk), the workspace folders and the hedgebook.allowedPaths setting. An untitled
 *  notebook reads relative paths against the first workspace folder. */
export function notebookAccess(notebook: vscode.NotebookDocument): FileAccess {
  const workspaceFolders = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
  const allowed = vscode.workspace
    .getConfiguration('hedgebook')
    .get<string[]>('allowedPaths', [])
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => expandUserPath(p, workspaceFolders[0] ?? homedir()));
  return fileAccess({
    notebookDir: notebook.uri.scheme === 'file' ? dirname(notebook.uri.fsPath) : null,
    workspaceFolders,
    allowed,
  });
}

/** Progress of a long load as a notification (only for loads longer than a moment); its Cancel
 *  button interrupts the notebook's run, as the cell's own stop button does. */
function notificationSink(interrupt: () => void): ProgressSink {
  interface Shown {
    text: string;
    fraction: number | null;
    done: number;
    closed: boolean;
    report?: () => void;
    close?: () => void;
  }
  let current: Shown | null = null;
  return {
    show(text, fraction) {
      if (!current) {
        const c: Shown = { text, fraction, done: 0, closed: false };
        current = c;
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Hedgebook', cancellable: true },
          (progress, token) =>
            new Promise<void>((resolve) => {
              if (c.closed) return resolve(); // the load ended before the notification opened
              token.onCancellationRequested(interrupt);
              c.report = () => {
                const pct = c.fraction === null ? c.done : Math.round(c.fraction * 100);
                progress.report({ message: c.text, increment: Math.max(0, pct - c.done) });
                c.done = Math.max(c.done, pct);
              };
              c.close = resolve;
              c.report();
            }),
        );
      }
      current.text = text;
      current.fraction = fraction;
      current.report?.();
    },
    clear() {
      if (!current) return;
      current.closed = true;
      current.close?.();
      current = null;
    },
  };
}

/** Files named in cells are read under the file rule (notebookAccess). Exchange data is cached
 *  under the extension's storage; parsed datasets are kept in `cache` (shared by the kernel's
 *  notebooks) so re-runs are instant. */
export function notebookEnv(
  notebook: vscode.NotebookDocument,
  cacheDir: () => string,
  opts: { cache?: DatasetCache; interrupt?: () => void } = {},
): SessionEnv {
  const cache = opts.cache ?? createDatasetCache();
  const sink = notificationSink(opts.interrupt ?? (() => undefined));
  return {
    async loadExchangePrices(request, signal) {
      if (signal.aborted) return fail('cancelled', []);
      const { loadExchangeDataset } = dataLayer();
      const track = trackLoad(sink);
      try {
        return await loadExchangeDataset(
          request,
          { cacheDir: cacheDir() },
          { cache, signal, ...(track.onProgress ? { onProgress: track.onProgress } : {}) },
        );
      } finally {
        track.done();
      }
    },
    async loadPrices(file, signal) {
      if (signal.aborted) return fail('cancelled', [file]);
      const path = await resolveDataFile(file, notebookAccess(notebook));
      if (!path.ok) return dataLayer().worded(path);
      const { loadFileDataset } = dataLayer();
      const track = trackLoad(sink);
      try {
        return await loadFileDataset(path.value, file, {
          cache,
          signal,
          ...(track.onProgress ? { onProgress: track.onProgress } : {}),
        });
      } finally {
        track.done();
      }
    },
    async loadFunding(file, signal) {
      if (signal.aborted) return fail('cancelled', [file]);
      const path = await resolveDataFile(file, notebookAccess(notebook));
      const { loadFundingFile, worded } = dataLayer();
      if (!path.ok) return worded(path);
      return worded(await loadFundingFile(path.value, { displayName: file }));
    },
    async loadExchangeFunding(request, signal) {
      if (signal.aborted) return fail('cancelled', []);
      const { loadExchangeFundingRates, worded } = dataLayer();
      return worded(await loadExchangeFundingRates(request, { cacheDir: cacheDir() }));
    },
  };
}

/** What a cell says when run in Restricted Mode. */
export const UNTRUSTED =
  'Not run: this workspace is in Restricted Mode. Hedgebook runs cells (which read price files ' +
  'and fetch market data) only in a trusted workspace; saved outputs stay readable. Trust the ' +
  'workspace (Manage Workspace Trust) to run it.';

interface NotebookState {
  readonly session: Session;
  /** Runs are queued: one at a time per notebook. */
  queue: Promise<void>;
  readonly running: Set<AbortController>;
  /** The check of the data files on disk in progress (checkDataFiles), to cancel. */
  dataCheck: AbortController | null;
  /** Watchers of the data files the shown outputs were computed from, by absolute path. */
  readonly watchers: Map<string, vscode.Disposable>;
  /** A change a watcher reported, waiting a moment for the writes to settle. */
  settle: ReturnType<typeof setTimeout> | null;
}

/** One stale cell, as the integration tests see it. */
export interface StaleDetail {
  readonly id: string;
  readonly reason: StaleReason;
  /** For `data`: the files that changed on disk (as the cells wrote them). */
  readonly files: readonly string[];
}

/** What the extension exposes to its integration tests (and nothing else). */
export interface KernelApi {
  staleCells(notebook: vscode.NotebookDocument): string[];
  /** The stale cells with why (the files behind a `data` mark). */
  staleDetails(notebook: vscode.NotebookDocument): StaleDetail[];
  /** True while a run of this notebook is queued or in progress. */
  isRunning(notebook: vscode.NotebookDocument): boolean;
  /** Code cells the kernel does not run (another language), as "4 (python)". */
  skippedCells(notebook: vscode.NotebookDocument): string[];
}

export class HedgebookKernel implements vscode.Disposable, KernelApi {
  private readonly states = new Map<string, NotebookState>();
  private readonly controllers: vscode.NotebookController[];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Parsed datasets of every open notebook, bounded in memory (src/data/dataset-cache.ts). */
  private readonly datasets = createDatasetCache();
  /** Notebooks whose kernel is Hedgebook (for the note on cells it does not run). */
  private readonly selected = new Set<string>();
  /** Notebooks already told which cells Hedgebook skipped. */
  private readonly told = new Set<string>();
  /** Data files hashed, by path and stat: a check when nothing changed costs a stat per file. */
  private readonly fingerprints: FingerprintMemo = new Map();
  /** Fires when a cell's stale mark may have changed (the status bar listens). */
  readonly onDidChangeStale = this.changed.event;
  private readonly ran = new vscode.EventEmitter<{ cellId: string; problems: LocatedProblem[] }>();
  /** Fires with each cell's problems when a run reports it (the Problems panel shows them). */
  readonly onDidRunCell = this.ran.event;

  constructor(private readonly cacheDir: () => string) {
    this.controllers = [
      vscode.notebooks.createNotebookController(
        CONTROLLER_IDS.hedgebook,
        NOTEBOOK_TYPE,
        'Hedgebook',
      ),
      vscode.notebooks.createNotebookController(CONTROLLER_IDS.jupyter, JUPYTER_TYPE, 'Hedgebook'),
    ];
    for (const c of this.controllers) {
      c.supportedLanguages = [HEDGE_LANGUAGE];
      c.supportsExecutionOrder = true;
      c.description = 'crypto beta hedging';
      c.executeHandler = (cells, notebook, controller) => this.execute(cells, notebook, controller);
      c.interruptHandler = (notebook) => this.interrupt(notebook);
      this.disposables.push(
        c.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
          if (selected) this.selected.add(notebook.uri.toString());
          else this.selected.delete(notebook.uri.toString());
          this.changed.fire();
        }),
      );
    }
    this.disposables.push(
      ...this.controllers,
      this.changed,
      this.ran,
      vscode.workspace.onDidChangeNotebookDocument((e) => this.refresh(e.notebook)),
      // Saved outputs whose hashes no longer match their cells show as stale from the start.
      vscode.workspace.onDidOpenNotebookDocument((nb) => {
        if (nb.notebookType !== NOTEBOOK_TYPE && nb.notebookType !== JUPYTER_TYPE) return;
        this.known(nb);
        this.changed.fire();
        this.checkDataFiles(nb);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        this.interrupt(nb);
        const state = this.states.get(nb.uri.toString());
        if (state) stopDataCheck(state);
        this.states.delete(nb.uri.toString());
      }),
      // Back in the editor: a data file may have changed meanwhile (a watcher can miss it).
      vscode.window.onDidChangeWindowState((w) => {
        if (w.focused) this.checkAllDataFiles();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.checkAllDataFiles()),
    );
    // Notebooks already open when the extension started (after activation: it loads the
    // notebook layer, which activation leaves for first use, src/vscode/lazy.ts).
    const opened = setTimeout(() => {
      for (const nb of vscode.workspace.notebookDocuments)
        if (nb.notebookType === NOTEBOOK_TYPE || nb.notebookType === JUPYTER_TYPE)
          this.checkDataFiles(nb);
    }, 0);
    this.disposables.push({ dispose: () => clearTimeout(opened) });
  }

  dispose(): void {
    for (const s of this.states.values()) stopDataCheck(s);
    for (const s of this.states.values()) for (const a of s.running) a.abort();
    this.disposables.forEach((d) => d.dispose());
    this.datasets.clear();
  }

  staleCells(notebook: vscode.NotebookDocument): string[] {
    const state = this.known(notebook);
    state.session.update(sessionCells(notebook));
    return state.session.staleIds();
  }

  staleDetails(notebook: vscode.NotebookDocument): StaleDetail[] {
    const state = this.known(notebook);
    state.session.update(sessionCells(notebook));
    return state.session.staleCells().map((s) => ({
      ...s,
      files: state.session.staleFiles(s.id).map((f) => f.source),
    }));
  }

  /** Why a cell's outputs are stale, in words, when a data file changed (else null). */
  staleFilesWords(cell: vscode.NotebookCell): string | null {
    const files = this.known(cell.notebook).session.staleFiles(cell.document.uri.toString());
    return files.length === 0 ? null : notebookLayer().changedFilesWords(files);
  }

  private checkAllDataFiles(): void {
    for (const nb of vscode.workspace.notebookDocuments)
      if (this.states.has(nb.uri.toString())) this.checkDataFiles(nb);
  }

  /** Hashes, in the background, the data files the notebook's shown outputs were computed from
   *  (under the file rule, src/data/fingerprint.ts) and tells the session what is on disk, so
   *  outputs computed from a file that changed show as stale. Only in a trusted workspace (in
   *  Restricted Mode no file is read); a newer check, or closing the notebook, cancels it.
   *  Watches those files, to check again when one changes. */
  private checkDataFiles(notebook: vscode.NotebookDocument): void {
    if (!vscode.workspace.isTrusted) return;
    const state = this.known(notebook);
    const files = state.session.dataFiles();
    const access = notebookAccess(notebook);
    this.watchDataFiles(notebook, state, files, access);
    state.dataCheck?.abort();
    state.dataCheck = null;
    if (files.length === 0) return;
    const abort = new AbortController();
    state.dataCheck = abort;
    void (async () => {
      try {
        const r = await dataLayer().diskFingerprints(files, access, {
          signal: abort.signal,
          memo: this.fingerprints,
        });
        if (abort.signal.aborted || !r.ok || this.states.get(notebook.uri.toString()) !== state)
          return;
        state.session.setDiskFiles(r.value.disk);
        this.changed.fire();
      } catch {
        // A bug in checking the files: the marks stay as they were; a run still reads the file.
      } finally {
        if (state.dataCheck === abort) state.dataCheck = null;
      }
    })();
  }

  /** One watcher per data file (its folder, its name), made and dropped as the files change. */
  private watchDataFiles(
    notebook: vscode.NotebookDocument,
    state: NotebookState,
    files: readonly string[],
    access: FileAccess,
  ): void {
    const wanted = new Set<string>();
    for (const f of files) {
      const path = lexicalDataPath(f, access);
      if (path.ok) wanted.add(path.value);
    }
    for (const [path, w] of state.watchers)
      if (!wanted.has(path)) {
        w.dispose();
        state.watchers.delete(path);
      }
    for (const path of wanted) {
      if (state.watchers.has(path)) continue;
      const w = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path)),
      );
      const again = () => {
        if (state.settle !== null) clearTimeout(state.settle);
        state.settle = setTimeout(() => {
          state.settle = null;
          if (this.states.get(notebook.uri.toString()) === state) this.checkDataFiles(notebook);
        }, 300);
      };
      state.watchers.set(
        path,
        vscode.Disposable.from(w, w.onDidChange(again), w.onDidCreate(again), w.onDidDelete(again)),
      );
    }
  }

  isSelected(notebook: vscode.NotebookDocument): boolean {
    return this.selected.has(notebook.uri.toString());
  }

  skippedCells(notebook: vscode.NotebookDocument): string[] {
    return skippedCells(notebook);
  }

  isRunning(notebook: vscode.NotebookDocument): boolean {
    return (this.states.get(notebook.uri.toString())?.running.size ?? 0) > 0;
  }

  isStale(cell: vscode.NotebookCell): boolean {
    return this.staleReason(cell) !== null;
  }

  /** Why a cell's shown outputs are stale, or null when they are current. */
  staleReason(cell: vscode.NotebookCell): StaleReason | null {
    return this.known(cell.notebook).session.staleReason(cell.document.uri.toString());
  }

  /** The notebook's state, made (and told the cells) the first time it is asked for. */
  private known(notebook: vscode.NotebookDocument): NotebookState {
    const fresh = !this.states.has(notebook.uri.toString());
    const state = this.state(notebook);
    if (fresh) state.session.update(sessionCells(notebook));
    return state;
  }

  private state(notebook: vscode.NotebookDocument): NotebookState {
    const key = notebook.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      const { Session } = notebookLayer(); // the first notebook loads the kernel's code
      state = {
        session: new Session(
          notebookEnv(notebook, this.cacheDir, {
            cache: this.datasets,
            interrupt: () => this.interrupt(notebook),
          }),
        ),
        queue: Promise.resolve(),
        running: new Set(),
        dataCheck: null,
        watchers: new Map(),
        settle: null,
      };
      this.states.set(key, state);
    }
    return state;
  }

  /** A cell's text changed: tell the session, so what depends on it is marked stale. */
  private refresh(notebook: vscode.NotebookDocument): void {
    const state = this.states.get(notebook.uri.toString());
    if (!state) return;
    try {
      state.session.update(sessionCells(notebook));
    } catch {
      // A bug in checking a cell: the next run reports it in the cell; typing goes on.
    }
    this.changed.fire();
  }

  private interrupt(notebook: vscode.NotebookDocument): void {
    this.states.get(notebook.uri.toString())?.running.forEach((a) => a.abort());
  }

  private execute(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
  ): Promise<void> {
    if (!vscode.workspace.isTrusted) return this.refuseUntrusted(cells, controller);
    const state = this.state(notebook);
    void ensureHedgeLanguage(notebook);
    sayWhatWasSkipped(notebook, cells, this.told);
    const abort = new AbortController();
    state.running.add(abort);
    // Executions for the requested cells now (VS Code shows them queued); upstream cells the
    // session runs on the way get theirs when they report.
    const pending = new Map<string, vscode.NotebookCellExecution>();
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const exec = controller.createNotebookCellExecution(cell);
      exec.token.onCancellationRequested(() => abort.abort());
      pending.set(cell.document.uri.toString(), exec);
    }
    const run = async () => {
      try {
        await this.runCells(state, notebook, controller, pending, abort.signal);
      } finally {
        state.running.delete(abort);
        this.changed.fire();
        // The run may have read other files: watch them (what it read is known to the session).
        this.watchDataFiles(notebook, state, state.session.dataFiles(), notebookAccess(notebook));
      }
    };
    state.queue = state.queue.then(run, run);
    return state.queue;
  }

  /** Restricted Mode: cells read files and fetch market data, so nothing runs until the user
   *  trusts the workspace. The saved outputs stay; the refusal is added below them. */
  private async refuseUntrusted(
    cells: vscode.NotebookCell[],
    controller: vscode.NotebookController,
  ): Promise<void> {
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const exec = controller.createNotebookCellExecution(cell);
      exec.start(Date.now());
      await exec.appendOutput(
        new vscode.NotebookCellOutput([
          vscode.NotebookCellOutputItem.error({ name: 'Hedgebook', message: UNTRUSTED }),
          vscode.NotebookCellOutputItem.text(UNTRUSTED),
        ]),
      );
      exec.end(false, Date.now());
    }
  }

  private async runCells(
    state: NotebookState,
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
    pending: Map<string, vscode.NotebookCellExecution>,
    signal: AbortSignal,
  ): Promise<void> {
    const started = new Map<vscode.NotebookCellExecution, number>();
    const startNext = () => {
      const next = pending.values().next();
      if (next.done || started.has(next.value) || signal.aborted) return;
      const t = Date.now();
      next.value.start(t);
      started.set(next.value, t);
    };
    const report = (run: CellRun) => {
      this.ran.fire({ cellId: run.id, problems: run.problems });
      const exec = pending.get(run.id) ?? this.upstreamExecution(notebook, controller, run.id);
      pending.delete(run.id);
      if (exec === undefined) return;
      finishExecution(exec, run, started.get(exec));
      startNext();
    };

    startNext();
    try {
      // Inside the try: whatever a cell holds, the run ends with every cell told why.
      state.session.update(sessionCells(notebook));
      await state.session.run([...pending.keys()], signal, report);
    } catch (e) {
      // A bug, not the user's data: say so in every cell that did not finish.
      for (const exec of pending.values()) {
        if (!started.has(exec)) exec.start(Date.now());
        void exec.replaceOutput(
          new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(asError(e))]),
        );
        exec.end(false, Date.now());
      }
      pending.clear();
    }
    // Cells the session did not report (not code, or not reached): end them without a verdict.
    for (const exec of pending.values()) {
      if (!started.has(exec)) exec.start(Date.now());
      exec.end(undefined, Date.now());
    }
  }

  private upstreamExecution(
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
    id: string,
  ): vscode.NotebookCellExecution | undefined {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === id);
    try {
      return cell ? controller.createNotebookCellExecution(cell) : undefined;
    } catch {
      return undefined; // the cell is already queued by another run; that run will show it
    }
  }
}

function stopDataCheck(state: NotebookState): void {
  state.dataCheck?.abort();
  state.dataCheck = null;
  if (state.settle !== null) clearTimeout(state.settle);
  state.settle = null;
  for (const w of state.watchers.values()) w.dispose();
  state.watchers.clear();
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Ends one cell's execution with its outputs. The shown duration is the session's own timing. */
function finishExecution(
  exec: vscode.NotebookCellExecution,
  run: CellRun,
  startedAt: number | undefined,
): void {
  if (run.status === 'cancelled' && run.order === 0) {
    // Never started: keep what the cell showed before.
    if (startedAt === undefined) exec.start(Date.now());
    exec.end(undefined, Date.now());
    return;
  }
  const end = startedAt === undefined ? Date.now() : startedAt + run.durationMs;
  const start = startedAt ?? end - run.durationMs;
  if (startedAt === undefined) exec.start(start);
  exec.executionOrder = run.order;
  const { outputMetadata, problemsToText, toOutputItems } = notebookLayer();
  const metadata = (result?: CellResult) =>
    outputMetadataFor(
      exec.cell.notebook.notebookType,
      outputMetadata(run, result, new Date(end).toISOString()),
    );
  const outputs = run.results.map(
    (result) =>
      new vscode.NotebookCellOutput(
        toOutputItems(result).map((i) => vscode.NotebookCellOutputItem.text(i.data, i.mime)),
        metadata(result),
      ),
  );
  if (run.status === 'cancelled') {
    outputs.push(
      new vscode.NotebookCellOutput(
        [
          vscode.NotebookCellOutputItem.text(
            'Interrupted: the run was stopped before this cell finished.',
          ),
        ],
        metadata(),
      ),
    );
  } else if (run.problems.length > 0) {
    const text = problemsToText(run.problems);
    outputs.push(
      new vscode.NotebookCellOutput(
        [
          vscode.NotebookCellOutputItem.error({ name: 'Hedgebook', message: text }),
          vscode.NotebookCellOutputItem.text(text),
        ],
        metadata(),
      ),
    );
  }
  void exec.replaceOutput(outputs);
  exec.end(run.status === 'ok', Math.max(end, start));
}

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The cell status bar: "stale" on cells whose inputs changed since their result was computed. */
export class StaleStatusBar implements vscode.NotebookCellStatusBarItemProvider {
  readonly onDidChangeCellStatusBarItems: vscode.Event<void>;

  constructor(private readonly kernel: HedgebookKernel) {
    this.onDidChangeCellStatusBarItems = kernel.onDidChangeStale;
  }

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const reason = this.kernel.staleReason(cell);
    if (reason === null) return [];
    const item = new vscode.NotebookCellStatusBarItem(
      '$(warning) stale',
      vscode.NotebookCellStatusBarAlignment.Left,
    );
    item.tooltip =
      reason === 'edited'
        ? 'This cell was edited after its outputs were computed: run it to update them.'
        : reason === 'data'
          ? upperFirst(this.kernel.staleFilesWords(cell) ?? 'A data file changed on disk.')
          : 'A cell this result depends on, or the data one loaded, changed after it was computed: run the cell to update it.';
    item.command = {
      title: 'Run cell',
      command: 'notebook.cell.execute',
      arguments: [
        { ranges: [{ start: cell.index, end: cell.index + 1 }], document: cell.notebook.uri },
      ],
    };
    return [item];
  }
}

export function registerKernel(cacheDir: () => string): {
  kernel: HedgebookKernel;
  disposable: vscode.Disposable;
} {
  const kernel = new HedgebookKernel(cacheDir);
  const bar = new StaleStatusBar(kernel);
  return {
    kernel,
    disposable: vscode.Disposable.from(
      kernel,
      vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, bar),
      vscode.notebooks.registerNotebookCellStatusBarItemProvider(JUPYTER_TYPE, bar),
      vscode.notebooks.registerNotebookCellStatusBarItemProvider(
        JUPYTER_TYPE,
        new SkippedCellStatusBar((nb) => kernel.isSelected(nb), kernel.onDidChangeStale),
      ),
    ),
  };
}

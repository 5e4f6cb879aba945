/** Progress of long data work (reading and parsing a large file, downloading exchange history):
 *  the data layer reports it as data, `describeProgress` words it, and the editor (a progress
 *  notification) and the CLI (a line on a terminal) show it. `progressThrottle` keeps the
 *  reports to a few per second and shows nothing for work that ends quickly. */
import { formatBytes } from './limits';

export interface Progress {
  readonly phase: 'read' | 'parse' | 'download';
  /** Work done and in all, in `unit`s; total null when unknown. */
  readonly done: number;
  readonly total: number | null;
  /** bytes of a file; ms of the requested time range (download) */
  readonly unit: 'bytes' | 'ms';
  /** What is being loaded, as the user named it: `data/hourly.csv`, `binance spot BTCUSDT 1h`. */
  readonly what?: string;
}

const PHASE: Readonly<Record<Progress['phase'], string>> = {
  read: 'Reading',
  parse: 'Parsing',
  download: 'Downloading',
};

/** 0..1, or null when the total is unknown. */
export function progressFraction(p: Progress): number | null {
  if (p.total === null || !(p.total > 0)) return null;
  return Math.min(1, Math.max(0, p.done / p.total));
}

/** "Reading data/hourly.csv: 45% (20.1 of 44.4 MB)". */
export function describeProgress(p: Progress): string {
  const f = progressFraction(p);
  const pct = f === null ? '' : `${Math.floor(f * 100)}%`;
  const amount =
    p.unit === 'bytes'
      ? p.total === null
        ? formatBytes(p.done)
        : `${formatBytes(p.done)} of ${formatBytes(p.total)}`
      : '';
  const tail = [pct, amount ? `(${amount})` : ''].filter(Boolean).join(' ');
  return `${PHASE[p.phase]} ${p.what ?? 'data'}${tail ? `: ${tail}` : ''}`;
}

/** A progress callback that passes a report on only after `delayMs` from its creation (quick
 *  work shows nothing) and then at most every `intervalMs`. `now` is injectable for tests. */
export function progressThrottle(
  show: (p: Progress) => void,
  opts: { delayMs?: number; intervalMs?: number; now?: () => number } = {},
): (p: Progress) => void {
  const now = opts.now ?? (() => performance.now());
  const delay = opts.delayMs ?? 300;
  const interval = opts.intervalMs ?? 200;
  const start = now();
  let last = -Infinity;
  return (p) => {
    const t = now();
    if (t - start < delay || t - last < interval) return;
    last = t;
    show(p);
  };
}

/** Where progress is shown: a line on a terminal, a notification in the editor. */
export interface ProgressSink {
  /** Shows (or updates) the progress of the current load. */
  show(text: string, fraction: number | null): void;
  /** The load ended: remove what was shown. */
  clear(): void;
}

/** The progress callback for one load: reports go to `sink` (throttled, and nothing for a load
 *  that ends within `delayMs`); `done()` clears the sink when something was shown. */
export function trackLoad(
  sink: ProgressSink | undefined,
  opts: { delayMs?: number; intervalMs?: number; now?: () => number } = {},
): { onProgress?: (p: Progress) => void; done(): void } {
  if (!sink) return { done: () => undefined };
  let shown = false;
  const onProgress = progressThrottle((p) => {
    shown = true;
    sink.show(describeProgress(p), progressFraction(p));
  }, opts);
  return {
    onProgress,
    done: () => {
      if (shown) sink.clear();
      shown = false;
    },
  };
}

/** Number formatting shared by the markdown, plain-text and HTML tables and the chart hovers,
 *  so the same number reads the same everywhere. Deterministic (en-US grouping). */

const grouped0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const grouped2 = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** A plain number with a fixed count of decimals; '—' for null or a non-finite value. */
export function fmtNum(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** US dollars: grouped, no cents from 1,000 up; sign in front ('-$1,234'); '$0' for nothing. */
export function fmtUsd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs < 0.005) return '$0'; // nothing: no cents to show
  const body = abs >= 1000 ? grouped0.format(abs) : grouped2.format(abs);
  return (x < 0 && body !== '0.00' ? '-$' : '$') + body;
}

/** A price: grouped with cents from 1 up, else 4 significant digits. */
export function fmtPrice(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1) return grouped2.format(x);
  return x.toPrecision(4);
}

/** A fraction as a percentage: 0.1234 -> '12.34%'. */
export function fmtPct(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${fmtNum(x * 100, digits)}%`;
}

/** A percentage already in percent units: -12.3 -> '-12.30%'. */
export function fmtPercentUnits(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${fmtNum(x, digits)}%`;
}

/** A count or contract number: grouped, up to 6 decimals, trailing zeros dropped. */
export function fmtCount(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 }).format(x);
}

/** A coin quantity: grouped, six significant digits but never fewer than the whole units
 *  (961.805848 -> '961.806', 0.5 -> '0.5', 1234567.8 -> '1,234,568', 0.00123456789 ->
 *  '0.00123457'); trailing zeros dropped. Units bought with a USD amount are rarely round, and
 *  digits past the sixth say nothing a trader can act on. */
export function fmtUnits(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  const whole = abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 0;
  const decimals =
    abs >= 1 || abs === 0
      ? Math.max(0, 6 - whole)
      : Math.min(20, 6 - Math.floor(Math.log10(abs)) - 1);
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: decimals }).format(x);
}

/** "1 row", "731 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtCount(n)} ${n === 1 ? one : many}`;
}

const PRECISIONS = ['date', 'minute', 'second', 'millisecond'] as const;
type TimePrecision = (typeof PRECISIONS)[number];

function precisionOf(iso: string): TimePrecision {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'millisecond';
  if (t % 86_400_000 === 0) return 'date';
  if (t % 60_000 === 0) return 'minute';
  if (t % 1000 === 0) return 'second';
  return 'millisecond';
}

/** A formatter for a set of ISO times (UTC) that shows them all as precisely as needed and no
 *  more: dates ('2025-12-31') when every one is at midnight UTC, as daily data is; otherwise
 *  date and time to the minute ('2025-12-31 08:00 UTC'), second or millisecond. One precision
 *  for the whole set, so the times of one table line up. A string that is not a time is shown
 *  as it is. */
export function timeFormatter(
  isos: readonly (string | null | undefined)[],
): (iso: string | null | undefined) => string {
  let k = 0;
  for (const iso of isos) if (iso) k = Math.max(k, PRECISIONS.indexOf(precisionOf(iso)));
  const p = PRECISIONS[k] ?? 'millisecond';
  return (iso) => {
    if (!iso) return '—';
    const t = Date.parse(iso);
    if (!Number.isFinite(t)) return iso;
    const s = new Date(t).toISOString(); // 2025-12-31T08:00:00.000Z
    const date = s.slice(0, 10);
    if (p === 'date') return date;
    const time =
      p === 'minute' ? s.slice(11, 16) : p === 'second' ? s.slice(11, 19) : s.slice(11, 23);
    return `${date} ${time} UTC`;
  };
}

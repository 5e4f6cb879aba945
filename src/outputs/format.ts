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

/** US dollars: grouped, no cents from 1,000 up; sign in front ('-$1,234'). */
export function fmtUsd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
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

/** Reading the time column of a price or funding file.
 *
 *  Accepted forms (the whole column must use one of them; the first value decides):
 *  - ISO 8601 dates and times: `2024-01-31`, `2024-01-31T08:00`, `2024-01-31 08:00:00`,
 *    `2024-01-31T08:00:00.000Z`, `2024-01-31T08:00:00+02:00`. Without an offset the time is UTC.
 *    Years 0000 to 9999 read as written (0024 is the year 24, never 1924); an offset is at most
 *    ±18:00 (the range ISO 8601 libraries accept; real zones span −12:00 to +14:00).
 *  - Epoch numbers, whose unit is detected from the magnitude of the first value:
 *    below 1e11 seconds (1e11 s is the year 5138), below 1e14 milliseconds, else microseconds
 *    (some exchanges' exports). Every later value must fall in the same unit's range, and the
 *    instant must lie in the years 0000 to 9999 like an ISO time.
 *  Everything comes out as epoch milliseconds UTC. */

export type TimeFormat = 'iso' | 'epoch-s' | 'epoch-ms' | 'epoch-us';

export const TIME_FORMAT_LABEL: Readonly<Record<TimeFormat, string>> = {
  iso: 'ISO 8601 dates',
  'epoch-s': 'epoch seconds',
  'epoch-ms': 'epoch milliseconds',
  'epoch-us': 'epoch microseconds',
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in epoch ms: the instants a time may name. */
export const MIN_TIME = -62_167_219_200_000;
export const MAX_TIME = 253_402_300_799_999;
/** The largest UTC offset accepted, in minutes (±18:00). */
const MAX_OFFSET_MIN = 18 * 60;
const DAY_MS = 86_400_000;

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (any year, no Date.UTC,
 *  whose two-digit years mean 19xx). H. Hinnant's days_from_civil. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Why a text is not an ISO time, in a few words (for the message), or the time. */
export type IsoRead =
  | { readonly ok: true; readonly time: number }
  | { readonly ok: false; readonly detail: string | null };

/** Parses an ISO 8601 date or date-time; when the text has the shape but names no real instant,
 *  `detail` says why (a day February does not have, an offset out of range). */
export function readIsoTime(text: string): IsoRead {
  if (text.length > 40) return { ok: false, detail: null };
  const m = ISO.exec(text);
  if (!m) return { ok: false, detail: null };
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12) return { ok: false, detail: `there is no month ${mo}` };
  if (day < 1 || day > daysInMonth(year, month))
    return { ok: false, detail: `${y}-${mo} has no day ${d}` };
  if (hour > 23 || minute > 59 || second > 59)
    return { ok: false, detail: `${h}:${mi}:${s} is not a time of day` };
  let offsetMin = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (om > 59 || oh * 60 + om > MAX_OFFSET_MIN)
      return { ok: false, detail: `the UTC offset ${zone} is out of range (−18:00 to +18:00)` };
    offsetMin = sign * (oh * 60 + om);
  }
  const ms = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const t =
    daysFromCivil(year, month, day) * DAY_MS +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    ms -
    offsetMin * 60_000;
  if (t < MIN_TIME || t > MAX_TIME)
    return { ok: false, detail: 'the instant falls outside the years 0000 to 9999' };
  return { ok: true, time: t };
}

/** Parses an ISO 8601 date or date-time; null when the text is not one or names no real day. */
export function parseIsoTime(text: string): number | null {
  const r = readIsoTime(text);
  return r.ok ? r.time : null;
}

/** True when `text` is a plain decimal: [+-] digits [. digits] [e [+-] digits], at least one
 *  digit before the exponent. A scanner, not a regular expression: linear on any input (a
 *  backtracking pattern is quadratic on a long run of digits followed by a letter). */
export function isDecimal(text: string): boolean {
  const n = text.length;
  let i = 0;
  const c0 = text.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i++; // + -
  let digits = 0;
  while (i < n && isDigit(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < n && (text.charCodeAt(i) | 0x20) === 101) {
    i++;
    const s = text.charCodeAt(i);
    if (s === 43 || s === 45) i++;
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  return i === n;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

export function parseNumber(text: string): number | null {
  if (!isDecimal(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

function epochUnit(v: number): Exclude<TimeFormat, 'iso'> {
  const a = Math.abs(v);
  if (a < 1e11) return 'epoch-s';
  if (a < 1e14) return 'epoch-ms';
  return 'epoch-us';
}

const EPOCH_SCALE: Readonly<Record<Exclude<TimeFormat, 'iso'>, number>> = {
  'epoch-s': 1000,
  'epoch-ms': 1,
  'epoch-us': 0.001,
};

export type TimeRead =
  | { readonly ok: true; readonly time: number; readonly format: TimeFormat }
  | {
      readonly ok: false;
      readonly reason: 'not_a_time' | 'mixed_format';
      readonly found: string;
      /** Why a value shaped like a time is not one (for the message), when known. */
      readonly detail?: string;
    };

/** Reads one time value. `format` is the column's format once known (from its first value);
 *  pass null for the first value. Numbers may also arrive as numbers (JSON). */
export function readTime(value: string | number, format: TimeFormat | null): TimeRead {
  const asNumber = typeof value === 'number' ? value : parseNumber(value.trim());
  if (asNumber !== null) {
    if (!Number.isFinite(asNumber)) return { ok: false, reason: 'not_a_time', found: 'number' };
    const unit = epochUnit(asNumber);
    if (format !== null && format !== unit)
      return { ok: false, reason: 'mixed_format', found: TIME_FORMAT_LABEL[unit] };
    const time = Math.round(asNumber * EPOCH_SCALE[unit]);
    if (time < MIN_TIME || time > MAX_TIME)
      return {
        ok: false,
        reason: 'not_a_time',
        found: 'number',
        detail: `as ${TIME_FORMAT_LABEL[unit]} it falls outside the years 0000 to 9999`,
      };
    return { ok: true, time, format: unit };
  }
  if (typeof value !== 'string') return { ok: false, reason: 'not_a_time', found: typeof value };
  const t = readIsoTime(value.trim());
  if (!t.ok)
    return {
      ok: false,
      reason: 'not_a_time',
      found: 'text',
      ...(t.detail !== null ? { detail: t.detail } : {}),
    };
  if (format !== null && format !== 'iso')
    return { ok: false, reason: 'mixed_format', found: TIME_FORMAT_LABEL.iso };
  return { ok: true, time: t.time, format: 'iso' };
}

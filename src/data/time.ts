/** Reading the time column of a price or funding file.
 *
 *  Accepted forms (the whole column must use one of them; the first value decides):
 *  - ISO 8601 dates and times: `2024-01-31`, `2024-01-31T08:00`, `2024-01-31 08:00:00`,
 *    `2024-01-31T08:00:00.000Z`, `2024-01-31T08:00:00+02:00`. Without an offset the time is UTC.
 *  - Epoch numbers, whose unit is detected from the magnitude of the first value:
 *    below 1e11 seconds (1e11 s is the year 5138), below 1e14 milliseconds, else microseconds
 *    (some exchanges' exports). Every later value must fall in the same unit's range.
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
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses an ISO 8601 date or date-time; null when the text is not one or names no real day. */
export function parseIsoTime(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2024-02-30 over to March: refuse days a calendar does not have.
  if (new Date(t).getUTCDate() !== day) return null;
  let offsetMin = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return t - offsetMin * 60_000;
}

export function parseNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

function epochUnit(v: number): TimeFormat {
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
  | { readonly ok: false; readonly reason: 'not_a_time' | 'mixed_format'; readonly found: string };

/** Reads one time value. `format` is the column's format once known (from its first value);
 *  pass null for the first value. Numbers may also arrive as numbers (JSON). */
export function readTime(value: string | number, format: TimeFormat | null): TimeRead {
  const asNumber = typeof value === 'number' ? value : parseNumber(value.trim());
  if (asNumber !== null) {
    if (!Number.isFinite(asNumber)) return { ok: false, reason: 'not_a_time', found: 'number' };
    const unit = epochUnit(asNumber);
    if (format !== null && format !== unit)
      return { ok: false, reason: 'mixed_format', found: TIME_FORMAT_LABEL[unit] };
    const time = Math.round(asNumber * EPOCH_SCALE[unit as Exclude<TimeFormat, 'iso'>]);
    return { ok: true, time, format: unit };
  }
  if (typeof value !== 'string') return { ok: false, reason: 'not_a_time', found: typeof value };
  const t = parseIsoTime(value.trim());
  if (t === null) return { ok: false, reason: 'not_a_time', found: 'text' };
  if (format !== null && format !== 'iso')
    return { ok: false, reason: 'mixed_format', found: TIME_FORMAT_LABEL.iso };
  return { ok: true, time: t, format: 'iso' };
}

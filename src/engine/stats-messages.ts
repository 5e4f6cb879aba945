/** Wording for the problems of price series, returns, frequency, beta statistics and rolling
 *  beta (series.ts, beta.ts, rolling.ts). describeProblem (messages.ts) uses this table, so
 *  words are still made in one place. */
type Params = Readonly<Record<string, string | number | boolean>>;
type Wording = (p: Params) => string;

/** A UTC time for an epoch-ms param, as precise as it needs to be: '2025-12-31' at midnight (daily
 *  data), '2025-12-31 08:00 UTC' on the minute, '2025-12-31 08:00:05 UTC' otherwise (the raw
 *  value when it is not a finite time). */
export function isoTime(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const s = d.toISOString(); // 2025-12-31T08:00:05.250Z
  if (v % 86_400_000 === 0) return s.slice(0, 10);
  const time =
    v % 60_000 === 0 ? s.slice(11, 16) : v % 1000 === 0 ? s.slice(11, 19) : s.slice(11, 23);
  return `${s.slice(0, 10)} ${time} UTC`;
}

function plural(n: unknown, one: string, many: string = `${one}s`): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

function num(v: unknown): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v);
}

/** "row 17" (0-based index as given, shown 1-based like a spreadsheet row of data). */
function row(index: unknown): string {
  return typeof index === 'number' ? `point #${index + 1}` : 'a point';
}

export const statsMessages: Readonly<Record<string, Wording>> = {
  // --- series.ts ---------------------------------------------------------------------------
  duplicate_asset: (p) =>
    `The asset ${p.asset} appears twice in the price data; give each series a distinct name.`,
  duplicate_time: (p) =>
    `${p.asset} has ${plural(p.count, 'repeated timestamp')} (first at ${isoTime(p.time)}, ${row(p.index)}); the first price at each time was kept and the repeats were dropped.`,
  empty_series: (p) => `${p.asset} has no prices at all.`,
  gap: (p) =>
    `The shared price history has a gap from ${isoTime(p.from)} to ${isoTime(p.to)} (about ${plural(p.missing, `missing ${p.interval} period`)}); nothing was filled in, so returns across it span the whole gap.`,
  gaps_more: (p) => `…and ${plural(p.count, 'more gap')} in the shared price history.`,
  no_interval: (p) =>
    `Cannot tell the data's frequency: the ${plural(p.n, 'timestamp')} never increase from one point to the next.`,
  no_series: () => 'No price series were given.',
  non_finite_price: (p) =>
    `${p.asset} has ${plural(p.count, 'missing or non-numeric price')} (first at ${isoTime(p.time)}, ${row(p.index)}); those points were dropped.`,
  non_finite_time: (p) =>
    `${p.asset} has ${plural(p.count, 'point')} without a valid timestamp (first at ${row(p.index)}); they were dropped.`,
  non_positive_price: (p) =>
    `${p.asset} has ${plural(p.count, 'price')} at or below zero (first at ${isoTime(p.time)}, ${row(p.index)}); prices must be positive, so those points were dropped.`,
  missing_times: (p) =>
    p.count === 1
      ? `${p.asset} has no price at ${isoTime(p.time)}, which ${p.others === 1 ? 'the other series has' : 'the other series have'}; that time was left out for every asset (only times every series has are used).`
      : `${p.asset} has no price at ${p.count} times ${p.others === 1 ? 'the other series has' : 'the other series have'} (${isoTime(p.time)} to ${isoTime(p.last)}); those times were left out for every asset (only times every series has are used).`,
  not_shared: (p) =>
    p.count === 1
      ? `${p.asset} has a price at ${isoTime(p.time)} that the other series lack; that time was left out (only times every series has are used).`
      : `${p.asset} has prices at ${p.count} times the other series lack (${isoTime(p.time)} to ${isoTime(p.last)}); those times were left out (only times every series has are used).`,
  too_little_overlap: (p) =>
    `The price series share only ${plural(p.n, 'timestamp')}; at least ${p.min} are needed. Check that the series cover the same period at the same frequency.`,
  unsorted_times: (p) =>
    `${p.asset}'s timestamps are not in order (first out of order at ${isoTime(p.time)}, ${row(p.index)}); the points were sorted by time.`,

  // --- beta.ts / rolling.ts ----------------------------------------------------------------
  downside_beta_unavailable: (p) =>
    `Downside beta needs at least ${p.min} periods where the benchmark fell; there ${p.down === 1 ? 'is' : 'are'} ${p.down}, so it is not shown.`,
  flat_asset: (p) =>
    `The asset's returns are constant over all ${p.n} periods, so it does not move with the benchmark: beta 0, correlation 0.`,
  flat_benchmark: (p) =>
    `The benchmark's returns are constant over all ${p.n} periods (${num(p.value)} each), so beta is not defined. Use a longer window or another benchmark.`,
  flat_cross_section: (p) =>
    `All ${p.n} betas in the cross-section are equal (${num(p.value)}), so they cannot serve as a Vasicek prior.`,
  flat_window: (p) =>
    `In ${plural(p.count, 'rolling window')} (the first ending at return #${Number(p.index) + 1}) the benchmark did not move at all over ${p.window} periods, so beta is not defined there and is left blank.`,
  invalid_parameter: (p) => `${p.name} must be ${p.expected}, not ${p.value}.`,
  invalid_window: (p) =>
    `The rolling window must be a whole number of at least ${p.min} periods, not ${p.window}.`,
  mismatched_lengths: (p) =>
    `${p.leftName} has ${plural(p.leftLength, 'value')} but ${p.rightName} has ${p.rightLength}; they must be aligned to the same timestamps first.`,
  non_finite_value: (p) =>
    `The ${p.series} series has ${plural(p.count, 'value')} that ${p.count === 1 ? 'is' : 'are'} not a number (first: ${p.value} at ${row(p.index)}); check the prices for gaps, zeros or text.`,
  numeric_range: (p) =>
    `The returns are too extreme to compute the ${p.statistic} reliably (beyond what double precision holds); check the units of the data.`,
  too_few_points: (p) =>
    `Only ${plural(p.n, 'data point')}; at least ${p.min} are needed for this statistic.`,
  window_too_long: (p) =>
    `The rolling window of ${p.window} periods is longer than the ${p.n} returns available; use a shorter window or more data.`,
};

/** Wording for the problems of the hedge simulation, funding series and rolls (simulate.ts,
 *  funding.ts, margin.ts, roll.ts). describeProblem (messages.ts) uses this table. */
type Params = Readonly<Record<string, string | number | boolean>>;
type Wording = (p: Params) => string;

const iso = (x: string | number | boolean | undefined): string =>
  typeof x === 'number' && Number.isFinite(x)
    ? new Date(x).toISOString().replace(':00.000Z', 'Z')
    : String(x);

export const simulateMessages: Readonly<Record<string, Wording>> = {
  invalid_collateral: (p) =>
    `The collateral is ${p.value}: it must be a positive USD amount (or left out: the first hedge's notional).`,
  invalid_rate: (p) =>
    `The rate is ${p.value}: write a fraction between 0 and 1, e.g. 0.04% or 0.0004.`,
  invalid_roll: (p) => `The roll is ${p.value} days before expiry: it must be 0 or more days.`,
  invalid_band: (p) =>
    `The band is ${p.value}: it must be 0 or a positive beta distance, e.g. 0.1.`,
  invalid_span: (p) =>
    `The simulation needs at least two bars (from bar ${p.from} to bar ${p.to} of ${p.n}).`,
  no_beta_at_start: (p) =>
    `There is no beta at the start (${iso(p.time)}): the benchmark is flat over the estimation window there. Start later or use a longer window.`,
  funding_not_covering: (p) =>
    `The funding data runs from ${iso(p.first)} to ${iso(p.last)}, but the simulation runs from ${iso(p.start)} to ${iso(p.end)}: funding would be silently missing. Set start/end inside the funding data, or use a constant rate.`,
  funding_gap: (p) =>
    `The funding data has ${p.count} gap(s), the first between ${iso(p.after)} and ${iso(p.before)}: ${p.missing} settlements are missing and are not charged.`,
  not_increasing: (p) =>
    `The funding times must increase: ${iso(p.time)} comes after a later or equal time.`,
};

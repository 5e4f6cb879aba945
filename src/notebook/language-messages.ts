/** Wording for the hedge cell language (src/notebook: parse.ts, schemas.ts, check.ts, names.ts,
 *  session.ts, evaluate.ts): syntax, schema, names and references. describeProblem (src/notebook/messages.ts)
 *  uses this table, so words are still made in one place. `path` is the problem's path joined
 *  with dots (`holdings.SOL`). */
import { isoTime } from '../engine/stats-messages';

type Params = Readonly<Record<string, string | number | boolean>>;
type Words = (p: Params, path: string) => string;

const str = (x: string | number | boolean | undefined) => String(x);
/** Epoch ms as an ISO time without seconds (2025-07-05T00:00Z). */
const iso = (x: string | number | boolean | undefined) =>
  typeof x === 'number' && Number.isFinite(x)
    ? new Date(x).toISOString().replace(':00.000Z', 'Z')
    : str(x);
const usd = (x: string | number | boolean | undefined) =>
  typeof x === 'number' ? `$${Math.round(x).toLocaleString('en-US')}` : str(x);
/** "holdings.SOL: " or '' at the top of a cell. */
const atPath = (path: string) => (path ? `${path}: ` : '');
const got = (p: Params) => (p.got !== undefined ? `, got ${str(p.got)}` : '');
const mean = (p: Params) =>
  p.suggestion !== undefined ? `; did you mean ${str(p.suggestion)}?` : '';

/** "expected ..." wording of the value leaves of the cell language (src/notebook/schemas.ts). */
const expected: Record<string, string> = {
  expected_name: 'a name (letters, digits, . _ - /), e.g. core',
  expected_asset: 'an asset symbol, e.g. BTC',
  expected_asset_key: 'an asset symbol as the key, e.g. SOL: 500',
  expected_asset_list: 'a list of asset symbols, e.g. [ETH, SOL]',
  expected_number: 'a number',
  expected_positive_number: 'a positive number',
  expected_usd: 'a USD amount such as 100000usd or { usd: 100000 }',
  expected_rate: 'a rate such as 0.4% (or 0.004)',
  expected_date:
    'a date such as 2026-12-25 (UTC) or an ISO time such as 2026-12-25T08:00+02:00 (a real calendar day, years 1900 to 2199, offsets up to ±14:00)',
  expected_window: 'all, a number of periods (500) or a length of time (180d, 720h, 4w)',
  expected_frequency:
    'auto or a bar length: 1m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w (or hourly/daily/weekly)',
  expected_holding: 'a number of units or { usd: number } (also 20000usd, 25% or { weight: 25% })',
  expected_holdings: 'a mapping of assets to amounts, e.g. { ETH: 40, UNI: { usd: 20000 } }',
  expected_file: 'a file path relative to the notebook, e.g. data/daily.csv',
  expected_nothing: 'nothing after settings: (put the settings on the lines below)',
  expected_weight: 'a positive weight such as 60% (or 0.6)',
  expected_benchmark:
    'an asset (BTC), a list of assets ([BTC, ETH]) or weights ({ BTC: 60%, ETH: 40% })',
  expected_leg: 'one asset with an amount, e.g. { SOL: 10000usd } or { SOL: 50 }',
  expected_contract_size:
    'a contract size between 0.000000001 and 1,000,000,000 (coin per contract when linear, USD per contract when inverse), e.g. 0.001',
  expected_lot_step: 'a lot step between 0.000000001 and 1,000,000,000 contracts, e.g. 1',
  expected_leverage: 'a leverage between 1 and 125, e.g. 5',
  expected_symbols: 'a mapping of assets to exchange symbols, e.g. { BTC: BTCUSDT }',
  expected_betas_target: 'a portfolio name, all, or a list of assets such as [ETH, SOL]',
  expected_move: 'a move such as -30% or +25% (above -100%)',
  expected_ladder:
    'benchmark moves as a list [-30%, -10%, 10%, 30%] or { from: -50%, to: 50%, step: 10% }',
  expected_scenarios:
    'named scenarios such as { btc-crash: { BTC: -30% }, defi-scare: { BTC: -10%, UNI: -50% } }',
  expected_scenario:
    'moves by asset such as { BTC: -30%, SOL: -50% } (and optionally funding: 0.1%)',
  expected_funding_shock:
    'a funding rate per 8-hour interval such as 0.1% (for a day), or { rate: 0.1%, intervals: 9 }',
  expected_historical:
    'a mapping such as { window: 7d, worst: 3, rallies: 3, dates: { ftx: 2022-11-07 } }',
  expected_count: 'a whole number from 0 to 20',
  expected_dates: 'named start dates such as { ftx-week: 2022-11-07 }',
  expected_inline_hedge: 'a hedge such as { with: BTCUSDT-PERP, target_beta: 0, leverage: 5 }',
  expected_candidates:
    'a list of instruments or baskets such as [BTCUSDT-PERP, ETHUSDT-PERP, { BTC: 50%, ETH: 50% }]',
  expected_compare_item: 'an instrument name or a basket such as { BTC: 50%, ETH: 50% }',
  expected_correlation: 'a correlation between -1 and 1, e.g. 0.8',
  expected_margin:
    'a margin such as 24000usd, or a number in the margin currency (coin for inverse contracts)',
  expected_contracts: 'a non-zero number of contracts, negative for a short, e.g. -2400',
  expected_brackets:
    'a bracket table name (binance-btcusdt) or a list such as [{ up_to: 50000usd, rate: 0.4% }, { up_to: 250000usd, rate: 0.5% }]',
  expected_bracket: 'a bracket such as { up_to: 50000usd, rate: 0.4%, max_leverage: 125 }',
  expected_rebalance: 'never or a period such as 8h, 1d, 1w (also hourly, daily, weekly)',
  expected_band: 'a beta distance of 0 or more, e.g. 0.1',
  expected_stop_loss: 'an adverse move such as 15% (or 0.15)',
  expected_roll_days: 'a number of days before expiry (0 to 90), or none',
  expected_funding:
    'a funding dataset name, a constant rate per 8 hours such as 0.01% (below 5%), or none',
  expected_compare: 'a mapping such as { rebalance: [8h, 1d, 1w], band: [0, 0.05, 0.1] }',
  expected_symbol: 'an exchange symbol such as BTCUSDT',
};

// The cell language: syntax, schema, names and references (notebook helper).
const wording: Record<string, Words> = {
  yaml_syntax: (p) => `YAML syntax error: ${str(p.detail)}`,
  yaml_aliases: (p) =>
    `the aliases (*name) in this cell expand to more than ${str(p.max)} values: write the values out instead`,
  cell_too_large: (p) =>
    `this cell has ${Number(p.chars).toLocaleString('en-US')} characters; a cell holds at most ${Number(p.max).toLocaleString('en-US')}: split it, or keep large data in a price file`,
  cell_too_deep: (p) =>
    `this cell nests brackets or indentation more than ${str(p.max)} levels deep; a cell's values are a few levels deep`,
  more_problems: (p) =>
    `… and ${Number(p.more).toLocaleString('en-US')} more problems in this cell (the first ${str(p.shown)} are shown)`,
  too_many_cells: (p) =>
    `this notebook has ${Number(p.count).toLocaleString('en-US')} cells; the kernel runs notebooks of at most ${Number(p.max).toLocaleString('en-US')} cells: split it into several notebooks`,
  several_documents: (p) =>
    `this cell holds ${str(p.count)} YAML documents separated by ---: put each in its own cell`,
  not_a_mapping: (p) => `a cell is a YAML mapping whose first key says what it is: ${str(p.known)}`,
  unknown_kind: (p) =>
    p.planned === true
      ? `'${str(p.kind)}' cells are not available yet; known kinds: ${str(p.known)}`
      : `unknown cell kind '${str(p.kind)}'${mean(p)}; known kinds: ${str(p.known)}`,
  unknown_key: (p, path) =>
    `${atPath(path.split('.').slice(0, -1).join('.'))}unknown key '${str(p.key)}' in a ${str(p.cellKind)} cell${mean(p)}` +
    ` (keys: ${str(p.known)})`,
  duplicate_key: (p) => `'${str(p.key)}' is given twice in this cell`,
  missing_key: (p, path) =>
    `a ${str(p.cellKind)} cell needs '${path}'${p.hint ? `: ${str(p.hint)}` : ''}`,
  expected_one_of: (p, path) =>
    `${atPath(path)}expected ${str(p.options).replace(/, ([^,]*)$/, ' or $1')}${got(p)}${mean(p)}`,
  invalid_value: (p, path) => `${atPath(path)}${str(p.detail)}${got(p)}`,
  benchmark_weights_sum: (p, path) =>
    `${atPath(path)}the weights add up to ${str(p.sumPct)}%: they must add up to 100%`,
  start_after_end: (_p, path) => `${atPath(path)}the end must be after the start`,
  mixed_weights: (_p, path) =>
    `${atPath(path)}give every holding as a weight (25%) or none: mixing weights with units or USD is ambiguous`,
  weights_need_value: (_p, path) =>
    `${atPath(path)}holdings given as weights need the portfolio's total: add value: 100000usd`,
  future_needs_expiry: () =>
    `a dated future needs its expiry: add expiry: 2026-12-25 (or make it type: perpetual)`,
  perpetual_has_no_expiry: () =>
    `a perpetual has no expiry: remove it, or make the instrument type: future`,
  unknown_bracket_table: (p) =>
    `there is no bracket table called ${str(p.name)}${mean(p)}; shipped tables: ${str(p.known)} (or give your own list of brackets)`,
  unknown_bracket_key: (p, path) =>
    `${atPath(path.split('.').slice(0, -1).join('.'))}unknown key '${str(p.key)}' in a bracket${mean(p)} (keys: ${str(p.known)})`,
  bracket_needs: (p, path) =>
    `${atPath(path)}a bracket needs '${str(p.key)}', e.g. { up_to: 50000usd, rate: 0.4% }`,
  brackets_or_rate: () =>
    `give either maintenance_margin (one rate) or brackets (tiered), not both: with brackets the first bracket's rate applies to small positions`,
  rule_needs_brackets: () =>
    `liquidation_rule applies to brackets you list yourself; a named table carries its exchange's rule`,
  pair_same_asset: (p) =>
    `both legs of the pair are ${str(p.asset)}: a pair is long one asset and short another`,
  // Names and references between cells.
  unknown_name: (p) =>
    `unknown ${str(p.kind)} '${str(p.name)}'${mean(p)} (declared: ${str(p.declared) || 'none'})`,
  duplicate_name: (p) =>
    `${str(p.kind)} '${str(p.name)}' is declared twice: in cell ${str(p.cell)} and cell ${str(p.other)}; rename one`,
  no_prices_declared: () =>
    'no prices are declared: add a cell such as prices: daily with file: data/daily.csv',
  ambiguous_prices: (p) =>
    `several price datasets are declared (${str(p.declared)}): choose one with data: NAME`,
  cell_unknown_asset: (p) =>
    `unknown asset ${str(p.asset)} in ${str(p.where)}${mean(p)} (prices have: ${str(p.known)})`,
  upstream_failed: (p) =>
    p.rootCell !== undefined
      ? `${str(p.kind)} '${str(p.name)}' (cell ${str(p.cell)}) cannot run because ${str(p.rootKind)} '${str(p.rootName)}' (cell ${str(p.rootCell)}) has errors: fix that first`
      : `${str(p.kind)} '${str(p.name)}' (cell ${str(p.cell)}) has errors: fix it first`,
  cycle: (p) => `this cell depends on itself through ${str(p.through)}`,
  cancelled: () => 'cancelled',
  load_failed: (p) => `could not load prices from ${str(p.file)}: ${str(p.detail)}`,
  no_underlying: (p) =>
    `cannot tell which asset ${str(p.name)} follows: add underlying: BTC (prices have: ${str(p.known)})`,
  file_or_exchange: () => 'a prices cell reads a file or an exchange, not both: remove one',
  exchange_only: (_p, path) =>
    `${atPath(path)}only an exchange source has this key (add exchange: binance, or remove it)`,
  exchange_unavailable: () =>
    'exchange prices are not available here (this runner reads files only): use file: instead',
  frequency_finer_than_data: (p) =>
    `frequency: the data is ${str(p.data)}; it cannot be made ${str(p.frequency)} (only coarser bars can be built from it)`,
  window_longer_than_data: (p) =>
    `the window (${typeof p.window === 'number' ? `${p.window} periods` : str(p.window)}) is longer than the data (${str(p.n)} returns): the whole sample is used`,
  window_has_gaps: (p) =>
    `window: ${str(p.window)} covers ${isoTime(p.from)} to ${isoTime(p.to)}: ${str(p.n)} returns of ${str(p.interval)}, not ${str(p.nominal)}, since the data has gaps there; the betas use those ${str(p.n)} returns, and the rolling beta moves a window of ${str(p.n)} returns`,
  sized_on_log_returns: (p) =>
    p.what === 'pair'
      ? 'The pair is sized from betas of log returns: its dollar beta V_A·β_A − V_B·β_B adds betas up, which is exact for simple returns and only approximate for log returns. Set returns: simple in the settings to size a pair.'
      : 'This hedge is sized from betas of log returns: the portfolio beta Σ wᵢ·βᵢ adds betas up, which is exact for simple returns and only approximate for log returns, so the contract count can be off. Set returns: simple in the settings to size a hedge.',
  valued_before_latest: (p) =>
    `The portfolio is valued at ${isoTime(p.asOf)}, the latest time every asset has a price: ${str(p.missing)} ${p.count === 1 ? 'has' : 'have'} no price at ${isoTime(p.latest)}, the latest time in the data.`,
  instrument_expired: (p) =>
    `${str(p.name)} expired at ${isoTime(p.expiry)}, not after the latest prices (${isoTime(p.asOf)}): pick a later expiry or roll`,
  // Renaming a name in the editor (src/notebook/language/names.ts).
  rename_not_a_name: () =>
    'put the cursor on a name a cell declares or refers to (a dataset, portfolio, instrument or pair)',
  rename_derived_name: (p) =>
    `${str(p.kind)} '${str(p.name)}' is not written out here (it is made from ${p.kind === 'prices' ? 'the file name' : 'the legs'}): write ${str(p.kind)}: ${str(p.name)} first${p.kind === 'prices' ? ', with file: on the next line' : ''}`,
  rename_bad_name: (p) =>
    `'${str(p.name)}' is not a name: use letters, digits and . _ - / (e.g. core)`,
  rename_taken: (p) => `${str(p.kind)} '${str(p.name)}' already exists: pick another name`,
  too_many_rules: (p, path) =>
    `${atPath(path)}${str(p.count)} rules to compare: at most ${str(p.max)} (fewer rebalances or bands)`,
  funding_unavailable: () =>
    'funding files are not available here (this runner cannot read them): use a constant rate in the simulate cell',
  funding_unknown_symbol: (p) =>
    `no funding rows for ${str(p.symbol)}${mean(p)} (the data has: ${str(p.known) || 'none'})`,
  funding_no_rows: (p) => `${str(p.source)} has no funding settlements between start and end`,
  funding_symbol_ambiguous: (p) =>
    `funding '${str(p.name)}' has several symbols (${str(p.known)}) and none matches ${str(p.instrument)}: add symbol: to the funding cell`,
  funding_on_future: (p) =>
    `${str(p.instrument)} is a dated future: futures pay no funding (remove funding:, or hedge with a perpetual)`,
  simulation_too_short: (p) =>
    `too little data to simulate: ${str(p.n)} returns for an estimation window of ${str(p.window)}; use a shorter window or more data`,
  start_after_data: (p) => `the start ${iso(p.start)} is after the last bar (${iso(p.last)})`,
  simulation_start_moved: (p) =>
    `the simulation starts at ${iso(p.first)}, not ${iso(p.start)}: the first ${str(p.window)} returns fill the estimation window`,
  roll_on_perpetual: (p) =>
    `${str(p.instrument)} is a perpetual: roll_days and roll_cost are ignored`,
  decisions_skipped: (p) =>
    `${str(p.count)} rebalance(s) were skipped: a beta was unknown there (the benchmark was flat over the window)`,
  collateral_short: (p) =>
    `the collateral (${usd(p.collateral)}) could not cover the margin at ${str(p.count)} trade(s): all of it was posted and the leg ran at a higher leverage; set a larger collateral`,
  too_many_scenarios: (p) =>
    `${str(p.n)} scenarios is more than the ${str(p.max)} a stress cell runs: use a coarser ladder step or fewer scenarios`,
  unknown_historical_key: (p, path) =>
    `${atPath(path.split('.').slice(0, -1).join('.'))}unknown key '${str(p.key)}' in historical${mean(p)} (keys: ${str(p.known)})`,
  unknown_hedge_key: (p, path) =>
    `${atPath(path.split('.').slice(0, -1).join('.'))}unknown key '${str(p.key)}' in the hedge${mean(p)} (keys: ${str(p.known)})`,
  hedge_needs_with: (_p, path) =>
    `${atPath(path)}the hedge needs the instrument to hedge with: { with: BTCUSDT-PERP }`,
  hedge_or_position: () =>
    'stress either a hedge sized here (hedge:) or a held position (held:), not both',
  too_many_candidates: (p) =>
    `${str(p.n)} candidates is more than ${str(p.max)}: compare fewer at a time`,
  margin_or_leverage: () =>
    'give either the margin posted or the leverage, not both (the margin is the entry notional over the leverage)',
  position_other_portfolio: (p) =>
    `position ${str(p.position)} hedges portfolio ${str(p.portfolio)}, not ${str(p.stressed)}: the stress applies it to ${str(p.stressed)} anyway`,
  historical_window_too_long: (p) =>
    `the historical window (${str(p.window)} periods) is as long as the data (${str(p.n)} rows): no historical scenario is replayed`,
  date_outside_data: (p) =>
    `${str(p.name)}: a window starting ${str(p.date)} does not fit in the data (windows can start from ${str(p.first)} to ${str(p.last)})`,
  hedge_liquidated_in_scenarios: (p) =>
    `the hedge leg is liquidated in ${str(p.count)} scenario(s) (${str(p.first)}${Number(p.count) > 3 ? ', …' : ''})${p.move ? `: a benchmark move of ${str(p.move)} liquidates it` : ''}; lower the leverage or add margin`,
  correlation_below_threshold: (p) =>
    `${str(p.candidate)}: its correlation with the book over the last ${str(p.periods)} periods is ${Number(p.recent).toFixed(2)}, below ${str(p.threshold)}: basis risk, the hedge may not move with the book`,
  correlation_dropped: (p) =>
    `${str(p.candidate)}: its correlation with the book fell to ${Number(p.recent).toFixed(2)} over the last ${str(p.periods)} periods from ${Number(p.longRun).toFixed(2)} over the estimation window: the relation is breaking down`,
  funding_needs_opened: () =>
    'funding since opening needs the opening time: add opened: 2026-11-02 (nothing is counted without it)',
  opened_after_data: (p) =>
    `the position is opened ${str(p.opened)}, after the last price (${str(p.asOf)})`,
  internal_error: (p) =>
    `internal error while evaluating this cell (please report it): ${str(p.detail)}`,
};
for (const [code, words] of Object.entries(expected)) {
  wording[code] = (p, path) => `${atPath(path)}expected ${words}${got(p)}${mean(p)}`;
}

export const languageMessages: Readonly<Record<string, Words>> = wording;

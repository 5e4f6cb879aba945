/** Maintenance-margin bracket tables of common BTC and ETH contracts, shipped as data. An
 *  instrument cell names one (`brackets: binance-btcusdt`) or gives its own. Exchanges change
 *  these tables (Binance and Bybit announce each change); each table says where its figures
 *  come from and when, and a user with newer figures writes them into the cell.
 *
 *  Caps, rates and leverages are as published; where a source gives no maintenance amounts they
 *  are derived by the rule both exchanges publish (brackets.ts, deriveAmounts), and where it
 *  does, a test checks that the published amounts follow the rule. */
import { type Bracket, type BracketTable, deriveAmounts } from './brackets';

function table(
  name: string,
  unit: BracketTable['unit'],
  rule: BracketTable['rule'],
  source: string,
  rows: readonly (readonly [cap: number, rate: number, maxLeverage: number])[],
  published?: readonly number[],
): BracketTable {
  const amounts =
    published ??
    deriveAmounts(
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
    );
  const brackets: Bracket[] = rows.map(([cap, rate, maxLeverage], k) => ({
    cap,
    rate,
    amount: amounts[k] as number,
    maxLeverage,
  }));
  return { name, unit, rule, brackets, source };
}

/** Binance USDⓈ-M BTCUSDT perpetual. Source: Binance announcement "Updates to Leverage and
 *  Margin Tiers of Binance Futures Contracts (2021-03-18)", table "BTCUSDT 125x perpetual
 *  contract" (position in USDT notional, leverage, maintenance margin), effective 2021-03-18
 *  09:00 UTC. Maintenance amounts (cum) as Binance's leverage-and-margin page listed them for
 *  this table (0, 50, 1,300, 16,300, ...; they follow the published rule, test-checked). */
export const BINANCE_BTCUSDT = table(
  'binance-btcusdt',
  'usd',
  'binance',
  'Binance, "Updates to Leverage and Margin Tiers of Binance Futures Contracts" (2021-03-18), BTCUSDT perpetual',
  [
    [50_000, 0.004, 125],
    [250_000, 0.005, 100],
    [1_000_000, 0.01, 50],
    [10_000_000, 0.025, 20],
    [20_000_000, 0.05, 10],
    [50_000_000, 0.1, 5],
    [100_000_000, 0.125, 4],
    [200_000_000, 0.15, 3],
    [300_000_000, 0.25, 2],
    [500_000_000, 0.5, 1],
  ],
  [0, 50, 1_300, 16_300, 266_300, 1_266_300, 2_516_300, 5_016_300, 25_016_300, 100_016_300],
);

/** Binance USDⓈ-M ETHUSDT perpetual. Brackets and leverages: Binance FAQ "Leverage and Margin
 *  of USDⓈ-M Futures" (support/faq/360033162192, first published 2020-06-24; its "100x
 *  USDT-Margined Perpetual Contract (ETHUSDT)" table, which gives initial margin rates). The
 *  FAQ gives no maintenance rates: these are the rates Binance's leverage-and-margin page showed
 *  for the same brackets in 2021 (0.5 %, 0.65 %, 1 %, 2 %, 5 %, 10 %, 12.5 %, 15 %, 25 %; as
 *  copied into public liquidation calculators, e.g. GitHub gist crackcomm/e29582030d9e), i.e.
 *  half of each bracket's initial margin rate, Binance's convention in these tables. The FAQ
 *  gives no cap for the last bracket (> 20,000,000 at 2×): it is open here. Amounts derived. */
export const BINANCE_ETHUSDT = table(
  'binance-ethusdt',
  'usd',
  'binance',
  'Binance FAQ "Leverage and Margin of USDⓈ-M Futures" (2020-06-24; rates as listed by Binance in 2021), ETHUSDT perpetual',
  [
    [10_000, 0.005, 100],
    [100_000, 0.0065, 75],
    [500_000, 0.01, 50],
    [1_000_000, 0.02, 25],
    [2_000_000, 0.05, 10],
    [5_000_000, 0.1, 5],
    [10_000_000, 0.125, 4],
    [20_000_000, 0.15, 3],
    [Infinity, 0.25, 2],
  ],
);

/** Binance COIN-M BTCUSD quarterly futures (inverse; brackets in BTC). Source: Binance
 *  announcement of the margin-tier adjustment of BTC and ETH coin-margined quarterly contracts
 *  (BTCUSD 0924 / 1231 quarterlies), effective 2021-08-23 08:30 UTC ("Position After Change
 *  (Notional Value in BTC)", "Maintenance Margin Rate (After Change)"). Amounts derived. */
export const BINANCE_BTCUSD_QUARTERLY = table(
  'binance-btcusd-quarterly',
  'coin',
  'binance',
  'Binance, margin tiers of BTC coin-margined quarterly contracts (effective 2021-08-23), BTCUSD quarterly',
  [
    [10, 0.01, 50],
    [50, 0.025, 20],
    [100, 0.05, 10],
    [200, 0.1, 5],
    [400, 0.125, 4],
    [800, 0.15, 3],
    [1_500, 0.25, 2],
    [5_000, 0.5, 1],
  ],
);

/** Binance COIN-M ETHUSD quarterly futures (inverse; brackets in ETH). Same announcement as
 *  BINANCE_BTCUSD_QUARTERLY (ETHUSD 0924 / 1231 quarterlies; the repost we read heads the
 *  column "Notional Value in BTC", a copy of the BTC table's heading: COIN-M ETH brackets are
 *  counted in ETH). Amounts derived. */
export const BINANCE_ETHUSD_QUARTERLY = table(
  'binance-ethusd-quarterly',
  'coin',
  'binance',
  'Binance, margin tiers of ETH coin-margined quarterly contracts (effective 2021-08-23), ETHUSD quarterly',
  [
    [100, 0.01, 50],
    [500, 0.025, 20],
    [1_000, 0.05, 10],
    [2_000, 0.1, 5],
    [3_000, 0.125, 4],
    [5_000, 0.15, 3],
    [10_000, 0.25, 2],
    [50_000, 0.5, 1],
  ],
);

/** Bybit USDT perpetual BTCUSDT (isolated and cross margin). Source: Bybit "Margin Parameters"
 *  page (bybit.com/en/announcement-info/margin-parameters, Perpetual, USDT-based, BTCUSDT):
 *  tiers 1–20 with risk limit, max leverage, maintenance margin rate and maintenance margin
 *  deduction, as shown in a stored copy read 2026-12-06 (the page is live and undated; Bybit
 *  changes it by announcement). Deductions as published (they follow the rule, test-checked). */
export const BYBIT_BTCUSDT = table(
  'bybit-btcusdt',
  'usd',
  'bybit',
  'Bybit "Margin Parameters", BTCUSDT perpetual, tiers 1-20 (read 2026-12-06)',
  [
    [2_000_000, 0.005, 100],
    [2_600_000, 0.0056, 90],
    [3_200_000, 0.0063, 80],
    [3_800_000, 0.0067, 75],
    [4_400_000, 0.0071, 70],
    [5_000_000, 0.0077, 65],
    [5_600_000, 0.0091, 55],
    [8_500_000, 0.01, 50],
    [10_000_000, 0.013, 45],
    [14_000_000, 0.015, 40],
    [20_000_000, 0.016, 35],
    [28_000_000, 0.02, 30],
    [38_000_000, 0.025, 25],
    [50_000_000, 0.029, 20],
    [55_000_000, 0.03, 19],
    [60_000_000, 0.035, 18],
    [65_000_000, 0.036, 17],
    [70_000_000, 0.038, 16],
    [75_000_000, 0.04, 15],
    [80_000_000, 0.045, 14],
  ],
  [
    0, 1_200, 3_020, 4_300, 5_820, 8_460, 15_460, 20_500, 46_000, 66_000, 80_000, 160_000, 300_000,
    452_000, 502_000, 777_000, 837_000, 967_000, 1_107_000, 1_482_000,
  ],
);

/** The shipped tables by name (what `brackets: NAME` in an instrument cell refers to). */
export const BRACKET_TABLES: Readonly<Record<string, BracketTable>> = Object.freeze(
  Object.fromEntries(
    [
      BINANCE_BTCUSDT,
      BINANCE_ETHUSDT,
      BINANCE_BTCUSD_QUARTERLY,
      BINANCE_ETHUSD_QUARTERLY,
      BYBIT_BTCUSDT,
    ].map((t) => [t.name, t]),
  ),
);

/** The `hedge` cell language, step 2: one zod schema per cell kind (docs/language.md is the
 *  reference). Leaves parse what traders write — `10000usd`, `{ usd: 20000 }`, `-30%`, `180d` —
 *  and report failures as custom issues whose params carry a problem code (`problem`), so
 *  check.ts can turn them into located problems worded by src/engine/messages.ts.
 *
 *  Every kind and every key carries its documentation: `.meta(kind({...}))` on the object,
 *  `.meta(key({...}))` on each key (meta.ts says how; completions, hovers and the key tables of
 *  docs/language.md are made from it, and a test fails when a key has none). */
import * as z from 'zod';
import { BRACKET_TABLES } from '../engine/bracket-tables';
import { suggest } from './parse';
import { key, kind } from './meta';

// ---------------------------------------------------------------------------------------------
// Value parsers (pure; exported for tests and for the evaluator).

const NUMBER = String.raw`[+-]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?`;
const AMOUNT_RE = new RegExp(
  String.raw`^\s*(\$)?\s*(${NUMBER})\s*([km])?\s*(usd|usdt|usdc|\$)?\s*$`,
  'i',
);

/** A USD amount: `10000usd`, `10,000 USD`, `$10000`, `10k usd`, `1.5m usd`; with `bare` also a
 *  plain number. Returns undefined when the text is not an amount. */
export function parseUsd(v: unknown, bare = true): number | undefined {
  if (typeof v === 'number') return bare && Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = AMOUNT_RE.exec(v);
  if (!m) return undefined;
  const [, dollar, num, scale, unit] = m;
  if (!dollar && !unit && !bare) return undefined;
  const n = Number((num ?? '').replace(/[_,]/g, ''));
  const k = scale?.toLowerCase() === 'k' ? 1e3 : scale?.toLowerCase() === 'm' ? 1e6 : 1;
  const x = n * k;
  return Number.isFinite(x) ? x : undefined;
}

/** `-30%` -> -0.3; a plain number is taken as a fraction when `bare` (0.4 = 40%). */
export function parsePercent(v: unknown, bare = true): number | undefined {
  if (typeof v === 'number') return bare && Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = new RegExp(String.raw`^\s*(${NUMBER})\s*%\s*$`).exec(v);
  if (!m) return undefined;
  const x = Number((m[1] ?? '').replace(/[_,]/g, '')) / 100;
  return Number.isFinite(x) ? x : undefined;
}

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 365 * 86_400_000,
};

/** An estimation window: `all`, a number of periods (`500`) or a length of time (`180d`, `720h`,
 *  `4w`, `1y`; minutes as `30m` or `30min`). */
export type Window =
  | { kind: 'all' }
  | { kind: 'periods'; periods: number }
  | { kind: 'time'; ms: number; text: string };

export function parseWindow(v: unknown): Window | undefined {
  if (v === 'all') return { kind: 'all' };
  if (typeof v === 'number')
    return Number.isInteger(v) && v >= 3 ? { kind: 'periods', periods: v } : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(min|m|h|d|w|y)\s*$/i.exec(v);
  if (!m) {
    const p = /^\s*(\d+)\s*(periods?|bars?)?\s*$/i.exec(v);
    return p && Number(p[1]) >= 3 ? { kind: 'periods', periods: Number(p[1]) } : undefined;
  }
  const ms = Number(m[1]) * (UNIT_MS[(m[2] ?? '').toLowerCase()] ?? NaN);
  return Number.isFinite(ms) && ms > 0 ? { kind: 'time', ms, text: v.trim() } : undefined;
}

export const FREQUENCY_WORDS: Record<string, string> = {
  hourly: '1h',
  daily: '1d',
  weekly: '1w',
};
const FREQUENCIES = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '1w'];

/** `auto` (the data's own spacing) or a bar length: 1m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w, or
 *  hourly / daily / weekly. Returns { label, ms } (ms null for auto). */
export function parseFrequency(v: unknown): { label: string; ms: number | null } | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'auto') return { label: 'auto', ms: null };
  const label = FREQUENCY_WORDS[t] ?? t;
  if (!FREQUENCIES.includes(label)) return undefined;
  const m = /^(\d+)([mhdw])$/.exec(label);
  return m ? { label, ms: Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN) } : undefined;
}

/** Years a date in a cell may have: crypto data and contract expiries live well inside them; a
 *  year such as 0024 or 9999 is a typo, not a date. */
export const DATE_YEARS = { min: 1900, max: 2199 } as const;

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;

/** `2026-12-25` (00:00 UTC) or an ISO date-time (UTC unless it gives an offset) -> epoch ms.
 *  Strict: a real calendar day (no 2024-02-30), hours 00–23, minutes and seconds 00–59, an
 *  offset within ±14:00 (the widest in use), a year in DATE_YEARS. */
export function parseDate(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = DATE_RE.exec(v.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const ms = Math.floor(Number(`0${m[7] ?? ''}`) * 1000); // milliseconds; finer digits dropped
  if (year < DATE_YEARS.min || year > DATE_YEARS.max || month < 1 || month > 12) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (om > 59 || oh * 60 + om > 14 * 60) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset;
}

const ASSET_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export function parseAsset(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return typeof v === 'string' && ASSET_RE.test(v.trim()) ? v.trim() : undefined;
}

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,63}$/;
export function parseName(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && NAME_RE.test(v.trim()) ? v.trim() : undefined;
}

export type Holding = { units: number } | { usd: number } | { weight: number };

/** A holding: a number of units (`500`), a USD amount (`20000usd`, `{ usd: 20000 }`), a weight of
 *  the portfolio's value (`25%`, `{ weight: 25% }`), or `{ units: 500 }`. */
export function parseHolding(v: unknown): Holding | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v !== 0 ? { units: v } : undefined;
  if (typeof v === 'string') {
    const usd = parseUsd(v, false);
    if (usd !== undefined) return usd !== 0 ? { usd } : undefined;
    const w = parsePercent(v, false);
    if (w !== undefined) return w !== 0 ? { weight: w } : undefined;
    return undefined;
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v);
    if (entries.length !== 1) return undefined;
    const [k, x] = entries[0] ?? ['', undefined];
    if (k === 'usd') {
      const usd = parseUsd(x);
      return usd !== undefined && usd !== 0 ? { usd } : undefined;
    }
    if (k === 'units')
      return typeof x === 'number' && Number.isFinite(x) && x !== 0 ? { units: x } : undefined;
    if (k === 'weight') {
      const w = parsePercent(x);
      return w !== undefined && w !== 0 ? { weight: w } : undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// zod leaves: each reports { problem: code, ...params } in a custom issue.

type IssueParams = Record<string, string | number | boolean>;

function leaf<T>(problem: string, parse: (v: unknown) => T | undefined, params?: IssueParams) {
  return z.unknown().transform((v, ctx): T => {
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: 'missing_key', params: { problem: 'missing_key' } });
      return z.NEVER;
    }
    const r = parse(v);
    if (r === undefined) {
      ctx.addIssue({ code: 'custom', message: problem, params: { problem, ...params } });
      return z.NEVER;
    }
    return r;
  });
}

function oneOf<const T extends string>(options: readonly T[]) {
  return z.unknown().transform((v, ctx): T => {
    if (typeof v === 'string' && (options as readonly string[]).includes(v.trim()))
      return v.trim() as T;
    const params: IssueParams = { problem: 'expected_one_of', options: options.join(', ') };
    const s = typeof v === 'string' ? suggest(v, options) : undefined;
    if (s) params.suggestion = s;
    ctx.addIssue({
      code: 'custom',
      message: 'expected_one_of',
      params: v === undefined ? { problem: 'missing_key' } : params,
    });
    return z.NEVER;
  });
}

const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const positive = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;

export const nameLeaf = leaf('expected_name', parseName);
const assetLeaf = leaf('expected_asset', parseAsset);
const assetList = leaf('expected_asset_list', (v) => {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out = v.map(parseAsset);
  return out.every((a): a is string => a !== undefined) ? out : undefined;
});
const numberLeaf = leaf('expected_number', finite);
const positiveLeaf = leaf('expected_positive_number', positive);
const usdLeaf = leaf('expected_usd', (v) => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const e = Object.entries(v);
    return e.length === 1 && e[0]?.[0] === 'usd' ? parseUsd(e[0][1]) : undefined;
  }
  const x = parseUsd(v);
  return x !== undefined && x > 0 ? x : undefined;
});
const rateLeaf = leaf('expected_rate', (v) => {
  const x = parsePercent(v);
  return x !== undefined && x >= 0 && x < 1 ? x : undefined;
});
const dateLeaf = leaf('expected_date', parseDate);
const windowLeaf = leaf('expected_window', parseWindow);
const frequencyLeaf = leaf('expected_frequency', parseFrequency);
const fileLeaf = leaf('expected_file', (v) =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined,
);
const absent = leaf('expected_nothing', (v) => (v === null ? null : undefined)).optional();

export type Benchmark = { asset: string; weight: number }[];

/** `BTC`, `[BTC, ETH]` (equal weights) or `{ BTC: 60%, ETH: 40% }` (weights add up to 100%). */
const benchmarkLeaf = z.unknown().transform((v, ctx): Benchmark => {
  const a = parseAsset(v);
  if (a !== undefined) return [{ asset: a, weight: 1 }];
  if (Array.isArray(v) && v.length > 0) {
    const assets = v.map(parseAsset);
    if (assets.every((x): x is string => x !== undefined))
      return assets.map((asset) => ({ asset, weight: 1 / assets.length }));
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const out: Benchmark = [];
    let bad = false;
    for (const [asset, w] of Object.entries(v)) {
      const weight = parsePercent(w);
      if (parseAsset(asset) === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected_asset',
          path: [asset],
          params: { problem: 'expected_asset_key' },
        });
        bad = true;
      } else if (weight === undefined || !(weight > 0)) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected_weight',
          path: [asset],
          params: { problem: 'expected_weight' },
        });
        bad = true;
      } else out.push({ asset, weight });
    }
    if (bad) return z.NEVER;
    const sum = out.reduce((s, x) => s + x.weight, 0);
    if (out.length > 0 && Math.abs(sum - 1) <= 1e-6) return out;
    if (out.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'benchmark_weights_sum',
        params: { problem: 'benchmark_weights_sum', sumPct: Math.round(sum * 1e4) / 100 },
      });
      return z.NEVER;
    }
  }
  ctx.addIssue({
    code: 'custom',
    message: 'expected_benchmark',
    params: v === undefined ? { problem: 'missing_key' } : { problem: 'expected_benchmark' },
  });
  return z.NEVER;
});

export type Leg = { asset: string; amount: { usd: number } | { units: number } };
/** A pair leg: exactly one asset with a USD amount or units: `{ SOL: 10000usd }`. */
const legLeaf = leaf('expected_leg', (v): Leg | undefined => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const e = Object.entries(v);
  if (e.length !== 1) return undefined;
  const [asset, x] = e[0] ?? ['', undefined];
  if (parseAsset(asset) === undefined) return undefined;
  const h = parseHolding(x);
  if (!h || 'weight' in h) return undefined;
  if (('usd' in h && h.usd < 0) || ('units' in h && h.units < 0)) return undefined;
  return { asset, amount: h };
});

// ---------------------------------------------------------------------------------------------
// One schema per cell kind. Keys are snake_case; `data` picks a price dataset when several exist.

const leverageLeaf = leaf('expected_leverage', (v) =>
  typeof v === 'number' && v >= 1 && v <= 125 ? v : undefined,
);

export const EXCHANGE_INTERVALS = [
  '1m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '12h',
  '1d',
  '1w',
] as const;
export type ExchangeInterval = (typeof EXCHANGE_INTERVALS)[number];

/** The exchange's symbol for an asset: BTCUSDT (spot, linear), BTCUSD_PERP (Binance COIN-M),
 *  BTCUSD (Bybit inverse). */
export function defaultSymbol(
  exchange: 'binance' | 'bybit',
  market: 'spot' | 'linear' | 'inverse',
  asset: string,
): string {
  const a = asset.toUpperCase();
  if (market !== 'inverse') return `${a}USDT`;
  return exchange === 'binance' ? `${a}USD_PERP` : `${a}USD`;
}

/** `{ BTC: BTCUSDT, ETH: ETHUSDT }`: asset -> exchange symbol. */
const symbolsLeaf = leaf('expected_symbols', (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out = Object.entries(v).map(([asset, symbol]) => ({
    asset: parseAsset(asset),
    symbol: typeof symbol === 'string' && /^[A-Za-z0-9_.-]+$/.test(symbol) ? symbol : undefined,
  }));
  return out.length > 0 && out.every((x) => x.asset !== undefined && x.symbol !== undefined)
    ? (out as { asset: string; symbol: string }[])
    : undefined;
});

/** `data: NAME`, shared by every kind that reads prices. */
const dataKey = nameLeaf.optional().meta(
  key({
    description: 'the price dataset to use when the notebook declares more than one',
    default: 'the only one',
    example: 'daily',
    names: 'prices',
  }),
);

const EXCHANGES = ['binance', 'bybit'] as const;
const MARKETS = ['spot', 'linear', 'inverse'] as const;
const RETURNS = ['simple', 'log'] as const;
const INSTRUMENT_TYPES = ['perpetual', 'future'] as const;
const SETTLEMENTS = ['linear', 'inverse'] as const;

export const PricesCell = z
  .strictObject({
    prices: z
      .unknown()
      .optional()
      .meta(
        key({
          description:
            "the dataset's name; `prices: data/daily.csv` is short for `prices: daily` + `file: data/daily.csv`",
          default: '`prices`',
          example: 'daily',
        }),
      ),
    file: fileLeaf.optional().meta(
      key({
        description:
          'a `.csv`, `.tsv`, `.txt` or `.json` file (wide `date,BTC,ETH`, long `date,asset,price`, OHLCV) relative to the notebook, under its folder (docs/data.md, file rule)',
        default: 'required (or `exchange`)',
        example: 'data/daily.csv',
        file: true,
        snippet: true,
      }),
    ),
    exchange: oneOf(EXCHANGES)
      .optional()
      .meta(
        key({
          description: 'read public market data from an exchange instead of a file (disk-cached)',
          default: 'none',
          example: 'binance',
          values: EXCHANGES,
        }),
      ),
    market: oneOf(MARKETS)
      .optional()
      .meta(
        key({
          description:
            'exchange only: `spot`, `linear` (USDⓈ-margined futures) or `inverse` (coin-margined)',
          default: '`spot`',
          example: 'linear',
          values: MARKETS,
        }),
      ),
    interval: oneOf(EXCHANGE_INTERVALS)
      .optional()
      .meta(
        key({
          description: 'exchange only: the candle length',
          default: '`1d`',
          example: '4h',
          values: EXCHANGE_INTERVALS,
        }),
      ),
    symbols: symbolsLeaf.optional().meta(
      key({
        description:
          'exchange only: explicit symbols instead of the defaults (`BTCUSDT` spot and linear, `BTCUSD_PERP` Binance inverse, `BTCUSD` Bybit inverse)',
        default: 'from `assets`',
        example: '{ BTC: BTCUSDT, ETH: ETHUSDT }',
        assets: true,
      }),
    ),
    assets: assetList.optional().meta(
      key({
        description:
          'a file: keep only these columns; an exchange: the coins to fetch (required there, or `symbols`)',
        default: 'all',
        example: '[BTC, ETH, SOL]',
        assets: true,
      }),
    ),
    start: dateLeaf.optional().meta(
      key({
        description: 'keep rows from this time on (an exchange source needs it: the first candle)',
        default: 'the first row',
        example: '2024-01-01',
      }),
    ),
    end: dateLeaf.optional().meta(
      key({
        description: 'keep rows up to this time (an exchange: only closed candles are used)',
        default: 'the last row (now)',
        example: '2024-12-31',
      }),
    ),
  })
  .meta(
    kind({
      description:
        'declares a price dataset from a file or an exchange; series are aligned on the timestamps they share, dropped points are listed, never filled in',
      example: 'prices: daily\nfile: data/daily.csv',
    }),
  )
  .transform((v, ctx) => {
    // `prices: data/daily.csv` is short for `prices: daily` + `file: data/daily.csv`.
    let name = 'prices';
    let file = v.file;
    const head = v.prices;
    if (typeof head === 'string' && /\.(csv|json)$/i.test(head.trim()) && file === undefined) {
      file = head.trim();
      name = (head.trim().split(/[\\/]/).pop() ?? 'prices').replace(/\.(csv|json)$/i, '');
    } else if (head !== undefined && head !== null) {
      const n = parseName(head);
      if (n === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected_name',
          path: ['prices'],
          params: { problem: 'expected_name' },
        });
        return z.NEVER;
      }
      name = n;
    }
    const issue = (path: string, problem: string) => {
      ctx.addIssue({ code: 'custom', message: problem, path: [path], params: { problem } });
      return z.NEVER;
    };
    if (file !== undefined && v.exchange !== undefined)
      return issue('exchange', 'file_or_exchange');
    if (file === undefined && v.exchange === undefined) return issue('file', 'missing_key');
    if (v.exchange === undefined)
      for (const k of ['market', 'interval', 'symbols'] as const)
        if (v[k] !== undefined) return issue(k, 'exchange_only');
    if (v.exchange !== undefined && v.start === undefined) return issue('start', 'missing_key');
    if (v.exchange !== undefined && v.assets === undefined && v.symbols === undefined)
      return issue('assets', 'missing_key');
    if (v.start !== undefined && v.end !== undefined && v.start >= v.end) {
      ctx.addIssue({
        code: 'custom',
        message: 'start_after_end',
        path: ['end'],
        params: { problem: 'start_after_end' },
      });
      return z.NEVER;
    }
    const market = v.market ?? 'spot';
    const exchange =
      v.exchange === undefined
        ? null
        : {
            exchange: v.exchange,
            market,
            interval: v.interval ?? '1d',
            symbols:
              v.symbols ??
              (v.assets ?? []).map((asset) => ({
                asset,
                symbol: defaultSymbol(v.exchange ?? 'binance', market, asset),
              })),
          };
    return {
      kind: 'prices' as const,
      name,
      file: file ?? null,
      exchange,
      assets: exchange ? null : (v.assets ?? null),
      start: v.start ?? null,
      end: v.end ?? null,
    };
  });

export const SettingsCell = z
  .strictObject({
    settings: absent.meta(
      key({
        description:
          'optional first line of a settings cell (then the keys below); a cell starting with `benchmark:`, `returns:`, `window:` or `frequency:` is one too',
        default: 'none',
        example: '',
      }),
    ),
    benchmark: benchmarkLeaf.optional().meta(
      key({
        description:
          'what betas are measured against: one asset, a list (equal weights) or weights adding up to 100% (a basket rebalanced every period)',
        default: '`BTC`',
        example: 'BTC',
        assets: true,
        snippet: true,
      }),
    ),
    returns: oneOf(RETURNS)
      .optional()
      .meta(
        key({
          description:
            'how returns are computed from prices: `simple` (p₁/p₀ − 1) or `log` (ln p₁/p₀); size hedges and pairs from `simple` (Σ wᵢβᵢ is exact for simple returns only)',
          default: '`simple`',
          example: 'simple',
          values: RETURNS,
          snippet: true,
        }),
      ),
    window: windowLeaf.optional().meta(
      key({
        description:
          'the estimation window: betas use the last `window` returns (`500` periods) or the returns of the last stretch of time (`180d`, `720h`, `4w`, `1y`: fewer returns where the data has gaps, with a warning giving the dates), or `all`; with a window the rolling beta moves it over the whole sample',
        default: '`all`',
        example: '180d',
        words: ['all', '90d', '180d', '365d'],
        snippet: true,
      }),
    ),
    frequency: frequencyLeaf.optional().meta(
      key({
        description:
          "resample to coarser bars (last price of each bar); `auto` keeps the data's own spacing",
        default: '`auto`',
        example: 'daily',
        values: ['auto', ...FREQUENCIES, ...Object.keys(FREQUENCY_WORDS)],
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        'how betas are estimated (benchmark, returns, window, frequency); at most one per notebook, without one the defaults apply',
      example: 'benchmark: BTC\nreturns: log\nwindow: 180d',
    }),
  )
  .transform((v) => ({
    kind: 'settings' as const,
    name: 'settings',
    benchmark: v.benchmark ?? DEFAULT_SETTINGS.benchmark,
    returns: v.returns ?? DEFAULT_SETTINGS.returns,
    window: v.window ?? DEFAULT_SETTINGS.window,
    frequency: v.frequency ?? DEFAULT_SETTINGS.frequency,
    data: v.data ?? null,
  }));

export const DEFAULT_SETTINGS = {
  benchmark: [{ asset: 'BTC', weight: 1 }] as Benchmark,
  returns: 'simple' as 'simple' | 'log',
  window: { kind: 'all' } as Window,
  frequency: { label: 'auto', ms: null } as { label: string; ms: number | null },
};

export const PortfolioCell = z
  .strictObject({
    portfolio: nameLeaf.meta(
      key({ description: "the portfolio's name", default: 'required', example: 'core' }),
    ),
    holdings: z
      .unknown()
      .transform((v, ctx) => {
        if (v === undefined || v === null) {
          ctx.addIssue({
            code: 'custom',
            message: 'missing_key',
            params: { problem: v === undefined ? 'missing_key' : 'expected_holdings' },
          });
          return z.NEVER;
        }
        if (typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0) {
          ctx.addIssue({
            code: 'custom',
            message: 'expected_holdings',
            params: { problem: 'expected_holdings' },
          });
          return z.NEVER;
        }
        const out: { asset: string; holding: Holding }[] = [];
        let bad = false;
        for (const [asset, x] of Object.entries(v)) {
          const h = parseHolding(x);
          if (parseAsset(asset) === undefined) {
            ctx.addIssue({
              code: 'custom',
              message: 'expected_asset',
              path: [asset],
              params: { problem: 'expected_asset_key' },
            });
            bad = true;
          } else if (!h) {
            ctx.addIssue({
              code: 'custom',
              message: 'expected_holding',
              path: [asset],
              params: { problem: 'expected_holding' },
            });
            bad = true;
          } else out.push({ asset, holding: h });
        }
        return bad ? z.NEVER : out;
      })
      .meta(
        key({
          description:
            'asset → amount: units (`40`), USD (`20000usd`, `{ usd: 20000 }`) or a weight (`25%`, then `value` is required); weights and units/USD cannot be mixed',
          default: 'required',
          example: '{ ETH: 40, SOL: 500, UNI: { usd: 20000 } }',
          assets: true,
        }),
      ),
    value: usdLeaf.optional().meta(
      key({
        description:
          "the portfolio's total in USD, for holdings given as weights (the rest is cash, beta 0)",
        default: 'none',
        example: '100000usd',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        'spot holdings, valued at the latest time every asset of the dataset has a price',
      example: 'portfolio: core\nholdings: { ETH: 40, SOL: 500, BTC: 0.5, UNI: { usd: 20000 } }',
    }),
  )
  .transform((v, ctx) => {
    const weights = v.holdings.filter((h) => 'weight' in h.holding);
    if (weights.length > 0 && weights.length < v.holdings.length) {
      ctx.addIssue({
        code: 'custom',
        message: 'mixed_weights',
        path: ['holdings'],
        params: { problem: 'mixed_weights' },
      });
      return z.NEVER;
    }
    if (weights.length > 0 && v.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'weights_need_value',
        path: ['holdings'],
        params: { problem: 'weights_need_value' },
      });
      return z.NEVER;
    }
    return {
      kind: 'portfolio' as const,
      name: v.portfolio,
      holdings: v.holdings,
      value: v.value ?? null,
      data: v.data ?? null,
    };
  });

/** One maintenance-margin bracket as written in a cell (engine validation comes later). */
export interface BracketRow {
  cap: number;
  rate: number;
  amount?: number;
  maxLeverage?: number;
}
export type BracketsSpec = { kind: 'table'; name: string } | { kind: 'custom'; rows: BracketRow[] };

const BRACKET_KEYS = ['up_to', 'rate', 'amount', 'max_leverage'] as const;
const LIQUIDATION_RULES = ['binance', 'bybit'] as const;

/** `brackets: binance-btcusdt` (a shipped table) or a list of brackets
 *  `[{ up_to: 50000usd, rate: 0.4%, max_leverage: 125 }, ...]` (amount optional: derived). */
const bracketsLeaf = z.unknown().transform((v, ctx): BracketsSpec => {
  const issue = (path: (string | number)[], problem: string, params: IssueParams = {}) =>
    ctx.addIssue({ code: 'custom', message: problem, path, params: { problem, ...params } });
  if (typeof v === 'string') {
    const name = v.trim();
    if (Object.hasOwn(BRACKET_TABLES, name)) return { kind: 'table', name };
    const known = Object.keys(BRACKET_TABLES);
    const s = suggest(name, known);
    issue([], 'unknown_bracket_table', {
      name,
      known: known.join(', '),
      ...(s ? { suggestion: s } : {}),
    });
    return z.NEVER;
  }
  if (!Array.isArray(v) || v.length === 0) {
    issue([], v === undefined ? 'missing_key' : 'expected_brackets');
    return z.NEVER;
  }
  const rows: BracketRow[] = [];
  let bad = false;
  v.forEach((item, k) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      issue([k], 'expected_bracket');
      bad = true;
      return;
    }
    const o = item as Record<string, unknown>;
    let unknownKey = false;
    for (const key of Object.keys(o))
      if (!(BRACKET_KEYS as readonly string[]).includes(key)) {
        const s = suggest(key, BRACKET_KEYS);
        unknownKey = true;
        issue([k, key], 'unknown_bracket_key', {
          key,
          known: BRACKET_KEYS.join(', '),
          ...(s ? { suggestion: s } : {}),
        });
        bad = true;
      }
    const cap = o.up_to === undefined ? undefined : parseUsd(o.up_to);
    if (o.up_to === undefined) {
      if (!unknownKey) issue([k], 'bracket_needs', { key: 'up_to' });
      bad = true;
    } else if (cap === undefined || !(cap > 0)) {
      issue([k, 'up_to'], 'expected_positive_number');
      bad = true;
    }
    const rate = o.rate === undefined ? undefined : parsePercent(o.rate);
    if (o.rate === undefined) {
      if (!unknownKey) issue([k], 'bracket_needs', { key: 'rate' });
      bad = true;
    } else if (rate === undefined || rate < 0 || rate >= 1) {
      issue([k, 'rate'], 'expected_rate');
      bad = true;
    }
    const amount = o.amount === undefined ? undefined : parseUsd(o.amount);
    if (o.amount !== undefined && (amount === undefined || amount < 0)) {
      issue([k, 'amount'], 'expected_number');
      bad = true;
    }
    const lev = o.max_leverage;
    if (lev !== undefined && !(typeof lev === 'number' && Number.isFinite(lev) && lev >= 1)) {
      issue([k, 'max_leverage'], 'expected_leverage');
      bad = true;
    }
    if (cap !== undefined && rate !== undefined)
      rows.push({
        cap,
        rate,
        ...(amount !== undefined ? { amount } : {}),
        ...(typeof lev === 'number' ? { maxLeverage: lev } : {}),
      });
  });
  return bad ? z.NEVER : { kind: 'custom', rows };
});

/** Contract sizes and lot steps a real exchange lists sit well inside [1e-9, 1e9]; outside it
 *  (a denormal such as 1e-320, a typo such as 1e30) contract counts overflow or vanish. */
export const SIZE_RANGE = { min: 1e-9, max: 1e9 } as const;
const sizeLeaf = (problem: string) =>
  leaf(problem, (v) =>
    typeof v === 'number' && v >= SIZE_RANGE.min && v <= SIZE_RANGE.max ? v : undefined,
  );

export const InstrumentCell = z
  .strictObject({
    instrument: nameLeaf.meta(
      key({
        description: "the contract's name; its underlying is read from it by default",
        default: 'required',
        example: 'BTCUSDT-PERP',
      }),
    ),
    type: oneOf(INSTRUMENT_TYPES)
      .optional()
      .meta(
        key({
          description: '`perpetual` (a swap with funding) or `future` (dated: needs `expiry`)',
          default: '`perpetual`',
          example: 'perpetual',
          values: INSTRUMENT_TYPES,
          snippet: true,
        }),
      ),
    settlement: oneOf(SETTLEMENTS)
      .optional()
      .meta(
        key({
          description:
            '`linear` (USDⓈ-margined) or `inverse` (coin-margined: the coin collateral is counted as exposure)',
          default: '`linear`',
          example: 'linear',
          values: SETTLEMENTS,
          snippet: true,
        }),
      ),
    underlying: assetLeaf.optional().meta(
      key({
        description:
          'the asset it follows; by default the longest asset of the dataset the name starts with (`BTCUSDT-PERP` → `BTC`)',
        default: 'from the name',
        example: 'BTC',
        assets: true,
      }),
    ),
    contract_size: sizeLeaf('expected_contract_size')
      .optional()
      .meta(
        key({
          description:
            'coin per contract (linear) or USD per contract (inverse), between 0.000000001 and 1,000,000,000',
          default: 'linear `0.001` coin; inverse `100` USD for BTC, `10` USD otherwise (Binance)',
          example: '0.001',
        }),
      ),
    lot_step: sizeLeaf('expected_lot_step')
      .optional()
      .meta(
        key({
          description: 'the smallest tradable step, in contracts (0.000000001 to 1,000,000,000)',
          default: '`1`',
          example: '1',
        }),
      ),
    expiry: dateLeaf.optional().meta(
      key({
        description: 'the expiry date of a dated future (UTC)',
        default: 'none',
        example: '2026-12-25',
      }),
    ),
    maintenance_margin: rateLeaf.optional().meta(
      key({
        description: 'the maintenance margin rate: sets the liquidation price of the hedge leg',
        default: "`0.4%` (Binance's first BTC bracket)",
        example: '0.4%',
      }),
    ),
    brackets: bracketsLeaf.optional().meta(
      key({
        description:
          'tiered maintenance margin: a shipped table (`binance-btcusdt`, `binance-ethusdt`, `binance-btcusd-quarterly`, `binance-ethusd-quarterly`, `bybit-btcusdt`) or a list of brackets `{ up_to, rate, amount?, max_leverage? }`, smallest first',
        default: 'none (single rate)',
        example: 'binance-btcusdt',
        words: Object.keys(BRACKET_TABLES),
      }),
    ),
    liquidation_rule: oneOf(LIQUIDATION_RULES)
      .optional()
      .meta(
        key({
          description:
            'with brackets listed in the cell: `binance` (maintenance margin at the mark price, bracket of the notional there) or `bybit` (maintenance margin of the position value at entry)',
          default: '`binance`',
          example: 'binance',
          values: LIQUIDATION_RULES,
        }),
      ),
    beta: numberLeaf.optional().meta(
      key({
        description:
          "the instrument's beta to the benchmark; by default exactly 1 when the underlying is the (single-asset) benchmark, otherwise estimated like an asset's",
        default: 'see the description',
        example: '1',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        "a futures contract to hedge with (perpetual or dated, linear or inverse); its price is the underlying's latest",
      example:
        'instrument: BTCUSDT-PERP\ntype: perpetual\nsettlement: linear\ncontract_size: 0.001',
    }),
  )
  .transform((v, ctx) => {
    const type = v.type ?? 'perpetual';
    if (v.brackets !== undefined && v.maintenance_margin !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'brackets_or_rate',
        path: ['maintenance_margin'],
        params: { problem: 'brackets_or_rate' },
      });
      return z.NEVER;
    }
    if (v.liquidation_rule !== undefined && v.brackets?.kind !== 'custom') {
      ctx.addIssue({
        code: 'custom',
        message: 'rule_needs_brackets',
        path: ['liquidation_rule'],
        params: { problem: 'rule_needs_brackets' },
      });
      return z.NEVER;
    }
    if (type === 'future' && v.expiry === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'future_needs_expiry',
        path: ['type'],
        params: { problem: 'future_needs_expiry' },
      });
      return z.NEVER;
    }
    if (type === 'perpetual' && v.expiry !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'perpetual_has_no_expiry',
        path: ['expiry'],
        params: { problem: 'perpetual_has_no_expiry' },
      });
      return z.NEVER;
    }
    return {
      kind: 'instrument' as const,
      name: v.instrument,
      type,
      settlement: v.settlement ?? 'linear',
      underlying: v.underlying ?? null,
      contractSize: v.contract_size ?? null,
      lotStep: v.lot_step ?? 1,
      expiry: v.expiry ?? null,
      maintenanceMarginRate: v.maintenance_margin ?? DEFAULT_MAINTENANCE_MARGIN,
      brackets: v.brackets ?? null,
      liquidationRule: v.liquidation_rule ?? 'binance',
      beta: v.beta ?? null,
      data: v.data ?? null,
    };
  });

/** Binance's first-bracket maintenance margin rate for BTC perpetuals (0.4%). */
export const DEFAULT_MAINTENANCE_MARGIN = 0.004;

export type BetasTarget =
  { kind: 'all' } | { kind: 'portfolio'; name: string } | { kind: 'assets'; assets: string[] };

export const BetasCell = z
  .strictObject({
    betas: leaf('expected_betas_target', (v): BetasTarget | undefined => {
      if (v === 'all' || v === null) return { kind: 'all' };
      if (Array.isArray(v)) {
        const assets = v.map(parseAsset);
        return assets.length > 0 && assets.every((a): a is string => a !== undefined)
          ? { kind: 'assets', assets }
          : undefined;
      }
      const n = parseName(v);
      return n === undefined ? undefined : { kind: 'portfolio', name: n };
    }).meta(
      key({
        description:
          'whose betas: a portfolio (with its weighted and regression beta), `all` (every asset but the benchmark) or a list of assets',
        default: '`all`',
        example: 'core',
        names: 'portfolio',
        assets: true,
        words: ['all'],
      }),
    ),
    ewma_half_life: positiveLeaf.optional().meta(
      key({
        description: 'half-life in periods of an EWMA beta shown beside the others',
        default: 'none',
        example: '30',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        "per-asset beta statistics against the benchmark over the estimation window (beta, alpha, R², correlation, standard error, …) and a portfolio's beta",
      example: 'betas: core',
    }),
  )
  .transform((v) => ({
    kind: 'betas' as const,
    target: v.betas,
    ewmaHalfLife: v.ewma_half_life ?? null,
    data: v.data ?? null,
  }));

export const HedgeCell = z
  .strictObject({
    hedge: nameLeaf.meta(
      key({
        description: 'the portfolio to hedge',
        default: 'required',
        example: 'core',
        names: 'portfolio',
      }),
    ),
    with: nameLeaf.meta(
      key({
        description: 'the instrument to hedge with',
        default: 'required',
        example: 'BTCUSDT-PERP',
        names: 'instrument',
      }),
    ),
    target_beta: numberLeaf.optional().meta(
      key({
        description:
          'the portfolio beta to reach: `0` is market-neutral, `0.5` keeps half the upside',
        default: '`0`',
        example: '0.5',
        snippet: true,
      }),
    ),
    leverage: leverageLeaf.optional().meta(
      key({
        description:
          'isolated leverage of the hedge leg, 1–125: sets its margin and liquidation price',
        default: '`1`',
        example: '3',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        "sizes a futures hedge that moves a portfolio's beta to a target: N = (β_T − β_P)·V / β_F (negative = short), in whole lots, with margin and liquidation price",
      example: 'hedge: core\nwith: BTCUSDT-PERP\ntarget_beta: 0',
    }),
  )
  .transform((v) => ({
    kind: 'hedge' as const,
    portfolio: v.hedge,
    instrument: v.with,
    targetBeta: v.target_beta ?? 0,
    leverage: v.leverage ?? 1,
    data: v.data ?? null,
  }));

export const PairCell = z
  .strictObject({
    pair: z
      .unknown()
      .optional()
      .meta(
        key({
          description: "the pair's name; or write `pair: { long: …, short: … }` on one line",
          default: '`LONG/SHORT`',
          example: 'sol-eth',
        }),
      ),
    long: legLeaf.meta(
      key({
        description: 'the asset bought, with a USD amount or units',
        default: 'required',
        example: '{ SOL: 10000usd }',
        assets: true,
        snippet: true,
      }),
    ),
    short: legLeaf.meta(
      key({
        description: 'the asset sold, with a USD amount or units',
        default: 'required',
        example: '{ ETH: 10000usd }',
        assets: true,
        snippet: true,
      }),
    ),
    hedge_with: nameLeaf.optional().meta(
      key({
        description: "an instrument that takes the pair's leftover (dollar) beta to zero",
        default: 'none',
        example: 'BTCUSDT-PERP',
        names: 'instrument',
      }),
    ),
    leverage: leverageLeaf.optional().meta(
      key({
        description: "leverage of the hedge leg (counts an inverse contract's coin collateral)",
        default: 'none',
        example: '3',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        'a long/short pair: its dollar beta V_A β_A − V_B β_B and, with `hedge_with`, the futures that make it beta-neutral',
      example: 'pair: sol-eth\nlong: { SOL: 10000usd }\nshort: { ETH: 10000usd }',
    }),
  )
  .transform((v, ctx) => {
    let name = `${v.long.asset}/${v.short.asset}`;
    if (v.pair !== undefined && v.pair !== null) {
      const n = parseName(v.pair);
      if (n === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected_name',
          path: ['pair'],
          params: { problem: 'expected_name' },
        });
        return z.NEVER;
      }
      name = n;
    }
    if (v.long.asset === v.short.asset) {
      ctx.addIssue({
        code: 'custom',
        message: 'pair_same_asset',
        path: ['short'],
        params: { problem: 'pair_same_asset', asset: v.long.asset },
      });
      return z.NEVER;
    }
    return {
      kind: 'pair' as const,
      name,
      long: v.long,
      short: v.short,
      instrument: v.hedge_with ?? null,
      leverage: v.leverage ?? null,
      data: v.data ?? null,
    };
  });

// ---------------------------------------------------------------------------------------------
// Funding and simulation (dynamic hedging over time).

/** A rebalancing schedule: `never`, or a period such as `8h`, `1d`, `1w` (also hourly, daily,
 *  weekly): decisions at the first bar close of each period (UTC; weeks from Monday). */
export type Rebalance = { label: string; ms: number | null };
export function parseRebalance(v: unknown): Rebalance | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'never') return { label: 'never', ms: null };
  const f = parseFrequency(t);
  return f && f.ms !== null ? { label: f.label, ms: f.ms } : undefined;
}
const rebalanceLeaf = leaf('expected_rebalance', parseRebalance);
const bandLeaf = leaf('expected_band', (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined,
);
const minTradeLeaf = leaf('expected_usd', (v) => {
  if (v === 0) return 0;
  const x = parseUsd(v);
  return x !== undefined && x >= 0 ? x : undefined;
});
const stopLossLeaf = leaf('expected_stop_loss', (v) => {
  const x = parsePercent(v);
  return x !== undefined && x > 0 && x < 1 ? x : undefined;
});
const rollDaysLeaf = leaf('expected_roll_days', (v): number | 'none' | undefined =>
  v === 'none'
    ? 'none'
    : typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 90
      ? v
      : undefined,
);

/** What funds a perpetual hedge: `none`, a constant rate per 8 h (`0.01%`, `-0.005%`, 0.0001),
 *  or the name of a funding dataset (a `funding:` cell). */
export type FundingChoice =
  { kind: 'none' } | { kind: 'rate'; rate: number } | { kind: 'data'; name: string };
export function parseFundingChoice(v: unknown): FundingChoice | undefined {
  if (v === 'none') return { kind: 'none' };
  const r = parsePercent(v);
  if (r !== undefined) return Math.abs(r) < 0.05 ? { kind: 'rate', rate: r } : undefined;
  if (typeof v !== 'string') return undefined;
  const n = parseName(v);
  return n === undefined ? undefined : { kind: 'data', name: n };
}
const fundingChoiceLeaf = leaf('expected_funding', parseFundingChoice);

/** At most this many rules in a `compare` grid (each is a walk over the whole path). */
export const MAX_COMPARE_RULES = 60;
export type CompareGrid = { rebalance: Rebalance[]; band: number[] };
const compareLeaf = z.unknown().transform((v, ctx): CompareGrid => {
  const issue = (problem: string, path: (string | number)[] = [], extra: IssueParams = {}) => {
    ctx.addIssue({ code: 'custom', message: problem, path, params: { problem, ...extra } });
    return z.NEVER;
  };
  if (!v || typeof v !== 'object' || Array.isArray(v)) return issue('expected_compare');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'rebalance' && k !== 'band') return issue('expected_compare', [k]);
  const list = (x: unknown) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
  const rebalance: Rebalance[] = [];
  list(o.rebalance).forEach((x) => {
    const r = parseRebalance(x);
    if (r === undefined) issue('expected_rebalance', ['rebalance']);
    else rebalance.push(r);
  });
  const band: number[] = [];
  list(o.band).forEach((x) => {
    if (typeof x === 'number' && Number.isFinite(x) && x >= 0) band.push(x);
    else issue('expected_band', ['band']);
  });
  if (rebalance.length === 0 && band.length === 0) return issue('expected_compare');
  const count = Math.max(1, rebalance.length) * Math.max(1, band.length);
  if (count > MAX_COMPARE_RULES)
    return issue('too_many_rules', [], { count, max: MAX_COMPARE_RULES });
  return { rebalance, band };
});

export const FundingCell = z
  .strictObject({
    funding: z
      .unknown()
      .optional()
      .meta(
        key({
          description:
            "the funding dataset's name; `funding: data/funding.csv` is short for `funding: funding` + `file: data/funding.csv`",
          default: '`funding`',
          example: 'btc-funding',
        }),
      ),
    file: fileLeaf.optional().meta(
      key({
        description:
          'a funding file relative to the notebook: CSV `timestamp,symbol,funding_rate` or JSON records (docs/data.md)',
        default: 'required (or `exchange`)',
        example: 'data/funding.csv',
        file: true,
        snippet: true,
      }),
    ),
    exchange: oneOf(EXCHANGES)
      .optional()
      .meta(
        key({
          description: "the exchange's public funding-rate history instead of a file (disk-cached)",
          default: 'none',
          example: 'binance',
          values: EXCHANGES,
        }),
      ),
    market: oneOf(['linear', 'inverse'] as const)
      .optional()
      .meta(
        key({
          description: 'exchange only: `linear` (USDⓈ-margined) or `inverse` (coin-margined)',
          default: '`linear`',
          example: 'linear',
          values: ['linear', 'inverse'],
        }),
      ),
    symbol: leaf('expected_symbol', (v) =>
      typeof v === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(v.trim()) ? v.trim() : undefined,
    )
      .optional()
      .meta(
        key({
          description:
            "the perpetual's symbol: keeps only its rows of a file with several; required with `exchange`",
          default: 'every symbol of the file',
          example: 'BTCUSDT',
        }),
      ),
    start: dateLeaf.optional().meta(
      key({
        description: 'keep settlements from this time on (required with `exchange`)',
        default: 'the first',
        example: '2024-01-01',
      }),
    ),
    end: dateLeaf.optional().meta(
      key({
        description: 'keep settlements up to this time',
        default: 'the last (now)',
        example: '2024-12-31',
      }),
    ),
  })
  .meta(
    kind({
      description:
        'declares funding-rate history of perpetuals (a positive rate means longs pay shorts) from a file or an exchange, for `simulate` cells',
      example: 'funding: btc-funding\nfile: data/funding.csv\nsymbol: BTCUSDT',
    }),
  )
  .transform((v, ctx) => {
    let name = 'funding';
    let file = v.file;
    const head = v.funding;
    const issue = (path: string, problem: string) => {
      ctx.addIssue({ code: 'custom', message: problem, path: [path], params: { problem } });
      return z.NEVER;
    };
    if (typeof head === 'string' && /\.(csv|json)$/i.test(head.trim()) && file === undefined) {
      file = head.trim();
      name = (head.trim().split(/[\\/]/).pop() ?? 'funding').replace(/\.(csv|json)$/i, '');
    } else if (head !== undefined && head !== null) {
      const n = parseName(head);
      if (n === undefined) return issue('funding', 'expected_name');
      name = n;
    }
    if (file !== undefined && v.exchange !== undefined)
      return issue('exchange', 'file_or_exchange');
    if (file === undefined && v.exchange === undefined) return issue('file', 'missing_key');
    if (v.exchange === undefined && v.market !== undefined) return issue('market', 'exchange_only');
    if (v.exchange !== undefined && v.symbol === undefined) return issue('symbol', 'missing_key');
    if (v.exchange !== undefined && v.start === undefined) return issue('start', 'missing_key');
    if (v.start !== undefined && v.end !== undefined && v.start >= v.end)
      return issue('end', 'start_after_end');
    return {
      kind: 'funding' as const,
      name,
      file: file ?? null,
      exchange:
        v.exchange === undefined
          ? null
          : { exchange: v.exchange, market: v.market ?? 'linear', symbol: v.symbol ?? '' },
      symbol: v.symbol ?? null,
      start: v.start ?? null,
      end: v.end ?? null,
    };
  });

/** Defaults of a simulation: Binance's USDⓈ-M taker fee for VIP 0 (0.05%), one basis point of
 *  slippage, daily rebalancing, and for a perpetual without funding data the exchanges' baseline
 *  rate (the interest component, 0.01% per 8 h). */
export const SIMULATE_DEFAULTS = {
  fees: 0.0005,
  slippage: 0.0001,
  rebalance: { label: '1d', ms: 86_400_000 } as Rebalance,
  fundingRate: 0.0001,
  rollDays: 3,
  window: { kind: 'time', ms: 30 * 86_400_000, text: '30d' } as Window,
};

export const SimulateCell = z
  .strictObject({
    simulate: nameLeaf.meta(
      key({
        description:
          'the portfolio to hedge through history (its holdings, in units at the start price)',
        default: 'required',
        example: 'core',
        names: 'portfolio',
      }),
    ),
    with: nameLeaf.meta(
      key({
        description: 'the instrument to hedge with',
        default: 'required',
        example: 'BTCUSDT-PERP',
        names: 'instrument',
      }),
    ),
    target_beta: numberLeaf.optional().meta(
      key({
        description: "the book's target beta at each rebalance",
        default: '`0`',
        example: '0',
        snippet: true,
      }),
    ),
    start: dateLeaf.optional().meta(
      key({
        description: 'the first bar simulated (earlier data only warms up the estimation window)',
        default: 'the first bar with a full window',
        example: '2025-07-05',
      }),
    ),
    end: dateLeaf.optional().meta(
      key({
        description: 'the last bar simulated',
        default: 'the last bar',
        example: '2025-12-31',
      }),
    ),
    window: windowLeaf.optional().meta(
      key({
        description:
          'the trailing estimation window of the betas at each rebalance (returns up to the rebalance only)',
        default: "the settings' window, else `30d`",
        example: '720h',
      }),
    ),
    rebalance: rebalanceLeaf.optional().meta(
      key({
        description:
          'when to re-size the hedge: `8h`, `1d`, `1w` (the first close of each period, UTC) or `never`',
        default: '`1d`',
        example: '1d',
        words: ['never', '8h', '1d', '1w'],
        snippet: true,
      }),
    ),
    band: bandLeaf.optional().meta(
      key({
        description:
          'at a rebalance, trade only when |book beta with the held hedge − target| exceeds this',
        default: '`0` (always re-size)',
        example: '0.1',
      }),
    ),
    min_trade: minTradeLeaf.optional().meta(
      key({
        description: 'skip a re-size smaller than this notional',
        default: '`0`',
        example: '500usd',
      }),
    ),
    leverage: leverageLeaf.optional().meta(
      key({
        description:
          'isolated leverage of the hedge leg: its margin (|notional| / leverage), reset at every trade',
        default: '`1`',
        example: '5',
      }),
    ),
    collateral: usdLeaf.optional().meta(
      key({
        description:
          'USD set aside for the hedge leg (margin comes from it); both books start with it, the unhedged one keeps it idle',
        default: "the first hedge's notional",
        example: '50000usd',
      }),
    ),
    fees: rateLeaf.optional().meta(
      key({
        description: 'taker fee rate on each trade, at the fill price',
        default: '`0.05%`',
        example: '0.04%',
      }),
    ),
    slippage: rateLeaf.optional().meta(
      key({
        description: 'how far each fill moves against the trade',
        default: '`0.01%`',
        example: '0.02%',
      }),
    ),
    funding: fundingChoiceLeaf.optional().meta(
      key({
        description:
          'a perpetual’s funding: a `funding` dataset, a constant rate per 8 h (`0.01%`), or `none` (positive = longs pay shorts)',
        default: 'perpetual: `0.01%` per 8 h; future: `none`',
        example: 'btc-funding',
        names: 'funding',
        words: ['none'],
      }),
    ),
    roll_days: rollDaysLeaf.optional().meta(
      key({
        description:
          'dated future: roll into the next quarterly contract this many days before expiry; `none` settles at expiry and leaves the book unhedged',
        default: '`3`',
        example: '5',
        words: ['none'],
      }),
    ),
    roll_cost: rateLeaf.optional().meta(
      key({
        description:
          'dated future: cost of each roll as a share of the notional rolled (the calendar spread)',
        default: '`0`',
        example: '0.05%',
      }),
    ),
    on_liquidation: oneOf(['reopen', 'stay_out'] as const)
      .optional()
      .meta(
        key({
          description:
            'after a liquidation or a stop: `reopen` at the next rebalance, or `stay_out` unhedged',
          default: '`reopen`',
          example: 'stay_out',
          values: ['reopen', 'stay_out'],
        }),
      ),
    stop_loss: stopLossLeaf.optional().meta(
      key({
        description:
          'close the hedge leg when the price moves this much against it from its last trade',
        default: 'none',
        example: '15%',
      }),
    ),
    compare: compareLeaf.optional().meta(
      key({
        description:
          'also run these rules (every rebalance × band) and plot cost per year against the tracking error of the beta',
        default: 'none',
        example: '{ rebalance: [8h, 1d, 1w], band: [0, 0.05, 0.1, 0.2] }',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        'walks a hedge of a portfolio through history with no look-ahead: rebalancing, fees, slippage, funding, rolls, isolated margin, liquidation, stop-loss; hedged vs unhedged equity and every cost',
      example: 'simulate: core\nwith: BTCUSDT-PERP\nrebalance: 1d\nleverage: 5',
    }),
  )
  .transform((v, ctx) => {
    if (v.start !== undefined && v.end !== undefined && v.start >= v.end) {
      ctx.addIssue({
        code: 'custom',
        message: 'start_after_end',
        path: ['end'],
        params: { problem: 'start_after_end' },
      });
      return z.NEVER;
    }
    return {
      kind: 'simulate' as const,
      portfolio: v.simulate,
      instrument: v.with,
      targetBeta: v.target_beta ?? 0,
      start: v.start ?? null,
      end: v.end ?? null,
      window: v.window ?? null,
      rebalance: v.rebalance ?? SIMULATE_DEFAULTS.rebalance,
      band: v.band ?? 0,
      minTrade: v.min_trade ?? 0,
      leverage: v.leverage ?? 1,
      collateral: v.collateral ?? null,
      fees: v.fees ?? SIMULATE_DEFAULTS.fees,
      slippage: v.slippage ?? SIMULATE_DEFAULTS.slippage,
      funding: v.funding ?? null,
      rollDays: v.roll_days ?? null,
      rollCost: v.roll_cost ?? 0,
      onLiquidation: v.on_liquidation ?? 'reopen',
      stopLoss: v.stop_loss ?? null,
      compare: v.compare ?? null,
      data: v.data ?? null,
    };
  });

// ---------------------------------------------------------------------------------------------
// Risk around the hedge: stress, basis (choice of hedge), position (a held hedge).

/** Most scenarios one stress cell runs (one result row each): the line bound of a saved chart. */
export const MAX_STRESS_SCENARIOS = 400;
const DEFAULT_LADDER = [-0.5, -0.4, -0.3, -0.2, -0.1, 0.1, 0.2, 0.3, 0.4, 0.5];

/** A move: `-30%`, `+25%` or a fraction (`-0.3`), above −100 %. */
const parseMove = (v: unknown): number | undefined => {
  const x = parsePercent(typeof v === 'string' ? v.replace(/^\s*\+/, '') : v);
  return x !== undefined && x > -1 ? x : undefined;
};

/** `[-30%, -10%, 10%]` or `{ from: -50%, to: 50%, step: 10% }`. */
const ladderLeaf = z.unknown().transform((v, ctx): number[] => {
  const issue = (problem: string, params: IssueParams = {}) => {
    ctx.addIssue({ code: 'custom', message: problem, params: { problem, ...params } });
    return z.NEVER;
  };
  if (Array.isArray(v)) {
    const out = v.map(parseMove);
    if (v.length === 0 || !out.every((x): x is number => x !== undefined))
      return issue('expected_ladder');
    if (out.length > MAX_STRESS_SCENARIOS)
      return issue('too_many_scenarios', { n: out.length, max: MAX_STRESS_SCENARIOS });
    return out;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const from = parseMove(o.from);
    const to = parseMove(o.to);
    const step = parsePercent(o.step);
    const extra = Object.keys(o).filter((k) => !['from', 'to', 'step'].includes(k));
    if (
      from === undefined ||
      to === undefined ||
      step === undefined ||
      !(step > 0) ||
      to <= from ||
      extra.length > 0
    )
      return issue('expected_ladder');
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > MAX_STRESS_SCENARIOS)
      return issue('too_many_scenarios', { n, max: MAX_STRESS_SCENARIOS });
    return Array.from({ length: n }, (_, i) => Number((from + i * step).toPrecision(12)));
  }
  return issue('expected_ladder');
});

export interface ScenarioSpec {
  name: string;
  /** The benchmark move when the scenario gives it (`benchmark:` or the benchmark asset). */
  benchmark: number | null;
  shocks: Record<string, number>;
  funding: { rate: number; intervals: number } | null;
}

/** `{ btc-crash: { BTC: -30% }, squeeze: { BTC: +25%, funding: 0.1% } }`: per scenario, moves by
 *  asset, `benchmark:` for a basket benchmark, and `funding:` (a rate per 8-hour interval for
 *  one day, or `{ rate, intervals }`). */
const scenariosLeaf = z.unknown().transform((v, ctx): ScenarioSpec[] => {
  const issue = (path: (string | number)[], problem: string, params: IssueParams = {}) =>
    ctx.addIssue({ code: 'custom', message: problem, path, params: { problem, ...params } });
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0) {
    issue([], 'expected_scenarios');
    return z.NEVER;
  }
  const out: ScenarioSpec[] = [];
  let bad = false;
  for (const [name, body] of Object.entries(v)) {
    if (parseName(name) === undefined) {
      issue([name], 'expected_name');
      bad = true;
      continue;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      issue([name], 'expected_scenario');
      bad = true;
      continue;
    }
    const s: ScenarioSpec = { name, benchmark: null, shocks: {}, funding: null };
    for (const [k, x] of Object.entries(body)) {
      if (k === 'funding') {
        const rate = parsePercent(x);
        if (rate !== undefined && Number.isFinite(rate) && Math.abs(rate) < 1)
          s.funding = { rate, intervals: 3 };
        else if (x && typeof x === 'object' && !Array.isArray(x)) {
          const o = x as Record<string, unknown>;
          const r = parsePercent(o.rate);
          const n = o.intervals;
          if (
            r !== undefined &&
            Math.abs(r) < 1 &&
            typeof n === 'number' &&
            Number.isInteger(n) &&
            n > 0 &&
            n <= 10_000 &&
            Object.keys(o).every((kk) => kk === 'rate' || kk === 'intervals')
          )
            s.funding = { rate: r, intervals: n };
          else {
            issue([name, k], 'expected_funding_shock');
            bad = true;
          }
        } else {
          issue([name, k], 'expected_funding_shock');
          bad = true;
        }
        continue;
      }
      const m = parseMove(x);
      if (m === undefined) {
        issue([name, k], 'expected_move');
        bad = true;
      } else if (k === 'benchmark') s.benchmark = m;
      else if (parseAsset(k) === undefined) {
        issue([name, k], 'expected_asset_key');
        bad = true;
      } else s.shocks[k] = m;
    }
    out.push(s);
  }
  if (!bad && out.length > MAX_STRESS_SCENARIOS) {
    issue([], 'too_many_scenarios', { n: out.length, max: MAX_STRESS_SCENARIOS });
    return z.NEVER;
  }
  return bad ? z.NEVER : out;
});

export interface HistoricalSpec {
  window: Window;
  worst: number;
  rallies: number;
  dates: { name: string; start: number }[];
}

const historicalLeaf = z.unknown().transform((v, ctx): HistoricalSpec => {
  const issue = (path: (string | number)[], problem: string, params: IssueParams = {}) =>
    ctx.addIssue({ code: 'custom', message: problem, path, params: { problem, ...params } });
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    issue([], 'expected_historical');
    return z.NEVER;
  }
  const o = v as Record<string, unknown>;
  let bad = false;
  const keys = ['window', 'worst', 'rallies', 'dates'];
  for (const k of Object.keys(o))
    if (!keys.includes(k)) {
      const s = suggest(k, keys);
      issue([k], 'unknown_historical_key', {
        key: k,
        known: keys.join(', '),
        ...(s ? { suggestion: s } : {}),
      });
      bad = true;
    }
  const window =
    o.window === undefined
      ? ({ kind: 'time', ms: 7 * 86_400_000, text: '7d' } as Window)
      : parseWindow(o.window);
  if (window === undefined || window.kind === 'all') {
    issue(['window'], 'expected_window');
    bad = true;
  }
  const count = (k: 'worst' | 'rallies', def: number) => {
    const x = o[k];
    if (x === undefined) return def;
    if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 20) return x;
    issue([k], 'expected_count', { max: 20 });
    bad = true;
    return 0;
  };
  const worst = count('worst', 3);
  const rallies = count('rallies', 3);
  const dates: { name: string; start: number }[] = [];
  if (o.dates !== undefined) {
    if (!o.dates || typeof o.dates !== 'object' || Array.isArray(o.dates)) {
      issue(['dates'], 'expected_dates');
      bad = true;
    } else
      for (const [name, d] of Object.entries(o.dates)) {
        const t = parseDate(d);
        if (t === undefined || parseName(name) === undefined) {
          issue(['dates', name], 'expected_date');
          bad = true;
        } else dates.push({ name, start: t });
      }
  }
  if (bad || window === undefined) return z.NEVER;
  return { window, worst, rallies, dates };
});

export interface InlineHedgeSpec {
  instrument: string;
  targetBeta: number;
  leverage: number;
}

/** `hedge: { with: BTCUSDT-PERP, target_beta: 0, leverage: 5 }`: sized like a hedge cell. */
const inlineHedgeLeaf = z.unknown().transform((v, ctx): InlineHedgeSpec => {
  const issue = (path: (string | number)[], problem: string, params: IssueParams = {}) =>
    ctx.addIssue({ code: 'custom', message: problem, path, params: { problem, ...params } });
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    issue([], 'expected_inline_hedge');
    return z.NEVER;
  }
  const o = v as Record<string, unknown>;
  let bad = false;
  const keys = ['with', 'target_beta', 'leverage'];
  for (const k of Object.keys(o))
    if (!keys.includes(k)) {
      const s = suggest(k, keys);
      issue([k], 'unknown_hedge_key', {
        key: k,
        known: keys.join(', '),
        ...(s ? { suggestion: s } : {}),
      });
      bad = true;
    }
  const instrument = parseName(o.with);
  if (o.with === undefined) {
    issue([], 'hedge_needs_with');
    bad = true;
  } else if (instrument === undefined) {
    issue(['with'], 'expected_name');
    bad = true;
  }
  const tb = o.target_beta === undefined ? 0 : finite(o.target_beta);
  if (tb === undefined) {
    issue(['target_beta'], 'expected_number');
    bad = true;
  }
  const lev = o.leverage === undefined ? 1 : o.leverage;
  if (!(typeof lev === 'number' && lev >= 1 && lev <= 125)) {
    issue(['leverage'], 'expected_leverage');
    bad = true;
  }
  if (bad) return z.NEVER;
  return { instrument: instrument as string, targetBeta: tb as number, leverage: lev as number };
});

export const StressCell = z
  .strictObject({
    stress: nameLeaf.meta(
      key({
        description: 'the portfolio to stress',
        default: 'required',
        example: 'core',
        names: 'portfolio',
      }),
    ),
    hedge: inlineHedgeLeaf.optional().meta(
      key({
        description:
          'the hedge to stress, sized as a hedge cell would: `{ with: INSTRUMENT, target_beta: 0, leverage: 5 }`',
        default: 'none',
        example: '{ with: BTCUSDT-PERP, target_beta: 0, leverage: 5 }',
        snippet: true,
      }),
    ),
    held: nameLeaf.optional().meta(
      key({
        description: 'a held hedge (a position cell) to stress instead of a freshly sized one',
        default: 'none',
        example: 'core-hedge',
        names: 'position',
      }),
    ),
    ladder: ladderLeaf.optional().meta(
      key({
        description:
          'benchmark moves to run, as a list or `{ from, to, step }` (at most 400); the P&L ladder chart',
        default: '−50% to +50% by 10% when no scenarios are given',
        example: '{ from: -50%, to: 50%, step: 5% }',
      }),
    ),
    scenarios: scenariosLeaf.optional().meta(
      key({
        description:
          'named scenarios: moves by asset (the benchmark asset sets the benchmark move; `benchmark:` for a basket), other assets by β·move, `funding:` a rate per 8 h for a day or `{ rate, intervals }`',
        default: 'none',
        example: '{ btc-crash: { BTC: -30% }, defi-scare: { BTC: -10%, UNI: -50% } }',
      }),
    ),
    historical: historicalLeaf.optional().meta(
      key({
        description:
          'replay history: the `worst` falls and `rallies` of the benchmark over `window` found in the data, and named `dates` (windows starting there), with every asset’s realised move',
        default: 'none (with it: window 7d, worst 3, rallies 3)',
        example: '{ window: 7d, worst: 3, rallies: 3 }',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        'stress scenarios on a portfolio and its hedge: P&L unhedged, of the hedge and hedged, the hedge leg’s margin after the move and whether it is liquidated',
      example:
        'stress: core\nhedge: { with: BTCUSDT-PERP, leverage: 5 }\nladder: { from: -50%, to: 50%, step: 10% }',
    }),
  )
  .transform((v, ctx) => {
    if (v.hedge !== undefined && v.held !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'hedge_or_position',
        path: ['held'],
        params: { problem: 'hedge_or_position' },
      });
      return z.NEVER;
    }
    const given = v.ladder !== undefined || v.scenarios !== undefined || v.historical !== undefined;
    return {
      kind: 'stress' as const,
      portfolio: v.stress,
      hedge: v.hedge ?? null,
      position: v.held ?? null,
      ladder: v.ladder ?? (given ? [] : DEFAULT_LADDER),
      scenarios: v.scenarios ?? [],
      historical: v.historical ?? null,
      data: v.data ?? null,
    };
  });

export type CompareItem =
  | { kind: 'instrument'; name: string }
  | { kind: 'basket'; weights: { asset: string; weight: number }[] };

/** `[BTCUSDT-PERP, ETHUSDT-PERP, { BTC: 50%, ETH: 50% }]`: instruments or baskets of assets. */
const candidatesLeaf = z.unknown().transform((v, ctx): CompareItem[] => {
  const issue = (path: (string | number)[], problem: string, params: IssueParams = {}) =>
    ctx.addIssue({ code: 'custom', message: problem, path, params: { problem, ...params } });
  if (!Array.isArray(v) || v.length === 0) {
    issue([], 'expected_candidates');
    return z.NEVER;
  }
  if (v.length > 6) {
    issue([], 'too_many_candidates', { n: v.length, max: 6 });
    return z.NEVER;
  }
  const out: CompareItem[] = [];
  let bad = false;
  v.forEach((x, i) => {
    const name = typeof x === 'string' || typeof x === 'number' ? parseName(x) : undefined;
    if (name !== undefined) {
      out.push({ kind: 'instrument', name });
      return;
    }
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const weights: { asset: string; weight: number }[] = [];
      for (const [a, w] of Object.entries(x)) {
        const weight = parsePercent(w);
        if (parseAsset(a) === undefined || weight === undefined || !(weight > 0)) {
          issue([i, a], 'expected_weight');
          bad = true;
        } else weights.push({ asset: a, weight });
      }
      const sum = weights.reduce((s, w) => s + w.weight, 0);
      if (weights.length > 0 && Math.abs(sum - 1) > 1e-6) {
        issue([i], 'benchmark_weights_sum', { sumPct: Math.round(sum * 1e4) / 100 });
        bad = true;
      }
      if (weights.length > 0) out.push({ kind: 'basket', weights });
      return;
    }
    issue([i], 'expected_compare_item');
    bad = true;
  });
  return bad ? z.NEVER : out;
});

const correlationLeaf = leaf('expected_correlation', (v) => {
  const x = parsePercent(v);
  return x !== undefined && x >= -1 && x <= 1 ? x : undefined;
});

export const BasisCell = z
  .strictObject({
    basis: nameLeaf.meta(
      key({
        description: 'the portfolio (book) whose hedge is chosen',
        default: 'required',
        example: 'core',
        names: 'portfolio',
      }),
    ),
    compare: candidatesLeaf.meta(
      key({
        description:
          'the candidate hedges: instruments, or baskets of assets `{ BTC: 50%, ETH: 50% }` (up to 6); two or more also get a combined least-squares hedge',
        default: 'required',
        example: '[BTCUSDT-PERP, ETHUSDT-PERP]',
        names: 'instrument',
        snippet: true,
      }),
    ),
    target_beta: numberLeaf.optional().meta(
      key({
        description:
          'the beta the beta hedge aims for (the minimum-variance hedge aims for the least variance)',
        default: '`0`',
        example: '0',
      }),
    ),
    recent: windowLeaf.optional().meta(
      key({
        description: 'the window of the recent and rolling correlation',
        default: '`30d` (30 periods on non-daily data)',
        example: '30d',
      }),
    ),
    threshold: correlationLeaf.optional().meta(
      key({
        description: 'warn when the recent correlation of the book with a candidate is below this',
        default: '`0.8`',
        example: '0.8',
      }),
    ),
    drop: correlationLeaf.optional().meta(
      key({
        description:
          'warn when the recent correlation is this much below its level over the estimation window',
        default: '`0.15`',
        example: '0.15',
      }),
    ),
    train: windowLeaf.optional().meta(
      key({
        description: 'walk-forward: the trailing history each out-of-sample fit uses',
        default: 'the estimation window, else a quarter of the data',
        example: '180d',
      }),
    ),
    step: windowLeaf.optional().meta(
      key({
        description: 'walk-forward: how often the hedge ratio is re-estimated',
        default: 'a sixth of `train`',
        example: '30d',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        'basis risk and the choice of hedge: beta and minimum-variance ratios, residual volatility, in-sample and walk-forward effectiveness and rolling correlation per candidate, and a recommendation',
      example: 'basis: core\ncompare: [BTCUSDT-PERP, ETHUSDT-PERP]',
    }),
  )
  .transform((v) => ({
    kind: 'basis' as const,
    portfolio: v.basis,
    candidates: v.compare,
    targetBeta: v.target_beta ?? 0,
    recent: v.recent ?? null,
    threshold: v.threshold ?? 0.8,
    drop: v.drop ?? 0.15,
    train: v.train ?? null,
    step: v.step ?? null,
    data: v.data ?? null,
  }));

/** A margin: `24000usd` (USD) or a plain number in the margin currency (USD(T) for linear
 *  contracts, the coin for inverse ones). */
const marginLeaf = leaf(
  'expected_margin',
  (v): { usd: number } | { amount: number } | undefined => {
    if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? { amount: v } : undefined;
    const usd = parseUsd(v, false);
    return usd !== undefined && usd > 0 ? { usd } : undefined;
  },
);

export const PositionCell = z
  .strictObject({
    position: nameLeaf.meta(
      key({
        description: 'the held hedge’s name (a stress cell can stress it)',
        default: 'required',
        example: 'core-hedge',
      }),
    ),
    hedges: nameLeaf.meta(
      key({
        description: 'the portfolio it hedges',
        default: 'required',
        example: 'core',
        names: 'portfolio',
        snippet: true,
      }),
    ),
    with: nameLeaf.meta(
      key({
        description: 'the instrument held',
        default: 'required',
        example: 'BTCUSDT-PERP',
        names: 'instrument',
        snippet: true,
      }),
    ),
    contracts: leaf('expected_contracts', (v) =>
      typeof v === 'number' && Number.isFinite(v) && v !== 0 ? v : undefined,
    ).meta(
      key({
        description: 'contracts held, signed: negative = short',
        default: 'required',
        example: '-2400',
        snippet: true,
      }),
    ),
    entry_price: positiveLeaf.meta(
      key({
        description: 'the average entry price (USD per coin)',
        default: 'required',
        example: '50000',
        snippet: true,
      }),
    ),
    margin: marginLeaf.optional().meta(
      key({
        description:
          'isolated margin posted: `24000usd`, or a number in the margin currency (USD(T) linear, coin inverse); or give `leverage`',
        default: 'from `leverage`',
        example: '24000usd',
      }),
    ),
    leverage: leverageLeaf.optional().meta(
      key({
        description:
          'leverage at entry, when the margin is not given: margin = entry notional / leverage',
        default: '`1`',
        example: '5',
      }),
    ),
    opened: dateLeaf.optional().meta(
      key({
        description: 'when the position was opened (funding is counted from then)',
        default: 'none',
        example: '2026-11-02',
      }),
    ),
    funding: nameLeaf.optional().meta(
      key({
        description:
          'a `funding` dataset: the funding received or paid since `opened` (positive rates: longs pay shorts)',
        default: 'none',
        example: 'btc-funding',
        names: 'funding',
      }),
    ),
    target_beta: numberLeaf.optional().meta(
      key({
        description: 'the portfolio beta the hedge should hold',
        default: '`0`',
        example: '0',
      }),
    ),
    band: positiveLeaf.optional().meta(
      key({
        description: 'beta drift tolerated before a trade is proposed',
        default: '`0.05`',
        example: '0.05',
      }),
    ),
    fee: rateLeaf.optional().meta(
      key({
        description: 'taker fee rate of the rebalance trade',
        default: '`0.05%` (Binance USDⓈ-M taker, regular tier)',
        example: '0.05%',
      }),
    ),
    data: dataKey,
  })
  .meta(
    kind({
      description:
        'a hedge already held: portfolio beta with it, drift from target, unrealised P&L, liquidation price and distance, and the rebalance ticket (contracts and fee) back to target',
      example:
        'position: core-hedge\nhedges: core\nwith: BTCUSDT-PERP\ncontracts: -2400\nentry_price: 50000\nleverage: 5',
    }),
  )
  .transform((v, ctx) => {
    if (v.margin !== undefined && v.leverage !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'margin_or_leverage',
        path: ['leverage'],
        params: { problem: 'margin_or_leverage' },
      });
      return z.NEVER;
    }
    return {
      kind: 'position' as const,
      name: v.position,
      portfolio: v.hedges,
      instrument: v.with,
      contracts: v.contracts,
      entryPrice: v.entry_price,
      margin: v.margin ?? null,
      leverage: v.leverage ?? (v.margin === undefined ? 1 : null),
      opened: v.opened ?? null,
      funding: v.funding ?? null,
      targetBeta: v.target_beta ?? 0,
      band: v.band ?? 0.05,
      fee: v.fee ?? 0.0005,
      data: v.data ?? null,
    };
  });

export const CELL_SCHEMAS = {
  prices: PricesCell,
  settings: SettingsCell,
  portfolio: PortfolioCell,
  instrument: InstrumentCell,
  betas: BetasCell,
  hedge: HedgeCell,
  pair: PairCell,
  funding: FundingCell,
  simulate: SimulateCell,
  stress: StressCell,
  basis: BasisCell,
  position: PositionCell,
} as const;

export type PricesSpec = z.output<typeof PricesCell>;
export type SettingsSpec = z.output<typeof SettingsCell>;
export type PortfolioSpec = z.output<typeof PortfolioCell>;
export type InstrumentSpec = z.output<typeof InstrumentCell>;
export type BetasSpec = z.output<typeof BetasCell>;
export type HedgeSpec = z.output<typeof HedgeCell>;
export type PairSpec = z.output<typeof PairCell>;
export type FundingSpec = z.output<typeof FundingCell>;
export type SimulateSpec = z.output<typeof SimulateCell>;
export type StressSpec = z.output<typeof StressCell>;
export type BasisSpec = z.output<typeof BasisCell>;
export type PositionSpec = z.output<typeof PositionCell>;
export type CellSpec =
  | PricesSpec
  | SettingsSpec
  | PortfolioSpec
  | InstrumentSpec
  | BetasSpec
  | HedgeSpec
  | PairSpec
  | FundingSpec
  | SimulateSpec
  | StressSpec
  | BasisSpec
  | PositionSpec;

/** The keys each kind accepts (for did-you-mean and the docs). */
export function keysOf(kind: keyof typeof CELL_SCHEMAS): string[] {
  const schema = CELL_SCHEMAS[kind];
  const inner = (schema as unknown as { in: { shape: Record<string, unknown> } }).in;
  return Object.keys(inner.shape);
}

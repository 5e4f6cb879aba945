/** Bybit v5 public market data (no key): /v5/market/kline (category spot | linear | inverse)
 *  and /v5/market/funding/history. Bybit answers newest first and pages backwards by end time;
 *  its rate-limit answer is HTTP 200 with retCode 10006, retried here with backoff. */
import * as z from 'zod';
import { fail, ok, type Result } from '../../engine/result';
import { zodProblem } from './binance';
import type { HttpClient } from './http';
import {
  intervalMs,
  MAX_PAGES,
  type Candle,
  type CandleRequest,
  type ExchangeClient,
  type FundingRequest,
  type FundingRow,
  type Interval,
} from './types';

export const bybitBaseUrl = 'https://api.bybit.com';

const bybitInterval: Record<Interval, string> = {
  '1m': '1',
  '5m': '5',
  '15m': '15',
  '30m': '30',
  '1h': '60',
  '2h': '120',
  '4h': '240',
  '6h': '360',
  '12h': '720',
  '1d': 'D',
  '1w': 'W',
};

const decimal = z.string().transform((v, ctx) => {
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${v}` });
    return z.NEVER;
  }
  return n;
});
const Envelope = z.object({ retCode: z.number(), retMsg: z.string(), result: z.unknown() }).loose();
// [startTime, open, high, low, close, volume, turnover], all strings
const KlineList = z
  .object({
    list: z.array(
      z.tuple([decimal, decimal, decimal, decimal, decimal, decimal]).rest(z.unknown()),
    ),
  })
  .loose();
const FundingList = z
  .object({
    list: z.array(
      z.object({ symbol: z.string(), fundingRate: decimal, fundingRateTimestamp: decimal }).loose(),
    ),
  })
  .loose();

const RATE_LIMITED = 10006;
const KLINE_LIMIT = 1000;
const FUNDING_LIMIT = 200;

export function createBybitClient(
  http: HttpClient,
  baseUrl: string = bybitBaseUrl,
  attempts = 5,
): ExchangeClient {
  /** GET one v5 endpoint; unwrap { retCode, result }; retry the rate-limit code. */
  async function v5(path: string, query: URLSearchParams): Promise<Result<unknown>> {
    const url = `${baseUrl}${path}?${query}`;
    for (let attempt = 1; ; attempt++) {
      const body = await http.getJson(url);
      if (!body.ok) return body;
      const envelope = Envelope.safeParse(body.value);
      if (!envelope.success) return zodProblem(url, envelope.error);
      if (envelope.data.retCode === 0) return ok(envelope.data.result);
      if (envelope.data.retCode !== RATE_LIMITED || attempt >= attempts) {
        return fail('exchange_error', [url], {
          url,
          code: envelope.data.retCode,
          reason: envelope.data.retMsg,
        });
      }
      if (!(await http.sleep(500 * 2 ** (attempt - 1)))) return http.timeLimit(url);
      if (http.aborted()) return fail('cancelled', [url], { url });
    }
  }

  async function candles(request: CandleRequest): Promise<Result<Candle[]>> {
    const step = intervalMs[request.interval];
    const pages: Candle[][] = [];
    let to = request.end - 1;
    for (let page = 0; page < MAX_PAGES && to >= request.start; page++) {
      const query = new URLSearchParams({
        category: request.market,
        symbol: request.symbol,
        interval: bybitInterval[request.interval],
        start: String(request.start),
        end: String(to),
        limit: String(KLINE_LIMIT),
      });
      const result = await v5('/v5/market/kline', query);
      if (!result.ok) return result;
      const parsed = KlineList.safeParse(result.value);
      if (!parsed.success) return zodProblem(`${baseUrl}/v5/market/kline?${query}`, parsed.error);
      const rows = parsed.data.list
        .map(([time, open, high, low, close, volume]) => ({ time, open, high, low, close, volume }))
        .filter((c) => c.time >= request.start && c.time < request.end)
        .sort((a, b) => a.time - b.time);
      pages.unshift(rows);
      const oldest = rows[0]?.time;
      if (oldest === undefined || parsed.data.list.length < KLINE_LIMIT || oldest - step >= to)
        break;
      to = oldest - 1;
      request.onPage?.(request.end - 1 - to);
    }
    return ok(dedupe(pages.flat()));
  }

  async function funding(request: FundingRequest): Promise<Result<FundingRow[]>> {
    const pages: FundingRow[][] = [];
    let to = request.end - 1;
    for (let page = 0; page < MAX_PAGES && to >= request.start; page++) {
      const query = new URLSearchParams({
        category: request.market,
        symbol: request.symbol,
        startTime: String(request.start),
        endTime: String(to),
        limit: String(FUNDING_LIMIT),
      });
      const result = await v5('/v5/market/funding/history', query);
      if (!result.ok) return result;
      const parsed = FundingList.safeParse(result.value);
      if (!parsed.success)
        return zodProblem(`${baseUrl}/v5/market/funding/history?${query}`, parsed.error);
      const rows = parsed.data.list
        .map((r) => ({ time: r.fundingRateTimestamp, symbol: r.symbol, rate: r.fundingRate }))
        .filter((r) => r.time >= request.start && r.time < request.end)
        .sort((a, b) => a.time - b.time);
      pages.unshift(rows);
      const oldest = rows[0]?.time;
      if (oldest === undefined || parsed.data.list.length < FUNDING_LIMIT) break;
      to = oldest - 1;
    }
    return ok(dedupe(pages.flat()));
  }

  return { name: 'bybit', candles, funding };
}

function dedupe<T extends { time: number }>(rows: T[]): T[] {
  return rows.filter((row, i) => i === 0 || row.time > rows[i - 1]!.time);
}

/** A local server on 127.0.0.1 speaking Binance's and Bybit's public wire formats, with
 *  deterministic candles (close = 100 + index of the hour since 2024-01-01) and scripted faults. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const EPOCH = Date.UTC(2024, 0, 1);
export const HOUR = 3_600_000;
/** The fake exchange lists 5,000 hourly candles from EPOCH. */
export const LISTED = 5_000;

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number; body?: string }
  | { kind: 'body'; body: string }
  | { kind: 'bybit-code'; retCode: number; retMsg: string }
  /** A redirect (to another host, or to the same server's path). */
  | { kind: 'redirect'; location: string }
  /** A body of `bytes` bytes, streamed; with its Content-Length when `declare`. */
  | { kind: 'huge'; bytes: number; declare: boolean };

export interface FakeExchange {
  readonly url: string;
  readonly requests: string[];
  /** Faults served in order, one per request, before normal answers resume. */
  readonly faults: Fault[];
  close(): Promise<void>;
}

/** BTC closes at 100 + the hour's index; other symbols add a wave of their own, so their
 *  returns differ from BTC's (betas are not all exactly 1). */
const closeAt = (time: number, symbol = 'BTC', step = HOUR) => {
  const i = (time - EPOCH) / step;
  if (symbol.startsWith('BTC')) return 100 + i;
  const k = (symbol.charCodeAt(0) % 7) + 2;
  return (100 + i) * (1 + 0.05 * Math.sin(i / k)) + 3 * Math.cos(i / (k + 3));
};
/** Open times of the listed candles of one interval within [from, to]. */
const hours = (from: number, to: number, step = HOUR) => {
  const out: number[] = [];
  const first = Math.max(EPOCH, Math.ceil((from - EPOCH) / step) * step + EPOCH);
  for (let t = first; t <= to && t < EPOCH + LISTED * step; t += step) out.push(t);
  return out;
};
const binanceStep: Record<string, number> = { '1h': HOUR, '4h': 4 * HOUR, '1d': 24 * HOUR };
const bybitStep: Record<string, number> = { '60': HOUR, '240': 4 * HOUR, D: 24 * HOUR };

function binanceKlines(q: URLSearchParams, limit: number) {
  const symbol = q.get('symbol') ?? '';
  const step = binanceStep[q.get('interval') ?? '1h'] ?? HOUR;
  const start = Number(q.get('startTime') ?? EPOCH);
  const end = Number(q.get('endTime') ?? Number.MAX_SAFE_INTEGER);
  const n = Math.min(Number(q.get('limit') ?? 500), limit);
  return hours(start, end, step)
    .slice(0, n)
    .map((t) => {
      const c = closeAt(t, symbol, step).toFixed(2);
      return [t, c, c, c, c, '10.5', t + step - 1, '1000', 10, '5', '500', '0'];
    });
}

function binanceFunding(q: URLSearchParams, symbol: string) {
  const start = Number(q.get('startTime') ?? EPOCH);
  const end = Number(q.get('endTime') ?? Number.MAX_SAFE_INTEGER);
  const n = Math.min(Number(q.get('limit') ?? 100), 1000);
  return hours(start, end)
    .filter((t) => (t - EPOCH) % (8 * HOUR) === 0)
    .slice(0, n)
    .map((t) => ({ symbol, fundingTime: t, fundingRate: '0.00010000', markPrice: '100.0' }));
}

function bybitKlines(q: URLSearchParams) {
  const step = bybitStep[q.get('interval') ?? '60'] ?? HOUR;
  const start = Number(q.get('start') ?? EPOCH);
  const end = Number(q.get('end') ?? Number.MAX_SAFE_INTEGER);
  const n = Math.min(Number(q.get('limit') ?? 200), 1000);
  const list = hours(start, end, step)
    .slice(-n)
    .reverse()
    .map((t) => {
      const c = closeAt(t, q.get('symbol') ?? '', step).toFixed(2);
      return [String(t), c, c, c, c, '10.5', '1000'];
    });
  return {
    retCode: 0,
    retMsg: 'OK',
    result: { category: q.get('category'), symbol: q.get('symbol'), list },
    time: Date.now(),
  };
}

function bybitFunding(q: URLSearchParams) {
  const start = Number(q.get('startTime') ?? EPOCH);
  const end = Number(q.get('endTime') ?? Number.MAX_SAFE_INTEGER);
  const n = Math.min(Number(q.get('limit') ?? 200), 200);
  const list = hours(start, end)
    .filter((t) => (t - EPOCH) % (8 * HOUR) === 0)
    .slice(-n)
    .reverse()
    .map((t) => ({
      symbol: q.get('symbol'),
      fundingRate: '0.0001',
      fundingRateTimestamp: String(t),
    }));
  return {
    retCode: 0,
    retMsg: 'OK',
    result: { category: q.get('category'), list },
    time: Date.now(),
  };
}

export async function startFakeExchange(): Promise<FakeExchange> {
  const requests: string[] = [];
  const faults: Fault[] = [];
  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const fault = faults.shift();
    if (fault?.kind === 'status') {
      const headers: Record<string, string> =
        fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      return send(
        res,
        fault.status,
        fault.body ?? { code: -1003, msg: 'Too many requests.' },
        headers,
      );
    }
    if (fault?.kind === 'body') return send(res, 200, fault.body);
    if (fault?.kind === 'redirect') {
      res.writeHead(302, { location: fault.location });
      return res.end();
    }
    if (fault?.kind === 'huge') {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(fault.declare ? { 'content-length': String(fault.bytes) } : {}),
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let left = fault.bytes;
      const pump = (): void => {
        while (left > 0) {
          const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= part.length;
          if (!res.write(part)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => {
        left = 0;
      });
      return pump();
    }
    if (fault?.kind === 'bybit-code')
      return send(res, 200, { retCode: fault.retCode, retMsg: fault.retMsg, result: {} });
    const q = url.searchParams;
    const symbol = q.get('symbol') ?? '';
    if (!/^[A-Z_]+$/.test(symbol)) return send(res, 400, { code: -1121, msg: 'Invalid symbol.' });
    switch (url.pathname) {
      case '/api/v3/klines':
        return send(res, 200, binanceKlines(q, 1000));
      case '/fapi/v1/klines':
      case '/dapi/v1/klines':
        return send(res, 200, binanceKlines(q, 1500));
      case '/fapi/v1/fundingRate':
      case '/dapi/v1/fundingRate':
        return send(res, 200, binanceFunding(q, symbol));
      case '/v5/market/kline':
        return send(res, 200, bybitKlines(q));
      case '/v5/market/funding/history':
        return send(res, 200, bybitFunding(q));
      default:
        return send(res, 404, { code: -1, msg: 'not found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

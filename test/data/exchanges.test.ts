import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBinanceClient } from '../../src/data/exchanges/binance';
import { createBybitClient } from '../../src/data/exchanges/bybit';
import { createHttpClient } from '../../src/data/exchanges/http';
import {
  loadExchangeFunding,
  loadExchangePrices,
  type ExchangeSettings,
} from '../../src/data/exchanges/load';
import { describeDataProblem as describeProblem } from '../../src/data/messages';
import { EPOCH, HOUR, LISTED, startFakeExchange, type FakeExchange } from './fake-exchanges';

const waits: number[] = [];
const fastHttp = {
  minIntervalMs: 0,
  backoffMs: 10,
  attempts: 4,
  sleep: async (ms: number) => {
    waits.push(ms);
  },
};

describe('exchange clients against a local server speaking their wire formats', () => {
  let fake: FakeExchange;
  let cacheDir: string;
  const settings = (): ExchangeSettings => ({
    cacheDir,
    binance: { spot: fake.url, linear: fake.url, inverse: fake.url },
    bybit: fake.url,
    http: fastHttp,
    now: () => EPOCH + LISTED * HOUR + 30 * 60_000, // half an hour into the hour after the last listed candle
  });
  const binance = () =>
    createBinanceClient(createHttpClient(fastHttp), {
      spot: fake.url,
      linear: fake.url,
      inverse: fake.url,
    });
  const bybit = () => createBybitClient(createHttpClient(fastHttp), fake.url);
  const spotRequest = {
    market: 'spot' as const,
    symbol: 'ETHUSDT',
    interval: '1h' as const,
    start: EPOCH,
    end: EPOCH + 5 * HOUR,
  };

  before(async () => {
    fake = await startFakeExchange();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    fake.requests.length = 0;
    fake.faults.length = 0;
    waits.length = 0;
    cacheDir = await mkdtemp(join(tmpdir(), 'hedgebook-cache-'));
  });

  it('pages Binance spot candles forward 1,000 at a time and returns them in order without gaps', async () => {
    const result = await binance().candles({
      market: 'spot',
      symbol: 'BTCUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 2_500 * HOUR,
    });
    assert.ok(result.ok);
    assert.equal(result.value.length, 2_500);
    assert.equal(fake.requests.length, 3);
    assert.ok(result.value.every((c, i) => c.time === EPOCH + i * HOUR && c.close === 100 + i));
  });

  it('pages Binance USD-M candles 1,500 at a time from /fapi and COIN-M from /dapi', async () => {
    const linear = await binance().candles({
      market: 'linear',
      symbol: 'BTCUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 2_000 * HOUR,
    });
    assert.ok(linear.ok);
    assert.equal(linear.value.length, 2_000);
    assert.deepEqual(
      fake.requests.map((r) => r.split('?')[0]),
      ['/fapi/v1/klines', '/fapi/v1/klines'],
    );
    const inverse = await binance().candles({
      market: 'inverse',
      symbol: 'BTCUSD_PERP',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 10 * HOUR,
    });
    assert.ok(inverse.ok);
    assert.equal(fake.requests.at(-1)?.split('?')[0], '/dapi/v1/klines');
  });

  it('pages Bybit candles backwards by end time and returns them oldest first', async () => {
    const result = await bybit().candles({
      market: 'linear',
      symbol: 'BTCUSDT',
      interval: '1h',
      start: EPOCH + 100 * HOUR,
      end: EPOCH + 2_600 * HOUR,
    });
    assert.ok(result.ok);
    assert.equal(result.value.length, 2_500);
    assert.equal(fake.requests.length, 3);
    assert.ok(result.value.every((c, i) => c.time === EPOCH + (100 + i) * HOUR));
    assert.match(fake.requests[0]!, /category=linear/);
    assert.match(fake.requests[0]!, /interval=60/);
  });

  it('reads funding history from both exchanges, every 8 hours, sign as the exchange gives it', async () => {
    const end = EPOCH + 4_000 * HOUR;
    const fromBinance = await binance().funding({
      market: 'linear',
      symbol: 'BTCUSDT',
      start: EPOCH,
      end,
    });
    const fromBybit = await bybit().funding({
      market: 'linear',
      symbol: 'BTCUSDT',
      start: EPOCH,
      end,
    });
    assert.ok(fromBinance.ok && fromBybit.ok);
    assert.equal(fromBinance.value.length, 500);
    assert.deepEqual(fromBybit.value, fromBinance.value);
    assert.ok(
      fromBybit.value.every((r) => r.rate === 0.0001 && (r.time - EPOCH) % (8 * HOUR) === 0),
    );
  });

  it('waits as Retry-After says on a 429 and then succeeds', async () => {
    fake.faults.push({ kind: 'status', status: 429, retryAfter: 2 });
    const result = await binance().candles({
      market: 'spot',
      symbol: 'ETHUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 5 * HOUR,
    });
    assert.ok(result.ok);
    assert.equal(result.value.length, 5);
    assert.ok(waits.includes(2_000), `waits were ${waits.join(', ')}`);
  });

  it('retries 5xx answers with growing backoff and gives up with the status after the last attempt', async () => {
    fake.faults.push(
      ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503, body: 'busy' })),
    );
    const result = await binance().candles({
      market: 'spot',
      symbol: 'ETHUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 5 * HOUR,
    });
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.code, 'http_error');
    assert.equal(result.problems[0]?.params?.status, 503);
    assert.equal(fake.requests.length, 4);
    assert.deepEqual(waits, [10, 20, 40]);
  });

  it('does not retry a client error such as an unknown symbol', async () => {
    const result = await binance().candles({
      market: 'spot',
      symbol: 'btc-usdt',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 5 * HOUR,
    });
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.params?.status, 400);
    assert.match(String(result.problems[0]?.params?.body), /Invalid symbol/);
    assert.equal(fake.requests.length, 1);
  });

  it('reports a malformed candle with the field that is wrong', async () => {
    fake.faults.push({ kind: 'body', body: JSON.stringify([[EPOCH, 'abc', '1', '1', '1', '1']]) });
    const result = await binance().candles({
      market: 'spot',
      symbol: 'ETHUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 5 * HOUR,
    });
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.code, 'malformed_response');
    assert.match(String(result.problems[0]?.params?.reason), /^0\.1: not a number: abc/);
  });

  it('reports a body that is not JSON at all', async () => {
    fake.faults.push({ kind: 'body', body: '<html>maintenance</html>' });
    const result = await bybit().candles({
      market: 'spot',
      symbol: 'ETHUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 5 * HOUR,
    });
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.code, 'malformed_response');
  });

  it("retries Bybit's rate-limit code and surfaces any other error code with its message", async () => {
    fake.faults.push({ kind: 'bybit-code', retCode: 10006, retMsg: 'Too many visits!' });
    const ok = await bybit().candles({
      market: 'spot',
      symbol: 'ETHUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 5 * HOUR,
    });
    assert.ok(ok.ok);
    assert.equal(ok.value.length, 5);
    fake.faults.push({
      kind: 'bybit-code',
      retCode: 10001,
      retMsg: 'params error: symbol invalid',
    });
    const bad = await bybit().candles({
      market: 'spot',
      symbol: 'ETHUSDT',
      interval: '1h',
      start: EPOCH,
      end: EPOCH + 5 * HOUR,
    });
    assert.ok(!bad.ok);
    assert.equal(bad.problems[0]?.code, 'exchange_error');
    assert.equal(bad.problems[0]?.params?.reason, 'params error: symbol invalid');
  });

  it('serves a repeated request from the disk cache without touching the network', async () => {
    const request = {
      exchange: 'binance' as const,
      market: 'spot' as const,
      interval: '1h' as const,
      start: EPOCH,
      assets: [{ asset: 'BTC', symbol: 'BTCUSDT' }],
    };
    const first = await loadExchangePrices(request, settings());
    assert.ok(first.ok);
    assert.equal(first.value.series[0]?.prices.length, LISTED);
    const calls = fake.requests.length;
    const second = await loadExchangePrices(request, settings());
    assert.ok(second.ok);
    assert.equal(fake.requests.length, calls);
    assert.deepEqual(second.value, first.value);
  });

  it('fetches only the missing end of a range that is partly cached', async () => {
    const base = {
      exchange: 'bybit' as const,
      market: 'linear' as const,
      interval: '1h' as const,
      start: EPOCH,
      assets: [{ asset: 'ETH', symbol: 'ETHUSDT' }],
    };
    await loadExchangePrices({ ...base, end: EPOCH + 100 * HOUR }, settings());
    fake.requests.length = 0;
    const longer = await loadExchangePrices({ ...base, end: EPOCH + 150 * HOUR }, settings());
    assert.ok(longer.ok);
    assert.equal(longer.value.series[0]?.prices.length, 150);
    assert.equal(fake.requests.length, 1);
    assert.match(fake.requests[0]!, new RegExp(`start=${EPOCH + 100 * HOUR}`));
  });

  it('uses the cached range and says so when the network fails', async () => {
    const request = {
      exchange: 'binance' as const,
      market: 'linear' as const,
      interval: '1h' as const,
      start: EPOCH,
      assets: [{ asset: 'BTC', symbol: 'BTCUSDT' }],
    };
    await loadExchangePrices({ ...request, end: EPOCH + 48 * HOUR }, settings());
    const offline: ExchangeSettings = { ...settings(), binance: { linear: 'http://127.0.0.1:9' } };
    const result = await loadExchangePrices({ ...request, end: EPOCH + 96 * HOUR }, offline);
    assert.ok(result.ok);
    assert.equal(result.value.series[0]?.prices.length, 48);
    assert.equal(result.warnings[0]?.code, 'used_cached_range');
    assert.equal(result.warnings[0]?.params?.from, new Date(EPOCH).toISOString());
    assert.equal(result.warnings[0]?.params?.to, new Date(EPOCH + 47 * HOUR).toISOString());
    assert.match(String(result.warnings[0]?.params?.reason), /network_error/);
  });

  it('fails with the network problem and no_cached_data when offline with an empty cache', async () => {
    const offline: ExchangeSettings = { ...settings(), bybit: 'http://127.0.0.1:9' };
    const result = await loadExchangeFunding(
      { exchange: 'bybit', market: 'linear', symbol: 'BTCUSDT', start: EPOCH },
      offline,
    );
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => p.code),
      ['network_error', 'no_cached_data'],
    );
  });

  it('does not wait out a Retry-After longer than the cap, and says so', async () => {
    fake.faults.push({ kind: 'status', status: 429, retryAfter: 3600 });
    const result = await binance().candles(spotRequest);
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.code, 'retry_after_too_long');
    assert.deepEqual(waits, []);
    assert.match(describeProblem(result.problems[0]!), /asked to wait 3600 s.*at most 60 s/);
  });

  it('stops reading a body past the size cap, declared or not, and does not retry it', async () => {
    for (const declare of [true, false]) {
      fake.requests.length = 0;
      fake.faults.push({ kind: 'huge', bytes: 3 * 1024 * 1024, declare });
      const http = createHttpClient({ ...fastHttp, maxBodyBytes: 1024 * 1024 });
      const client = createBinanceClient(http, {
        spot: fake.url,
        linear: fake.url,
        inverse: fake.url,
      });
      const result = await client.candles(spotRequest);
      assert.ok(!result.ok);
      assert.equal(result.problems[0]?.code, 'response_too_large');
      assert.equal(fake.requests.length, 1);
      assert.match(describeProblem(result.problems[0]!), /larger than 1\.0 MB/);
    }
  });

  it('gives up when the total time cap is reached, whatever the server says', async () => {
    let clock = 0;
    const http = createHttpClient({
      ...fastHttp,
      attempts: 100,
      backoffMs: 1000,
      totalTimeoutMs: 5000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    fake.faults.push(
      ...Array.from({ length: 20 }, () => ({ kind: 'status' as const, status: 503 })),
    );
    const client = createBinanceClient(http, {
      spot: fake.url,
      linear: fake.url,
      inverse: fake.url,
    });
    const result = await client.candles(spotRequest);
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.code, 'time_limit');
    assert.ok(clock <= 5000, String(clock));
    assert.ok(fake.requests.length <= 4, String(fake.requests.length));
  });

  it('follows a redirect on the same server but refuses one to another host', async () => {
    fake.faults.push({
      kind: 'redirect',
      location: `${fake.url}/api/v3/klines?symbol=ETHUSDT&interval=1h&startTime=${EPOCH}&limit=1000`,
    });
    const same = await binance().candles(spotRequest);
    assert.ok(same.ok, JSON.stringify(!same.ok && same.problems));
    fake.faults.push({ kind: 'redirect', location: 'http://198.51.100.7/steal' });
    const other = await binance().candles(spotRequest);
    assert.ok(!other.ok);
    assert.equal(other.problems[0]?.code, 'redirect_refused');
    assert.match(describeProblem(other.problems[0]!), /another host \(http:\/\/198\.51\.100\.7\)/);
  });

  it('detects a tampered cache file, says so, fetches the range again and rewrites the file', async () => {
    const request = {
      exchange: 'binance' as const,
      market: 'spot' as const,
      interval: '1h' as const,
      start: EPOCH,
      end: EPOCH + 24 * HOUR,
      assets: [{ asset: 'BTC', symbol: 'BTCUSDT' }],
    };
    const first = await loadExchangePrices(request, settings());
    assert.ok(first.ok);
    const file = join(cacheDir, 'binance', 'spot', 'BTCUSDT', '1h.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"close":105', '"close":999'));
    fake.requests.length = 0;
    const second = await loadExchangePrices(request, settings());
    assert.ok(second.ok);
    assert.equal(second.warnings[0]?.code, 'cache_invalid');
    assert.match(describeProblem(second.warnings[0]!), /checksum does not match.*fetched again/);
    assert.ok(fake.requests.length > 0);
    assert.deepEqual(second.value.series, first.value.series);
    fake.requests.length = 0;
    const third = await loadExchangePrices(request, settings());
    assert.ok(third.ok);
    assert.deepEqual([third.warnings.length, fake.requests.length], [0, 0]);
    for (const bad of [
      'not json',
      '{"rows": []}',
      JSON.stringify({ format: 2, key: 'x', sha256: '', rows: [] }),
    ]) {
      await writeFile(file, bad);
      const r = await loadExchangePrices(request, settings());
      assert.ok(r.ok);
      assert.equal(r.warnings[0]?.code, 'cache_invalid', bad);
    }
  });

  it('stops a download when cancelled, between pages', async () => {
    const abort = new AbortController();
    let pages = 0;
    const result = await loadExchangePrices(
      {
        exchange: 'binance',
        market: 'spot',
        interval: '1h',
        start: EPOCH,
        assets: [{ asset: 'BTC', symbol: 'BTCUSDT' }],
      },
      {
        ...settings(),
        signal: abort.signal,
        onProgress: () => {
          pages++;
          abort.abort();
        },
      },
    );
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.code, 'cancelled');
    assert.equal(pages, 1);
    assert.equal(fake.requests.length, 1);
  });

  it('leaves out the candle that is still open', async () => {
    const result = await loadExchangePrices(
      {
        exchange: 'binance',
        market: 'spot',
        interval: '1h',
        start: EPOCH + (LISTED - 3) * HOUR,
        assets: [{ asset: 'BTC', symbol: 'BTCUSDT' }],
      },
      { ...settings(), now: () => EPOCH + (LISTED - 1) * HOUR + 60_000 },
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value.series[0]?.times, [
      EPOCH + (LISTED - 3) * HOUR,
      EPOCH + (LISTED - 2) * HOUR,
    ]);
  });

  after(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });
});

describe('exchange problems in words', () => {
  it('says which cached range was used and why when offline', () => {
    const words = describeProblem({
      code: 'used_cached_range',
      path: ['binance spot BTCUSDT 1h'],
      params: {
        what: 'binance spot BTCUSDT 1h',
        from: '2024-01-01T00:00:00.000Z',
        to: '2024-01-02T23:00:00.000Z',
        reason: 'network_error',
      },
    });
    assert.equal(
      words,
      'the network failed (network_error), so the cached range of binance spot BTCUSDT 1h was used: 2024-01-01T00:00:00.000Z to 2024-01-02T23:00:00.000Z',
    );
  });
  it('names the host and status of an HTTP failure', () => {
    const words = describeProblem({
      code: 'http_error',
      path: [],
      params: {
        url: 'https://fapi.binance.com/fapi/v1/klines?symbol=X',
        status: 503,
        body: 'busy',
      },
    });
    assert.equal(words, 'fapi.binance.com/fapi/v1/klines answered HTTP 503: busy');
  });
});

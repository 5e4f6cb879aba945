import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNotebookFile } from '../../src/cli/runner';
import { candleCache } from '../../src/data/exchanges/cache';
import { parseNotebookFile } from '../../src/notebook/file-format';
import { startFakeExchange, type FakeExchange } from '../data/fake-exchanges';
import { ROOT } from './helpers';

const SAMPLE = join('samples', '05-live-exchange.hedgebook');

describe('the live-data sample, against a local server speaking Binance', () => {
  let fake: FakeExchange;
  let cache: string;
  before(async () => {
    fake = await startFakeExchange();
    cache = mkdtempSync(join(tmpdir(), 'hedgebook-live-'));
    process.env.HEDGEBOOK_BINANCE_URL = fake.url;
    process.env.HEDGEBOOK_CACHE_DIR = cache;
    process.env.HEDGEBOOK_HTTP_ATTEMPTS = '1'; // offline cases fail at once instead of backing off
  });
  after(async () => {
    delete process.env.HEDGEBOOK_BINANCE_URL;
    delete process.env.HEDGEBOOK_CACHE_DIR;
    delete process.env.HEDGEBOOK_HTTP_ATTEMPTS;
    await fake.close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('is saved without outputs, since live data is a snapshot', () => {
    const saved = parseNotebookFile(readFileSync(join(ROOT, SAMPLE), 'utf8'));
    assert.ok(saved.ok);
    assert.ok(saved.value.cells.every((c) => (c.outputs ?? []).length === 0));
  });

  it('runs clean online: daily closes of the perpetuals, then betas to BTC', async () => {
    const r = await runNotebookFile(SAMPLE, { cwd: ROOT });
    assert.ok(r.ok);
    const runs = r.value.cells.flatMap((c) => (c.run ? [c.run] : []));
    assert.deepEqual(
      runs.map((x) => [x.status, x.problems.map((p) => p.message)]),
      runs.map(() => ['ok', []]),
    );
    assert.ok(fake.requests.every((q) => q.startsWith('/fapi/v1/klines?')));
    const prices = runs[0]!.results[0]!;
    assert.equal(prices.kind, 'prices');
    assert.deepEqual(prices.kind === 'prices' && prices.assets, ['BTC', 'ETH', 'SOL']);
    const betas = runs.at(-1)!.results[0]!;
    assert.equal(betas.kind, 'betas');
    assert.deepEqual(betas.kind === 'betas' && betas.rows.map((row) => row.asset), ['ETH', 'SOL']);
  });

  it('offline, uses the cached range and says so in the prices cell', async () => {
    // The cache as a previous day left it: the last ten daily candles are not in it yet.
    // (Written through the cache itself: a file edited by hand fails its checksum.)
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) {
      const key = `binance/linear/${symbol}/1d`;
      const { rows } = await candleCache(cache).read(key);
      assert.ok(rows.length > 10);
      await candleCache(cache).write(key, rows.slice(0, -10));
    }
    process.env.HEDGEBOOK_BINANCE_URL = 'http://127.0.0.1:9';
    const r = await runNotebookFile(SAMPLE, { cwd: ROOT });
    assert.ok(r.ok);
    const prices = r.value.cells.find((c) => c.run)!.run!;
    assert.equal(prices.status, 'ok');
    const warnings = prices.results[0]!.warnings;
    assert.ok(warnings.some((w) => w.code === 'used_cached_range'));
    assert.match(
      warnings[0]!.message,
      /the network failed .* so the cached range of binance linear BTCUSDT 1d was used: 2025-01-01/,
    );
  });

  it('offline with an empty cache, fails saying the exchange could not be reached and nothing was cached', async () => {
    process.env.HEDGEBOOK_CACHE_DIR = join(cache, 'empty');
    const r = await runNotebookFile(SAMPLE, { cwd: ROOT });
    assert.ok(r.ok);
    const prices = r.value.cells.find((c) => c.run)!.run!;
    assert.equal(prices.status, 'error');
    const text = prices.problems.map((p) => p.message).join('\n');
    assert.match(text, /could not reach 127\.0\.0\.1:9/);
    assert.match(text, /no cached data/);
  });
});

/** A small HTTP JSON client for exchanges' public market-data APIs: rate limiting, retries with
 *  exponential backoff (honouring Retry-After on 429/418), and failures as Result values.
 *
 *  Everything a server controls is capped, and a failure says which cap it hit:
 *  - a Retry-After longer than `maxRetryAfterMs` (60 s) is not waited out: `retry_after_too_long`;
 *  - a body larger than `maxBodyBytes` (32 MiB) is cut off while it streams (a Content-Length
 *    that says so is refused before reading): `response_too_large`, never retried;
 *  - all requests and waits of one client end by `totalTimeoutMs` (10 minutes) after it was
 *    made: `time_limit`; each request by `timeoutMs` (15 s);
 *  - redirects are followed only to the same origin (scheme, host, port), at most 3 hops; one
 *    to another host is refused: `redirect_refused`. */
import { fail, ok, type Result } from '../../engine/result';

export interface HttpOptions {
  /** Attempts in all, first included. */
  readonly attempts: number;
  /** First backoff; doubled each retry (plus Retry-After when the server sends one). */
  readonly backoffMs: number;
  /** Minimum time between two requests to the same client (a simple rate limit). */
  readonly minIntervalMs: number;
  /** One request, headers and body. */
  readonly timeoutMs: number;
  /** The longest Retry-After obeyed. */
  readonly maxRetryAfterMs: number;
  /** The largest response body read. */
  readonly maxBodyBytes: number;
  /** Everything one client does (every page, retry and wait), from its creation. */
  readonly totalTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export const defaultHttpOptions: HttpOptions = {
  attempts: 5,
  backoffMs: 500,
  minIntervalMs: 120,
  timeoutMs: 15_000,
  maxRetryAfterMs: 60_000,
  maxBodyBytes: 32 * 1024 * 1024,
  totalTimeoutMs: 10 * 60_000,
};

const MAX_REDIRECTS = 3;

/** setTimeout as a promise that also ends when the signal aborts (a cancel never waits out a
 *  backoff). */
const sleepReal = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Retry-After as ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

class BodyTooLarge extends Error {}

/** The body as text, reading at most `max` bytes (the stream is cancelled past it). */
async function readBody(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One client per exchange: it spaces its own requests by minIntervalMs. */
export function createHttpClient(options: Partial<HttpOptions> = {}) {
  const opts: HttpOptions = { ...defaultHttpOptions, ...options };
  const sleepRaw = opts.sleep ?? ((ms: number) => sleepReal(ms, opts.signal));
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const deadline = now() + opts.totalTimeoutMs;
  let nextSlot = 0;

  const timeLimit = (url: string): Result<never> =>
    fail('time_limit', [url], { url, seconds: Math.round(opts.totalTimeoutMs / 1000) });

  /** Sleeps, but never past the deadline; false when the deadline came first. */
  async function sleep(ms: number): Promise<boolean> {
    const left = deadline - now();
    if (ms > left) {
      if (left > 0) await sleepRaw(left);
      return false;
    }
    await sleepRaw(ms);
    return true;
  }

  async function waitTurn(): Promise<void> {
    const t = now();
    const at = Math.max(t, nextSlot);
    nextSlot = at + opts.minIntervalMs;
    if (at > t) await sleepRaw(at - t);
  }

  /** One GET, following same-origin redirects. */
  async function get(url: string, signal: AbortSignal): Promise<Response | Result<never>> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const response = await doFetch(target, {
        signal,
        redirect: 'manual',
        headers: { accept: 'application/json' },
      });
      if (response.status < 300 || response.status >= 400) return response;
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => undefined);
      if (location === null) return response;
      const next = new URL(location, target);
      if (next.origin !== new URL(url).origin)
        return fail('redirect_refused', [url], { url, location: next.origin });
      if (hop >= MAX_REDIRECTS)
        return fail('redirect_refused', [url], { url, location: next.origin, hops: hop + 1 });
      target = next.href;
    }
  }

  /** GET a URL and parse JSON. Retries network errors, 429/418 and 5xx; not other 4xx. */
  async function getJson(url: string): Promise<Result<unknown>> {
    let lastProblem: Result<unknown> = fail('network_error', [url], {
      url,
      reason: 'no attempt made',
    });
    for (let attempt = 1; attempt <= opts.attempts; attempt++) {
      if (opts.signal?.aborted) return fail('cancelled', [url], { url });
      if (now() >= deadline) return timeLimit(url);
      await waitTurn();
      let wait = opts.backoffMs * 2 ** (attempt - 1);
      try {
        const timeout = AbortSignal.timeout(
          Math.max(1, Math.min(opts.timeoutMs, deadline - now())),
        );
        const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
        const response = await get(url, signal);
        if (!(response instanceof Response)) return response;
        const text = await readBody(response, opts.maxBodyBytes);
        if (response.ok) {
          try {
            return ok(JSON.parse(text) as unknown);
          } catch {
            return fail('malformed_response', [url], {
              url,
              reason: 'the body is not JSON',
              body: text.slice(0, 120),
            });
          }
        }
        const retryable =
          response.status === 429 || response.status === 418 || response.status >= 500;
        lastProblem = fail('http_error', [url], {
          url,
          status: response.status,
          body: text.slice(0, 200),
        });
        if (!retryable) return lastProblem;
        const asked = retryAfterMs(response.headers.get('retry-after'), now());
        if (asked !== null) {
          if (asked > opts.maxRetryAfterMs)
            return fail('retry_after_too_long', [url], {
              url,
              status: response.status,
              seconds: Math.round(asked / 1000),
              limit: Math.round(opts.maxRetryAfterMs / 1000),
            });
          wait = Math.max(wait, asked);
        }
      } catch (error) {
        if (opts.signal?.aborted) return fail('cancelled', [url], { url });
        if (error instanceof BodyTooLarge)
          return fail('response_too_large', [url], { url, limit: opts.maxBodyBytes });
        if (now() >= deadline) return timeLimit(url);
        lastProblem = fail('network_error', [url], {
          url,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
      if (attempt < opts.attempts && !(await sleep(wait))) return timeLimit(url);
    }
    return lastProblem;
  }

  /** A wait between two tries of the caller's own (Bybit's rate-limit code), within the same
   *  deadline; false when the deadline came first. */
  return { getJson, sleep, timeLimit, aborted: () => opts.signal?.aborted === true };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

/** A small HTTP JSON client for exchanges' public market-data APIs: rate limiting, retries with
 *  exponential backoff (honouring Retry-After on 429/418), and failures as Result values. */
import { fail, ok, type Result } from '../../engine/result';

export interface HttpOptions {
  /** Attempts in all, first included. */
  readonly attempts: number;
  /** First backoff; doubled each retry (plus Retry-After when the server sends one). */
  readonly backoffMs: number;
  /** Minimum time between two requests to the same client (a simple rate limit). */
  readonly minIntervalMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const defaultHttpOptions: HttpOptions = {
  attempts: 5,
  backoffMs: 500,
  minIntervalMs: 120,
  timeoutMs: 15_000,
};

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One client per exchange: it spaces its own requests by minIntervalMs. */
export function createHttpClient(options: Partial<HttpOptions> = {}) {
  const opts: HttpOptions = { ...defaultHttpOptions, ...options };
  const sleep = opts.sleep ?? sleepReal;
  const doFetch = opts.fetch ?? fetch;
  let nextSlot = 0;

  async function waitTurn(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + opts.minIntervalMs;
    if (at > now) await sleep(at - now);
  }

  /** GET a URL and parse JSON. Retries network errors, 429/418 and 5xx; not other 4xx. */
  async function getJson(url: string): Promise<Result<unknown>> {
    let lastProblem: Result<unknown> = fail('network_error', [url], {
      url,
      reason: 'no attempt made',
    });
    for (let attempt = 1; attempt <= opts.attempts; attempt++) {
      if (opts.signal?.aborted) return fail('cancelled', [url], { url });
      await waitTurn();
      let retryAfterMs = 0;
      try {
        const timeout = AbortSignal.timeout(opts.timeoutMs);
        const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
        const response = await doFetch(url, { signal, headers: { accept: 'application/json' } });
        const text = await response.text();
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
        const header = response.headers.get('retry-after');
        if (header && Number.isFinite(Number(header))) retryAfterMs = Number(header) * 1000;
      } catch (error) {
        if (opts.signal?.aborted) return fail('cancelled', [url], { url });
        lastProblem = fail('network_error', [url], {
          url,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
      if (attempt < opts.attempts)
        await sleep(Math.max(retryAfterMs, opts.backoffMs * 2 ** (attempt - 1)));
    }
    return lastProblem;
  }

  return { getJson, sleep };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

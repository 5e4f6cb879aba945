/** Words for the live exchange data problems (src/data/exchanges). */
import type { Problem } from '../engine/result';
import { formatBytes } from './limits';

type Params = NonNullable<Problem['params']>;

const host = (p: Params) => {
  try {
    const url = new URL(String(p.url));
    return `${url.host}${url.pathname}`;
  } catch {
    return String(p.url ?? 'the exchange');
  }
};

export const exchangeMessages: Record<string, (params: Params) => string> = {
  network_error: (p) => `could not reach ${host(p)}: ${String(p.reason)} (retried with backoff)`,
  http_error: (p) =>
    `${host(p)} answered HTTP ${String(p.status)}${p.body ? `: ${String(p.body).slice(0, 160)}` : ''}`,
  malformed_response: (p) =>
    `${host(p)} sent an answer of an unexpected shape: ${String(p.reason)}`,
  exchange_error: (p) =>
    `${host(p)} refused the request (code ${String(p.code)}): ${String(p.reason)}`,
  retry_after_too_long: (p) =>
    `${host(p)} answered HTTP ${String(p.status)} and asked to wait ${String(p.seconds)} s before trying again; Hedgebook waits at most ${String(p.limit)} s (a cap), so it stopped. Try again later.`,
  response_too_large: (p) =>
    `${host(p)} sent an answer larger than ${formatBytes(Number(p.limit))} (a cap on one response), so it was not read.`,
  time_limit: (p) =>
    `the download from ${host(p)} took longer than ${String(p.seconds)} s (a cap on one load), so it stopped. Ask for a shorter range or a coarser interval.`,
  redirect_refused: (p) =>
    p.hops !== undefined
      ? `${host(p)} redirected more than ${String(Number(p.hops) - 1)} times, so the request stopped.`
      : `${host(p)} redirected to another host (${String(p.location)}), which is not followed.`,
  cache_invalid: (p) =>
    `the cached data of ${String(p.what)} (${String(p.file)}) was not used because ${String(p.reason)}; it was fetched again.`,
  unsupported_market: (p) =>
    `${String(p.exchange)} has no funding history for the ${String(p.market)} market`,
  cancelled: (p) =>
    p.file !== undefined
      ? `${String(p.file)}: loading was cancelled.`
      : 'the download was cancelled',
  no_cached_data: (p) =>
    `no cached data for ${String(p.what)} either, so there is nothing to use offline`,
  used_cached_range: (p) =>
    `the network failed (${String(p.reason)}), so the cached range of ${String(p.what)} was used: ${String(p.from)} to ${String(p.to)}`,
};

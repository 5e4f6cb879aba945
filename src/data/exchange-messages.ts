/** Words for the live exchange data problems (src/data/exchanges). */
import type { Problem } from '../engine/result';

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
  unsupported_market: (p) =>
    `${String(p.exchange)} has no funding history for the ${String(p.market)} market`,
  cancelled: () => 'the download was cancelled',
  no_cached_data: (p) =>
    `no cached data for ${String(p.what)} either, so there is nothing to use offline`,
  used_cached_range: (p) =>
    `the network failed (${String(p.reason)}), so the cached range of ${String(p.what)} was used: ${String(p.from)} to ${String(p.to)}`,
};

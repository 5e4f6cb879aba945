/** Funding-rate history from an exchange in the shape the notebook's env hands to a funding cell:
 *  the rows of loadExchangeFunding (through the disk cache) and where they came from. */
import { ok, type Result } from '../../engine/result';
import { loadExchangeFunding, type ExchangeSettings } from './load';
import type { ExchangeName, FundingRow } from './types';

export interface ExchangeFundingRequest {
  readonly exchange: ExchangeName;
  readonly market: 'linear' | 'inverse';
  readonly symbol: string;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive; defaults to now. */
  readonly end?: number;
}

/** `{ source: 'binance linear BTCUSDT funding', rates }`; rates as the exchange gives them
 *  (decimal per interval, positive = longs pay shorts). */
export async function loadExchangeFundingRates(
  request: ExchangeFundingRequest,
  settings: ExchangeSettings,
): Promise<Result<{ source: string; rates: FundingRow[] }>> {
  const rows = await loadExchangeFunding({ ...request }, settings);
  if (!rows.ok) return rows;
  return ok(
    {
      source: `${request.exchange} ${request.market} ${request.symbol} funding`,
      rates: rows.value,
    },
    rows.warnings,
  );
}

/** Hedge instruments: perpetual swaps and dated futures, linear (USD(T)-margined) or inverse
 *  (coin-margined). Pure data plus validation; the sizing lives in hedge.ts. */
import type { BracketTable } from './brackets';
import { type Problem, type Result, failWith, ok } from './result';

export type InstrumentType = 'perpetual' | 'future';
export type Settlement = 'linear' | 'inverse';

/** A futures contract used as the hedge leg.
 *  - linear (USDⓈ-M, e.g. Binance BTCUSDT perpetual): `contractSize` is coin per contract
 *    (0.001 BTC), P&L and margin in USD(T); one contract's notional is price · contractSize.
 *  - inverse (COIN-M, e.g. Binance BTCUSD_PERP): `contractSize` is the contract value in USD
 *    (100 USD for BTC, 10 USD for others on Binance), P&L and margin in the coin.
 *  `lotStep` is the smallest tradable increment counted in contracts (1 = whole contracts).
 *  `expiry` is epoch ms UTC for a dated future, null for a perpetual.
 *  `maintenanceMarginRate` is the first-bracket rate (Binance BTCUSDT: 0.004 = 0.4%), used alone
 *  when the instrument has no `brackets`; with a bracket table (brackets.ts) the maintenance
 *  margin follows the table (margin.ts). */
export interface Instrument {
  name: string;
  type: InstrumentType;
  settlement: Settlement;
  underlying: string;
  contractSize: number;
  lotStep: number;
  expiry: number | null;
  maintenanceMarginRate: number;
  /** Tiered maintenance margin (a shipped table or the cell's own); absent = single rate. */
  brackets?: BracketTable;
}

/** A conservative default maintenance-margin rate: Binance's first bracket for BTC
 *  perpetuals (0.4%). Other coins and larger positions use higher rates; pass the exchange's. */
export const DEFAULT_MAINTENANCE_MARGIN_RATE = 0.004;

/** What a caller (the notebook cell) may leave out: lot step 1, expiry null, the default MMR. */
export type InstrumentInput = Omit<Instrument, 'lotStep' | 'expiry' | 'maintenanceMarginRate'> & {
  lotStep?: number;
  expiry?: number | null;
  maintenanceMarginRate?: number;
};

const isPositive = (x: unknown): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x > 0;

/** Validates an instrument and fills its defaults. All problems are collected, each located by
 *  the field's name (path [field]) with the offending value in params.
 *  Codes: invalid_instrument_name, invalid_instrument_type, invalid_settlement,
 *  invalid_underlying, invalid_contract_size, invalid_lot_step, missing_expiry,
 *  perpetual_with_expiry, invalid_expiry, invalid_maintenance_margin_rate,
 *  brackets_settlement_mismatch (a table counted in coin on a linear contract, or in USD on an
 *  inverse one). With brackets, maintenanceMarginRate is the first bracket's rate.
 *  Cost O(1).
 *  @example validateInstrument({ name: 'BTCUSDT-PERP', type: 'perpetual', settlement: 'linear',
 *    underlying: 'BTC', contractSize: 0.001 }) // => ok, lotStep 1, expiry null, MMR 0.004 */
export function validateInstrument(input: InstrumentInput): Result<Instrument> {
  const problems: Problem[] = [];
  const bad = (code: string, field: string, value: unknown) =>
    problems.push({ code, path: [field], params: { value: String(value) } });
  if (typeof input.name !== 'string' || input.name.trim() === '')
    bad('invalid_instrument_name', 'name', input.name);
  if (input.type !== 'perpetual' && input.type !== 'future')
    bad('invalid_instrument_type', 'type', input.type);
  if (input.settlement !== 'linear' && input.settlement !== 'inverse')
    bad('invalid_settlement', 'settlement', input.settlement);
  if (typeof input.underlying !== 'string' || input.underlying.trim() === '')
    bad('invalid_underlying', 'underlying', input.underlying);
  if (!isPositive(input.contractSize))
    bad('invalid_contract_size', 'contractSize', input.contractSize);
  const lotStep = input.lotStep ?? 1;
  if (!isPositive(lotStep)) bad('invalid_lot_step', 'lotStep', lotStep);
  const expiry = input.expiry ?? null;
  if (expiry !== null && !(typeof expiry === 'number' && Number.isFinite(expiry)))
    bad('invalid_expiry', 'expiry', expiry);
  else if (input.type === 'future' && expiry === null)
    problems.push({ code: 'missing_expiry', path: ['expiry'], params: { name: input.name } });
  else if (input.type === 'perpetual' && expiry !== null)
    problems.push({
      code: 'perpetual_with_expiry',
      path: ['expiry'],
      params: { name: input.name },
    });
  const mmr = input.maintenanceMarginRate ?? DEFAULT_MAINTENANCE_MARGIN_RATE;
  if (!(typeof mmr === 'number' && Number.isFinite(mmr) && mmr >= 0 && mmr < 1))
    bad('invalid_maintenance_margin_rate', 'maintenanceMarginRate', mmr);
  const brackets = input.brackets;
  if (brackets && brackets.brackets.length > 1) {
    const unit = input.settlement === 'inverse' ? 'coin' : 'usd';
    if (brackets.unit !== unit)
      problems.push({
        code: 'brackets_settlement_mismatch',
        path: ['brackets'],
        params: { table: brackets.name, unit: brackets.unit, settlement: String(input.settlement) },
      });
  }
  if (problems.length > 0) return failWith(problems);
  return ok({
    name: input.name,
    type: input.type,
    settlement: input.settlement,
    underlying: input.underlying,
    contractSize: input.contractSize,
    lotStep,
    expiry,
    maintenanceMarginRate: brackets ? (brackets.brackets[0]?.rate ?? mmr) : mmr,
    ...(brackets ? { brackets } : {}),
  });
}

/** USD notional of one contract at `price`: linear price · contractSize (coin per contract),
 *  inverse contractSize (the contract's fixed USD value; price unused). O(1). */
export function contractValueUsd(instrument: Instrument, price: number): number {
  return instrument.settlement === 'linear'
    ? price * instrument.contractSize
    : instrument.contractSize;
}

/** True when a dated future has expired at `time` (epoch ms); perpetuals never expire. O(1). */
export function isExpired(instrument: Instrument, time: number): boolean {
  return instrument.expiry !== null && time >= instrument.expiry;
}

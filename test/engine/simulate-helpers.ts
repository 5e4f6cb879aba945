// Builders for the simulation tests: small markets written out bar by bar.
import type { Instrument } from '../../src/engine/instrument';
import { placeSettlements, constantFundingTimes } from '../../src/engine/funding';
import { rebalanceFlags } from '../../src/engine/schedule';
import {
  simulateHedge,
  type SimulationMarket,
  type SimulationResult,
  type SimulationRule,
  type SimulationSettings,
} from '../../src/engine/simulate';
import { BTCUSDT, value } from './helpers';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Binance's BTCUSD perpetual: inverse, 100 USD a contract. */
export const BTCUSD: Instrument = {
  ...BTCUSDT,
  name: 'BTCUSD_PERP',
  settlement: 'inverse',
  contractSize: 100,
};

export interface Bars {
  price: number[];
  high?: number[];
  low?: number[];
  /** Default: one BTC held (V = price). */
  value?: number[];
  /** Default: beta 1 (dollar beta = value). */
  dollarBeta?: number[];
  /** Default 1. */
  instrumentBeta?: number[];
  /** Bar length, default one day. */
  step?: number;
  start?: number;
}

export function market(b: Bars): SimulationMarket {
  const step = b.step ?? DAY;
  const start = b.start ?? T0;
  const v = b.value ?? b.price;
  return {
    times: b.price.map((_, i) => start + i * step),
    price: b.price,
    high: b.high ?? null,
    low: b.low ?? null,
    value: v,
    dollarBeta: b.dollarBeta ?? v,
    instrumentBeta: b.instrumentBeta ?? b.price.map(() => 1),
  };
}

export interface Run {
  bars: Bars;
  settings?: Partial<SimulationSettings>;
  /** Rebalance period (null = never), default never. */
  every?: number | null;
  band?: number;
  minTrade?: number;
  /** A constant funding rate every 8 h, or explicit settlements. */
  fundingRate?: number;
  fundingSeries?: { times: number[]; rates: number[] };
}

export function setup(run: Run): {
  m: SimulationMarket;
  rule: SimulationRule;
  settings: SimulationSettings;
} {
  const m = market(run.bars);
  const to = run.bars.price.length - 1;
  const times = m.times as number[];
  const series =
    run.fundingSeries ??
    (run.fundingRate !== undefined
      ? (() => {
          const ts = constantFundingTimes(times[0]!, times[to]!);
          return { times: ts, rates: ts.map(() => run.fundingRate!) };
        })()
      : null);
  const settings: SimulationSettings = {
    instrument: BTCUSDT,
    targetBeta: 0,
    leverage: 1,
    collateral: 100_000,
    feeRate: 0,
    slippage: 0,
    funding: series ? placeSettlements(times, 0, to, series) : null,
    roll: null,
    onLiquidation: 'reopen',
    stopLoss: null,
    from: 0,
    to,
    ...run.settings,
  };
  const rule: SimulationRule = {
    decisions: rebalanceFlags(times, settings.from, settings.to, run.every ?? null),
    band: run.band ?? 0,
    minTrade: run.minTrade ?? 0,
  };
  return { m, rule, settings };
}

export function simulate(run: Run): SimulationResult {
  const { m, rule, settings } = setup(run);
  return value(simulateHedge(m, rule, settings, { flows: true }));
}

/** hedged − unhedged equity at each bar equals the flows to `tol` of the capital. */
export function identityError(r: SimulationResult): number {
  const p = r.path!;
  let worst = 0;
  for (let k = 0; k < p.equity.length; k++) {
    const diff = p.equity[k]! - p.unhedged[k]!;
    const scale = Math.max(1, Math.abs(p.unhedged[k]!));
    worst = Math.max(worst, Math.abs(diff - p.flows![k]!) / scale);
  }
  return worst;
}

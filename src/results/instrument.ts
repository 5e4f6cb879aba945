/** An `instrument` cell: the contract and its price and beta. */
import * as z from 'zod';
import { base } from './common';

export const InstrumentResult = z.object({
  ...base,
  kind: z.literal('instrument'),
  type: z.enum(['perpetual', 'future']),
  settlement: z.enum(['linear', 'inverse']),
  underlying: z.string(),
  contractSize: z.number(), // coin per contract (linear) or USD per contract (inverse)
  lotStep: z.number(),
  expiry: z.string().nullable(),
  price: z.number(),
  beta: z.number(),
  betaSource: z.enum(['benchmark', 'estimated', 'given']),
  maintenanceMarginRate: z.number(),
});

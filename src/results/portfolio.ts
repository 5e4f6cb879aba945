/** A `portfolio` cell: its valuation. */
import * as z from 'zod';
import { base } from './common';

export const Position = z.object({
  asset: z.string(),
  units: z.number(),
  price: z.number(),
  value: z.number(), // USD
  weight: z.number(),
});

export const PortfolioResult = z.object({
  ...base,
  kind: z.literal('portfolio'),
  asOf: z.string(),
  value: z.number(),
  positions: z.array(Position),
});

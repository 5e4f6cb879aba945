/** A `prices` cell: the dataset it loaded. */
import * as z from 'zod';
import { base } from './common';

export const PricesResult = z.object({
  ...base,
  kind: z.literal('prices'),
  assets: z.array(z.string()),
  frequency: z.string(), // '1d', '1h', ...
  periodsPerYear: z.number(),
  last: z.array(z.object({ asset: z.string(), price: z.number(), time: z.string() })),
});

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
  /** The data came from the session's memory: the file (or exchange request) was unchanged
   *  since it was last read, so it was not read again. */
  reused: z.boolean().optional(),
});

/** A settings cell: benchmark, returns, window and frequency in force. */
import * as z from 'zod';
import { base } from './common';

export const SettingsResult = z.object({
  ...base,
  kind: z.literal('settings'),
  benchmark: z.array(z.object({ asset: z.string(), weight: z.number() })),
  returns: z.enum(['simple', 'log']),
  window: z.number().int().positive().nullable(), // periods; null = all
  frequency: z.string(),
});

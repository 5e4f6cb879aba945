/** Words for the data layer's problems: price and funding files (file-messages.ts), which files
 *  a notebook may read (path-messages.ts) and live exchange data (exchange-messages.ts), over the
 *  engine's words. The data layer's public loaders hand their problems up already worded
 *  (`worded`), since the layers above cannot word them. */
import { describer, engineMessages, wordedWith } from '../engine/messages';
import type { Result } from '../engine/result';
import { exchangeMessages } from './exchange-messages';
import { fileMessages } from './file-messages';
import { pathMessages } from './path-messages';

/** Words for a problem of the data layer (or of the engine below it). */
export const describeDataProblem = describer(
  engineMessages,
  fileMessages,
  pathMessages,
  exchangeMessages,
);

/** The result with its problems and warnings worded by the data layer. */
export function worded<T>(r: Result<T>): Result<T> {
  return wordedWith(describeDataProblem, r);
}

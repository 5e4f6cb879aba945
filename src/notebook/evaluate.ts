/** The `hedge` cell language, step 4: evaluation of one validated cell into typed results
 *  (src/results) with the pure engine. One module per kind under ./cells (the shared market and
 *  window helpers in cells/market.ts); this module only dispatches. No I/O: price files come
 *  through SessionEnv.loadPrices. Long loops check the AbortSignal and yield to the event loop. */
import type { ParsedCell } from './parse';
import type { CellSpec } from './schemas';
import type { CellEvaluation, EvalContext } from './cells/context';
import { evaluateBasis } from './cells/basis';
import { evaluateBetas } from './cells/betas';
import { evaluateFunding } from './cells/funding';
import { evaluateHedge } from './cells/hedge';
import { evaluateInstrument } from './cells/instrument';
import { evaluatePair } from './cells/pair';
import { evaluatePortfolio } from './cells/portfolio';
import { evaluatePosition } from './cells/position';
import { evaluatePrices } from './cells/prices';
import { evaluateSettings } from './cells/settings';
import { evaluateSimulate } from './cells/simulate';
import { evaluateStress } from './cells/stress';

export * from './cells/context';

/** Evaluates one validated cell. Throws Cancelled when the signal aborts; never throws for
 *  user data (problems are returned located in the cell). */
export async function evaluateCell(
  spec: CellSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  switch (spec.kind) {
    case 'prices':
      return evaluatePrices(spec, parsed, ctx);
    case 'settings':
      return evaluateSettings(spec, parsed, ctx);
    case 'portfolio':
      return evaluatePortfolio(spec, parsed, ctx);
    case 'instrument':
      return evaluateInstrument(spec, parsed, ctx);
    case 'betas':
      return evaluateBetas(spec, parsed, ctx);
    case 'hedge':
      return evaluateHedge(spec, parsed, ctx);
    case 'pair':
      return evaluatePair(spec, parsed, ctx);
    case 'funding':
      return evaluateFunding(spec, parsed, ctx);
    case 'simulate':
      return evaluateSimulate(spec, parsed, ctx);
    case 'stress':
      return evaluateStress(spec, parsed, ctx);
    case 'basis':
      return evaluateBasis(spec, parsed, ctx);
    case 'position':
      return evaluatePosition(spec, parsed, ctx);
  }
}

// The engine functions `npm run bench` times, in one module: bench/bundled.ts bundles this file
// with esbuild as the shipped bundles are built (scripts/build.mjs, production settings) and the
// bench times the bundle's functions, not these TypeScript sources run through tsx.
export { betaTable } from '../src/engine/beta';
export { dollarBetaPath, instrumentBetaPath } from '../src/engine/beta-path';
export { placeSettlements } from '../src/engine/funding';
export { rollingBeta, rollingBetaOnly } from '../src/engine/rolling';
export { rebalanceFlags } from '../src/engine/schedule';
export { toReturns } from '../src/engine/series';
export { simulateHedge } from '../src/engine/simulate';

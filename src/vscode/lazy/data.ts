/** What the kernel takes from the data layer, bundled apart as dist/data.js and loaded when a
 *  cell first reads data (../lazy.ts says why): price files and exchange data through the
 *  session's dataset cache, funding files and funding history, and the layer's wording. */
export { loadExchangeDataset, loadFileDataset } from '../../data/datasets';
export { loadFundingFile } from '../../data/files';
export { diskFingerprints } from '../../data/fingerprint';
export { loadExchangeFundingRates } from '../../data/exchanges/funding';
export { worded } from '../../data/messages';

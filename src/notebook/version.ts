/** The Hedgebook version, as package.json says: saved with every output it computes. */
import { version } from '../../package.json';

export const HEDGEBOOK_VERSION: string = version;

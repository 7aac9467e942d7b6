import type { MinflowConfig } from '../../config.js';
import type { DocumentStore } from './port.js';

/** Opens the configured adapter: mongodb when `mongodbUrl` is set, otherwise the embedded SQLite file. */
export async function createStore(_config: MinflowConfig): Promise<DocumentStore> {
  // Implemented by the store work (embedded + mongodb adapters).
  throw new Error('store adapters pending');
}

import type { MinflowConfig } from '../../config.js';
import { openEmbeddedStore } from './embedded.js';
import type { DocumentStore } from './port.js';

export type {
  Collection,
  CollectionSpec,
  DocumentStore,
  Filter,
  FindOptions,
  IndexSpec,
  Page,
  StoredDoc,
} from './port.js';

/** Opens the configured adapter: mongodb when `mongodbUrl` is set, otherwise the embedded SQLite file. */
export async function createStore(config: Pick<MinflowConfig, 'dataDir' | 'mongodbUrl'>): Promise<DocumentStore> {
  if (config.mongodbUrl) {
    const { openMongoStore } = await import('./mongodb.js');
    return openMongoStore(config.mongodbUrl);
  }
  return openEmbeddedStore(config.dataDir);
}

import { MinflowError } from '../../errors/registry.js';
import type { DocumentStore } from './port.js';

export async function openMongoStore(_url: string): Promise<DocumentStore> {
  throw new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE');
}

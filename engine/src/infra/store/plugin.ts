import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createStore } from './index.js';
import type { DocumentStore } from './port.js';

export interface StorePluginOptions {
  /** A store opened by the caller (tests, several apps on one store); it is then not closed with the app. */
  store?: DocumentStore;
}

/** Decorates `app.store` with the configured document store and closes it when the app closes. */
export const storePlugin = fp<StorePluginOptions>(
  async (app: FastifyInstance, opts) => {
    const owned = !opts.store;
    const store = opts.store ?? (await createStore(app.config));
    app.decorate('store', store);
    if (owned) app.addHook('onClose', async () => store.close());
  },
  { name: 'minflow-store', dependencies: ['minflow-config'] },
);

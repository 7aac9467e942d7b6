import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { MinflowPlugin } from '@minflow/sdk';
import { addMinflowFormats } from '@minflow/sdk/formats';
import ajvFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { loadConfig, type MinflowConfig } from './config.js';
import { errorHandlerPlugin } from './errors/http.js';
import './fastify-augment.js';
import { authPlugin } from './infra/auth/plugin.js';
import { type Clock, systemClock } from './infra/clock.js';
import { pluginsPlugin } from './infra/plugins.js';
import { queuePlugin } from './infra/queue/plugin.js';
import type { JobQueue } from './infra/queue/port.js';
import { storePlugin } from './infra/store/plugin.js';
import type { DocumentStore } from './infra/store/port.js';
import { serveSpa } from './infra/ui.js';
import attachmentsRoutes from './modules/attachments/routes.js';
import type { OrphanSweepOptions } from './modules/attachments/sweep.js';
import authRoutes from './modules/auth/routes.js';
import casesRoutes from './modules/cases/routes.js';
import definitionsRoutes from './modules/definitions/routes.js';
import healthRoutes from './modules/health/routes.js';
import metaRoutes from './modules/meta/routes.js';
import noticesRoutes from './modules/notices/routes.js';
import userNamesRoutes from './modules/org/names.js';
import orgRoutes from './modules/org/routes.js';
import personsRoutes from './modules/persons/routes.js';
import standardsRoutes from './modules/standards/routes.js';
import tasksRoutes from './modules/tasks/routes.js';
import { engineVersion } from './version.js';

export interface BuildAppOptions {
  /** Configuration overrides on top of the environment (tests pass a temp dataDir, seedDemo, ...). */
  config?: Partial<MinflowConfig>;
  /** Read the environment for configuration (default true; tests may pass false to start from defaults). */
  env?: NodeJS.ProcessEnv;
  /** Use this store instead of opening one from the config. It is not closed with the app. */
  store?: DocumentStore;
  /** Use this queue instead of opening one from the config. */
  queue?: JobQueue;
  clock?: Clock;
  /** Plugins to load instead of `config.plugins` (tests). */
  plugins?: MinflowPlugin[];
  logger?: FastifyServerOptions['logger'];
  /** The sweep of uploads no case refers to (retention `orphanDays`, else env `MINFLOW_ATTACHMENT_ORPHAN_DAYS`, else 7). */
  attachments?: OrphanSweepOptions;
}

/** Builds the Minflow engine without listening: `main.ts` listens, tests use `app.inject()`. */
export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config = loadConfig(options.env ?? process.env, options.config);
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: 10 * 1024 * 1024,
    // First start imports and publishes every item under definitions/ in onReady: allow it time on a slow machine.
    pluginTimeout: 120_000,
    trustProxy: config.trustProxy,
    ajv: {
      // Unknown fields are an error (400), not silently dropped; report every problem at once.
      customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true },
      plugins: [ajvFormats as never, addMinflowFormats as never],
    },
  });

  await app.register(
    fp(
      async (instance) => {
        instance.decorate('config', config);
        instance.decorate('clock', options.clock ?? systemClock);
      },
      { name: 'minflow-config' },
    ),
  );
  await app.register(errorHandlerPlugin);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Minflow API',
        description: '民政低代码表单与审批流平台 API / Minflow forms and approval-flow API',
        version: engineVersion,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'minflow_session' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  await app.register(fastifyCookie);
  await app.register(storePlugin, { store: options.store });
  await app.register(queuePlugin, { queue: options.queue });
  await app.register(pluginsPlugin, { plugins: options.plugins });
  await app.register(authPlugin);

  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(authRoutes, { prefix: '/auth' });
      await api.register(orgRoutes);
      await api.register(userNamesRoutes);
      await api.register(definitionsRoutes);
      await api.register(casesRoutes);
      await api.register(attachmentsRoutes, { env: options.env ?? process.env, ...options.attachments });
      await api.register(tasksRoutes);
      await api.register(personsRoutes);
      await api.register(metaRoutes);
      await api.register(noticesRoutes);
      await api.register(standardsRoutes);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  await serveSpa(app, '/app', config.runtimeUiDir);
  await serveSpa(app, '/designer', config.designerDir);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/app/'));

  return app;
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MinflowPlugin } from '@minflow/sdk';
import type { FastifyInstance } from 'fastify';
import { MongoClient } from 'mongodb';
import { buildApp } from '../src/app.js';
import type { MinflowConfig } from '../src/config.js';
import type { Clock } from '../src/infra/clock.js';

/** The demo users' password in tests (every demo user: admin, county, township, village, auditor, ...). */
export const TEST_DEMO_PASSWORD = 'Test-Demo-Passw0rd';

export interface TestApp {
  app: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Builds the engine on a fresh temp data dir (embedded store unless `config.mongodbUrl` is given),
 * with the demo jurisdiction and users seeded (password TEST_DEMO_PASSWORD), no definitions
 * imported unless `config.definitionsDir` is given, and logging off. `close()` closes the app
 * and removes the data dir.
 */
export async function createTestApp(
  options: { config?: Partial<MinflowConfig>; clock?: Clock; plugins?: MinflowPlugin[] } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'minflow-test-'));
  const mongodbUrl = testMongoUrl();
  let app: FastifyInstance;
  try {
    app = await buildApp({
      env: {},
      config: {
        dataDir,
        mongodbUrl,
        redisUrl: null,
        seedDemo: true,
        production: false,
        demoPassword: TEST_DEMO_PASSWORD,
        definitionsDir: null,
        ...options.config,
      },
      clock: options.clock,
      plugins: options.plugins,
      logger: false,
    });
    await app.ready();
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    if (mongodbUrl) await dropDatabase(mongodbUrl);
    throw err;
  }
  return {
    app,
    dataDir,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
      const url = app.config.mongodbUrl;
      if (url && url === mongodbUrl) await dropDatabase(url);
    },
  };
}

/**
 * With `MINFLOW_TEST_MONGODB_URL` set (e.g. the FerretDB of `.ci/ferretdb.sh`), every test app
 * runs on its own fresh MongoDB database instead of an embedded file, so the API tests also run
 * on the mongodb adapter. Unset (the default): embedded.
 */
function testMongoUrl(): string | null {
  const base = process.env.MINFLOW_TEST_MONGODB_URL;
  if (!base) return null;
  const url = new URL(base);
  url.pathname = `/minflow_t_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

async function dropDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

/** Signs in as a demo user and returns the headers for `app.inject`: `{ authorization: 'Bearer <token>' }`. */
export async function loginAs(
  app: FastifyInstance,
  username: string,
  password: string = TEST_DEMO_PASSWORD,
): Promise<{ authorization: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().token as string}` };
}

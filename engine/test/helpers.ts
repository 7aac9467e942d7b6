import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
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
  options: { config?: Partial<MinflowConfig>; clock?: Clock } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'minflow-test-'));
  let app: FastifyInstance;
  try {
    app = await buildApp({
      env: {},
      config: {
        dataDir,
        mongodbUrl: null,
        redisUrl: null,
        seedDemo: true,
        production: false,
        demoPassword: TEST_DEMO_PASSWORD,
        definitionsDir: null,
        ...options.config,
      },
      clock: options.clock,
      logger: false,
    });
    await app.ready();
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    dataDir,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
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

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface MinflowConfig {
  port: number;
  host: string;
  /** Where the embedded store file (and uploads) live. */
  dataDir: string;
  /** When set, the mongodb adapter is used instead of the embedded SQLite file. */
  mongodbUrl: string | null;
  /** When set, jobs and timers run on Bull over Redis instead of the inline queue. */
  redisUrl: string | null;
  /** Demo users' password; generated and printed once when unset. */
  demoPassword: string | null;
  production: boolean;
  /** Seed the demo jurisdiction and users into an empty store (never in production). */
  seedDemo: boolean;
  /** Import and publish the items under this folder on first start (null: none). */
  definitionsDir: string | null;
  sessionIdleMinutes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Built UIs served at /app and /designer. */
  runtimeUiDir: string;
  designerDir: string;
  logLevel: string;
  /** Trust X-Forwarded-* from a reverse proxy (client IPs for rate limits); only behind a proxy you run. */
  trustProxy: boolean;
  /** Plugin packages to load (module specifiers), from MINFLOW_PLUGINS (comma-separated). */
  plugins: string[];
}

function int(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === '' ? Number.NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Reads configuration from the environment; `overrides` win (tests pass their own). */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<MinflowConfig> = {},
): MinflowConfig {
  const production = env.NODE_ENV === 'production';
  const base: MinflowConfig = {
    port: int(env.PORT, 3000),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.MINFLOW_DATA_DIR || path.join(process.cwd(), 'data')),
    mongodbUrl: env.MONGODB_URL || null,
    redisUrl: env.REDIS_URL || null,
    demoPassword: env.MINFLOW_DEMO_PASSWORD || null,
    production,
    seedDemo: !production && env.MINFLOW_SEED_DEMO !== 'false',
    definitionsDir:
      env.MINFLOW_DEFINITIONS_DIR === 'none'
        ? null
        : path.resolve(env.MINFLOW_DEFINITIONS_DIR || path.join(repoRoot, 'definitions')),
    sessionIdleMinutes: int(env.MINFLOW_SESSION_IDLE_MINUTES, 30),
    loginMaxFailures: int(env.MINFLOW_LOGIN_MAX_FAILURES, 5),
    loginLockMinutes: int(env.MINFLOW_LOGIN_LOCK_MINUTES, 15),
    runtimeUiDir: path.join(repoRoot, 'runtime-ui', 'dist'),
    designerDir: path.join(repoRoot, 'designer', 'dist'),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: env.MINFLOW_TRUST_PROXY === 'true',
    plugins: (env.MINFLOW_PLUGINS ?? '@minflow/plugin-economic-check')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
  const merged = { ...base, ...overrides };
  // Demo data must never reach a production store, whatever the overrides say.
  if (merged.production) merged.seedDemo = false;
  return merged;
}

export { repoRoot };

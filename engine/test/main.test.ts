import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config.js';

/** The environment without the variables that would move the engine off its embedded default (CI sets them). */
function embeddedEnv(): NodeJS.ProcessEnv {
  const { MONGODB_URL: _m, REDIS_URL: _r, MINFLOW_TEST_MONGODB_URL: _t, ...rest } = process.env;
  return rest;
}

/** Starts `engine/src/main.ts` as `npm start` does (without the UI build step) and waits for it to listen. */
function startEngine(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'engine/src/main.ts')], {
    cwd: repoRoot,
    env: { ...embeddedEnv(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start:\n${out}`)), 45_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}:\n${out}`));
    });
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('main.ts (what `npm start` runs)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-main-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts on an empty data dir, seeds demo users, serves /api/health, and stops cleanly on SIGTERM', async () => {
    const { child, url } = await startEngine({ MINFLOW_DATA_DIR: dataDir, MINFLOW_DEMO_PASSWORD: 'Start#Test2026' });
    try {
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store: 'embedded', queue: 'inline' });
      expect(fs.existsSync(path.join(dataDir, 'minflow.sqlite'))).toBe(true);

      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'village', password: 'Start#Test2026' }),
      });
      expect(login.status).toBe(200);
    } finally {
      const exited = exitCode(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('restarts on the same data dir without seeding again, and generates no new password', async () => {
    const { child, url, output } = await startEngine({ MINFLOW_DATA_DIR: dataDir, MINFLOW_DEMO_PASSWORD: '' });
    try {
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'village', password: 'Start#Test2026' }),
      });
      // The first start's password still works: the store was reused, not re-seeded.
      expect(login.status).toBe(200);
      expect(output()).not.toMatch(/demo password/i);
    } finally {
      const exited = exitCode(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine } from './engine-process.js';

describe('main.ts (what `npm start` runs)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-main-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts on an empty data dir, seeds demo users, serves /api/health, and stops cleanly on SIGTERM', async () => {
    const engine = await startEngine({ MINFLOW_DATA_DIR: dataDir, MINFLOW_DEMO_PASSWORD: 'Start#Test2026' });
    try {
      const health = await fetch(`${engine.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store: 'embedded', queue: 'inline' });
      expect(fs.existsSync(path.join(dataDir, 'minflow.sqlite'))).toBe(true);

      const login = await fetch(`${engine.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'village', password: 'Start#Test2026' }),
      });
      expect(login.status).toBe(200);
    } finally {
      engine.child.kill('SIGTERM');
      expect(await engine.exited).toBe(0);
    }
  });

  it('restarts on the same data dir without seeding again, and generates no new password', async () => {
    const engine = await startEngine({ MINFLOW_DATA_DIR: dataDir, MINFLOW_DEMO_PASSWORD: '' });
    try {
      const login = await fetch(`${engine.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'village', password: 'Start#Test2026' }),
      });
      // The first start's password still works: the store was reused, not re-seeded.
      expect(login.status).toBe(200);
      expect(engine.output()).not.toMatch(/demo password/i);
    } finally {
      engine.child.kill('SIGTERM');
      expect(await engine.exited).toBe(0);
    }
  });

  it('serves one port from MINFLOW_WORKERS processes on one store, seeded once, and stops them all on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-workers-'));
    const engine = await startEngine({
      MINFLOW_DATA_DIR: dir,
      MINFLOW_DEMO_PASSWORD: 'Start#Test2026',
      MINFLOW_DEFINITIONS_DIR: 'none',
      MINFLOW_WORKERS: '2',
    });
    try {
      await engine.waitFor(/Server listening[\s\S]*Server listening/);
      const pids = new Set([...engine.output().matchAll(/"pid":(\d+)[^\n]*Server listening/g)].map((m) => m[1]));
      expect(pids.size).toBe(2);
      expect(engine.output().match(/demo jurisdiction and users seeded/g)).toHaveLength(1);
      // Sessions live in the store: a token from one worker is good on the other.
      const login = await fetch(`${engine.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'township', password: 'Start#Test2026' }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      for (let i = 0; i < 6; i++) {
        const me = await fetch(`${engine.url}/api/auth/me`, {
          headers: { authorization: `Bearer ${token}`, connection: 'close' },
        });
        expect(me.status).toBe(200);
      }
    } finally {
      engine.child.kill('SIGTERM');
      expect(await engine.exited).toBe(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

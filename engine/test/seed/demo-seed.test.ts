import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ORG_UNITS, USERS } from '../../src/infra/auth/model.js';
import { DEMO_USERS, flattenDemoTree } from '../../src/seed/demo-data.js';
import { createTestApp, loginAs } from '../helpers.js';

describe('demo seed', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('seeds 白银市 with 5 counties, real townships and villages, and one user per role and level', async () => {
    const t = await createTestApp();
    try {
      const units = (await t.app.store.collection(ORG_UNITS).find({}, { limit: 1000 })).items;
      const byLevel = (level: string) => units.filter((u) => u.level === level);
      expect(byLevel('city').map((u) => u.name)).toEqual(['白银市']);
      expect(byLevel('county')).toHaveLength(5);
      expect(byLevel('township').length).toBe(15);
      expect(byLevel('village').length).toBeGreaterThanOrEqual(30);
      expect(units.find((u) => u._id === 'baiyin/jingtai/yitiaoshan')?.name).toBe('一条山镇');
      const users = (await t.app.store.collection(USERS).find({}, { limit: 100 })).items;
      const roles = Object.fromEntries(users.map((u) => [u.username, [u.orgUnitId, u.roles]]));
      expect(roles).toMatchObject({
        admin: ['baiyin', ['city-admin']],
        county: ['baiyin/huining', ['county-approver']],
        township: ['baiyin/huining/huishi', ['township-staff', 'investigator']],
        village: [expect.stringMatching(/^baiyin\/huining\/huishi\//), ['village-assistant']],
        auditor: ['baiyin', ['auditor']],
        township2: ['baiyin/huining/guochengyi', ['township-staff']],
        county2: ['baiyin/jingyuan', ['county-approver']],
        investigator2: ['baiyin/huining/huishi', ['investigator']],
      });
    } finally {
      await t.close();
    }
  });

  it('never seeds in production', async () => {
    const t = await createTestApp({ config: { production: true, seedDemo: true } });
    try {
      expect(await t.app.store.collection(ORG_UNITS).count({})).toBe(0);
      expect(await t.app.store.collection(USERS).count({})).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('generates a password when none is configured, prints it once with the accounts, stores it nowhere; a restart seeds nothing', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'minflow-seed-'));
    dirs.push(dataDir);
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const config = {
      dataDir,
      mongodbUrl: null,
      redisUrl: null,
      demoPassword: null,
      seedDemo: true,
      definitionsDir: null,
    };
    const first = await buildApp({ env: {}, config, logger: false });
    await first.ready();
    const output = printed.join('');
    const password = /password: (\S+)/.exec(output)?.[1] as string;
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    for (const u of DEMO_USERS) expect(output).toContain(u.username);
    expect(output).toContain('会师镇');
    await loginAs(first, 'admin', password);
    await first.close();

    // Not in any file of the data dir (database, WAL), in plain text.
    for (const file of await readdir(dataDir)) {
      expect((await readFile(path.join(dataDir, file))).includes(Buffer.from(password))).toBe(false);
    }

    printed.length = 0;
    const second = await buildApp({ env: {}, config, logger: false });
    await second.ready();
    expect(printed.join('')).not.toContain('password');
    expect(await second.store.collection(ORG_UNITS).count({})).toBe(flattenDemoTree().length);
    expect(await second.store.collection(USERS).count({})).toBe(DEMO_USERS.length);
    await loginAs(second, 'village', password);
    await second.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('GET /api/users/names', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives a village assistant the display names of county staff they may not list, and nothing else', async () => {
    const village = await loginAs(t.app, 'village');
    const admin = await loginAs(t.app, 'admin');
    const users = (await t.app.inject({ method: 'GET', url: '/api/users?limit=100', headers: admin })).json().items as {
      id: string;
      username: string;
      displayName: string;
    }[];
    const county = users.find((u) => u.username === 'county')!;
    const township = users.find((u) => u.username === 'township')!;
    // The village assistant cannot list the county's users…
    const listed = await t.app.inject({ method: 'GET', url: '/api/users?limit=100', headers: village });
    expect(JSON.stringify(listed.json())).not.toContain(county.id);
    // …but sees who acted on their case by name.
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/users/names?ids=${county.id}&ids=${township.id}&ids=nobody`,
      headers: village,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ names: { [county.id]: county.displayName, [township.id]: township.displayName } });
    expect(res.body).not.toContain('county-approver');
  });

  it('needs a session and at least one id', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/users/names?ids=x' })).statusCode).toBe(401);
    const village = await loginAs(t.app, 'village');
    expect((await t.app.inject({ method: 'GET', url: '/api/users/names', headers: village })).statusCode).toBe(400);
  });
});

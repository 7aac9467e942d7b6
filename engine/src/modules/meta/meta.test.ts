import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';

describe('designer pick lists from the running engine', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('lists the installed plugins’ service-task handlers and the roles with their levels, to signed-in users only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/meta/handlers' })).statusCode).toBe(401);
    const headers = await loginAs(t.app, 'admin');
    const handlers = (await t.app.inject({ method: 'GET', url: '/api/meta/handlers', headers })).json();
    expect(handlers.items).toContainEqual(
      expect.objectContaining({
        key: 'economic-check',
        plugin: 'economic-check',
        title: expect.objectContaining({ zh: '家庭经济状况核对' }),
      }),
    );
    const roles = (await t.app.inject({ method: 'GET', url: '/api/meta/roles', headers })).json();
    expect(roles.levels).toEqual(['city', 'county', 'township', 'village']);
    expect(roles.roles).toContainEqual(expect.objectContaining({ key: 'village-assistant', levels: ['village'] }));
    expect(roles.roles.map((r: { key: string }) => r.key).sort()).toEqual([
      'auditor',
      'city-admin',
      'county-approver',
      'investigator',
      'township-staff',
      'village-assistant',
    ]);
  });
});

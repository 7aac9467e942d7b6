import { describe, expect, it } from 'vitest';
import { normaliseMe } from '../../src/api/types.ts';
import { loginPath, safeNext } from '../../src/auth/redirect.ts';

describe('returning to the page after login', () => {
  it('keeps the page the person was on, and says why they must log in', () => {
    expect(loginPath('/apply/elderly-allowance?x=1', 'expired')).toBe(
      '/login?reason=expired&next=%2Fapply%2Felderly-allowance%3Fx%3D1',
    );
    expect(loginPath('/', 'required')).toBe('/login?reason=required');
  });

  it('never redirects outside the app after login (no open redirect)', () => {
    expect(safeNext('/catalog')).toBe('/catalog');
    for (const bad of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
      null,
    ]) {
      expect(safeNext(bad)).toBe('/');
    }
    expect(safeNext('/login?next=/catalog')).toBe('/');
  });
});

describe('the signed-in user from /api/auth/me', () => {
  it('reads name, unit with its path and role names from the engine’s answer', () => {
    const me = normaliseMe({
      user: {
        id: 'u1',
        username: 'village',
        displayName: '马文丽',
        orgUnitId: 'v1',
        level: 'village',
        orgPath: ['c', 'k', 't', 'v1'],
        roles: ['village-assistant'],
      },
      orgUnit: {
        id: 'v1',
        name: '东关村',
        level: 'village',
        code: '620422',
        path: [
          { id: 'c', name: '白银市', level: 'city' },
          { id: 'v1', name: '东关村', level: 'village' },
        ],
      },
      roles: [{ role: 'village-assistant', name: { zh: '村民政协理员', en: 'Village assistant' } }],
      rules: [['read', 'Item']],
    });
    expect(me).toEqual({
      id: 'u1',
      username: 'village',
      displayName: '马文丽',
      roles: ['village-assistant'],
      orgUnit: { id: 'v1', name: '东关村', level: 'village', pathNames: ['白银市', '东关村'] },
      rules: [['read', 'Item']],
    });
  });

  it('refuses an answer without a user', () => {
    expect(normaliseMe(null)).toBeNull();
    expect(normaliseMe({ orgUnit: {} })).toBeNull();
  });
});

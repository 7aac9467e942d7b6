import { describe, expect, it } from 'vitest';
import {
  assertPasswordPolicy,
  generatePassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../src/infra/auth/password.js';

describe('password hashing (scrypt)', () => {
  it('stores algorithm, parameters and salt with the hash, never the password', async () => {
    const hash = await hashPassword('Correct-Horse-9');
    const [alg, N, r, p, salt, key] = hash.split('$');
    expect(alg).toBe('scrypt');
    expect(Number(N)).toBeGreaterThanOrEqual(2 ** 15);
    expect(Number(r)).toBe(8);
    expect(Number(p)).toBe(1);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(hash).not.toContain('Correct-Horse-9');
    expect(needsRehash(hash)).toBe(false);
  });

  it('salts every hash: the same password hashes differently and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same-Passw0rd'), hashPassword('same-Passw0rd')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same-Passw0rd', a)).toBe(true);
    expect(await verifyPassword('same-Passw0rd', b)).toBe(true);
  });

  it('rejects a wrong password and malformed or foreign hashes', async () => {
    const hash = await hashPassword('Right-Passw0rd');
    expect(await verifyPassword('right-Passw0rd', hash)).toBe(false);
    expect(await verifyPassword('Right-Passw0rd', 'bcrypt$xyz')).toBe(false);
    expect(await verifyPassword('Right-Passw0rd', hash.replace(/\$[^$]+$/, '$AAAA'))).toBe(false);
  });

  it('verifies hashes made with older (cheaper) parameters and asks for a re-hash', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('Old-Passw0rd', salt, 32, { N: 2 ** 12, r: 8, p: 1 });
    const old = ['scrypt', 2 ** 12, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
    expect(await verifyPassword('Old-Passw0rd', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('generates passwords that satisfy the policy, and the policy refuses weak ones', () => {
    for (let i = 0; i < 50; i++) expect(() => assertPasswordPolicy(generatePassword())).not.toThrow();
    expect(() => assertPasswordPolicy('short1')).toThrow(
      expect.objectContaining({ code: 'MINFLOW_ERR_AUTH_PASSWORD_WEAK' }),
    );
    expect(() => assertPasswordPolicy('onlyletterslong')).toThrow();
    expect(() => assertPasswordPolicy('1234567890123')).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { DraftStore, hasContent, type KeyValueStorage } from '../../src/forms/drafts.ts';
import { newIdempotencyKey } from '../../src/lib/idempotency.ts';

class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  full = false;
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const at = (iso: string) => () => new Date(iso);

describe('application drafts', () => {
  it('restores what was typed, with its idempotency key and the time it was saved', () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage, at('2026-03-01T02:30:00.000Z'));
    store.save('u-village', 'elderly-allowance', { version: 2, data: { name: '张三' }, idempotencyKey: 'k-1' });
    const again = new DraftStore(storage); // a reload: a new page, the same browser storage
    expect(again.load('u-village', 'elderly-allowance')).toEqual({
      version: 2,
      data: { name: '张三' },
      idempotencyKey: 'k-1',
      savedAt: '2026-03-01T02:30:00.000Z',
    });
  });

  it('keeps drafts apart per user and per item (two clerks on one PC never see each other’s)', () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage);
    store.save('alice', 'tekun', { version: 1, data: { a: 1 }, idempotencyKey: 'a' });
    store.save('bob', 'tekun', { version: 1, data: { b: 1 }, idempotencyKey: 'b' });
    store.save('alice', 'dibao-urban', { version: 1, data: { c: 1 }, idempotencyKey: 'c' });
    expect(store.load('alice', 'tekun')?.data).toEqual({ a: 1 });
    expect(store.load('bob', 'tekun')?.data).toEqual({ b: 1 });
    expect(store.load('bob', 'dibao-urban')).toBeNull();
    store.clear('alice', 'tekun');
    expect(store.load('alice', 'tekun')).toBeNull();
    expect(store.load('bob', 'tekun')?.data).toEqual({ b: 1 });
  });

  it('reports a full storage instead of throwing, and ignores a corrupted entry', () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage);
    storage.full = true;
    expect(store.save('u', 'x', { version: 1, data: { a: 1 }, idempotencyKey: 'k' })).toBeNull();
    storage.full = false;
    storage.map.set(DraftStore.key('u', 'x'), '{not json');
    expect(store.load('u', 'x')).toBeNull();
  });

  it('treats a form with only empty values as no draft', () => {
    expect(hasContent({ name: '', members: [], address: { street: undefined } })).toBe(false);
    expect(hasContent({ name: '', members: [{ name: '李四' }] })).toBe(true);
    expect(hasContent({ agree: false })).toBe(true);
  });
});

describe('idempotency keys', () => {
  const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('are random v4 UUIDs, also where crypto.randomUUID is missing (plain http on the office LAN)', () => {
    const withoutRandomUUID = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey(withoutRandomUUID)));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(k).toMatch(uuidV4);
    expect(newIdempotencyKey()).toMatch(uuidV4);
  });
});

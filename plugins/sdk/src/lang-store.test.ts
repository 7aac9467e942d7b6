import { afterEach, describe, expect, it } from 'vitest';
import { createLangStore } from './lang-store.js';

const saved = new Map<string, string>();
const storage = {
  getItem: (k: string) => saved.get(k) ?? null,
  setItem: (k: string, v: string) => void saved.set(k, v),
};

describe('createLangStore', () => {
  afterEach(() => {
    saved.clear();
    Reflect.deleteProperty(globalThis, 'localStorage');
  });

  it('starts in Chinese, switches, tells subscribers once per change and remembers the choice per UI key', () => {
    Object.assign(globalThis, { localStorage: storage });
    const store = createLangStore('minflow.test.lang');
    expect(store.get()).toBe('zh-CN');
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.set('en');
    store.set('en');
    expect(store.get()).toBe('en');
    expect(calls).toBe(1);
    off();
    store.set('zh-CN');
    expect(calls).toBe(1);
    store.set('en');
    expect(createLangStore('minflow.test.lang').get()).toBe('en');
    expect(createLangStore('minflow.other.lang').get()).toBe('zh-CN');
  });

  it('still switches when storage is blocked, and ignores a saved value that is not a language', () => {
    Object.assign(globalThis, {
      localStorage: {
        getItem: () => 'fr',
        setItem: () => {
          throw new Error('blocked');
        },
      },
    });
    const store = createLangStore('k');
    expect(store.get()).toBe('zh-CN');
    store.set('en');
    expect(store.get()).toBe('en');
  });
});

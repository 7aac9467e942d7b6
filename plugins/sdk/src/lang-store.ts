/**
 * The interface language of a Minflow UI (zh-CN first, English when the person chooses it),
 * remembered in localStorage under the UI's own key and observable by React
 * (`useSyncExternalStore(store.subscribe, store.get)`) and by API clients (Accept-Language).
 * Shared by the designer and the runtime UI.
 */
export type Lang = 'zh-CN' | 'en';

export interface LangStore {
  get(): Lang;
  set(lang: Lang): void;
  subscribe(listener: () => void): () => void;
}

function readSaved(storageKey: string): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(storageKey);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage blocked (private mode on some old browsers): fall through to the default
  }
  return 'zh-CN';
}

export function createLangStore(storageKey: string): LangStore {
  let current: Lang = readSaved(storageKey);
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(lang) {
      if (lang === current) return;
      current = lang;
      try {
        globalThis.localStorage?.setItem(storageKey, lang);
      } catch {
        // not remembered, still switched
      }
      if (typeof document !== 'undefined') document.documentElement.lang = lang;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

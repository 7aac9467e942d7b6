import type { Lang } from './messages';

const STORAGE_KEY = 'minflow.lang';
type Listener = () => void;

function readInitial(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage blocked (private mode on some old browsers): fall through to the default
  }
  // Chinese first: English only when the person chose it.
  return 'zh-CN';
}

let current: Lang = readInitial();
const listeners = new Set<Listener>();

/** The interface language, shared by React (useLang) and the API client (Accept-Language). */
export const langStore = {
  get: (): Lang => current,
  set(lang: Lang): void {
    if (lang === current) return;
    current = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // not remembered, still switched
    }
    document.documentElement.lang = lang;
    for (const l of listeners) l();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

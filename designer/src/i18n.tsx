import { createLangStore, type Lang } from '@minflow/sdk/lang-store';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';

/**
 * The designer's language: zh-CN by default, English when the admin switches (remembered in
 * localStorage). Texts are written as pairs where they are used — `t('保存草稿', 'Save draft')` — so
 * a missing translation is visible in review and the Chinese stays the source.
 */
export type { Lang } from '@minflow/sdk/lang-store';

export const langStore = createLangStore('minflow.designer.lang');

/** Picks the text of the current language; `{name}` placeholders are filled from params. */
export type T = (zh: string, en: string, params?: Record<string, string | number>) => string;

export function translate(lang: Lang, zh: string, en: string, params?: Record<string, string | number>): string {
  const text = lang === 'en' ? en : zh;
  return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;
}

interface I18nValue {
  lang: Lang;
  setLang(lang: Lang): void;
  t: T;
}

const I18nContext = createContext<I18nValue>({
  lang: 'zh-CN',
  setLang: langStore.set,
  t: (zh, en, p) => translate('zh-CN', zh, en, p),
});

export function I18nProvider({ children }: { children: ReactNode }) {
  const lang = useSyncExternalStore(langStore.subscribe, langStore.get);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18nValue>(
    () => ({ lang, setLang: langStore.set, t: (zh, en, p) => translate(lang, zh, en, p) }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}

/** A `{ zh, en? }` name in the current language (the Chinese when there is no English). */
export function localized(name: { zh: string; en?: string } | undefined, lang: Lang): string {
  if (!name) return '';
  return lang === 'en' && name.en ? name.en : name.zh;
}

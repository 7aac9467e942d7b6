import { match } from 'pinyin-pro';
import { CATEGORIES, type Category, type ItemSummary, localized } from '../api/types';
import type { Lang } from '../i18n/messages';

export interface ItemHit {
  item: ItemSummary;
  /** Indices of the characters of the Chinese name that matched, for highlighting. */
  highlight: number[];
  score: number;
}

export interface CategoryGroup {
  category: Category | 'other';
  hits: ItemHit[];
}

const ASCII_QUERY = /^[a-z\s']+$/i;

function range(start: number, length: number): number[] {
  return Array.from({ length }, (_, i) => start + i);
}

/**
 * Scores one item against the query: Chinese text in the name or description, English name or key,
 * or pinyin (initials such as "gljt", full syllables such as "gaoling", or a mix) of the Chinese name,
 * polyphones included (重点 matches both "zd" and "cd"). 0 means no match; higher ranks first.
 */
export function scoreItem(item: ItemSummary, rawQuery: string, lang: Lang): ItemHit | null {
  const query = rawQuery.trim().toLowerCase();
  if (!query) return { item, highlight: [], score: 1 };
  const zh = item.name.zh ?? '';
  const compact = query.replace(/\s+/g, '');

  const at = zh.toLowerCase().indexOf(compact);
  if (at >= 0) return { item, highlight: range(at, compact.length), score: at === 0 ? 100 : 80 };

  if (ASCII_QUERY.test(query)) {
    const hit = match(zh, compact, { continuous: true, insensitive: true, v: true });
    if (hit && hit.length > 0) return { item, highlight: hit, score: hit[0] === 0 ? 90 : 70 };
  }

  const en = (item.name.en ?? '').toLowerCase();
  if (en.includes(query)) return { item, highlight: [], score: en.startsWith(query) ? 60 : 50 };
  if (item.key.toLowerCase().includes(compact)) return { item, highlight: [], score: 40 };

  const desc = `${localized(item.description, 'zh-CN')} ${localized(item.description, lang)}`.toLowerCase();
  if (desc.includes(query)) return { item, highlight: [], score: 20 };
  return null;
}

/** The catalog as shown: the five posts in their statutory order, matches ranked within each. */
export function groupCatalog(items: ItemSummary[], query: string, lang: Lang): CategoryGroup[] {
  const groups = new Map<Category | 'other', ItemHit[]>();
  for (const c of CATEGORIES) groups.set(c, []);
  groups.set('other', []);
  items.forEach((item) => {
    const hit = scoreItem(item, query, lang);
    if (!hit) return;
    const cat = (CATEGORIES as readonly string[]).includes(item.category) ? (item.category as Category) : 'other';
    groups.get(cat)!.push(hit);
  });
  const out: CategoryGroup[] = [];
  for (const [category, hits] of groups) {
    if (hits.length === 0) continue;
    // Stable: equal scores keep the server's order.
    hits.sort((a, b) => b.score - a.score);
    out.push({ category, hits });
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import type { ItemSummary } from '../../src/api/types.ts';
import { groupCatalog, scoreItem } from '../../src/catalog/search.ts';

const item = (key: string, zh: string, category: string, en?: string, description?: string): ItemSummary => ({
  key,
  name: { zh, en },
  category,
  description,
  version: 1,
});

const items: ItemSummary[] = [
  item('dibao-urban', '城市居民最低生活保障', 'social-assistance', 'Urban minimum living allowance', '城市低保'),
  item('tekun', '特困人员救助供养', 'social-assistance', 'Support for persons in extreme poverty'),
  item('elderly-allowance', '高龄津贴', 'social-welfare', 'Allowance for the very old', '80 周岁以上老年人'),
  item('special-care-pension', '重点优抚对象抚恤补助', 'special-care', 'Pensions for special-care recipients'),
  item('village-election', '村民委员会换届选举备案', 'grassroots-democracy'),
  item('funeral-subsidy', '惠民殡葬补贴', 'social-affairs'),
];

const names = (groups: ReturnType<typeof groupCatalog>) => groups.flatMap((g) => g.hits.map((h) => h.item.key));

describe('catalog search', () => {
  it('finds 高龄津贴 by its pinyin initials, upper or lower case, and marks the matched characters', () => {
    for (const q of ['gljt', 'GLJT', 'gl jt']) {
      const groups = groupCatalog(items, q, 'zh-CN');
      expect(names(groups)).toEqual(['elderly-allowance']);
      expect(groups[0]!.hits[0]!.highlight).toEqual([0, 1, 2, 3]);
    }
  });

  it('finds by full pinyin, by a mix of syllables and initials, and inside the name', () => {
    expect(names(groupCatalog(items, 'gaolingjintie', 'zh-CN'))).toEqual(['elderly-allowance']);
    expect(names(groupCatalog(items, 'gaolj', 'zh-CN'))).toEqual(['elderly-allowance']);
    expect(names(groupCatalog(items, 'jt', 'zh-CN'))).toEqual(['elderly-allowance']);
    expect(names(groupCatalog(items, 'zdsh', 'zh-CN'))).toEqual(['dibao-urban']);
  });

  it('accepts either reading of a polyphone (重点: zhongdian / chongdian)', () => {
    expect(names(groupCatalog(items, 'zdyf', 'zh-CN'))).toEqual(['special-care-pension']);
    expect(names(groupCatalog(items, 'cdyf', 'zh-CN'))).toEqual(['special-care-pension']);
  });

  it('finds by Chinese text in the name or the description, and by English name or key', () => {
    expect(names(groupCatalog(items, '津贴', 'zh-CN'))).toEqual(['elderly-allowance']);
    expect(names(groupCatalog(items, '低保', 'zh-CN'))).toEqual(['dibao-urban']);
    expect(names(groupCatalog(items, 'extreme poverty', 'en'))).toEqual(['tekun']);
    expect(names(groupCatalog(items, 'funeral', 'en'))).toEqual(['funeral-subsidy']);
  });

  it('ranks a match at the start of the name above one in the middle', () => {
    const start = scoreItem(item('a', '高龄津贴', 'social-welfare'), '高龄', 'zh-CN')!;
    const middle = scoreItem(item('b', '百岁高龄补贴', 'social-welfare'), '高龄', 'zh-CN')!;
    expect(start.score).toBeGreaterThan(middle.score);
  });

  it('groups by the five posts in their statutory order, with unknown categories last', () => {
    const all = groupCatalog([...items, item('misc', '其他', 'unknown-post')], '', 'zh-CN');
    expect(all.map((g) => g.category)).toEqual([
      'social-assistance',
      'special-care',
      'grassroots-democracy',
      'social-welfare',
      'social-affairs',
      'other',
    ]);
    expect(all[0]!.hits.map((h) => h.item.key)).toEqual(['dibao-urban', 'tekun']);
  });

  it('returns nothing for a query that matches no item', () => {
    expect(groupCatalog(items, 'xyzq', 'zh-CN')).toEqual([]);
  });
});

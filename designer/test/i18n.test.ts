import { describe, expect, it } from 'vitest';
import { localized, translate } from '../src/i18n';

describe('designer i18n', () => {
  it('shows Chinese by default and English when chosen, with placeholders filled', () => {
    expect(translate('zh-CN', '已发布 v{n}', 'Published v{n}', { n: 3 })).toBe('已发布 v3');
    expect(translate('en', '已发布 v{n}', 'Published v{n}', { n: 3 })).toBe('Published v3');
    expect(translate('en', '保存', 'Save')).toBe('Save');
  });

  it('falls back to the Chinese name when an item has no English one', () => {
    expect(localized({ zh: '高龄津贴', en: 'Elderly allowance' }, 'en')).toBe('Elderly allowance');
    expect(localized({ zh: '冬季取暖补贴' }, 'en')).toBe('冬季取暖补贴');
    expect(localized({ zh: '高龄津贴', en: 'Elderly allowance' }, 'zh-CN')).toBe('高龄津贴');
  });
});

import { addressSchema } from '@minflow/sdk/address';
import { describe, expect, it } from 'vitest';
import { displayValue, flattenForDisplay } from '../../src/cases/display';

describe('an address on paper and in the timeline', () => {
  const home = addressSchema({ title: '现住址' }).schema;
  const schema = { type: 'object', properties: { name: { type: 'string', title: '姓名' }, home } };

  it('is one line, region then detail, under the field’s title (not unitId / region / detail rows)', () => {
    const rows = flattenForDisplay(
      schema as never,
      {
        name: '王淑珍',
        home: { unitId: 'baiyin/huining/huishi/dongguan', region: '白银市会宁县会师镇东关村', detail: '三组12号' },
      },
      ['是', '否'],
    );
    expect(rows).toEqual([
      { path: ['姓名'], value: '王淑珍' },
      { path: ['现住址'], value: '白银市会宁县会师镇东关村 三组12号' },
    ]);
    expect(
      displayValue(home as never, { unitId: 'baiyin/huining/huishi', region: '白银市会宁县会师镇' }, ['是', '否']),
    ).toBe('白银市会宁县会师镇');
  });
});

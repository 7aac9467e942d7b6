import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormBuilder } from '../src/form/FormBuilder';
import { addField, blankForm, setAddressLevel } from '../src/form/model';

/** The builder as the admin first sees it (server-rendered: no browser, the regions are not fetched yet). */
function render(form: ReturnType<typeof blankForm>, selected: string | null = null): string {
  return renderToString(
    createElement(FormBuilder, {
      form,
      onChange: () => undefined,
      selected,
      onSelect: () => undefined,
      problemFields: new Set<string>(),
    }),
  );
}

describe('form builder: the 地址 field', () => {
  it('offers 地址 in the palette, its level in the properties and previews the picker with the detail input', () => {
    const added = addField(blankForm(), 'address');
    const form = setAddressLevel(added.form, added.loc, 'township');
    const html = render(form, 'address');
    expect(html).toContain('>地址<');
    expect(html).toContain('data-testid="preview-address"');
    expect(html).toContain('正在加载行政区划');
    expect(html).toContain('详细地址（门牌号、组等）');
    expect(html).toContain('须选到哪一级');
    // the level radio shows the chosen level checked
    expect(html).toMatch(/ant-radio-wrapper-checked[^>]*>(?:(?!<\/label>).)*乡镇（街道）/s);
  });
});

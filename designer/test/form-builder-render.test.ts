import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormBuilder } from '../src/form/FormBuilder';
import { addField, blankForm, setEnglish, setFileSettings } from '../src/form/model';

/** The builder as the admin first sees it (server-rendered: no browser needed). */
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

describe('form builder', () => {
  it('offers 附件上传 in the palette and previews it as the applicant’s upload with its limits', () => {
    const added = addField(blankForm(), 'file');
    const form = setFileSettings(added.form, added.loc, { types: ['application/pdf'], maxMB: 5, maxItems: 3 });
    const html = render(form, 'files');
    expect(html).toContain('附件上传');
    expect(html).toContain('data-testid="preview-attachments"');
    expect(html).toContain('类型：PDF；单个不超过 5 MB；最多 3 个');
    expect(html).toContain('允许的文件类型');
  });

  it('offers 从代码表选择 on a select field', () => {
    const added = addField(blankForm(), 'select');
    const html = render(added.form, 'choice');
    expect(html).toContain('从代码表选择');
  });
});

describe('form builder: English texts of a field', () => {
  it('offers 标题（英文） and 填写说明（英文） and keeps the Chinese preview Chinese', () => {
    const added = addField(blankForm(), 'text');
    const form = setEnglish(added.form, added.loc, { title: 'Full name', help: 'As on the ID card' });
    const zh = render(form, 'text');
    expect(zh).toContain('标题（英文）');
    expect(zh).toContain('填写说明（英文）');
    expect(zh).toContain('value="Full name"');
    // the preview in Chinese shows the Chinese texts, not the English ones (English: the sdk's localizeUiSchema)
    const zhPreview = zh.slice(zh.indexOf('data-testid="form-preview"'));
    expect(zhPreview).toContain('单行文本');
    expect(zhPreview).not.toContain('Full name');
    expect(zhPreview).not.toContain('As on the ID card');
  });
});

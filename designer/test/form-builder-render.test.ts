import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormBuilder } from '../src/form/FormBuilder';
import { addField, blankForm, setFileSettings } from '../src/form/model';

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

import { addMinflowFormats, formatErrorMessage } from '@minflow/sdk/formats';
import { addMinflowKeywords, keywordErrorMessage } from '@minflow/sdk/keywords';
import type { RJSFSchema, ValidatorType } from '@rjsf/utils';
import { customizeValidator, type Localizer } from '@rjsf/validator-ajv8';
import type { ErrorObject } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import localizeZh from 'ajv-i18n/localize/zh';
import { type Lang, translate } from '../i18n/messages';

type Draft = '07' | '2020';

/** Which JSON Schema dialect a published form uses (the engine accepts draft-07 and 2020-12). */
export function schemaDraft(schema: { $schema?: unknown }): Draft {
  return typeof schema.$schema === 'string' && schema.$schema.includes('2020-12') ? '2020' : '07';
}

/**
 * Rewrites ajv's messages for the person filling the form: ajv-i18n's Chinese for the standard
 * keywords, the sdk's own message for Minflow's formats (as specific as the value allows: "身份证号码
 * 校验位不正确"), and a plain "required" that is shown at the missing field itself.
 */
export function createLocalizer(lang: Lang): Localizer {
  return (errors?: null | ErrorObject[]) => {
    if (!errors) return;
    if (lang === 'zh-CN') localizeZh(errors);
    for (const e of errors) {
      if (e.keyword === 'format') {
        const msg = formatErrorMessage(String((e.params as { format?: unknown }).format), lang, e.data);
        if (msg) e.message = msg;
      } else if (e.keyword === 'required') {
        e.message = translate(lang, 'apply.required');
      } else {
        // Minflow's keywords (household size = applicant + members listed): the server's message.
        const msg = keywordErrorMessage(e.keyword, lang, e.params);
        if (msg) e.message = msg;
      }
    }
  };
}

const cache = new Map<string, ValidatorType>();

/**
 * The form validator: the same custom formats and keywords as the server (`addMinflowFormats`,
 * `addMinflowKeywords` from the sdk), in the
 * schema's own dialect, with messages in the interface language. One per dialect and language.
 */
export function formValidator(schema: RJSFSchema, lang: Lang): ValidatorType {
  const draft = schemaDraft(schema);
  const id = `${draft}:${lang}`;
  let v = cache.get(id);
  if (!v) {
    v = customizeValidator(
      {
        ...(draft === '2020' ? { AjvClass: Ajv2020 as never } : {}),
        extenderFn: (ajv) => addMinflowKeywords(addMinflowFormats(ajv) as never),
      },
      createLocalizer(lang),
    );
    cache.set(id, v);
  }
  return v;
}

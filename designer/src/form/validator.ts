import { addMinflowFormats, formatErrorMessage } from '@minflow/sdk/formats';
import { addMinflowKeywords, keywordErrorMessage } from '@minflow/sdk/keywords';
import type { ValidatorType } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { ErrorObject } from 'ajv';
import localizeZh from 'ajv-i18n/localize/zh';

let validator: ValidatorType | null = null;

/** The preview's validator: the sdk's formats and keywords (as the server), Chinese messages (as the runtime UI). */
export function previewValidator(): ValidatorType {
  if (!validator) {
    validator = customizeValidator(
      { extenderFn: (ajv) => addMinflowKeywords(addMinflowFormats(ajv) as never) },
      (errors?: null | ErrorObject[]) => {
        if (!errors) return;
        localizeZh(errors);
        for (const e of errors) {
          if (e.keyword === 'format') {
            const msg = formatErrorMessage(String((e.params as { format?: unknown }).format), 'zh-CN', e.data);
            if (msg) e.message = msg;
          } else if (e.keyword === 'required') e.message = '必填';
          else e.message = keywordErrorMessage(e.keyword, 'zh-CN', e.params) ?? e.message;
        }
      },
    );
  }
  return validator;
}

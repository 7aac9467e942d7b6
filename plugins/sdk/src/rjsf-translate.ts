import { englishStringTranslator, replaceStringParameters, TranslatableString } from '@rjsf/utils';

/** The UI languages. */
export type FormLang = 'zh-CN' | 'en';

/**
 * rjsf's own words (是/否 of a yes-no question, add/remove buttons of a list…) in Chinese, shared
 * by the runtime UI and the designer so a form reads the same in both. Imported only by the UIs.
 */
const zh: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: '第 %1 项',
  [TranslatableString.EmptyArray]: '暂无内容，点击下方按钮添加。',
  [TranslatableString.YesLabel]: '是',
  [TranslatableString.NoLabel]: '否',
  [TranslatableString.CloseLabel]: '关闭',
  [TranslatableString.ErrorsLabel]: '错误',
  [TranslatableString.NewStringDefault]: '新值',
  [TranslatableString.AddButton]: '添加',
  [TranslatableString.AddItemButton]: '添加一项',
  [TranslatableString.CopyButton]: '复制',
  [TranslatableString.MoveDownButton]: '下移',
  [TranslatableString.MoveUpButton]: '上移',
  [TranslatableString.RemoveButton]: '删除',
  [TranslatableString.NowLabel]: '现在',
  [TranslatableString.ClearLabel]: '清除',
  [TranslatableString.AriaDateLabel]: '选择日期',
  [TranslatableString.PreviewLabel]: '预览',
  [TranslatableString.DecrementAriaLabel]: '减 1',
  [TranslatableString.IncrementAriaLabel]: '加 1',
  [TranslatableString.OptionalObjectAdd]: '填写此项',
  [TranslatableString.OptionalObjectRemove]: '不填此项',
  [TranslatableString.OptionalObjectEmptyMsg]: '此项未填写',
  [TranslatableString.ClearButton]: '清空',
  [TranslatableString.OptionPrefix]: '选项 %1',
};

function zhTranslator(str: TranslatableString, params?: string[]): string {
  const template = zh[str];
  return template ? replaceStringParameters(template, params) : englishStringTranslator(str, params);
}

export function formStringTranslator(lang: FormLang): (str: TranslatableString, params?: string[]) => string {
  return lang === 'en' ? englishStringTranslator : zhTranslator;
}

import type { JsonObject } from '../api';
import type { T } from '../i18n';

/**
 * A simulated message's payload as typed in the panel: a JSON object (as `POST /api/cases/:id/messages/:name`
 * takes it), or empty for `{}`. Returns the object, or why the text is refused in the current language.
 */
export function parsePayload(t: T, text: string): { payload: JsonObject } | { problem: string } {
  if (!text.trim()) return { payload: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: t('JSON 格式错误：{m}', 'Not valid JSON: {m}', { m: (err as Error).message }) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      problem: t(
        '消息内容须为 JSON 对象，如 {"reason": "…"}',
        'The payload must be a JSON object, e.g. {"reason": "…"}',
      ),
    };
  }
  return { payload: value as JsonObject };
}

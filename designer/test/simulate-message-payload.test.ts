import { describe, expect, it } from 'vitest';
import { translate } from '../src/i18n';
import { parsePayload } from '../src/lifecycle/message-payload';

const zh = (a: string, b: string, p?: Record<string, string | number>) => translate('zh-CN', a, b, p);
const en = (a: string, b: string, p?: Record<string, string | number>) => translate('en', a, b, p);

describe('the payload of a simulated message', () => {
  it('takes a JSON object, and an empty text as {}', () => {
    expect(parsePayload(zh, '{"reason": "收入不实", "count": 2}')).toEqual({
      payload: { reason: '收入不实', count: 2 },
    });
    expect(parsePayload(zh, '  ')).toEqual({ payload: {} });
  });

  it('refuses anything else, in Chinese or English', () => {
    for (const text of ['["收入不实"]', '"收入不实"', '42', 'null']) {
      expect(parsePayload(zh, text)).toEqual({ problem: '消息内容须为 JSON 对象，如 {"reason": "…"}' });
      expect(parsePayload(en, text)).toEqual({ problem: 'The payload must be a JSON object, e.g. {"reason": "…"}' });
    }
    const broken = parsePayload(en, '{"reason": ');
    expect('problem' in broken && broken.problem).toMatch(/^Not valid JSON: /);
    const brokenZh = parsePayload(zh, '{reason}');
    expect('problem' in brokenZh && brokenZh.problem).toMatch(/^JSON 格式错误：/);
  });
});

import { errorRegistry } from './registry.js';

/** Renders docs/errors.md from the registry, so the documentation cannot drift from the code. */
export function renderErrorDocs(): string {
  const lines = [
    '# Minflow error codes / 错误码',
    '',
    '<!-- Generated from engine/src/errors/codes/*.ts by `npm run docs:errors`; a test fails when this file is stale. -->',
    '',
    'Every error response has the shape `{ code, message, details: [{ path, message }] }`. `message` is in',
    'zh-CN unless the request sends `Accept-Language: en`. `details[].path` is a JSON pointer into the',
    'request (or a BPMN element id for definition errors).',
    '',
    '| code | HTTP | zh-CN | en |',
    '| --- | --- | --- | --- |',
  ];
  const codes = Object.keys(errorRegistry).sort() as (keyof typeof errorRegistry)[];
  for (const code of codes) {
    const spec = errorRegistry[code];
    lines.push(`| \`${code}\` | ${spec.status} | ${escapeCell(spec.zh)} | ${escapeCell(spec.en)} |`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

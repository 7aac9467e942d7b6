import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../config.js';
import { attachmentsErrors } from './codes/attachments.js';
import { authErrors } from './codes/auth.js';
import { casesErrors } from './codes/cases.js';
import { commonErrors } from './codes/common.js';
import { definitionsErrors } from './codes/definitions.js';
import { noticesErrors } from './codes/notices.js';
import { runtimeErrors } from './codes/runtime.js';
import { storeErrors } from './codes/store.js';
import { renderErrorDocs } from './docs.js';
import { errorMessage, errorRegistry, langFromHeader, MinflowError } from './registry.js';

const areas: Record<string, Record<string, { status: number; zh: string; en: string }>> = {
  COMMON: commonErrors,
  STORE: storeErrors,
  AUTH: authErrors,
  DEFINITIONS: definitionsErrors,
  RUNTIME: runtimeErrors,
  CASES: casesErrors,
  NOTICES: noticesErrors,
  ATTACHMENTS: attachmentsErrors,
};

describe('error registry', () => {
  it('docs/errors.md lists exactly the registry (run `npm run docs:errors` after adding a code)', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'errors.md'), 'utf8');
    expect(doc).toBe(renderErrorDocs());
  });

  it('every code is named MINFLOW_ERR_<AREA>_<REASON> after the area table it lives in', () => {
    for (const [area, table] of Object.entries(areas)) {
      for (const code of Object.keys(table)) {
        expect(code).toMatch(new RegExp(`^MINFLOW_ERR_${area}_[A-Z][A-Z0-9_]*$`));
      }
    }
    const total = Object.values(areas).reduce((n, t) => n + Object.keys(t).length, 0);
    // No area may shadow another's code when the tables are merged.
    expect(Object.keys(errorRegistry)).toHaveLength(total);
  });

  it('every code has an HTTP error status, a Chinese and an English message with the same placeholders', () => {
    for (const [code, spec] of Object.entries(errorRegistry)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(spec.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(spec.en.trim().length, code).toBeGreaterThan(0);
      const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(spec.zh), code).toEqual(holes(spec.en));
    }
  });

  it('fills placeholders and picks the language from Accept-Language', () => {
    expect(errorMessage('MINFLOW_ERR_COMMON_ROUTE_NOT_FOUND', 'en', { method: 'GET', url: '/x' })).toBe(
      'No such route: GET /x',
    );
    expect(errorMessage('MINFLOW_ERR_COMMON_ROUTE_NOT_FOUND', 'zh-CN', { method: 'GET', url: '/x' })).toBe(
      '接口不存在：GET /x',
    );
    expect(langFromHeader(undefined)).toBe('zh-CN');
    expect(langFromHeader('en-US,en;q=0.9')).toBe('en');
    expect(langFromHeader('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
  });

  it('MinflowError carries the registry status and details', () => {
    const err = new MinflowError('MINFLOW_ERR_COMMON_CONFLICT', { details: [{ path: '/version', message: 'stale' }] });
    expect(err.status).toBe(409);
    expect(err.details).toEqual([{ path: '/version', message: 'stale' }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from './helpers.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('the engine on its embedded default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /api/health with the adapters in use and the version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', store: 'embedded', queue: 'inline', version: expect.any(String) });
  });

  it('answers an unknown route with a registry error in zh-CN, or en when asked', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(zh.statusCode).toBe(404);
    expect(zh.json()).toEqual({
      code: 'MINFLOW_ERR_COMMON_ROUTE_NOT_FOUND',
      message: '接口不存在：GET /api/nope',
      details: [],
    });
    const en = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'accept-language': 'en' } });
    expect(en.json().message).toBe('No such route: GET /api/nope');
  });

  it('refuses malformed JSON and unknown body fields with 400 and the offending path', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('MINFLOW_ERR_COMMON_VALIDATION');

    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'x', isAdmin: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().details).toContainEqual({ path: '/isAdmin', message: expect.any(String) });
  });

  it('publishes an OpenAPI document listing every API route with schemas for its inputs and outputs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, OpenApiOperation>>;
      components?: { schemas?: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    const expected = [
      'get /api/health',
      'post /api/auth/login',
      'post /api/auth/logout',
      'get /api/auth/me',
      'get /api/definitions',
      'post /api/definitions',
      'get /api/definitions/{key}',
      'put /api/definitions/{key}',
      'post /api/definitions/{key}/publish',
      'get /api/definitions/{key}/versions',
      'get /api/items',
      'get /api/items/{key}',
      'get /api/users',
      'post /api/users',
      'get /api/org-units',
      'post /api/cases',
      'get /api/cases',
      'get /api/cases/{id}',
      'post /api/cases/{id}/withdraw',
      'post /api/cases/{id}/messages/{name}',
      'get /api/tasks',
      'get /api/tasks/counts',
      'post /api/tasks/{id}/claim',
      'post /api/tasks/{id}/unclaim',
      'post /api/tasks/{id}/complete',
      'get /api/incidents',
      'post /api/incidents/{id}/retry',
      'get /api/meta/handlers',
      'get /api/meta/roles',
    ];
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    for (const route of expected) expect(listed).toContain(route);

    const problems: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${p}`;
        const ok = Object.keys(op.responses ?? {}).filter((s) => s.startsWith('2'));
        if (ok.length === 0) problems.push(`${where}: no 2xx response schema`);
        const pathParams = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const name of pathParams) {
          if (!op.parameters?.some((x) => x.in === 'path' && x.name === name))
            problems.push(`${where}: path param ${name} has no schema`);
        }
        const body = op.requestBody?.content?.['application/json']?.schema;
        if (body) collectOpenObjects(body, `${where} body`, problems, doc.components?.schemas ?? {}, 0, false);
        for (const [status, r] of Object.entries(op.responses ?? {})) {
          const schema = r.content?.['application/json']?.schema;
          if (schema)
            collectOpenObjects(schema, `${where} ${status}`, problems, doc.components?.schemas ?? {}, 0, true);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('serves the OpenAPI viewer at /api/docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect([200, 302]).toContain(res.statusCode);
  });

  it('lets a demo user log in and read /api/auth/me', async () => {
    const headers = await loginAs(t.app, 'township');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(me.statusCode).toBe(200);
    expect(JSON.stringify(me.json())).toContain('township');
  });
});

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * An object schema that declares `properties` must also say `additionalProperties: false`; schemas
 * without properties are deliberate free-form JSON (form data, JSON Schemas being stored).
 */
function collectOpenObjects(
  schema: unknown,
  where: string,
  problems: string[],
  components: Record<string, unknown>,
  depth = 0,
  response = false,
): void {
  if (!schema || typeof schema !== 'object' || depth > 30) return;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop() ?? '';
    if (components[name]) collectOpenObjects(components[name], where, problems, components, depth + 1, response);
    return;
  }
  if (s.properties && s.additionalProperties !== false)
    problems.push(`${where}: object with properties allows additional ones`);
  // In a response, a free-form object must say so: the serializer drops every field of `{ type: 'object' }`.
  if (
    response &&
    s.type === 'object' &&
    !s.properties &&
    !s.patternProperties &&
    s.additionalProperties === undefined
  ) {
    problems.push(`${where}: free-form object without additionalProperties: true (its fields would be dropped)`);
  }
  for (const key of ['properties', 'patternProperties']) {
    const props = s[key] as Record<string, unknown> | undefined;
    if (props)
      for (const [name, sub] of Object.entries(props))
        collectOpenObjects(sub, `${where}.${name}`, problems, components, depth + 1, response);
  }
  for (const key of ['items', 'additionalProperties', 'not']) {
    if (s[key] && typeof s[key] === 'object')
      collectOpenObjects(s[key], where, problems, components, depth + 1, response);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[key] as unknown[] | undefined;
    if (Array.isArray(list))
      for (const sub of list) collectOpenObjects(sub, where, problems, components, depth + 1, response);
  }
}

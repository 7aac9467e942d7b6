import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMinflowError, type MinflowError } from '../../errors/registry.js';
import type { AuditInput } from '../../infra/audit/types.js';
import { ManualClock } from '../../infra/clock.js';
import { createStore } from '../../infra/store/index.js';
import type { DocumentStore } from '../../infra/store/port.js';
import { residentId, simpleBpmn, simpleDefinition, simpleFormSchema } from './fixtures.test-helpers.js';
import { validateFormData } from './form-data.js';
import { DefinitionsService, getPublishedVersion } from './service.js';

let dataDir: string;
let store: DocumentStore;
let clock: ManualClock;
let audit: AuditInput[];
let service: DefinitionsService;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'minflow-defs-'));
  store = await createStore({ dataDir, mongodbUrl: null });
  clock = new ManualClock('2026-03-02T01:00:00.000Z');
  audit = [];
  service = new DefinitionsService({ store, clock, audit: { record: async (e) => void audit.push(e) } });
  await service.ensureCollections();
});

afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<MinflowError> {
  try {
    await promise;
  } catch (err) {
    if (isMinflowError(err)) return err;
    throw err;
  }
  throw new Error('expected a MinflowError');
}

describe('drafts', () => {
  it('creates a draft, reads it back, and refuses a second draft with the same key', async () => {
    const created = await service.create(simpleDefinition(), 'u-admin');
    expect(created).toMatchObject({
      key: 'test-allowance',
      version: 1,
      publishedVersion: null,
      hasUnpublishedChanges: true,
      createdBy: 'u-admin',
      createdAt: '2026-03-02T01:00:00.000Z',
    });
    const read = await service.get('test-allowance');
    expect(read.formSchema).toEqual(simpleFormSchema);
    expect(read.bpmnXml).toBe(simpleBpmn());
    expect(read.taskForms).toEqual({});
    expect(audit.map((a) => [a.action, a.subjectId, a.actorId])).toEqual([
      ['definition.create', 'test-allowance', 'u-admin'],
    ]);

    const dup = await failure(service.create(simpleDefinition(), 'u-admin'));
    expect(dup.code).toBe('MINFLOW_ERR_DEFINITIONS_EXISTS');
    expect(dup.status).toBe(409);
  });

  it('refuses a malformed draft with JSON pointers (key, category, levels)', async () => {
    const err = await failure(
      service.create(simpleDefinition('Bad_Key', { category: 'misc', startLevels: ['province'] }), 'u', 'en'),
    );
    expect(err.code).toBe('MINFLOW_ERR_DEFINITIONS_INVALID');
    expect(err.details.map((d) => d.path).sort()).toEqual(['/category', '/key', '/startLevels/0']);
  });

  it('updates only from the current version: a stale version gets 409 and changes nothing', async () => {
    await service.create(simpleDefinition(), 'u-admin');
    clock.advance(60_000);
    const { key: _k, ...content } = simpleDefinition();
    const v2 = await service.update('test-allowance', 1, { ...content, description: '第二稿' }, 'u-editor');
    expect(v2).toMatchObject({ version: 2, description: '第二稿', updatedBy: 'u-editor', createdBy: 'u-admin' });

    const stale = await failure(
      service.update('test-allowance', 1, { ...content, description: '旧稿覆盖' }, 'u-other'),
    );
    expect(stale.code).toBe('MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT');
    expect(stale.params).toEqual({ current: 2, expected: 1 });
    expect((await service.get('test-allowance')).description).toBe('第二稿');

    const missing = await failure(service.update('nope', 1, content, 'u'));
    expect(missing.code).toBe('MINFLOW_ERR_DEFINITIONS_NOT_FOUND');
  });

  it('two concurrent updates from the same version: exactly one wins', async () => {
    await service.create(simpleDefinition(), 'u-admin');
    const { key: _k, ...content } = simpleDefinition();
    const results = await Promise.allSettled(
      ['甲', '乙', '丙'].map((d) => service.update('test-allowance', 1, { ...content, description: d }, 'u')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as MinflowError).code)).toEqual([
      'MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT',
      'MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT',
    ]);
    expect((await service.get('test-allowance')).version).toBe(2);
  });

  it('lists drafts a page at a time with their published state', async () => {
    for (const key of ['c-item', 'a-item', 'b-item']) await service.create(simpleDefinition(key), 'u');
    await service.publish('b-item', 'u');
    const first = await service.list({ limit: 2 });
    expect(first.items.map((d) => d.key)).toEqual(['a-item', 'b-item']);
    expect(first.items[1]).toMatchObject({ publishedVersion: 1, hasUnpublishedChanges: false });
    expect(first.items[0]).not.toHaveProperty('formSchema');
    const second = await service.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((d) => d.key)).toEqual(['c-item']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('publish', () => {
  it('publishes immutable numbered versions and returns the same version for unchanged content', async () => {
    await service.create(simpleDefinition(), 'u-admin');
    const first = await service.publish('test-allowance', 'u-admin');
    expect(first.created).toBe(true);
    expect(first.version).toMatchObject({ key: 'test-allowance', version: 1, publishedBy: 'u-admin' });
    expect(first.version.hash).toMatch(/^[0-9a-f]{64}$/);

    // Unchanged draft: nothing new, version 1 again.
    const again = await service.publish('test-allowance', 'u-admin');
    expect(again).toEqual({ version: first.version, created: false });

    const { key: _k, ...content } = simpleDefinition();
    await service.update('test-allowance', 1, { ...content, description: '改了说明' }, 'u-admin');
    expect((await service.get('test-allowance')).hasUnpublishedChanges).toBe(true);
    const second = await service.publish('test-allowance', 'u-admin');
    expect(second.version.version).toBe(2);
    expect(second.version.hash).not.toBe(first.version.hash);

    // Version 1 is still there, unchanged; the latest is 2.
    expect((await getPublishedVersion(store, 'test-allowance', 1)).description).toBe('用于测试的事项');
    expect((await getPublishedVersion(store, 'test-allowance')).version).toBe(2);
    const versions = await service.listVersions('test-allowance');
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    expect(audit.filter((a) => a.action === 'definition.publish')).toHaveLength(2);
  });

  it('concurrent publishes of different content never share a version number', async () => {
    const { key: _k, ...content } = simpleDefinition();
    await service.create(simpleDefinition(), 'u');
    // Each publisher publishes a different draft content: edit, publish, in parallel chains.
    const rounds = 6;
    const results = await Promise.all(
      Array.from({ length: rounds }, async (_, i) => {
        // Every chain retries its edit until it wins the draft, then publishes what it wrote.
        for (;;) {
          const current = await service.get('test-allowance');
          try {
            await service.update('test-allowance', current.version, { ...content, description: `第${i}稿` }, 'u');
            return await service.publish('test-allowance', 'u');
          } catch (err) {
            if ((err as MinflowError).code !== 'MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT') throw err;
          }
        }
      }),
    );
    const created = results.filter((r) => r.created).map((r) => r.version.version);
    expect(new Set(created).size).toBe(created.length);
    const all = await service.listVersions('test-allowance');
    const numbers = all.items.map((v) => v.version);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers[0]).toBe(numbers.length);
    expect((await service.catalogEntry('test-allowance'))?.version).toBe(numbers.length);
  });

  it('two publishes of the same draft at once create one version', async () => {
    await service.create(simpleDefinition(), 'u');
    const [a, b] = await Promise.all([service.publish('test-allowance', 'u'), service.publish('test-allowance', 'u')]);
    expect(a.version.version).toBe(1);
    expect(b.version.version).toBe(1);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await service.listVersions('test-allowance')).items).toHaveLength(1);
  });

  it('refuses to publish an invalid draft, naming pointers and BPMN element ids', async () => {
    const badSchema = {
      ...simpleFormSchema,
      properties: {
        ...simpleFormSchema.properties,
        age: { type: 'integer', minimum: 'zero' },
        code: { type: 'string', pattern: '^(a+)+$' },
        remote: { $ref: 'https://example.com/schema.json' },
      },
    };
    const bpmn = simpleBpmn({ taskAttrs: 'minflow:due="10天"', condition: 'action = ' });
    await service.create(simpleDefinition('broken', { formSchema: badSchema, bpmnXml: bpmn }), 'u');
    const err = await failure(service.publish('broken', 'u', 'en'));
    expect(err.code).toBe('MINFLOW_ERR_DEFINITIONS_INVALID');
    const paths = err.details.map((d) => d.path);
    expect(paths).toContain('/formSchema/properties/age/minimum');
    expect(paths).toContain('/formSchema/properties/remote/$ref');
    expect(paths).toContain('bpmn:Review');
    expect(paths).toContain('bpmn:ToApproved');
    expect((await service.listVersions('broken')).items).toEqual([]);
  });

  it('checks patterns for catastrophic backtracking', async () => {
    const schema = {
      ...simpleFormSchema,
      properties: {
        ...simpleFormSchema.properties,
        code: { type: 'string', pattern: '^(a+)+$' },
        postcode: { type: 'string', pattern: '^[0-9]{6}$' },
      },
      patternProperties: { '^(x|x)*y$': { type: 'string' } },
    };
    await service.create(simpleDefinition('redos', { formSchema: schema }), 'u');
    const problems = await service.validate('redos', 'en');
    expect(problems.map((p) => p.path)).toEqual([
      '/formSchema/properties/code/pattern',
      '/formSchema/patternProperties/^(x|x)*y$',
    ]);
    expect(problems[0].message).toMatch(/catastrophically/);
  });

  it('refuses schemas in strict mode with the offending pointer: unknown keywords and formats', async () => {
    const schema = {
      ...simpleFormSchema,
      properties: {
        ...simpleFormSchema.properties,
        name: { type: 'string', titel: '姓名' },
        idNumber: { type: 'string', format: 'cn-id-card' },
      },
    };
    await service.create(simpleDefinition('strict', { formSchema: schema }), 'u');
    const problems = await service.validate('strict', 'zh-CN');
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('/formSchema/properties/name/titel');
    expect(problems[0].message).toMatch(/^表单结构无法编译/);

    const format = {
      ...simpleFormSchema,
      properties: { ...simpleFormSchema.properties, idNumber: { type: 'string', format: 'cn-id-card' } },
    };
    await service.create(simpleDefinition('unknown-format', { formSchema: format }), 'u');
    expect((await service.validate('unknown-format')).map((p) => p.path)).toEqual([
      '/formSchema/properties/idNumber/format',
    ]);
  });

  it('refuses required names that no schema of the value defines, but accepts if/then requirements', async () => {
    const schema = {
      type: 'object',
      required: ['nmae'],
      properties: { name: { type: 'string' }, byAgent: { type: 'boolean' }, agent: { $ref: '#/definitions/person' } },
      definitions: { person: { type: 'object', required: ['phone'], properties: { name: { type: 'string' } } } },
      if: { type: 'object', properties: { byAgent: { const: true } }, required: ['byAgent'] },
      // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword here.
      then: { type: 'object', required: ['agent'] },
    };
    await service.create(simpleDefinition('required', { formSchema: schema }), 'u');
    expect((await service.validate('required', 'en')).map((p) => p.path)).toEqual([
      '/formSchema/required/0',
      '/formSchema/definitions/person/required/0',
    ]);
  });

  it('refuses unsupported dialects, $data, excessive depth, and a non-object root', async () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20; i++) deep = { type: 'object', properties: { x: deep } };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['dialect', { ...simpleFormSchema, $schema: 'http://json-schema.org/draft-04/schema#' }, '/formSchema/$schema'],
      [
        'data',
        {
          ...simpleFormSchema,
          properties: { a: { type: 'number' }, b: { type: 'number', maximum: { $data: '1/a' } } },
        },
        '/formSchema/properties/b/maximum/$data',
      ],
      [
        'depth',
        { type: 'object', properties: { deep } },
        expect.stringMatching(/^\/formSchema\/properties\/deep(\/properties\/x)+/) as never,
      ],
      ['root', { type: 'array', items: { type: 'string' } }, '/formSchema/type'],
    ];
    for (const [key, formSchema, expected] of cases) {
      await service.create(simpleDefinition(`bad-${key}`, { formSchema }), 'u');
      const problems = await service.validate(`bad-${key}`, 'en');
      expect(problems.map((p) => p.path)).toContainEqual(expected);
    }
  });

  it('validates task forms and the references from user tasks to them', async () => {
    const taskForms = { review: { schema: { type: 'object', properties: { opinion: { type: 'strin' } } } } };
    const bpmnXml = simpleBpmn({ taskAttrs: 'minflow:form="review" minflow:editable="/phone,/nope"' });
    await service.create(simpleDefinition('with-forms', { taskForms, bpmnXml }), 'u');
    const problems = await service.validate('with-forms', 'en');
    expect(problems.map((p) => p.path)).toEqual(['/taskForms/review/schema/properties/opinion/type', 'bpmn:Review']);
    expect(problems[1].message).toContain('/nope');
  });

  it('accepts 2020-12 schemas', async () => {
    const formSchema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { members: { type: 'array', prefixItems: [{ type: 'string' }], items: false } },
      $defs: { unused: { type: 'string' } },
    };
    await service.create(simpleDefinition('modern', { formSchema }), 'u');
    // Strict mode: a closed tuple must say how many items it has.
    expect((await service.validate('modern')).map((p) => p.path)).toEqual(['/formSchema/properties/members']);
    const { key: _k, ...content } = simpleDefinition('modern', {
      formSchema: { ...formSchema, properties: { members: { ...formSchema.properties.members, minItems: 1 } } },
    });
    await service.update('modern', 1, content, 'u');
    expect(await service.validate('modern')).toEqual([]);
    expect((await service.publish('modern', 'u')).version.version).toBe(1);
  });

  it('checks call activity targets exist and are not the item itself', async () => {
    const call = (target: string) =>
      simpleBpmn({
        extraProcess: '',
      }).replace(
        '<bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review"/>',
        `<bpmn:callActivity id="Sub" calledElement="${target}"/>
         <bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Sub"/>
         <bpmn:sequenceFlow id="F1" sourceRef="Sub" targetRef="Review"/>`,
      );
    await service.create(simpleDefinition('caller', { bpmnXml: call('medical-aid') }), 'u');
    expect((await service.validate('caller', 'en')).map((p) => [p.path, p.message])).toEqual([
      ['bpmn:Sub', 'The called item "medical-aid" does not exist'],
    ]);
    await service.create(simpleDefinition('medical-aid'), 'u');
    expect(await service.validate('caller')).toEqual([]);
    await service.create(simpleDefinition('self-caller', { bpmnXml: call('self-caller') }), 'u');
    expect((await service.validate('self-caller')).map((p) => p.path)).toEqual(['bpmn:Sub']);
  });
});

describe('catalog and published versions', () => {
  it('lists the latest version of items matching the caller filter', async () => {
    await service.create(simpleDefinition('village-item', { startLevels: ['village'] }), 'u');
    await service.create(simpleDefinition('county-item', { startLevels: ['county'] }), 'u');
    await service.create(simpleDefinition('draft-only', { startLevels: ['village'] }), 'u');
    await service.publish('village-item', 'u');
    await service.publish('county-item', 'u');
    const { key: _k, ...content } = simpleDefinition('village-item', { startLevels: ['village'] });
    await service.update('village-item', 1, { ...content, name: { zh: '村级事项（新）' } }, 'u');
    await service.publish('village-item', 'u');

    const village = await service.catalog({ startLevels: 'village' });
    expect(village.items.map((i) => [i.key, i.version, i.name.zh])).toEqual([['village-item', 2, '村级事项（新）']]);
    const all = await service.catalog({});
    expect(all.items.map((i) => i.key).sort()).toEqual(['county-item', 'village-item']);
  });

  it('getPublishedVersion: 404s for unknown items and versions; cached versions are frozen', async () => {
    expect((await failure(getPublishedVersion(store, 'nothing'))).code).toBe('MINFLOW_ERR_DEFINITIONS_NOT_PUBLISHED');
    await service.create(simpleDefinition(), 'u');
    await service.publish('test-allowance', 'u');
    expect((await failure(getPublishedVersion(store, 'test-allowance', 7))).code).toBe(
      'MINFLOW_ERR_DEFINITIONS_VERSION_NOT_FOUND',
    );
    const a = await getPublishedVersion(store, 'test-allowance', 1);
    const b = await getPublishedVersion(store, 'test-allowance');
    expect(a).toBe(b);
    expect(Object.isFrozen(a.formSchema)).toBe(true);
  });
});

describe('validateFormData', () => {
  it('validates application data with the sdk formats and localized messages', async () => {
    await service.create(simpleDefinition(), 'u');
    await service.publish('test-allowance', 'u');
    const { formSchema } = await getPublishedVersion(store, 'test-allowance');
    const good = residentId('620402', '19400315', '123');
    expect(validateFormData(formSchema, { name: '张三', idNumber: good, phone: '13800138000' }, 'zh-CN')).toEqual([]);

    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const zh = validateFormData(formSchema, { idNumber: wrongCheck, phone: '1380013800', extra: 1 }, 'zh-CN');
    expect(zh).toEqual(
      expect.arrayContaining([
        { path: '/idNumber', message: '身份证号码校验位不正确' },
        { path: '/phone', message: '手机号码应为11位数字，以1开头' },
        { path: '/name', message: expect.any(String) },
        { path: '/extra', message: expect.any(String) },
      ]),
    );
    const en = validateFormData(formSchema, { name: '张三', idNumber: wrongCheck }, 'en');
    expect(en).toEqual([{ path: '/idNumber', message: 'has a wrong check digit' }]);
  });
});

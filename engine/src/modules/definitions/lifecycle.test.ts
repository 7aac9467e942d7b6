import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../../../test/helpers.js';
import { residentId, simpleBpmn, simpleDefinition, simpleFormSchema } from './fixtures.test-helpers.js';

/** Versions and diff, retire / un-retire, export / import and simulation through the API. */

let t: TestApp;
let admin: { authorization: string };
let township: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t.app, 'admin');
  township = await loginAs(t.app, 'township');
});
afterAll(async () => {
  await t?.close();
});

function inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) {
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function createAndPublish(key: string, overrides: Record<string, unknown> = {}) {
  const created = await inject('POST', '/api/definitions', admin, simpleDefinition(key, overrides));
  expect(created.statusCode, created.body).toBe(201);
  const published = await inject('POST', `/api/definitions/${key}/publish`, admin);
  expect(published.statusCode, published.body).toBe(201);
}

async function edit(key: string, change: (d: Record<string, unknown>) => Record<string, unknown>) {
  const draft = (await inject('GET', `/api/definitions/${key}`, admin)).json();
  const { key: _k, hash: _h, publishedVersion: _p, hasUnpublishedChanges: _c, retired: _r, ...rest } = draft;
  const { createdAt: _a, createdBy: _b, updatedAt: _u, updatedBy: _w, ...content } = rest;
  const res = await inject('PUT', `/api/definitions/${key}`, admin, change(content));
  expect(res.statusCode, res.body).toBe(200);
}

const applicant = { name: '张三', idNumber: residentId('620422', '19800101', '123') };

describe('versions and diff', () => {
  it('lists the published versions and diffs form fields and flow elements semantically', async () => {
    await createAndPublish('diff-item');
    await edit('diff-item', (d) => {
      const schema = structuredClone(d.formSchema) as { properties: Record<string, object> };
      delete (schema.properties as Record<string, unknown>).phone;
      schema.properties.age = { ...schema.properties.age, maximum: 120 };
      schema.properties.heating = { type: 'string', title: '取暖方式', enum: ['煤', '电'] };
      return {
        ...d,
        formSchema: schema,
        uiSchema: { 'ui:order': ['name', 'idNumber', 'age', 'heating'] },
        // The same flow with another layout-free rewrite plus one changed role and one new task attribute.
        bpmnXml: simpleBpmn({ taskAttrs: 'minflow:due="P5D"' }).replace('乡镇审核', '乡镇复核'),
      };
    });
    expect((await inject('POST', '/api/definitions/diff-item/publish', admin)).statusCode).toBe(201);

    const versions = await inject('GET', '/api/definitions/diff-item/versions', admin);
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const res = await inject('GET', '/api/definitions/diff-item/diff?from=1&to=2', admin);
    expect(res.statusCode, res.body).toBe(200);
    const diff = res.json();
    expect(diff.same).toBe(false);
    const byPath = Object.fromEntries(diff.form.map((f: { path: string }) => [f.path, f]));
    expect(byPath['/phone']).toMatchObject({ change: 'removed', label: '联系电话' });
    expect(byPath['/heating']).toMatchObject({ change: 'added', label: '取暖方式' });
    expect(byPath['/age']).toMatchObject({
      change: 'changed',
      label: '年龄',
      changes: [{ attribute: 'maximum', from: null, to: 120 }],
    });
    expect(byPath['']).toMatchObject({ changes: [{ attribute: 'ui:order' }] });
    expect(diff.flow).toEqual([
      {
        id: 'Review',
        name: '乡镇复核',
        type: 'userTask',
        change: 'changed',
        changes: [
          { attribute: 'due', from: null, to: 'P5D' },
          { attribute: 'name', from: '乡镇审核', to: '乡镇复核' },
        ],
      },
    ]);

    // A version against itself, and the draft against the latest version: the same.
    expect((await inject('GET', '/api/definitions/diff-item/diff?from=2&to=draft', admin)).json()).toMatchObject({
      same: true,
      form: [],
      flow: [],
    });
    expect((await inject('GET', '/api/definitions/diff-item/diff?from=1&to=7', admin)).json().code).toBe(
      'MINFLOW_ERR_DEFINITIONS_VERSION_NOT_FOUND',
    );
  });

  it('reports flow elements added and removed by id and name, not layout', async () => {
    await createAndPublish('diff-flow');
    await edit('diff-flow', (d) => ({
      ...d,
      bpmnXml: simpleBpmn({
        extraProcess:
          '<bpmn:userTask id="Extra" name="县级审批" minflow:roles="county-approver" minflow:level="county"/>',
      }).replace('<bpmn:endEvent id="Rejected"/>', '<bpmn:endEvent id="Rejected" name="不予批准"/>'),
    }));
    const diff = (await inject('GET', '/api/definitions/diff-flow/diff?from=1&to=draft', admin)).json();
    expect(diff.flow).toEqual([
      {
        id: 'Rejected',
        name: '不予批准',
        type: 'endEvent',
        change: 'changed',
        changes: [{ attribute: 'name', from: null, to: '不予批准' }],
      },
      { id: 'Extra', name: '县级审批', type: 'userTask', change: 'added', changes: [] },
    ]);
  });
});

describe('retire', () => {
  it('hides a retired item from the catalog, refuses new cases, keeps running cases, and can un-retire', async () => {
    await createAndPublish('retire-item');
    const started = await inject('POST', '/api/cases', township, { itemKey: 'retire-item', data: applicant });
    expect(started.statusCode, started.body).toBe(201);
    const caseId = started.json().id as string;

    // Only the city admin may retire (the township has no publish ability on definitions).
    expect((await inject('POST', '/api/definitions/retire-item/retire', township)).statusCode).toBe(403);
    const retired = await inject('POST', '/api/definitions/retire-item/retire', admin);
    expect(retired.json()).toEqual({ key: 'retire-item', retired: true, changed: true });
    expect((await inject('POST', '/api/definitions/retire-item/retire', admin)).json().changed).toBe(false);

    const catalog = (await inject('GET', '/api/items', township)).json().items.map((i: { key: string }) => i.key);
    expect(catalog).not.toContain('retire-item');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...township, 'accept-language': 'zh-CN' },
      payload: { itemKey: 'retire-item', data: applicant },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'MINFLOW_ERR_DEFINITIONS_RETIRED' });
    expect(refused.json().message).toContain('已停办');
    const list = (await inject('GET', '/api/definitions', admin)).json().items;
    expect(list.find((d: { key: string }) => d.key === 'retire-item')).toMatchObject({ retired: true });

    // The running case goes on: its task can be completed on version 1.
    const tasks = (await inject('GET', '/api/tasks?box=todo', township)).json().items;
    const task = tasks.find((x: { caseId: string }) => x.caseId === caseId);
    expect(task).toBeTruthy();
    const done = await inject('POST', `/api/tasks/${task.id}/complete`, township, { action: 'approve' });
    expect(done.statusCode, done.body).toBe(200);
    expect((await inject('GET', `/api/cases/${caseId}`, township)).json()).toMatchObject({ status: 'completed' });

    // Retiring and un-retiring are audited.
    const audit = (await inject('GET', '/api/audit?subjectId=retire-item', admin)).json();
    expect(JSON.stringify(audit)).toContain('definition.retire');

    expect((await inject('POST', '/api/definitions/retire-item/unretire', admin)).json()).toEqual({
      key: 'retire-item',
      retired: false,
      changed: true,
    });
    expect((await inject('GET', '/api/items', township)).json().items.map((i: { key: string }) => i.key)).toContain(
      'retire-item',
    );
    expect((await inject('POST', '/api/cases', township, { itemKey: 'retire-item', data: applicant })).statusCode).toBe(
      201,
    );
  });

  it('cannot retire an item that was never published', async () => {
    expect((await inject('POST', '/api/definitions', admin, simpleDefinition('never-published'))).statusCode).toBe(201);
    const res = await inject('POST', '/api/definitions/never-published/retire', admin);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('MINFLOW_ERR_DEFINITIONS_NOT_PUBLISHED');
  });
});

describe('export and import', () => {
  it('exports one JSON file and imports it as a new draft, never over an existing item', async () => {
    await createAndPublish('export-item');
    const exported = await inject('GET', '/api/definitions/export-item/export?version=1', admin);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-disposition']).toContain('export-item-v1.minflow.json');
    const file = exported.json();
    expect(file).toMatchObject({
      format: 'minflow.item/1',
      key: 'export-item',
      version: 1,
      item: { category: 'social-welfare' },
    });
    expect(file.bpmnXml).toContain('<bpmn:userTask id="Review"');

    const conflict = await inject('POST', '/api/definitions/import', admin, file);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('MINFLOW_ERR_DEFINITIONS_IMPORT_CONFLICT');

    const imported = await inject('POST', '/api/definitions/import?key=export-item-copy', admin, file);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ key: 'export-item-copy', version: 1, publishedVersion: null });
    const original = (await inject('GET', '/api/definitions/export-item', admin)).json();
    expect(imported.json().hash).toBe(original.hash);

    const wrongFormat = await inject('POST', '/api/definitions/import?key=x-other', admin, {
      ...file,
      format: 'minflow.item/9',
    });
    expect(wrongFormat.statusCode).toBe(400);
    const broken = await inject('POST', '/api/definitions/import?key=x-broken', admin, {
      ...file,
      bpmnXml: simpleBpmn({ taskAttrs: '' }).replace(' minflow:roles="township-staff"', ''),
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('MINFLOW_ERR_DEFINITIONS_INVALID');
    expect(broken.json().details.map((d: { path: string }) => d.path)).toContain('bpmn:Review');
    expect((await inject('GET', '/api/definitions/x-broken', admin)).statusCode).toBe(404);
    expect((await inject('POST', '/api/definitions/import?key=x-other', township, file)).statusCode).toBe(403);
  });
});

const amountBpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="winterHeating" isExecutable="true">
    <bpmn:startEvent id="submitted"/>
    <bpmn:userTask id="villageReview" name="村级初审" minflow:roles="village-assistant" minflow:level="village"/>
    <bpmn:userTask id="townshipReview" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:exclusiveGateway id="amountCheck" name="金额判断" default="toTownshipDone"/>
    <bpmn:userTask id="countyApproval" name="县级审批" minflow:roles="county-approver" minflow:level="county"/>
    <bpmn:endEvent id="countyDone"/>
    <bpmn:endEvent id="townshipDone"/>
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="villageReview"/>
    <bpmn:sequenceFlow id="f2" sourceRef="villageReview" targetRef="townshipReview"/>
    <bpmn:sequenceFlow id="f3" sourceRef="townshipReview" targetRef="amountCheck"/>
    <bpmn:sequenceFlow id="toCountyApproval" sourceRef="amountCheck" targetRef="countyApproval">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= amount &gt; 2000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toTownshipDone" sourceRef="amountCheck" targetRef="townshipDone"/>
    <bpmn:sequenceFlow id="toCountyDone" sourceRef="countyApproval" targetRef="countyDone"/>
  </bpmn:process>
</bpmn:definitions>`;

describe('simulate', () => {
  beforeAll(async () => {
    const created = await inject(
      'POST',
      '/api/definitions',
      admin,
      simpleDefinition('winter-sim', {
        formSchema: {
          ...simpleFormSchema,
          properties: { ...simpleFormSchema.properties, amount: { type: 'number', title: '申请金额', minimum: 0 } },
        },
        bpmnXml: amountBpmn,
      }),
    );
    expect(created.statusCode, created.body).toBe(201);
  });

  const run = (payload: object, query = '') =>
    inject('POST', `/api/definitions/winter-sim/simulate${query}`, admin, payload);
  const approveAll = { villageReview: 'approve', townshipReview: 'approve', countyApproval: 'approve' };

  it('goes to county approval when the amount is over 2000', async () => {
    const res = await run({ data: { ...applicant, amount: 2500 }, decisions: approveAll });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ status: 'completed', stoppedBecause: 'completed', dataProblems: [] });
    expect(r.visited).toEqual([
      'submitted',
      'villageReview',
      'townshipReview',
      'amountCheck',
      'countyApproval',
      'countyDone',
    ]);
    expect(r.flows).toEqual(['f1', 'f2', 'f3', 'toCountyApproval', 'toCountyDone']);
    expect(r.steps.map((s: { kind: string; elementId: string }) => `${s.kind}:${s.elementId}`)).toEqual([
      'enter:submitted',
      'enter:villageReview',
      'decide:villageReview',
      'enter:townshipReview',
      'decide:townshipReview',
      'enter:amountCheck',
      'enter:countyApproval',
      'decide:countyApproval',
      'enter:countyDone',
    ]);
    expect(r.steps.filter((s: { kind: string }) => s.kind === 'decide').map((s: { name: string }) => s.name)).toEqual([
      '村级初审',
      '乡镇审核',
      '县级审批',
    ]);
  });

  it('ends at the township when the amount is 2000 or less', async () => {
    const r = (await run({ data: { ...applicant, amount: 2000 }, decisions: approveAll })).json();
    expect(r.visited).toEqual(['submitted', 'villageReview', 'townshipReview', 'amountCheck', 'townshipDone']);
    expect(r.visited).not.toContain('countyApproval');
    expect(r.status).toBe('completed');
  });

  it('stops at the first step without a decision, and reports sample data the form refuses', async () => {
    const r = (
      await run({ data: { name: '李四', idNumber: '123', amount: 3000 }, decisions: { villageReview: 'approve' } })
    ).json();
    expect(r).toMatchObject({
      status: 'active',
      stoppedBecause: 'waiting-task',
      openTasks: [{ elementId: 'townshipReview', name: '乡镇审核', roles: ['township-staff'], level: 'township' }],
    });
    expect(r.dataProblems.map((p: { path: string }) => p.path)).toContain('/data/idNumber');
  });

  it('follows a list of actions, one per visit (returned once, then approved)', async () => {
    const r = (
      await run({
        data: { ...applicant, amount: 100 },
        decisions: { villageReview: 'approve', townshipReview: ['return', 'approve'] },
      })
    ).json();
    expect(
      r.steps
        .filter((s: { kind: string }) => s.kind === 'decide')
        .map((s: { elementId: string; action: string }) => `${s.elementId}:${s.action}`),
    ).toEqual(['villageReview:approve', 'townshipReview:return', 'villageReview:approve', 'townshipReview:approve']);
    expect(r.status).toBe('completed');
  });

  it('stores nothing and is only for definition editors', async () => {
    await run({ data: { ...applicant, amount: 2500 }, decisions: approveAll });
    const cases = (await inject('GET', '/api/cases', admin)).json();
    expect(JSON.stringify(cases)).not.toContain('winter-sim');
    expect(
      (
        await run({ data: {} }).then(() =>
          inject('POST', '/api/definitions/winter-sim/simulate', township, { data: {} }),
        )
      ).statusCode,
    ).toBe(403);
  });
});

const publicityBpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:message id="Message_objection" name="objection"/>
  <bpmn:process id="publicityFlow" isExecutable="true">
    <bpmn:startEvent id="submitted"/>
    <bpmn:userTask id="review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:eventBasedGateway id="publicity" name="公示7天"/>
    <bpmn:intermediateCatchEvent id="noticeOver" name="公示期满无异议">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P7D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="objection" name="收到异议">
      <bpmn:messageEventDefinition messageRef="Message_objection"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="recheck" name="异议复核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:endEvent id="granted"/>
    <bpmn:endEvent id="rechecked"/>
    <bpmn:sequenceFlow id="p1" sourceRef="submitted" targetRef="review"/>
    <bpmn:sequenceFlow id="p2" sourceRef="review" targetRef="publicity"/>
    <bpmn:sequenceFlow id="toNoticeOver" sourceRef="publicity" targetRef="noticeOver"/>
    <bpmn:sequenceFlow id="toObjection" sourceRef="publicity" targetRef="objection"/>
    <bpmn:sequenceFlow id="p3" sourceRef="noticeOver" targetRef="granted"/>
    <bpmn:sequenceFlow id="p4" sourceRef="objection" targetRef="recheck"/>
    <bpmn:sequenceFlow id="p5" sourceRef="recheck" targetRef="rechecked"/>
  </bpmn:process>
</bpmn:definitions>`;

describe('simulate 公示 (event-based gateway: 7-day timer or an objection message)', () => {
  beforeAll(async () => {
    const created = await inject(
      'POST',
      '/api/definitions',
      admin,
      simpleDefinition('publicity-sim', { bpmnXml: publicityBpmn }),
    );
    expect(created.statusCode, created.body).toBe(201);
  });

  it('fires the 7-day timer at once when no objection is sent', async () => {
    const r = (
      await inject('POST', '/api/definitions/publicity-sim/simulate', admin, {
        data: applicant,
        decisions: { review: 'approve' },
      })
    ).json();
    expect(r.status).toBe('completed');
    expect(r.visited).toEqual(['submitted', 'review', 'publicity', 'noticeOver', 'granted']);
    expect(r.flows).toEqual(['p1', 'p2', 'toNoticeOver', 'p3']);
    expect(r.steps.some((s: { kind: string }) => s.kind === 'timer')).toBe(true);
  });

  it('takes the objection path when the message is sent during 公示', async () => {
    const r = (
      await inject('POST', '/api/definitions/publicity-sim/simulate', admin, {
        data: applicant,
        decisions: { review: 'approve' },
        messages: [{ name: 'objection', payload: { reason: '收入不实' } }],
      })
    ).json();
    expect(r).toMatchObject({ stoppedBecause: 'waiting-task', openTasks: [{ elementId: 'recheck' }] });
    expect(r.visited).toEqual(['submitted', 'review', 'publicity', 'objection', 'recheck']);
    expect(r.flows).toContain('toObjection');
    expect(r.flows).not.toContain('toNoticeOver');
  });
});

describe('simulate a call activity', () => {
  it('runs the called item’s published flow inside the dry run', async () => {
    await createAndPublish('called-child');
    const parent = simpleBpmn().replace(
      '<bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" />',
      '<bpmn:callActivity id="Review" name="调用子事项" calledElement="called-child"/>',
    );
    expect(parent).toContain('calledElement');
    const created = await inject(
      'POST',
      '/api/definitions',
      admin,
      simpleDefinition('calling-parent', { bpmnXml: parent }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const r = (
      await inject('POST', '/api/definitions/calling-parent/simulate', admin, {
        data: applicant,
        decisions: { Review: 'approve' },
      })
    ).json();
    expect(r.incidents, JSON.stringify(r)).toEqual([]);
    expect(r.status).toBe('completed');
    expect(
      r.steps.filter((s: { kind: string }) => s.kind === 'decide').map((s: { elementId: string }) => s.elementId),
    ).toEqual(['Review']);
  });
});

describe('simulate a service task', () => {
  it('answers it with the given result (no plugin is called) and follows the gateway on it', async () => {
    const xml = simpleBpmn({
      condition: '= Review.eligible = true',
    }).replace(
      '<bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" />',
      '<bpmn:serviceTask id="Review" name="经济状况核对" minflow:handler="economic-check"/>',
    );
    const created = await inject('POST', '/api/definitions', admin, simpleDefinition('service-sim', { bpmnXml: xml }));
    expect(created.statusCode, created.body).toBe(201);
    const run = (jobResults?: object) =>
      inject('POST', '/api/definitions/service-sim/simulate', admin, {
        data: applicant,
        ...(jobResults ? { jobResults } : {}),
      });
    const eligible = (await run({ Review: { eligible: true } })).json();
    expect(eligible.visited, JSON.stringify(eligible.variables)).toEqual(['Start', 'Review', 'Decision', 'Approved']);
    expect(eligible.variables.Review).toEqual({ eligible: true });
    expect(eligible.steps.find((s: { kind: string }) => s.kind === 'job')).toMatchObject({ elementId: 'Review' });
    const stub = (await run()).json();
    expect(stub.visited).toEqual(['Start', 'Review', 'Decision', 'Rejected']);
  });
});

describe('simulate a return to a chosen step', () => {
  const decideSteps = (r: { steps: Array<{ kind: string; elementId: string; action?: string; target?: string }> }) =>
    r.steps
      .filter((s) => s.kind === 'decide')
      .map((s) => `${s.elementId}:${s.action}${s.target ? `→${s.target}` : ''}`);
  const run = (decisions: object) =>
    inject('POST', '/api/definitions/winter-sim/simulate', admin, {
      data: { ...applicant, amount: 2500 },
      decisions,
    });

  it('offers the earlier steps of this run as return targets, latest first', async () => {
    const r = (await run({ villageReview: 'approve', townshipReview: 'approve' })).json();
    expect(r.openTasks).toMatchObject([
      {
        elementId: 'countyApproval',
        kind: 'task',
        returnTargets: [
          { elementId: 'townshipReview', name: '乡镇审核' },
          { elementId: 'villageReview', name: '村级初审' },
        ],
      },
    ]);
  });

  it('returns from the county to the village step, skipping the township, as the task route does', async () => {
    // one decision per visit, as objects (the designer sends these): a one-element list of a bare
    // action name is read as that action for every visit (the API coerces ['approve'] to 'approve')
    const res = await run({
      villageReview: [{ action: 'approve' }],
      townshipReview: [{ action: 'approve' }],
      countyApproval: [{ action: 'return', target: 'villageReview' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(decideSteps(r)).toEqual([
      'villageReview:approve',
      'townshipReview:approve',
      'countyApproval:return→villageReview',
    ]);
    // back at the village: its second visit has no decision yet
    expect(r).toMatchObject({ stoppedBecause: 'waiting-task', openTasks: [{ elementId: 'villageReview' }] });
    expect(r.steps.at(-1)).toMatchObject({ kind: 'enter', elementId: 'villageReview', name: '村级初审' });
    // without a target the runtime's default is the previous step (township)
    const previous = (
      await run({
        villageReview: [{ action: 'approve' }],
        townshipReview: [{ action: 'approve' }],
        countyApproval: [{ action: 'return' }],
      })
    ).json();
    expect(previous.openTasks.map((t: { elementId: string }) => t.elementId)).toEqual(['townshipReview']);
    expect(decideSteps(previous).at(-1)).toBe('countyApproval:return→townshipReview');
  });

  it('returns to the applicant for correction (补正), then the step comes back', async () => {
    const stopped = (
      await run({ villageReview: 'approve', townshipReview: [{ action: 'return', target: 'applicant' }] })
    ).json();
    expect(stopped.openTasks).toMatchObject([
      { elementId: 'townshipReview', kind: 'correction', name: '补正：乡镇审核', actions: ['approve', 'comment'] },
    ]);
    const done = (
      await run({
        villageReview: 'approve',
        // return to the applicant, the applicant resubmits, then the township approves
        townshipReview: [{ action: 'return', target: 'applicant' }, 'approve', 'approve'],
        countyApproval: 'approve',
      })
    ).json();
    expect(decideSteps(done)).toEqual([
      'villageReview:approve',
      'townshipReview:return→applicant',
      'townshipReview:approve',
      'townshipReview:approve',
      'countyApproval:approve',
    ]);
    expect(done.status).toBe('completed');
  });

  it('refuses a target that is not an earlier step of the run, with the runtime’s error', async () => {
    const res = await run({
      villageReview: 'approve',
      townshipReview: [{ action: 'return', target: 'countyApproval' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MINFLOW_ERR_RUNTIME_RETURN_TARGET_INVALID');
    expect(res.json().details[0].path).toBe('/target');
  });
});

const objectionBpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:message id="Message_objection" name="objection"/>
  <bpmn:process id="objectionFlow" isExecutable="true">
    <bpmn:startEvent id="submitted"/>
    <bpmn:userTask id="review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:eventBasedGateway id="publicity" name="公示7天"/>
    <bpmn:intermediateCatchEvent id="noticeOver" name="公示期满无异议">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P7D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="objection" name="收到异议">
      <bpmn:messageEventDefinition messageRef="Message_objection"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:exclusiveGateway id="objectionKind" name="异议是否涉及收入" default="toCountyDirect"/>
    <bpmn:userTask id="incomeRecheck" name="收入复核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:userTask id="county" name="县级审批" minflow:roles="county-approver" minflow:level="county"/>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="o1" sourceRef="submitted" targetRef="review"/>
    <bpmn:sequenceFlow id="o2" sourceRef="review" targetRef="publicity"/>
    <bpmn:sequenceFlow id="toNoticeOver" sourceRef="publicity" targetRef="noticeOver"/>
    <bpmn:sequenceFlow id="toObjection" sourceRef="publicity" targetRef="objection"/>
    <bpmn:sequenceFlow id="o3" sourceRef="noticeOver" targetRef="county"/>
    <bpmn:sequenceFlow id="o4" sourceRef="objection" targetRef="objectionKind"/>
    <bpmn:sequenceFlow id="toIncomeRecheck" sourceRef="objectionKind" targetRef="incomeRecheck">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= objection.topic = "income"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toCountyDirect" sourceRef="objectionKind" targetRef="county"/>
    <bpmn:sequenceFlow id="o5" sourceRef="incomeRecheck" targetRef="county"/>
    <bpmn:sequenceFlow id="o6" sourceRef="county" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>`;

describe('simulate an objection message with a payload', () => {
  beforeAll(async () => {
    const created = await inject(
      'POST',
      '/api/definitions',
      admin,
      simpleDefinition('objection-sim', { bpmnXml: objectionBpmn }),
    );
    expect(created.statusCode, created.body).toBe(201);
  });
  const run = (body: object) =>
    inject('POST', '/api/definitions/objection-sim/simulate', admin, { data: applicant, ...body });

  it('offers the objection the 公示 waited for when the timer passed it', async () => {
    const r = (await run({ decisions: { review: 'approve' } })).json();
    expect(r.visited).toEqual(['submitted', 'review', 'publicity', 'noticeOver', 'county']);
    expect(r.messageOffers).toEqual([
      { elementId: 'objection', name: '收到异议', message: 'objection', afterDecisions: 1, waiting: false },
    ]);
  });

  it('routes on the payload by a FEEL condition, stored as the runtime stores it', async () => {
    const income = (
      await run({
        decisions: { review: 'approve' },
        messages: [{ name: 'objection', payload: { topic: 'income', reason: '有经营性收入' }, afterDecisions: 1 }],
      })
    ).json();
    expect(income.visited).toEqual(['submitted', 'review', 'publicity', 'objection', 'objectionKind', 'incomeRecheck']);
    expect(income.flows).toContain('toIncomeRecheck');
    expect(income.variables.objection).toEqual({
      topic: 'income',
      reason: '有经营性收入',
      receivedFrom: 'simulation',
    });
    expect(income.steps.find((s: { kind: string }) => s.kind === 'message')).toMatchObject({
      elementId: 'objection',
      message: 'objection',
    });
    expect(income.messageOffers).toEqual([]);

    const other = (
      await run({
        decisions: { review: 'approve' },
        messages: [{ name: 'objection', payload: { topic: 'residence' }, comment: '户籍有疑问' }],
      })
    ).json();
    expect(other.visited).toEqual(['submitted', 'review', 'publicity', 'objection', 'objectionKind', 'county']);
    expect(other.variables.objection).toEqual({
      topic: 'residence',
      comment: '户籍有疑问',
      receivedFrom: 'simulation',
    });
  });

  it('holds a message until its decisions were taken', async () => {
    const r = (
      await run({
        decisions: { review: 'approve' },
        messages: [{ name: 'objection', payload: { topic: 'income' }, afterDecisions: 2 }],
      })
    ).json();
    // only one decision before 公示: the timer passes it and the objection is still offered
    expect(r.visited).not.toContain('objection');
    expect(r.openTasks.map((t: { elementId: string }) => t.elementId)).toEqual(['county']);
  });

  it('checks the message like the real message route does', async () => {
    for (const message of [
      { name: '异议', payload: {} },
      { name: 'objection', payload: ['not', 'an', 'object'] },
      { name: 'objection', payload: {}, extra: true },
    ]) {
      const res = await run({ decisions: { review: 'approve' }, messages: [message] });
      expect(res.statusCode, JSON.stringify(message)).toBe(400);
      expect(res.json().details.length).toBeGreaterThan(0);
    }
  });
});

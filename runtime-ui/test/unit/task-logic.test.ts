import { describe, expect, it } from 'vitest';
import type { HistoryEntry, TaskInfo } from '../../src/api/types';
import { flattenForDisplay } from '../../src/cases/display';
import {
  allowedActions,
  changedFields,
  containsMasked,
  diagramMarkers,
  dueState,
  earlierSteps,
  editableFields,
  flowInfo,
} from '../../src/cases/logic';

function task(over: Partial<TaskInfo> = {}): TaskInfo {
  return {
    id: 'c1:t1',
    caseId: 'c1',
    elementId: 'townshipReview',
    name: '乡镇民政审批',
    assignee: null,
    dueAt: null,
    kind: 'task',
    actions: ['approve', 'reject', 'return', 'comment'],
    ...over,
  };
}

describe('the buttons a task offers', () => {
  it('are the step’s own actions, always with approve and comment, in a fixed order', () => {
    expect(allowedActions(task({ actions: ['comment', 'return'] }))).toEqual(['approve', 'return', 'comment']);
  });
  it('a correction is resubmitted or commented, a delegated task resolved, a suspended one only commented', () => {
    expect(allowedActions(task({ kind: 'correction' }))).toEqual(['approve', 'comment']);
    expect(allowedActions(task({ delegation: 'pending' }))).toEqual(['resolve', 'comment']);
    expect(allowedActions(task({ suspended: true }))).toEqual(['comment']);
    expect(allowedActions(task({ kind: 'signer-after' }))).toEqual(['approve', 'reject', 'cc', 'comment']);
  });
});

describe('due badges', () => {
  const now = Date.parse('2026-11-22T08:00:00Z');
  it('red when past, orange within a day, plain otherwise', () => {
    expect(dueState('2026-11-22T07:59:00Z', now)).toBe('overdue');
    expect(dueState('2026-11-23T07:00:00Z', now)).toBe('soon');
    expect(dueState('2026-11-25T08:00:00Z', now)).toBe('ok');
    expect(dueState(null, now)).toBe('none');
  });
});

describe('return targets', () => {
  it('are the earlier approved steps, once each, never the task’s own step', () => {
    const history: HistoryEntry[] = [
      { seq: 1, at: '', type: 'task.completed', elementId: 'villageConfirmation', action: 'approve', message: 'task' },
      { seq: 2, at: '', type: 'task.completed', elementId: 'investigation', action: 'approve', message: 'task' },
      { seq: 3, at: '', type: 'task.completed', elementId: 'villageConfirmation', action: 'approve', message: 'task' },
      { seq: 4, at: '', type: 'task.completed', elementId: 'townshipReview', action: 'approve', message: 'task' },
      { seq: 5, at: '', type: 'task.completed', elementId: 'other', action: 'reject', message: 'task' },
      { seq: 6, at: '', type: 'task.completed', elementId: 'fix', action: 'approve', message: 'correction' },
    ];
    expect(earlierSteps(history, task())).toEqual(['villageConfirmation', 'investigation']);
  });
});

describe('editable case fields', () => {
  it('come from minflow:editable paths; a correction may change any field', () => {
    const all = ['applicant', 'residence', 'bankAccount'];
    expect(editableFields(task({ editable: ['/residence', 'bankAccount/bankName'] }), all)).toEqual([
      'residence',
      'bankAccount',
    ]);
    expect(editableFields(task({ kind: 'correction', editable: [] }), all)).toEqual(all);
  });
  it('only fields whose value changed are sent', () => {
    const before = { residence: { years: 60 }, applicant: { name: '李秀英' } };
    const after = { residence: { years: 45 }, applicant: { name: '李秀英' } };
    expect(changedFields(before, after, ['residence', 'applicant'])).toEqual({ residence: { years: 45 } });
  });
  it('masked values are recognised so they are never sent back', () => {
    expect(containsMasked({ idNumber: '620422********0029' })).toBe(true);
    expect(containsMasked({ phone: '139****5678' })).toBe(true);
    expect(containsMasked({ name: '张桂兰', note: '*' })).toBe(false);
  });
});

describe('diagram markers', () => {
  it('open tasks are the current position; completed tasks and reached end events are done', () => {
    const m = diagramMarkers({
      openTasks: [task({ elementId: 'townshipReview' })],
      history: [
        { seq: 1, at: '', type: 'task.completed', elementId: 'villageConfirmation' },
        { seq: 2, at: '', type: 'task.completed', elementId: 'townshipReview' },
        { seq: 3, at: '', type: 'timer.scheduled', elementId: 'townshipReview' },
        { seq: 4, at: '', type: 'element.ended', elementId: 'granted' },
      ],
    });
    expect(m.active).toEqual(['townshipReview']);
    expect(m.done.sort()).toEqual(['granted', 'villageConfirmation']);
  });
});

describe('reading the flow', () => {
  it('names, task forms and user tasks come from the XML, whatever the attribute order', () => {
    const xml = `<bpmn:process id="p"><bpmn:userTask name="村（社区）确认" id="a" minflow:form="village-confirmation"/>
      <bpmn:userTask id="b" name="审批 &amp; 复核"></bpmn:userTask><bpmn:endEvent id="end" name="准予"/>
      <bpmn:sequenceFlow id="f" name="是" sourceRef="a" targetRef="b"/></bpmn:process>`;
    const info = flowInfo(xml);
    expect(info.names).toEqual({ a: '村（社区）确认', b: '审批 & 复核', end: '准予' });
    expect(info.forms).toEqual({ a: 'village-confirmation' });
    expect(info.userTasks).toEqual(['a', 'b']);
  });
});

describe('data as printed', () => {
  it('uses field titles, option titles and 是/否 in the form’s order', () => {
    const schema = {
      type: 'object',
      properties: {
        applicant: { title: '申请人', type: 'object', properties: { name: { title: '姓名', type: 'string' } } },
        local: { title: '是否本地居住', type: 'boolean' },
        band: { title: '年龄段', type: 'string', oneOf: [{ const: '80-89', title: '80–89周岁' }] },
      },
    };
    const rows = flattenForDisplay(
      schema,
      { band: '80-89', local: true, applicant: { name: '张桂兰' } },
      ['是', '否'],
      { 'ui:order': ['applicant', 'local', 'band'] },
    );
    expect(rows).toEqual([
      { path: ['申请人', '姓名'], value: '张桂兰' },
      { path: ['是否本地居住'], value: '是' },
      { path: ['年龄段'], value: '80–89周岁' },
    ]);
  });
});

describe('attachments on screen and on paper', () => {
  it('a list of uploaded files reads as one line of file names', () => {
    const file = (name: string) => ({
      name,
      url: `/api/attachments/${name}0000000`,
      size: 10,
      contentType: 'image/png',
    });
    const schema = {
      type: 'object',
      properties: {
        attachments: {
          title: '附件',
          type: 'object',
          properties: { idCards: { title: '身份证', type: 'array', items: { type: 'object' } } },
        },
      },
    };
    const rows = flattenForDisplay(schema, { attachments: { idCards: [file('正面.png'), file('背面.png')] } }, [
      '是',
      '否',
    ]);
    expect(rows).toEqual([{ path: ['附件', '身份证'], value: '正面.png、背面.png' }]);
  });
});

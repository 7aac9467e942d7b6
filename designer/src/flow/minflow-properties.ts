/**
 * Minflow's entries for bpmn-js-properties-panel: a provider that adds the `minflow:*` attributes (and the
 * conditions, timers and multi-instance settings Minflow executes) to the groups of the standard BPMN
 * provider. Entries are @bpmn-io/properties-panel components rendered with preact's `h`; every change goes
 * through `modeling.updateProperties` / `updateModdleProperties`, so undo and redo work.
 *
 * What the pick lists offer comes from `minflowPanelContext` (the form's fields, the item's task forms,
 * the engine's roles and handlers), which FlowModeler keeps current and announces with
 * `propertiesPanel.providersChanged`.
 */

import type { FeelVariable } from '@bpmn-io/feel-editor';
import {
  CheckboxEntry,
  FeelEntry,
  Group,
  isCheckboxEntryEdited,
  isFeelEntryEdited,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
  SelectEntry,
  TextFieldEntry,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import { type Lang, langStore, localized, translate } from '../i18n';
import { ACTION_OPTIONS, CALENDAR_OPTIONS, LEVEL_OPTIONS, options } from '../labels';
import type { EngineMeta } from '../meta';
import { joinList, splitList } from './attrs';
import { feelSyntaxError } from './lint';

/** What the panel's pick lists offer; kept current by FlowModeler. */
export interface MinflowPanelContext {
  fields: Array<{ feel: string; pointer: string; title: string }>;
  taskForms: string[];
  onEditTaskForm?(key: string): void;
  meta: EngineMeta | null;
}

interface BusinessObject {
  id: string;
  $type: string;
  name?: string;
  default?: BusinessObject;
  conditionExpression?: { body?: string };
  script?: string;
  eventDefinitions?: ModdleElement[];
  loopCharacteristics?: ModdleElement;
  get(name: string): unknown;
}
interface ModdleElement {
  $type: string;
  get(name: string): unknown;
}
export interface PanelElement {
  id: string;
  type: string;
  businessObject: BusinessObject;
  source?: PanelElement;
}
interface Modeling {
  updateProperties(element: PanelElement, props: Record<string, unknown>): void;
  updateModdleProperties(element: PanelElement, target: unknown, props: Record<string, unknown>): void;
}
interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
}
interface ElementRegistry {
  getAll(): PanelElement[];
}
interface Entry {
  id: string;
  component: unknown;
  isEdited?: (node: unknown) => boolean;
  [key: string]: unknown;
}
interface EntryProps {
  element: PanelElement;
  id: string;
  ctx: MinflowPanelContext;
  [key: string]: unknown;
}
interface PanelGroup {
  id: string;
  label: string;
  component?: unknown;
  entries: Entry[];
  shouldOpen?: boolean;
}

const t = (zh: string, en: string, params?: Record<string, string | number>) =>
  translate(langStore.get(), zh, en, params);

// ---------------------------------------------------------------------------------------------------------
// values and checks

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ISO_CYCLE = /^R(\d*)\/(.+)$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function attr(element: PanelElement, name: string): string {
  const v = element.businessObject.get(`minflow:${name}`);
  return typeof v === 'string' ? v : '';
}

/** An ISO 8601 duration (P10D, PT2H) check: the hint, or null when fine or empty. */
export function checkDuration(value: unknown): string | null {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v || ISO_DURATION.test(v)) return null;
  return t(
    '不是有效的 ISO 8601 时长：如 P10D（10 天）、PT2H（2 小时）、P1M（1 个月）',
    'Not a valid ISO 8601 duration: e.g. P10D (10 days), PT2H (2 hours), P1M (1 month)',
  );
}

function checkTimer(kind: TimerKind, value: unknown): string | null {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v || v.startsWith('=')) return null;
  if (kind === 'timeDuration') return checkDuration(v);
  if (kind === 'timeDate')
    return ISO_DATE_TIME.test(v)
      ? null
      : t(
          '不是有效的 ISO 8601 时间：如 2026-12-01T09:00:00+08:00',
          'Not an ISO 8601 date-time: e.g. 2026-12-01T09:00:00+08:00',
        );
  const m = ISO_CYCLE.exec(v);
  return m?.[2] && ISO_DURATION.test(m[2].split('/').pop() ?? '')
    ? null
    : t('不是有效的 ISO 8601 重复周期：如 R3/PT10M', 'Not an ISO 8601 repeating interval: e.g. R3/PT10M');
}

/** A FEEL expression check (the value may start with `=`): the hint with the place, or null. */
export function checkFeel(value: unknown): string | null {
  const text = typeof value === 'string' ? value.replace(/^\s*=/, '') : '';
  if (!text.trim()) return null;
  const error = feelSyntaxError(text);
  return error
    ? t('FEEL 语法错误（第 {at} 个字符附近）：{m}', 'FEEL syntax error (near character {at}): {m}', {
        at: error.from + 1,
        m: error.message,
      })
    : null;
}

/** The model's `= expr` as the FEEL entry's `=expr` (and back), keeping what the admin is typing. */
function feelOut(stored: unknown): string {
  return typeof stored === 'string' && stored.trim() ? `=${stored.replace(/^\s*=\s?/, '')}` : '';
}
function feelIn(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value.replace(/^\s*=\s*/, '') : '';
  return text.trim() ? `= ${text}` : undefined;
}

/** The form's field names and the steps' results (what a condition may test). */
function feelVariables(element: PanelElement, ctx: MinflowPanelContext, registry: ElementRegistry): FeelVariable[] {
  const vars: FeelVariable[] = ctx.fields.map((f) => ({ name: f.feel, detail: f.title }));
  vars.push({ name: 'action', detail: 'approve | reject | return' });
  for (const el of registry.getAll()) {
    const bo = el.businessObject;
    if (!bo || el.type === 'label' || el.id === element.id) continue;
    const kind = typeLabel(bo.$type, langStore.get());
    const detail = `${kind}${bo.name ? ` ${bo.name}` : ''}`;
    if (bo.$type === 'bpmn:UserTask' || bo.$type === 'bpmn:ServiceTask') vars.push({ name: bo.id, detail });
    if (bo.$type === 'bpmn:ScriptTask')
      vars.push({ name: (bo.get('minflow:resultVariable') as string | undefined) || bo.id, detail });
  }
  return vars;
}

export function typeLabel(type: string, lang: Lang): string {
  const map: Record<string, [string, string]> = {
    'bpmn:UserTask': ['人工审批环节', 'User task'],
    'bpmn:ServiceTask': ['自动处理环节', 'Service task'],
    'bpmn:ScriptTask': ['计算环节', 'Script task'],
    'bpmn:SequenceFlow': ['连线', 'Sequence flow'],
  };
  const pair = map[type];
  return pair ? (lang === 'en' ? pair[1] : pair[0]) : type.replace('bpmn:', '');
}

// ---------------------------------------------------------------------------------------------------------
// entries

type Option = { value: string; label: string };

/** A SelectEntry on one `minflow:` attribute; a value not offered (yet) is still shown as it is. */
function AttrSelect(props: EntryProps & { attr: string; label: string; getOptions(): Option[]; none?: string }) {
  const { element, id, attr: name, label, getOptions, none } = props;
  const modeling = useService('modeling') as Modeling;
  return h(SelectEntry, {
    element,
    id,
    label,
    getValue: () => attr(element, name),
    setValue: (v: string) => modeling.updateProperties(element, { [`minflow:${name}`]: v || undefined }),
    getOptions: () => {
      const list = getOptions();
      const current = attr(element, name);
      if (current && !list.some((o) => o.value === current)) list.push({ value: current, label: current });
      return [{ value: '', label: none ?? t('（未选择）', '(none)') }, ...list];
    },
    validate: props.validate,
  });
}

/** Checkboxes for a comma-separated `minflow:` list (roles, actions, editable fields). */
function AttrCheckList(
  props: EntryProps & { attr: string; label: string; getOptions(): Option[]; hint?: string; oneColumn?: boolean },
) {
  const { element, id, attr: name, label, getOptions, hint, oneColumn } = props;
  const modeling = useService('modeling') as Modeling;
  const chosen = splitList(attr(element, name));
  const list = getOptions();
  for (const v of chosen) if (!list.some((o) => o.value === v)) list.push({ value: v, label: v });
  const toggle = (value: string, on: boolean) => {
    const now = splitList(attr(element, name)).filter((v) => v !== value);
    if (on) now.push(value);
    // keep the offered order, so the attribute does not change with the order of clicks
    const order = list.map((o) => o.value);
    now.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    modeling.updateProperties(element, { [`minflow:${name}`]: joinList(now) });
  };
  return h(
    'div',
    { class: 'bio-properties-panel-entry mf-check-list', 'data-entry-id': id },
    h('div', { class: 'bio-properties-panel-label' }, label),
    list.length === 0 &&
      h('div', { class: 'bio-properties-panel-description' }, t('（无可选项）', '(nothing to choose)')),
    h(
      'div',
      { class: oneColumn ? 'mf-check-list-items mf-one-column' : 'mf-check-list-items' },
      list.map((o) =>
        h(CheckboxEntry, {
          key: o.value,
          element,
          id: `${id}-${o.value.replace(/[^A-Za-z0-9_-]/g, '_')}`,
          label: o.label,
          getValue: () => splitList(attr(element, name)).includes(o.value),
          setValue: (on: boolean) => toggle(o.value, on),
        }),
      ),
    ),
    hint && h('div', { class: 'bio-properties-panel-description' }, hint),
  );
}

/** A text attribute with a check: an invalid value is shown with the hint and not written. */
function AttrText(
  props: EntryProps & { attr: string; label: string; check?(v: unknown): string | null; description?: string },
) {
  const { element, id, attr: name, label, check, description } = props;
  const modeling = useService('modeling') as Modeling;
  const debounce = useService('debounceInput');
  return h(TextFieldEntry, {
    element,
    id,
    label,
    description,
    debounce,
    getValue: () => attr(element, name),
    setValue: (v: string | undefined, error?: string | null) => {
      if (error) return;
      modeling.updateProperties(element, { [`minflow:${name}`]: v?.trim() || undefined });
    },
    validate: check,
  });
}

function RolesEntry(props: EntryProps) {
  const { ctx } = props;
  const lang = langStore.get();
  return h(AttrCheckList, {
    ...props,
    attr: 'roles',
    label: t('办理角色', 'Roles'),
    getOptions: () => (ctx.meta?.roles ?? []).map((r) => ({ value: r.key, label: localized(r.name, lang) })),
    hint: t('持有任一所选角色、且在办理层级的人员可以办理', 'Anyone holding one of the roles at the level may act'),
  });
}

function LevelEntry(props: EntryProps) {
  const { ctx, element } = props;
  const lang = langStore.get();
  return h(AttrSelect, {
    ...props,
    attr: 'level',
    label: t('办理层级', 'Level'),
    getOptions: () => {
      const roles = splitList(attr(element, 'roles'));
      const meta = ctx.meta;
      // the levels the chosen roles may be held at (all levels when no role is chosen yet)
      const held = meta ? new Set(meta.roles.filter((r) => roles.includes(r.key)).flatMap((r) => r.levels)) : new Set();
      return options(
        LEVEL_OPTIONS.filter((o) => (!meta || meta.levels.includes(o.value)) && (held.size === 0 || held.has(o.value))),
        lang,
      );
    },
  });
}

function TaskFormEntry(props: EntryProps) {
  const { ctx, element, id } = props;
  const modeling = useService('modeling') as Modeling;
  const [key, setKey] = useState('');
  const current = attr(element, 'form');
  const valid = /^[a-z][a-zA-Z0-9-]*$/.test(key);
  return h(
    'div',
    { class: 'mf-task-form' },
    h(AttrSelect, {
      ...props,
      attr: 'form',
      label: t('环节表单', 'Task form'),
      none: t('无（只填写意见）', 'None (a comment only)'),
      getOptions: () => ctx.taskForms.map((k) => ({ value: k, label: k })),
    }),
    ctx.onEditTaskForm &&
      h(
        'div',
        { class: 'bio-properties-panel-entry mf-task-form-actions', 'data-entry-id': `${id}-new` },
        current &&
          h(
            'button',
            {
              type: 'button',
              class: 'mf-panel-button',
              'data-testid': 'edit-task-form',
              onClick: () => ctx.onEditTaskForm?.(current),
            },
            t('编辑环节表单', 'Edit task form'),
          ),
        h(
          'div',
          { class: 'mf-inline' },
          h('input', {
            class: 'bio-properties-panel-input',
            'aria-label': t('新环节表单编号', 'New task form key'),
            placeholder: t('新表单编号，如 townshipOpinion', 'new form key, e.g. townshipOpinion'),
            value: key,
            onInput: (e: Event) => setKey((e.target as HTMLInputElement).value.trim()),
          }),
          h(
            'button',
            {
              type: 'button',
              class: 'mf-panel-button',
              disabled: !valid,
              'data-testid': 'create-task-form',
              onClick: () => {
                modeling.updateProperties(element, { 'minflow:form': key });
                ctx.onEditTaskForm?.(key);
                setKey('');
              },
            },
            t('新建', 'Create'),
          ),
        ),
      ),
  );
}

function EditableEntry(props: EntryProps) {
  const { ctx } = props;
  return h(AttrCheckList, {
    ...props,
    attr: 'editable',
    label: t('可修改的申请字段', 'Application fields this step may change'),
    oneColumn: true,
    getOptions: () => ctx.fields.map((f) => ({ value: f.pointer, label: `${f.title}（${f.pointer}）` })),
  });
}

function DueEntry(props: EntryProps) {
  return h(AttrText, {
    ...props,
    attr: 'due',
    label: t('办理时限（ISO 8601 时长）', 'Time limit (ISO 8601 duration)'),
    description: t('如 P10D 为 10 天；留空为不限', 'e.g. P10D for 10 days; empty for none'),
    check: checkDuration,
  });
}

function CalendarEntry(props: EntryProps) {
  return h(AttrSelect, {
    ...props,
    attr: 'calendar',
    label: t('时限计算方式', 'Counted in'),
    getOptions: () => options(CALENDAR_OPTIONS, langStore.get()),
  });
}

function ActionsEntry(props: EntryProps) {
  return h(AttrCheckList, {
    ...props,
    attr: 'actions',
    label: t('可用操作', 'Allowed actions'),
    getOptions: () => options(ACTION_OPTIONS, langStore.get()),
  });
}

function HandlerEntry(props: EntryProps) {
  const { ctx } = props;
  const lang = langStore.get();
  return h(AttrSelect, {
    ...props,
    attr: 'handler',
    label: t('处理插件（handler）', 'Handler (plugin)'),
    none: ctx.meta?.handlers.length ? t('（请选择）', '(choose one)') : t('没有已安装的插件', 'No installed plugin'),
    getOptions: () =>
      (ctx.meta?.handlers ?? []).map((hd) => ({
        value: hd.key,
        label: `${localized(hd.title, lang)}（${hd.key}，${hd.plugin}）`,
      })),
  });
}

function RetriesEntry(props: EntryProps) {
  return h(AttrText, {
    ...props,
    attr: 'retries',
    label: t('失败重试次数', 'Attempts before an incident'),
    check: (v: unknown) =>
      typeof v === 'string' && v.trim() && !/^(\d|1\d|20)$/.test(v.trim())
        ? t('请填写 0 到 20 的整数', 'A whole number from 0 to 20')
        : null,
  });
}

function BackoffEntry(props: EntryProps) {
  return h(AttrText, {
    ...props,
    attr: 'backoff',
    label: t('重试间隔（ISO 8601 时长）', 'Wait between attempts (ISO 8601 duration)'),
    description: t('如 PT30S 为 30 秒', 'e.g. PT30S for 30 seconds'),
    check: checkDuration,
  });
}

function ScriptEntry(props: EntryProps) {
  const { element, id, ctx } = props;
  const modeling = useService('modeling') as Modeling;
  const registry = useService('elementRegistry') as ElementRegistry;
  const debounce = useService('debounceInput');
  const translateFn = useService('translate');
  return h(FeelEntry, {
    element,
    id,
    feel: 'required',
    label: t('计算（FEEL 表达式）', 'Computation (FEEL)'),
    description: t('例如：{ total: amount * 12 }', 'e.g. { total: amount * 12 }'),
    debounce,
    translate: translateFn,
    variables: feelVariables(element, ctx, registry),
    getValue: () => feelOut(element.businessObject.script),
    setValue: (v: string | undefined) => {
      const body = feelIn(v);
      modeling.updateProperties(element, { script: body, scriptFormat: body ? 'feel' : undefined });
    },
    validate: checkFeel,
  });
}

function ResultVariableEntry(props: EntryProps) {
  return h(AttrText, {
    ...props,
    attr: 'resultVariable',
    label: t('结果变量', 'Result variable'),
    description: t('留空时用环节编号', 'Empty: the step id'),
    check: (v: unknown) =>
      typeof v === 'string' && v.trim() && !VARIABLE.test(v.trim())
        ? t('变量名只能含字母、数字和下划线，且不以数字开头', 'Letters, digits and _ only, not starting with a digit')
        : null,
  });
}

function DefaultFlowEntry(props: EntryProps) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  return h(CheckboxEntry, {
    element,
    id,
    label: t('默认路径（其他条件都不满足时走这条）', 'Default flow (taken when no condition holds)'),
    getValue: () => Boolean(element.source && element.source.businessObject.default?.id === element.businessObject.id),
    setValue: (on: boolean) => {
      if (element.source)
        modeling.updateProperties(element.source, { default: on ? element.businessObject : undefined });
    },
  });
}

function ConditionEntry(props: EntryProps) {
  const { element, id, ctx } = props;
  const modeling = useService('modeling') as Modeling;
  const factory = useService('bpmnFactory') as BpmnFactory;
  const registry = useService('elementRegistry') as ElementRegistry;
  const debounce = useService('debounceInput');
  const translateFn = useService('translate');
  const names = ctx.fields
    .slice(0, 12)
    .map((f) => `${f.feel}（${f.title}）`)
    .join('、');
  return h(FeelEntry, {
    element,
    id,
    feel: 'required',
    label: t('条件（FEEL 表达式）', 'Condition (FEEL)'),
    description: `${t('例如：amount > 2000，或 heatingType = "coal"', 'e.g. amount > 2000, or heatingType = "coal"')}${
      names ? t('。可用字段：{f}', '. Fields: {f}', { f: names }) : ''
    }`,
    debounce,
    translate: translateFn,
    variables: feelVariables(element, ctx, registry),
    getValue: () => feelOut(element.businessObject.conditionExpression?.body),
    setValue: (v: string | undefined) => {
      const body = feelIn(v);
      modeling.updateProperties(element, {
        conditionExpression: body ? factory.create('bpmn:FormalExpression', { body }) : undefined,
      });
    },
    validate: (v: unknown) =>
      (typeof v === 'string' ? v.replace(/^\s*=/, '').trim() : '')
        ? checkFeel(v)
        : t(
            '没有条件，也不是默认路径：发布时会被拒绝',
            'No condition and not the default flow: publishing will refuse it',
          ),
  });
}

type TimerKind = 'timeDuration' | 'timeDate' | 'timeCycle';
const TIMER_KINDS: TimerKind[] = ['timeDuration', 'timeDate', 'timeCycle'];

function timerDefinition(element: PanelElement): ModdleElement | undefined {
  return element.businessObject.eventDefinitions?.find((d) => d.$type === 'bpmn:TimerEventDefinition');
}
function timerKind(def: ModdleElement): TimerKind {
  return TIMER_KINDS.find((k) => def.get(k)) ?? 'timeDuration';
}
function timerBody(def: ModdleElement, kind: TimerKind): string {
  const expr = def.get(kind) as { body?: string } | undefined;
  return expr?.body ?? '';
}

function TimerKindEntry(props: EntryProps) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  const factory = useService('bpmnFactory') as BpmnFactory;
  const def = timerDefinition(element) as ModdleElement;
  return h(SelectEntry, {
    element,
    id,
    label: t('定时方式', 'Timer type'),
    getValue: () => timerKind(def),
    getOptions: () => [
      { value: 'timeDuration', label: t('等待一段时长', 'Wait for a duration') },
      { value: 'timeDate', label: t('到指定时间', 'Until a date-time') },
      { value: 'timeCycle', label: t('按周期重复', 'Repeating cycle') },
    ],
    setValue: (kind: TimerKind) => {
      const body = timerBody(def, timerKind(def));
      const props: Record<string, unknown> = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
      props[kind] = factory.create('bpmn:FormalExpression', { body });
      modeling.updateModdleProperties(element, def, props);
    },
  });
}

function TimerValueEntry(props: EntryProps) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  const factory = useService('bpmnFactory') as BpmnFactory;
  const debounce = useService('debounceInput');
  const def = timerDefinition(element) as ModdleElement;
  const kind = timerKind(def);
  const examples: Record<TimerKind, [string, string]> = {
    timeDuration: [
      '如 P7D 为 7 天（公示期），PT2H 为 2 小时',
      'e.g. P7D for 7 days (a notice period), PT2H for 2 hours',
    ],
    timeDate: ['如 2026-12-01T09:00:00+08:00', 'e.g. 2026-12-01T09:00:00+08:00'],
    timeCycle: ['如 R3/PT10M 为每 10 分钟、共 3 次', 'e.g. R3/PT10M: every 10 minutes, 3 times'],
  };
  return h(TextFieldEntry, {
    element,
    id,
    label: t('定时值（ISO 8601）', 'Timer value (ISO 8601)'),
    description: t(examples[kind][0], examples[kind][1]),
    debounce,
    getValue: () => timerBody(def, timerKind(def)),
    setValue: (v: string | undefined, error?: string | null) => {
      if (error) return;
      const body = v?.trim() ?? '';
      modeling.updateModdleProperties(element, def, {
        [timerKind(def)]: body ? factory.create('bpmn:FormalExpression', { body }) : undefined,
      });
    },
    validate: (v: unknown) => checkTimer(timerKind(def), v),
  });
}

/** 会签 / 或签: the multi-instance marker, what it runs over and when it is done. */
function LoopModeEntry(props: EntryProps) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  const factory = useService('bpmnFactory') as BpmnFactory;
  const loop = () => element.businessObject.loopCharacteristics;
  return h(SelectEntry, {
    element,
    id,
    label: t('多人办理（多实例）', 'Several people (multi-instance)'),
    getValue: () => {
      const l = loop();
      if (l?.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return '';
      return l.get('isSequential') ? 'sequential' : 'parallel';
    },
    getOptions: () => [
      { value: '', label: t('否（一人办理）', 'No (one person)') },
      { value: 'parallel', label: t('同时办理（会签 / 或签）', 'At the same time (parallel)') },
      { value: 'sequential', label: t('依次办理', 'One after another (sequential)') },
    ],
    setValue: (mode: string) => {
      const l = loop();
      if (!mode) modeling.updateProperties(element, { loopCharacteristics: undefined });
      else if (l && l.$type === 'bpmn:MultiInstanceLoopCharacteristics')
        modeling.updateModdleProperties(element, l, { isSequential: mode === 'sequential' });
      else
        modeling.updateProperties(element, {
          loopCharacteristics: factory.create('bpmn:MultiInstanceLoopCharacteristics', {
            isSequential: mode === 'sequential',
          }),
        });
    },
  });
}

function LoopExpressionEntry(
  props: EntryProps & { prop: 'minflow:collection' | 'loopCardinality' | 'completionCondition'; label: string },
) {
  const { element, id, ctx, prop, label } = props;
  const modeling = useService('modeling') as Modeling;
  const factory = useService('bpmnFactory') as BpmnFactory;
  const registry = useService('elementRegistry') as ElementRegistry;
  const debounce = useService('debounceInput');
  const translateFn = useService('translate');
  const loop = element.businessObject.loopCharacteristics as ModdleElement;
  const read = () => {
    const v = loop.get(prop);
    return prop === 'minflow:collection' ? v : (v as { body?: string } | undefined)?.body;
  };
  return h(FeelEntry, {
    element,
    id,
    feel: 'required',
    label,
    description: props.description,
    debounce,
    translate: translateFn,
    variables: [
      ...feelVariables(element, ctx, registry),
      { name: 'nrOfInstances', detail: t('实例总数', 'instances in all') },
      { name: 'nrOfApproved', detail: t('已通过的人数', 'approvals so far') },
      { name: 'nrOfRejected', detail: t('不予通过的人数', 'rejections so far') },
      { name: 'nrOfCompletedInstances', detail: t('已办完的实例数', 'instances done') },
      { name: 'nrOfActiveInstances', detail: t('未办完的实例数', 'instances still open') },
    ],
    getValue: () => feelOut(read()),
    setValue: (v: string | undefined) => {
      const body = feelIn(v);
      modeling.updateModdleProperties(element, loop, {
        [prop]:
          prop === 'minflow:collection' ? body : body ? factory.create('bpmn:FormalExpression', { body }) : undefined,
      });
    },
    validate: checkFeel,
  });
}

function ElementVariableEntry(props: EntryProps) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  const debounce = useService('debounceInput');
  const loop = element.businessObject.loopCharacteristics as ModdleElement;
  return h(TextFieldEntry, {
    element,
    id,
    label: t('每项的变量名', 'Variable for each item'),
    description: t('集合中的每一项在本实例里叫这个名字', 'Each item of the collection under this name'),
    debounce,
    getValue: () => (loop.get('minflow:elementVariable') as string | undefined) ?? '',
    setValue: (v: string | undefined, error?: string | null) => {
      if (error) return;
      modeling.updateModdleProperties(element, loop, { 'minflow:elementVariable': v?.trim() || undefined });
    },
    validate: (v: unknown) =>
      typeof v === 'string' && v.trim() && !VARIABLE.test(v.trim())
        ? t('变量名只能含字母、数字和下划线，且不以数字开头', 'Letters, digits and _ only, not starting with a digit')
        : null,
  });
}

// ---------------------------------------------------------------------------------------------------------
// the provider

function entry(id: string, component: Entry['component'], isEdited: Entry['isEdited'], extra = {}): Entry {
  return { id, component, isEdited, ...extra };
}

function minflowGroups(element: PanelElement, ctx: MinflowPanelContext): PanelGroup[] {
  const bo = element.businessObject;
  const groups: PanelGroup[] = [];
  const group = (id: string, label: string, entries: Entry[]) =>
    groups.push({ id, label, component: Group, entries: entries.map((e) => ({ ...e, ctx })), shouldOpen: true });
  const settings = t('审批设置', 'Minflow');
  if (bo.$type === 'bpmn:UserTask') {
    group('minflow', settings, [
      entry('minflow-roles', RolesEntry, () => Boolean(attr(element, 'roles'))),
      entry('minflow-level', LevelEntry, isSelectEntryEdited),
      entry('minflow-form', TaskFormEntry, isSelectEntryEdited),
      entry('minflow-editable', EditableEntry, () => Boolean(attr(element, 'editable'))),
      entry('minflow-due', DueEntry, isTextFieldEntryEdited),
      entry('minflow-calendar', CalendarEntry, isSelectEntryEdited),
      entry('minflow-actions', ActionsEntry, () => Boolean(attr(element, 'actions'))),
    ]);
    const loop = bo.loopCharacteristics;
    const loopEntries = [entry('minflow-loop', LoopModeEntry, isSelectEntryEdited)];
    if (loop && loop.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
      loopEntries.push(
        entry('minflow-loop-collection', LoopExpressionEntry, isFeelEntryEdited, {
          prop: 'minflow:collection',
          label: t('办理人集合（FEEL）', 'Collection (FEEL)'),
          description: t('每一项生成一个实例，如 investigators', 'One instance per item, e.g. investigators'),
        }),
        entry('minflow-loop-element', ElementVariableEntry, isTextFieldEntryEdited),
        entry('minflow-loop-cardinality', LoopExpressionEntry, isFeelEntryEdited, {
          prop: 'loopCardinality',
          label: t('实例个数（无集合时）', 'Number of instances (without a collection)'),
          description: t('如 2：两名调查员', 'e.g. 2: two investigators'),
        }),
        entry('minflow-loop-completion', LoopExpressionEntry, isFeelEntryEdited, {
          prop: 'completionCondition',
          label: t('完成条件（FEEL）', 'Completion condition (FEEL)'),
          description: t(
            '留空为全部通过（会签）；nrOfApproved >= 1 为一人通过即可（或签）；nrOfApproved / nrOfInstances > 1/2 为过半数',
            'Empty: all must approve; nrOfApproved >= 1: one approval is enough; nrOfApproved / nrOfInstances > 1/2: a majority',
          ),
        }),
      );
    }
    group('minflow-multi-instance', t('会签 / 或签', 'Multi-instance'), loopEntries);
  }
  if (bo.$type === 'bpmn:ServiceTask') {
    group('minflow', settings, [
      entry('minflow-handler', HandlerEntry, isSelectEntryEdited),
      entry('minflow-retries', RetriesEntry, isTextFieldEntryEdited),
      entry('minflow-backoff', BackoffEntry, isTextFieldEntryEdited),
    ]);
  }
  if (bo.$type === 'bpmn:ScriptTask') {
    group('minflow', settings, [
      entry('minflow-script', ScriptEntry, isFeelEntryEdited),
      entry('minflow-result-variable', ResultVariableEntry, isTextFieldEntryEdited),
    ]);
  }
  if (bo.$type === 'bpmn:SequenceFlow') {
    const source = element.source?.businessObject.$type;
    if (source === 'bpmn:ExclusiveGateway' || source === 'bpmn:InclusiveGateway') {
      const isDefault = element.source?.businessObject.default?.id === bo.id;
      group('minflow-condition', t('条件', 'Condition'), [
        entry('minflow-default', DefaultFlowEntry, isCheckboxEntryEdited),
        ...(isDefault ? [] : [entry('minflow-condition', ConditionEntry, isFeelEntryEdited)]),
      ]);
    }
  }
  if (timerDefinition(element)) {
    group('minflow-timer', t('定时', 'Timer'), [
      entry('minflow-timer-kind', TimerKindEntry, isSelectEntryEdited),
      entry('minflow-timer-value', TimerValueEntry, isTextFieldEntryEdited),
    ]);
  }
  return groups;
}

class MinflowPropertiesProvider {
  static $inject = ['propertiesPanel', 'minflowPanelContext'];
  private ctx: { current: MinflowPanelContext };
  constructor(
    propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
    ctx: { current: MinflowPanelContext },
  ) {
    this.ctx = ctx;
    // after the standard provider (priority 1000): its groups come in, Minflow's are added
    propertiesPanel.registerProvider(500, this);
  }
  getGroups(element: PanelElement) {
    return (groups: PanelGroup[]) => {
      // the timer and multi-instance settings are Minflow's own (with checks and FEEL); the standard
      // groups for them are replaced
      const kept = groups.filter((g) => g.id !== 'timer' && g.id !== 'multiInstance');
      const at = kept.findIndex((g) => g.id === 'general') + 1;
      kept.splice(at, 0, ...minflowGroups(element, this.ctx.current));
      return kept;
    };
  }
}

/** The provider module; `minflowPanelContext` is `{ current }`, updated by the host. */
export function minflowPropertiesModule(ctx: { current: MinflowPanelContext }) {
  return {
    __init__: ['minflowPropertiesProvider'],
    minflowPropertiesProvider: ['type', MinflowPropertiesProvider],
    minflowPanelContext: ['value', ctx],
  };
}

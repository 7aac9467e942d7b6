import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import './lint.css';
import minflowModdle from '@minflow/sdk/minflow-moddle.json';
import { Alert, Button, Checkbox, Empty, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import Modeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { langStore, localized, translate, useI18n } from '../i18n';
import { ACTION_OPTIONS, CALENDAR_OPTIONS, LEVEL_OPTIONS, options } from '../labels';
import { type EngineMeta, useEngineMeta } from '../meta';
import { dueDays, joinList, normalizeFeel, splitList } from './attrs';
import { FeelEditor, type FeelVariable } from './FeelEditor';
import { type LintProblem, minflowLintConfig } from './lint';
import { minflowModelingModule } from './minflow-modeling';

/** The slice of bpmn-js's element and services this panel uses. */
interface BusinessObject {
  id: string;
  $type: string;
  name?: string;
  default?: BusinessObject;
  sourceRef?: BusinessObject;
  conditionExpression?: { body?: string };
  script?: string;
  resultVariable?: string;
  get(name: string): unknown;
}
interface DiagramElement {
  id: string;
  type: string;
  businessObject: BusinessObject;
  source?: DiagramElement;
  waypoints?: unknown;
}
interface Modeling {
  updateProperties(element: DiagramElement, props: Record<string, unknown>): void;
  updateLabel(element: DiagramElement, text: string): void;
}
interface ElementRegistry {
  get(id: string): DiagramElement | undefined;
  getAll(): DiagramElement[];
}
/** bpmn-js-bpmnlint's issues: element id → bpmnlint reports. */
type LintIssues = Record<string, Array<{ message: string; category: string; rule: string }>>;
interface Canvas {
  zoom(level: string): void;
  resized(): void;
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  scrollToElement(element: DiagramElement): void;
}

export interface FlowModelerHandle {
  getXml(): Promise<string>;
  /** Selects the element, scrolls to it and marks it as having a problem. */
  showProblem(elementId: string): boolean;
  clearProblems(): void;
  fit(): void;
}

export interface FlowModelerProps {
  xml: string;
  /** Case field names for FEEL and pointers for editable fields. */
  fields: Array<{ feel: string; pointer: string; title: string }>;
  taskForms: string[];
  /** Opens a task form in the form builder (creating an empty one when the key is new). */
  onEditTaskForm?(key: string): void;
  onChange(): void;
  onError(message: string | null): void;
}

const PROBLEM = 'mf-problem';
const LINT = 'mf-lint';

/** Fits the diagram to the canvas; a canvas in a hidden tab has no size yet and is fitted when shown. */
function fitCanvas(canvas: Canvas, el: HTMLElement | null): void {
  if (!el || el.clientWidth === 0 || el.clientHeight === 0) return;
  canvas.resized();
  canvas.zoom('fit-viewport');
}

export const FlowModeler = forwardRef<FlowModelerHandle, FlowModelerProps>(function FlowModeler(props, ref) {
  const { xml, onChange, onError } = props;
  const container = useRef<HTMLDivElement>(null);
  const modeler = useRef<Modeler | null>(null);
  const marked = useRef<Set<string>>(new Set());
  const [selected, setSelected] = useState<DiagramElement | null>(null);
  const [, setTick] = useState(0);
  const [lint, setLint] = useState<LintProblem[]>([]);
  const { t, lang } = useI18n();
  const linted = useRef<Set<string>>(new Set());
  const callbacks = useRef({ onChange, onError });
  callbacks.current = { onChange, onError };

  useEffect(() => {
    if (!container.current) return;
    const m = new Modeler({
      container: container.current,
      moddleExtensions: { minflow: minflowModdle },
      additionalModules: [minflowModelingModule, lintModule],
      linting: { active: true, bpmnlint: minflowLintConfig(langStore.get()) },
    });
    modeler.current = m;
    m.on('selection.changed', (e: { newSelection: DiagramElement[] }) => setSelected(e.newSelection[0] ?? null));
    // bpmn-js-bpmnlint lints on import and on every change and shows the problems on the diagram; the
    // errors (what publishing refuses) are also listed under it, each selecting its element
    m.on('linting.completed', (e: { issues: LintIssues }) => {
      const canvas = m.get('canvas') as Canvas;
      const registry = m.get('elementRegistry') as ElementRegistry;
      const problems: LintProblem[] = Object.entries(e.issues).flatMap(([id, reports]) =>
        reports
          .filter((r) => r.category === 'error')
          .map((r) => ({ id, message: r.message, rule: r.rule, category: 'error' as const })),
      );
      for (const id of linted.current) if (registry.get(id)) canvas.removeMarker(id, LINT);
      linted.current = new Set(problems.map((p) => p.id).filter((id) => registry.get(id)));
      for (const id of linted.current) canvas.addMarker(id, LINT);
      setLint(problems);
    });
    m.on('elements.changed', () => setTick((t) => t + 1));
    m.on('commandStack.changed', () => callbacks.current.onChange());
    return () => {
      m.destroy();
      modeler.current = null;
    };
  }, []);

  // the lint messages speak the chosen language
  useEffect(() => {
    (modeler.current?.get('linting') as { setLinterConfig(c: unknown): void } | undefined)?.setLinterConfig(
      minflowLintConfig(lang),
    );
  }, [lang]);

  useEffect(() => {
    const m = modeler.current;
    if (!m) return;
    let cancelled = false;
    m.importXML(xml)
      .then(({ warnings }) => {
        if (cancelled) return;
        marked.current.clear();
        setSelected(null);
        fitCanvas(m.get('canvas') as Canvas, container.current);
        callbacks.current.onError(
          warnings.length
            ? translate(
                langStore.get(),
                '流程图导入时有 {n} 条警告：{w}',
                'The diagram imported with {n} warning(s): {w}',
                {
                  n: warnings.length,
                  w: String(warnings[0]),
                },
              )
            : null,
        );
      })
      .catch((err: Error) => {
        if (!cancelled)
          callbacks.current.onError(
            translate(langStore.get(), '流程图无法打开：{e}', 'The diagram cannot be opened: {e}', { e: err.message }),
          );
      });
    return () => {
      cancelled = true;
    };
  }, [xml]);

  useImperativeHandle(ref, () => ({
    async getXml() {
      const m = modeler.current;
      if (!m) throw new Error('modeler not ready');
      const { xml: out } = await m.saveXML({ format: true });
      return out ?? '';
    },
    showProblem(id: string) {
      const m = modeler.current;
      if (!m) return false;
      const el = (m.get('elementRegistry') as ElementRegistry).get(id);
      if (!el) return false;
      const canvas = m.get('canvas') as Canvas;
      canvas.addMarker(id, PROBLEM);
      marked.current.add(id);
      (m.get('selection') as { select(e: DiagramElement): void }).select(el);
      canvas.scrollToElement(el);
      return true;
    },
    clearProblems() {
      const m = modeler.current;
      if (!m) return;
      const canvas = m.get('canvas') as Canvas;
      const registry = m.get('elementRegistry') as ElementRegistry;
      for (const id of marked.current) if (registry.get(id)) canvas.removeMarker(id, PROBLEM);
      marked.current.clear();
    },
    fit() {
      const canvas = modeler.current?.get('canvas') as Canvas | undefined;
      if (canvas) fitCanvas(canvas, container.current);
    },
  }));

  const services = () => {
    const m = modeler.current as Modeler;
    return {
      modeling: m.get('modeling') as Modeling,
      factory: m.get('bpmnFactory') as { create(type: string, attrs: Record<string, unknown>): unknown },
    };
  };

  const selectById = (id: string) => {
    const m = modeler.current;
    const el = m && (m.get('elementRegistry') as ElementRegistry).get(id);
    if (!m || !el) return;
    (m.get('selection') as { select(e: DiagramElement): void }).select(el);
    (m.get('canvas') as Canvas).scrollToElement(el);
  };

  return (
    <div className="mf-flow">
      <div className="mf-canvas-wrap">
        <div className="mf-canvas" ref={container} data-testid="bpmn-canvas" />
        {lint.length > 0 && (
          <div className="mf-lint-list" data-testid="lint-list">
            <Typography.Text type="warning" strong>
              {t('发布前需处理 {n} 处：', 'To fix before publishing ({n}):', { n: lint.length })}
            </Typography.Text>
            {lint.slice(0, 6).map((p) => (
              <button
                type="button"
                key={`${p.id}:${p.message}`}
                className="mf-lint-item"
                onClick={() => selectById(p.id)}
              >
                {p.message}
              </button>
            ))}
          </div>
        )}
      </div>
      <aside className="mf-flow-panel" data-testid="flow-panel">
        {selected ? (
          <ElementPanel
            key={selected.id}
            element={selected}
            services={services}
            resultVariables={resultVariables(modeler.current)}
            {...props}
          />
        ) : (
          <Empty
            description={t(
              '在流程图上选择一个环节或连线，编辑它的属性',
              'Select a step or a flow on the diagram to edit its properties',
            )}
          />
        )}
      </aside>
    </div>
  );
});

/**
 * What the flow's steps leave for later conditions: `action` (the last decision), each user task's
 * result under its id (its task form's data), each service task's under its id, each script task's
 * under its result variable.
 */
function resultVariables(m: Modeler | null): FeelVariable[] {
  if (!m) return [];
  const vars: FeelVariable[] = [{ name: 'action', detail: 'approve | reject | return' }];
  for (const el of (m.get('elementRegistry') as ElementRegistry).getAll()) {
    const bo = el.businessObject;
    if (!bo || el.type === 'label') continue;
    const kind = typeLabel(bo.$type, langStore.get());
    if (bo.$type === 'bpmn:UserTask' || bo.$type === 'bpmn:ServiceTask')
      vars.push({ name: bo.id, detail: `${kind}${bo.name ? ` ${bo.name}` : ''}` });
    if (bo.$type === 'bpmn:ScriptTask') {
      const name = (bo.get('minflow:resultVariable') as string | undefined) || bo.id;
      vars.push({ name, detail: `${kind}${bo.name ? ` ${bo.name}` : ''}` });
    }
  }
  return vars;
}

function attr(el: DiagramElement, name: string): string {
  const v = el.businessObject.get(`minflow:${name}`);
  return typeof v === 'string' ? v : '';
}

/** Role options from the engine (GET /api/meta/roles); the chosen keys show as they are until it answers. */
function roleOptions(meta: EngineMeta | null, lang: 'zh-CN' | 'en') {
  if (!meta) return [];
  return meta.roles.map((r) => ({ value: r.key, label: localized(r.name, lang) }));
}

function ElementPanel({
  element,
  services,
  fields,
  taskForms,
  onEditTaskForm,
  resultVariables: results,
}: FlowModelerProps & {
  element: DiagramElement;
  resultVariables: FeelVariable[];
  services: () => { modeling: Modeling; factory: { create(type: string, attrs: Record<string, unknown>): unknown } };
}) {
  const bo = element.businessObject;
  const set = (name: string, value: unknown) =>
    services().modeling.updateProperties(element, { [`minflow:${name}`]: value === '' ? undefined : value });
  const isUser = bo.$type === 'bpmn:UserTask';
  const isService = bo.$type === 'bpmn:ServiceTask';
  const isScript = bo.$type === 'bpmn:ScriptTask';
  const isFlow = bo.$type === 'bpmn:SequenceFlow';
  const source = isFlow ? element.source : undefined;
  const fromGateway =
    source && ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'].includes(source.businessObject.$type);
  const isDefault = Boolean(source && source.businessObject.default?.id === bo.id);
  const days = dueDays(attr(element, 'due'));
  const meta = useEngineMeta();
  const { lang, t } = useI18n();
  const [newForm, setNewForm] = useState('');
  const roles = splitList(attr(element, 'roles'));
  // Levels the chosen roles may be held at (all levels when no role is chosen yet).
  const roleLevels = meta
    ? new Set(meta.roles.filter((r) => roles.includes(r.key)).flatMap((r) => r.levels))
    : new Set<string>();
  const levelOptions = LEVEL_OPTIONS.filter(
    (o) => (!meta || meta.levels.includes(o.value)) && (roleLevels.size === 0 || roleLevels.has(o.value)),
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the results are read once per selected element
  const variables = useMemo<FeelVariable[]>(
    () => [...fields.map((f) => ({ name: f.feel, detail: f.title })), ...results],
    [fields],
  );
  const handlerOptions = (meta?.handlers ?? []).map((h) => ({
    value: h.key,
    label: `${localized(h.title, lang)}（${h.key}，${h.plugin}）`,
  }));
  return (
    <Form layout="vertical" size="small" data-testid={`panel-${bo.id}`}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {typeLabel(bo.$type, lang)} <Typography.Text type="secondary">{bo.id}</Typography.Text>
      </Typography.Title>
      <Form.Item label={t('名称', 'Name')}>
        <Input
          aria-label={t('环节名称', 'Step name')}
          defaultValue={bo.name ?? ''}
          onBlur={(e) => {
            if (e.target.value !== (bo.name ?? '')) services().modeling.updateLabel(element, e.target.value);
          }}
        />
      </Form.Item>
      {isUser && (
        <>
          <Form.Item label={t('办理角色', 'Roles')} required>
            <Select
              aria-label={t('办理角色', 'Roles')}
              mode="multiple"
              options={roleOptions(meta, lang)}
              value={roles}
              onChange={(v: string[]) => set('roles', joinList(v))}
            />
          </Form.Item>
          <Form.Item label={t('办理层级', 'Level')} required>
            <Select
              aria-label={t('办理层级', 'Level')}
              options={levelOptions}
              value={attr(element, 'level') || undefined}
              onChange={(v: string) => set('level', v)}
            />
          </Form.Item>
          <Form.Item label={t('环节表单', 'Task form')}>
            <Select
              aria-label={t('环节表单', 'Task form')}
              allowClear
              placeholder={t('无（只填写意见）', 'None (a comment only)')}
              options={taskForms.map((k) => ({ value: k, label: k }))}
              value={attr(element, 'form') || undefined}
              onChange={(v?: string) => set('form', v ?? '')}
            />
            <Space.Compact block style={{ marginTop: 4 }}>
              {attr(element, 'form') && onEditTaskForm && (
                <Button onClick={() => onEditTaskForm(attr(element, 'form'))} data-testid="edit-task-form">
                  {t('编辑环节表单', 'Edit task form')}
                </Button>
              )}
            </Space.Compact>
            {onEditTaskForm && (
              <Space.Compact block style={{ marginTop: 4 }}>
                <Input
                  aria-label={t('新环节表单编号', 'New task form key')}
                  placeholder={t('新表单编号，如 townshipOpinion', 'new form key, e.g. townshipOpinion')}
                  value={newForm}
                  onChange={(e) => setNewForm(e.target.value.trim())}
                />
                <Button
                  disabled={!/^[a-z][a-zA-Z0-9-]*$/.test(newForm)}
                  onClick={() => {
                    set('form', newForm);
                    onEditTaskForm(newForm);
                    setNewForm('');
                  }}
                  data-testid="create-task-form"
                >
                  {t('新建', 'Create')}
                </Button>
              </Space.Compact>
            )}
          </Form.Item>
          <Form.Item label={t('可修改的申请字段', 'Application fields this step may change')}>
            <Select
              aria-label={t('可修改的申请字段', 'Application fields this step may change')}
              mode="multiple"
              options={fields.map((f) => ({ value: f.pointer, label: `${f.title}（${f.pointer}）` }))}
              value={splitList(attr(element, 'editable'))}
              onChange={(v: string[]) => set('editable', joinList(v))}
            />
          </Form.Item>
          <Space.Compact block>
            <Form.Item label={t('办理时限（天）', 'Time limit (days)')} style={{ flex: 1 }}>
              <InputNumber
                aria-label={t('办理时限', 'Time limit')}
                min={1}
                max={365}
                value={days ?? undefined}
                placeholder={attr(element, 'due') || t('不限', 'none')}
                onChange={(v) => set('due', typeof v === 'number' ? `P${v}D` : '')}
              />
            </Form.Item>
            <Form.Item label={t('计算方式', 'Counted in')} style={{ flex: 1 }}>
              <Select
                aria-label={t('计算方式', 'Counted in')}
                allowClear
                options={options(CALENDAR_OPTIONS, lang)}
                value={attr(element, 'calendar') || undefined}
                onChange={(v?: string) => set('calendar', v ?? '')}
              />
            </Form.Item>
          </Space.Compact>
          <Form.Item label={t('可用操作', 'Allowed actions')}>
            <Checkbox.Group
              options={options(ACTION_OPTIONS, lang)}
              value={splitList(attr(element, 'actions'))}
              onChange={(v) => set('actions', joinList(v as string[]))}
            />
          </Form.Item>
        </>
      )}
      {isService && (
        <>
          <Form.Item label={t('处理插件（handler）', 'Handler (plugin)')} required>
            <Select
              aria-label={t('处理插件', 'Handler')}
              showSearch
              options={handlerOptions}
              value={attr(element, 'handler') || undefined}
              notFoundContent={t('没有已安装的插件', 'No installed plugin')}
              onChange={(v: string) => set('handler', v)}
            />
          </Form.Item>
          <Form.Item label={t('失败重试次数', 'Attempts before an incident')}>
            <InputNumber
              min={0}
              max={20}
              value={attr(element, 'retries') ? Number(attr(element, 'retries')) : undefined}
              onChange={(v) => set('retries', typeof v === 'number' ? String(v) : '')}
            />
          </Form.Item>
        </>
      )}
      {isScript && (
        <>
          <Form.Item
            label={t('计算（FEEL 表达式）', 'Computation (FEEL)')}
            extra={t('例如：{ total: amount * 12 }', 'e.g. { total: amount * 12 }')}
          >
            <FeelEditor
              ariaLabel={t('计算表达式', 'Script')}
              value={(bo.script ?? '').replace(/^\s*=\s*/, '')}
              variables={variables}
              onCommit={(text) => {
                const body = normalizeFeel(text);
                services().modeling.updateProperties(element, {
                  script: body || undefined,
                  scriptFormat: body ? 'feel' : undefined,
                });
              }}
            />
          </Form.Item>
          <Form.Item label={t('结果变量', 'Result variable')}>
            <Input
              aria-label={t('结果变量', 'Result variable')}
              defaultValue={attr(element, 'resultVariable')}
              placeholder={bo.id}
              onBlur={(e) => {
                if (e.target.value.trim() !== attr(element, 'resultVariable'))
                  set('resultVariable', e.target.value.trim());
              }}
            />
          </Form.Item>
        </>
      )}
      {isFlow && fromGateway && (
        <>
          <Form.Item>
            <Checkbox
              checked={isDefault}
              onChange={(e) => {
                if (!source) return;
                services().modeling.updateProperties(source, { default: e.target.checked ? bo : undefined });
              }}
            >
              {t('默认路径（其他条件都不满足时走这条）', 'Default flow (taken when no condition holds)')}
            </Checkbox>
          </Form.Item>
          {!isDefault && (
            <ConditionEditor
              value={bo.conditionExpression?.body ?? ''}
              fields={fields}
              variables={variables}
              onChange={(text) => {
                const body = normalizeFeel(text);
                const { modeling, factory } = services();
                modeling.updateProperties(element, {
                  conditionExpression: body ? factory.create('bpmn:FormalExpression', { body }) : undefined,
                });
              }}
            />
          )}
        </>
      )}
    </Form>
  );
}

/** A FEEL condition in the FEEL editor: the form's fields and the steps' results are completed as you type. */
function ConditionEditor({
  value,
  fields,
  variables,
  onChange,
}: {
  value: string;
  fields: Array<{ feel: string; title: string }>;
  variables: FeelVariable[];
  onChange(text: string): void;
}) {
  const [text, setText] = useState(value.replace(/^\s*=\s*/, ''));
  const { t } = useI18n();
  return (
    <Form.Item
      label={t('条件（FEEL 表达式）', 'Condition (FEEL)')}
      extra={t('例如：amount > 2000，或 heatingType = "coal"', 'e.g. amount > 2000, or heatingType = "coal"')}
    >
      <FeelEditor
        ariaLabel={t('条件表达式', 'Condition')}
        value={text}
        variables={variables}
        onChange={setText}
        onCommit={onChange}
      />
      <div className="mf-field-tags">
        {fields.slice(0, 30).map((f) => (
          <Tag
            key={f.feel}
            style={{ cursor: 'pointer' }}
            onClick={() => {
              const next = `${text}${text && !text.endsWith(' ') ? ' ' : ''}${f.feel}`;
              setText(next);
              onChange(next);
            }}
          >
            {f.title}
          </Tag>
        ))}
      </div>
      {!text.trim() && (
        <Alert
          type="warning"
          showIcon
          message={t(
            '没有条件，也不是默认路径：发布时会被拒绝',
            'No condition and not the default flow: publishing will refuse it',
          )}
        />
      )}
    </Form.Item>
  );
}

function typeLabel(type: string, lang: 'zh-CN' | 'en'): string {
  const map: Record<string, [string, string]> = {
    'bpmn:UserTask': ['人工审批环节', 'User task'],
    'bpmn:ServiceTask': ['自动处理环节', 'Service task'],
    'bpmn:ScriptTask': ['计算环节', 'Script task'],
    'bpmn:SequenceFlow': ['连线', 'Sequence flow'],
    'bpmn:ExclusiveGateway': ['排他网关', 'Exclusive gateway'],
    'bpmn:ParallelGateway': ['并行网关', 'Parallel gateway'],
    'bpmn:InclusiveGateway': ['包容网关', 'Inclusive gateway'],
    'bpmn:StartEvent': ['开始', 'Start'],
    'bpmn:EndEvent': ['结束', 'End'],
    'bpmn:Process': ['流程', 'Process'],
  };
  const pair = map[type];
  return pair ? (lang === 'en' ? pair[1] : pair[0]) : type.replace('bpmn:', '');
}

import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import minflowModdle from '@minflow/sdk/minflow-moddle.json';
import { Alert, AutoComplete, Checkbox, Empty, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import Modeler from 'bpmn-js/lib/Modeler';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { ACTION_OPTIONS, CALENDAR_OPTIONS, LEVEL_OPTIONS, ROLE_OPTIONS } from '../labels';
import { dueDays, joinList, normalizeFeel, splitList } from './attrs';
import { type LintBo, type LintProblem, lintProcess } from './lint';
import { minflowModelingModule } from './minflow-modeling';

/** The slice of bpmn-js's element and services this panel uses. */
interface BusinessObject {
  id: string;
  $type: string;
  name?: string;
  default?: BusinessObject;
  sourceRef?: BusinessObject;
  conditionExpression?: { body?: string };
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
}
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
  const linted = useRef<Set<string>>(new Set());
  const callbacks = useRef({ onChange, onError });
  callbacks.current = { onChange, onError };

  useEffect(() => {
    if (!container.current) return;
    const m = new Modeler({
      container: container.current,
      moddleExtensions: { minflow: minflowModdle },
      additionalModules: [minflowModelingModule],
    });
    modeler.current = m;
    m.on('selection.changed', (e: { newSelection: DiagramElement[] }) => setSelected(e.newSelection[0] ?? null));
    const relint = () => {
      const canvas = m.get('canvas') as Canvas & { getRootElement(): DiagramElement };
      const registry = m.get('elementRegistry') as ElementRegistry;
      const rootBo = canvas.getRootElement()?.businessObject as unknown as LintBo | undefined;
      const problems = rootBo?.$type === 'bpmn:Process' ? lintProcess(rootBo) : [];
      for (const id of linted.current) if (registry.get(id)) canvas.removeMarker(id, LINT);
      linted.current = new Set(problems.map((p) => p.id).filter((id) => registry.get(id)));
      for (const id of linted.current) canvas.addMarker(id, LINT);
      setLint(problems);
    };
    m.on('elements.changed', () => {
      setTick((t) => t + 1);
      relint();
    });
    m.on('import.done', relint);
    m.on('commandStack.changed', () => callbacks.current.onChange());
    return () => {
      m.destroy();
      modeler.current = null;
    };
  }, []);

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
          warnings.length ? `流程图导入时有 ${warnings.length} 条警告：${String(warnings[0])}` : null,
        );
      })
      .catch((err: Error) => {
        if (!cancelled) callbacks.current.onError(`流程图无法打开：${err.message}`);
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
              发布前需处理 {lint.length} 处：
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
          <ElementPanel key={selected.id} element={selected} services={services} {...props} />
        ) : (
          <Empty description="在流程图上选择一个环节或连线，编辑它的属性" />
        )}
      </aside>
    </div>
  );
});

function attr(el: DiagramElement, name: string): string {
  const v = el.businessObject.get(`minflow:${name}`);
  return typeof v === 'string' ? v : '';
}

function ElementPanel({
  element,
  services,
  fields,
  taskForms,
}: FlowModelerProps & {
  element: DiagramElement;
  services: () => { modeling: Modeling; factory: { create(type: string, attrs: Record<string, unknown>): unknown } };
}) {
  const bo = element.businessObject;
  const set = (name: string, value: unknown) =>
    services().modeling.updateProperties(element, { [`minflow:${name}`]: value === '' ? undefined : value });
  const isUser = bo.$type === 'bpmn:UserTask';
  const isService = bo.$type === 'bpmn:ServiceTask';
  const isFlow = bo.$type === 'bpmn:SequenceFlow';
  const source = isFlow ? element.source : undefined;
  const fromGateway =
    source && ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'].includes(source.businessObject.$type);
  const isDefault = Boolean(source && source.businessObject.default?.id === bo.id);
  const days = dueDays(attr(element, 'due'));
  return (
    <Form layout="vertical" size="small" data-testid={`panel-${bo.id}`}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {typeLabel(bo.$type)} <Typography.Text type="secondary">{bo.id}</Typography.Text>
      </Typography.Title>
      <Form.Item label="名称">
        <Input
          aria-label="环节名称"
          defaultValue={bo.name ?? ''}
          onBlur={(e) => {
            if (e.target.value !== (bo.name ?? '')) services().modeling.updateLabel(element, e.target.value);
          }}
        />
      </Form.Item>
      {isUser && (
        <>
          <Form.Item label="办理角色" required>
            <Select
              aria-label="办理角色"
              mode="multiple"
              options={ROLE_OPTIONS}
              value={splitList(attr(element, 'roles'))}
              onChange={(v: string[]) => set('roles', joinList(v))}
            />
          </Form.Item>
          <Form.Item label="办理层级" required>
            <Select
              aria-label="办理层级"
              options={LEVEL_OPTIONS}
              value={attr(element, 'level') || undefined}
              onChange={(v: string) => set('level', v)}
            />
          </Form.Item>
          <Form.Item label="环节表单">
            <Select
              aria-label="环节表单"
              allowClear
              placeholder="无（只填写意见）"
              options={taskForms.map((k) => ({ value: k, label: k }))}
              value={attr(element, 'form') || undefined}
              onChange={(v?: string) => set('form', v ?? '')}
            />
          </Form.Item>
          <Form.Item label="可修改的申请字段">
            <Select
              aria-label="可修改的申请字段"
              mode="multiple"
              options={fields.map((f) => ({ value: f.pointer, label: `${f.title}（${f.pointer}）` }))}
              value={splitList(attr(element, 'editable'))}
              onChange={(v: string[]) => set('editable', joinList(v))}
            />
          </Form.Item>
          <Space.Compact block>
            <Form.Item label="办理时限（天）" style={{ flex: 1 }}>
              <InputNumber
                aria-label="办理时限"
                min={1}
                max={365}
                value={days ?? undefined}
                placeholder={attr(element, 'due') || '不限'}
                onChange={(v) => set('due', typeof v === 'number' ? `P${v}D` : '')}
              />
            </Form.Item>
            <Form.Item label="计算方式" style={{ flex: 1 }}>
              <Select
                aria-label="计算方式"
                allowClear
                options={CALENDAR_OPTIONS}
                value={attr(element, 'calendar') || undefined}
                onChange={(v?: string) => set('calendar', v ?? '')}
              />
            </Form.Item>
          </Space.Compact>
          <Form.Item label="可用操作">
            <Checkbox.Group
              options={ACTION_OPTIONS}
              value={splitList(attr(element, 'actions'))}
              onChange={(v) => set('actions', joinList(v as string[]))}
            />
          </Form.Item>
        </>
      )}
      {isService && (
        <>
          <Form.Item label="处理插件（handler）" required>
            <Input
              aria-label="处理插件"
              defaultValue={attr(element, 'handler')}
              onBlur={(e) => set('handler', e.target.value.trim())}
            />
          </Form.Item>
          <Form.Item label="失败重试次数">
            <InputNumber
              min={0}
              max={20}
              value={attr(element, 'retries') ? Number(attr(element, 'retries')) : undefined}
              onChange={(v) => set('retries', typeof v === 'number' ? String(v) : '')}
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
              默认路径（其他条件都不满足时走这条）
            </Checkbox>
          </Form.Item>
          {!isDefault && (
            <ConditionEditor
              value={bo.conditionExpression?.body ?? ''}
              fields={fields}
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

/** A FEEL condition with the form's field names offered as you type and as tags to insert. */
function ConditionEditor({
  value,
  fields,
  onChange,
}: {
  value: string;
  fields: Array<{ feel: string; title: string }>;
  onChange(text: string): void;
}) {
  const [text, setText] = useState(value.replace(/^=\s*/, ''));
  const lastWord = /([A-Za-z_][\w.]*)$/.exec(text)?.[1] ?? '';
  const options = fields
    .filter((f) => lastWord && f.feel.startsWith(lastWord) && f.feel !== lastWord)
    .map((f) => ({ value: text.slice(0, text.length - lastWord.length) + f.feel, label: `${f.feel}（${f.title}）` }));
  return (
    <Form.Item label="条件（FEEL 表达式）" extra="例如：amount > 2000，或 heatingType = &quot;coal&quot;">
      <AutoComplete
        value={text}
        options={options}
        onChange={(v: string) => setText(v)}
        onBlur={() => onChange(text)}
        onSelect={(v: string) => {
          setText(v);
          onChange(v);
        }}
      >
        <Input.TextArea aria-label="条件表达式" autoSize={{ minRows: 2 }} spellCheck={false} />
      </AutoComplete>
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
      {!text.trim() && <Alert type="warning" showIcon message="没有条件，也不是默认路径：发布时会被拒绝" />}
    </Form.Item>
  );
}

function typeLabel(type: string): string {
  const map: Record<string, string> = {
    'bpmn:UserTask': '人工审批环节',
    'bpmn:ServiceTask': '自动处理环节',
    'bpmn:ScriptTask': '计算环节',
    'bpmn:SequenceFlow': '连线',
    'bpmn:ExclusiveGateway': '排他网关',
    'bpmn:ParallelGateway': '并行网关',
    'bpmn:InclusiveGateway': '包容网关',
    'bpmn:StartEvent': '开始',
    'bpmn:EndEvent': '结束',
    'bpmn:Process': '流程',
  };
  return map[type] ?? type.replace('bpmn:', '');
}

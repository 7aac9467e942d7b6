import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import '@bpmn-io/properties-panel/assets/properties-panel.css';
import './lint.css';
import minflowModdle from '@minflow/sdk/minflow-moddle.json';
import { Typography } from 'antd';
import Modeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { langStore, translate, useI18n } from '../i18n';
import { useEngineMeta } from '../meta';
import { type LintProblem, minflowLintConfig } from './lint';
import { minflowModelingModule } from './minflow-modeling';
import { type MinflowPanelContext, minflowPropertiesModule } from './minflow-properties';

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

/** Renders the properties panel again (its providers read the context and the language at each render). */
function refreshPanel(m: Modeler | null): void {
  (m?.get('eventBus') as { fire(event: string): void } | undefined)?.fire('propertiesPanel.providersChanged');
}

/** Fits the diagram to the canvas; a canvas in a hidden tab has no size yet and is fitted when shown. */
function fitCanvas(canvas: Canvas, el: HTMLElement | null): void {
  if (!el || el.clientWidth === 0 || el.clientHeight === 0) return;
  canvas.resized();
  canvas.zoom('fit-viewport');
}

export const FlowModeler = forwardRef<FlowModelerHandle, FlowModelerProps>(function FlowModeler(props, ref) {
  const { xml, onChange, onError } = props;
  const container = useRef<HTMLDivElement>(null);
  const panelParent = useRef<HTMLDivElement>(null);
  const meta = useEngineMeta();
  // what the properties panel's pick lists offer (read by minflow-properties.ts at each render)
  const panelContext = useRef<MinflowPanelContext>({
    fields: props.fields,
    taskForms: props.taskForms,
    onEditTaskForm: props.onEditTaskForm,
    meta,
  });
  const modeler = useRef<Modeler | null>(null);
  const marked = useRef<Set<string>>(new Set());
  const [selected, setSelected] = useState<DiagramElement | null>(null);
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
      additionalModules: [
        minflowModelingModule,
        lintModule,
        BpmnPropertiesPanelModule,
        BpmnPropertiesProviderModule,
        minflowPropertiesModule(panelContext),
      ],
      linting: { active: true, bpmnlint: minflowLintConfig(langStore.get()) },
      propertiesPanel: {
        parent: panelParent.current,
        layout: { groups: { general: { open: true }, message: { open: true }, documentation: { open: false } } },
      },
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
    m.on('commandStack.changed', () => callbacks.current.onChange());
    return () => {
      m.destroy();
      modeler.current = null;
    };
  }, []);

  // the lint messages and the properties panel speak the chosen language
  useEffect(() => {
    (modeler.current?.get('linting') as { setLinterConfig(c: unknown): void } | undefined)?.setLinterConfig(
      minflowLintConfig(lang),
    );
    refreshPanel(modeler.current);
  }, [lang]);

  // the panel's pick lists follow the form's fields, the task forms and the engine's roles and handlers
  const { fields, taskForms, onEditTaskForm } = props;
  const offered = JSON.stringify([fields, taskForms, Boolean(meta)]);
  const editTaskForm = useRef(onEditTaskForm);
  editTaskForm.current = onEditTaskForm;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `offered` stands for fields, taskForms and meta
  useEffect(() => {
    panelContext.current = {
      fields,
      taskForms,
      onEditTaskForm: onEditTaskForm ? (key) => editTaskForm.current?.(key) : undefined,
      meta,
    };
    refreshPanel(modeler.current);
  }, [offered]);

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
        {!selected && (
          <Typography.Paragraph type="secondary" className="mf-flow-panel-hint">
            {t(
              '在流程图上选择一个环节或连线，编辑它的属性',
              'Select a step or a flow on the diagram to edit its properties',
            )}
          </Typography.Paragraph>
        )}
        <div
          className="mf-properties"
          ref={panelParent}
          data-testid={selected ? `panel-${selected.id}` : 'panel-process'}
        />
      </aside>
    </div>
  );
});

import { PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { formStringTranslator } from '@minflow/sdk/rjsf-translate';
import Form from '@rjsf/antd';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { Alert, Button, Card, Empty, Input, List, Select, Space, Tag, Typography } from 'antd';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ApiError,
  type JsonObject,
  request,
  type SimulateDecision,
  type SimulateMessage,
  type SimulateMessageOffer,
  type SimulateOpenTask,
  type SimulateRequest,
  type SimulateResult,
} from '../api';
import type { FormState } from '../form/model';
import { previewValidator } from '../form/validator';
import { type Lang, type T, useI18n } from '../i18n';
import { ACTION_OPTIONS, labelOf } from '../labels';
import { parsePayload } from './message-payload';
import { serviceTasks } from './service-tasks';

const PATH = 'mf-sim-path';
const CURRENT = 'mf-sim-current';

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  zoom(level: string): void;
  resized(): void;
}
interface Registry {
  get(id: string): unknown;
}

function actionLabel(lang: Lang, action: string): string {
  return labelOf(ACTION_OPTIONS, action, lang);
}

function stopText(t: T, r: SimulateResult): string {
  switch (r.stoppedBecause) {
    case 'completed':
      return t('流程已走完（办结）', 'The flow ran to its end (completed)');
    case 'ended':
      return t('流程结束：{s}', 'The flow ended: {s}', { s: r.status });
    case 'waiting-task':
      return t('停在待办环节，请选择这一步的操作', 'Stopped at a user task: choose the action for this step');
    case 'incident':
      return t('流程出错停止（见下方）', 'Stopped by an error (see below)');
    case 'max-steps':
      return t('步数达到上限，可能有循环', 'Step limit reached: the flow may loop');
    default:
      return t('流程在等待消息或外部事件', 'The flow waits for a message or an outside event');
  }
}

/**
 * A dry run of the saved draft through the engine (POST …/simulate): sample data from a form like
 * the applicant's, an action chosen at each user task step by step, messages sent on demand; the
 * path taken is highlighted on the diagram. Nothing is stored.
 */
export function SimulatePanel({
  itemKey,
  form,
  xml,
  ensureSaved,
}: {
  itemKey: string;
  form: FormState;
  /** The saved draft's BPMN (what the engine simulates). */
  xml: string;
  /** Saves the editor's changes first; false when saving was refused. */
  ensureSaved(): Promise<boolean>;
}) {
  const { t, lang } = useI18n();
  const [data, setData] = useState<JsonObject>({});
  // One decision per visit, always as objects: the API reads a one-element list of a bare action
  // name as that action for every visit.
  const [decisions, setDecisions] = useState<Record<string, SimulateDecision[]>>({});
  const [messages, setMessages] = useState<SimulateMessage[]>([]);
  const [jobResults, setJobResults] = useState<Record<string, string>>({});
  const services = useMemo(() => serviceTasks(xml), [xml]);
  const [result, setResult] = useState<SimulateResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const marked = useRef<string[]>([]);
  const translateString = useMemo(() => formStringTranslator(lang), [lang]);

  useEffect(() => {
    if (!container.current) return;
    const v = new NavigatedViewer({ container: container.current });
    viewer.current = v;
    return () => {
      v.destroy();
      viewer.current = null;
    };
  }, []);

  useEffect(() => {
    const v = viewer.current;
    if (!v || !xml) return;
    v.importXML(xml)
      .then(() => {
        marked.current = [];
        const canvas = v.get('canvas') as Canvas;
        canvas.resized();
        canvas.zoom('fit-viewport');
      })
      .catch((err: Error) => setError(err.message));
  }, [xml]);

  // The path taken and the steps waiting, as markers on the diagram.
  useEffect(() => {
    const v = viewer.current;
    if (!v) return;
    const canvas = v.get('canvas') as Canvas;
    const registry = v.get('elementRegistry') as Registry;
    for (const id of marked.current) {
      if (!registry.get(id)) continue;
      canvas.removeMarker(id, PATH);
      canvas.removeMarker(id, CURRENT);
    }
    marked.current = [];
    if (!result) return;
    for (const id of [...result.visited, ...result.flows]) {
      if (registry.get(id)) {
        canvas.addMarker(id, PATH);
        marked.current.push(id);
      }
    }
    for (const id of [...result.openTasks.map((x) => x.elementId), ...result.waitingFor.map((x) => x.elementId)]) {
      if (registry.get(id)) {
        canvas.addMarker(id, CURRENT);
        marked.current.push(id);
      }
    }
  }, [result]);

  const run = async (next: { decisions: Record<string, SimulateDecision[]>; messages: SimulateMessage[] }) => {
    setBusy(true);
    setError(null);
    try {
      if (!(await ensureSaved())) return;
      const results: Record<string, JsonObject> = {};
      for (const s of services) {
        const text = jobResults[s.id]?.trim();
        if (!text) continue;
        try {
          const v = JSON.parse(text) as unknown;
          if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('object');
          results[s.id] = v as JsonObject;
        } catch {
          setError(
            t('“{n}”的模拟结果须为 JSON 对象', 'The result of "{n}" must be a JSON object', { n: s.name ?? s.id }),
          );
          return;
        }
      }
      const body: SimulateRequest = { data, ...next, jobResults: results };
      const r = await request<SimulateResult>(`/api/definitions/${encodeURIComponent(itemKey)}/simulate`, { body });
      setDecisions(next.decisions);
      setMessages(next.messages);
      setResult(r);
    } catch (err) {
      setError(
        err instanceof ApiError && err.details.length
          ? `${err.message}：${err.details.map((d) => `${d.path} ${d.message}`).join('；')}`
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  const decide = (elementId: string, action: string, target?: string) =>
    run({
      decisions: {
        ...decisions,
        [elementId]: [...(decisions[elementId] ?? []), target ? { action, target } : { action }],
      },
      messages,
    });
  // Replayed: the message goes in as soon as the flow waits for it after the decisions taken then.
  const send = (offer: SimulateMessageOffer, payload: JsonObject) =>
    run({ decisions, messages: [...messages, { name: offer.message, payload, afterDecisions: offer.afterDecisions }] });

  return (
    <div className="mf-simulate" data-testid="simulate-panel">
      <Card size="small" title={t('样例申请数据', 'Sample application')} className="mf-sim-data">
        <Form
          schema={form.schema as RJSFSchema}
          uiSchema={{ ...(form.uiSchema as UiSchema), 'ui:submitButtonOptions': { norender: true } }}
          validator={previewValidator()}
          translateString={translateString}
          // ids of its own: the form builder's preview (same fields) stays in the page
          idPrefix="sim"
          formData={data}
          onChange={(e) => setData((e.formData ?? {}) as JsonObject)}
          showErrorList={false}
          noHtml5Validate
        />
        {services.length > 0 && (
          <div className="mf-sim-jobs" data-testid="simulate-job-results">
            <Typography.Text strong>{t('自动处理环节的模拟结果', 'Results of the service tasks')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
              {t(
                '模拟时不调用插件，按这里填写的 JSON 结果继续（留空为 {}）。',
                'Plugins are not called in a dry run: the flow goes on with the JSON result given here (empty = {}).',
              )}
            </Typography.Paragraph>
            {services.map((s) => (
              <Input.TextArea
                key={s.id}
                aria-label={t('{n} 的模拟结果', 'Result of {n}', { n: s.name ?? s.id })}
                placeholder={`${s.name ?? s.id}: { "eligible": true }`}
                autoSize={{ minRows: 1, maxRows: 4 }}
                spellCheck={false}
                value={jobResults[s.id] ?? ''}
                onChange={(e) => setJobResults({ ...jobResults, [s.id]: e.target.value })}
                style={{ marginTop: 4, fontFamily: 'monospace' }}
              />
            ))}
          </div>
        )}
        <Space>
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={busy}
            onClick={() => run({ decisions: {}, messages: [] })}
            data-testid="simulate-start"
          >
            {t('开始模拟', 'Start simulation')}
          </Button>
          {result && (
            <Button icon={<ReloadOutlined />} onClick={() => setResult(null)}>
              {t('清除结果', 'Clear')}
            </Button>
          )}
        </Space>
      </Card>
      <div className="mf-sim-main">
        <div className="mf-sim-canvas" ref={container} data-testid="simulate-canvas" />
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
        {!result ? (
          <Empty
            style={{ marginTop: 16 }}
            description={t(
              '填写样例数据后点击“开始模拟”：流程在引擎中试运行，不会产生案件。',
              'Fill in sample data and start: the flow runs in the engine without creating a case.',
            )}
          />
        ) : (
          <SimulateResultView result={result} busy={busy} onDecide={decide} onSend={send} />
        )}
      </div>
    </div>
  );
}

function SimulateResultView({
  result,
  busy,
  onDecide,
  onSend,
}: {
  result: SimulateResult;
  busy: boolean;
  onDecide(elementId: string, action: string, target?: string): void;
  onSend(offer: SimulateMessageOffer, payload: JsonObject): void;
}) {
  const { t, lang } = useI18n();
  const ok = result.stoppedBecause === 'completed';
  const names = new Map(result.steps.map((s) => [s.elementId, s.name ?? s.elementId]));
  return (
    <div data-testid="simulate-result" data-stopped={result.stoppedBecause}>
      <Alert
        style={{ marginTop: 8 }}
        type={ok ? 'success' : result.stoppedBecause === 'incident' ? 'error' : 'info'}
        showIcon
        message={stopText(t, result)}
        data-testid="simulate-status"
      />
      {result.dataProblems.length > 0 && (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          showIcon
          message={t('样例数据不符合表单要求（模拟仍然继续）', 'The sample data fails the form (the run goes on)')}
          description={result.dataProblems.map((p) => `${p.path} ${p.message}`).join('；')}
        />
      )}
      {result.openTasks.map((task) => (
        <TaskCard
          // a new card (return form closed) for every run
          key={`${task.elementId}:${task.kind}:${result.steps.length}`}
          task={task}
          busy={busy}
          onDecide={onDecide}
        />
      ))}
      {result.status === 'active' && result.messageOffers.length > 0 && (
        <MessageSender key={result.steps.length} offers={result.messageOffers} busy={busy} onSend={onSend} />
      )}
      {result.incidents.map((i) => (
        <Alert key={i.elementId} type="error" style={{ marginTop: 8 }} message={`${i.elementId}: ${i.message}`} />
      ))}
      <List
        size="small"
        style={{ marginTop: 8 }}
        header={<Typography.Text strong>{t('经过的环节', 'Path taken')}</Typography.Text>}
        dataSource={result.steps.filter((s) => s.kind !== 'enter' || !['sequenceFlow'].includes(s.type))}
        data-testid="simulate-steps"
        renderItem={(s) => (
          <List.Item>
            <Space wrap>
              <Tag>{s.seq}</Tag>
              <span>{s.name ?? s.elementId}</span>
              <Typography.Text type="secondary">{s.elementId}</Typography.Text>
              {s.kind === 'decide' && <Tag color="blue">{actionLabel(lang, s.action ?? '')}</Tag>}
              {s.kind === 'decide' && s.target && (
                <Tag color="orange" data-testid="sim-step-return-target">
                  {s.target === 'applicant'
                    ? t('退回申请人补正', 'back to the applicant')
                    : t('退回至 {n}', 'back to {n}', { n: names.get(s.target) ?? s.target })}
                </Tag>
              )}
              {s.kind === 'timer' && <Tag color="purple">{t('定时器触发', 'timer fired')}</Tag>}
              {s.kind === 'message' && (
                <Tag color="purple">{t('收到消息 {m}', 'message {m} received', { m: s.message ?? '' })}</Tag>
              )}
              {s.kind === 'job' && <Tag color="cyan">{t('自动处理（模拟结果）', 'service task (stub result)')}</Tag>}
            </Space>
          </List.Item>
        )}
      />
      <Card size="small" style={{ marginTop: 8 }} title={t('流程变量', 'Variables')}>
        <pre className="mf-sim-vars" data-testid="simulate-variables">
          {JSON.stringify(result.variables, null, 2)}
        </pre>
      </Card>
    </div>
  );
}

const APPLICANT = 'applicant';

/** The step the run stopped at: 通过 / 不予通过 / 退回 (退回 asks where to: an earlier step or the applicant). */
function TaskCard({
  task,
  busy,
  onDecide,
}: {
  task: SimulateOpenTask;
  busy: boolean;
  onDecide(elementId: string, action: string, target?: string): void;
}) {
  const { t, lang } = useI18n();
  const [returning, setReturning] = useState(false);
  const [target, setTarget] = useState<string>(task.returnTargets[0]?.elementId ?? APPLICANT);
  const correction = task.kind === 'correction';
  const id = task.elementId;
  const targets = [
    ...task.returnTargets.map((r, i) => ({
      value: r.elementId,
      label:
        i === 0 ? t('{n}（上一步）', '{n} (previous step)', { n: r.name ?? r.elementId }) : (r.name ?? r.elementId),
    })),
    { value: APPLICANT, label: t('申请人（补正材料）', 'The applicant (to correct the application)') },
  ];
  return (
    <Card
      size="small"
      style={{ marginTop: 8 }}
      title={
        correction
          ? t('当前环节：{n}（申请人）', 'Current step: {n} (the applicant)', { n: task.name ?? id })
          : t('当前环节：{n}', 'Current step: {n}', { n: task.name ?? id })
      }
      data-testid={`sim-task-${id}`}
      data-kind={task.kind}
    >
      <Space wrap>
        {task.actions
          .filter((a) => ['approve', 'reject', 'return'].includes(a))
          .map((a) => (
            <Button
              key={a}
              disabled={busy}
              danger={a === 'reject'}
              type={a === 'approve' || (a === 'return' && returning) ? 'primary' : 'default'}
              onClick={() => (a === 'return' ? setReturning(!returning) : onDecide(id, a))}
              data-testid={`sim-${id}-${a}`}
            >
              {correction && a === 'approve' ? t('提交补正', 'Resubmit') : actionLabel(lang, a)}
            </Button>
          ))}
      </Space>
      {returning && (
        <div style={{ marginTop: 8 }} data-testid={`sim-${id}-return-form`}>
          <Space wrap>
            <span>{t('退回到', 'Return to')}</span>
            <Select
              style={{ minWidth: 240 }}
              value={target}
              options={targets}
              onChange={setTarget}
              aria-label={t('退回到', 'Return to')}
              data-testid={`sim-${id}-return-target`}
            />
            <Button
              type="primary"
              disabled={busy}
              onClick={() => onDecide(id, 'return', target)}
              data-testid={`sim-${id}-return-confirm`}
            >
              {t('确认退回', 'Return')}
            </Button>
          </Space>
        </div>
      )}
    </Card>
  );
}

/**
 * The messages the flow waits for (or waited for until a timer passed, e.g. an objection during
 * 公示): pick one, write its payload as a JSON object (as `POST /api/cases/:id/messages/:name` takes
 * it) and send it; the run is repeated with the message delivered there.
 */
function MessageSender({
  offers,
  busy,
  onSend,
}: {
  offers: SimulateMessageOffer[];
  busy: boolean;
  onSend(offer: SimulateMessageOffer, payload: JsonObject): void;
}) {
  const { t } = useI18n();
  const keyOf = (o: SimulateMessageOffer) => `${o.elementId}:${o.message}:${o.afterDecisions}`;
  const sorted = [...offers.filter((o) => o.waiting), ...offers.filter((o) => !o.waiting)];
  const [selected, setSelected] = useState<string>(keyOf(sorted[0]!));
  const [text, setText] = useState('{}');
  const offer = sorted.find((o) => keyOf(o) === selected) ?? sorted[0]!;
  const parsed = parsePayload(t, text);
  const problem = 'problem' in parsed ? parsed.problem : null;
  return (
    <Card
      size="small"
      style={{ marginTop: 8 }}
      title={t('发送消息', 'Send a message')}
      data-testid="sim-message"
      data-waiting={offers.some((o) => o.waiting) ? 'true' : 'false'}
    >
      <Space vertical style={{ width: '100%' }}>
        <Select
          style={{ minWidth: 280 }}
          value={keyOf(offer)}
          onChange={setSelected}
          aria-label={t('消息', 'Message')}
          data-testid="sim-message-select"
          options={sorted.map((o) => ({
            value: keyOf(o),
            label: `${o.message} · ${o.name ?? o.elementId}${
              o.waiting ? ` ${t('（等待中）', '(waiting)')}` : ` ${t('（已由定时器越过）', '(passed by a timer)')}`
            }`,
          }))}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {offer.waiting
            ? t('流程正在等待此消息。', 'The flow waits for this message.')
            : t(
                '流程曾等待此消息（如公示期间的异议），未收到时定时器已触发；发送后从那里重新模拟。',
                'The flow waited for it (e.g. an objection during 公示) and a timer passed it; sending it runs again from there.',
              )}
          {t(
            '内容存为变量 {v}，之后的条件可用，如 {v}.reason。',
            'Its payload is stored as {v} for the conditions after it, e.g. {v}.reason.',
            {
              v: offer.elementId,
            },
          )}
        </Typography.Text>
        <Input.TextArea
          aria-label={t('消息内容（JSON 对象）', 'Payload (a JSON object)')}
          data-testid="sim-message-payload"
          autoSize={{ minRows: 2, maxRows: 8 }}
          spellCheck={false}
          value={text}
          status={problem ? 'error' : undefined}
          onChange={(e) => setText(e.target.value)}
          style={{ fontFamily: 'monospace' }}
        />
        {problem && (
          <Typography.Text type="danger" data-testid="sim-message-error">
            {problem}
          </Typography.Text>
        )}
        <Button
          disabled={busy || !!problem}
          onClick={() => 'payload' in parsed && onSend(offer, parsed.payload)}
          data-testid="sim-message-send"
        >
          {t('发送 {m}', 'Send {m}', { m: offer.message })}
        </Button>
      </Space>
    </Card>
  );
}

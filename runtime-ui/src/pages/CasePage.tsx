import { ArrowLeftOutlined, CheckCircleTwoTone, PrinterOutlined } from '@ant-design/icons';
import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import { formStringTranslator } from '@minflow/sdk/rjsf-translate';
import Form from '@rjsf/antd';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { Alert, Button, Card, Col, Collapse, Descriptions, Result, Row, Space, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { ApprovalAction, CaseDetail, ItemDetail } from '../api/types';
import { localized } from '../api/types';
import { FORM_FIELDS, markAttachmentFields } from '../attachments';
import { AttachmentsCard } from '../attachments/AttachmentsCard';
import { useUser } from '../auth/AuthProvider';
import { actionLabel, CaseTimeline } from '../cases/CaseTimeline';
import { ComputedCard } from '../cases/ComputedCard';
import { containsMasked, diagramMarkers, editableFields, type FlowInfo, flowInfo } from '../cases/logic';
import { TaskPanel } from '../cases/TaskPanel';
import { fmtTime, StatusTag } from '../cases/ui';
import { NO_GUESSED_DEFAULTS } from '../forms/defaults';
import { FieldTemplate } from '../forms/FieldTemplate';
import { formValidator } from '../forms/validator';
import { useI18n } from '../i18n/I18nProvider';
import { PageLoading } from '../layout/PageLoading';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';
import '../forms/forms.css';
import './case.css';

// bpmn-js is big: its chunk is fetched only when the diagram is on screen.
const BpmnDiagram = lazy(() => import('../cases/BpmnDiagram'));

const FORM_CONTEXT = { labelAlign: 'left', colon: false } as const;
const TEMPLATES = { FieldTemplate };

/** The case's own form, filled and read-only (the published version the case started on). */
function ReadonlyCaseForm({ caseDoc, item, omit = [] }: { caseDoc: CaseDetail; item: ItemDetail; omit?: string[] }) {
  const { t, lang } = useI18n();
  // Optional parts the applicant left out (代理人 when nobody applied for them) are not shown as empty
  // boxes with made-up defaults: the form shows what was filed.
  const schema = useMemo<RJSFSchema>(() => {
    const full = item.formSchema as RJSFSchema;
    const required = Array.isArray(full.required) ? full.required : [];
    const props = (full.properties ?? {}) as Record<string, unknown>;
    // A part hidden by masking (null) is left out too; the notice above the form says why.
    // Fields the open task lets the person change are shown once, in the editable part below.
    const kept = Object.keys(props).filter(
      (k) => !omit.includes(k) && (k in caseDoc.data ? caseDoc.data[k] !== null : required.includes(k)),
    );
    return { ...full, properties: Object.fromEntries(kept.map((k) => [k, props[k]])) } as RJSFSchema;
  }, [item.formSchema, caseDoc.data, omit]);
  const uiSchema = useMemo<UiSchema>(() => {
    const ui = localizeUiSchema((item.uiSchema ?? {}) as UiSchema, item.formSchema, lang);
    const given = { ...markAttachmentFields(schema, ui) };
    if (Array.isArray(given['ui:order'])) {
      const props = schema.properties ?? {};
      given['ui:order'] = (given['ui:order'] as string[]).filter((k) => k === '*' || k in props);
    }
    const options = (given['ui:options'] ?? {}) as Record<string, unknown>;
    return { ...given, 'ui:submitButtonOptions': { norender: true }, 'ui:options': { label: false, ...options } };
  }, [item.uiSchema, item.formSchema, schema, lang]);
  const validator = useMemo(() => formValidator(schema, lang), [schema, lang]);
  return (
    <Card title={t('case.data')} className="mf-card mf-readonly-form mf-rjsf" data-testid="case-data">
      {containsMasked(caseDoc.data) && (
        <Alert type="info" showIcon title={t('case.masked')} style={{ marginBottom: 12 }} />
      )}
      <Form
        schema={schema}
        uiSchema={uiSchema}
        validator={validator}
        formData={caseDoc.data}
        formContext={FORM_CONTEXT}
        templates={TEMPLATES}
        fields={FORM_FIELDS}
        translateString={formStringTranslator(lang)}
        idPrefix="case"
        experimental_defaultFormStateBehavior={NO_GUESSED_DEFAULTS}
        readonly
        showErrorList={false}
        noHtml5Validate
      />
    </Card>
  );
}

function Diagram({ caseDoc, item }: { caseDoc: CaseDetail; item: ItemDetail }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState<string | null>(null);
  const markers = useMemo(() => diagramMarkers(caseDoc), [caseDoc]);
  if (!item.bpmnXml) return null;
  if (failed) return <Alert type="warning" showIcon title={t('case.diagramFailed', { message: failed })} />;
  return (
    <>
      <Suspense fallback={<div className="mf-bpmn" />}>
        <BpmnDiagram xml={item.bpmnXml} markers={markers} onError={setFailed} />
      </Suspense>
      <div className="mf-legend">
        <span>
          <i className="mf-l-active" />
          {t('case.diagramActive')}
        </span>
        <span>
          <i className="mf-l-done" />
          {t('case.diagramDone')}
        </span>
      </div>
    </>
  );
}

function Summary({ caseDoc, flow }: { caseDoc: CaseDetail; flow: FlowInfo }) {
  const { t } = useI18n();
  const steps = caseDoc.openTasks.map((x) => x.name ?? flow.names[x.elementId] ?? x.elementId).join('、');
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 3 }}
      className="mf-case-summary"
      items={[
        { key: 'id', label: t('case.number'), children: <span data-testid="case-id">{caseDoc.id}</span> },
        {
          key: 'applicant',
          label: t('case.applicant'),
          // To everything else of this person and their household (人员查询).
          children: caseDoc.applicantName ? (
            <Link to={`/persons?name=${encodeURIComponent(caseDoc.applicantName)}`} data-testid="applicant-lookup">
              {caseDoc.applicantName}
            </Link>
          ) : (
            ''
          ),
        },
        { key: 'status', label: t('case.status'), children: <StatusTag status={caseDoc.status} /> },
        { key: 'created', label: t('case.createdAt'), children: fmtTime(caseDoc.createdAt) },
        caseDoc.endedAt
          ? { key: 'ended', label: t('case.endedAt'), children: fmtTime(caseDoc.endedAt) }
          : { key: 'step', label: t('case.currentStep'), children: steps || t('case.none') },
      ]}
    />
  );
}

/** /cases/:id — the case file; /cases/:id/tasks/:taskId — the same case with the task to handle on top. */
export default function CasePage() {
  const { id = '', taskId } = useParams();
  const { t, lang } = useI18n();
  const me = useUser();
  const navigate = useNavigate();
  const [override, setOverride] = useState<CaseDetail | null>(null);
  const [done, setDone] = useState<{ action: ApprovalAction; kind?: string } | null>(null);
  const loaded = useLoad(
    async (signal) => {
      const c = await api.get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, { signal });
      const q = c.definitionVersion ? `?version=${c.definitionVersion}` : '';
      const item = await api.get<ItemDetail>(`/api/items/${encodeURIComponent(c.itemKey)}${q}`, { signal });
      return { c, item };
    },
    [id],
  );
  const reload = () => {
    setOverride(null);
    setDone(null);
    loaded.reload();
  };
  const caseDoc = override ?? (loaded.status === 'ok' ? loaded.data.c : null);
  const item = loaded.status === 'ok' ? loaded.data.item : null;
  const flow = useMemo(() => flowInfo(item?.bpmnXml), [item]);

  const back = (
    <Space style={{ marginBottom: 8 }}>
      <Button
        type="link"
        style={{ paddingInline: 0 }}
        onClick={() => (history.length > 1 ? navigate(-1) : navigate('/inbox'))}
      >
        <ArrowLeftOutlined /> {t('case.back')}
      </Button>
    </Space>
  );

  if (loaded.status === 'loading') return <PageLoading />;
  if (loaded.status === 'error') {
    const e = loaded.error;
    return (
      <div className="mf-page">
        {back}
        {e.status === 404 || e.status === 403 ? (
          <Result
            status={e.status === 403 ? '403' : '404'}
            title={t('case.notFound')}
            extra={<Link to="/inbox">{t('task.toInbox')}</Link>}
            data-testid="case-not-found"
          />
        ) : (
          <ErrorState error={e} onRetry={reload} />
        )}
      </div>
    );
  }
  if (!caseDoc || !item) return null;
  const task = taskId ? caseDoc.openTasks.find((x) => x.id === taskId) : undefined;
  const myTasks = caseDoc.openTasks.filter(
    (x) =>
      x.id !== taskId &&
      (x.assignee === me.id ||
        (x.kind === 'correction' && caseDoc.createdBy === me.id) ||
        (!x.assignee && (x.candidateRoles ?? []).some((r) => me.roles.includes(r)))),
  );
  const title = localized(caseDoc.itemName, lang) || localized(item.name, lang);
  const omit =
    task && task.kind !== 'correction'
      ? editableFields(task, Object.keys((item.formSchema.properties ?? {}) as object)).filter(
          (f) => !containsMasked(caseDoc.data[f]) && caseDoc.data[f] !== null,
        )
      : [];
  const readonly = <ReadonlyCaseForm caseDoc={caseDoc} item={item} omit={omit} />;

  return (
    <div className="mf-page">
      {back}
      <div className="mf-case-head">
        <Typography.Title level={3} className="mf-page-title" data-testid="case-title">
          {title}
          {task && <span className="mf-case-step"> · {task.name ?? flow.names[task.elementId]}</span>}
        </Typography.Title>
        <Link to={`/cases/${encodeURIComponent(caseDoc.id)}/print`} target="_blank" data-testid="print-link">
          <Button icon={<PrinterOutlined />}>{t('case.print')}</Button>
        </Link>
      </div>
      <Card className="mf-card">
        <Summary caseDoc={caseDoc} flow={flow} />
        {caseDoc.outcome?.reason && caseDoc.status === 'rejected' && (
          <Alert type="error" showIcon title={t('case.outcome', { reason: caseDoc.outcome.reason })} />
        )}
        {(caseDoc.incidents ?? []).map((i) => (
          <Alert key={i.id} type="error" showIcon title={t('case.incident', { message: i.message })} />
        ))}
        {myTasks.length > 0 && (
          <Space wrap style={{ marginTop: 8 }}>
            {myTasks.map((x) => (
              <Link key={x.id} to={`/cases/${encodeURIComponent(caseDoc.id)}/tasks/${encodeURIComponent(x.id)}`}>
                <Button type="primary" data-testid="open-my-task">
                  {t('case.openTask')}：{x.name ?? flow.names[x.elementId]}
                </Button>
              </Link>
            ))}
          </Space>
        )}
      </Card>
      <Row gutter={[16, 0]}>
        <Col xs={24} lg={taskId ? 15 : 14}>
          {done && (
            <Card className="mf-card">
              <Result
                icon={<CheckCircleTwoTone twoToneColor="#52c41a" />}
                status="success"
                title={t('task.done', { action: actionLabel(t, done.action, done.kind) })}
                extra={[
                  <Button type="primary" key="inbox" onClick={() => navigate('/inbox')} data-testid="back-to-inbox">
                    {t('task.toInbox')}
                  </Button>,
                  <Button key="case" onClick={() => navigate(`/cases/${encodeURIComponent(caseDoc.id)}`)}>
                    {t('print.back')}
                  </Button>,
                ]}
                data-testid="task-done"
              />
            </Card>
          )}
          {taskId && !task && !done && (
            <Alert
              type="info"
              showIcon
              title={t('task.notOpen')}
              style={{ marginBottom: 16 }}
              data-testid="task-not-open"
            />
          )}
          {task ? (
            <TaskPanel
              key={task.id}
              caseDoc={caseDoc}
              item={item}
              task={task}
              flow={flow}
              onChanged={setOverride}
              onDone={(action, c) => {
                setDone({ action, kind: task.kind });
                setOverride(c);
                window.scrollTo({ top: 0 });
              }}
              onReload={reload}
              readonlyCase={readonly}
            />
          ) : (
            <>
              <ComputedCard computed={item.computed} variables={caseDoc.variables} />
              {readonly}
            </>
          )}
        </Col>
        <Col xs={24} lg={taskId ? 9 : 10}>
          {taskId ? (
            <Collapse
              className="mf-card"
              items={[
                { key: 'diagram', label: t('case.diagram'), children: <Diagram caseDoc={caseDoc} item={item} /> },
              ]}
            />
          ) : (
            <Card title={t('case.diagram')} className="mf-card">
              <Diagram caseDoc={caseDoc} item={item} />
            </Card>
          )}
          <AttachmentsCard data={caseDoc.data} schema={item.formSchema} />
          <Card title={t('case.timeline')} className="mf-card">
            <CaseTimeline history={caseDoc.history ?? []} item={item} flow={flow} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import { formStringTranslator } from '@minflow/sdk/rjsf-translate';
import Form from '@rjsf/antd';
import type { IChangeEvent } from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import { Alert, Form as AntForm, App, Button, Card, Input, Modal, Radio, Select, Space } from 'antd';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, type ErrorDetail } from '../api/client';
import type { ApprovalAction, CaseDetail, ItemDetail, TaskInfo, UserRow } from '../api/types';
import { FORM_FIELDS, markAttachmentFields } from '../attachments';
import { useUser } from '../auth/AuthProvider';
import { NO_GUESSED_DEFAULTS } from '../forms/defaults';
import { FieldTemplate } from '../forms/FieldTemplate';
import { detailsToErrorSchema } from '../forms/server-errors';
import { formValidator } from '../forms/validator';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { ComputedCard } from './ComputedCard';
import {
  allowedActions,
  changedFields,
  containsMasked,
  earlierSteps,
  editableFields,
  type FlowInfo,
  needsUser,
  reasonRequired,
} from './logic';
import { pickableUsers, useUserNames } from './ui';

const FORM_CONTEXT = { labelAlign: 'left', colon: false } as const;
const TEMPLATES = { FieldTemplate };
const NO_SUBMIT = { 'ui:submitButtonOptions': { norender: true } };

type RjsfRef = { validateForm: () => boolean } | null;
/** A keystroke in one form re-renders that form only: every other prop is stable between keystrokes. */
const StableForm = memo(Form);

function withoutSubmit(ui: unknown, extra: Record<string, unknown> = {}): UiSchema {
  const given = (ui ?? {}) as UiSchema;
  const options = (given['ui:options'] ?? {}) as Record<string, unknown>;
  return { ...given, ...NO_SUBMIT, ...extra, 'ui:options': { label: false, ...options } } as UiSchema;
}

/** The case's form limited to the fields this step may change (their required-ness kept). */
function subSchema(schema: RJSFSchema, fields: string[]): RJSFSchema {
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? schema.required.filter((f) => fields.includes(f)) : [];
  return {
    ...(schema.$schema ? { $schema: schema.$schema } : {}),
    ...(schema.definitions ? { definitions: schema.definitions } : {}),
    ...(schema.$defs ? { $defs: schema.$defs } : {}),
    type: 'object',
    properties: Object.fromEntries(fields.filter((f) => f in props).map((f) => [f, props[f]])),
    required,
  } as RJSFSchema;
}

interface DialogValues {
  comment?: string;
  to?: string | string[];
  target?: string;
  position?: 'before' | 'after';
}

/**
 * One open task: the case read-only, the fields this step may change, the step's own form, and the
 * actions it offers, each behind a confirmation with its reason. A 409 (someone else was faster) says so
 * and offers a refresh; a refused field is marked where it is.
 */
export function TaskPanel({
  caseDoc,
  item,
  task,
  flow,
  onChanged,
  onDone,
  onReload,
  readonlyCase,
}: {
  caseDoc: CaseDetail;
  item: ItemDetail;
  task: TaskInfo;
  flow: FlowInfo;
  onChanged: (c: CaseDetail) => void;
  /** The action went through: the page says so and shows the case as it is now. */
  onDone: (action: ApprovalAction, c: CaseDetail) => void;
  onReload: () => void;
  /** The read-only case form, rendered by the page above the editable part. */
  readonlyCase: React.ReactNode;
}) {
  const { t, lang } = useI18n();
  const me = useUser();
  const nameOf = useUserNames();
  const { message } = App.useApp();
  const [dialogForm] = AntForm.useForm<DialogValues>();

  const formSchema = item.formSchema as RJSFSchema;
  const allFields = useMemo(() => Object.keys((formSchema.properties ?? {}) as object), [formSchema]);
  const correction = task.kind === 'correction';
  // Parts shown masked (an ID with *, a hidden account) cannot be sent back as they are: they stay read-only.
  const maskedFields = useMemo(
    () => allFields.filter((f) => containsMasked(caseDoc.data[f]) || caseDoc.data[f] === null),
    [allFields, caseDoc.data],
  );
  // A correction may change the whole application, except what is masked; optional parts left empty
  // (代理人 when nobody applied for the person) stay out, or their own required fields would block the resubmit.
  const required = useMemo(() => (Array.isArray(formSchema.required) ? formSchema.required : []), [formSchema]);
  const fields = useMemo(
    () =>
      editableFields(task, allFields).filter(
        (f) => !maskedFields.includes(f) && (!correction || f in caseDoc.data || required.includes(f)),
      ),
    [task, allFields, maskedFields, correction, caseDoc.data, required],
  );
  const editSchema = useMemo(() => (fields.length ? subSchema(formSchema, fields) : null), [formSchema, fields]);
  const editUi = useMemo(() => {
    // rjsf refuses a ui:order naming fields the (reduced) schema does not have.
    const ui = { ...localizeUiSchema((item.uiSchema ?? {}) as Record<string, unknown>, formSchema, lang) };
    if (Array.isArray(ui['ui:order']))
      ui['ui:order'] = (ui['ui:order'] as string[]).filter((f) => f === '*' || fields.includes(f));
    return withoutSubmit(markAttachmentFields(editSchema, ui));
  }, [item.uiSchema, formSchema, lang, fields, editSchema]);
  // A correction carries its step's form key, but the applicant only fixes the application.
  const taskForm = task.form && !correction ? item.taskForms?.[task.form] : undefined;
  const taskUi = useMemo(
    () =>
      withoutSubmit(
        markAttachmentFields(taskForm?.schema, localizeUiSchema(taskForm?.uiSchema ?? {}, taskForm?.schema, lang)),
      ),
    [taskForm, lang],
  );
  // Attachment lists upload for this item's form (and the task's own form, by its key).
  const editContext = useMemo(() => ({ ...FORM_CONTEXT, attachments: { itemKey: item.key } }), [item.key]);
  const taskContext = useMemo(
    () => ({ ...FORM_CONTEXT, attachments: { itemKey: item.key, taskForm: task.form ?? undefined } }),
    [item.key, task.form],
  );
  const editValidator = useMemo(() => formValidator(formSchema, lang), [formSchema, lang]);
  const taskValidator = useMemo(
    () => (taskForm ? formValidator(taskForm.schema as RJSFSchema, lang) : null),
    [taskForm, lang],
  );
  const translateString = formStringTranslator(lang);

  const [editData, setEditData] = useState<Record<string, unknown>>(() => structuredClone(caseDoc.data));
  const [taskData, setTaskData] = useState<Record<string, unknown>>({});
  const [editErrors, setEditErrors] = useState<ErrorSchema | undefined>();
  const [taskErrors, setTaskErrors] = useState<ErrorSchema | undefined>();
  const [problem, setProblem] = useState<{ title: string; lines: string[] } | null>(null);
  const [conflict, setConflict] = useState(false);
  const [dialog, setDialog] = useState<ApprovalAction | null>(null);
  const [sending, setSending] = useState(false);
  const [claiming, setClaiming] = useState(false);
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const editRef = useRef<RjsfRef>(null);
  const taskRef = useRef<RjsfRef>(null);
  const problemRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (problem || conflict) problemRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [problem, conflict]);

  const actions = allowedActions(task);
  const mayAct =
    correction ||
    task.assignee === me.id ||
    (!task.assignee && (task.candidateRoles ?? []).some((r) => me.roles.includes(r)));
  const claimedByOther = Boolean(task.assignee && task.assignee !== me.id && !correction);
  const label = (a: ApprovalAction) =>
    a === 'approve' && correction ? t('action.approveCorrection') : t(`action.${a}` as MessageKey);

  const openDialog = (action: ApprovalAction) => {
    setProblem(null);
    if (action === 'approve' || action === 'resolve') {
      // The forms first: what is missing is shown at its field, before any dialog.
      const okEdit = editSchema ? (editRef.current?.validateForm() ?? true) : true;
      const okTask = taskForm ? (taskRef.current?.validateForm() ?? true) : true;
      if (!okEdit || !okTask) return;
      const changes = editSchema ? changedFields(caseDoc.data, editData, fields) : {};
      const masked = Object.keys(changes).find((f) => containsMasked(changes[f]));
      if (masked) {
        setProblem({
          title: t('task.failed'),
          lines: [
            t('task.maskedChange', {
              field: ((formSchema.properties as Record<string, { title?: string }>)[masked]?.title ?? masked) as string,
            }),
          ],
        });
        return;
      }
    }
    if (needsUser(action) && users === null) {
      pickableUsers().then(
        (list) => setUsers(list.filter((u) => u.id !== me.id && !u.disabled)),
        () => setUsers([]),
      );
    }
    dialogForm.resetFields();
    dialogForm.setFieldsValue({
      target: action === 'return' ? 'previous' : undefined,
      position: action === 'addSigner' ? 'before' : undefined,
    });
    setDialog(action);
  };

  const fieldErrorsToDialog = (details: ErrorDetail[]): ErrorDetail[] => {
    const rest: ErrorDetail[] = [];
    const dialogFields: { name: keyof DialogValues; errors: string[] }[] = [];
    for (const d of details) {
      const m = /^\/(comment|to|target|position)(\/|$)/.exec(d.path ?? '');
      if (m) dialogFields.push({ name: m[1] as keyof DialogValues, errors: [d.message] });
      else rest.push(d);
    }
    if (dialogFields.length) dialogForm.setFields(dialogFields);
    return rest;
  };

  const submit = async (values: DialogValues) => {
    const action = dialog!;
    const body: Record<string, unknown> = { action };
    if (values.comment?.trim()) body.comment = values.comment.trim();
    if (values.to && (!Array.isArray(values.to) || values.to.length)) body.to = values.to;
    if (action === 'return') body.target = values.target ?? 'previous';
    if (action === 'addSigner') body.position = values.position ?? 'before';
    if ((action === 'approve' || action === 'resolve') && taskForm) body.data = taskData;
    if (action === 'approve' && editSchema) {
      const changes = changedFields(caseDoc.data, editData, fields);
      if (Object.keys(changes).length) body.changes = changes;
    }
    setSending(true);
    try {
      const updated = await api.post<CaseDetail>(`/api/tasks/${encodeURIComponent(task.id)}/complete`, body);
      setDialog(null);
      onDone(action, updated);
      window.scrollTo({ top: 0 });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'MINFLOW_UI_UNKNOWN', String(err));
      if (e.status === 409) {
        setDialog(null);
        setConflict(true);
        return;
      }
      // Reasons, people and targets are marked in the dialog; the task form (/data/…) and the changed
      // case fields (/changes/…) at their fields on the page; anything else above the forms.
      const rest = fieldErrorsToDialog(e.details);
      const inDialog = rest.length < e.details.length;
      const dataDetails = rest.filter((d) => d.path?.startsWith('/data'));
      const changeDetails = rest
        .filter((d) => d.path?.startsWith('/changes'))
        .map((d) => ({ ...d, path: d.path.slice('/changes'.length) }));
      const general = rest.filter((d) => !d.path?.startsWith('/data') && !d.path?.startsWith('/changes'));
      const lines = [e.message];
      if (dataDetails.length) {
        const r = taskForm
          ? detailsToErrorSchema(dataDetails, taskForm.schema as { properties?: Record<string, unknown> })
          : { errorSchema: undefined, general: dataDetails.map((d) => d.message) };
        setTaskErrors(r.errorSchema);
        lines.push(...r.general);
      }
      if (changeDetails.length) {
        const r = detailsToErrorSchema(changeDetails, formSchema as { properties?: Record<string, unknown> });
        setEditErrors(r.errorSchema);
        lines.push(...r.general);
      }
      lines.push(...general.map((g) => g.message));
      if (!inDialog || rest.length > 0) {
        setDialog(null);
        setProblem({ title: t('task.failed'), lines: [...new Set(lines)] });
      }
    } finally {
      setSending(false);
    }
  };

  const claim = async () => {
    setClaiming(true);
    try {
      const updated = await api.post<CaseDetail>(`/api/tasks/${encodeURIComponent(task.id)}/claim`);
      message.success(t('task.claimOk'));
      onChanged(updated);
    } catch (err) {
      const e = err as ApiError;
      if (e.status === 409) setConflict(true);
      else message.error(e.message);
    } finally {
      setClaiming(false);
    }
  };

  const onEditChange = useCallback((e: IChangeEvent) => {
    setEditData(e.formData as Record<string, unknown>);
    setEditErrors(undefined);
  }, []);
  const onTaskChange = useCallback((e: IChangeEvent) => {
    setTaskData(e.formData as Record<string, unknown>);
    setTaskErrors(undefined);
  }, []);

  const action = dialog;
  const steps = action === 'return' ? earlierSteps(caseDoc.history, task) : [];
  const confirmKey = (a: ApprovalAction): MessageKey =>
    a === 'approve' && correction ? 'confirm.approveCorrection' : (`confirm.${a}` as MessageKey);

  return (
    <div className="mf-task" data-testid="task-panel">
      <div ref={problemRef}>
        {conflict && (
          <Alert
            type="warning"
            showIcon
            title={t('task.conflict')}
            action={
              <Button type="primary" onClick={onReload} data-testid="conflict-reload">
                {t('task.reload')}
              </Button>
            }
            style={{ marginBottom: 12 }}
            role="alert"
            data-testid="task-conflict"
          />
        )}
        {problem && (
          <Alert
            type="error"
            showIcon
            title={problem.title}
            description={problem.lines.map((l) => <div key={l}>{l}</div>)}
            style={{ marginBottom: 12 }}
            role="alert"
            data-testid="task-error"
          />
        )}
      </div>
      {correction && <Alert type="warning" showIcon title={t('task.correctionHint')} style={{ marginBottom: 12 }} />}
      {task.suspended && <Alert type="info" showIcon title={t('task.suspended')} style={{ marginBottom: 12 }} />}
      {task.delegation === 'pending' && task.assignee === me.id && (
        <Alert type="info" showIcon title={t('task.delegated')} style={{ marginBottom: 12 }} />
      )}
      {!correction && readonlyCase}
      {correction && maskedFields.length > 0 && (
        <Alert
          type="info"
          showIcon
          title={t('task.maskedParts', {
            fields: maskedFields
              .map((f) => (formSchema.properties as Record<string, { title?: string }>)[f]?.title ?? f)
              .join('、'),
          })}
          style={{ marginBottom: 12 }}
        />
      )}
      {editSchema && (
        <Card
          title={correction ? t('case.data') : t('task.editable')}
          className="mf-card mf-rjsf"
          data-testid="editable-form"
        >
          <StableForm
            ref={editRef as never}
            idPrefix="edit"
            experimental_defaultFormStateBehavior={NO_GUESSED_DEFAULTS}
            schema={editSchema}
            uiSchema={editUi}
            fields={FORM_FIELDS}
            validator={editValidator}
            formData={editData}
            onChange={onEditChange}
            formContext={editContext}
            templates={TEMPLATES}
            translateString={translateString}
            extraErrors={editErrors}
            showErrorList={false}
            noHtml5Validate
            focusOnFirstError
            disabled={!mayAct || claimedByOther}
          />
        </Card>
      )}
      <ComputedCard computed={item.computed} variables={caseDoc.variables} />
      {taskForm && taskValidator && (
        <Card title={t('task.form')} className="mf-card mf-rjsf" data-testid="task-form">
          <StableForm
            ref={taskRef as never}
            idPrefix="task"
            experimental_defaultFormStateBehavior={NO_GUESSED_DEFAULTS}
            schema={taskForm.schema as RJSFSchema}
            uiSchema={taskUi}
            fields={FORM_FIELDS}
            validator={taskValidator}
            formData={taskData}
            onChange={onTaskChange}
            formContext={taskContext}
            templates={TEMPLATES}
            translateString={translateString}
            extraErrors={taskErrors}
            showErrorList={false}
            noHtml5Validate
            focusOnFirstError
            disabled={!mayAct || claimedByOther}
          />
        </Card>
      )}
      <Card
        title={`${t('task.actions')}：${task.name ?? ''}`}
        className="mf-card mf-task-actions"
        data-testid="task-actions"
      >
        {claimedByOther ? (
          <Alert
            type="info"
            showIcon
            title={t('task.claimedByName', { name: nameOf(task.assignee) })}
            data-testid="task-claimed-by"
          />
        ) : !mayAct ? (
          <Alert type="info" showIcon title={t('task.notCandidate')} />
        ) : (
          <>
            {!task.assignee && !correction && (
              <Alert
                type="info"
                showIcon
                title={t('task.claimFirst')}
                action={
                  <Button onClick={() => void claim()} loading={claiming} data-testid="task-claim">
                    {t('action.claim')}
                  </Button>
                }
                style={{ marginBottom: 12 }}
              />
            )}
            <Space wrap size={[8, 8]}>
              {actions.map((a) => (
                <Button
                  key={a}
                  size="large"
                  type={a === 'approve' || a === 'resolve' ? 'primary' : 'default'}
                  danger={a === 'reject'}
                  onClick={() => openDialog(a)}
                  data-testid={`action-${a}`}
                >
                  {label(a)}
                </Button>
              ))}
            </Space>
          </>
        )}
      </Card>

      <Modal
        open={action !== null}
        title={action ? label(action) : ''}
        okText={action ? label(action) : t('dialog.ok')}
        cancelText={t('dialog.cancel')}
        okButtonProps={{ danger: action === 'reject', loading: sending, 'data-testid': 'dialog-ok' } as never}
        onOk={() => dialogForm.submit()}
        onCancel={() => !sending && setDialog(null)}
        destroyOnHidden
        maskClosable={false}
        data-testid="action-dialog"
      >
        {action && (
          <AntForm form={dialogForm} layout="vertical" onFinish={(v) => void submit(v)} requiredMark>
            <p data-testid="dialog-question">{t(confirmKey(action))}</p>
            {action === 'return' && (
              <AntForm.Item
                name="target"
                label={t('dialog.returnTo')}
                rules={[{ required: true, message: t('dialog.returnRequired') }]}
              >
                <Radio.Group className="mf-radio-list">
                  <Radio value="previous">{t('dialog.returnPrevious')}</Radio>
                  <Radio value="applicant" data-testid="return-applicant">
                    {t('dialog.returnApplicant')}
                  </Radio>
                  {steps.map((s) => (
                    <Radio key={s} value={s}>
                      {t('dialog.returnStep', { name: flow.names[s] ?? s })}
                    </Radio>
                  ))}
                </Radio.Group>
              </AntForm.Item>
            )}
            {needsUser(action) && (
              <AntForm.Item
                name="to"
                label={action === 'cc' ? t('dialog.users') : t('dialog.user')}
                rules={[{ required: true, message: t('dialog.userRequired') }]}
              >
                <Select
                  mode={action === 'cc' ? 'multiple' : undefined}
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('dialog.userPlaceholder')}
                  loading={users === null}
                  notFoundContent={users === null ? undefined : t('dialog.noUsers')}
                  options={(users ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
                  data-testid="dialog-user"
                />
              </AntForm.Item>
            )}
            {action === 'addSigner' && (
              <AntForm.Item name="position" label={t('dialog.position')}>
                <Radio.Group className="mf-radio-list">
                  <Radio value="before">{t('dialog.before')}</Radio>
                  <Radio value="after">{t('dialog.after')}</Radio>
                </Radio.Group>
              </AntForm.Item>
            )}
            <AntForm.Item
              name="comment"
              label={reasonRequired(action) ? t('dialog.reason') : t('dialog.comment')}
              rules={
                reasonRequired(action)
                  ? [{ required: true, whitespace: true, message: t('dialog.reasonRequired') }]
                  : undefined
              }
            >
              <Input.TextArea
                rows={3}
                maxLength={2000}
                placeholder={reasonRequired(action) ? t('dialog.reasonPlaceholder') : undefined}
                data-testid="dialog-comment"
              />
            </AntForm.Item>
          </AntForm>
        )}
      </Modal>
    </div>
  );
}

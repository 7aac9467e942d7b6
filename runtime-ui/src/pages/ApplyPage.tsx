import { ArrowLeftOutlined, CheckCircleTwoTone } from '@ant-design/icons';
import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import { formStringTranslator } from '@minflow/sdk/rjsf-translate';
import Form from '@rjsf/antd';
import type { IChangeEvent } from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';
import { Alert, App, Button, Card, Result, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { memo, type RefObject, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../api/client';
import type { CaseCreated, ItemDetail } from '../api/types';
import { localized } from '../api/types';
import { FORM_FIELDS, markAttachmentFields } from '../attachments';
import { useUser } from '../auth/AuthProvider';
import { NO_GUESSED_DEFAULTS } from '../forms/defaults';
import { DraftStore, hasContent } from '../forms/drafts';
import { FieldTemplate } from '../forms/FieldTemplate';
import { inlineLocalRefs } from '../forms/inline-refs';
import { ObjectFieldTemplate } from '../forms/ObjectFieldTemplate';
import { sharedSchema } from '../forms/schema-cache';
import { detailsToErrorSchema } from '../forms/server-errors';
import { visibleErrors } from '../forms/touched';
import { formValidator } from '../forms/validator';
import { useI18n } from '../i18n/I18nProvider';
import { PageLoading } from '../layout/PageLoading';
import { ErrorState } from '../lib/ErrorState';
import { newIdempotencyKey } from '../lib/idempotency';
import { useLoad } from '../lib/useApi';
import '../forms/forms.css';
import './apply.css';

const AUTOSAVE_MS = 600;
// Labels above their fields, left-aligned, no trailing colon: reads well on a phone and in Chinese.
const FORM_CONTEXT = { labelAlign: 'left', colon: false } as const;
// Stable objects: a new `templates`/`fields` object would make rjsf rebuild its registry and compare every field.
const TEMPLATES = { FieldTemplate, ObjectFieldTemplate };

function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    // storage blocked: drafts live only as long as the page
    const mem = new Map<string, string>();
    return {
      getItem: (k: string) => mem.get(k) ?? null,
      setItem: (k: string, v: string) => void mem.set(k, v),
      removeItem: (k: string) => void mem.delete(k),
    };
  }
}

interface FormHostProps {
  id: string;
  schema: RJSFSchema;
  uiSchema: UiSchema;
  validator: ReturnType<typeof formValidator>;
  /** The form's latest data (the restored draft at first, then what rjsf last reported). */
  dataRef: RefObject<unknown>;
  extraErrors: ErrorSchema | undefined;
  disabled: boolean;
  onChange: (e: IChangeEvent, id?: string) => void;
  onBlur: (id: string) => void;
  onSubmit: (e: IChangeEvent) => void;
  onError: (errors: RJSFValidationError[]) => void;
  transformErrors: (errors: RJSFValidationError[]) => RJSFValidationError[];
  translateString: ReturnType<typeof formStringTranslator>;
  formContext: Record<string, unknown>;
}

/**
 * The form, uncontrolled: rjsf keeps the data in its own state and reports each change up (the page keeps it in a
 * ref for the draft and the submit). Handing the data back as a prop on every keystroke made rjsf derive its state
 * a second time per key (defaults, schema resolution, a deep comparison of all props). Every prop is stable between
 * keystrokes, so a keystroke renders rjsf only, never this host or the page.
 *
 * It re-renders only when the page changes a prop (sending → disabled, the server's errors, the language); then
 * it passes the data rjsf last reported, which rjsf recognises as its own, so nothing typed is reset.
 */
const FormHost = memo(function FormHost({ dataRef, ...props }: FormHostProps) {
  return (
    <Form
      {...props}
      formData={dataRef.current}
      templates={TEMPLATES}
      fields={FORM_FIELDS}
      // Errors appear when a field is left and on submit, not on every key (see `visibleErrors`).
      liveValidate="onBlur"
      experimental_defaultFormStateBehavior={NO_GUESSED_DEFAULTS}
      showErrorList={false}
      noHtml5Validate
      focusOnFirstError
    />
  );
});

interface FormProps {
  item: ItemDetail;
}

/** The published form of one item, with draft autosave and a submit that cannot create two cases. */
function ApplicationForm({ item }: FormProps) {
  const { t, lang } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const store = useMemo(() => new DraftStore(browserStorage()), []);
  const formId = `apply-form-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  // The draft is read once per mount: the form is uncontrolled after that (rjsf keeps the state, we
  // keep a copy for autosave), so a keystroke re-renders the form, never this page.
  const [initial] = useState(() => store.load(user.id, item.key));
  const [formKey, setFormKey] = useState(0);
  const [restoredAt, setRestoredAt] = useState<string | null>(initial?.savedAt ?? null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const dataRef = useRef<unknown>(initial?.data);
  const idemKeyRef = useRef<string>(initial?.idempotencyKey ?? newIdempotencyKey());
  const dirtyRef = useRef(false);
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);

  const touchedRef = useRef(new Set<string>());
  const changedRef = useRef(new Set<string>());
  const showAllRef = useRef(false);
  const sendingRef = useRef(false);
  const [sending, setSending] = useState(false);
  const [extraErrors, setExtraErrors] = useState<ErrorSchema | undefined>(undefined);
  const hasExtraErrorsRef = useRef(false);
  hasExtraErrorsRef.current = extraErrors !== undefined;
  const [submitError, setSubmitError] = useState<{ message: string; general: string[]; retry: boolean } | null>(null);
  const [clientErrorCount, setClientErrorCount] = useState(0);
  const [created, setCreated] = useState<CaseCreated | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  // A refused submit is explained above the form: bring it into view, the person may be at the bottom.
  useEffect(() => {
    if (submitError) errorRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [submitError]);

  const flush = useCallback(() => {
    if (timerRef.current) {
      clearTimeout(timerRef.current);
      timerRef.current = null;
    }
    if (!dirtyRef.current) return;
    dirtyRef.current = false;
    if (!hasContent(dataRef.current)) {
      store.clear(user.id, item.key);
      setSavedAt(null);
      return;
    }
    const saved = store.save(user.id, item.key, {
      version: item.version,
      data: dataRef.current,
      idempotencyKey: idemKeyRef.current,
    });
    if (saved) setSavedAt(saved.savedAt);
  }, [store, user.id, item.key, item.version]);

  // Save when the tab is hidden or closed, and when leaving the page, not only after the debounce.
  useEffect(() => {
    const onHide = () => flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [flush]);

  // `$ref`s inlined, so rjsf does not resolve them again on every keystroke (inline-refs.ts); and the same object
  // on every visit to this form, so ajv's compiled validators are reused (schema-cache.ts).
  const schema = useMemo(() => sharedSchema(inlineLocalRefs(item.formSchema as RJSFSchema)), [item.formSchema]);
  const validator = useMemo(() => formValidator(schema, lang), [schema, lang]);
  const translateString = useMemo(() => formStringTranslator(lang), [lang]);
  // The page already shows the item's name, so the form's root title is not repeated; the root
  // description (eligibility, e.g. 年满80周岁) is shown above the form instead of below it.
  const uiSchema = useMemo<UiSchema>(() => {
    // English labels from `ui:i18n` when the interface is in English (the same object in Chinese).
    const given = localizeUiSchema((item.uiSchema ?? {}) as UiSchema, schema, lang);
    const options = (given['ui:options'] ?? {}) as Record<string, unknown>;
    return {
      // Attachment lists get the upload field (the engine knows the same key).
      ...markAttachmentFields(schema, given),
      'ui:submitButtonOptions': { norender: true },
      'ui:options': { label: false, ...options },
    };
  }, [item.uiSchema, schema, lang]);
  // The upload field needs to know which published form it uploads for.
  const formContext = useMemo(() => ({ ...FORM_CONTEXT, attachments: { itemKey: item.key } }), [item.key]);
  const rootDescription = typeof schema.description === 'string' ? schema.description : '';
  const transformErrors = useCallback(
    (errors: RJSFValidationError[]) => visibleErrors(errors, touchedRef.current, showAllRef.current),
    [],
  );

  const onChange = useCallback(
    (e: IChangeEvent, id?: string) => {
      if (id) changedRef.current.add(id);
      dataRef.current = e.formData;
      dirtyRef.current = true;
      if (timerRef.current) clearTimeout(timerRef.current);
      timerRef.current = setTimeout(flush, AUTOSAVE_MS);
      // The server's errors go once the person edits; otherwise a keystroke sets no state of this page.
      if (hasExtraErrorsRef.current) {
        hasExtraErrorsRef.current = false;
        setExtraErrors(undefined);
      }
    },
    [flush],
  );

  // A field counts as visited once the person typed in it and left it; passing through an empty field
  // with Tab is not scolded with "required" (that waits for submit).
  const onBlur = useCallback((id: string) => {
    if (changedRef.current.has(id)) touchedRef.current.add(id);
  }, []);

  const onError = useCallback((errors: RJSFValidationError[]) => {
    setClientErrorCount(errors.length);
  }, []);

  const submit = useCallback(
    async ({ formData }: IChangeEvent) => {
      if (sendingRef.current) return; // a double click while the first request is on its way
      sendingRef.current = true;
      setSending(true);
      setSubmitError(null);
      setClientErrorCount(0);
      dataRef.current = formData;
      dirtyRef.current = true;
      flush(); // the draft (and its idempotency key) is on disk before the request leaves
      try {
        const res = await api.post<CaseCreated | { case: CaseCreated }>(
          '/api/cases',
          { itemKey: item.key, data: formData },
          { headers: { 'Idempotency-Key': idemKeyRef.current } },
        );
        const c = res && typeof res === 'object' && 'case' in res ? res.case : (res as CaseCreated);
        store.clear(user.id, item.key);
        dirtyRef.current = false;
        setCreated(c);
        window.scrollTo({ top: 0 });
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(0, 'MINFLOW_UI_UNKNOWN', String(err));
        const { errorSchema, general } = detailsToErrorSchema(e.details, schema);
        setExtraErrors(errorSchema);
        // Refused outright (validation, missing route): nothing was created, so the corrected data goes
        // with a new key. Unknown outcome (network, 5xx, conflict): keep the key, so a retry is the same request.
        if (e.isDefinitiveRefusal) {
          idemKeyRef.current = newIdempotencyKey();
          dirtyRef.current = true;
          flush();
        }
        setSubmitError({ message: e.message, general, retry: !e.isDefinitiveRefusal });
      } finally {
        sendingRef.current = false;
        setSending(false);
      }
    },
    [flush, item.key, schema, store, user.id],
  );

  const discard = () => {
    modal.confirm({
      title: t('apply.discardConfirm'),
      okText: t('apply.discardOk'),
      okButtonProps: { danger: true },
      cancelText: t('apply.cancel'),
      onOk: () => {
        store.clear(user.id, item.key);
        dataRef.current = undefined;
        dirtyRef.current = false;
        idemKeyRef.current = newIdempotencyKey();
        touchedRef.current = new Set();
        changedRef.current = new Set();
        showAllRef.current = false;
        setRestoredAt(null);
        setSavedAt(null);
        setExtraErrors(undefined);
        setSubmitError(null);
        setFormKey((k) => k + 1);
      },
    });
  };

  if (created) {
    return (
      <Result
        icon={<CheckCircleTwoTone twoToneColor="#52c41a" />}
        status="success"
        title={t('apply.submitted')}
        subTitle={t('apply.submittedDetail', { id: created.id })}
        extra={[
          <Button type="primary" key="another" onClick={() => navigate('/catalog')}>
            {t('apply.another')}
          </Button>,
          <Button key="home" onClick={() => navigate('/')}>
            {t('notFound.home')}
          </Button>,
        ]}
        data-testid="apply-success"
      />
    );
  }

  const time = (iso: string) => dayjs(iso).format('HH:mm:ss');
  return (
    <>
      {restoredAt && (
        <Alert
          type="info"
          showIcon
          title={t('apply.draftRestored', { time: dayjs(restoredAt).format('YYYY-MM-DD HH:mm') })}
          action={
            <Button size="small" onClick={discard}>
              {t('apply.discardDraft')}
            </Button>
          }
          style={{ marginBottom: 12 }}
          data-testid="draft-restored"
        />
      )}
      {initial && initial.version !== item.version && restoredAt && (
        <Alert
          type="warning"
          showIcon
          title={t('apply.versionChanged', { version: item.version })}
          style={{ marginBottom: 12 }}
        />
      )}
      {submitError && (
        <div ref={errorRef}>
          <Alert
            type="error"
            showIcon
            title={t('apply.submitFailed')}
            description={
              <>
                <div>{submitError.message}</div>
                {submitError.general.map((m) => (
                  <div key={m}>{m}</div>
                ))}
                {submitError.retry && <div style={{ marginTop: 4 }}>{t('apply.retryHint')}</div>}
              </>
            }
            style={{ marginBottom: 12 }}
            role="alert"
            data-testid="submit-error"
          />
        </div>
      )}
      {rootDescription && (
        <Alert type="info" showIcon title={rootDescription} style={{ marginBottom: 12 }} data-testid="form-notice" />
      )}
      <Card className="mf-form-card mf-rjsf">
        <FormHost
          key={formKey}
          id={formId}
          schema={schema}
          uiSchema={uiSchema}
          validator={validator}
          dataRef={dataRef}
          onChange={onChange}
          onBlur={onBlur}
          onSubmit={submit}
          onError={onError}
          transformErrors={transformErrors}
          translateString={translateString}
          extraErrors={extraErrors}
          formContext={formContext}
          disabled={sending}
        />
        {clientErrorCount > 0 && (
          <Alert
            type="error"
            showIcon
            title={t('apply.fixErrors', { count: clientErrorCount })}
            style={{ marginBottom: 12 }}
            data-testid="client-errors"
          />
        )}
        <div className="mf-form-actions">
          <Button
            type="primary"
            htmlType="submit"
            form={formId}
            size="large"
            loading={sending}
            disabled={sending}
            onClick={() => {
              showAllRef.current = true;
            }}
            data-testid="apply-submit"
          >
            {sending ? t('apply.submitting') : t('apply.submit')}
          </Button>
          <Typography.Text type="secondary" className="mf-draft-status" data-testid="draft-status">
            {savedAt ? t('apply.draftSaved', { time: time(savedAt) }) : t('apply.draftHint')}
          </Typography.Text>
        </div>
      </Card>
    </>
  );
}

/** /apply/:key — fill in and submit the published form of one item. */
export default function ApplyPage() {
  const { key = '' } = useParams();
  const { t, lang } = useI18n();
  const item = useLoad((signal) => api.get<ItemDetail>(`/api/items/${encodeURIComponent(key)}`, { signal }), [key]);

  return (
    <div className="mf-page-narrow">
      <Space style={{ marginBottom: 8 }}>
        <Link to="/catalog">
          <ArrowLeftOutlined /> {t('apply.back')}
        </Link>
      </Space>
      {item.status === 'loading' && <PageLoading />}
      {item.status === 'error' &&
        (item.error.status === 404 ? (
          <Result status="404" title={t('apply.notFound')} extra={<Link to="/catalog">{t('apply.back')}</Link>} />
        ) : (
          <ErrorState error={item.error} onRetry={item.reload} />
        ))}
      {item.status === 'ok' && (
        <>
          <Typography.Title level={3} className="mf-page-title" data-testid="apply-title">
            {lang === 'en' && item.data.name.en ? item.data.name.en : item.data.name.zh}
          </Typography.Title>
          {item.data.description && (
            <Typography.Paragraph type="secondary">{localized(item.data.description, lang)}</Typography.Paragraph>
          )}
          <ApplicationForm key={`${item.data.key}:${item.data.version}`} item={item.data} />
        </>
      )}
    </div>
  );
}

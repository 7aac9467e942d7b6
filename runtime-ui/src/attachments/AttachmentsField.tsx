import {
  CloseOutlined,
  DeleteOutlined,
  FileOutlined,
  LoadingOutlined,
  PaperClipOutlined,
  ReloadOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { type AttachmentValue, attachmentIdFromUrl, attachmentLimits } from '@minflow/sdk/attachments';
import type { FieldProps } from '@rjsf/utils';
import { Button, Progress, Typography, Upload } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { request } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';
import { fileSize, typeNames, useAttachmentText } from './messages';
import { type UploadHandle, uploadAttachment } from './upload';
import './attachments.css';

/** What the form's `formContext` tells the field: which published form it uploads for. */
export interface AttachmentContext {
  attachments?: { itemKey: string; taskForm?: string };
}

interface Pending {
  uid: string;
  file: File;
  percent: number;
  status: 'uploading' | 'error';
  error?: string;
  handle?: UploadHandle;
}

let seq = 0;

function isValue(v: unknown): v is AttachmentValue {
  return !!v && typeof v === 'object' && typeof (v as AttachmentValue).name === 'string';
}

/** One uploaded file: its name as a download link, its size, and (when editable) a remove button. */
export function AttachmentLink({ value }: { value: AttachmentValue }) {
  const text = useAttachmentText();
  const href = typeof value.url === 'string' && value.url.startsWith('/') ? value.url : undefined;
  return (
    <span className="mf-attach-name">
      <PaperClipOutlined />
      {href ? (
        <a href={href} download={value.name} title={text('download')} data-testid="attachment-link">
          {value.name}
        </a>
      ) : (
        <span>{value.name}</span>
      )}
      {typeof value.size === 'number' && <span className="mf-attach-size">{fileSize(value.size)}</span>}
    </span>
  );
}

/**
 * The rjsf field registered under `minflow-attachments` (the key the engine's upload route knows):
 * antd Upload to pick files, each sent with a progress bar; a failed upload can be retried or removed.
 * Size and type are checked here first (zh-CN/en messages) and again, on the real content, by the engine.
 * The form value is the list of uploaded files `{ name, url, size, contentType }`.
 */
export function AttachmentsField(props: FieldProps<AttachmentValue[]>) {
  const { schema, uiSchema, formData, onChange, fieldPathId, registry, disabled, readonly, required } = props;
  const text = useAttachmentText();
  const { lang } = useI18n();
  const ctx = (registry.formContext ?? {}) as AttachmentContext;
  const value = useMemo(() => (Array.isArray(formData) ? formData.filter(isValue) : []), [formData]);
  const valueRef = useRef(value);
  valueRef.current = value;
  const limits = useMemo(
    () => attachmentLimits(schema, registry.rootSchema, (uiSchema?.['ui:options'] ?? {}) as Record<string, unknown>),
    [schema, registry.rootSchema, uiSchema],
  );
  const [pending, setPending] = useState<Pending[]>([]);
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  useEffect(
    () => () => {
      for (const p of pendingRef.current) p.handle?.abort();
    },
    [],
  );

  const field = `/${fieldPathId.path.join('/')}`;
  // `ui:title` first: the English title of a form with `ui:i18n` arrives there (localizeUiSchema)
  const uiTitle = uiSchema?.['ui:title'];
  const title = typeof uiTitle === 'string' && uiTitle ? uiTitle : typeof schema.title === 'string' ? schema.title : '';
  const testId = `attachments-${fieldPathId.$id}`;
  const types = typeNames(limits.accept, lang);

  const update = (uid: string, patch: Partial<Pending> | null) =>
    setPending((cur) =>
      patch === null ? cur.filter((p) => p.uid !== uid) : cur.map((p) => (p.uid === uid ? { ...p, ...patch } : p)),
    );

  const start = (uid: string, file: File) => {
    if (!ctx.attachments) return;
    const handle = uploadAttachment({ ...ctx.attachments, field }, file, (percent) => update(uid, { percent }));
    update(uid, { status: 'uploading', percent: 0, error: undefined, handle });
    handle.promise.then(
      (v) => {
        update(uid, null);
        const next = [...valueRef.current, v];
        valueRef.current = next;
        onChange(next, fieldPathId.path);
      },
      (err: Error) => {
        if (err.name === 'AbortError') return;
        update(uid, { status: 'error', error: err.message || text('failed'), handle: undefined });
      },
    );
  };

  const problem = (file: File): string | null => {
    if (limits.accept.length > 0 && file.type && !limits.accept.includes(file.type))
      return text('wrongType', { name: file.name, types });
    if (file.size > limits.maxSize)
      return text('tooBig', { name: file.name, actual: fileSize(file.size), size: fileSize(limits.maxSize) });
    if (limits.maxItems !== null && valueRef.current.length + pendingRef.current.length >= limits.maxItems)
      return text('tooMany', { max: limits.maxItems });
    return null;
  };

  const add = (file: File) => {
    seq += 1;
    const uid = `up-${seq}`;
    const refused = problem(file);
    setPending((cur) => [
      ...cur,
      { uid, file, percent: 0, status: refused ? 'error' : 'uploading', error: refused ?? undefined },
    ]);
    if (!refused) start(uid, file);
  };

  const removeDone = (index: number) => {
    const gone = value[index];
    const next = value.filter((_, i) => i !== index);
    valueRef.current = next;
    onChange(next.length ? next : undefined, fieldPathId.path);
    // An upload no case refers to yet is deleted on the server too (best effort: it may already be a case's).
    const id = attachmentIdFromUrl(gone?.url);
    if (id) request(`/api/attachments/${id}`, { method: 'DELETE' }).catch(() => {});
  };

  const editable = !readonly && !disabled && !!ctx.attachments;
  return (
    <div className="mf-attach" data-testid={testId}>
      {title && (
        <div className={`mf-attach-title${required ? ' mf-attach-required' : ''}`} id={`${fieldPathId.$id}__title`}>
          {title}
        </div>
      )}
      {value.length === 0 && pending.length === 0 && !editable && (
        <Typography.Text type="secondary">{text('none')}</Typography.Text>
      )}
      <ul className="mf-attach-list" aria-labelledby={title ? `${fieldPathId.$id}__title` : undefined}>
        {value.map((v, i) => (
          <li key={v.url} className="mf-attach-item" data-testid="attachment-done">
            <AttachmentLink value={v} />
            {editable && (
              <Button
                type="text"
                size="small"
                icon={<DeleteOutlined />}
                aria-label={`${text('remove')} ${v.name}`}
                onClick={() => removeDone(i)}
                data-testid="attachment-remove"
              />
            )}
          </li>
        ))}
        {pending.map((p) => (
          <li
            key={p.uid}
            className={`mf-attach-item mf-attach-${p.status}`}
            data-testid={p.status === 'uploading' ? 'attachment-uploading' : 'attachment-failed'}
          >
            <span className="mf-attach-name">
              {p.status === 'uploading' ? <LoadingOutlined /> : <FileOutlined />}
              <span>{p.file.name}</span>
              <span className="mf-attach-size">{fileSize(p.file.size)}</span>
            </span>
            {p.status === 'uploading' ? (
              <Progress
                percent={p.percent}
                size="small"
                status="active"
                aria-label={text('uploading', { percent: p.percent })}
                data-testid="attachment-progress"
              />
            ) : (
              <Typography.Text type="danger" className="mf-attach-error" role="alert">
                {p.error}
              </Typography.Text>
            )}
            <span className="mf-attach-actions">
              {p.status === 'error' && !problem(p.file) && (
                <Button
                  size="small"
                  icon={<ReloadOutlined />}
                  onClick={() => start(p.uid, p.file)}
                  data-testid="attachment-retry"
                >
                  {text('retry')}
                </Button>
              )}
              <Button
                size="small"
                type="text"
                icon={<CloseOutlined />}
                aria-label={`${text('remove')} ${p.file.name}`}
                onClick={() => {
                  p.handle?.abort();
                  update(p.uid, null);
                }}
                data-testid="attachment-cancel"
              />
            </span>
          </li>
        ))}
      </ul>
      {editable && (
        <div className="mf-attach-picker">
          <Upload
            multiple
            accept={limits.accept.join(',') || undefined}
            showUploadList={false}
            beforeUpload={(file) => {
              add(file as unknown as File);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="attachment-choose">
              {text('choose')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" className="mf-attach-hint">
            {types
              ? text('hint', { types, size: fileSize(limits.maxSize) })
              : text('hintAny', { size: fileSize(limits.maxSize) })}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}

import type { AttachmentValue } from '@minflow/sdk/attachments';
import { ApiError, NETWORK_ERROR, notifyUnauthorized } from '../api/client';
import { langStore } from '../i18n/lang-store';
import { translate } from '../i18n/messages';

export interface UploadTarget {
  itemKey: string;
  field: string;
  taskForm?: string;
}

export interface UploadHandle {
  promise: Promise<AttachmentValue>;
  abort(): void;
}

/**
 * Sends one file to `POST /api/attachments` with XMLHttpRequest (fetch reports no upload progress),
 * calling `onProgress` with 0–100. Resolves with what the form value stores; rejects with an ApiError
 * carrying the engine's message (too large, wrong type…) or a network error (status 0).
 */
export function uploadAttachment(
  target: UploadTarget,
  file: File,
  onProgress: (percent: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const lang = langStore.get();
  const q = new URLSearchParams({ itemKey: target.itemKey, field: target.field });
  if (target.taskForm) q.set('taskForm', target.taskForm);
  const promise = new Promise<AttachmentValue>((resolve, reject) => {
    xhr.open('POST', `/api/attachments?${q}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', lang === 'en' ? 'en' : 'zh-CN,zh;q=0.9');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.min(99, Math.floor((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201 && body) {
        onProgress(100);
        resolve({
          name: String(body.name),
          url: String(body.url),
          size: Number(body.size),
          contentType: String(body.contentType),
        });
        return;
      }
      if (xhr.status === 401) notifyUnauthorized();
      const message =
        body && typeof body.message === 'string'
          ? body.message
          : translate(lang, xhr.status >= 500 ? 'common.serverError' : 'common.error');
      reject(new ApiError(xhr.status, typeof body?.code === 'string' ? body.code : `HTTP_${xhr.status}`, message));
    };
    xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, translate(lang, 'common.networkError')));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

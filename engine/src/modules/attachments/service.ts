import { createHash, randomBytes } from 'node:crypto';
import {
  ATTACHMENTS_FIELD,
  type AttachmentReference,
  attachmentLimits,
  attachmentReferences,
  attachmentUrl,
  isAttachmentList,
  schemaAtDataPath,
  uiOptionsAt,
} from '@minflow/sdk/attachments';
import { fileTypeFromBuffer } from 'file-type';
import { MinflowError } from '../../errors/registry.js';
import type { AuditLog } from '../../infra/audit/types.js';
import { can } from '../../infra/auth/ability.js';
import type { Clock } from '../../infra/clock.js';
import type { DocumentStore } from '../../infra/store/port.js';
import type { Caller } from '../cases/service.js';
import type { PublishedVersion } from '../definitions/model.js';
import type { BlobStore } from './blobs.js';
import { ATTACHMENTS, type AttachmentDoc, attachmentCollection } from './model.js';

export interface UploadTarget {
  itemKey: string;
  field: string;
  taskForm?: string;
}

export interface AttachmentDeps {
  store: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  audit: AuditLog;
  getPublished: (key: string) => Promise<PublishedVersion>;
}

/** `10485760` → `10 MB` (for messages). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return Array.from(base || 'file')
    .slice(-200)
    .join('');
}

/**
 * Uploads (附件): the field's limits from the published form, the real type sniffed from the
 * bytes, content-hashed storage, and the link from a case to the files its data refers to.
 */
export class AttachmentService {
  constructor(private readonly deps: AttachmentDeps) {}

  private get col() {
    return this.deps.store.collection<AttachmentDoc>(ATTACHMENTS);
  }

  async ensureCollections(): Promise<void> {
    await this.deps.store.ensureCollection(attachmentCollection);
  }

  /** The limits of one attachment field of a published form (400 unless it is one). */
  async limitsFor(target: UploadTarget) {
    const published = await this.deps.getPublished(target.itemKey);
    let schema: unknown = published.formSchema;
    let ui: unknown = published.uiSchema;
    if (target.taskForm) {
      const form = published.taskForms[target.taskForm];
      schema = form?.schema;
      ui = form?.uiSchema;
    }
    const field = schema ? schemaAtDataPath(schema, target.field) : null;
    const options = uiOptionsAt(ui, target.field);
    const explicit = (() => {
      let cur = ui as Record<string, unknown> | undefined;
      for (const p of target.field.split('/').filter(Boolean)) cur = cur?.[p] as Record<string, unknown> | undefined;
      return cur?.['ui:field'] === ATTACHMENTS_FIELD;
    })();
    if (!field || !(isAttachmentList(field, schema) || (explicit && field.type === 'array'))) {
      throw new MinflowError('MINFLOW_ERR_ATTACHMENTS_NOT_A_FIELD', {
        params: { field: target.field },
        details: [{ path: '/field', message: 'not an attachment list of the published form' }],
      });
    }
    return attachmentLimits(field, schema, options);
  }

  /** Stores one upload after checking its size and its sniffed type against the field's limits. */
  async upload(
    caller: Caller,
    target: UploadTarget,
    file: { filename: string; bytes: Buffer; declaredType: string },
  ): Promise<AttachmentDoc> {
    const limits = await this.limitsFor(target);
    if (file.bytes.length === 0) throw new MinflowError('MINFLOW_ERR_ATTACHMENTS_EMPTY');
    if (file.bytes.length > limits.maxSize) throw tooLarge(limits.maxSize);
    const sniffed = await fileTypeFromBuffer(file.bytes);
    const actual = sniffed?.mime ?? 'unknown';
    if (limits.accept.length > 0 && !limits.accept.includes(actual)) {
      throw new MinflowError('MINFLOW_ERR_ATTACHMENTS_TYPE_NOT_ALLOWED', {
        params: { actual, allowed: limits.accept.join(', ') },
        details: [{ path: '/file', message: `sniffed ${actual}, declared ${file.declaredType}` }],
      });
    }
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    await this.deps.blobs.put(sha256, file.bytes);
    const doc = await this.col.insert({
      _id: randomBytes(18).toString('base64url'),
      name: cleanFileName(file.filename),
      size: file.bytes.length,
      contentType: actual === 'unknown' ? 'application/octet-stream' : actual,
      sha256,
      uploadedBy: caller.user.id,
      uploadedAt: this.deps.clock.now().toISOString(),
      itemKey: target.itemKey,
      field: target.field,
      taskForm: target.taskForm ?? null,
      caseId: null,
      orgPath: caller.user.orgPath,
    });
    await this.deps.audit.record({
      actorId: caller.user.id,
      action: 'attachment.upload',
      subjectType: 'Attachment',
      subjectId: doc._id,
      orgPath: doc.orgPath,
      after: {
        name: doc.name,
        size: doc.size,
        contentType: doc.contentType,
        sha256,
        itemKey: doc.itemKey,
        field: doc.field,
      },
    });
    return doc;
  }

  get(id: string): Promise<AttachmentDoc | null> {
    return this.col.get(id);
  }

  openBlob(doc: AttachmentDoc) {
    return this.deps.blobs.open(doc.sha256);
  }

  /**
   * Every attachment the data refers to must exist and be the caller's own upload, not yet
   * given to another case (`allowCase`: the case an idempotent replay answers with, or the case
   * a task acts on). Returns the references to link after the write.
   */
  async checkReferences(
    caller: Caller,
    data: unknown,
    allowCase: (caseId: string) => Promise<boolean>,
    pathPrefix = '/data',
  ) {
    const refs = attachmentReferences(data);
    const bad: AttachmentReference[] = [];
    const docs = new Map<string, AttachmentDoc>();
    for (const ref of refs) {
      const doc = docs.get(ref.id) ?? (await this.col.get(ref.id));
      const ok = !!doc && (doc.caseId === null ? doc.uploadedBy === caller.user.id : await allowCase(doc.caseId));
      if (doc) docs.set(ref.id, doc);
      if (!ok) bad.push(ref);
    }
    if (bad.length > 0) {
      throw new MinflowError('MINFLOW_ERR_ATTACHMENTS_REFERENCE_INVALID', {
        details: bad.map((r) => ({
          path: `${pathPrefix}${r.path}`,
          message: 'unknown attachment, or not your upload',
        })),
      });
    }
    return [...docs.values()];
  }

  /** Gives the case the attachments its data refers to (their jurisdiction becomes the case's). */
  async linkToCase(
    actorId: string,
    caseDoc: { _id: string; orgPath: string[] },
    attachments: AttachmentDoc[],
  ): Promise<void> {
    for (const a of attachments) {
      if (a.caseId !== null) continue;
      const linked = await this.col.replace(a._id, a._v, { ...a, caseId: caseDoc._id, orgPath: caseDoc.orgPath });
      await this.deps.audit.record({
        actorId,
        action: 'attachment.link',
        subjectType: 'Attachment',
        subjectId: linked._id,
        orgPath: linked.orgPath,
        before: { caseId: null },
        after: { caseId: caseDoc._id },
      });
    }
  }

  /** Whether the caller may download: their own unlinked upload (CASL `Attachment`), or a file of a case they may read. */
  async readableBy(
    caller: Caller,
    doc: AttachmentDoc,
    caseReadable: (caseId: string) => Promise<boolean>,
  ): Promise<boolean> {
    if (doc.caseId === null) return can(caller.ability, 'read', 'Attachment', { ...doc });
    return caseReadable(doc.caseId);
  }

  /** Removes an unlinked upload of the caller's (the person removed it from the form). */
  async remove(caller: Caller, doc: AttachmentDoc): Promise<void> {
    await this.col.delete(doc._id, doc._v);
    // Content-addressed bytes: gone with the last upload of that content.
    if ((await this.col.count({ sha256: doc.sha256 })) === 0) await this.deps.blobs.remove(doc.sha256);
    await this.deps.audit.record({
      actorId: caller.user.id,
      action: 'attachment.delete',
      subjectType: 'Attachment',
      subjectId: doc._id,
      orgPath: doc.orgPath,
      before: { name: doc.name, size: doc.size, contentType: doc.contentType },
    });
  }

  static present(doc: AttachmentDoc) {
    return {
      id: doc._id,
      name: doc.name,
      url: attachmentUrl(doc._id),
      size: doc.size,
      contentType: doc.contentType,
      sha256: doc.sha256,
      uploadedAt: doc.uploadedAt,
      caseId: doc.caseId,
    };
  }
}

export function tooLarge(limit: number): MinflowError {
  return new MinflowError('MINFLOW_ERR_ATTACHMENTS_TOO_LARGE', {
    params: { limit: formatBytes(limit) },
    details: [{ path: '/file', message: `larger than ${limit} bytes` }],
  });
}

import type { CollectionSpec, StoredDoc } from '../../infra/store/port.js';

export const ATTACHMENTS = 'attachments';

/**
 * One uploaded file (collection `attachments`); its bytes are in the blob store under `sha256`.
 * While `caseId` is null (a draft's upload) only `uploadedBy` may read it (CASL subject
 * `Attachment`); once a case refers to it, whoever may read that case may download it.
 */
export interface AttachmentDoc extends StoredDoc {
  name: string;
  size: number;
  /** The type sniffed from the content (not the browser's claim, not the extension). */
  contentType: string;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  itemKey: string;
  /** JSON pointer of the form field it was uploaded for (`/attachments/idCards`). */
  field: string;
  taskForm: string | null;
  caseId: string | null;
  /** The uploader's unit path; the case's once linked. */
  orgPath: string[];
}

export const attachmentCollection: CollectionSpec = {
  name: ATTACHMENTS,
  indexes: [
    { name: 'case', fields: { caseId: 1 } },
    { name: 'uploader', fields: { uploadedBy: 1, uploadedAt: -1 } },
    // The orphan sweep: unlinked uploads by age, and whether other uploads still share a blob.
    { name: 'unlinked_age', fields: { caseId: 1, uploadedAt: 1 } },
    { name: 'sha', fields: { sha256: 1 } },
  ],
};

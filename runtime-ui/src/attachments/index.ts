import { ATTACHMENTS_FIELD } from '@minflow/sdk/attachments';
import type { RegistryFieldsType } from '@rjsf/utils';
import { AttachmentsField } from './AttachmentsField';

/** The rjsf fields the runtime UI adds, by the keys the engine knows (`minflow-attachments`). */
export const FORM_FIELDS: RegistryFieldsType = { [ATTACHMENTS_FIELD]: AttachmentsField };

export { markAttachmentFields } from '@minflow/sdk/attachments';
export { type AttachmentContext, AttachmentLink } from './AttachmentsField';

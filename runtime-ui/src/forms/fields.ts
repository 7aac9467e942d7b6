import { ADDRESS_FIELD, markAddressFields } from '@minflow/sdk/address';
import { ATTACHMENTS_FIELD, markAttachmentFields } from '@minflow/sdk/attachments';
import type { RegistryFieldsType } from '@rjsf/utils';
import { AddressField } from '../address/AddressField';
import { AttachmentsField } from '../attachments/AttachmentsField';

/**
 * The rjsf fields the runtime UI adds, by the extension keys the engine knows: `minflow-attachments`
 * (uploads) and `minflow-address` (an address picked from the jurisdiction tree).
 */
export const FORM_FIELDS: RegistryFieldsType = {
  [ATTACHMENTS_FIELD]: AttachmentsField,
  [ADDRESS_FIELD]: AddressField,
};

/**
 * A copy of the uiSchema with `ui:field` set on every field of a registered kind found by its shape
 * (attachment lists, addresses); explicit `ui:field`s are kept.
 */
export function markFormFields<T>(schema: unknown, uiSchema: T): T {
  return markAddressFields(schema, markAttachmentFields(schema, uiSchema));
}

/**
 * The form fields the runtime UI registers live in `../forms/fields` (attachments and addresses);
 * they are re-exported here for the pages that import them from this module. `markAttachmentFields`
 * marks every registered kind found by shape (attachment lists and addresses), not only attachments.
 */
export { FORM_FIELDS, markFormFields as markAttachmentFields, markFormFields } from '../forms/fields';
export { type AttachmentContext, AttachmentLink } from './AttachmentsField';

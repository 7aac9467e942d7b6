import type { ErrorTable } from '../types.js';

/** Codes of the attachments module (附件上传下载): `MINFLOW_ERR_ATTACHMENTS_<REASON>`. */
export const attachmentsErrors = {
  MINFLOW_ERR_ATTACHMENTS_NOT_A_FIELD: {
    status: 400,
    zh: '“{field}”不是该事项表单中的附件栏目',
    en: '"{field}" is not an attachment field of this form',
  },
  MINFLOW_ERR_ATTACHMENTS_NO_FILE: {
    status: 400,
    zh: '请选择要上传的文件',
    en: 'Choose a file to upload',
  },
  MINFLOW_ERR_ATTACHMENTS_TOO_LARGE: {
    status: 413,
    zh: '文件太大，单个文件不能超过 {limit}',
    en: 'The file is too large; one file may be at most {limit}',
  },
  MINFLOW_ERR_ATTACHMENTS_EMPTY: {
    status: 400,
    zh: '文件是空的，请重新选择',
    en: 'The file is empty; choose another one',
  },
  MINFLOW_ERR_ATTACHMENTS_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '文件类型不符合要求（实际为 {actual}），只能上传：{allowed}',
    en: 'File type not accepted (it is {actual}); accepted: {allowed}',
  },
  MINFLOW_ERR_ATTACHMENTS_REFERENCE_INVALID: {
    status: 400,
    zh: '申请中引用的附件不存在或不是您上传的，请重新上传',
    en: 'An attachment referenced in the application does not exist or was not uploaded by you; upload it again',
  },
} satisfies ErrorTable;

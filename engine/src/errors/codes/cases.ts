import type { ErrorTable } from '../types.js';

/** Codes of the cases and tasks modules: `MINFLOW_ERR_CASES_<REASON>`. */
export const casesErrors = {
  MINFLOW_ERR_CASES_DATA_INVALID: {
    status: 400,
    zh: '申请表填写有误，请按提示修改',
    en: 'The application form has errors; correct the marked fields',
  },
  MINFLOW_ERR_CASES_IDEMPOTENCY_MISMATCH: {
    status: 409,
    zh: '同一个提交编号已用于另一份不同的申请，请刷新页面后重新提交',
    en: 'This Idempotency-Key was already used for a different request; reload and submit again',
  },
  MINFLOW_ERR_CASES_ORG_UNIT_OUTSIDE: {
    status: 403,
    zh: '不能在您辖区以外的单位（{orgUnitId}）办理',
    en: 'You cannot file a case for a unit outside your jurisdiction ({orgUnitId})',
  },
  MINFLOW_ERR_CASES_START_NOT_ALLOWED: {
    status: 403,
    zh: '您所在层级不能发起“{item}”',
    en: 'Your level may not start "{item}"',
  },
  MINFLOW_ERR_CASES_TASK_FORM_INVALID: {
    status: 400,
    zh: '办理意见表填写有误，请按提示修改',
    en: 'The task form has errors; correct the marked fields',
  },
  MINFLOW_ERR_CASES_BUSY: {
    status: 409,
    zh: '案件正被其他操作更新，请稍后重试',
    en: 'The case is being updated by another operation; retry shortly',
  },
  MINFLOW_ERR_CASES_HANDLER_MISSING: {
    status: 500,
    zh: '服务任务处理器 {handler} 未安装',
    en: 'Service-task handler {handler} is not installed',
  },
} satisfies ErrorTable;

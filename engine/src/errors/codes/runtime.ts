import type { ErrorTable } from '../types.js';

/** Codes of the runtime area (the BPMN interpreter): `MINFLOW_ERR_RUNTIME_<REASON>`. */
export const runtimeErrors = {
  MINFLOW_ERR_RUNTIME_MODEL_INVALID: {
    status: 422,
    zh: '流程模型无法执行：{reason}',
    en: 'The process model cannot be executed: {reason}',
  },
  MINFLOW_ERR_RUNTIME_CASE_NOT_ACTIVE: {
    status: 409,
    zh: '案件已结束（{status}），不能再办理',
    en: 'The case has ended ({status}); no further action is possible',
  },
  MINFLOW_ERR_RUNTIME_TASK_NOT_OPEN: {
    status: 409,
    zh: '任务 {taskId} 不存在或已办结',
    en: 'Task {taskId} does not exist or is already closed',
  },
  MINFLOW_ERR_RUNTIME_TASK_SUSPENDED: {
    status: 409,
    zh: '任务 {taskId} 正在等待加签人 {signer} 处理',
    en: 'Task {taskId} is waiting for the added signer {signer}',
  },
  MINFLOW_ERR_RUNTIME_TASK_ALREADY_CLAIMED: {
    status: 409,
    zh: '任务已被 {assignee} 签收',
    en: 'The task is already claimed by {assignee}',
  },
  MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE: {
    status: 403,
    zh: '您不是该任务的办理人',
    en: 'You are not the assignee of this task',
  },
  MINFLOW_ERR_RUNTIME_NOT_CANDIDATE: {
    status: 403,
    zh: '您的角色不能办理该任务（需要：{roles}）',
    en: 'Your roles cannot act on this task (requires: {roles})',
  },
  MINFLOW_ERR_RUNTIME_ACTION_NOT_ALLOWED: {
    status: 400,
    zh: '该环节不允许操作“{action}”',
    en: 'Action "{action}" is not allowed at this step',
  },
  MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID: {
    status: 400,
    zh: '操作“{action}”的参数有误：{reason}',
    en: 'Invalid input for action "{action}": {reason}',
  },
  MINFLOW_ERR_RUNTIME_REASON_REQUIRED: {
    status: 400,
    zh: '操作“{action}”必须填写理由',
    en: 'Action "{action}" requires a reason (comment)',
  },
  MINFLOW_ERR_RUNTIME_FIELD_NOT_EDITABLE: {
    status: 403,
    zh: '该环节不能修改字段 {field}',
    en: 'This step may not change field {field}',
  },
  MINFLOW_ERR_RUNTIME_RETURN_TARGET_INVALID: {
    status: 400,
    zh: '不能退回到“{target}”：{reason}',
    en: 'Cannot return to "{target}": {reason}',
  },
  MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED: {
    status: 409,
    zh: '不能撤回：{reason}',
    en: 'Cannot withdraw: {reason}',
  },
  MINFLOW_ERR_RUNTIME_INCIDENT_NOT_FOUND: {
    status: 404,
    zh: '故障 {incidentId} 不存在或已处理',
    en: 'Incident {incidentId} does not exist or is already resolved',
  },
  MINFLOW_ERR_RUNTIME_CALLED_MODEL_NOT_FOUND: {
    status: 422,
    zh: '找不到被调用的流程 {calledElement}',
    en: 'The called process {calledElement} was not found',
  },
  MINFLOW_ERR_RUNTIME_STATE_INVALID: {
    status: 500,
    zh: '流程实例状态损坏：{reason}',
    en: 'The process instance state is corrupt: {reason}',
  },
} satisfies ErrorTable;

import type { ErrorTable } from '../types.js';

/** Codes of the definitions area: `MINFLOW_ERR_DEFINITIONS_<REASON>`. */
export const definitionsErrors = {
  MINFLOW_ERR_DEFINITIONS_INVALID: {
    status: 400,
    zh: '事项定义校验未通过，共 {count} 处问题',
    en: 'The definition is invalid: {count} problem(s)',
  },
  MINFLOW_ERR_DEFINITIONS_NOT_FOUND: { status: 404, zh: '事项定义“{key}”不存在', en: 'No definition "{key}"' },
  MINFLOW_ERR_DEFINITIONS_EXISTS: {
    status: 409,
    zh: '事项定义“{key}”已存在',
    en: 'A definition "{key}" already exists',
  },
  MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT: {
    status: 409,
    zh: '草稿已被他人修改（当前版本 {current}，提交的版本 {expected}），请刷新后重试',
    en: 'The draft was changed by someone else (now at version {current}, you sent {expected}); reload and try again',
  },
  MINFLOW_ERR_DEFINITIONS_NOT_PUBLISHED: {
    status: 404,
    zh: '事项“{key}”尚未发布',
    en: 'The item "{key}" has not been published',
  },
  MINFLOW_ERR_DEFINITIONS_VERSION_NOT_FOUND: {
    status: 404,
    zh: '事项“{key}”没有第 {version} 版',
    en: 'The item "{key}" has no version {version}',
  },
  MINFLOW_ERR_DEFINITIONS_PUBLISH_CONTENDED: {
    status: 409,
    zh: '事项“{key}”正在被同时发布，请稍后重试',
    en: 'The item "{key}" is being published concurrently; retry shortly',
  },
  MINFLOW_ERR_DEFINITIONS_RETIRED: {
    status: 409,
    zh: '事项“{name}”已停办，不能受理新的申请（办理中的案件不受影响）',
    en: 'The item "{name}" is retired: no new applications (cases already running continue)',
  },
  MINFLOW_ERR_DEFINITIONS_IMPORT_CONFLICT: {
    status: 409,
    zh: '事项“{key}”已存在，导入不会覆盖它；请换一个事项编号导入（key 参数）',
    en: 'An item "{key}" already exists and an import never overwrites it; import it under another key (the key parameter)',
  },
  MINFLOW_ERR_DEFINITIONS_SIMULATION_INVALID: {
    status: 400,
    zh: '流程无法模拟运行：{reason}',
    en: 'The flow cannot be simulated: {reason}',
  },
} satisfies ErrorTable;

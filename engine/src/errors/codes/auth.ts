import type { ErrorTable } from '../types.js';

/** Codes of the auth area: `MINFLOW_ERR_AUTH_<REASON>` (login, sessions, permissions, users, org units, audit). */
export const authErrors = {
  MINFLOW_ERR_AUTH_UNAUTHENTICATED: {
    status: 401,
    zh: '未登录或会话已过期，请重新登录',
    en: 'Not signed in, or the session has expired; please sign in again',
  },
  // One message for an unknown user and a wrong password, so usernames cannot be probed.
  MINFLOW_ERR_AUTH_INVALID_CREDENTIALS: {
    status: 401,
    zh: '用户名或密码错误',
    en: 'Wrong username or password',
  },
  MINFLOW_ERR_AUTH_ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账号已锁定至 {until}',
    en: 'Too many failed sign-in attempts; the account is locked until {until}',
  },
  MINFLOW_ERR_AUTH_ACCOUNT_DISABLED: {
    status: 403,
    zh: '账号已停用，请联系管理员',
    en: 'This account is disabled; contact your administrator',
  },
  MINFLOW_ERR_AUTH_FORBIDDEN: {
    status: 403,
    zh: '无权执行此操作',
    en: 'You are not allowed to do this',
  },
  MINFLOW_ERR_AUTH_USERNAME_TAKEN: {
    status: 409,
    zh: '用户名“{username}”已被使用',
    en: 'The username "{username}" is already taken',
  },
  MINFLOW_ERR_AUTH_ROLE_LEVEL_MISMATCH: {
    status: 400,
    zh: '角色“{role}”不能授予 {level} 级单位的用户',
    en: 'The role "{role}" cannot be given to a user of a {level}-level unit',
  },
  MINFLOW_ERR_AUTH_ORG_UNIT_NOT_FOUND: {
    status: 400,
    zh: '组织单位“{id}”不存在',
    en: 'Org unit "{id}" does not exist',
  },
  MINFLOW_ERR_AUTH_ORG_UNIT_LEVEL_INVALID: {
    status: 400,
    zh: '{parentLevel} 级单位之下只能建立 {expected} 级单位',
    en: 'Below a {parentLevel}-level unit only a {expected}-level unit can be created',
  },
  MINFLOW_ERR_AUTH_ORG_UNIT_EXISTS: {
    status: 409,
    zh: '组织单位编号或代码已存在：{id}',
    en: 'An org unit with this id or code already exists: {id}',
  },
  MINFLOW_ERR_AUTH_PASSWORD_WEAK: {
    status: 400,
    zh: '密码至少 10 位，且须同时包含字母和数字',
    en: 'The password needs at least 10 characters, with both letters and digits',
  },
  MINFLOW_ERR_AUTH_CURRENT_PASSWORD_WRONG: {
    status: 400,
    zh: '当前密码不正确',
    en: 'The current password is wrong',
  },
  MINFLOW_ERR_AUTH_RULES_INVALID: {
    status: 500,
    zh: '权限规则文件有误：{file}',
    en: 'Invalid permission rule file: {file}',
  },
  MINFLOW_ERR_AUTH_AUDIT_APPEND_FAILED: {
    status: 503,
    zh: '审计日志写入繁忙，请稍后重试',
    en: 'The audit log is busy; retry shortly',
  },
} satisfies ErrorTable;

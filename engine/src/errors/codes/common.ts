import type { ErrorTable } from '../types.js';

export const commonErrors = {
  MINFLOW_ERR_COMMON_VALIDATION: { status: 400, zh: '请求数据校验失败', en: 'The request is invalid' },
  MINFLOW_ERR_COMMON_NOT_FOUND: { status: 404, zh: '资源不存在', en: 'Not found' },
  MINFLOW_ERR_COMMON_ROUTE_NOT_FOUND: {
    status: 404,
    zh: '接口不存在：{method} {url}',
    en: 'No such route: {method} {url}',
  },
  MINFLOW_ERR_COMMON_CONFLICT: {
    status: 409,
    zh: '数据已被他人修改，请刷新后重试',
    en: 'The record was changed by someone else; reload and try again',
  },
  MINFLOW_ERR_COMMON_PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  MINFLOW_ERR_COMMON_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: '不支持的请求内容类型',
    en: 'Unsupported content type',
  },
  MINFLOW_ERR_COMMON_RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，请稍后再试',
    en: 'Too many requests; try again later',
  },
  MINFLOW_ERR_COMMON_INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  MINFLOW_ERR_COMMON_SHUTTING_DOWN: {
    status: 503,
    zh: '服务正在停止，请稍后重试',
    en: 'The server is shutting down; retry shortly',
  },
} satisfies ErrorTable;

import type { ErrorTable } from '../types.js';

/** Codes of the store area: `MINFLOW_ERR_STORE_<REASON>`. */
export const storeErrors = {
  MINFLOW_ERR_STORE_DUPLICATE: {
    status: 409,
    zh: '记录已存在（{index} 重复）',
    en: 'The record already exists (duplicate {index})',
  },
  MINFLOW_ERR_STORE_VERSION_CONFLICT: {
    status: 409,
    zh: '数据已被他人修改，请刷新后重试',
    en: 'The record was changed by someone else; reload and try again',
  },
  MINFLOW_ERR_STORE_NOT_FOUND: { status: 404, zh: '记录不存在', en: 'The record does not exist' },
  MINFLOW_ERR_STORE_FILTER_INVALID: {
    status: 400,
    zh: '查询条件不合法',
    en: 'The query filter is invalid',
  },
  MINFLOW_ERR_STORE_QUERY_INVALID: {
    status: 400,
    zh: '查询参数不合法（排序、分页或字段）',
    en: 'The query options are invalid (sort, paging or fields)',
  },
  MINFLOW_ERR_STORE_CURSOR_INVALID: {
    status: 400,
    zh: '分页游标无效或与当前查询不匹配，请从第一页重新查询',
    en: 'The page cursor is invalid or belongs to another query; start again from the first page',
  },
  MINFLOW_ERR_STORE_DOCUMENT_INVALID: {
    status: 400,
    zh: '数据无法保存：格式不合法',
    en: 'The record cannot be stored: it is malformed',
  },
  MINFLOW_ERR_STORE_NAME_INVALID: {
    status: 500,
    zh: '存储名称不合法：{name}',
    en: 'Invalid store name: {name}',
  },
  MINFLOW_ERR_STORE_INDEX_INVALID: {
    status: 500,
    zh: '索引定义不合法：{index}（{reason}）',
    en: 'Invalid index declaration {index}: {reason}',
  },
  MINFLOW_ERR_STORE_UNAVAILABLE: {
    status: 503,
    zh: '数据存储暂时不可用，请稍后重试',
    en: 'The data store is temporarily unavailable; retry shortly',
  },
} satisfies ErrorTable;

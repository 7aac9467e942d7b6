import type { ErrorTable } from '../types.js';

/** Codes of the public notice board (公示/公布): `MINFLOW_ERR_NOTICES_<REASON>`. */
export const noticesErrors = {
  MINFLOW_ERR_NOTICES_NOT_IN_PUBLICITY: {
    status: 409,
    zh: '该案件当前不在公示期内，不能提出异议',
    en: 'The case is not in its public notice period; objections are not accepted',
  },
} satisfies ErrorTable;

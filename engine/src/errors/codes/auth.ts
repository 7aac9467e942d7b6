import type { ErrorTable } from '../types.js';

/** Codes of the auth area: `MINFLOW_ERR_AUTH_<REASON>`. */
export const authErrors = {} satisfies ErrorTable;

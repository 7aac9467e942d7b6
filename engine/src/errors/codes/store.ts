import type { ErrorTable } from '../types.js';

/** Codes of the store area: `MINFLOW_ERR_STORE_<REASON>`. */
export const storeErrors = {} satisfies ErrorTable;

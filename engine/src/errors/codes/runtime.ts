import type { ErrorTable } from '../types.js';

/** Codes of the runtime area: `MINFLOW_ERR_RUNTIME_<REASON>`. */
export const runtimeErrors = {} satisfies ErrorTable;

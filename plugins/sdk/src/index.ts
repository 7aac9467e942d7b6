/**
 * @minflow/sdk — what plugins and both UIs share with the engine: the `minflow:` BPMN moddle
 * descriptor, the custom JSON Schema formats, and (with the plugins issue) `definePlugin`.
 */
export { default as minflowModdleDescriptor } from './moddle/minflow.json' with { type: 'json' };

/**
 * @minflow/sdk — what plugins and both UIs share with the engine: the `minflow:` BPMN moddle
 * descriptor, the custom JSON Schema formats, and `definePlugin` with its types. The contract test
 * kit is `@minflow/sdk/testkit` (it imports vitest, so it is kept out of this entry point).
 */
export { default as minflowModdleDescriptor } from './moddle/minflow.json' with { type: 'json' };
export {
  checkPlugin,
  definePlugin,
  type LocalizedText,
  type MinflowPlugin,
  PluginError,
  type PluginLogger,
  type ServiceTaskContext,
  type ServiceTaskHandler,
} from './plugin.js';

/**
 * The plugin API. A plugin is a package whose default export is `definePlugin({...})`. The engine
 * loads the configured list at start-up and registers every extension under its string key:
 * service-task handlers (the key a BPMN `minflow:handler` attribute names) and, later, form
 * formats and widgets shared with the UIs.
 */

/** zh-CN first; en optional. */
export interface LocalizedText {
  zh: string;
  en?: string;
}

/** What a service-task handler is given for one job. */
export interface ServiceTaskContext {
  /** Stable across redeliveries of the same job: use it as the idempotency key towards other systems. */
  jobKey: string;
  caseId: string;
  itemKey: string;
  /** The BPMN service task's id. */
  elementId: string;
  /** 1 for the first try; the engine retries failures by `minflow:retries` with `minflow:backoff`. */
  attempt: number;
  /** The case's variables at the time the job was created (form data by field name, task results by element id). */
  variables: Readonly<Record<string, unknown>>;
  /** The case's org unit and its ancestors, root first. */
  orgPath: readonly string[];
  /** Current time from the engine's clock (tests move it). */
  now: Date;
  log: PluginLogger;
}

export interface PluginLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/**
 * A service-task handler. Its result is stored under the service task's element id (e.g.
 * `economicCheck.eligible` in later FEEL conditions). Throw `PluginError` with `retryable: false`
 * for a definite failure (no retries, straight to an incident); any other error is retried.
 */
export interface ServiceTaskHandler {
  title: LocalizedText;
  description?: LocalizedText;
  /** JSON Schema of the result; the engine validates results against it before advancing the case. */
  resultSchema?: Record<string, unknown>;
  run(context: ServiceTaskContext): Promise<Record<string, unknown>>;
}

export interface MinflowPlugin {
  /** npm-style name, e.g. `economic-check`. */
  name: string;
  /** Semantic version. */
  version: string;
  title: LocalizedText;
  /** Service-task handlers by key; keys are global across plugins, e.g. `economic-check`. */
  handlers?: Record<string, ServiceTaskHandler>;
}

export class PluginError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PluginError';
    this.code = code;
    this.retryable = options.retryable ?? true;
  }
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Problems with a plugin's declaration, each naming where: empty when it is well-formed. */
export function checkPlugin(plugin: MinflowPlugin): string[] {
  const problems: string[] = [];
  if (!plugin || typeof plugin !== 'object') return ['plugin: not an object'];
  if (typeof plugin.name !== 'string' || !NAME.test(plugin.name)) problems.push('name: must be kebab-case');
  if (typeof plugin.version !== 'string' || !SEMVER.test(plugin.version))
    problems.push('version: must be semver (1.2.3)');
  if (!plugin.title?.zh) problems.push('title.zh: required');
  for (const [key, handler] of Object.entries(plugin.handlers ?? {})) {
    if (!NAME.test(key)) problems.push(`handlers.${key}: key must be kebab-case`);
    if (!handler || typeof handler.run !== 'function') problems.push(`handlers.${key}.run: must be a function`);
    if (!handler?.title?.zh) problems.push(`handlers.${key}.title.zh: required`);
    if (
      handler?.resultSchema !== undefined &&
      (typeof handler.resultSchema !== 'object' || handler.resultSchema === null)
    ) {
      problems.push(`handlers.${key}.resultSchema: must be a JSON Schema object`);
    }
  }
  return problems;
}

/** Declares a plugin; throws at load time when the declaration is malformed, naming each problem. */
export function definePlugin<P extends MinflowPlugin>(plugin: P): P {
  const problems = checkPlugin(plugin);
  if (problems.length) throw new TypeError(`invalid Minflow plugin ${String(plugin?.name)}: ${problems.join('; ')}`);
  return Object.freeze(plugin);
}

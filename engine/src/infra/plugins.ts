import { checkPlugin, type MinflowPlugin, type ServiceTaskHandler } from '@minflow/sdk';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface RegisteredHandler {
  key: string;
  plugin: { name: string; version: string };
  handler: ServiceTaskHandler;
}

/** Service-task handlers by the key a BPMN `minflow:handler` names, from every loaded plugin. */
export class HandlerRegistry {
  private readonly byKey = new Map<string, RegisteredHandler>();
  readonly plugins: MinflowPlugin[] = [];

  add(plugin: MinflowPlugin): void {
    const problems = checkPlugin(plugin);
    if (problems.length) throw new Error(`plugin ${String(plugin?.name)} is invalid: ${problems.join('; ')}`);
    for (const [key, handler] of Object.entries(plugin.handlers ?? {})) {
      const taken = this.byKey.get(key);
      if (taken) {
        throw new Error(`handler key "${key}" is declared by both ${taken.plugin.name} and ${plugin.name}`);
      }
      this.byKey.set(key, { key, plugin: { name: plugin.name, version: plugin.version }, handler });
    }
    this.plugins.push(plugin);
  }

  get(key: string): RegisteredHandler | undefined {
    return this.byKey.get(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }
}

export interface PluginsOptions {
  /** Plugin objects given directly (tests); otherwise `config.plugins` module specifiers are imported. */
  plugins?: MinflowPlugin[];
}

/**
 * Loads the configured plugins at start-up and decorates `app.handlers`. A plugin that fails to
 * load, is malformed, or reuses another's handler key stops the start with a message naming it:
 * a flow must never reach a service task whose handler silently went missing.
 */
export const pluginsPlugin = fp<PluginsOptions>(
  async (app: FastifyInstance, opts) => {
    const registry = new HandlerRegistry();
    const list: MinflowPlugin[] = opts.plugins ?? [];
    if (!opts.plugins) {
      for (const specifier of app.config.plugins) {
        const mod = (await import(specifier)) as { default?: MinflowPlugin };
        if (!mod.default) throw new Error(`plugin module ${specifier} has no default export (definePlugin(...))`);
        list.push(mod.default);
      }
    }
    for (const plugin of list) registry.add(plugin);
    app.decorate('handlers', registry);
    app.log.info({ plugins: list.map((p) => `${p.name}@${p.version}`), handlers: registry.keys() }, 'plugins loaded');
  },
  { name: 'minflow-plugins', dependencies: ['minflow-config'] },
);

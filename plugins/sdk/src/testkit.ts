import { Ajv } from 'ajv';
import ajvFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { addMinflowFormats } from './formats/index.js';
import { checkPlugin, type MinflowPlugin, type ServiceTaskContext } from './plugin.js';

/** One sample job for a handler, with an optional extra assertion on its result. */
export interface HandlerSample {
  title: string;
  variables: Record<string, unknown>;
  check?: (result: Record<string, unknown>) => void;
}

export interface PluginContractOptions {
  /** At least one sample per handler key: every handler must be exercised. */
  samples: Record<string, HandlerSample[]>;
}

// ajv-formats is CommonJS whose module object is the plugin function itself.
const addStandardFormats = ajvFormatsModule as unknown as (ajv: Ajv) => Ajv;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function sampleContext(handlerKey: string, sample: HandlerSample, n: number): ServiceTaskContext {
  const silent = { info() {}, warn() {}, error() {} };
  return {
    jobKey: `contract:${handlerKey}:${n}`,
    caseId: `case-contract-${n}`,
    itemKey: 'contract-item',
    elementId: 'serviceTask',
    attempt: 1,
    variables: deepFreeze(structuredClone(sample.variables)),
    orgPath: ['baiyin', 'baiyin/huining', 'baiyin/huining/huishi'],
    now: new Date('2026-03-02T02:00:00Z'),
    log: silent,
  };
}

/**
 * The contract every Minflow plugin passes (call it from the plugin's own test file): a valid
 * declaration, every handler exercised, results that are plain JSON matching the declared result
 * schema, the same result when a job is delivered twice (idempotency), and no mutation of the
 * case variables it is given.
 */
export function describePluginContract(plugin: MinflowPlugin, options: PluginContractOptions): void {
  describe(`plugin contract: ${plugin.name}@${plugin.version}`, () => {
    it('declares a valid name, version, title and handlers', () => {
      expect(checkPlugin(plugin)).toEqual([]);
    });

    it('has samples for every handler it declares', () => {
      for (const key of Object.keys(plugin.handlers ?? {})) {
        expect(options.samples[key]?.length ?? 0, `samples for handler ${key}`).toBeGreaterThan(0);
      }
    });

    const ajv = addMinflowFormats(addStandardFormats(new Ajv({ allErrors: true, strict: false })));
    for (const [key, handler] of Object.entries(plugin.handlers ?? {})) {
      (options.samples[key] ?? []).forEach((sample, n) => {
        it(`${key}: ${sample.title} — JSON result matching its schema, the same when delivered twice`, async () => {
          const first = await handler.run(sampleContext(key, sample, n));
          const again = await handler.run(sampleContext(key, sample, n));
          expect(first).toBeTypeOf('object');
          expect(JSON.parse(JSON.stringify(first))).toEqual(first);
          expect(again).toEqual(first);
          if (handler.resultSchema) {
            const validate = ajv.compile(handler.resultSchema);
            expect(validate(first), JSON.stringify(validate.errors)).toBe(true);
          }
          sample.check?.(first);
        });
      });
    }
  });
}

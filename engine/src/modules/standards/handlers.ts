import { definePlugin, type MinflowPlugin, PluginError } from '@minflow/sdk';
import type { DocumentStore } from '../../infra/store/port.js';
import { CASES, type CaseDoc, collectPersonIds } from '../cases/model.js';
import { FIGURE_KEYS, figuresProperties } from './model.js';
import type { StandardsService } from './service.js';

/**
 * Benefits a person may hold only one of at a time (《社会救助暂行办法》: 特困人员 are not also
 * paid 低保; a 低收入 family is one outside 低保 and 特困; one 低保 household per person). An
 * application for one of them conflicts with an active application or a granted case of any of
 * them (including the same item: a duplicate application, 重).
 */
export const EXCLUSIVE_BENEFITS = ['dibao-urban', 'dibao-rural', 'tekun', 'low-income'] as const;
/** Items whose cases the overlap check reports as holdings (the social-assistance line). */
export const ASSISTANCE_ITEMS = [...EXCLUSIVE_BENEFITS, 'medical-aid', 'temporary-aid', 'disaster-relief'] as const;

const maskId = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

/**
 * A case "holds" its benefit while it is being decided (status active) or once granted: the flows
 * of these items set `benefit.granted` in a script task on their grant path only.
 */
function holds(doc: CaseDoc): 'pending' | 'granted' | null {
  if (doc.status === 'active') return 'pending';
  const benefit = doc.state.variables.benefit as { granted?: unknown } | undefined;
  if (doc.status === 'completed' && benefit?.granted === true) return 'granted';
  return null;
}

const holdingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['idNumber', 'itemKey', 'itemName', 'caseId', 'orgUnitId', 'state', 'conflict'],
  properties: {
    idNumber: { type: 'string' },
    itemKey: { type: 'string' },
    itemName: { type: 'string' },
    caseId: { type: 'string' },
    orgUnitId: { type: 'string' },
    state: { enum: ['pending', 'granted'] },
    conflict: { type: 'boolean' },
  },
} as const;

/**
 * The built-in handlers of the standards module (registered with the other plugins' handlers):
 * - `load-standards`: the case county's standards for the current year into `<elementId>.*`.
 * - `benefit-overlap`: every person of the application looked up by ID number across the city's
 *   cases (the `personIds` index); overlapping holdings and the conflicts among them.
 */
export function standardsPlugin(deps: { store: DocumentStore; standards: StandardsService }): MinflowPlugin {
  return definePlugin({
    name: 'minflow-standards',
    version: '0.1.0',
    title: { zh: '救助标准与重复享受核查', en: 'Assistance standards and overlap check' },
    handlers: {
      'load-standards': {
        title: { zh: '读取本县救助标准', en: "Load the county's assistance standards" },
        description: {
          zh: '按案件所属县（区）和当前年度读取低保、特困、临时救助、医疗救助等标准，供后续 FEEL 计算使用。',
          en: "Reads the case county's standards for the current year (dibao, tekun, temporary and medical aid) for later FEEL.",
        },
        resultSchema: {
          type: 'object',
          additionalProperties: false,
          required: ['countyId', 'countyName', 'year', 'demo', ...FIGURE_KEYS],
          properties: {
            countyId: { type: 'string' },
            countyName: { type: 'string' },
            year: { type: 'integer' },
            demo: { type: 'boolean' },
            ...figuresProperties,
          },
        },
        async run(ctx) {
          const row = await deps.standards.forOrgPath(ctx.orgPath, ctx.now);
          if (!row) {
            // Definite: retrying will not configure the standards. The incident names what is missing.
            throw new PluginError(
              'STANDARDS_MISSING',
              `no standards configured for county ${ctx.orgPath[1] ?? '(none)'} in ${ctx.now.getUTCFullYear()}: PUT /api/standards/:countyId/:year, then retry the incident`,
              { retryable: false },
            );
          }
          // A row written before a figure existed (an older store) is refused by name, not half used.
          const missing = FIGURE_KEYS.filter((k) => row[k] === undefined || row[k] === null);
          if (missing.length) {
            throw new PluginError(
              'STANDARDS_INCOMPLETE',
              `the standards of county ${row.countyId} for ${row.year} lack ${missing.map((k) => `${k} (${figuresProperties[k].title})`).join(', ')}: PUT /api/standards/:countyId/:year with every figure, then retry the incident`,
              { retryable: false },
            );
          }
          return {
            countyId: row.countyId,
            countyName: row.countyName,
            year: row.year,
            demo: row.demo,
            ...Object.fromEntries(FIGURE_KEYS.map((k) => [k, row[k]])),
          };
        },
      },
      'benefit-overlap': {
        title: { zh: '重复享受核查', en: 'Overlapping-benefit check' },
        description: {
          zh: '按身份证号在全市案件中查找申请人及家庭成员正在申请或已获批的救助；低保、特困、低收入之间不得重复享受。',
          en: 'Looks up every person of the application by ID number across the city; dibao, tekun and low-income exclude each other.',
        },
        resultSchema: {
          type: 'object',
          additionalProperties: false,
          required: ['checkedIdNumbers', 'holdings', 'conflicts', 'hasConflict'],
          properties: {
            checkedIdNumbers: { type: 'integer', minimum: 0 },
            holdings: { type: 'array', items: holdingSchema },
            conflicts: { type: 'array', items: holdingSchema },
            hasConflict: { type: 'boolean' },
          },
        },
        async run(ctx) {
          const ids = collectPersonIds(ctx.variables);
          const exclusive = (EXCLUSIVE_BENEFITS as readonly string[]).includes(ctx.itemKey);
          const holdings: Array<Record<string, unknown>> = [];
          if (ids.length) {
            let cursor: string | null = null;
            do {
              const page = await deps.store.collection<CaseDoc>(CASES).find(
                {
                  personIds: { $in: ids },
                  itemKey: { $in: [...ASSISTANCE_ITEMS] },
                  status: { $in: ['active', 'completed'] },
                },
                { limit: 200, cursor, sort: { createdAt: 1 } },
              );
              for (const doc of page.items) {
                if (doc._id === ctx.caseId) continue;
                const state = holds(doc);
                if (!state) continue;
                const conflict = exclusive && (EXCLUSIVE_BENEFITS as readonly string[]).includes(doc.itemKey);
                for (const id of doc.personIds.filter((p) => ids.includes(p))) {
                  holdings.push({
                    idNumber: maskId(id),
                    itemKey: doc.itemKey,
                    itemName: doc.itemName.zh,
                    caseId: doc._id,
                    orgUnitId: doc.orgUnitId,
                    state,
                    conflict,
                  });
                }
              }
              cursor = page.nextCursor;
            } while (cursor);
          }
          const conflicts = holdings.filter((h) => h.conflict);
          ctx.log.info('benefit overlap checked', {
            people: ids.length,
            holdings: holdings.length,
            conflicts: conflicts.length,
          });
          return { checkedIdNumbers: ids.length, holdings, conflicts, hasConflict: conflicts.length > 0 };
        },
      },
    },
  });
}

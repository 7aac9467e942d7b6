import type { RegionUnit } from '@minflow/sdk/address';
import type { FastifyInstance } from 'fastify';
import { MinflowError } from '../../errors/registry.js';
import { ORG_UNITS, type OrgUnitDoc } from '../../infra/auth/model.js';
import type { DocumentStore } from '../../infra/store/port.js';
import { errorResponses, levelSchema } from './schemas.js';

/** At most this many units in one city's region list (a large prefecture-level city has ~3,000 villages). */
const MAX_UNITS = 50_000;

interface Cached {
  count: number;
  units: RegionUnit[];
}

/**
 * Region lists by store and city, cached in the process. Org units are only ever added (there is no
 * rename or delete), so a cached list is current while the city's unit count is unchanged: each read
 * costs one indexed count, and a unit added by another engine process is seen on the next read. A
 * unit created through this process also drops the cache at once ({@link invalidateRegions}).
 */
const cache = new WeakMap<DocumentStore, Map<string, Cached>>();

export function invalidateRegions(store: DocumentStore): void {
  cache.delete(store);
}

/**
 * The administrative divisions of a city: id, name, level and parent of every org unit under it
 * (root first by code). Administrative divisions are public, so this is not filtered by the caller's
 * ability; it gives nothing else of a unit (no code, path or version) and nothing of its users.
 */
export async function regionsOf(store: DocumentStore, cityId: string): Promise<RegionUnit[]> {
  const units = store.collection<OrgUnitDoc>(ORG_UNITS);
  const count = await units.count({ path: cityId });
  let byCity = cache.get(store);
  const hit = byCity?.get(cityId);
  if (hit && hit.count === count) return hit.units;
  const all: RegionUnit[] = [];
  let cursor: string | null = null;
  do {
    const page = await units.find(
      { path: cityId },
      { sort: { code: 1 }, limit: 1000, cursor, projection: ['name', 'level', 'parentId'] },
    );
    for (const u of page.items) all.push({ id: u._id, name: u.name, level: u.level, parentId: u.parentId ?? null });
    cursor = page.nextCursor;
  } while (cursor && all.length < MAX_UNITS);
  if (!byCity) {
    byCity = new Map();
    cache.set(store, byCity);
  }
  byCity.set(cityId, { count: all.length, units: all });
  return all;
}

const regionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'level', 'parentId'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    level: levelSchema,
    parentId: { type: ['string', 'null'] },
  },
} as const;

/** `GET /api/org-units/regions` — the city's region tree for address pickers (any signed-in user). */
export default async function regionsRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/org-units/regions',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['org'],
        summary:
          'The administrative divisions of the caller’s city (id, name, level, parent of every unit), for address pickers; public data, not limited to the caller’s jurisdiction',
        security: [{ bearer: [] }, { cookie: [] }],
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['cityId', 'items'],
            properties: {
              cityId: { type: 'string' },
              items: { type: 'array', items: regionSchema },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      if (!request.user) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
      const cityId = request.user.orgPath[0] ?? request.user.orgUnitId;
      return { cityId, items: await regionsOf(app.store, cityId) };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { USERS, type UserDoc } from '../../infra/auth/model.js';
import type { DocumentStore } from '../../infra/store/port.js';

const MAX_IDS = 100;

/**
 * Display names of users by id (who acted in a timeline, who holds a task), for any signed-in
 * caller: a village assistant must see which county approver decided their case, though they may
 * not list the county's users. Only `displayName` is given — no username, roles or unit.
 */
export async function userNames(store: DocumentStore, ids: string[]): Promise<Record<string, string>> {
  const wanted = [...new Set(ids)].filter((id) => id && id !== 'system' && id !== 'public').slice(0, MAX_IDS);
  if (wanted.length === 0) return {};
  const page = await store
    .collection<UserDoc>(USERS)
    .find({ _id: { $in: wanted } }, { limit: wanted.length, projection: ['displayName'] });
  return Object.fromEntries(page.items.map((u) => [u._id, u.displayName]));
}

/** `GET /api/users/names?ids=a&ids=b` */
export default async function userNamesRoutes(app: FastifyInstance): Promise<void> {
  const errorRef = { $ref: 'MinflowError#' } as const;
  app.get<{ Querystring: { ids: string[] } }>(
    '/users/names',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Display names of users by id (timelines, task holders); unknown ids are left out',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['ids'],
          properties: {
            ids: {
              type: 'array',
              items: { type: 'string', minLength: 1, maxLength: 200 },
              minItems: 1,
              maxItems: MAX_IDS,
            },
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['names'],
            properties: {
              names: {
                type: 'object',
                description: 'id → display name',
                additionalProperties: { type: 'string' },
              },
            },
          },
          400: errorRef,
          401: errorRef,
        },
      },
    },
    async (request) => ({ names: await userNames(app.store, request.query.ids) }),
  );
}

import type { FastifyInstance } from 'fastify';
import { LEVELS } from '../../infra/auth/types.js';
import { loadRoleDefinitions } from '../../permissions/rules.js';

const errorRef = { $ref: 'MinflowError#' } as const;
const localized = {
  type: 'object',
  additionalProperties: false,
  required: ['zh'],
  properties: { zh: { type: 'string' }, en: { type: 'string' } },
} as const;

const handlersResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'title', 'plugin', 'version'],
        properties: {
          key: { type: 'string' },
          title: localized,
          description: localized,
          plugin: { type: 'string' },
          version: { type: 'string' },
        },
      },
    },
  },
} as const;

const rolesResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['roles', 'levels'],
  properties: {
    roles: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'name', 'levels'],
        properties: { key: { type: 'string' }, name: localized, levels: { type: 'array', items: { type: 'string' } } },
      },
    },
    levels: { type: 'array', items: { type: 'string' } },
  },
} as const;

/**
 * What the designer offers in its pick lists, from the running engine rather than copies: the
 * service-task handlers of the installed plugins, and the roles with the levels each may be held at.
 */
export default async function metaRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['meta'];
  app.get(
    '/meta/handlers',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Service-task handlers of the installed plugins (minflow:handler keys)',
        response: { 200: handlersResponse, 401: errorRef },
      },
    },
    async () => ({
      items: app.handlers.keys().map((key) => {
        const h = app.handlers.get(key)!;
        return {
          key,
          title: h.handler.title,
          ...(h.handler.description ? { description: h.handler.description } : {}),
          plugin: h.plugin.name,
          version: h.plugin.version,
        };
      }),
    }),
  );
  app.get(
    '/meta/roles',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Roles (minflow:roles values) with their names and the levels each may be held at',
        response: { 200: rolesResponse, 401: errorRef },
      },
    },
    async () => ({
      roles: [...loadRoleDefinitions().values()].map((r) => ({ key: r.role, name: r.name, levels: r.levels })),
      levels: [...LEVELS],
    }),
  );
}

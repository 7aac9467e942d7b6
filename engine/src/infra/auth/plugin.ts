import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Sessions, bearer tokens, `request.user`/`request.ability`, `app.authenticate` and `app.audit`. */
export const authPlugin = fp(async (_app: FastifyInstance) => {}, {
  name: 'minflow-auth',
  dependencies: ['minflow-store'],
});

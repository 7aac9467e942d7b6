import type { FastifyInstance } from 'fastify';

export default async function definitionsRoutes(_app: FastifyInstance): Promise<void> {}

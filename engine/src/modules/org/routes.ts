import type { FastifyInstance } from 'fastify';

export default async function orgRoutes(_app: FastifyInstance): Promise<void> {}

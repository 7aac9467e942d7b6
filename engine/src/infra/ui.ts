import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves a built single-page app under `prefix`: real files as they are, any other path below the
 * prefix gets index.html so client-side routes survive a reload.
 */
export async function serveSpa(app: FastifyInstance, prefix: '/app' | '/designer', dir: string): Promise<void> {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    app.log.warn({ dir }, `UI not built; ${prefix} is unavailable (run npm run build:ui)`);
    return;
  }
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: `${prefix}/`,
      decorateReply: false,
      wildcard: false,
      index: ['index.html'],
      // The build writes a .gz beside each JS/CSS file (runtime-ui/build/bundle-report.ts): sent with
      // Content-Encoding: gzip to browsers that accept it (a quarter of the bytes), the file itself otherwise.
      preCompressed: true,
      cacheControl: true,
      maxAge: 0,
      setHeaders(reply, filePath) {
        // Hashed assets are immutable; index.html must always be revalidated.
        if (filePath.includes(`${path.sep}assets${path.sep}`))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        else reply.header('cache-control', 'no-cache');
      },
    });
    const sendIndex = async (_req: unknown, reply: import('fastify').FastifyReply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(await fs.promises.readFile(index));
    scope.get(prefix, { schema: { hide: true } }, async (_req, reply) => reply.redirect(`${prefix}/`));
    scope.get(`${prefix}/*`, { schema: { hide: true } }, sendIndex);
  });
}

import type { MinflowConfig } from './config.js';
import type { Lang } from './errors/registry.js';
import type { AuditLog } from './infra/audit/types.js';
import type { AppAbility, SessionUser } from './infra/auth/types.js';
import type { Clock } from './infra/clock.js';
import type { HandlerRegistry } from './infra/plugins.js';
import type { JobQueue } from './infra/queue/port.js';
import type { DocumentStore } from './infra/store/port.js';

// One place for the decorations the infrastructure plugins add, so every module sees the same types.
declare module 'fastify' {
  interface FastifyInstance {
    config: MinflowConfig;
    clock: Clock;
    /** Set by the store plugin (`minflow-store`). */
    store: DocumentStore;
    /** Set by the queue plugin (`minflow-queue`): inline (store-backed) or Bull. */
    queue: JobQueue;
    /** Service-task handlers of the loaded plugins (`minflow-plugins`). */
    handlers: HandlerRegistry;
    /** Set by the audit part of the auth plugin (`minflow-auth`). */
    audit: AuditLog;
    /** onRequest/preHandler hook: 401 unless a valid session or bearer token is presented. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    lang: Lang;
    /** Null until `authenticate` ran successfully. */
    user: SessionUser | null;
    /** The caller's CASL ability (empty for anonymous callers). */
    ability: AppAbility;
  }
}

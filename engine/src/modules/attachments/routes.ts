import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { MinflowError } from '../../errors/registry.js';
import { assertCan } from '../../infra/auth/ability.js';
import { callerOf } from '../cases/routes.js';
import type { Caller } from '../cases/service.js';
import { BlobStore } from './blobs.js';
import { attachmentSchema, deleted, idParams, uploadQuery } from './schemas.js';
import { AttachmentService, tooLarge, type UploadTarget } from './service.js';
import { OrphanSweeper, type OrphanSweepOptions, resolveSweepOptions } from './sweep.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Uploaded files (附件): the cases and tasks routes check and link what a case refers to. */
    attachments: AttachmentService;
    /** Removes uploads no case refers to after the retention period (`MINFLOW_ATTACHMENT_ORPHAN_DAYS`). */
    attachmentSweeper: OrphanSweeper;
  }
}

const errorRef = { $ref: 'MinflowError#' } as const;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef } as const;
/** The largest file any field may declare; a field's own limit is applied per request. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** `attachment; filename="a.pdf"; filename*=UTF-8''%E7%94%B3.pdf` (RFC 6266/5987: ASCII fallback, UTF-8 name). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Whether the caller may read the case (cases they may read in their jurisdiction, or were cc'd on). */
async function caseReadable(app: FastifyInstance, caller: Caller, caseId: string): Promise<boolean> {
  try {
    await app.cases.getForCaller(caller, caseId);
    return true;
  } catch {
    return false;
  }
}

async function attachmentRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 2 },
  });
  app.addSchema(attachmentSchema);
  const tags = ['attachments'];
  const service = app.attachments;

  app.post<{ Querystring: UploadTarget }>(
    '/attachments',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Upload one file (multipart/form-data, part `file`) for an attachment field of a published form',
        description:
          'Size and type limits come from the field’s schema (`size.maximum`, the `contentType` values) and `ui:options.accept`; the type is sniffed from the content. The answer’s `{ name, url, size, contentType }` is what the form value stores.',
        consumes: ['multipart/form-data'],
        querystring: uploadQuery,
        response: { 201: { $ref: 'MinflowAttachment#' }, ...errors, 413: errorRef, 415: errorRef },
      },
    },
    async (request, reply) => {
      assertCan(request, 'create', 'Attachment');
      const caller = callerOf(request);
      const limits = await service.limitsFor(request.query);
      if (!request.isMultipart()) throw new MinflowError('MINFLOW_ERR_ATTACHMENTS_NO_FILE');
      const part = await request.file({ limits: { fileSize: limits.maxSize, files: 1, fields: 0 } });
      if (!part) throw new MinflowError('MINFLOW_ERR_ATTACHMENTS_NO_FILE');
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(limits.maxSize);
        throw err;
      }
      const doc = await service.upload(caller, request.query, {
        filename: part.filename,
        bytes,
        declaredType: part.mimetype,
      });
      return reply.status(201).send(AttachmentService.present(doc));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/attachments/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Download a file: the uploader’s own before it is submitted, then whoever may read its case',
        params: idParams,
        produces: ['application/octet-stream'],
        response: { 200: { type: 'string', format: 'binary' }, ...errors },
      },
    },
    async (request, reply) => {
      const doc = await readable(request);
      await app.audit.record({
        actorId: request.user!.id,
        action: 'attachment.download',
        subjectType: 'Attachment',
        subjectId: doc._id,
        orgPath: doc.orgPath,
        meta: { requestId: request.id, caseId: doc.caseId },
      });
      return reply
        .header('Content-Type', doc.contentType)
        .header('Content-Length', String(doc.size))
        .header('Content-Disposition', contentDisposition(doc.name))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'private, no-store')
        .send(service.openBlob(doc));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/attachments/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Remove one’s own upload that no case refers to yet',
        params: idParams,
        response: { 200: deleted, ...errors },
      },
    },
    async (request) => {
      const doc = await service.get(request.params.id);
      if (!doc) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      if (doc.caseId !== null) {
        if (await caseReadable(app, callerOf(request), doc.caseId))
          throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN');
        throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      }
      assertCan(request, 'delete', 'Attachment', { ...doc });
      await service.remove(callerOf(request), doc);
      return { deleted: true };
    },
  );

  async function readable(request: FastifyRequest<{ Params: { id: string } }>) {
    const caller = callerOf(request);
    const doc = await service.get(request.params.id);
    // Outside the caller's reach answers as if missing: no existence leak.
    if (!doc || !(await service.readableBy(caller, doc, (id) => caseReadable(app, caller, id)))) {
      throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
    }
    return doc;
  }
}

export interface AttachmentsPluginOptions extends OrphanSweepOptions {
  /** Where `MINFLOW_ATTACHMENT_ORPHAN_DAYS` is read (buildApp passes its environment). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The attachments module: the service (decorated for the cases routes), its routes under /api, and the
 * sweep of uploads no case refers to (periodic job on the queue, and once at start-up).
 */
async function attachmentsPlugin(app: FastifyInstance, opts: AttachmentsPluginOptions): Promise<void> {
  const blobs = new BlobStore(path.join(app.config.dataDir, 'uploads'));
  const service = new AttachmentService({
    store: app.store,
    blobs,
    clock: app.clock,
    audit: app.audit,
    getPublished: (key) => app.definitions.getPublished(key),
  });
  await service.ensureCollections();
  app.decorate('attachments', service);
  const sweeper = new OrphanSweeper(
    {
      store: app.store,
      blobs,
      clock: app.clock,
      audit: app.audit,
      queue: app.queue,
      log: app.log,
      link: (actorId, caseDoc, docs) => service.linkToCase(actorId, caseDoc, docs),
    },
    resolveSweepOptions(opts.env ?? {}, opts),
  );
  sweeper.registerJob();
  app.decorate('attachmentSweeper', sweeper);
  app.addHook('onReady', async () => sweeper.start());
  // Routes in their own scope, so the multipart parser applies to the upload route only.
  await app.register(attachmentRoutes);
}

export default fp<AttachmentsPluginOptions>(attachmentsPlugin, {
  name: 'minflow-attachments',
  dependencies: ['minflow-store', 'minflow-queue', 'minflow-auth', 'minflow-definitions'],
});

import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ajvErrorsToDetails } from './ajv-details.js';
import { type ErrorCode, errorMessage, errorRegistry, langFromHeader, MinflowError } from './registry.js';
import type { ErrorDetail } from './types.js';

/** JSON Schema of every error response. */
export const errorResponseSchema = {
  $id: 'MinflowError',
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message', 'details'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const fastifyCodeMap: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'MINFLOW_ERR_COMMON_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'MINFLOW_ERR_COMMON_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MINFLOW_ERR_COMMON_VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MINFLOW_ERR_COMMON_VALIDATION',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MINFLOW_ERR_COMMON_VALIDATION',
};

/** Every error leaves the API as `{ code, message, details }` in the caller's language. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('lang', 'zh-CN');
    app.addHook('onRequest', async (request) => {
      request.lang = langFromHeader(request.headers['accept-language']);
    });

    app.addSchema(errorResponseSchema);

    app.setNotFoundHandler((request, reply) => {
      const code: ErrorCode = 'MINFLOW_ERR_COMMON_ROUTE_NOT_FOUND';
      reply.status(404).send({
        code,
        message: errorMessage(code, request.lang, { method: request.method, url: request.url.split('?')[0] }),
        details: [],
      });
    });

    app.setErrorHandler((error: FastifyError | MinflowError, request, reply) => {
      const lang = request.lang ?? 'zh-CN';
      if (error instanceof MinflowError) {
        if (error.status >= 500) request.log.error({ err: error }, 'minflow error');
        return reply.status(error.status).send({
          code: error.code,
          message: errorMessage(error.code, lang, error.params),
          details: error.details,
        });
      }
      const fe = error as FastifyError & { validationContext?: string };
      if (fe.validation) {
        const prefix = fe.validationContext && fe.validationContext !== 'body' ? `/${fe.validationContext}` : '';
        const details = ajvErrorsToDetails(fe.validation as never, lang, prefix);
        const code: ErrorCode = 'MINFLOW_ERR_COMMON_VALIDATION';
        return reply.status(400).send({ code, message: errorMessage(code, lang), details });
      }
      const mapped = fe.code ? fastifyCodeMap[fe.code] : undefined;
      if (mapped) {
        const details: ErrorDetail[] =
          mapped === 'MINFLOW_ERR_COMMON_VALIDATION' ? [{ path: '', message: fe.message }] : [];
        return reply
          .status(errorRegistry[mapped].status)
          .send({ code: mapped, message: errorMessage(mapped, lang), details });
      }
      const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 ? fe.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'unhandled error');
        const code: ErrorCode = 'MINFLOW_ERR_COMMON_INTERNAL';
        return reply.status(500).send({ code, message: errorMessage(code, lang), details: [] });
      }
      // A 4xx raised by a fastify plugin: keep its status, give it a registry code.
      const code: ErrorCode =
        status === 404
          ? 'MINFLOW_ERR_COMMON_NOT_FOUND'
          : status === 429
            ? 'MINFLOW_ERR_COMMON_RATE_LIMITED'
            : 'MINFLOW_ERR_COMMON_VALIDATION';
      return reply
        .status(status)
        .send({ code, message: errorMessage(code, lang), details: [{ path: '', message: fe.message }] });
    });
  },
  { name: 'minflow-errors' },
);

import { attachmentReferences } from '@minflow/sdk/attachments';
import type { FastifyInstance } from 'fastify';
import { MinflowError } from '../../errors/registry.js';
import { assertCan } from '../../infra/auth/ability.js';
import type { TaskInput } from '../../runtime/index.js';
import { TASKS, type TaskDoc } from '../cases/model.js';
import { presentCase, presentTaskRow } from '../cases/present.js';
import { callerOf } from '../cases/routes.js';
import { completeTaskBody, idParams, listTasksQuery, taskCounts, taskPage } from '../cases/schemas.js';

const errorRef = { $ref: 'MinflowError#' } as const;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef } as const;

/**
 * The inbox (待办 / 已办 / 抄送) and the actions on a task. Acting goes through the cases service:
 * each action is one version-checked write of the case; of two people acting at once, one wins
 * and the other gets 409.
 */
export default async function tasksRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['tasks'];

  app.get<{
    Querystring: { box?: 'todo' | 'done' | 'cc'; itemKey?: string; overdue?: boolean; limit?: number; cursor?: string };
  }>(
    '/tasks',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'The caller’s inbox: todo (their roles at their unit, or assigned to them), done, cc',
        querystring: listTasksQuery,
        response: { 200: taskPage, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Task');
      const page = await app.cases.listTasks(callerOf(request), { ...request.query, box: request.query.box ?? 'todo' });
      const now = app.clock.now().toISOString();
      return { items: page.items.map((row) => presentTaskRow(row, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/tasks/counts',
    {
      onRequest: app.authenticate,
      schema: { tags, summary: 'Inbox counts for the home page', response: { 200: taskCounts, ...errors } },
    },
    async (request) => {
      assertCan(request, 'read', 'Task');
      return app.cases.taskCounts(callerOf(request));
    },
  );

  const caseResponse = { 200: { $ref: 'MinflowCase#' }, ...errors };

  app.get<{ Params: { id: string } }>(
    '/tasks/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'A task with its case (open or closed); 404 when the caller may not read the case',
        description:
          'The same 404 answers an unknown id and a task outside the caller’s reach, so existence is not revealed.',
        params: idParams,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['task', 'case'],
            properties: { task: { $ref: 'MinflowTask#' }, case: { $ref: 'MinflowCase#' } },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Task');
      const row = await app.store.collection<TaskDoc>(TASKS).get(request.params.id);
      if (!row) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      // The case decides (jurisdiction, or carbon-copied): not found otherwise, like an unknown id.
      const doc = await app.cases.getForCaller(callerOf(request), row.caseId);
      const shown: Record<string, unknown> = await presentCase(request, doc, true);
      const open = (shown.openTasks as Array<{ id: string }>).find((t) => t.id === row._id);
      return { task: open ?? presentTaskRow(row, app.clock.now().toISOString()), case: shown };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/tasks/:id/claim',
    {
      onRequest: app.authenticate,
      schema: { tags, summary: 'Claim (签收) an open task', params: idParams, response: caseResponse },
    },
    async (request) => presentCase(request, await app.cases.claim(callerOf(request), request.params.id), true),
  );

  app.post<{ Params: { id: string } }>(
    '/tasks/:id/unclaim',
    {
      onRequest: app.authenticate,
      schema: { tags, summary: 'Give a claimed task back to the candidates', params: idParams, response: caseResponse },
    },
    async (request) => presentCase(request, await app.cases.unclaim(callerOf(request), request.params.id), true),
  );

  app.post<{ Params: { id: string }; Body: TaskInput }>(
    '/tasks/:id/complete',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Act on a task: approve, reject, return, transfer, delegate, resolve, addSigner, cc, comment',
        description:
          '`data` is validated against the task form; `changes` may only touch the step’s editable case fields; reject and return require a comment.',
        params: idParams,
        body: completeTaskBody,
        response: caseResponse,
      },
    },
    async (request) => {
      const caller = callerOf(request);
      // Files uploaded in this step (a correction's new papers, a task form's) must be the caller's own or
      // already this case's; they become the case's after the write.
      const sent = { data: request.body.data ?? {}, changes: request.body.changes ?? {} };
      let attachments: Awaited<ReturnType<typeof app.attachments.checkReferences>> = [];
      if (attachmentReferences(sent).length > 0) {
        const row = await app.store.collection<TaskDoc>(TASKS).get(request.params.id);
        attachments = await app.attachments.checkReferences(caller, sent, async (id) => id === row?.caseId, '');
      }
      const doc = await app.cases.complete(caller, request.params.id, request.body);
      await app.attachments.linkToCase(caller.user.id, doc, attachments);
      return presentCase(request, doc, true);
    },
  );
}

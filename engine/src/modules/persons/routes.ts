import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { assertCan } from '../../infra/auth/ability.js';
import { presentForRequest } from '../../permissions/mask.js';
import { callerOf } from '../cases/routes.js';
import { personQuery, personResult } from './schemas.js';
import { PersonLookup } from './service.js';

const errorRef = { $ref: 'MinflowError#' } as const;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef } as const;

/** Person lookup (人员查询) under /api: every case and benefit of a person and their household. */
export default async function personsRoutes(app: FastifyInstance): Promise<void> {
  const lookup = new PersonLookup(app.store);

  app.get<{ Querystring: { idNumber?: string; name?: string } }>(
    '/persons',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['persons'],
        summary: 'Every case and benefit of a person and their household, by ID number (exact) or name (prefix)',
        description:
          'Only cases in the caller’s jurisdiction. ID numbers are masked unless the role may reveal them; each unmasked person is audited (`person.reveal`).',
        querystring: personQuery,
        response: { 200: personResult, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Person');
      const found = await lookup.find(callerOf(request), request.query);
      const persons = [];
      for (const p of found.persons) {
        // The person's record is decided on the jurisdiction of the case naming them; a reveal is audited.
        // The audit names the person by a hash of the ID number, not the number itself.
        const shown = await presentForRequest(request, 'Person', {
          _id: `person-${createHash('sha256').update(p.idNumber).digest('hex').slice(0, 24)}`,
          orgPath: p.orgPath,
          idNumber: p.idNumber,
        });
        persons.push({
          name: p.name,
          idNumber: String(shown.idNumber),
          matched: p.matched,
          relation: p.relation,
          caseIds: p.caseIds,
          masked: shown.idNumber !== p.idNumber,
        });
      }
      return { persons, cases: found.cases.map(({ orgPath: _o, ...c }) => c), truncated: found.truncated };
    },
  );
}

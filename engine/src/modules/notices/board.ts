import type { NoticeEntry, NoticeGroup } from '@minflow/sdk/notices';
import { ORG_UNITS, type OrgUnitDoc } from '../../infra/auth/model.js';
import type { DocumentStore, Filter } from '../../infra/store/port.js';
import { maskIdNumber, maskName } from '../../permissions/mask.js';
import { CASES, type CaseDoc } from '../cases/model.js';

/**
 * The public notice board, read from the cases through the store port. The BPMN convention:
 *
 * - 公示 (notice period): a token waits at an element whose id starts with `publicity` (the
 *   event-based gateway racing the notice timer against the `objection` message). The period runs
 *   from the objection subscription's creation to the due time of the timer armed for that token.
 * - 公布 (publication): the case completed through an end event whose id starts with
 *   `publication`, or with the result variable `benefit.granted = true` (the grant record the
 *   social-assistance items keep for the benefit-overlap check; its `householdSize` and
 *   `monthlyAmount` are shown).
 * - What the notice shows besides the masked name and ID number: the FEEL result variable
 *   `notice` (`{ householdSize, amount }`), numbers only. Nothing else of the case ever leaves.
 */
export const PUBLICITY_PREFIX = 'publicity';
export const PUBLICATION_PREFIX = 'publication';
export const OBJECTION_MESSAGE = 'objection';

export type { NoticeEntry, NoticeGroup };

export interface NoticeQuery {
  orgUnitId?: string;
  itemKey?: string;
  limit?: number;
}

/** The publicity token of an active case, if it is in its notice period (and can take an objection). */
export function publicityOf(doc: CaseDoc): { tokenId: string; from: string | null; until: string | null } | null {
  if (doc.status !== 'active') return null;
  const token = doc.state.tokens.find((t) => t.state === 'waiting' && t.node.startsWith(PUBLICITY_PREFIX));
  if (!token) return null;
  const subscription = doc.state.messages.find((m) => m.tokenId === token.id && m.name === OBJECTION_MESSAGE);
  if (!subscription) return null;
  const timer = doc.state.timers.find((t) => t.tokenId === token.id);
  return { tokenId: token.id, from: subscription.createdAt, until: timer?.dueAt ?? null };
}

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The granted benefit recorded by the flow (`benefit.granted = true`), if the case went through a
 * notice period first: a benefit that was never in 公示 (children, health-only items) is never
 * published either.
 */
function grantedBenefit(doc: CaseDoc): Record<string, unknown> | null {
  const benefit = record(doc.state.variables.benefit);
  if (benefit?.granted !== true) return null;
  // The event-based gateway logs the event that won, with the gateway's id as `message`.
  const noticed = doc.state.history.some(
    (h) =>
      (typeof h.elementId === 'string' && h.elementId.startsWith(PUBLICITY_PREFIX)) ||
      (h.type === 'gateway.eventWon' && typeof h.message === 'string' && h.message.startsWith(PUBLICITY_PREFIX)),
  );
  return noticed ? benefit : null;
}

export function isPublished(doc: CaseDoc): boolean {
  return (
    doc.status === 'completed' &&
    (grantedBenefit(doc) !== null ||
      doc.state.history.some(
        (h) =>
          h.type === 'element.ended' && typeof h.elementId === 'string' && h.elementId.startsWith(PUBLICATION_PREFIX),
      ))
  );
}

const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The public face of a case: masked name and ID number, household size and amount; nothing else.
 * 公示 shows the `notice` variable; 公布 the granted `benefit` when the flow records one.
 */
export function noticeEntry(
  doc: CaseDoc,
  from: string | null,
  until: string | null,
  kind: 'publicity' | 'publication' = 'publicity',
): NoticeEntry {
  const benefit = kind === 'publication' ? grantedBenefit(doc) : null;
  const n = benefit
    ? { householdSize: benefit.householdSize, amount: benefit.monthlyAmount ?? benefit.amount }
    : (record(doc.state.variables.notice) ?? {});
  const size = finiteOrNull(n.householdSize);
  return {
    caseId: doc._id,
    name: doc.applicantName ? maskName(doc.applicantName) : null,
    idNumber: doc.applicantIdNumber ? maskIdNumber(doc.applicantIdNumber) : null,
    householdSize: size !== null && Number.isInteger(size) ? size : null,
    amount: finiteOrNull(n.amount),
    from,
    until,
  };
}

export class NoticeBoard {
  constructor(private readonly store: DocumentStore) {}

  private get cases() {
    return this.store.collection<CaseDoc>(CASES);
  }

  async get(caseId: string): Promise<CaseDoc | null> {
    return this.cases.get(caseId);
  }

  async list(q: NoticeQuery): Promise<NoticeGroup[]> {
    const limit = q.limit ?? 200;
    const scope: Filter[] = [];
    if (q.orgUnitId) scope.push({ orgPath: q.orgUnitId });
    if (q.itemKey) scope.push({ itemKey: q.itemKey });
    const [inNotice, published] = await Promise.all([
      this.cases.find(
        {
          $and: [
            ...scope,
            { status: 'active' },
            { 'state.tokens': { $elemMatch: { node: { $regex: `^${PUBLICITY_PREFIX}` }, state: 'waiting' } } },
          ],
        },
        { sort: { createdAt: -1 }, limit },
      ),
      this.cases.find(
        {
          $and: [
            ...scope,
            { status: 'completed' },
            {
              $or: [
                { 'state.variables.benefit.granted': true },
                {
                  'state.history': {
                    $elemMatch: { type: 'element.ended', elementId: { $regex: `^${PUBLICATION_PREFIX}` } },
                  },
                },
              ],
            },
          ],
        },
        { sort: { createdAt: -1 }, limit },
      ),
    ]);
    const groups = new Map<string, NoticeGroup>();
    const names = new Map<string, string>();
    const group = async (doc: CaseDoc): Promise<NoticeGroup> => {
      const key = `${doc.orgUnitId}\u0000${doc.itemKey}`;
      let g = groups.get(key);
      if (!g) {
        let unitName = names.get(doc.orgUnitId);
        if (unitName === undefined) {
          const unit = await this.store.collection<OrgUnitDoc>(ORG_UNITS).get(doc.orgUnitId);
          unitName = unit?.name ?? '';
          names.set(doc.orgUnitId, unitName);
        }
        g = {
          orgUnitId: doc.orgUnitId,
          orgUnitName: unitName,
          itemKey: doc.itemKey,
          itemName: doc.itemName.zh,
          publicity: [],
          publication: [],
        };
        groups.set(key, g);
      }
      return g;
    };
    for (const doc of inNotice.items) {
      const p = publicityOf(doc);
      if (p) (await group(doc)).publicity.push(noticeEntry(doc, p.from, p.until));
    }
    for (const doc of published.items) {
      if (isPublished(doc)) (await group(doc)).publication.push(noticeEntry(doc, doc.endedAt, null, 'publication'));
    }
    return [...groups.values()].sort(
      (a, b) => a.orgUnitId.localeCompare(b.orgUnitId) || a.itemKey.localeCompare(b.itemKey),
    );
  }
}

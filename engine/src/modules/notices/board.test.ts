import { describe, expect, it } from 'vitest';
import type { CaseDoc } from '../cases/model.js';
import { isPublished, noticeEntry, publicityOf } from './board.js';

/** A case document with just the parts the board reads. */
function caseDoc(overrides: { status?: string; variables?: Record<string, unknown>; state?: Record<string, unknown> }) {
  return {
    _id: 'c1',
    status: overrides.status ?? 'completed',
    applicantName: '欧阳秀英',
    applicantIdNumber: '62042219550101022X',
    endedAt: '2026-03-20T02:00:00.000Z',
    state: {
      tokens: [],
      messages: [],
      timers: [],
      history: [],
      variables: overrides.variables ?? {},
      ...overrides.state,
    },
  } as unknown as CaseDoc;
}

describe('notice board entries', () => {
  it('公布 from a granted benefit record shows its household size and monthly amount only', () => {
    const doc = caseDoc({
      state: { history: [{ type: 'gateway.eventWon', elementId: 'noticeOver', message: 'publicity' }] },
      variables: {
        benefit: { granted: true, monthlyAmount: 1_240, householdSize: 3, standard: 720, countyId: 'baiyin/huining' },
        assessment: { monthlyIncome: 310, members: [{ health: '重病' }] },
      },
    });
    expect(isPublished(doc)).toBe(true);
    const entry = noticeEntry(doc, doc.endedAt, null, 'publication');
    expect(entry).toEqual({
      caseId: 'c1',
      name: '欧**英',
      idNumber: '620422********022X',
      householdSize: 3,
      amount: 1_240,
      from: '2026-03-20T02:00:00.000Z',
      until: null,
    });
  });

  it('a completed case without a publication end or a granted benefit is not published; a refused one neither', () => {
    expect(isPublished(caseDoc({ variables: { benefit: { granted: false } } }))).toBe(false);
    // Granted without a notice period (e.g. a child's benefit): never on the board.
    expect(isPublished(caseDoc({ variables: { benefit: { granted: true, monthlyAmount: 1_350 } } }))).toBe(false);
    expect(isPublished(caseDoc({ status: 'rejected', variables: { benefit: { granted: true } } }))).toBe(false);
    const viaEnd = caseDoc({ state: { history: [{ type: 'element.ended', elementId: 'publicationGranted' }] } });
    expect(isPublished(viaEnd)).toBe(true);
  });

  it('公示 needs a waiting publicity token with an objection subscription; non-numbers never pass', () => {
    const waiting = caseDoc({
      status: 'active',
      variables: { notice: { householdSize: '3 人', amount: 'NaN', diagnosis: '精神残疾' } },
      state: {
        tokens: [{ id: 't1', node: 'publicity', state: 'waiting' }],
        messages: [{ tokenId: 't1', name: 'objection', createdAt: '2026-03-02T01:00:00.000Z' }],
        timers: [{ tokenId: 't1', dueAt: '2026-03-09T01:00:00.000Z' }],
      },
    });
    expect(publicityOf(waiting)).toEqual({
      tokenId: 't1',
      from: '2026-03-02T01:00:00.000Z',
      until: '2026-03-09T01:00:00.000Z',
    });
    const entry = noticeEntry(waiting, null, null);
    expect(entry).toMatchObject({ householdSize: null, amount: null });
    expect(Object.keys(entry).sort()).toEqual([
      'amount',
      'caseId',
      'from',
      'householdSize',
      'idNumber',
      'name',
      'until',
    ]);
    const noSubscription = caseDoc({
      status: 'active',
      state: { tokens: [{ id: 't1', node: 'publicity', state: 'waiting' }] },
    });
    expect(publicityOf(noSubscription)).toBeNull();
  });
});

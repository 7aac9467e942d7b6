import { accessibleFilter } from '../../infra/auth/ability.js';
import { escapeRegex } from '../../infra/store/filter.js';
import type { DocumentStore, Filter } from '../../infra/store/port.js';
import { CASES, type CaseDoc } from '../cases/model.js';
import type { Caller } from '../cases/service.js';

/** How far a lookup reaches: a household is small; these bound a pathological query. */
const MAX_SEED_CASES = 50;
const MAX_HOUSEHOLD_IDS = 60;
const MAX_CASES = 200;

const RESIDENT_ID = /^\d{17}[\dX]$/;

export interface PersonFound {
  name: string | null;
  idNumber: string;
  /** Whether the person is the one searched for (by ID number, or an applicant whose name matched). */
  matched: boolean;
  /** The role in the applications: applicant (申请人) in at least one, else household member. */
  relation: 'applicant' | 'member';
  caseIds: string[];
  /** The jurisdiction of the first case naming the person (what `reveal` is decided on). */
  orgPath: string[];
}

export interface CaseFound {
  id: string;
  itemKey: string;
  itemName: { zh: string; en?: string };
  status: string;
  applicantName: string | null;
  orgUnitId: string;
  orgPath: string[];
  createdAt: string;
  endedAt: string | null;
  benefit: { granted: boolean; monthlyAmount: number | null; startMonth: string | null } | null;
}

const PROJECTION = [
  'itemKey',
  'itemName',
  'status',
  'applicantName',
  'applicantIdNumber',
  'personIds',
  'orgUnitId',
  'orgPath',
  'createdAt',
  'endedAt',
  'state',
];

/** `{ name, idNumber }` pairs anywhere in form data (keys ending in idNumber, beside a `name`). */
export function peopleIn(data: unknown): Array<{ name: string | null; idNumber: string; applicant: boolean }> {
  const out: Array<{ name: string | null; idNumber: string; applicant: boolean }> = [];
  const visit = (value: unknown, key: string, depth: number) => {
    if (!value || typeof value !== 'object' || depth > 12) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, key, depth + 1);
      return;
    }
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (/idnumber$/i.test(k) && typeof v === 'string' && RESIDENT_ID.test(v.toUpperCase())) {
        const name = typeof obj.name === 'string' ? obj.name : null;
        out.push({ name, idNumber: v.toUpperCase(), applicant: depth === 0 || key === 'applicant' });
      } else visit(v, k, depth + 1);
    }
  };
  visit(data, '', 0);
  return out;
}

function benefitOf(doc: CaseDoc): CaseFound['benefit'] {
  const b = doc.state?.variables?.benefit as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object') return null;
  return {
    granted: b.granted === true,
    monthlyAmount:
      typeof b.monthlyAmount === 'number' ? b.monthlyAmount : typeof b.amount === 'number' ? b.amount : null,
    startMonth: typeof b.startMonth === 'string' ? b.startMonth : null,
  };
}

/**
 * Person lookup (人员查询): the cases naming a person — by resident ID number (exact) or applicant
 * name (prefix) — then every case of anyone in the same households (the applicants and members of
 * those applications), across items. Only cases the caller may read as `Case` and as `Person`
 * (their jurisdiction) are ever loaded: the ability is part of every store filter.
 */
export class PersonLookup {
  constructor(private readonly store: DocumentStore) {}

  private scope(caller: Caller): Filter {
    return {
      $and: [accessibleFilter(caller.ability, 'read', 'Case'), accessibleFilter(caller.ability, 'read', 'Person')],
    };
  }

  async find(caller: Caller, q: { idNumber?: string; name?: string }) {
    const cases = this.store.collection<CaseDoc>(CASES);
    const scope = this.scope(caller);
    const criterion: Filter = q.idNumber
      ? { personIds: q.idNumber.toUpperCase() }
      : { applicantName: { $regex: `^${escapeRegex(q.name ?? '')}` } };
    let seeds = await cases.find(
      { $and: [scope, criterion] },
      { sort: { createdAt: -1 }, limit: MAX_SEED_CASES, projection: PROJECTION },
    );
    const matchedIds = new Set<string>();
    if (q.idNumber) matchedIds.add(q.idNumber.toUpperCase());
    else {
      // By name: the applicants found, then every case naming them (also as a household member).
      for (const c of seeds.items) if (c.applicantIdNumber) matchedIds.add(c.applicantIdNumber);
      if (matchedIds.size > 0) {
        seeds = await cases.find(
          { $and: [scope, { personIds: { $in: [...matchedIds].slice(0, MAX_HOUSEHOLD_IDS) } }] },
          { sort: { createdAt: -1 }, limit: MAX_SEED_CASES, projection: PROJECTION },
        );
      }
    }

    const household = new Set<string>(matchedIds);
    for (const c of seeds.items) for (const id of c.personIds ?? []) household.add(id);
    const ids = [...household].slice(0, MAX_HOUSEHOLD_IDS);
    const all =
      ids.length === 0
        ? []
        : (
            await cases.find(
              { $and: [scope, { personIds: { $in: ids } }] },
              { sort: { createdAt: -1 }, limit: MAX_CASES, projection: PROJECTION },
            )
          ).items;

    const persons = new Map<string, PersonFound>();
    for (const c of all) {
      for (const p of peopleIn(c.state?.data)) {
        if (!household.has(p.idNumber)) continue;
        const cur = persons.get(p.idNumber);
        if (cur) {
          if (!cur.caseIds.includes(c._id)) cur.caseIds.push(c._id);
          if (p.applicant) cur.relation = 'applicant';
          cur.name ??= p.name;
        } else {
          persons.set(p.idNumber, {
            name: p.name,
            idNumber: p.idNumber,
            matched: matchedIds.has(p.idNumber),
            relation: p.applicant ? 'applicant' : 'member',
            caseIds: [c._id],
            orgPath: c.orgPath,
          });
        }
      }
    }
    const found: CaseFound[] = all.map((c) => ({
      id: c._id,
      itemKey: c.itemKey,
      itemName: c.itemName,
      status: c.status,
      applicantName: c.applicantName,
      orgUnitId: c.orgUnitId,
      orgPath: c.orgPath,
      createdAt: c.createdAt,
      endedAt: c.endedAt,
      benefit: benefitOf(c),
    }));
    // The searched person first, then applicants, then members; by name within each.
    const people = [...persons.values()].sort(
      (a, b) =>
        Number(b.matched) - Number(a.matched) ||
        Number(b.relation === 'applicant') - Number(a.relation === 'applicant') ||
        (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN'),
    );
    return { persons: people, cases: found, truncated: seeds.nextCursor !== null || all.length >= MAX_CASES };
  }
}

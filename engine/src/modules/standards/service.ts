import { MinflowError } from '../../errors/registry.js';
import type { AuditLog } from '../../infra/audit/types.js';
import { ORG_UNITS, type OrgUnitDoc } from '../../infra/auth/model.js';
import type { Clock } from '../../infra/clock.js';
import type { DocumentStore } from '../../infra/store/port.js';
import {
  demoStandards,
  FIGURE_KEYS,
  STANDARDS,
  type StandardFigures,
  type StandardsDoc,
  standardsId,
} from './model.js';

const BEIJING_MS = 8 * 3600_000;

/** The calendar year in Beijing time (a case filed on 31 Dec 23:30 UTC is already next year's). */
export function beijingYear(at: Date): number {
  return new Date(at.getTime() + BEIJING_MS).getUTCFullYear();
}

export class StandardsService {
  constructor(private readonly deps: { store: DocumentStore; clock: Clock; audit: AuditLog }) {}

  private get rows() {
    return this.deps.store.collection<StandardsDoc>(STANDARDS);
  }

  async ensureCollection(): Promise<void> {
    await this.deps.store.ensureCollection({
      name: STANDARDS,
      indexes: [{ name: 'county_year', fields: { countyId: 1, year: -1 } }],
    });
  }

  /**
   * Seeds the demo figures into an empty collection (demo stores only): 2024 through 2026, or
   * through the current year when that is later, so the flows of a demo store started in a later
   * year find their year's standards.
   */
  async seedDemo(): Promise<number> {
    if ((await this.rows.count({})) > 0) return 0;
    const last = Math.max(2026, beijingYear(this.deps.clock.now()));
    return this.addDemoYears(Array.from({ length: last - 2023 }, (_, i) => 2024 + i));
  }

  /**
   * Adds the demo figures of `years` for the counties that have no row for that year (rows already
   * there, demo or set by an admin, are left alone). `npm run seed:demo` asks for the years its
   * cases span.
   */
  async addDemoYears(years?: readonly number[]): Promise<number> {
    let n = 0;
    const now = this.deps.clock.now().toISOString();
    for (const row of demoStandards(years)) {
      try {
        await this.rows.insert({
          _id: standardsId(row.countyId, row.year),
          ...row,
          demo: true,
          note: '演示数据：数额为合理量级的示例，并非各县（区）正式公布的标准',
          updatedAt: now,
          updatedBy: 'system',
        });
        n++;
      } catch (err) {
        if ((err as { code?: string }).code !== 'MINFLOW_ERR_STORE_DUPLICATE') throw err;
      }
    }
    return n;
  }

  async list(q: { countyId?: string; year?: number }): Promise<StandardsDoc[]> {
    const filter: Record<string, unknown> = {};
    if (q.countyId) filter.countyId = q.countyId;
    if (q.year) filter.year = q.year;
    const page = await this.rows.find(filter, { sort: { countyId: 1, year: -1 }, limit: 1000 });
    return page.items;
  }

  async get(countyId: string, year: number): Promise<StandardsDoc | null> {
    return this.rows.get(standardsId(countyId, year));
  }

  /**
   * The standards that apply to a case: its county's row for the year (Beijing time) of `at`.
   * No fallback to another year or county: paying on a guessed standard would be wrong.
   */
  async forOrgPath(orgPath: readonly string[], at: Date): Promise<StandardsDoc | null> {
    const countyId = orgPath[1];
    if (!countyId) return null;
    return this.get(countyId, beijingYear(at));
  }

  /** Creates (version 0 / absent) or replaces (version N, 409 when stale) a county's row for a year. */
  async put(
    actorId: string,
    countyId: string,
    year: number,
    body: StandardFigures & { version?: number; note?: string | null },
  ): Promise<StandardsDoc> {
    const county = await this.deps.store.collection<OrgUnitDoc>(ORG_UNITS).get(countyId);
    if (county?.level !== 'county') {
      throw new MinflowError('MINFLOW_ERR_AUTH_ORG_UNIT_NOT_FOUND', {
        params: { id: countyId },
        details: [{ path: '/countyId', message: countyId }],
      });
    }
    const figures = Object.fromEntries(FIGURE_KEYS.map((k) => [k, body[k]])) as unknown as StandardFigures;
    const id = standardsId(countyId, year);
    const next = {
      _id: id,
      countyId,
      countyName: county.name,
      year,
      ...figures,
      demo: false,
      note: body.note ?? null,
      updatedAt: this.deps.clock.now().toISOString(),
      updatedBy: actorId,
    };
    const before = await this.rows.get(id);
    let saved: StandardsDoc;
    if (!before) {
      if (body.version) throw new MinflowError('MINFLOW_ERR_STORE_VERSION_CONFLICT');
      saved = await this.rows.insert(next);
    } else {
      if (body.version === undefined || body.version === 0)
        throw new MinflowError('MINFLOW_ERR_STORE_VERSION_CONFLICT');
      saved = await this.rows.replace(id, body.version, next);
    }
    await this.deps.audit.record({
      actorId,
      action: before ? 'standards.update' : 'standards.create',
      subjectType: 'Standards',
      subjectId: id,
      orgPath: county.path,
      before: before ? pick(before) : null,
      after: pick(saved),
    });
    return saved;
  }
}

function pick(doc: StandardsDoc): Record<string, unknown> {
  return { version: doc._v, ...Object.fromEntries(FIGURE_KEYS.map((k) => [k, doc[k]])), note: doc.note };
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { MinflowConfig } from '../config.js';
import { MinflowError } from '../errors/registry.js';
import { buildAbility } from '../infra/auth/ability.js';
import { USERS, type UserDoc } from '../infra/auth/model.js';
import { hashPassword } from '../infra/auth/password.js';
import type { Role, SessionUser } from '../infra/auth/types.js';
import { ManualClock } from '../infra/clock.js';
import type { InlineQueue } from '../infra/queue/inline.js';
import type { Collection, StoredDoc } from '../infra/store/port.js';
import {
  CASES,
  type CaseDoc,
  TASKS,
  type TaskDoc,
  USER_NOTICES,
  type UserNoticeDoc,
  unitAtLevel,
} from '../modules/cases/model.js';
import { type Caller, CaseService, TIMER_JOB } from '../modules/cases/service.js';
import type { JsonObject } from '../modules/definitions/model.js';
import { DefinitionsService } from '../modules/definitions/service.js';
import { beijingYear, StandardsService } from '../modules/standards/service.js';
import { maskIdNumber, maskName } from '../permissions/mask.js';
import type { TaskState } from '../runtime/index.js';
import { flattenDemoTree } from './demo-data.js';
import { ageOn, personName, Rng, replacementBirth, residentIdNumber } from './people.js';
import { taskFormData } from './task-data.js';

/**
 * `npm run seed:demo`: realistic demo cases across the 19 items and the demo villages.
 *
 * How the cases stay REAL. Up to `templates` cases (all of them at 1k) are driven through the
 * engine itself, in-process: `CaseService.create`, `complete` and `withdraw` as users of the
 * case's own units, the queue running the service tasks (economic check, standards, overlap) and
 * timers (公示), on a manual clock that walks forward through the last two years. Each case
 * follows a plan (granted, refused at some step, withdrawn); the ones filed recently are still
 * open at whatever step they reached. Those cases are exactly what the API would have produced
 * (case document, inbox rows, notices, audit entries, queued timers).
 *
 * Beyond that (100k, 1M) each further case is a copy of one of those engine-made cases with other
 * people (new names, new ID numbers of the same birth date and sex, so ages and amounts still hold)
 * and possibly another village of the same township: the same case document, inbox rows and
 * notices with the ids replaced, the pending timers queued, written in batches (`insertMany`), so
 * memory stays flat. Copies share their template's dates. Copies are not in the audit log one by
 * one: one `demo.seed` entry records the run.
 */
export interface SeedDemoCasesOptions {
  dataDir?: string;
  /** How many cases in all. */
  size: number;
  /** Cases driven through the engine (the rest are copies); default 150 + size / 1000 (1k: 151, 1M: 1,150). */
  templates?: number;
  /** Make sure this user (username) has at least `inboxTasks` open tasks in their 待办. */
  inboxUser?: string;
  inboxTasks?: number;
  /** PRNG seed: the same seed gives the same plans. */
  seed?: number;
  /** The end of the simulated period (default: now). */
  now?: Date;
  /** Over how many days the cases are spread (default 730). */
  days?: number;
  progress?: (line: string) => void;
  /** The environment the app's configuration is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** For tests: the app's configuration on top of the environment. */
  config?: Partial<MinflowConfig>;
}

export interface SeedDemoCasesReport {
  cases: number;
  engineCases: number;
  copies: number;
  byItem: Record<string, number>;
  byStatus: Record<string, number>;
  inbox: { username: string; openTasks: number } | null;
  /** Cases whose plan could not be followed (left where they stopped; still real). */
  stuck: number;
  createdUsers: string[];
  generatedPassword: string | null;
  seconds: number;
}

export const DEMO_SEED = 'demo_seed';
const MARKER_ID = 'demo-cases';
const SYSTEM_ACTOR = 'demo-seed';
const DAY = 86_400_000;

/** How often each item is filed (low-volume items like 地名 and 选举备案 are rare). */
const ITEM_WEIGHTS: Record<string, number> = {
  'dibao-rural': 16,
  'dibao-urban': 7,
  'elderly-allowance': 12,
  'disability-subsidies': 8,
  'temporary-aid': 8,
  'medical-aid': 7,
  'low-income': 5,
  tekun: 4,
  'funeral-subsidy': 5,
  petition: 6,
  'conscript-family-allowance': 3,
  'special-care-pension': 3,
  'disaster-relief': 3,
  'village-affairs': 4,
  'orphan-support': 1.5,
  'village-election': 1,
  'village-rules': 1,
  'veteran-disability': 1,
  'place-name': 0.5,
};

/** The day the sample applications describe (their applicants' ages are taken on it). */
const SAMPLE_DAY = '2026-03-02';

interface Unit {
  id: string;
  name: string;
  code: string;
  level: string;
  path: string[];
}

interface Plan {
  itemKey: string;
  unit: Unit;
  at: number;
  /** `stall`: nobody acts after step `rejectAt` (the case waits, overdue by now, as some do). */
  kind: 'grant' | 'reject' | 'withdraw' | 'stall';
  rejectAt: number;
  sample: number;
}

interface Running {
  plan: Plan;
  caseId: string;
  creator: SessionUser;
  steps: number;
  done: boolean;
}

const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/** Office hours on a working day (Mon–Fri 09:00–17:30 Beijing), at or after `ms`. */
function officeTime(ms: number, rng: Rng): number {
  let t = ms;
  for (let i = 0; i < 10; i++) {
    const bj = new Date(t + 8 * 3600_000);
    const dow = bj.getUTCDay();
    const minutes = bj.getUTCHours() * 60 + bj.getUTCMinutes();
    if (dow === 0 || dow === 6 || minutes >= 17 * 60 + 30) {
      const next = Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate() + 1, 1, rng.int(0, 90));
      t = next;
      continue;
    }
    if (minutes < 9 * 60) return Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate(), 1, rng.int(0, 90));
    return t;
  }
  return t;
}

/** A tiny binary min-heap of events by time. */
class Events<T> {
  private heap: Array<{ at: number; value: T }> = [];
  get size() {
    return this.heap.length;
  }
  push(at: number, value: T) {
    const h = this.heap;
    h.push({ at, value });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].at <= h[i].at) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }
  pop(): { at: number; value: T } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].at < h[m].at) m = l;
        if (r < h.length && h[r].at < h[m].at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

function loadSamples(itemKey: string): Array<Record<string, unknown>> {
  const url = new URL(`./samples/${itemKey}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

// ---------------------------------------------------------------- people in a case

interface Person {
  name: string | null;
  idNumber: string | null;
}

const HAN_NAME = /^[\u4e00-\u9fa5]{2,4}$/;
const RESIDENT_ID = /^\d{17}[\dX]$/;

/** The people of an application: objects with an `idNumber` (and their `name`), and other person-name fields. */
function peopleOf(data: unknown): { persons: Person[]; names: string[] } {
  const persons: Person[] = [];
  const names = new Set<string>();
  const visit = (value: unknown, key: string) => {
    if (Array.isArray(value)) for (const v of value) visit(v, key);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o.idNumber === 'string' && RESIDENT_ID.test(o.idNumber)) {
        persons.push({
          idNumber: o.idNumber,
          name: typeof o.name === 'string' && HAN_NAME.test(o.name) ? o.name : null,
        });
      }
      for (const [k, v] of Object.entries(o)) visit(v, k);
    } else if (typeof value === 'string' && /name$/i.test(key) && !/bank|unit|place|proposed|old|current/i.test(key)) {
      if (HAN_NAME.test(value) && !/[村镇县区市社所局会]$/.test(value)) names.add(value);
    }
  };
  visit(data, '');
  for (const p of persons) if (p.name) names.delete(p.name);
  return { persons, names: [...names] };
}

function replaceAll(text: string, pairs: Array<[string, string]>): string {
  let out = text;
  for (const [from, to] of pairs) if (from && from !== to) out = out.split(from).join(to);
  return out;
}

/**
 * Replacement pairs giving every person of `data` a new name and ID number (same sex; birth date
 * from `birthFor`, region `region`), with their masked forms (公示 shows 张*明 and 6204**********1234).
 */
function newPeople(
  data: unknown,
  rng: Rng,
  region: (old: string) => string,
  birthFor: (old: string) => string,
): Array<[string, string]> {
  const { persons, names } = peopleOf(data);
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const p of persons) {
    if (!p.idNumber || seen.has(p.idNumber)) continue;
    seen.add(p.idNumber);
    const male = Number(p.idNumber[16]) % 2 === 1;
    const seq = rng.int(0, 499) * 2 + (male ? 1 : 0);
    const id = residentIdNumber(region(p.idNumber), birthFor(p.idNumber), seq);
    pairs.push([p.idNumber, id], [maskIdNumber(p.idNumber), maskIdNumber(id)]);
    if (p.name && !seen.has(p.name)) {
      seen.add(p.name);
      const name = personName(rng, male);
      pairs.push([p.name, name], [maskName(p.name), maskName(name)]);
    }
  }
  for (const n of names) {
    if (seen.has(n)) continue;
    seen.add(n);
    const name = personName(rng, rng.chance(0.5));
    pairs.push([n, name], [maskName(n), maskName(name)]);
  }
  // Longest first, so a name inside a longer string is replaced consistently.
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

// ---------------------------------------------------------------- the seeder

export async function seedDemoCases(options: SeedDemoCasesOptions): Promise<SeedDemoCasesReport> {
  const began = Date.now();
  const say = options.progress ?? (() => {});
  const rng = new Rng(options.seed ?? 20_260_301);
  const now = (options.now ?? new Date()).getTime();
  const days = options.days ?? 730;
  const size = Math.max(1, Math.floor(options.size));
  const templates = Math.min(size, Math.max(1, options.templates ?? 150 + Math.floor(size / 1000)));
  const clock = new ManualClock(new Date(now - days * DAY - DAY));

  const env = options.env ?? process.env;
  // One password for the demo users seeded now (empty store) and the staff users added below.
  const generatedPassword =
    env.MINFLOW_DEMO_PASSWORD || options.config?.demoPassword ? null : randomBytes(9).toString('base64url');
  const app = await buildApp({
    env,
    config: {
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(generatedPassword ? { demoPassword: generatedPassword } : {}),
      seedDemo: true,
      production: false,
      redisUrl: null,
      ...options.config,
    },
    clock,
    logger: false,
  });
  try {
    await app.ready();
    const marker = app.store.collection<StoredDoc & Record<string, unknown>>(DEMO_SEED);
    await app.store.ensureCollection({ name: DEMO_SEED });
    const previous = await marker.get(MARKER_ID);
    if (previous) {
      throw new MinflowError('MINFLOW_ERR_COMMON_CONFLICT', {
        details: [
          {
            path: '/dataDir',
            message: `演示案件已于 ${previous.startedAt} 生成（${previous.size} 件${previous.finishedAt ? '' : '，未完成'}）；如需重新生成，请先删除数据目录 / demo cases were already seeded into this store (${previous.size} cases at ${previous.startedAt}); remove the data directory to seed again`,
          },
        ],
      });
    }
    await marker.insert({ _id: MARKER_ID, size, startedAt: new Date().toISOString(), finishedAt: null });

    // Standards for every year the cases span (the flows refuse to compute on a missing year).
    const standards = new StandardsService({ store: app.store, clock: app.clock, audit: app.audit });
    const first = beijingYear(new Date(now - days * DAY - 2 * DAY));
    const last = beijingYear(new Date(now));
    await standards.addDemoYears(Array.from({ length: last - first + 1 }, (_, i) => first + i));

    const seeder = new Seeder(app, clock, rng, now, say);
    const created = await seeder.ensureActors(generatedPassword);
    say(
      `模拟 ${templates} 件案件走完引擎流程 / driving ${templates} cases through the engine (ready in ${((Date.now() - began) / 1000).toFixed(1)} s) ...`,
    );
    const plans = seeder.plans(templates, days);
    await seeder.simulate(plans);
    const engineIds = seeder.running.map((r) => r.caseId);

    let copies = 0;
    if (options.inboxUser && options.inboxTasks) {
      copies += await seeder.fillInbox(options.inboxUser, options.inboxTasks, size - templates);
    }
    if (size - templates - copies > 0) {
      say(`复制出其余 ${size - templates - copies} 件 / copying the other ${size - templates - copies} cases ...`);
      copies += await seeder.copies(engineIds, size - templates - copies);
    }
    const report = await seeder.report(options.inboxUser ?? null);
    await app.audit.record({
      actorId: SYSTEM_ACTOR,
      action: 'demo.seed',
      subjectType: 'Case',
      subjectId: MARKER_ID,
      orgPath: ['baiyin'],
      before: null,
      after: { cases: report.cases, engineCases: templates, copies, byItem: report.byItem, byStatus: report.byStatus },
    });
    const prev = (await marker.get(MARKER_ID)) as StoredDoc;
    await marker.replace(MARKER_ID, prev._v, { ...prev, finishedAt: new Date().toISOString(), cases: report.cases });
    return {
      ...report,
      engineCases: templates,
      copies,
      stuck: seeder.stuck,
      createdUsers: created.usernames,
      generatedPassword: created.password,
      seconds: (Date.now() - began) / 1000,
    };
  } finally {
    await app.close();
  }
}

class Seeder {
  readonly running: Running[] = [];
  stuck = 0;
  private readonly units: Unit[];
  private readonly byId: Map<string, Unit>;
  private users: UserDoc[] = [];
  private readonly samples = new Map<string, Array<Record<string, unknown>>>();
  private readonly forms = new Map<string, Map<string, JsonObject>>();
  private readonly actorTurn = new Map<string, number>();
  /** The engine's own services on the app's store, clock, queue and audit log (the app's are scoped to /api). */
  private readonly definitions: DefinitionsService;
  private readonly service: CaseService;

  constructor(
    private readonly app: FastifyInstance,
    private readonly clock: ManualClock,
    private readonly rng: Rng,
    private readonly now: number,
    private readonly say: (line: string) => void,
  ) {
    this.units = flattenDemoTree().map((u) => ({ id: u.id, name: u.name, code: u.code, level: u.level, path: u.path }));
    this.byId = new Map(this.units.map((u) => [u.id, u]));
    this.definitions = new DefinitionsService({ store: app.store, clock: app.clock, audit: app.audit });
    this.service = new CaseService({
      store: app.store,
      clock: app.clock,
      queue: app.queue,
      handlers: app.handlers,
      audit: app.audit,
      definitions: this.definitions,
      log: app.log,
    });
  }

  private get cases(): Collection<CaseDoc> {
    return this.app.store.collection<CaseDoc>(CASES);
  }

  // ------------------------------------------------------------ users

  /**
   * Every township needs staff and two investigators, every county an approver, every village an
   * assistant: the demo users cover 会宁县会师镇; the other units get `d<code>-<role><n>` users
   * with the demo password (MINFLOW_DEMO_PASSWORD, or one generated and reported once).
   */
  async ensureActors(generated: string | null): Promise<{ usernames: string[]; password: string | null }> {
    const coll = this.app.store.collection<UserDoc>(USERS);
    const all: UserDoc[] = [];
    let cursor: string | null = null;
    do {
      const page = await coll.find({}, { limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const need: Array<[string, Role, number]> = [
      ['county', 'county-approver', 1],
      ['township', 'township-staff', 1],
      ['township', 'investigator', 2],
      ['village', 'village-assistant', 1],
    ];
    const missing: Array<{ unit: Unit; role: Role; n: number }> = [];
    for (const unit of this.units) {
      for (const [level, role, count] of need) {
        if (unit.level !== level) continue;
        const have = all.filter((u) => !u.disabled && u.orgUnitId === unit.id && u.roles.includes(role)).length;
        for (let n = have + 1; n <= count; n++) missing.push({ unit, role, n });
      }
    }
    let password: string | null = null;
    const usernames: string[] = [];
    if (missing.length) {
      password = generated;
      const hash = await hashPassword(
        this.app.config.demoPassword ?? generated ?? randomBytes(9).toString('base64url'),
      );
      const at = this.clock.now().toISOString();
      const short: Record<string, string> = {
        'county-approver': 'approver',
        'township-staff': 'staff',
        investigator: 'investigator',
        'village-assistant': 'assistant',
      };
      const zh: Record<string, string> = {
        'county-approver': '审批',
        'township-staff': '民政干部',
        investigator: '调查员',
        'village-assistant': '协理员',
      };
      const docs = missing.map(({ unit, role, n }) => {
        const username = `d${unit.code}-${short[role]}${n}`;
        usernames.push(username);
        return {
          _id: `user-${username}`,
          username,
          displayName: `${personName(this.rng, this.rng.chance(0.5))}（${unit.name}${zh[role]}）`,
          orgUnitId: unit.id,
          orgPath: unit.path,
          roles: [role],
          disabled: false,
          passwordHash: hash,
          passwordChangedAt: at,
          createdAt: at,
          updatedAt: at,
        } as UserDoc;
      });
      all.push(...(await coll.insertMany(docs)));
      await this.app.audit.record({
        actorId: SYSTEM_ACTOR,
        action: 'demo.seed.users',
        subjectType: 'User',
        subjectId: MARKER_ID,
        orgPath: ['baiyin'],
        before: null,
        after: { usernames },
      });
    }
    this.users = all.filter((u) => !u.disabled);
    return { usernames, password };
  }

  private caller(user: UserDoc): Caller {
    const unit = this.byId.get(user.orgUnitId);
    const session: SessionUser = {
      id: user._id,
      username: user.username,
      displayName: user.displayName,
      orgUnitId: user.orgUnitId,
      level: (unit?.level ?? 'village') as SessionUser['level'],
      orgPath: user.orgPath,
      roles: user.roles,
    };
    return { user: session, ability: buildAbility(session), lang: 'zh-CN' };
  }

  /** Users who may hold the task (a candidate role at the unit its level points to), in turn. */
  private candidates(doc: CaseDoc, task: TaskState): UserDoc[] {
    if (task.assignee) return this.users.filter((u) => u._id === task.assignee);
    const unitId = unitAtLevel(doc.orgPath, task.level);
    const list = this.users.filter((u) => u.orgUnitId === unitId && u.roles.some((r) => task.roles.includes(r)));
    const key = `${unitId}|${task.roles.join(',')}`;
    const turn = this.actorTurn.get(key) ?? 0;
    this.actorTurn.set(key, turn + 1);
    return list.map((_, i) => list[(i + turn) % list.length]);
  }

  // ------------------------------------------------------------ plans

  plans(count: number, days: number): Plan[] {
    const items = Object.keys(ITEM_WEIGHTS);
    const total = items.reduce((s, k) => s + ITEM_WEIGHTS[k], 0);
    const villages = this.units.filter((u) => u.level === 'village');
    // The demo users' township (会师镇) gets a third of the cases, so their inboxes are full.
    const home = villages.filter((v) => v.path.includes('baiyin/huining/huishi'));
    const out: Plan[] = [];
    for (let i = 0; i < count; i++) {
      const itemKey = this.weighted(items, total);
      const village = this.rng.chance(0.34) ? this.rng.pick(home) : this.rng.pick(villages);
      const unit = itemKey === 'place-name' ? (this.byId.get(village.path[2]) as Unit) : village;
      // Recent cases are more frequent (the programme grows), and one in seven was filed in the last
      // month: those are still open at some step, as in a real office.
      const ago = this.rng.chance(0.15) ? 30 * DAY * this.rng.next() : days * DAY * this.rng.next() ** 1.15;
      const at = Math.min(officeTime(this.now - ago - DAY, this.rng), this.now - this.rng.int(2, 20) * 3600_000);
      const p = this.rng.next();
      let kind: Plan['kind'] = p < 0.05 ? 'withdraw' : p < 0.2 ? 'reject' : 'grant';
      // A quarter of the cases filed in the last two months stall at some step: overdue tasks.
      if (at > this.now - 60 * DAY && this.rng.chance(0.25)) kind = 'stall';
      const samples = this.samplesOf(itemKey);
      out.push({ itemKey, unit, at, kind, rejectAt: this.rng.int(0, 3), sample: this.rng.int(0, samples.length - 1) });
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private weighted(items: string[], total: number): string {
    let r = this.rng.next() * total;
    for (const key of items) {
      r -= ITEM_WEIGHTS[key];
      if (r < 0) return key;
    }
    return items[0];
  }

  private samplesOf(itemKey: string) {
    let s = this.samples.get(itemKey);
    if (!s) {
      s = loadSamples(itemKey);
      this.samples.set(itemKey, s);
    }
    return s;
  }

  /** The sample application with new people, the case's county region code, village names and period. */
  private application(plan: Plan): Record<string, unknown> {
    const sample = this.samplesOf(plan.itemKey)[plan.sample];
    const county = this.byId.get(plan.unit.path[1]) as Unit;
    const township = this.byId.get(plan.unit.path[2]) as Unit | undefined;
    const day = beijingDay(plan.at);
    const pairs = newPeople(
      sample,
      this.rng,
      () => county.code,
      (old) => replacementBirth(this.rng, ageOn(old.slice(6, 14), SAMPLE_DAY), day),
    );
    // The samples are set in 会宁县会师镇东关村: move them to the case's county, township and village.
    const places: Array<[string, string]> = [['会宁县', county.name]];
    if (township) places.push(['会师镇', township.name]);
    if (plan.unit.level === 'village') places.push(['东关村', plan.unit.name]);
    // The samples' own dates (visits, bills, the disaster's time) move with the case.
    const shift = Date.parse(`${day}T00:00:00Z`) - Date.parse(`${SAMPLE_DAY}T00:00:00Z`);
    const dated = JSON.stringify(sample).replace(
      /"(\d{4}-\d{2}-\d{2})([T ][^"]*)?"/g,
      (_m, date: string, time = '') => {
        const moved = new Date(Date.parse(`${date}T00:00:00Z`) + shift).toISOString().slice(0, 10);
        return `"${moved}${time}"`;
      },
    );
    const text = replaceAll(replaceAll(dated, pairs), places);
    const data = JSON.parse(text) as Record<string, unknown>;
    const period = data.period as { year?: number; quarter?: number } | undefined;
    if (period && typeof period.year === 'number') {
      period.year = Number(day.slice(0, 4));
      period.quarter = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
    }
    return data;
  }

  private async taskForm(doc: CaseDoc, form: string | null): Promise<JsonObject | null> {
    if (!form) return null;
    const key = `${doc.itemKey}@${doc.definitionVersion}`;
    let forms = this.forms.get(key);
    if (!forms) {
      const published = await this.definitions.getPublished(doc.itemKey, doc.definitionVersion);
      forms = new Map(Object.entries(published.taskForms ?? {}).map(([k, v]) => [k, v.schema as JsonObject]));
      this.forms.set(key, forms);
    }
    return forms.get(form) ?? null;
  }

  private async runJobs(): Promise<void> {
    const queue = this.app.queue as InlineQueue;
    if (typeof queue.runDue !== 'function') return;
    for (let i = 0; i < 20 && (await queue.runDue()) > 0; i++);
  }

  // ------------------------------------------------------------ the simulation

  async simulate(plans: Plan[]): Promise<void> {
    const events = new Events<{ plan: Plan } | { run: Running }>();
    for (const plan of plans) events.push(plan.at, { plan });
    let done = 0;
    while (events.size) {
      const event = events.pop() as { at: number; value: { plan: Plan } | { run: Running } };
      if (event.at > this.now) break;
      this.clock.set(new Date(event.at));
      await this.runJobs();
      const next = 'plan' in event.value ? await this.file(event.value.plan) : await this.step(event.value.run);
      if (next && next.at <= this.now) events.push(next.at, { run: next.run });
      else if (++done % 250 === 0)
        this.say(`  ${done} cases at rest (${new Date(event.at).toISOString().slice(0, 10)})`);
    }
    this.clock.set(new Date(this.now));
    await this.runJobs();
  }

  private async file(plan: Plan): Promise<{ at: number; run: Running } | null> {
    const role: Role = plan.unit.level === 'village' ? 'village-assistant' : 'township-staff';
    const creator = this.users.find((u) => u.orgUnitId === plan.unit.id && u.roles.includes(role));
    if (!creator) return null;
    const caller = this.caller(creator);
    try {
      const { doc } = await this.service.create(caller, { itemKey: plan.itemKey, data: this.application(plan) }, null);
      const run: Running = { plan, caseId: doc._id, creator: caller.user, steps: 0, done: false };
      this.running.push(run);
      await this.runJobs();
      return { at: this.later(plan.at, plan.kind === 'withdraw' ? 2 : 30), run };
    } catch (err) {
      this.stuck++;
      this.say(`  ! ${plan.itemKey}: ${(err as Error).message} ${JSON.stringify((err as MinflowError).details ?? '')}`);
      return null;
    }
  }

  /** The next action some hours (up to ~2 working days) later, in office hours. */
  private later(at: number, maxHours: number): number {
    return officeTime(at + this.rng.int(20, maxHours * 60) * 60_000, this.rng);
  }

  private async step(run: Running): Promise<{ at: number; run: Running } | null> {
    const doc = await this.cases.get(run.caseId);
    if (doc?.status !== 'active') return null;
    const at = this.clock.now().getTime();
    if (run.plan.kind === 'withdraw' && run.steps === 0) {
      try {
        const creator = this.users.find((u) => u._id === run.creator.id) as UserDoc;
        await this.service.withdraw(this.caller(creator), run.caseId, '申请人要求撤回申请');
        return null;
      } catch {
        run.plan.kind = 'grant'; // the next step already acted: carry on
      }
    }
    const task = doc.state.tasks[0];
    if (!task) {
      if (doc.state.incidents.length) {
        this.stuck++;
        const incident = doc.state.incidents[0];
        this.say(`  ! ${doc.itemKey}/${incident.elementId}: incident ${incident.message}`);
        return null;
      }
      const timer = doc.state.timers.map((t) => Date.parse(t.dueAt)).sort((a, b) => a - b)[0];
      return { at: timer ? Math.max(timer + 60_000, at + 60_000) : at + DAY, run };
    }
    if (run.plan.kind === 'stall' && run.steps >= run.plan.rejectAt) return null;
    const reject = run.plan.kind === 'reject' && run.steps >= run.plan.rejectAt && task.actions.includes('reject');
    const action = reject ? 'reject' : task.actions.includes('approve') ? 'approve' : task.actions[0];
    const input: { action: typeof action; data?: Record<string, unknown>; comment?: string } = { action };
    if (reject) input.comment = this.rng.pick(REJECT_REASONS);
    else {
      const schema = await this.taskForm(doc, task.form);
      if (schema) {
        const data = taskFormData(schema, {
          rng: this.rng,
          today: beijingDay(at),
          values: { ...doc.state.data, ...doc.state.variables },
        });
        if (!data) {
          this.stuck++;
          this.say(`  ! ${doc.itemKey}/${task.elementId}: no valid data for form ${task.form}`);
          return null;
        }
        input.data = data;
      }
    }
    let lastError: unknown = null;
    for (const user of this.candidates(doc, task)) {
      try {
        await this.service.complete(this.caller(user), task.id, input);
        lastError = null;
        break;
      } catch (err) {
        lastError = err;
      }
    }
    if (lastError) {
      this.stuck++;
      const e = lastError as MinflowError;
      this.say(
        `  ! ${doc.itemKey}/${task.elementId} ${action}: ${e.code ?? e.message} ${JSON.stringify(e.details ?? '')}`,
      );
      return null;
    }
    run.steps++;
    await this.runJobs();
    return { at: this.later(at, 40), run };
  }

  // ------------------------------------------------------------ copies

  /** Copies of the engine-made cases whose open tasks are in `username`'s 待办, until they hold `wanted`. */
  async fillInbox(username: string, wanted: number, budget: number): Promise<number> {
    const user = this.users.find((u) => u.username === username);
    if (!user)
      throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND', { details: [{ path: '/inboxUser', message: username }] });
    const have = await this.inboxCount(user);
    const sources: Array<{ id: string; open: number }> = [];
    for (const run of this.running) {
      const doc = await this.cases.get(run.caseId);
      if (doc?.status !== 'active') continue;
      const open = doc.state.tasks.filter(
        (t) =>
          t.assignee === user._id ||
          (!t.assignee &&
            unitAtLevel(doc.orgPath, t.level) === user.orgUnitId &&
            t.roles.some((r) => user.roles.includes(r as Role))),
      ).length;
      if (open) sources.push({ id: doc._id, open });
    }
    if (!sources.length || have >= wanted) return 0;
    const perCopy = sources.reduce((s, x) => s + x.open, 0) / sources.length;
    const count = Math.min(Math.max(0, budget), Math.ceil((wanted - have) / perCopy));
    this.say(`为 ${username} 复制 ${count} 件待办案件 / copying ${count} cases into ${username}'s inbox ...`);
    return this.copies(
      sources.map((s) => s.id),
      count,
      false,
    );
  }

  async inboxCount(user: UserDoc): Promise<number> {
    return this.app.store.collection<TaskDoc>(TASKS).count({
      status: 'open',
      $or: [{ assignee: user._id }, { assignee: null, unitId: user.orgUnitId, candidateRoles: { $in: user.roles } }],
    });
  }

  /** `count` copies of the given cases (round robin), in batches; `moveVillage` lets a copy change village within its township. */
  async copies(sourceIds: string[], count: number, moveVillage = true): Promise<number> {
    const store = this.app.store;
    const sources: Array<{ text: string; doc: CaseDoc; village: Unit | null }> = [];
    for (const id of sourceIds) {
      const doc = await this.cases.get(id);
      if (!doc) continue;
      const tasks = (await store.collection<TaskDoc>(TASKS).find({ caseId: id }, { limit: 1000 })).items;
      const notices = (await store.collection<UserNoticeDoc>(USER_NOTICES).find({ caseId: id }, { limit: 1000 })).items;
      const unit = this.byId.get(doc.orgUnitId);
      sources.push({
        text: JSON.stringify({ doc, tasks, notices }),
        doc,
        village: unit?.level === 'village' ? unit : null,
      });
    }
    if (!sources.length) return 0;
    // 1,000 documents per transaction: half the write volume of 500 at the same speed, memory still flat.
    const started = Date.now();
    const BATCH = Number(process.env.MINFLOW_SEED_BATCH) || 1_000;
    let written = 0;
    let order = 0;
    while (written < count) {
      const n = Math.min(BATCH, count - written);
      const caseDocs: CaseDoc[] = [];
      const taskDocs: TaskDoc[] = [];
      const noticeDocs: UserNoticeDoc[] = [];
      const timers: Array<{ caseId: string; timerId: string; dueAt: string }> = [];
      for (let i = 0; i < n; i++) {
        const src = sources[order++ % sources.length];
        const copy = this.copyOf(src, moveVillage);
        caseDocs.push(copy.doc);
        taskDocs.push(...copy.tasks);
        noticeDocs.push(...copy.notices);
        for (const t of copy.doc.state.timers) timers.push({ caseId: copy.doc._id, timerId: t.id, dueAt: t.dueAt });
      }
      await this.cases.insertMany(caseDocs);
      if (taskDocs.length) await store.collection<TaskDoc>(TASKS).insertMany(taskDocs);
      if (noticeDocs.length) await store.collection<UserNoticeDoc>(USER_NOTICES).insertMany(noticeDocs);
      for (const t of timers) {
        await this.app.queue.enqueue({
          key: `timer:${t.timerId}@${t.dueAt}`,
          name: TIMER_JOB,
          payload: { caseId: t.caseId, timerId: t.timerId },
          runAt: new Date(t.dueAt),
        });
      }
      written += n;
      if (written % 20_000 < BATCH)
        this.say(`  ${written} / ${count} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    return written;
  }

  private copyOf(
    src: { text: string; doc: CaseDoc; village: Unit | null },
    moveVillage: boolean,
  ): { doc: CaseDoc; tasks: TaskDoc[]; notices: UserNoticeDoc[] } {
    const id = `c${randomBytes(12).toString('hex')}`;
    const pairs: Array<[string, string]> = [[src.doc._id, id]];
    pairs.push(
      ...newPeople(
        src.doc.state.data,
        this.rng,
        (old) => old.slice(0, 6),
        (old) => old.slice(6, 14),
      ),
    );
    if (moveVillage && src.village) {
      const township = src.village.path[2];
      const siblings = this.units.filter((u) => u.level === 'village' && u.path[2] === township);
      const to = this.rng.pick(siblings);
      if (to.id !== src.village.id) {
        pairs.push([`"${src.village.id}"`, `"${to.id}"`], [src.village.name, to.name]);
        const from = this.users.find((u) => u.orgUnitId === src.village?.id && u.roles.includes('village-assistant'));
        const into = this.users.find((u) => u.orgUnitId === to.id && u.roles.includes('village-assistant'));
        if (from && into) pairs.push([`"${from._id}"`, `"${into._id}"`]);
      }
    }
    const parsed = JSON.parse(replaceAll(src.text, pairs)) as {
      doc: CaseDoc;
      tasks: TaskDoc[];
      notices: UserNoticeDoc[];
    };
    const doc = parsed.doc;
    doc._v = 1;
    doc.personIds = [...doc.personIds].sort();
    const tasks = parsed.tasks.map((t) => ({ ...t, caseVersion: 1, _v: 1 }));
    const notices = parsed.notices.map((x) => ({ ...x, _v: 1 }));
    return { doc, tasks, notices };
  }

  // ------------------------------------------------------------ report

  async report(
    inboxUser: string | null,
  ): Promise<Pick<SeedDemoCasesReport, 'cases' | 'byItem' | 'byStatus' | 'inbox'>> {
    const byItem: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    for (const key of Object.keys(ITEM_WEIGHTS)) byItem[key] = await this.cases.count({ itemKey: key });
    for (const status of ['active', 'completed', 'rejected', 'withdrawn', 'terminated']) {
      byStatus[status] = await this.cases.count({ status });
    }
    const cases = Object.values(byStatus).reduce((s, n) => s + n, 0);
    let inbox: SeedDemoCasesReport['inbox'] = null;
    if (inboxUser) {
      const user = this.users.find((u) => u.username === inboxUser);
      if (user) inbox = { username: inboxUser, openTasks: await this.inboxCount(user) };
    }
    return { cases, byItem, byStatus, inbox };
  }
}

const REJECT_REASONS = [
  '经入户调查，家庭人均收入高于当地保障标准，不符合条件。',
  '经家庭经济状况核对，申请人家庭拥有机动车辆，不符合条件。',
  '申请材料与实际情况不符，经核实不予批准。',
  '申请人不在本辖区居住，不符合申请条件。',
];

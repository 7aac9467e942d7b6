import type { FastifyBaseLogger } from 'fastify';
import { ORG_UNITS, type OrgUnitDoc, USERS } from '../infra/auth/model.js';
import { generatePassword } from '../infra/auth/password.js';
import type { Clock } from '../infra/clock.js';
import type { DocumentStore } from '../infra/store/port.js';
import { createOrgUnit, createUser, isDuplicate } from '../modules/org/service.js';
import { DEMO_USERS, flattenDemoTree } from './demo-data.js';

export interface SeedResult {
  seeded: boolean;
  units: number;
  users: string[];
  /** Set only when the password was generated (shown once, never stored in plain text). */
  generatedPassword: string | null;
}

/**
 * Seeds the demo jurisdiction and users into an EMPTY store (no org unit and no user yet), so a
 * second start on the same store seeds nothing and prints nothing. The caller decides whether
 * demo data is allowed at all (never in production). Two processes starting together on one
 * store are safe: fixed ids make the loser's inserts duplicates, which are skipped.
 */
export async function seedDemo(
  store: DocumentStore,
  clock: Clock,
  options: { demoPassword: string | null; log?: FastifyBaseLogger; print?: (text: string) => void },
): Promise<SeedResult> {
  const empty = (await store.collection(ORG_UNITS).count({})) === 0 && (await store.collection(USERS).count({})) === 0;
  if (!empty) return { seeded: false, units: 0, users: [], generatedPassword: null };

  let units = 0;
  for (const unit of flattenDemoTree()) {
    try {
      await createOrgUnit(store, clock, {
        id: unit.id,
        name: unit.name,
        code: unit.code,
        parentId: unit.parentId,
        level: unit.level,
      });
      units++;
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'MINFLOW_ERR_AUTH_ORG_UNIT_EXISTS')) throw err;
    }
  }

  const generated = options.demoPassword ? null : generatePassword(16);
  const password = options.demoPassword ?? (generated as string);
  const created = await Promise.all(
    DEMO_USERS.map(async (u) => {
      try {
        await createUser(store, clock, { ...u, password });
        return u;
      } catch (err) {
        if (isDuplicate(err) || (err as { code?: string }).code === 'MINFLOW_ERR_AUTH_USERNAME_TAKEN') return null;
        throw err;
      }
    }),
  );
  const users = created.filter((u) => u !== null);
  options.log?.info({ units, users: users.map((u) => u.username) }, 'demo jurisdiction and users seeded');

  if (generated && users.length) {
    const unitNames = new Map<string, string>();
    for (const u of users) {
      const unit = await store.collection<OrgUnitDoc>(ORG_UNITS).get(u.orgUnitId);
      unitNames.set(u.orgUnitId, unit?.name ?? u.orgUnitId);
    }
    const lines = [
      '',
      '================ Minflow 演示账号 / demo accounts ================',
      ...users.map((u) => `  ${u.username.padEnd(14)} ${u.roles.join('+').padEnd(30)} ${unitNames.get(u.orgUnitId)}`),
      `  密码 / password: ${generated}`,
      '  (只显示这一次；设置 MINFLOW_DEMO_PASSWORD 可指定密码 / shown once; set MINFLOW_DEMO_PASSWORD to choose it)',
      '===================================================================',
      '',
    ];
    (options.print ?? ((text: string) => process.stdout.write(text)))(lines.join('\n'));
  }
  return { seeded: true, units, users: users.map((u) => u.username), generatedPassword: generated };
}

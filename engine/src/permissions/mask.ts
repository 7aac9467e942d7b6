import type { FastifyRequest } from 'fastify';
import type { AuditInput } from '../infra/audit/types.js';
import { can, type SubjectType } from '../infra/auth/ability.js';
import type { AppAbility, SessionUser } from '../infra/auth/types.js';

/**
 * Field-level protection of personal data. ID numbers, health and income details of `Person`
 * and `Case` records are shown unmasked only to callers whose ability grants `reveal` on that
 * record (rule files: township staff, investigators and county approvers of the jurisdiction);
 * everyone else — and every public notice (公示) — gets the masked form.
 */

/** `620422199001011234` → `620422********1234`: keeps the area code and the last four characters. */
export function maskIdNumber(id: string): string {
  const s = String(id);
  if (s.length <= 10) return '*'.repeat(s.length);
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

/** `张三明` → `张*明`, `张三` → `张*`, `欧阳三明` → `欧**明` (as on public notices). */
export function maskName(name: string): string {
  const chars = Array.from(String(name));
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** `13912345678` → `139****5678`. */
export function maskPhone(phone: string): string {
  const s = String(phone);
  if (s.length < 7) return '*'.repeat(s.length);
  return s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
}

export type SensitiveKind = 'idNumber' | 'phone' | 'health' | 'income';

/**
 * Which property names hold sensitive data, wherever they appear in a record (top level, in
 * household members, in form data). Matching is on the property name, case-insensitive.
 */
const SENSITIVE_KEYS: Array<[RegExp, SensitiveKind]> = [
  [/^(idnumber|idcard|idno|identitynumber|sfzh)$/i, 'idNumber'],
  [/(^|[a-z])(phone|mobile|tel)$/i, 'phone'],
  [/^(health|healthstatus|disease|diseases|illness|diagnosis|disability(grade|type|level)?)$/i, 'health'],
  [/(^income|income$|^salary|^wage|^pension$|^assets?$|^bankaccount$)/i, 'income'],
];

export function sensitiveKind(key: string): SensitiveKind | null {
  for (const [re, kind] of SENSITIVE_KEYS) if (re.test(key)) return kind;
  return null;
}

/** The value shown instead of a sensitive one: masked strings keep their shape; the rest is hidden (null). */
export function maskValue(kind: SensitiveKind, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (kind === 'idNumber' && typeof value === 'string') return maskIdNumber(value);
  if (kind === 'phone' && typeof value === 'string') return maskPhone(value);
  return null;
}

/** A deep copy of `value` with every sensitive property masked. */
export function maskSensitive<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskSensitive(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const kind = sensitiveKind(key);
      out[key] = kind ? (Array.isArray(v) ? v.map((x) => maskValue(kind, x)) : maskValue(kind, v)) : maskSensitive(v);
    }
    return out as T;
  }
  return value;
}

/**
 * The record as this caller may see it: unchanged when the ability grants `reveal` on it,
 * otherwise with every sensitive field masked. `revealed` tells the caller whether to audit the
 * read of unmasked personal data (the architecture asks for it).
 */
export function presentSensitive<T extends Record<string, unknown>>(
  ability: AppAbility,
  subjectType: Extract<SubjectType, 'Person' | 'Case'>,
  record: T,
): { value: T; revealed: boolean } {
  if (can(ability, 'reveal', subjectType, record)) return { value: record, revealed: true };
  return { value: maskSensitive(record), revealed: false };
}

/** Whether the value holds any non-empty sensitive field (at any depth). */
export function hasSensitive(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSensitive);
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).some(([key, v]) =>
      sensitiveKind(key) ? v !== null && v !== undefined && v !== '' : hasSensitive(v),
    );
  }
  return false;
}

type RevealSubject = Extract<SubjectType, 'Person' | 'Case'>;

/**
 * Per request, keyed by its `SessionUser` (a fresh object per authenticated request): the request
 * id, and the records whose reveal to this caller is already in the audit log because it was
 * written with the change the request made (one SQLite transaction on the embedded store).
 */
const revealContexts = new WeakMap<SessionUser, { requestId: string; audited: Set<string> }>();

/** Called by `authenticate` for each request. */
export function bindRevealContext(user: SessionUser, requestId: string): void {
  revealContexts.set(user, { requestId, audited: new Set() });
}

/**
 * The audit entry for showing `record` unmasked to `user` (`person.reveal` / `case.reveal`), or
 * null when nothing is revealed (the ability does not grant `reveal`, or no sensitive field has a value).
 */
export function revealEntry(
  ability: AppAbility,
  user: SessionUser,
  subjectType: RevealSubject,
  record: Record<string, unknown>,
): AuditInput | null {
  if (!can(ability, 'reveal', subjectType, record) || !hasSensitive(record)) return null;
  return revealInput(user, subjectType, record, revealContexts.get(user)?.requestId ?? null);
}

function revealInput(
  user: SessionUser,
  subjectType: RevealSubject,
  record: Record<string, unknown>,
  requestId: string | null,
): AuditInput {
  return {
    actorId: user.id,
    action: `${subjectType.toLowerCase()}.reveal`,
    subjectType,
    subjectId: String(record._id ?? record.id ?? ''),
    orgPath: Array.isArray(record.orgPath) ? (record.orgPath as string[]) : undefined,
    meta: { requestId },
  };
}

/** Notes that this request's reveal of the record was audited (with its change): presenting it records no second entry. */
export function noteRevealAudited(user: SessionUser, entry: AuditInput): void {
  revealContexts.get(user)?.audited.add(`${entry.subjectType}:${entry.subjectId}`);
}

/**
 * What a route returns for a Person/Case record: masked unless the caller may `reveal` it; each
 * unmasked read of personal data is written to the audit log (`person.reveal` / `case.reveal`),
 * unless this request already audited it together with the change it made.
 */
export async function presentForRequest<T extends Record<string, unknown>>(
  request: FastifyRequest,
  subjectType: RevealSubject,
  record: T,
): Promise<T> {
  const { value, revealed } = presentSensitive(request.ability, subjectType, record);
  if (!revealed || !request.user || !hasSensitive(record)) return value;
  const entry = revealInput(request.user, subjectType, record, request.id);
  if (!revealContexts.get(request.user)?.audited.has(`${subjectType}:${entry.subjectId}`))
    await request.server.audit.record(entry);
  return value;
}

import type { MongoAbility } from '@casl/ability';

/** Roles of the jurisdiction model (see shared/domain/business-items.md). */
export const ROLES = [
  'city-admin',
  'county-approver',
  'township-staff',
  'village-assistant',
  'investigator',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const LEVELS = ['city', 'county', 'township', 'village'] as const;
export type Level = (typeof LEVELS)[number];

/** The authenticated caller as routes see it. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  orgUnitId: string;
  /** The user's unit's level. */
  level: Level;
  /** Ids of the user's unit and all its ancestors, root first. */
  orgPath: string[];
  roles: Role[];
}

/** CASL subjects. Records carry `orgPath` (their unit and its ancestors) so jurisdiction rules match on it. */
export type Subject =
  | 'OrgUnit'
  | 'User'
  | 'Definition'
  | 'Item'
  | 'Case'
  | 'Task'
  | 'AuditEntry'
  | 'Person'
  | 'Incident'
  /** An uploaded file; while no case refers to it (a draft's), only its uploader may read it. */
  | 'Attachment'
  | 'all';
export type Action = 'manage' | 'read' | 'create' | 'update' | 'delete' | 'publish' | 'start' | 'act' | 'reveal';
export type AppAbility = MongoAbility<[Action, Subject | Record<string, unknown>]>;

import { createHash } from 'node:crypto';
import type { Level } from '../../infra/auth/types.js';
import type { CollectionSpec, StoredDoc } from '../../infra/store/port.js';

export const CATEGORIES = [
  'social-assistance',
  'special-care',
  'grassroots-democracy',
  'social-welfare',
  'social-affairs',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const KEY_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';
export const TASK_FORM_KEY_PATTERN = '^[a-z][a-zA-Z0-9-]*$';

export type JsonObject = Record<string, unknown>;

export interface TaskForm {
  schema: JsonObject;
  uiSchema: JsonObject;
}

export const COMPUTED_FORMATS = ['money', 'number', 'text', 'boolean', 'date'] as const;
export type ComputedFormat = (typeof COMPUTED_FORMATS)[number];
/** A variable path: `name(.name)*`, e.g. `assessment.monthlyAmount`. */
export const VARIABLE_PATH_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$';

/** A value the flow computes (a script task's result variable) that approvers see on the task and case pages. */
export interface ComputedValue {
  path: string;
  title: { zh: string; en?: string };
  format?: ComputedFormat;
}

/** What a definition is made of (the API's field names); `key` identifies it. */
export interface DefinitionContent {
  name: { zh: string; en?: string };
  category: Category;
  description: string;
  startLevels: Level[];
  formSchema: JsonObject;
  uiSchema: JsonObject;
  bpmnXml: string;
  taskForms: Record<string, TaskForm>;
  /** Computed values shown to approvers (optional; absent = none declared). */
  computed?: ComputedValue[];
}

export interface DefinitionInput extends DefinitionContent {
  key: string;
}

/** The draft as the API shows it. `version` is the draft's revision (PUT sends it back). */
export interface DraftView extends DefinitionInput {
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Content hash of the draft (sha256 of its canonical JSON). */
  hash: string;
  /** The latest published version number, or null. */
  publishedVersion: number | null;
  /** Whether the draft differs from the latest published version (always true when none is). */
  hasUnpublishedChanges: boolean;
  /** Retired: no new cases, hidden from the catalog; running cases continue. */
  retired: boolean;
}

/** An immutable published version. */
export interface PublishedVersion extends DefinitionInput {
  version: number;
  hash: string;
  publishedAt: string;
  publishedBy: string;
}

export type VersionSummary = Omit<PublishedVersion, 'formSchema' | 'uiSchema' | 'bpmnXml' | 'taskForms' | 'computed'>;

export interface CatalogEntry {
  key: string;
  name: { zh: string; en?: string };
  category: Category;
  description: string;
  startLevels: Level[];
  version: number;
  publishedAt: string;
}

// Stored shapes. Schemas are stored as JSON text: JSON Schema keys such as `$ref`, `$schema` or
// property names with dots are not valid field names in every MongoDB-protocol store (FerretDB),
// and the text keeps the author's key order byte for byte.

interface StoredMeta {
  key: string;
  name: { zh: string; en?: string };
  category: Category;
  description: string;
  startLevels: Level[];
}

export interface DraftDoc extends StoredDoc, StoredMeta {
  /** JSON of { formSchema, uiSchema, taskForms }. */
  schemas: string;
  bpmnXml: string;
  hash: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** `_id` is `${key}@${version}`: two concurrent publishes cannot both create version n. */
export interface VersionDoc extends StoredDoc, StoredMeta {
  version: number;
  schemas: string;
  bpmnXml: string;
  hash: string;
  publishedAt: string;
  publishedBy: string;
}

/** Projection (rebuildable from definition_versions): the latest published version of each item, `_id` = key. */
export interface CatalogDoc extends StoredDoc, StoredMeta {
  version: number;
  hash: string;
  publishedAt: string;
  /** Retired by an admin: hidden from the catalog and refused by POST /api/cases (absent = false). */
  retired?: boolean;
  retiredAt?: string | null;
  retiredBy?: string | null;
}

export const DRAFTS = 'definitions';
export const VERSIONS = 'definition_versions';
export const CATALOG = 'definition_catalog';

export const definitionCollectionSpecs: CollectionSpec[] = [
  { name: DRAFTS, indexes: [{ name: 'category', fields: { category: 1, _id: 1 } }] },
  { name: VERSIONS, indexes: [{ name: 'key_version', fields: { key: 1, version: -1 }, unique: true }] },
  {
    name: CATALOG,
    indexes: [
      { name: 'startLevels', fields: { startLevels: 1, _id: 1 }, multikey: true },
      { name: 'category', fields: { category: 1, _id: 1 } },
    ],
  },
];

/** JSON with object keys sorted at every level: equal content → equal text → equal hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as JsonObject)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical JSON of everything a case depends on (metadata, schemas, BPMN). */
export function contentHash(content: DefinitionContent): string {
  const { name, category, description, startLevels, formSchema, uiSchema, bpmnXml, taskForms, computed } = content;
  // `computed` enters the hash only when declared: definitions without it keep their hashes.
  return createHash('sha256')
    .update(
      canonicalJson({ name, category, description, startLevels, formSchema, uiSchema, bpmnXml, taskForms, computed }),
    )
    .digest('hex');
}

/** The stored `schemas` text: form, UI and task form schemas, and the computed values when declared. */
export function packSchemas(content: DefinitionContent): string {
  return JSON.stringify({
    formSchema: content.formSchema,
    uiSchema: content.uiSchema,
    taskForms: content.taskForms,
    ...(content.computed ? { computed: content.computed } : {}),
  });
}

type Packed = Pick<DefinitionContent, 'formSchema' | 'uiSchema' | 'taskForms' | 'computed'>;

export function unpackSchemas(text: string): Packed {
  const parsed = JSON.parse(text) as Packed;
  return {
    formSchema: parsed.formSchema,
    uiSchema: parsed.uiSchema,
    taskForms: parsed.taskForms ?? {},
    ...(parsed.computed ? { computed: parsed.computed } : {}),
  };
}

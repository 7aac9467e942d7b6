import { BpmnParseError, type ParsedBpmn, parseBpmn } from '../../bpmn/parse.js';
import { isMinflowError, type Lang, MinflowError } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import type { AuditLog } from '../../infra/audit/types.js';
import type { Clock } from '../../infra/clock.js';
import type { Collection, DocumentStore, Filter, Page } from '../../infra/store/port.js';
import { compileBpmn, type ProcessModel } from '../../runtime/index.js';
import { type DefinitionDiff, diffDefinitions } from './diff.js';
import { fromItemFile, type ItemFile, toItemFile } from './exchange.js';
import { validateFormData } from './form-data.js';
import {
  CATALOG,
  type CatalogDoc,
  type CatalogEntry,
  type Category,
  contentHash,
  type DefinitionContent,
  type DefinitionInput,
  DRAFTS,
  type DraftDoc,
  type DraftView,
  definitionCollectionSpecs,
  type PublishedVersion,
  packSchemas,
  unpackSchemas,
  VERSIONS,
  type VersionDoc,
  type VersionSummary,
} from './model.js';
import { type SimulateInput, type SimulateResult, simulateFlow } from './simulate.js';
import { checkDefinitionShape, checkForPublish, MAX_SCHEMA_BYTES } from './validate.js';

export interface DefinitionsServiceDeps {
  store: DocumentStore;
  clock: Clock;
  /** Mutations are recorded here when given (the app passes `app.audit`). */
  audit?: AuditLog;
}

export interface PageOptions {
  limit?: number;
  cursor?: string | null;
  category?: Category;
}

export type DraftSummary = Omit<DraftView, 'formSchema' | 'uiSchema' | 'bpmnXml' | 'taskForms' | 'computed'>;

export interface PublishResult {
  version: VersionSummary;
  /** False when the draft was identical to the latest published version, which is returned instead. */
  created: boolean;
}

/** How many times a publish re-reads the latest version after losing a race for the next number. */
const PUBLISH_ATTEMPTS = 8;
/** Published versions kept in memory per store (they never change). */
const VERSION_CACHE_SIZE = 500;

const hasCode = (err: unknown, code: string): boolean => isMinflowError(err) && (err.code as string) === code;

function invalid(details: ErrorDetail[]): MinflowError {
  return new MinflowError('MINFLOW_ERR_DEFINITIONS_INVALID', { details, params: { count: details.length } });
}

const SUMMARY_FIELDS = [
  'key',
  'name',
  'category',
  'description',
  'startLevels',
  'hash',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
];

function contentOf(input: DefinitionInput): DefinitionContent {
  return {
    name: input.name,
    category: input.category,
    description: input.description ?? '',
    startLevels: input.startLevels ?? [],
    formSchema: input.formSchema,
    uiSchema: input.uiSchema ?? {},
    bpmnXml: input.bpmnXml,
    taskForms: Object.fromEntries(
      Object.entries(input.taskForms ?? {}).map(([k, f]) => [k, { schema: f.schema, uiSchema: f.uiSchema ?? {} }]),
    ),
    ...(input.computed
      ? {
          computed: input.computed.map(({ path, title, format }) =>
            format ? { path, title, format } : { path, title },
          ),
        }
      : {}),
  };
}

function versionSummary(doc: VersionDoc): VersionSummary {
  return {
    key: doc.key,
    version: doc.version,
    name: doc.name,
    category: doc.category,
    description: doc.description,
    startLevels: doc.startLevels,
    hash: doc.hash,
    publishedAt: doc.publishedAt,
    publishedBy: doc.publishedBy,
  };
}

function toPublished(doc: VersionDoc): PublishedVersion {
  return { ...versionSummary(doc), bpmnXml: doc.bpmnXml, ...unpackSchemas(doc.schemas) };
}

const versionCaches = new WeakMap<DocumentStore, Map<string, PublishedVersion>>();

function cacheFor(store: DocumentStore): Map<string, PublishedVersion> {
  let cache = versionCaches.get(store);
  if (!cache) {
    cache = new Map();
    versionCaches.set(store, cache);
  }
  return cache;
}

/**
 * A published version of an item: `version` given → exactly that one, otherwise the latest.
 * Versions are immutable, so they are cached in memory (per store) as frozen objects; the same
 * object is returned each time, which lets `validateFormData` reuse its compiled validators.
 * Throws 404 MINFLOW_ERR_DEFINITIONS_NOT_PUBLISHED / _VERSION_NOT_FOUND.
 */
export async function getPublishedVersion(
  store: DocumentStore,
  key: string,
  version?: number,
): Promise<PublishedVersion> {
  const versions = store.collection<VersionDoc>(VERSIONS);
  let n = version;
  if (n === undefined) {
    const latest = await versions.find({ key }, { sort: { key: 1, version: -1 }, limit: 1, projection: ['version'] });
    if (latest.items.length === 0) throw new MinflowError('MINFLOW_ERR_DEFINITIONS_NOT_PUBLISHED', { params: { key } });
    n = latest.items[0].version;
  }
  const id = `${key}@${n}`;
  const cache = cacheFor(store);
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const doc = await versions.get(id);
  if (!doc) {
    throw new MinflowError('MINFLOW_ERR_DEFINITIONS_VERSION_NOT_FOUND', { params: { key, version: n } });
  }
  const published = deepFreeze(toPublished(doc));
  cache.set(id, published);
  if (cache.size > VERSION_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return published;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The definitions registry: drafts, validation, immutable numbered versions and the start catalog. */
export class DefinitionsService {
  private readonly drafts: Collection<DraftDoc>;
  private readonly versions: Collection<VersionDoc>;
  private readonly catalogEntries: Collection<CatalogDoc>;

  constructor(private readonly deps: DefinitionsServiceDeps) {
    this.drafts = deps.store.collection<DraftDoc>(DRAFTS);
    this.versions = deps.store.collection<VersionDoc>(VERSIONS);
    this.catalogEntries = deps.store.collection<CatalogDoc>(CATALOG);
  }

  async ensureCollections(): Promise<void> {
    for (const spec of definitionCollectionSpecs) await this.deps.store.ensureCollection(spec);
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Shape (field types, key, enums) and draft size limits; the deep checks wait for publish. */
  private checkDraft(input: unknown, lang: Lang): DefinitionInput {
    const problems = checkDefinitionShape(input, lang);
    if (problems.length) throw invalid(problems);
    const draft = input as DefinitionInput;
    const sized: Array<[string, unknown]> = [
      ['/formSchema', draft.formSchema],
      ['/uiSchema', draft.uiSchema],
      ...Object.entries(draft.taskForms ?? {}).map(([k, f]) => [`/taskForms/${k}`, f] as [string, unknown]),
    ];
    for (const [path, value] of sized) {
      if (Buffer.byteLength(JSON.stringify(value ?? null), 'utf8') > MAX_SCHEMA_BYTES) {
        throw invalid([
          {
            path,
            message:
              lang === 'en' ? `larger than ${MAX_SCHEMA_BYTES / 1024} KB` : `超过 ${MAX_SCHEMA_BYTES / 1024} KB 上限`,
          },
        ]);
      }
    }
    return draft;
  }

  private async publishedHeads(keys: string[]): Promise<Map<string, CatalogDoc>> {
    if (keys.length === 0) return new Map();
    const page = await this.catalogEntries.find({ _id: { $in: keys } }, { limit: Math.min(1000, keys.length) });
    return new Map(page.items.map((c) => [c._id, c]));
  }

  private summary(doc: DraftDoc, head: CatalogDoc | undefined): DraftSummary {
    return {
      key: doc.key,
      name: doc.name,
      category: doc.category,
      description: doc.description,
      startLevels: doc.startLevels,
      version: doc._v,
      hash: doc.hash,
      publishedVersion: head?.version ?? null,
      hasUnpublishedChanges: head?.hash !== doc.hash,
      retired: head?.retired === true,
      createdAt: doc.createdAt,
      createdBy: doc.createdBy,
      updatedAt: doc.updatedAt,
      updatedBy: doc.updatedBy,
    };
  }

  private view(doc: DraftDoc, head: CatalogDoc | undefined): DraftView {
    return { ...this.summary(doc, head), bpmnXml: doc.bpmnXml, ...unpackSchemas(doc.schemas) };
  }

  private async draftDoc(key: string): Promise<DraftDoc> {
    const doc = await this.drafts.get(key);
    if (!doc) throw new MinflowError('MINFLOW_ERR_DEFINITIONS_NOT_FOUND', { params: { key } });
    return doc;
  }

  /** Drafts ordered by key, a page at a time. */
  async list(options: PageOptions = {}): Promise<Page<DraftSummary>> {
    const filter: Filter = options.category ? { category: options.category } : {};
    const page = await this.drafts.find(filter, {
      sort: { _id: 1 },
      limit: options.limit ?? 50,
      cursor: options.cursor ?? null,
      projection: SUMMARY_FIELDS,
    });
    const heads = await this.publishedHeads(page.items.map((d) => d._id));
    return { items: page.items.map((d) => this.summary(d, heads.get(d._id))), nextCursor: page.nextCursor };
  }

  async get(key: string): Promise<DraftView> {
    const doc = await this.draftDoc(key);
    const head = (await this.catalogEntries.get(key)) ?? undefined;
    return this.view(doc, head);
  }

  async create(input: unknown, actorId: string, lang: Lang = 'zh-CN'): Promise<DraftView> {
    const draft = this.checkDraft(input, lang);
    const content = contentOf(draft);
    const now = this.now();
    let doc: DraftDoc;
    try {
      doc = await this.drafts.insert({
        _id: draft.key,
        key: draft.key,
        name: content.name,
        category: content.category,
        description: content.description,
        startLevels: content.startLevels,
        schemas: packSchemas(content),
        bpmnXml: content.bpmnXml,
        hash: contentHash(content),
        createdAt: now,
        createdBy: actorId,
        updatedAt: now,
        updatedBy: actorId,
      });
    } catch (err) {
      if (hasCode(err, 'MINFLOW_ERR_STORE_DUPLICATE')) {
        throw new MinflowError('MINFLOW_ERR_DEFINITIONS_EXISTS', { params: { key: draft.key } });
      }
      throw err;
    }
    await this.deps.audit?.record({
      actorId,
      action: 'definition.create',
      subjectType: 'Definition',
      subjectId: doc.key,
      after: { version: doc._v, hash: doc.hash, name: doc.name, category: doc.category, startLevels: doc.startLevels },
    });
    return this.view(doc, undefined);
  }

  /** Replaces the draft's content if it is still at `expectedVersion` (409 MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT otherwise). */
  async update(
    key: string,
    expectedVersion: number,
    input: unknown,
    actorId: string,
    lang: Lang = 'zh-CN',
  ): Promise<DraftView> {
    const current = await this.draftDoc(key);
    const conflict = (now: number) =>
      new MinflowError('MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT', {
        params: { current: now, expected: expectedVersion },
      });
    if (current._v !== expectedVersion) throw conflict(current._v);
    const draft = this.checkDraft({ ...(input as object), key }, lang);
    const content = contentOf(draft);
    let doc: DraftDoc;
    try {
      doc = await this.drafts.replace(key, expectedVersion, {
        ...current,
        name: content.name,
        category: content.category,
        description: content.description,
        startLevels: content.startLevels,
        schemas: packSchemas(content),
        bpmnXml: content.bpmnXml,
        hash: contentHash(content),
        updatedAt: this.now(),
        updatedBy: actorId,
      });
    } catch (err) {
      if (hasCode(err, 'MINFLOW_ERR_STORE_VERSION_CONFLICT')) {
        throw conflict((await this.drafts.get(key))?._v ?? expectedVersion + 1);
      }
      throw err;
    }
    await this.deps.audit?.record({
      actorId,
      action: 'definition.update',
      subjectType: 'Definition',
      subjectId: key,
      before: { version: current._v, hash: current.hash, name: current.name, category: current.category },
      after: { version: doc._v, hash: doc.hash, name: doc.name, category: doc.category },
    });
    const head = (await this.catalogEntries.get(key)) ?? undefined;
    return this.view(doc, head);
  }

  /** Whether an item exists under this key (a draft or a published version). */
  async itemExists(key: string): Promise<boolean> {
    return (await this.drafts.get(key)) !== null || (await this.catalogEntries.get(key)) !== null;
  }

  /** The publish validation of the current draft, without publishing: the problems, empty when publishable. */
  async validate(key: string, lang: Lang = 'zh-CN'): Promise<ErrorDetail[]> {
    const draft = await this.get(key);
    const { problems } = await checkForPublish(contentOf(draft), lang, {
      key,
      itemExists: (k) => this.itemExists(k),
    });
    return problems;
  }

  /**
   * Validates the draft and publishes it as the next immutable version `${key}@${n}`.
   *
   * Unchanged content: publishing a draft identical (same content hash) to the latest version
   * creates nothing and returns that version with `created: false` — so re-running an import or
   * double-clicking "publish" is harmless. Concurrent publishes of one key race for the unique id
   * `${key}@${n}`: one wins n, the other re-reads and takes n + 1 (or, with the same content,
   * returns the winner's version). `expectedVersion`, when given, must be the draft's version.
   */
  async publish(
    key: string,
    actorId: string,
    lang: Lang = 'zh-CN',
    options: { expectedVersion?: number } = {},
  ): Promise<PublishResult> {
    const draft = await this.draftDoc(key);
    if (options.expectedVersion !== undefined && options.expectedVersion !== draft._v) {
      throw new MinflowError('MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT', {
        params: { current: draft._v, expected: options.expectedVersion },
      });
    }
    const content: DefinitionContent = {
      name: draft.name,
      category: draft.category,
      description: draft.description,
      startLevels: draft.startLevels,
      bpmnXml: draft.bpmnXml,
      ...unpackSchemas(draft.schemas),
    };
    const { problems } = await checkForPublish(content, lang, { key, itemExists: (k) => this.itemExists(k) });
    if (problems.length) throw invalid(problems);

    const hash = contentHash(content);
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
      const latest = (await this.versions.find({ key }, { sort: { key: 1, version: -1 }, limit: 1 })).items[0];
      if (latest && latest.hash === hash) {
        await this.updateCatalog(latest);
        return { version: versionSummary(latest), created: false };
      }
      const n = (latest?.version ?? 0) + 1;
      let doc: VersionDoc;
      try {
        doc = await this.versions.insert({
          _id: `${key}@${n}`,
          key,
          version: n,
          name: content.name,
          category: content.category,
          description: content.description,
          startLevels: content.startLevels,
          schemas: packSchemas(content),
          bpmnXml: content.bpmnXml,
          hash,
          publishedAt: this.now(),
          publishedBy: actorId,
        });
      } catch (err) {
        if (hasCode(err, 'MINFLOW_ERR_STORE_DUPLICATE')) continue; // another publish took n: look again
        throw err;
      }
      await this.updateCatalog(doc);
      await this.deps.audit?.record({
        actorId,
        action: 'definition.publish',
        subjectType: 'Definition',
        subjectId: key,
        before: latest ? { version: latest.version, hash: latest.hash } : null,
        after: { version: n, hash, draftVersion: draft._v },
      });
      return { version: versionSummary(doc), created: true };
    }
    throw new MinflowError('MINFLOW_ERR_DEFINITIONS_PUBLISH_CONTENDED', { params: { key } });
  }

  /**
   * Moves the catalog projection forward to `doc` unless it already shows a later version
   * (idempotent, order-independent: concurrent publishers converge on the highest version).
   */
  private async updateCatalog(doc: VersionDoc): Promise<void> {
    const next = {
      _id: doc.key,
      key: doc.key,
      name: doc.name,
      category: doc.category,
      description: doc.description,
      startLevels: doc.startLevels,
      version: doc.version,
      hash: doc.hash,
      publishedAt: doc.publishedAt,
    };
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
      const current = await this.catalogEntries.get(doc.key);
      if (current && current.version >= doc.version) return;
      try {
        // A retired item stays retired when a new version is published (un-retire is explicit).
        if (current) await this.catalogEntries.replace(doc.key, current._v, { ...next, retired: current.retired });
        else await this.catalogEntries.insert(next);
        return;
      } catch (err) {
        if (hasCode(err, 'MINFLOW_ERR_STORE_DUPLICATE') || hasCode(err, 'MINFLOW_ERR_STORE_VERSION_CONFLICT')) continue;
        throw err;
      }
    }
  }

  /** Published versions of an item, newest first. 404 when the item has no draft and no version. */
  async listVersions(key: string, options: PageOptions = {}): Promise<Page<VersionSummary>> {
    const page = await this.versions.find(
      { key },
      {
        sort: { key: 1, version: -1 },
        limit: options.limit ?? 50,
        cursor: options.cursor ?? null,
        projection: [
          'key',
          'version',
          'name',
          'category',
          'description',
          'startLevels',
          'hash',
          'publishedAt',
          'publishedBy',
        ],
      },
    );
    if (page.items.length === 0 && !options.cursor && !(await this.drafts.get(key))) {
      throw new MinflowError('MINFLOW_ERR_DEFINITIONS_NOT_FOUND', { params: { key } });
    }
    return { items: page.items.map(versionSummary), nextCursor: page.nextCursor };
  }

  /**
   * The start catalog: the latest published version of each item matching `filter` (the caller's
   * ability as a store filter, e.g. `{ startLevels: 'village' }`), grouped-ready by category.
   */
  async catalog(filter: Filter, options: PageOptions = {}): Promise<Page<CatalogEntry>> {
    // Retired items are not offered (they stay readable for the cases running on them).
    const parts: Filter[] = [filter, { retired: { $ne: true } }];
    if (options.category) parts.push({ category: options.category });
    const page = await this.catalogEntries.find(
      { $and: parts },
      {
        sort: { category: 1, _id: 1 },
        limit: options.limit ?? 50,
        cursor: options.cursor ?? null,
      },
    );
    return {
      items: page.items.map((c) => ({
        key: c.key,
        name: c.name,
        category: c.category,
        description: c.description,
        startLevels: c.startLevels,
        version: c.version,
        publishedAt: c.publishedAt,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** The catalog entry of one item (null when never published), for permission checks on a record. */
  async catalogEntry(key: string): Promise<CatalogEntry | null> {
    const c = await this.catalogEntries.get(key);
    return c
      ? {
          key: c.key,
          name: c.name,
          category: c.category,
          description: c.description,
          startLevels: c.startLevels,
          version: c.version,
          publishedAt: c.publishedAt,
        }
      : null;
  }

  getPublished(key: string, version?: number): Promise<PublishedVersion> {
    return getPublishedVersion(this.deps.store, key, version);
  }

  /**
   * The latest published version, for starting a new case: 409 MINFLOW_ERR_DEFINITIONS_RETIRED
   * when the item is retired (cases already running read their own version with getPublished).
   */
  async getStartable(key: string): Promise<PublishedVersion> {
    const head = await this.catalogEntries.get(key);
    if (head?.retired)
      throw new MinflowError('MINFLOW_ERR_DEFINITIONS_RETIRED', { params: { key, name: head.name.zh } });
    return this.getPublished(key);
  }

  /**
   * Retires an item (no new cases; the catalog hides it) or brings it back. Needs a published
   * version (404 NOT_PUBLISHED otherwise); setting the state it already has changes nothing and
   * is not audited again. Returns the catalog state.
   */
  async setRetired(
    key: string,
    retired: boolean,
    actorId: string,
  ): Promise<{ key: string; retired: boolean; changed: boolean }> {
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
      const current = await this.catalogEntries.get(key);
      if (!current) throw new MinflowError('MINFLOW_ERR_DEFINITIONS_NOT_PUBLISHED', { params: { key } });
      if ((current.retired === true) === retired) return { key, retired, changed: false };
      const now = this.now();
      try {
        await this.catalogEntries.replace(key, current._v, {
          ...current,
          retired,
          retiredAt: retired ? now : null,
          retiredBy: retired ? actorId : null,
        });
      } catch (err) {
        if (hasCode(err, 'MINFLOW_ERR_STORE_VERSION_CONFLICT')) continue;
        throw err;
      }
      await this.deps.audit?.record({
        actorId,
        action: retired ? 'definition.retire' : 'definition.unretire',
        subjectType: 'Definition',
        subjectId: key,
        before: { retired: current.retired === true, version: current.version },
        after: { retired, version: current.version },
      });
      return { key, retired, changed: true };
    }
    throw new MinflowError('MINFLOW_ERR_DEFINITIONS_PUBLISH_CONTENDED', { params: { key } });
  }

  /** The content of a published version (`version` a number) or of the draft (`'draft'`). */
  async versionContent(
    key: string,
    version: number | 'draft',
  ): Promise<{ input: DefinitionInput; version: number | null }> {
    if (version === 'draft') {
      const d = await this.get(key);
      return { input: { key, ...contentOf(d) }, version: null };
    }
    const p = await this.getPublished(key, version);
    return { input: { key, ...contentOf(p) }, version: p.version };
  }

  /** A semantic diff between two versions (`'draft'` for the draft). */
  async diff(key: string, from: number | 'draft', to: number | 'draft', lang: Lang = 'zh-CN'): Promise<DefinitionDiff> {
    const a = (await this.versionContent(key, from)).input;
    const b = (await this.versionContent(key, to)).input;
    return diffDefinitions(a, b, await parseOrInvalid(a.bpmnXml, lang), await parseOrInvalid(b.bpmnXml, lang));
  }

  /** The item as one file (see exchange.ts): the draft, or a published version. */
  async exportItem(key: string, version: number | 'draft'): Promise<ItemFile> {
    const c = await this.versionContent(key, version);
    return toItemFile(c.input, c.version, this.now());
  }

  /**
   * Imports an item file as a new draft under `key` (the file's own key by default), after the
   * publish validation. Never touches an existing item: a key already used by a draft or a
   * published version is 409 MINFLOW_ERR_DEFINITIONS_IMPORT_CONFLICT (import under another key).
   */
  async importItem(file: ItemFile, actorId: string, lang: Lang = 'zh-CN', key?: string): Promise<DraftView> {
    const input = fromItemFile(file, key ?? file.key);
    if (await this.itemExists(input.key)) {
      throw new MinflowError('MINFLOW_ERR_DEFINITIONS_IMPORT_CONFLICT', { params: { key: input.key } });
    }
    const { problems } = await checkForPublish(contentOf(this.checkDraft(input, lang)), lang, {
      key: input.key,
      itemExists: (k) => this.itemExists(k),
    });
    if (problems.length) throw invalid(problems);
    let draft: DraftView;
    try {
      draft = await this.create(input, actorId, lang);
    } catch (err) {
      if (hasCode(err, 'MINFLOW_ERR_DEFINITIONS_EXISTS')) {
        throw new MinflowError('MINFLOW_ERR_DEFINITIONS_IMPORT_CONFLICT', { params: { key: input.key } });
      }
      throw err;
    }
    await this.deps.audit?.record({
      actorId,
      action: 'definition.import',
      subjectType: 'Definition',
      subjectId: input.key,
      after: { format: file.format, fromKey: file.key, fromVersion: file.version ?? null, hash: draft.hash },
    });
    return draft;
  }

  /**
   * A dry run of the draft's flow (or a published version's) with sample data, in memory: nothing
   * is stored. See simulate.ts for how tasks, jobs, messages and timers are answered.
   */
  async simulate(
    key: string,
    input: SimulateInput,
    options: { version?: number | 'draft'; lang?: Lang } = {},
  ): Promise<SimulateResult> {
    const lang = options.lang ?? 'zh-CN';
    const { input: content } = await this.versionContent(key, options.version ?? 'draft');
    const bpmn = await parseOrInvalid(content.bpmnXml, lang);
    let dataProblems: ErrorDetail[] = [];
    try {
      dataProblems = validateFormData(content.formSchema, input.data, lang, '/data');
    } catch (err) {
      dataProblems = [{ path: '/formSchema', message: (err as Error).message }];
    }
    // Call activities run the called item's latest published version (as a new case would).
    const children = new Map<string, ProcessModel>();
    for (const called of compileBpmn(bpmn).calledElements) {
      try {
        const p = await this.getPublished(called);
        const child = { ...compileBpmn(await parseOrInvalid(p.bpmnXml, lang)), version: p.version };
        // asked for by the call's calledElement at the start, by the child's process id afterwards
        children.set(called, child);
        children.set(child.id, child);
      } catch (err) {
        if (!isMinflowError(err)) throw err; // not published: the run stops there with an incident
      }
    }
    try {
      return simulateFlow(bpmn, input, {
        dataProblems,
        resolveModel: (called, version) => {
          const m = children.get(called);
          return m && (version === null || m.version === version) ? m : undefined;
        },
      });
    } catch (err) {
      if (isMinflowError(err)) throw err;
      throw new MinflowError('MINFLOW_ERR_DEFINITIONS_SIMULATION_INVALID', {
        params: { reason: (err as Error).message },
      });
    }
  }
}

async function parseOrInvalid(xml: string, lang: Lang): Promise<ParsedBpmn> {
  try {
    return await parseBpmn(xml);
  } catch (err) {
    if (!(err instanceof BpmnParseError)) throw err;
    throw invalid(
      err.problems.map((p) => ({
        path: p.elementId ? `bpmn:${p.elementId}` : '/bpmnXml',
        message: lang === 'en' ? `The BPMN cannot be parsed: ${p.message}` : `BPMN 无法解析：${p.message}`,
      })),
    );
  }
}

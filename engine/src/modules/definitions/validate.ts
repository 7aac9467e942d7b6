import { addMinflowFormats } from '@minflow/sdk/formats';
import { addMinflowKeywords } from '@minflow/sdk/keywords';
import { Ajv, type Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { check as checkRegex } from 'recheck';
import { calledElements, lintBpmn, lintMessage } from '../../bpmn/lint.js';
import { BpmnParseError, type ParsedBpmn, parseBpmn } from '../../bpmn/parse.js';
import { ajvErrorsToDetails } from '../../errors/ajv-details.js';
import type { Lang } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import type { DefinitionContent, JsonObject } from './model.js';
import { createDefinitionBody } from './schemas.js';

/** Largest form schema (JSON text, UTF-8) accepted: 512 KB. */
export const MAX_SCHEMA_BYTES = 512 * 1024;
/** Deepest nesting of objects and arrays in a schema. */
export const MAX_SCHEMA_DEPTH = 32;
/** Time budget of the ReDoS analysis of one pattern. */
const REGEX_CHECK_TIMEOUT_MS = 3000;
const regexVerdicts = new Map<string, Awaited<ReturnType<typeof checkRegex>>>();

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
export type Dialect = 'draft-07' | '2020-12';

const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The dialect a schema declares with `$schema` (draft-07 when absent), or null when unsupported. */
export function schemaDialect(schema: JsonObject): Dialect | null {
  const declared = schema.$schema;
  if (declared === undefined) return 'draft-07';
  if (typeof declared !== 'string') return null;
  const normalized = declared.replace(/#$/, '');
  if (
    normalized === DRAFT_07.replace(/#$/, '') ||
    normalized === DRAFT_07.replace(/#$/, '').replace('http:', 'https:')
  ) {
    return 'draft-07';
  }
  if (normalized === DRAFT_2020_12) return '2020-12';
  return null;
}

/**
 * A fresh ajv of the schema's dialect with Minflow's options: strict mode (unknown keywords and
 * formats, ambiguous types are errors), `$data` off, no remote loading, every error reported,
 * the standard formats (ajv-formats) plus the sdk's Chinese ones and its keywords. A fresh instance per schema
 * keeps `$id`s of different definitions from colliding and lets compiled code be collected.
 */
export function createFormAjv(dialect: Dialect, options: Options = {}): Ajv {
  const base: Options = {
    strict: true,
    // ajv's strictRequired refuses the idiomatic conditional requirement `then: { required: [...] }`
    // (the property is defined by the parent); `requiredProblems` makes the same check knowing that.
    strictRequired: false,
    allowUnionTypes: true,
    $data: false,
    allErrors: true,
    logger: false,
    ...options,
  };
  const ajv = dialect === '2020-12' ? new Ajv2020(base) : new Ajv(base);
  (ajvFormats as unknown as (a: Ajv) => Ajv)(ajv);
  addMinflowFormats(ajv);
  // Minflow's keywords (e.g. minflowSizeMatches: household size = applicant + members listed).
  addMinflowKeywords(ajv as never);
  return ajv;
}

/** Keywords whose values are data (examples, defaults, constants), not subschemas. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
/** Keywords whose value is a map from property names (or patterns) to subschemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

interface PatternRef {
  path: string;
  source: string;
}

/**
 * Structural checks ajv does not make: size, depth, remote references, `$data`; and collects
 * every regular expression (pattern, patternProperties) for the ReDoS analysis. False when the
 * schema is too large to look at any further.
 */
function scanSchema(
  schema: unknown,
  base: string,
  lang: Lang,
  problems: ErrorDetail[],
  patterns: PatternRef[],
): boolean {
  const bytes = Buffer.byteLength(JSON.stringify(schema), 'utf8');
  if (bytes > MAX_SCHEMA_BYTES) {
    problems.push({
      path: base,
      message: t(
        lang,
        `表单结构过大（${Math.ceil(bytes / 1024)} KB，上限 ${MAX_SCHEMA_BYTES / 1024} KB）`,
        `The schema is too large (${Math.ceil(bytes / 1024)} KB, at most ${MAX_SCHEMA_BYTES / 1024} KB)`,
      ),
    });
    return false;
  }
  let tooDeep = false;
  const walk = (node: unknown, path: string, depth: number, isMap: boolean) => {
    if (node === null || typeof node !== 'object') return;
    if (depth > MAX_SCHEMA_DEPTH) {
      if (!tooDeep) {
        tooDeep = true;
        problems.push({
          path,
          message: t(
            lang,
            `表单结构嵌套超过 ${MAX_SCHEMA_DEPTH} 层`,
            `The schema is nested deeper than ${MAX_SCHEMA_DEPTH} levels`,
          ),
        });
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, `${path}/${i}`, depth + 1, false);
      });
      return;
    }
    for (const [key, value] of Object.entries(node as JsonObject)) {
      const childPath = `${path}/${escapePointer(key)}`;
      if (isMap) {
        // Keys of a schema map are names (or, for patternProperties, patterns), values are subschemas.
        walk(value, childPath, depth + 1, false);
        continue;
      }
      if (DATA_KEYWORDS.has(key)) continue;
      if (key === '$data') {
        problems.push({
          path: childPath,
          message: t(lang, '不支持 $data 引用', '$data references are not supported'),
        });
      } else if ((key === '$ref' || key === '$dynamicRef' || key === '$recursiveRef') && typeof value === 'string') {
        if (!value.startsWith('#')) {
          problems.push({
            path: childPath,
            message: t(
              lang,
              `只允许本文档内的引用（以 # 开头），不允许 "${value}"`,
              `Only references inside the schema (starting with #) are allowed, not "${value}"`,
            ),
          });
        }
      } else if (key === 'pattern' && typeof value === 'string') {
        patterns.push({ path: childPath, source: value });
      }
      if (key === 'patternProperties' && value && typeof value === 'object' && !Array.isArray(value)) {
        for (const pattern of Object.keys(value)) {
          patterns.push({ path: `${childPath}/${escapePointer(pattern)}`, source: pattern });
        }
      }
      walk(value, childPath, depth + 1, SCHEMA_MAPS.has(key));
    }
  };
  walk(schema, base, 0, false);
  return true;
}

/** Whether a regular expression can backtrack catastrophically (exponential or polynomial time). */
async function regexProblem(source: string, lang: Lang): Promise<string | null> {
  // ajv compiles patterns with the `u` flag; an invalid one is reported by ajv's compile.
  try {
    new RegExp(source, 'u');
  } catch {
    return null;
  }
  let diagnostics = regexVerdicts.get(source);
  if (!diagnostics) {
    diagnostics = await checkRegex(source, 'u', { timeout: REGEX_CHECK_TIMEOUT_MS });
    // A verdict is a property of the pattern: keep it (the 19 items share a handful of patterns);
    // an inconclusive (time-limited) answer is tried again next time.
    if (diagnostics.status !== 'unknown') regexVerdicts.set(source, diagnostics);
  }
  if (diagnostics.status === 'safe') return null;
  if (diagnostics.status === 'vulnerable') {
    const attack = diagnostics.attack?.pattern ?? '';
    return t(
      lang,
      `正则表达式可能发生灾难性回溯（${diagnostics.complexity.type === 'exponential' ? '指数' : '多项式'}级），例如输入 ${attack}，请改写`,
      `The regular expression can backtrack catastrophically (${diagnostics.complexity.type} time), e.g. on ${attack}; rewrite it`,
    );
  }
  return t(
    lang,
    '无法确认该正则表达式不会发生灾难性回溯，请简化',
    'The regular expression could not be proven free of catastrophic backtracking; simplify it',
  );
}

function resolveLocalRef(root: unknown, ref: string): { schema: unknown; pointer: string } | null {
  if (!ref.startsWith('#')) return null;
  const pointer = decodeURIComponent(ref.slice(1));
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as JsonObject)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return { schema: node, pointer };
}

/**
 * Every `required` name that no schema constraining the same value defines in `properties`
 * (ajv's strictRequired, but aware that `if/then/else`, `allOf`/`anyOf`/`oneOf`, dependent
 * schemas and local `$ref`s all describe one value): catches typos such as `required: ["nmae"]`.
 */
function requiredProblems(root: JsonObject, base: string, lang: Lang): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const visited = new Set<object>();
  const visitValue = (schema: unknown, path: string, depth: number): void => {
    if (!isPlainObject(schema) || visited.has(schema) || depth > MAX_SCHEMA_DEPTH * 2) return;
    const group: Array<[JsonObject, string]> = [];
    const inGroup = new Set<object>();
    const gather = (s: unknown, p: string, d: number): void => {
      if (!isPlainObject(s) || inGroup.has(s) || d > MAX_SCHEMA_DEPTH * 2) return;
      inGroup.add(s);
      visited.add(s);
      group.push([s, p]);
      for (const k of ['allOf', 'anyOf', 'oneOf']) {
        const subs = s[k];
        if (Array.isArray(subs)) {
          for (const [i, sub] of subs.entries()) gather(sub, `${p}/${k}/${i}`, d + 1);
        }
      }
      for (const k of ['if', 'then', 'else', 'not']) gather(s[k], `${p}/${k}`, d + 1);
      for (const k of ['dependentSchemas', 'dependencies']) {
        const deps = s[k];
        if (isPlainObject(deps)) {
          for (const [name, sub] of Object.entries(deps)) gather(sub, `${p}/${k}/${escapePointer(name)}`, d + 1);
        }
      }
      if (typeof s.$ref === 'string') {
        const target = resolveLocalRef(root, s.$ref);
        if (target) gather(target.schema, base + target.pointer, d + 1);
      }
    };
    gather(schema, path, depth);
    const names = new Set<string>();
    let open = false;
    for (const [s] of group) {
      if (isPlainObject(s.properties)) for (const name of Object.keys(s.properties)) names.add(name);
      if (isPlainObject(s.patternProperties)) open = true;
    }
    for (const [s, p] of group) {
      if (!Array.isArray(s.required) || open) continue;
      s.required.forEach((name, i) => {
        if (typeof name === 'string' && !names.has(name)) {
          out.push({
            path: `${p}/required/${i}`,
            message: t(
              lang,
              `必填字段“${name}”没有在 properties 中定义`,
              `The required property "${name}" is not defined in properties`,
            ),
          });
        }
      });
    }
    // Then every subschema that describes another value (a property, an item, a definition).
    for (const [s, p] of group) {
      for (const k of ['properties', 'patternProperties', '$defs', 'definitions']) {
        const map = s[k];
        if (isPlainObject(map)) {
          for (const [name, sub] of Object.entries(map)) visitValue(sub, `${p}/${k}/${escapePointer(name)}`, depth + 1);
        }
      }
      for (const k of [
        'items',
        'additionalItems',
        'additionalProperties',
        'contains',
        'unevaluatedProperties',
        'unevaluatedItems',
      ]) {
        const sub = s[k];
        if (Array.isArray(sub)) {
          for (const [i, item] of sub.entries()) visitValue(item, `${p}/${k}/${i}`, depth + 1);
        } else visitValue(sub, `${p}/${k}`, depth + 1);
      }
      if (Array.isArray(s.prefixItems)) {
        for (const [i, item] of s.prefixItems.entries()) visitValue(item, `${p}/prefixItems/${i}`, depth + 1);
      }
    }
  };
  visitValue(root, base, 0);
  return out;
}

/** Turns ajv's compile-time error (strict mode and friends) into a detail with the best path we can find. */
function compileErrorDetail(err: Error, schema: unknown, base: string, lang: Lang): ErrorDetail {
  const message = err.message;
  // strictTypes and friends name the location: `... at "#/properties/a" (strictTypes)`.
  const at = /at (?:path )?"#([^"]*)"/.exec(message);
  let path = at ? base + at[1] : base;
  const unknownKeyword = /unknown keyword: "([^"]+)"/.exec(message);
  const unknownFormat = /unknown format "([^"]+)"/.exec(message);
  if (at && unknownFormat) path += '/format';
  if (!at && (unknownKeyword || unknownFormat)) {
    const found = unknownKeyword
      ? findKey(schema, unknownKeyword[1], '')
      : findValue(schema, 'format', unknownFormat?.[1] ?? '', '');
    if (found !== null) path = base + found;
  }
  return { path, message: t(lang, `表单结构无法编译：${message}`, `The schema does not compile: ${message}`) };
}

function findKey(node: unknown, key: string, path: string): string | null {
  if (node === null || typeof node !== 'object') return null;
  for (const [k, v] of Object.entries(node as JsonObject)) {
    const p = `${path}/${escapePointer(k)}`;
    if (k === key) return p;
    const deeper = findKey(v, key, p);
    if (deeper !== null) return deeper;
  }
  return null;
}

function findValue(node: unknown, key: string, value: string, path: string): string | null {
  if (node === null || typeof node !== 'object') return null;
  for (const [k, v] of Object.entries(node as JsonObject)) {
    const p = `${path}/${escapePointer(k)}`;
    if (k === key && v === value) return p;
    const deeper = findValue(v, key, value, p);
    if (deeper !== null) return deeper;
  }
  return null;
}

/**
 * Every problem of one JSON Schema as it would be used for a form, each with a JSON pointer
 * under `base` (e.g. `/formSchema/properties/age/minimum`). Empty when it is fit to publish.
 */
export async function checkFormSchema(schema: unknown, base: string, lang: Lang): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [{ path: base, message: t(lang, '表单结构必须是 JSON 对象', 'The schema must be a JSON object') }];
  }
  const root = schema as JsonObject;
  const dialect = schemaDialect(root);
  if (!dialect) {
    return [
      {
        path: `${base}/$schema`,
        message: t(
          lang,
          `只支持 JSON Schema draft-07（${DRAFT_07}）和 2020-12（${DRAFT_2020_12}）`,
          `Only JSON Schema draft-07 (${DRAFT_07}) and 2020-12 (${DRAFT_2020_12}) are supported`,
        ),
      },
    ];
  }
  if (root.type !== 'object') {
    problems.push({
      path: `${base}/type`,
      message: t(lang, '表单结构的根必须是 "type": "object"', 'The root of a form schema must be "type": "object"'),
    });
  }
  const patterns: PatternRef[] = [];
  const sizeOk = scanSchema(root, base, lang, problems, patterns);
  if (!sizeOk) return problems;

  const ajv = createFormAjv(dialect);
  // Meta-schema validation first: its errors carry exact paths into the schema. One message per
  // path: a wrong `type` fails the meta-schema's enum, array and anyOf branches at once.
  if (!ajv.validateSchema(root)) {
    const seen = new Set<string>();
    const details = ajvErrorsToDetails(ajv.errors, lang, base).filter((d) => !seen.has(d.path) && seen.add(d.path));
    problems.push(...(details.length ? details : [{ path: base, message: ajv.errorsText(ajv.errors) }]));
  }
  if (problems.length === 0) problems.push(...requiredProblems(root, base, lang));
  if (problems.length === 0) {
    try {
      ajv.compile(root);
    } catch (err) {
      problems.push(compileErrorDetail(err as Error, root, base, lang));
    }
  }
  const regexResults = await Promise.all(
    patterns.map(async (p) => ({ p, problem: await regexProblem(p.source, lang) })),
  );
  for (const { p, problem } of regexResults) if (problem) problems.push({ path: p.path, message: problem });
  return problems;
}

/** The shape of a definition (metadata and field types), with fastify's options: defaults applied in place. */
const shapeAjv = addMinflowFormats(new Ajv({ allErrors: true, useDefaults: true, strict: false }));
const validateShape = shapeAjv.compile(createDefinitionBody);

export function checkDefinitionShape(input: unknown, lang: Lang): ErrorDetail[] {
  if (validateShape(input)) return [];
  return ajvErrorsToDetails(validateShape.errors, lang);
}

export interface PublishCheckOptions {
  /** The definition's own key (a call activity may not call its own item). */
  key: string;
  /** Whether another item exists under this key (call activity targets). */
  itemExists?: (key: string) => Promise<boolean>;
}

export interface PublishCheckResult {
  problems: ErrorDetail[];
  /** The parsed BPMN when it parsed (the runtime may reuse it). */
  bpmn: ParsedBpmn | null;
}

/**
 * The whole publish validation: form schema and task form schemas (ajv strict, limits, ReDoS,
 * local refs only), uiSchemas are objects, and the BPMN (parse, one executable process, lint
 * with the form's fields and task form keys, call activity targets). Every problem names a JSON
 * pointer (`/formSchema/...`) or a BPMN element (`bpmn:Task_1`).
 */
export async function checkForPublish(
  content: DefinitionContent,
  lang: Lang,
  options: PublishCheckOptions,
): Promise<PublishCheckResult> {
  const problems: ErrorDetail[] = [];
  problems.push(...(await checkFormSchema(content.formSchema, '/formSchema', lang)));
  for (const [formKey, form] of Object.entries(content.taskForms ?? {})) {
    const base = `/taskForms/${escapePointer(formKey)}`;
    problems.push(...(await checkFormSchema(form.schema, `${base}/schema`, lang)));
    if (form.uiSchema !== undefined && !isPlainObject(form.uiSchema)) {
      problems.push({
        path: `${base}/uiSchema`,
        message: t(lang, 'UI 结构必须是 JSON 对象', 'uiSchema must be a JSON object'),
      });
    }
  }
  if (!isPlainObject(content.uiSchema)) {
    problems.push({ path: '/uiSchema', message: t(lang, 'UI 结构必须是 JSON 对象', 'uiSchema must be a JSON object') });
  } else if (Buffer.byteLength(JSON.stringify(content.uiSchema), 'utf8') > MAX_SCHEMA_BYTES) {
    problems.push({ path: '/uiSchema', message: t(lang, 'UI 结构过大', 'uiSchema is too large') });
  }

  let bpmn: ParsedBpmn | null = null;
  try {
    bpmn = await parseBpmn(content.bpmnXml);
  } catch (err) {
    if (!(err instanceof BpmnParseError)) throw err;
    for (const p of err.problems) {
      problems.push({
        path: p.elementId ? `bpmn:${p.elementId}` : '/bpmnXml',
        message: t(lang, `BPMN 无法解析：${p.message}`, `The BPMN cannot be parsed: ${p.message}`),
      });
    }
  }
  if (bpmn) {
    const lint = lintBpmn(bpmn, { formSchema: content.formSchema, taskFormKeys: Object.keys(content.taskForms ?? {}) });
    for (const p of lint) {
      problems.push({ path: p.elementId ? `bpmn:${p.elementId}` : '/bpmnXml', message: lintMessage(p, lang) });
    }
    for (const call of calledElements(bpmn)) {
      if (call.key === options.key) {
        problems.push({
          path: `bpmn:${call.elementId}`,
          message: t(lang, '调用活动不能调用事项自身', 'A call activity cannot call its own item'),
        });
      } else if (options.itemExists && !(await options.itemExists(call.key))) {
        problems.push({
          path: `bpmn:${call.elementId}`,
          message: t(lang, `被调用的事项“${call.key}”不存在`, `The called item "${call.key}" does not exist`),
        });
      }
    }
  }
  return { problems, bpmn };
}

function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

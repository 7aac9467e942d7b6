/**
 * Minflow's own JSON Schema keywords, registered on the server's form ajv and the browser's, so
 * both refuse the same data with the same message.
 *
 * `minflowSizeMatches` (on an object): the number at `size` must equal the length of the list at
 * `list` plus `offset` (default 0). For a household: `{ "size": "/household/size", "list":
 * "/members", "offset": 1 }` (the applicant and the members listed). Pointers are JSON pointers
 * from the object carrying the keyword. Missing values are left to `required`.
 */
export const SIZE_MATCHES_KEYWORD = 'minflowSizeMatches';
/**
 * `minflowAge` (on an object): the age derived from the resident ID number at `idNumber` (its
 * birth date, on today's date) must be at least `min` and/or at most `max` full years. For
 * 高龄津贴: `{ "idNumber": "/applicant/idNumber", "min": 80 }`. An ID number that is not a valid
 * one is left to its `format`.
 */
export const AGE_KEYWORD = 'minflowAge';

export interface AgeSpec {
  idNumber: string;
  min?: number;
  max?: number;
}

export interface SizeMatchesSpec {
  size: string;
  list: string;
  offset?: number;
}

type KeywordLang = 'zh-CN' | 'en';

function at(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The message of a failed `minflowSizeMatches`, naming the field and both numbers. */
export function sizeMatchesMessage(lang: KeywordLang, params: { size?: unknown; listed?: unknown }): string {
  return lang === 'en'
    ? `The household size (${params.size}) must equal the applicant plus the members listed (${params.listed})`
    : `家庭人口数（${params.size}人）应与申请人及家庭成员人数（${params.listed}人）一致`;
}

/** Full years of age on `today` (YYYY-MM-DD) of the holder of an 18-character ID number; null when its date is not one. */
export function ageFromIdNumber(idNumber: string, today: string): number | null {
  if (!/^\d{17}[\dXx]$/.test(idNumber)) return null;
  const [y, m, d] = [idNumber.slice(6, 10), idNumber.slice(10, 12), idNumber.slice(12, 14)].map(Number);
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return null;
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** The message of a failed `minflowAge`, naming the age found and the limit. */
export function ageMessage(lang: KeywordLang, params: { age?: unknown; min?: unknown; max?: unknown }): string {
  const tooYoung = typeof params.min === 'number' && typeof params.age === 'number' && params.age < params.min;
  if (lang === 'en') {
    return tooYoung
      ? `By the ID number the person is ${params.age}: at least ${params.min} is required`
      : `By the ID number the person is ${params.age}: at most ${params.max} is allowed`;
  }
  return tooYoung
    ? `按身份证号码计算现年${params.age}周岁，应年满${params.min}周岁`
    : `按身份证号码计算现年${params.age}周岁，应不超过${params.max}周岁`;
}

/** The message of a Minflow keyword's error, or null for other keywords. */
export function keywordErrorMessage(keyword: string, lang: KeywordLang, params: unknown): string | null {
  if (keyword === SIZE_MATCHES_KEYWORD) return sizeMatchesMessage(lang, params as { size?: unknown; listed?: unknown });
  if (keyword === AGE_KEYWORD) return ageMessage(lang, params as { age?: unknown; min?: unknown; max?: unknown });
  return null;
}

/** Today's date in Beijing time (YYYY-MM-DD): ages are counted as the civil-affairs office counts them. */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

interface KeywordError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

/** What `addMinflowKeywords` needs of an ajv instance (ajv 8's `addKeyword`). */
export interface KeywordHost {
  addKeyword(definition: {
    keyword: string;
    type?: string;
    schemaType?: string;
    errors?: boolean;
    metaSchema?: object;
    validate: (
      // biome-ignore lint/suspicious/noExplicitAny: each keyword has its own schema value
      schema: any,
      data: unknown,
      parentSchema?: unknown,
      dataCxt?: { instancePath: string },
    ) => boolean;
  }): unknown;
}

const metaSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['size', 'list'],
  properties: {
    size: { type: 'string', pattern: '^(/[^/]+)+$' },
    list: { type: 'string', pattern: '^(/[^/]+)+$' },
    offset: { type: 'integer' },
  },
};

/** Registers Minflow's keywords on an ajv instance. */
export function addMinflowKeywords<T extends KeywordHost>(ajv: T): T {
  const validate = (spec: SizeMatchesSpec, data: unknown, _parent?: unknown, cxt?: { instancePath: string }) => {
    const size = at(data, spec.size);
    const list = at(data, spec.list);
    if (typeof size !== 'number' || !Array.isArray(list)) return true;
    const listed = list.length + (spec.offset ?? 0);
    if (size === listed) return true;
    const error: KeywordError = {
      keyword: SIZE_MATCHES_KEYWORD,
      instancePath: `${cxt?.instancePath ?? ''}${spec.size}`,
      schemaPath: `#/${SIZE_MATCHES_KEYWORD}`,
      params: { size, listed, list: spec.list },
      message: sizeMatchesMessage('en', { size, listed }),
    };
    (validate as unknown as { errors: KeywordError[] }).errors = [error];
    return false;
  };
  ajv.addKeyword({
    keyword: SIZE_MATCHES_KEYWORD,
    type: 'object',
    schemaType: 'object',
    errors: true,
    metaSchema,
    validate,
  });

  const validateAge = (spec: AgeSpec, data: unknown, _parent?: unknown, cxt?: { instancePath: string }) => {
    const id = at(data, spec.idNumber);
    if (typeof id !== 'string') return true;
    const age = ageFromIdNumber(id, beijingToday());
    if (age === null) return true;
    if ((spec.min === undefined || age >= spec.min) && (spec.max === undefined || age <= spec.max)) return true;
    const params = { age, min: spec.min, max: spec.max };
    const error: KeywordError = {
      keyword: AGE_KEYWORD,
      instancePath: `${cxt?.instancePath ?? ''}${spec.idNumber}`,
      schemaPath: `#/${AGE_KEYWORD}`,
      params,
      message: ageMessage('en', params),
    };
    (validateAge as unknown as { errors: KeywordError[] }).errors = [error];
    return false;
  };
  ajv.addKeyword({
    keyword: AGE_KEYWORD,
    type: 'object',
    schemaType: 'object',
    errors: true,
    metaSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['idNumber'],
      properties: {
        idNumber: { type: 'string', pattern: '^(/[^/]+)+$' },
        min: { type: 'integer', minimum: 0 },
        max: { type: 'integer', minimum: 0 },
      },
    },
    validate: validateAge,
  });
  return ajv;
}

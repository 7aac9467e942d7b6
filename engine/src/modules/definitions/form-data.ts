import type { ValidateFunction } from 'ajv';
import { ajvErrorsToDetails } from '../../errors/ajv-details.js';
import type { Lang } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import type { JsonObject } from './model.js';
import { createFormAjv, schemaDialect } from './validate.js';

/**
 * Compiled validators by schema object. Published versions are immutable and cached as objects
 * (see `getPublishedVersion`), so each version's form and task forms compile once per process.
 */
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: JsonObject): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // `verbose` keeps the failing value on each error, so format messages can say precisely what
    // is wrong (e.g. 身份证号码校验位不正确). No defaults or coercion: the data is checked, not changed.
    validate = createFormAjv(schemaDialect(schema) ?? 'draft-07', {
      verbose: true,
      useDefaults: false,
      coerceTypes: false,
    }).compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * Validates form data against a published form schema (the same ajv options and formats the
 * publish check compiled it with). Returns localized details with JSON pointers into the data
 * (`/applicant/idNumber`); empty when the data is valid.
 */
export function validateFormData(schema: JsonObject, data: unknown, lang: Lang, prefix = ''): ErrorDetail[] {
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  return ajvErrorsToDetails(validate.errors, lang, prefix);
}

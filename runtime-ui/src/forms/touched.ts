import type { RJSFValidationError } from '@rjsf/utils';

/** The DOM id rjsf gives the field at an error's `property` (".applicant.idNumber" → "root_applicant_idNumber"). */
export function propertyToFieldId(property: string | undefined, prefix = 'root', separator = '_'): string {
  const parts = (property ?? '').split('.').filter(Boolean);
  return [prefix, ...parts].join(separator);
}

/**
 * Errors are shown where the person has already been: a field they typed in and left (the caller
 * passes those ids), or its parent group. Fields they have not reached, or only tabbed through, stay
 * clean until they press submit; then everything is shown.
 */
export function visibleErrors(
  errors: RJSFValidationError[],
  touched: ReadonlySet<string>,
  showAll: boolean,
): RJSFValidationError[] {
  if (showAll) return errors;
  return errors.filter((e) => {
    const id = propertyToFieldId(e.property);
    if (id === 'root') return false;
    for (const t of touched) if (t === id || t.startsWith(`${id}_`)) return true;
    return false;
  });
}

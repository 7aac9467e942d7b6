/**
 * What rjsf may fill in by itself: nothing is answered for the person. An unanswered yes/no stays unanswered (not
 * 否), and the first option of a choice (户籍类型 农业, 准予发放) is not preselected; `required` asks for them
 * instead. Used by every form of the runtime UI (application, task, case file), so a value in a case is always one
 * somebody chose.
 */
export const NO_GUESSED_DEFAULTS = { requiredBooleanDefault: 'skip', constAsDefaults: 'skipOneOf' } as const;

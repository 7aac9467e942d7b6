import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin';

/**
 * FEEL (the `feelin` interpreter) for conditions, scripts, timer values, multi-instance
 * collections and completion conditions. No `eval`: feelin parses with a Lezer grammar and
 * interprets the tree. A leading `=` is allowed, as Camunda 8 writes expressions.
 */

/** Raised for an expression that cannot be parsed or evaluated; the interpreter turns it into an incident. */
export class FeelError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`FEEL expression "${expression}" failed: ${reason}`);
    this.name = 'FeelError';
  }
}

/** Warnings that mean the expression is wrong, not merely that a variable is absent (absent → null, as in Camunda). */
const FATAL_WARNINGS = new Set(['NO_FUNCTION_FOUND', 'FUNCTION_INVOCATION_FAILURE', 'UNSUPPORTED']);
const TYPE_WARNINGS = new Set(['INVALID_TYPE', 'INVALID_ARGUMENTS']);

export function feelSource(expression: string): string {
  const trimmed = expression.trim();
  return trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed;
}

/** True when the text is written as an expression (`= ...`) rather than a literal. */
export function isExpression(text: string): boolean {
  return text.trim().startsWith('=');
}

/** Converts FEEL results (temporal values, nested lists/contexts) into plain JSON values. */
export function toJsonValue(value: unknown, expression: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FeelError(expression, 'the result is not a finite number');
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v, expression));
  if (typeof value === 'function') throw new FeelError(expression, 'the result is a function');
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v, expression);
      return out;
    }
    // FeelDate, FeelDateTime, FeelDuration, ...: their string form is ISO 8601.
    return String(value);
  }
  throw new FeelError(expression, `unsupported result type ${typeof value}`);
}

const parseCache = new Map<string, string>();

/** Evaluates an expression against the variables; returns a JSON value or throws FeelError. */
export function evalFeel(expression: string, variables: Record<string, unknown>): unknown {
  let source = parseCache.get(expression);
  if (source === undefined) {
    source = feelSource(expression);
    if (parseCache.size > 5000) parseCache.clear();
    parseCache.set(expression, source);
  }
  if (source === '') throw new FeelError(expression, 'the expression is empty');
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(source, variables);
  } catch (err) {
    const message = err instanceof FeelSyntaxError ? `syntax error: ${err.message}` : (err as Error).message;
    throw new FeelError(expression, message);
  }
  const fatal = result.warnings.find((w) => FATAL_WARNINGS.has(w.type));
  if (fatal) throw new FeelError(expression, fatal.message);
  // A type error on values that are present ("abc" - 1, date("x")) is a modelling or data bug;
  // one that only follows from an absent variable stays null, as Camunda 8's FEEL does.
  const absent = result.warnings.some((w) => w.type === 'NO_VARIABLE_FOUND' || w.type === 'NO_PROPERTY_FOUND');
  const typeError = result.warnings.find((w) => TYPE_WARNINGS.has(w.type));
  if (typeError && !absent) throw new FeelError(expression, typeError.message);
  return toJsonValue(result.value, expression);
}

/** A condition: `true` takes the flow, `false`/`null` (e.g. a missing variable) does not, anything else is an error. */
export function evalCondition(expression: string, variables: Record<string, unknown>): boolean {
  const value = evalFeel(expression, variables);
  if (value === null) return false;
  if (typeof value !== 'boolean') {
    throw new FeelError(expression, `a condition must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

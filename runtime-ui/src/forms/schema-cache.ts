/**
 * One object per distinct form schema for the page's life. ajv (inside rjsf's validator) keeps what it compiled
 * by the schema *object*, and rjsf re-registers its root schema when handed another object: every visit to a form
 * fetches the item again, a new but equal schema, and the largest form's schema was compiled again on each
 * visit (most of its render time, and again on the first blur). Handing rjsf the object it saw before keeps the
 * compiled validators. Keyed by content, so a republished version (a different schema) gets its own.
 */
const MAX = 40;
const seen = new Map<string, object>();

export function sharedSchema<T extends object>(schema: T): T {
  const key = JSON.stringify(schema);
  const hit = seen.get(key);
  if (hit) {
    // most recently used last
    seen.delete(key);
    seen.set(key, hit);
    return hit as T;
  }
  seen.set(key, schema);
  if (seen.size > MAX) seen.delete(seen.keys().next().value as string);
  return schema;
}

import type { ErrorSchema } from '@rjsf/utils';
import type { ErrorDetail } from '../api/client';

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Puts the server's `details` (JSON pointers into the submitted body or into `data`) at their fields.
 * Details that point at no field of the form are returned as `general` to show above it.
 */
export function detailsToErrorSchema(
  details: ErrorDetail[],
  schema: { properties?: Record<string, unknown> },
): { errorSchema: ErrorSchema | undefined; general: string[] } {
  const general: string[] = [];
  const root: Record<string, unknown> = {};
  let any = false;
  const hasDataField = Boolean(schema.properties && 'data' in schema.properties);
  for (const d of details) {
    let pointer = d.path ?? '';
    // `POST /api/cases { itemKey, data }`: errors about the form come back under /data.
    if (!hasDataField && (pointer === '/data' || pointer.startsWith('/data/'))) pointer = pointer.slice(5);
    if (!pointer.startsWith('/') || pointer === '/') {
      general.push(d.message);
      continue;
    }
    const segments = pointer.slice(1).split('/').map(unescapePointer);
    if (!(segments[0]! in (schema.properties ?? {}))) {
      general.push(d.message);
      continue;
    }
    let node = root;
    for (const s of segments) {
      node[s] ??= {};
      node = node[s] as Record<string, unknown>;
    }
    const list = (node.__errors as string[] | undefined) ?? [];
    if (!list.includes(d.message)) list.push(d.message);
    node.__errors = list;
    any = true;
  }
  return { errorSchema: any ? (root as ErrorSchema) : undefined, general };
}

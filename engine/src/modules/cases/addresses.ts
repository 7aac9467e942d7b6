import { ADDRESS_LEVEL_NAMES, findAddresses, regionFullName } from '@minflow/sdk/address';
import type { Lang } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import { ORG_UNITS, type OrgUnitDoc } from '../../infra/auth/model.js';
import type { DocumentStore } from '../../infra/store/port.js';
import { regionsOf } from '../org/regions.js';

/**
 * The server's part of the `minflow-address` field (`@minflow/sdk/address`): every address in form
 * data must name an existing org unit at the level the field asks for (`ui:options.level`), and its
 * `region` is set from the jurisdiction tree (the unit's full name), whatever the client sent, so the
 * stored text can be trusted. Returns the data with regions filled in (a copy; the input is not
 * changed) and the problems, as details with JSON pointers below `prefix` (`/data/address/unitId`).
 */
export async function checkAddresses(
  store: DocumentStore,
  form: { schema: unknown; uiSchema?: unknown },
  data: Record<string, unknown>,
  lang: Lang,
  prefix = '',
  only?: (path: string) => boolean,
): Promise<{ data: Record<string, unknown>; problems: ErrorDetail[] }> {
  const found = findAddresses(form.schema, form.uiSchema ?? {}, data).filter((a) => !only || only(a.path));
  if (found.length === 0) return { data, problems: [] };
  const copy = structuredClone(data);
  const problems: ErrorDetail[] = [];
  const units = store.collection<OrgUnitDoc>(ORG_UNITS);
  for (const a of found) {
    const unitId = a.value.unitId;
    if (typeof unitId !== 'string' || unitId === '') continue; // schema validation reports it
    const path = `${prefix}${a.path}/unitId`;
    const unit = await units.get(unitId);
    if (!unit) {
      problems.push({
        path,
        message:
          lang === 'en'
            ? `The address "${unitId}" is not a unit of the administrative divisions; pick it from the list`
            : `所选地址（${unitId}）不在行政区划中，请从列表中选择`,
      });
      continue;
    }
    if (unit.level !== a.level) {
      const want = ADDRESS_LEVEL_NAMES[a.level];
      problems.push({
        path,
        message:
          lang === 'en'
            ? `Pick the address down to a ${want.en} (${unit.name} is not one)`
            : `地址须选到${want.zh}一级（${unit.name}不是）`,
      });
      continue;
    }
    const region = regionFullName(await regionsOf(store, unit.path[0] ?? unit._id), unit._id) || unit.name;
    const target = pointerGet(copy, a.path);
    if (target) target.region = region;
  }
  return { data: copy, problems };
}

function pointerGet(root: Record<string, unknown>, pointer: string): Record<string, unknown> | null {
  let cur: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!cur || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>) : null;
}

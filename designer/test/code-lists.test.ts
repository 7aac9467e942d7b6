import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_LISTS, codeListOneOf, matchCodeList } from '@minflow/sdk/code-lists';
import { describe, expect, it } from 'vitest';
import { addField, applyCodeList, blankForm, listFields, patchSchema } from '../src/form/model';

const definitions = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions');
type Node = Record<string, unknown>;

/** Every select (`oneOf` of const/title) in the items' application forms, with its title and where it is. */
function selects(): Array<{ at: string; title: unknown; oneOf: Node[] }> {
  const out: Array<{ at: string; title: unknown; oneOf: Node[] }> = [];
  const walk = (n: unknown, at: string) => {
    if (Array.isArray(n)) {
      for (const [i, x] of n.entries()) walk(x, `${at}/${i}`);
    }
    if (!n || typeof n !== 'object' || Array.isArray(n)) return;
    const o = n as Node;
    if (Array.isArray(o.oneOf) && o.oneOf.every((x) => x && typeof x === 'object' && 'const' in x))
      out.push({ at, title: o.title, oneOf: o.oneOf as Node[] });
    for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
  };
  for (const key of fs.readdirSync(definitions)) {
    const f = path.join(definitions, key, 'form.schema.json');
    if (fs.existsSync(f)) walk(JSON.parse(fs.readFileSync(f, 'utf8')), `${key}:`);
  }
  return out;
}

describe('code lists (代码表) agree with the items', () => {
  const all = selects();
  for (const list of CODE_LISTS) {
    it(`${list.key} (${list.title.zh}): the same values as every item's select of that name`, () => {
      const same = all.filter((s) => s.title === list.title.zh && s.oneOf.every((o) => typeof o.const === 'string'));
      expect(same.length).toBeGreaterThan(0);
      for (const s of same) expect({ at: s.at, oneOf: s.oneOf }).toEqual({ at: s.at, oneOf: codeListOneOf(list.key) });
      for (const at of list.usedBy) expect(same.map((s) => s.at)).toContain(at);
      expect(list.options.every((o) => o.en.length > 0)).toBe(true);
    });
  }

  it('the 从代码表选择 picker fills a select with a list, which stays editable and is recognised again', () => {
    const added = addField(blankForm(), 'select');
    const form = applyCodeList(added.form, added.loc, 'health-status');
    const field = listFields(form)[0];
    expect(field.kind).toBe('select');
    expect((field.schema.oneOf as Node[]).map((o) => o.title)).toEqual(['健康', '患慢性病', '患重特大疾病', '残疾']);
    expect(matchCodeList(field.schema.oneOf)?.key).toBe('health-status');
    const edited = patchSchema(form, added.loc, {
      oneOf: [...(field.schema.oneOf as Node[]), { const: 'unknown', title: '不详' }],
    });
    expect((listFields(edited)[0].schema.oneOf as Node[]).length).toBe(5);
    expect(matchCodeList(listFields(edited)[0].schema.oneOf)).toBeUndefined();
    expect(applyCodeList(form, added.loc, 'no-such-list')).toBe(form);
  });
});

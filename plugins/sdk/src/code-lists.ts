/**
 * Code lists (代码表) of civil-affairs forms: the designer fills a select's options from one of them, so a
 * new item saves the same values the existing items do. The values are those of `definitions/*` (their
 * `oneOf` const/title); `designer/test/code-lists.test.ts` checks that each list still agrees with the items using it.
 */
export interface CodeOption {
  const: string;
  /** The Chinese label saved as the option's `title`. */
  title: string;
  en: string;
}

export interface CodeList {
  key: string;
  title: { zh: string; en: string };
  options: CodeOption[];
  /** Where the items use this list (JSON pointers into `definitions/<key>/form.schema.json`). */
  usedBy: string[];
}

export const CODE_LISTS: CodeList[] = [
  {
    key: 'relation-to-head',
    title: { zh: '与户主关系', en: 'Relation to the head of household' },
    options: [
      { const: 'spouse', title: '配偶', en: 'Spouse' },
      { const: 'son', title: '子', en: 'Son' },
      { const: 'daughter', title: '女', en: 'Daughter' },
      { const: 'father', title: '父亲', en: 'Father' },
      { const: 'mother', title: '母亲', en: 'Mother' },
      { const: 'grandchild', title: '孙子女/外孙子女', en: 'Grandchild' },
      { const: 'grandparent', title: '祖父母/外祖父母', en: 'Grandparent' },
      { const: 'sibling', title: '兄弟姐妹', en: 'Sibling' },
      { const: 'daughter-in-law', title: '儿媳', en: 'Daughter-in-law' },
      { const: 'son-in-law', title: '女婿', en: 'Son-in-law' },
      { const: 'other', title: '其他', en: 'Other' },
    ],
    usedBy: ['dibao-rural:/properties/members/items/properties/relation'],
  },
  {
    key: 'health-status',
    title: { zh: '健康状况', en: 'Health status' },
    options: [
      { const: 'healthy', title: '健康', en: 'Healthy' },
      { const: 'chronic', title: '患慢性病', en: 'Chronic illness' },
      { const: 'serious-illness', title: '患重特大疾病', en: 'Serious illness' },
      { const: 'disabled', title: '残疾', en: 'Disabled' },
    ],
    usedBy: [
      'dibao-rural:/properties/applicant/properties/health',
      'dibao-rural:/properties/members/items/properties/health',
    ],
  },
  {
    key: 'disability-type',
    title: { zh: '残疾类别', en: 'Disability type' },
    options: [
      { const: 'visual', title: '视力', en: 'Visual' },
      { const: 'hearing', title: '听力', en: 'Hearing' },
      { const: 'speech', title: '言语', en: 'Speech' },
      { const: 'physical', title: '肢体', en: 'Physical' },
      { const: 'intellectual', title: '智力', en: 'Intellectual' },
      { const: 'mental', title: '精神', en: 'Mental' },
      { const: 'multiple', title: '多重', en: 'Multiple' },
    ],
    usedBy: ['tekun:/properties/applicant/properties/disabilityType'],
  },
  {
    key: 'disability-grade',
    title: { zh: '残疾等级', en: 'Disability grade' },
    options: [
      { const: '1', title: '一级', en: 'Grade 1' },
      { const: '2', title: '二级', en: 'Grade 2' },
      { const: '3', title: '三级', en: 'Grade 3' },
      { const: '4', title: '四级', en: 'Grade 4' },
    ],
    usedBy: ['tekun:/properties/applicant/properties/disabilityGrade'],
  },
  {
    key: 'support-type',
    title: { zh: '供养方式', en: 'Type of support' },
    options: [
      { const: 'dispersed', title: '分散供养（在家）', en: 'Dispersed (at home)' },
      { const: 'centralized', title: '集中供养（供养服务机构）', en: 'Centralised (care institution)' },
    ],
    usedBy: ['tekun:/properties/care/properties/careType'],
  },
  {
    key: 'care-arrangement',
    title: { zh: '照护方式', en: 'Care arrangement' },
    options: [
      { const: 'home', title: '居家照护', en: 'Care at home' },
      { const: 'institution', title: '机构托养', en: 'Residential institution' },
      { const: 'community', title: '社区日间照料', en: 'Community day care' },
    ],
    usedBy: ['disability-subsidies:/properties/care/properties/arrangement'],
  },
  {
    key: 'special-care-category',
    title: { zh: '优抚对象类别', en: 'Special-care beneficiary category' },
    options: [
      { const: 'disabled-serviceman', title: '残疾军人（含伤残人民警察等）', en: 'Disabled serviceman (incl. police)' },
      { const: 'martyr-family', title: '烈士遗属', en: 'Family of a martyr' },
      { const: 'duty-death-family', title: '因公牺牲军人遗属', en: 'Family of a serviceman died on duty' },
      { const: 'illness-death-family', title: '病故军人遗属', en: 'Family of a serviceman died of illness' },
      { const: 'demobilised-veteran', title: '在乡复员军人', en: 'Demobilised veteran in the countryside' },
      { const: 'ill-returned-veteran', title: '带病回乡退役军人', en: 'Veteran returned home with illness' },
      { const: 'war-veteran', title: '参战退役人员', en: 'War veteran' },
      { const: 'nuclear-test-veteran', title: '参试退役人员', en: 'Nuclear-test veteran' },
    ],
    usedBy: ['special-care-pension:/properties/category'],
  },
];

export function codeList(key: string): CodeList | undefined {
  return CODE_LISTS.find((l) => l.key === key);
}

/** A list's options as a select's `oneOf` (`{ const, title }`, the Chinese title saved). */
export function codeListOneOf(key: string): Array<{ const: string; title: string }> {
  return (codeList(key)?.options ?? []).map((o) => ({ const: o.const, title: o.title }));
}

/** The list whose values a `oneOf` holds exactly (same consts in the same order), if any. */
export function matchCodeList(oneOf: unknown): CodeList | undefined {
  if (!Array.isArray(oneOf)) return undefined;
  const consts = JSON.stringify(oneOf.map((o) => (o && typeof o === 'object' ? (o as { const?: unknown }).const : o)));
  return CODE_LISTS.find((l) => JSON.stringify(l.options.map((o) => o.const)) === consts);
}

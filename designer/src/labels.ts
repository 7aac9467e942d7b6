/** The org model's roles, levels and item categories, with the names a bureau admin knows them by. */
export const ROLE_OPTIONS = [
  { value: 'village-assistant', label: '村（社区）协理员' },
  { value: 'township-staff', label: '乡镇民政工作人员' },
  { value: 'investigator', label: '入户调查员' },
  { value: 'county-approver', label: '县级审批人' },
  { value: 'city-admin', label: '市局管理员' },
  { value: 'auditor', label: '审计人员' },
];

export const LEVEL_OPTIONS = [
  { value: 'village', label: '村（社区）' },
  { value: 'township', label: '乡镇（街道）' },
  { value: 'county', label: '县（区）' },
  { value: 'city', label: '市' },
];

export const CATEGORY_OPTIONS = [
  { value: 'social-assistance', label: '社会救助' },
  { value: 'special-care', label: '优抚安置' },
  { value: 'grassroots-democracy', label: '基层民主' },
  { value: 'social-welfare', label: '社会福利' },
  { value: 'social-affairs', label: '社会事务' },
];

export const ACTION_OPTIONS = [
  { value: 'approve', label: '通过' },
  { value: 'reject', label: '不予通过' },
  { value: 'return', label: '退回' },
  { value: 'transfer', label: '转办' },
  { value: 'delegate', label: '委派' },
  { value: 'addSigner', label: '加签' },
  { value: 'cc', label: '抄送' },
  { value: 'comment', label: '意见' },
];

export const CALENDAR_OPTIONS = [
  { value: 'workdays', label: '工作日' },
  { value: 'days', label: '自然日' },
];

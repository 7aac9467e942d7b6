/**
 * Every string the runtime UI shows, zh-CN first. `en` must have exactly the same keys (the type says
 * so), so a missing translation is a compile error, not a blank on screen. `{name}` placeholders are
 * filled by `t(key, { name })`.
 */
export const zh = {
  'app.title': '民政业务办理',
  'app.titleShort': '民政办理',
  'app.skipToContent': '跳到正文',
  'lang.switch': 'English',
  'lang.switchTitle': 'Switch to English',

  'nav.home': '首页',
  'nav.catalog': '一门受理',
  'nav.notices': '公示公告',
  'nav.designer': '流程设计器',
  'nav.menu': '菜单',

  'user.logout': '退出登录',
  'user.loggedOutOk': '已退出登录',
  'user.menu': '账户',

  'greeting.morning': '早上好',
  'greeting.noon': '中午好',
  'greeting.afternoon': '下午好',
  'greeting.evening': '晚上好',

  'login.title': '登录',
  'login.subtitle': '乡镇（街道）、村（社区）民政工作人员登录',
  'login.username': '用户名',
  'login.usernamePlaceholder': '请输入用户名',
  'login.usernameRequired': '请输入用户名',
  'login.password': '密码',
  'login.passwordPlaceholder': '请输入密码',
  'login.passwordRequired': '请输入密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.failed': '登录失败',
  'login.locked': '账号已锁定',
  'login.disabled': '账号已停用',
  'login.disabledHint': '请联系县（区）民政局管理员启用账号。',
  'login.lockedHint': '为保护账号安全，连续输错密码后会暂时锁定，请到时间后再试，或联系管理员解锁。',
  'login.sessionExpired': '您长时间未操作，登录已超时，请重新登录。登录后将回到刚才的页面。',
  'login.needLogin': '请先登录后再办理业务。',
  'login.help': '忘记密码请联系县（区）民政局系统管理员重置。',
  'login.publicNotices': '查看公示公告（无需登录）',

  'home.todo': '我的待办',
  'home.done': '已办',
  'home.cc': '抄送我的',
  'status.active': '办理中',
  'status.completed': '已办结',
  'status.rejected': '未通过',
  'status.withdrawn': '已撤回',
  'status.terminated': '已终止',
  'home.overdue': '已超期',
  'home.recent': '最近办理的业务',
  'home.notAvailable': '待办功能即将开通',
  'home.casesNotAvailable': '业务办理记录功能即将开通',
  'home.noRecent': '还没有办理过业务',
  'home.startNew': '办理新业务',
  'home.startNewHint': '在「一门受理」中选择事项，填写申请表即可提交。',
  'home.unit': '所在单位',
  'home.loadFailed': '加载失败',

  'catalog.title': '一门受理',
  'catalog.subtitle': '选择要办理的事项。可输入事项名称或拼音首字母搜索，例如“高龄津贴”或“gljt”。',
  'catalog.searchPlaceholder': '搜索事项：名称或拼音首字母',
  'catalog.empty': '当前没有您可以办理的事项',
  'catalog.noMatch': '没有找到与“{query}”相关的事项',
  'catalog.clearSearch': '清除搜索',
  'catalog.start': '办理',
  'catalog.count': '共 {count} 项',
  'catalog.version': '版本 {version}',

  'category.social-assistance': '社会救助',
  'category.special-care': '双拥优抚',
  'category.grassroots-democracy': '基层民主政治建设',
  'category.social-welfare': '社会福利',
  'category.social-affairs': '社会事务',
  'category.other': '其他事项',

  'apply.back': '返回一门受理',
  'apply.submit': '提交申请',
  'apply.submitting': '正在提交…',
  'apply.submitConfirmTitle': '确认提交',
  'apply.draftRestored': '已恢复您 {time} 保存的草稿。',
  'apply.draftSaved': '草稿已自动保存（{time}）',
  'apply.draftHint': '填写内容会自动保存在本机，刷新页面或断网也不会丢失。',
  'apply.discardDraft': '清空重填',
  'apply.discardConfirm': '确定清空已填写的内容吗？清空后无法恢复。',
  'apply.discardOk': '清空',
  'apply.cancel': '取消',
  'apply.fixErrors': '还有 {count} 处需要修改，请查看标红的项目。',
  'apply.submitFailed': '提交未成功',
  'apply.submitted': '申请已提交',
  'apply.submittedDetail': '业务编号：{id}。后续办理进度可在首页查看。',
  'apply.another': '继续办理新业务',
  'apply.notFound': '没有找到这个事项，可能已停办或您没有办理权限。',
  'apply.versionChanged': '该事项的表单已更新（现为第 {version} 版），请核对草稿内容后再提交。',
  'apply.required': '此项为必填项',
  'apply.retryHint': '网络恢复后可直接再次点击提交，不会重复提交。',

  'notices.title': '公示公告',
  'notices.subtitle': '依法公示的救助、补贴等名单，公示期内如有异议可向乡镇（街道）民政办反映。',
  'notices.empty': '暂无公示内容',
  'notices.period': '公示期：{from} 至 {to}',
  'notices.loginLink': '工作人员登录',

  'notFound.title': '页面不存在',
  'notFound.detail': '您访问的页面不存在或已被移除。',
  'notFound.home': '返回首页',

  'common.loading': '正在加载…',
  'common.retry': '重试',
  'common.networkError': '网络连接失败，请检查网络后重试。',
  'common.serverError': '服务器暂时无法处理请求，请稍后再试。',
  'common.error': '出错了',
  'common.close': '关闭',
} as const;

export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;

export const en: Messages = {
  'app.title': 'Civil Affairs Services',
  'app.titleShort': 'Civil Affairs',
  'app.skipToContent': 'Skip to content',
  'lang.switch': '中文',
  'lang.switchTitle': '切换到中文',

  'nav.home': 'Home',
  'nav.catalog': 'One-window service',
  'nav.notices': 'Public notices',
  'nav.designer': 'Flow designer',
  'nav.menu': 'Menu',

  'user.logout': 'Log out',
  'user.loggedOutOk': 'You have logged out',
  'user.menu': 'Account',

  'greeting.morning': 'Good morning',
  'greeting.noon': 'Good day',
  'greeting.afternoon': 'Good afternoon',
  'greeting.evening': 'Good evening',

  'login.title': 'Log in',
  'login.subtitle': 'For township and village civil-affairs staff',
  'login.username': 'Username',
  'login.usernamePlaceholder': 'Enter your username',
  'login.usernameRequired': 'Please enter your username',
  'login.password': 'Password',
  'login.passwordPlaceholder': 'Enter your password',
  'login.passwordRequired': 'Please enter your password',
  'login.submit': 'Log in',
  'login.submitting': 'Logging in…',
  'login.failed': 'Login failed',
  'login.locked': 'Account locked',
  'login.disabled': 'Account disabled',
  'login.disabledHint': 'Ask the county civil-affairs administrator to enable your account.',
  'login.lockedHint':
    'After repeated wrong passwords the account is locked for a while. Try again later or ask an administrator.',
  'login.sessionExpired':
    'You were logged out after a period of inactivity. Log in again to return to the page you were on.',
  'login.needLogin': 'Please log in first.',
  'login.help': 'Forgot your password? Ask the county civil-affairs system administrator to reset it.',
  'login.publicNotices': 'View public notices (no login needed)',

  'home.todo': 'My tasks',
  'home.done': 'Done',
  'home.cc': 'Copied to me',
  'status.active': 'In progress',
  'status.completed': 'Completed',
  'status.rejected': 'Rejected',
  'status.withdrawn': 'Withdrawn',
  'status.terminated': 'Terminated',
  'home.overdue': 'Overdue',
  'home.recent': 'Recent cases',
  'home.notAvailable': 'The task inbox is coming soon',
  'home.casesNotAvailable': 'Case history is coming soon',
  'home.noRecent': 'No cases yet',
  'home.startNew': 'Start a new application',
  'home.startNewHint': 'Pick an item in the one-window service and fill in its form.',
  'home.unit': 'Unit',
  'home.loadFailed': 'Could not load',

  'catalog.title': 'One-window service',
  'catalog.subtitle': 'Choose the item to handle. Search by name or pinyin initials, e.g. "elderly" or "gljt".',
  'catalog.searchPlaceholder': 'Search by name or pinyin initials',
  'catalog.empty': 'There are no items you can start',
  'catalog.noMatch': 'Nothing matches "{query}"',
  'catalog.clearSearch': 'Clear search',
  'catalog.start': 'Start',
  'catalog.count': '{count} items',
  'catalog.version': 'Version {version}',

  'category.social-assistance': 'Social assistance',
  'category.special-care': 'Military support and special care',
  'category.grassroots-democracy': 'Grassroots democracy',
  'category.social-welfare': 'Social welfare',
  'category.social-affairs': 'Social affairs',
  'category.other': 'Other items',

  'apply.back': 'Back to the catalog',
  'apply.submit': 'Submit application',
  'apply.submitting': 'Submitting…',
  'apply.submitConfirmTitle': 'Confirm',
  'apply.draftRestored': 'Your draft saved at {time} has been restored.',
  'apply.draftSaved': 'Draft saved automatically ({time})',
  'apply.draftHint': 'What you type is saved on this computer and survives a reload or a lost connection.',
  'apply.discardDraft': 'Clear and start over',
  'apply.discardConfirm': 'Clear everything you have typed? This cannot be undone.',
  'apply.discardOk': 'Clear',
  'apply.cancel': 'Cancel',
  'apply.fixErrors': '{count} fields need attention; see the ones marked in red.',
  'apply.submitFailed': 'The application was not submitted',
  'apply.submitted': 'Application submitted',
  'apply.submittedDetail': 'Case number: {id}. Follow its progress from the home page.',
  'apply.another': 'Start another application',
  'apply.notFound': 'This item was not found. It may have been withdrawn, or you may not be allowed to start it.',
  'apply.versionChanged': 'This form has been updated (now version {version}). Check your draft before submitting.',
  'apply.required': 'This field is required',
  'apply.retryHint': 'Once the connection is back, click submit again: it will not be submitted twice.',

  'notices.title': 'Public notices',
  'notices.subtitle':
    'Lists of assistance and subsidy recipients published by law. Objections during the notice period go to the township civil-affairs office.',
  'notices.empty': 'No notices at the moment',
  'notices.period': 'Notice period: {from} to {to}',
  'notices.loginLink': 'Staff login',

  'notFound.title': 'Page not found',
  'notFound.detail': 'The page you asked for does not exist or has been removed.',
  'notFound.home': 'Back to home',

  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.networkError': 'Network error. Check the connection and try again.',
  'common.serverError': 'The server could not handle the request. Please try again later.',
  'common.error': 'Something went wrong',
  'common.close': 'Close',
};

export type Lang = 'zh-CN' | 'en';
export const dictionaries: Record<Lang, Messages> = { 'zh-CN': zh, en };

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return format(dictionaries[lang][key] ?? zh[key], params);
}

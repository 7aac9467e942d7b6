import {
  AppstoreOutlined,
  FileSearchOutlined,
  HomeOutlined,
  InboxOutlined,
  NotificationOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/messages';

export interface NavItem {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Paths below this one that keep the item highlighted (e.g. /apply/... under the catalog). */
  also?: string[];
}

/** The side menu. */
export const navItems: NavItem[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  { path: '/inbox', label: 'nav.inbox', icon: <InboxOutlined /> },
  { path: '/catalog', label: 'nav.catalog', icon: <AppstoreOutlined />, also: ['/apply/'] },
  { path: '/cases', label: 'nav.cases', icon: <FileSearchOutlined /> },
  { path: '/persons', label: 'nav.persons', icon: <TeamOutlined /> },
  { path: '/notices', label: 'nav.notices', icon: <NotificationOutlined /> },
];

export function activeNavPath(pathname: string): string {
  for (const item of navItems) {
    if (item.path !== '/' && (pathname === item.path || pathname.startsWith(`${item.path}/`))) return item.path;
    if (item.also?.some((p) => pathname.startsWith(p))) return item.path;
  }
  return pathname === '/' ? '/' : '';
}

import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, type MenuProps, Typography } from 'antd';
import { type ReactNode, Suspense, useMemo, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { LangSwitch } from './LangSwitch';
import { activeNavPath, navItems } from './nav';
import { PageLoading } from './PageLoading';
import './layout.css';

const { Header, Sider, Content } = Layout;
const onDark = { color: '#fff' } as const;

/**
 * The signed-in frame: header with the person's name, unit and logout; the menu on the left from the
 * `md` breakpoint up, in a drawer behind a menu button on phones (360 px wide and up).
 */
export function AppLayout({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  const { user, logout } = useAuth();
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: assume a phone, never overflow.
  const wide = screens.md === true;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const selected = activeNavPath(location.pathname);

  const menuItems = useMemo<MenuProps['items']>(
    () =>
      navItems.map((item) => ({ key: item.path, icon: item.icon, label: <Link to={item.path}>{t(item.label)}</Link> })),
    [t],
  );
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={menuItems}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const unitName = user?.orgUnit?.name ?? '';
  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div className="mf-usermenu-who">
            <div>{user?.displayName}</div>
            {unitName && <div className="mf-muted">{unitName}</div>}
          </div>
        ),
      },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('user.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout className="mf-shell">
      <a className="mf-skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <Header className="mf-header">
        {!wide && (
          <Button
            type="text"
            className="mf-header-btn"
            style={onDark}
            icon={<MenuOutlined />}
            aria-label={t('nav.menu')}
            onClick={() => setDrawerOpen(true)}
            data-testid="menu-button"
          />
        )}
        <Link to="/" className="mf-brand">
          {wide ? t('app.title') : t('app.titleShort')}
        </Link>
        <div className="mf-header-right">
          <LangSwitch light />
          {wide ? (
            <>
              <span className="mf-header-user" data-testid="header-user">
                <UserOutlined /> {user?.displayName}
                {unitName && <span className="mf-header-unit">{unitName}</span>}
              </span>
              <Button
                type="text"
                className="mf-header-btn"
                style={onDark}
                icon={<LogoutOutlined />}
                onClick={() => void logout()}
                data-testid="logout"
              >
                {t('user.logout')}
              </Button>
            </>
          ) : (
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button
                type="text"
                className="mf-header-btn"
                style={onDark}
                icon={<UserOutlined />}
                aria-label={t('user.menu')}
                data-testid="header-user"
              />
            </Dropdown>
          )}
        </div>
      </Header>
      <Layout>
        {wide && (
          <Sider width={208} theme="light" className="mf-sider" breakpoint="lg" collapsedWidth={64}>
            {menu}
          </Sider>
        )}
        <Content id="main" className="mf-content">
          <Suspense fallback={<PageLoading />}>{children ?? <Outlet />}</Suspense>
        </Content>
      </Layout>
      {!wide && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          title={
            <div>
              <Typography.Text strong>{user?.displayName}</Typography.Text>
              {unitName && <div className="mf-muted">{unitName}</div>}
            </div>
          }
          styles={{ body: { padding: 0 } }}
        >
          {menu}
          <div style={{ padding: 16 }}>
            <Button
              block
              icon={<LogoutOutlined />}
              onClick={() => {
                setDrawerOpen(false);
                void logout();
              }}
            >
              {t('user.logout')}
            </Button>
          </div>
        </Drawer>
      )}
    </Layout>
  );
}

export default AppLayout;

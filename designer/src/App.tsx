import { Button, Layout, Result, Segmented, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { request, type SessionUser, setUnauthorizedHandler } from './api';
import { ItemList } from './ItemList';
import { type Lang, useI18n } from './i18n';
import { Login } from './Login';

// The modeler (bpmn-js) and the form preview (@rjsf) are not needed for the list: they load in the
// background once the list is up (or at once when an item is opened first), so opening an item does
// not wait for their code.
const loadEditor = () => import('./Editor');
const Editor = lazy(() => loadEditor().then((m) => ({ default: m.Editor })));

/** `#/items/<key>` opens an item; anything else is the list. */
function routeKey(): string | null {
  const m = /^#\/items\/([a-z0-9-]+)$/.exec(window.location.hash);
  return m ? m[1] : null;
}

export function App() {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [key, setKey] = useState<string | null>(routeKey());
  const { t, lang, setLang } = useI18n();
  useEffect(() => {
    setUnauthorizedHandler(() => setUser(null));
    request<{ user: SessionUser }>('/api/auth/me', { allowAnonymous: true })
      .then((r) => setUser(r.user))
      .catch(() => setUser(null));
    const onHash = () => setKey(routeKey());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!user) return;
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 200));
    idle(() => {
      loadEditor().catch(() => undefined);
    });
  }, [user]);
  if (user === undefined) return <Spin style={{ display: 'block', margin: 64 }} />;
  if (user === null) return <Login onLogin={setUser} />;
  const logout = async () => {
    await request('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    setUser(null);
  };
  const open = (k: string | null) => {
    window.location.hash = k ? `#/items/${k}` : '#/';
    setKey(k);
  };
  return (
    <Layout className="mf-layout">
      <Layout.Header className="mf-header">
        <Typography.Text strong className="mf-brand" onClick={() => open(null)}>
          {t('Minflow 流程设计器', 'Minflow Designer')}
        </Typography.Text>
        <Space>
          <Segmented
            size="small"
            aria-label={t('界面语言', 'Language')}
            options={[
              { value: 'zh-CN', label: '中文' },
              { value: 'en', label: 'English' },
            ]}
            value={lang}
            onChange={(v) => setLang(v as Lang)}
            data-testid="lang-switch"
          />
          <Typography.Text className="mf-user" data-testid="current-user">
            {user.displayName}
          </Typography.Text>
          <Button size="small" onClick={logout}>
            {t('退出', 'Sign out')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content>
        {!user.roles.includes('city-admin') ? (
          <Result
            status="403"
            title={t('没有设计权限', 'No design permission')}
            subTitle={t(
              '只有市局管理员可以设计和发布业务事项。',
              'Only city administrators can design and publish business items.',
            )}
          />
        ) : key ? (
          <Suspense fallback={<Spin style={{ display: 'block', margin: 64 }} />}>
            <Editor key={key} itemKey={key} onBack={() => open(null)} />
          </Suspense>
        ) : (
          <ItemList onOpen={open} />
        )}
      </Layout.Content>
    </Layout>
  );
}

import { Button, Layout, Result, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { request, type SessionUser, setUnauthorizedHandler } from './api';
import { ItemList } from './ItemList';
import { Login } from './Login';

// The modeler (bpmn-js) and the form preview (@rjsf) load when an item is opened, not with the list.
const Editor = lazy(() => import('./Editor').then((m) => ({ default: m.Editor })));

/** `#/items/<key>` opens an item; anything else is the list. */
function routeKey(): string | null {
  const m = /^#\/items\/([a-z0-9-]+)$/.exec(window.location.hash);
  return m ? m[1] : null;
}

export function App() {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [key, setKey] = useState<string | null>(routeKey());
  useEffect(() => {
    setUnauthorizedHandler(() => setUser(null));
    request<{ user: SessionUser }>('/api/auth/me', { allowAnonymous: true })
      .then((r) => setUser(r.user))
      .catch(() => setUser(null));
    const onHash = () => setKey(routeKey());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
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
          Minflow 流程设计器
        </Typography.Text>
        <Space>
          <Typography.Text className="mf-user" data-testid="current-user">
            {user.displayName}
          </Typography.Text>
          <Button size="small" onClick={logout}>
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content>
        {!user.roles.includes('city-admin') ? (
          <Result status="403" title="没有设计权限" subTitle="只有市局管理员可以设计和发布业务事项。" />
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

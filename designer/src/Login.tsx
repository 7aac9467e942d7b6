import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError, request, type SessionUser } from './api';

export function Login({ onLogin }: { onLogin(user: SessionUser): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="mf-login">
      <Card title="Minflow 流程设计器 · 登录" style={{ width: 360 }}>
        <Form
          layout="vertical"
          onFinish={async (v: { username: string; password: string }) => {
            setBusy(true);
            setError(null);
            try {
              const res = await request<{ user: SessionUser }>('/api/auth/login', { body: v, allowAnonymous: true });
              onLogin(res.user);
            } catch (err) {
              setError(err instanceof ApiError ? err.message : String(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            登录
          </Button>
        </Form>
        <p className="mf-login-links">
          <a href="/app/">进入业务办理</a> · <a href="/api/docs">API 文档</a>
        </p>
      </Card>
    </main>
  );
}

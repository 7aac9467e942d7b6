import { Alert, Button, Card, Form, Input, Segmented } from 'antd';
import { useState } from 'react';
import { ApiError, request, type SessionUser } from './api';
import { type Lang, useI18n } from './i18n';

export function Login({ onLogin }: { onLogin(user: SessionUser): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { t, lang, setLang } = useI18n();
  return (
    <main className="mf-login">
      <Card
        title={t('Minflow 流程设计器 · 登录', 'Minflow Designer · Sign in')}
        style={{ width: 360 }}
        extra={
          <Segmented
            size="small"
            options={[
              { value: 'zh-CN', label: '中文' },
              { value: 'en', label: 'English' },
            ]}
            value={lang}
            onChange={(v) => setLang(v as Lang)}
          />
        }
      >
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
          <Form.Item
            label={t('用户名', 'User name')}
            name="username"
            rules={[{ required: true, message: t('请输入用户名', 'Enter your user name') }]}
          >
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            label={t('密码', 'Password')}
            name="password"
            rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('登录', 'Sign in')}
          </Button>
        </Form>
        <p className="mf-login-links">
          <a href="/app/">{t('进入业务办理', 'Case work')}</a> · <a href="/api/docs">{t('API 文档', 'API docs')}</a>
        </p>
      </Card>
    </main>
  );
}

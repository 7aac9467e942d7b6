import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/AuthProvider';
import { safeNext } from '../auth/redirect';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { PageLoading } from '../layout/PageLoading';

interface LoginError {
  title: MessageKey;
  message: string;
  hint?: MessageKey;
  type: 'error' | 'warning';
}

/** Turns the engine's answer into what the person should read: why, and what to do next. */
function describeLoginError(err: unknown, fallback: string): LoginError {
  if (!(err instanceof ApiError)) return { title: 'login.failed', message: fallback, type: 'error' };
  const code = err.code.toUpperCase();
  if (err.status === 423 || code.includes('LOCKED')) {
    return { title: 'login.locked', message: err.message, hint: 'login.lockedHint', type: 'warning' };
  }
  if (code.includes('DISABLED')) {
    return { title: 'login.disabled', message: err.message, hint: 'login.disabledHint', type: 'warning' };
  }
  return { title: 'login.failed', message: err.message, type: 'error' };
}

export default function LoginPage() {
  const { t } = useI18n();
  const { state, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<LoginError | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const reason = params.get('reason');

  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'authenticated' && !busy) return <Navigate to={next} replace />;

  const onFinish = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(describeLoginError(err, t('common.error')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 420, margin: '24px auto' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {reason === 'expired' && !error && (
          <Alert
            type="info"
            showIcon
            title={t('login.sessionExpired')}
            style={{ marginBottom: 16 }}
            data-testid="login-reason"
          />
        )}
        {reason === 'required' && !error && (
          <Alert
            type="info"
            showIcon
            title={t('login.needLogin')}
            style={{ marginBottom: 16 }}
            data-testid="login-reason"
          />
        )}
        {error && (
          <Alert
            type={error.type}
            showIcon
            title={t(error.title)}
            description={
              <>
                <div>{error.message}</div>
                {error.hint && <div style={{ marginTop: 4 }}>{t(error.hint)}</div>}
              </>
            }
            style={{ marginBottom: 16 }}
            role="alert"
            data-testid="login-error"
          />
        )}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large" disabled={busy}>
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              placeholder={t('login.usernamePlaceholder')}
              autoComplete="username"
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
              autoFocus
            />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={t('login.passwordPlaceholder')}
              autoComplete="current-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {busy ? t('login.submitting') : t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 13 }}>
          {t('login.help')}
        </Typography.Paragraph>
      </Card>
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        <Link to="/notices">{t('login.publicNotices')}</Link>
      </div>
    </div>
  );
}

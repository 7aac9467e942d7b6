import { Button, Result } from 'antd';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';

/** A failed load: the server's message and a retry button, never a blank page. */
export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Result
      status={error.status === 404 ? '404' : error.status === 403 ? '403' : 'warning'}
      title={t('common.error')}
      subTitle={error.message}
      extra={
        onRetry && (
          <Button type="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}

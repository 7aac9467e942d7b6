import { Spin } from 'antd';
import { useI18n } from '../i18n/I18nProvider';

export function PageLoading() {
  const { t } = useI18n();
  return (
    <div style={{ padding: '64px 16px', textAlign: 'center' }} role="status" aria-live="polite">
      <Spin />
      <div style={{ marginTop: 12, color: '#666' }}>{t('common.loading')}</div>
    </div>
  );
}

import { Card, Empty, List, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { ApiError, api } from '../api/client';
import { localized, type Notice } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { PageLoading } from '../layout/PageLoading';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';

/** `GET /api/notices`: a list or `{ items }`; a 404 means the board is not published yet, shown as empty. */
async function loadNotices(signal: AbortSignal): Promise<Notice[]> {
  try {
    const res = await api.get<Notice[] | { items?: Notice[] }>('/api/notices', { signal, allowAnonymous: true });
    return Array.isArray(res) ? res : (res?.items ?? []);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return [];
    throw err;
  }
}

function NoticeCard({ notice }: { notice: Notice }) {
  const { t, lang } = useI18n();
  const entries = notice.entries ?? [];
  const columns = entries.length ? Object.keys(entries[0]!).map((k) => ({ title: k, dataIndex: k, key: k })) : [];
  return (
    <Card
      title={localized(notice.title, lang)}
      extra={notice.orgUnitName && <Tag>{notice.orgUnitName}</Tag>}
      style={{ marginBottom: 16 }}
    >
      {notice.startsAt && notice.endsAt && (
        <Typography.Paragraph type="secondary">
          {t('notices.period', {
            from: dayjs(notice.startsAt).format('YYYY-MM-DD'),
            to: dayjs(notice.endsAt).format('YYYY-MM-DD'),
          })}
        </Typography.Paragraph>
      )}
      {notice.body && <Typography.Paragraph>{localized(notice.body, lang)}</Typography.Paragraph>}
      {entries.length > 0 && (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          columns={columns}
          dataSource={entries}
          pagination={entries.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 'max-content' }}
        />
      )}
    </Card>
  );
}

/** 公示公告: public, no login. The 公示 lists published by the engine, masked by it. */
export default function NoticesPage() {
  const { t } = useI18n();
  const { state } = useAuth();
  const notices = useLoad((signal) => loadNotices(signal), []);
  return (
    <div className="mf-page">
      <Typography.Title level={3} className="mf-page-title">
        {t('notices.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('notices.subtitle')}</Typography.Paragraph>
      {notices.status === 'loading' && <PageLoading />}
      {notices.status === 'error' && <ErrorState error={notices.error} onRetry={notices.reload} />}
      {notices.status === 'ok' &&
        (notices.data.length === 0 ? (
          <Card>
            <Empty description={t('notices.empty')} data-testid="notices-empty" />
          </Card>
        ) : (
          <List dataSource={notices.data} renderItem={(n) => <NoticeCard key={n.id} notice={n} />} />
        ))}
      {state.status === 'anonymous' && (
        <div style={{ textAlign: 'center', marginTop: 24 }}>
          <Link to="/login">{t('notices.loginLink')}</Link>
        </div>
      )}
    </div>
  );
}

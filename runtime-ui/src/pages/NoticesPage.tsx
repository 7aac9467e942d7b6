import { Card, Empty, List, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { NoticeEntry, NoticeGroup, NoticeList } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { PageLoading } from '../layout/PageLoading';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';

/** `GET /api/notices`: groups per unit and item, the groups with nothing to show left out. */
async function loadNotices(signal: AbortSignal): Promise<NoticeGroup[]> {
  const res = await api.get<NoticeList>('/api/notices', { signal, allowAnonymous: true });
  return (res?.groups ?? []).filter((g) => g.publicity.length > 0 || g.publication.length > 0);
}

const day = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD') : '');

function EntryTable({ entries, period }: { entries: NoticeEntry[]; period: boolean }) {
  const { t } = useI18n();
  const columns = [
    { key: 'name', title: t('notices.colName'), dataIndex: 'name' },
    { key: 'id', title: t('notices.colId'), dataIndex: 'idNumber' },
    { key: 'size', title: t('notices.colSize'), dataIndex: 'householdSize' },
    { key: 'amount', title: t('notices.colAmount'), dataIndex: 'amount' },
    ...(period
      ? [
          {
            key: 'period',
            title: t('notices.colPeriod'),
            render: (_: unknown, e: NoticeEntry) => `${day(e.from)} – ${day(e.until)}`,
          },
        ]
      : []),
  ];
  return (
    <Table
      size="small"
      rowKey="caseId"
      columns={columns}
      dataSource={entries}
      pagination={entries.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 'max-content' }}
    />
  );
}

function NoticeCard({ group }: { group: NoticeGroup }) {
  const { t } = useI18n();
  return (
    <Card title={group.itemName} extra={<Tag>{group.orgUnitName}</Tag>} style={{ marginBottom: 16 }}>
      {group.publicity.length > 0 && (
        <div data-testid="notice-publicity">
          <Typography.Title level={5}>{t('notices.publicity')}</Typography.Title>
          <EntryTable entries={group.publicity} period />
        </div>
      )}
      {group.publication.length > 0 && (
        <div data-testid="notice-publication">
          <Typography.Title level={5}>{t('notices.publication')}</Typography.Title>
          <EntryTable entries={group.publication} period={false} />
        </div>
      )}
    </Card>
  );
}

/** 公示公告: public, no login. The 公示 and 公布 lists published by the engine, masked by it. */
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
          <List
            dataSource={notices.data}
            renderItem={(g) => <NoticeCard key={`${g.orgUnitId}:${g.itemKey}`} group={g} />}
          />
        ))}
      {state.status === 'anonymous' && (
        <div style={{ textAlign: 'center', marginTop: 24 }}>
          <Link to="/login">{t('notices.loginLink')}</Link>
        </div>
      )}
    </div>
  );
}

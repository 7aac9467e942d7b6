import { AppstoreAddOutlined, ClockCircleOutlined, InboxOutlined } from '@ant-design/icons';
import { Button, Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { ApiError, api } from '../api/client';
import { type LocalizedText, localized } from '../api/types';
import { useUser } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { useLoad } from '../lib/useApi';

function greetingKey(hour: number): MessageKey {
  if (hour < 11) return 'greeting.morning';
  if (hour < 13) return 'greeting.noon';
  if (hour < 18) return 'greeting.afternoon';
  return 'greeting.evening';
}

/** A section whose API is not there yet answers 404: that is "coming", not an error and not zero. */
type Section<T> = { kind: 'ok'; value: T } | { kind: 'unavailable' };

async function optional<T>(load: () => Promise<T>): Promise<Section<T>> {
  try {
    return { kind: 'ok', value: await load() };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 501)) return { kind: 'unavailable' };
    throw err;
  }
}

/** `GET /api/tasks/counts`. */
interface InboxCounts {
  todo: number;
  overdue: number;
  done: number;
  cc: number;
}

const STATUS_COLOR: Record<string, string> = {
  active: 'processing',
  completed: 'success',
  rejected: 'error',
  withdrawn: 'default',
  terminated: 'default',
};

function statusKey(status: string): MessageKey | null {
  return ['active', 'completed', 'rejected', 'withdrawn', 'terminated'].includes(status)
    ? (`status.${status}` as MessageKey)
    : null;
}

interface RecentCase {
  id: string;
  itemKey: string;
  itemName?: LocalizedText;
  status: string;
  createdAt?: string;
}

export default function HomePage() {
  const { t, lang } = useI18n();
  const user = useUser();
  const inbox = useLoad((signal) => optional(() => api.get<InboxCounts>('/api/tasks/counts', { signal })), []);
  const recent = useLoad(
    (signal) =>
      optional(async () => (await api.get<{ items?: RecentCase[] }>('/api/cases?limit=5', { signal })).items ?? []),
    [],
  );

  return (
    <div className="mf-page">
      <Typography.Title level={3} className="mf-page-title" data-testid="greeting">
        {t(greetingKey(new Date().getHours()))}，{user.displayName}
      </Typography.Title>
      {user.orgUnit && (
        <Typography.Paragraph type="secondary">
          {t('home.unit')}：{user.orgUnit.pathNames?.length ? user.orgUnit.pathNames.join(' / ') : user.orgUnit.name}
        </Typography.Paragraph>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card
            title={
              <>
                <InboxOutlined /> {t('home.todo')}
              </>
            }
            loading={inbox.status === 'loading'}
            extra={
              <Link to="/inbox" data-testid="home-open-inbox">
                {t('home.openInbox')}
              </Link>
            }
          >
            {inbox.status === 'error' && <Typography.Text type="danger">{inbox.error.message}</Typography.Text>}
            {inbox.status === 'ok' &&
              (inbox.data.kind === 'unavailable' ? (
                <Typography.Text type="secondary">{t('home.notAvailable')}</Typography.Text>
              ) : (
                <Row gutter={[16, 16]} data-testid="inbox-counts">
                  <Col span={12} sm={6} md={12} xl={6}>
                    <Statistic title={t('home.todo')} value={inbox.data.value.todo} />
                  </Col>
                  <Col span={12} sm={6} md={12} xl={6}>
                    <Statistic
                      title={t('home.overdue')}
                      value={inbox.data.value.overdue}
                      styles={{ content: { color: inbox.data.value.overdue > 0 ? '#cf1322' : undefined } }}
                    />
                  </Col>
                  <Col span={12} sm={6} md={12} xl={6}>
                    <Statistic title={t('home.done')} value={inbox.data.value.done} />
                  </Col>
                  <Col span={12} sm={6} md={12} xl={6}>
                    <Statistic title={t('home.cc')} value={inbox.data.value.cc} />
                  </Col>
                </Row>
              ))}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card
            title={
              <>
                <AppstoreAddOutlined /> {t('home.startNew')}
              </>
            }
          >
            <Typography.Paragraph type="secondary">{t('home.startNewHint')}</Typography.Paragraph>
            <Link to="/catalog">
              <Button type="primary" size="large">
                {t('nav.catalog')}
              </Button>
            </Link>
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            title={
              <>
                <ClockCircleOutlined /> {t('home.recent')}
              </>
            }
            loading={recent.status === 'loading'}
          >
            {recent.status === 'error' && <Typography.Text type="danger">{recent.error.message}</Typography.Text>}
            {recent.status === 'ok' &&
              (recent.data.kind === 'unavailable' ? (
                <Typography.Text type="secondary">{t('home.casesNotAvailable')}</Typography.Text>
              ) : (
                <List
                  data-testid="recent-cases"
                  dataSource={recent.data.value}
                  locale={{ emptyText: t('home.noRecent') }}
                  renderItem={(c) => (
                    <List.Item>
                      <List.Item.Meta
                        title={
                          <Link to={`/cases/${encodeURIComponent(c.id)}`}>
                            {localized(c.itemName, lang) || c.itemKey}
                          </Link>
                        }
                        description={c.createdAt ? dayjs(c.createdAt).format('YYYY-MM-DD HH:mm') : c.id}
                      />
                      <Tag color={STATUS_COLOR[c.status]}>
                        {statusKey(c.status) ? t(statusKey(c.status)!) : c.status}
                      </Tag>
                    </List.Item>
                  )}
                />
              ))}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

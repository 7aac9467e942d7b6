import { SearchOutlined } from '@ant-design/icons';
import { Button, Card, Form, Grid, Input, List, Select, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import type { CaseDetail, ItemSummary, Page } from '../api/types';
import { localized } from '../api/types';
import { fmtTime, StatusTag } from '../cases/ui';
import { useI18n } from '../i18n/I18nProvider';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';

const STATUSES = ['active', 'completed', 'rejected', 'withdrawn', 'terminated'] as const;
const ID_RE = /^\d{17}[\dXx]$/;

interface Filters {
  item?: string;
  status?: string;
  name?: string;
  id?: string;
}

/** /cases — cases in the person's jurisdiction by item, status, applicant name (prefix) and ID number. */
export default function CaseListPage() {
  const { t, lang } = useI18n();
  const wide = Grid.useBreakpoint().md === true;
  const [params, setParams] = useSearchParams();
  const filters: Filters = {
    item: params.get('item') ?? undefined,
    status: params.get('status') ?? undefined,
    name: params.get('name') ?? undefined,
    id: params.get('id') ?? undefined,
  };
  const [form] = Form.useForm<Filters>();
  const [extra, setExtra] = useState<{ key: string; items: CaseDetail[]; next: string | null }>({
    key: '',
    items: [],
    next: null,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const query = useMemo(() => {
    const q = new URLSearchParams({ limit: '50' });
    if (filters.item) q.set('itemKey', filters.item);
    if (filters.status) q.set('status', filters.status);
    if (filters.name) q.set('applicantName', filters.name);
    if (filters.id) q.set('idNumber', filters.id.toUpperCase());
    return q.toString();
  }, [filters.item, filters.status, filters.name, filters.id]);
  const first = useLoad((signal) => api.get<Page<CaseDetail>>(`/api/cases?${query}`, { signal }), [query]);
  const items = useLoad((signal) => api.get<{ items: ItemSummary[] } | ItemSummary[]>('/api/items', { signal }), []);
  const itemOptions =
    items.status === 'ok'
      ? (Array.isArray(items.data) ? items.data : items.data.items).map((i) => ({
          value: i.key,
          label: localized(i.name, lang),
        }))
      : [];

  const more = extra.key === query ? extra : { key: query, items: [], next: null };
  const rows = first.status === 'ok' ? [...first.data.items, ...more.items] : [];
  const next = more.items.length ? more.next : first.status === 'ok' ? first.data.nextCursor : null;
  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await api.get<Page<CaseDetail>>(`/api/cases?${query}&cursor=${encodeURIComponent(next)}`);
      setExtra({ key: query, items: [...more.items, ...page.items], next: page.nextCursor });
    } finally {
      setLoadingMore(false);
    }
  };

  const search = (v: Filters) => {
    const q = new URLSearchParams();
    if (v.item) q.set('item', v.item);
    if (v.status) q.set('status', v.status);
    if (v.name?.trim()) q.set('name', v.name.trim());
    if (v.id?.trim()) q.set('id', v.id.trim());
    setParams(q);
  };

  const link = (c: CaseDetail, text: string) => <Link to={`/cases/${encodeURIComponent(c.id)}`}>{text}</Link>;
  const name = (c: CaseDetail) => localized(c.itemName, lang) || c.itemKey;

  return (
    <div className="mf-page">
      <Typography.Title level={3} className="mf-page-title">
        {t('cases.title')}
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form
          form={form}
          layout={wide ? 'inline' : 'vertical'}
          initialValues={filters}
          onFinish={search}
          className="mf-case-filters"
          data-testid="case-filters"
        >
          <Form.Item name="item" label={t('case.item')}>
            <Select allowClear placeholder={t('cases.allItems')} options={itemOptions} style={{ minWidth: 160 }} />
          </Form.Item>
          <Form.Item name="status" label={t('case.status')}>
            <Select
              allowClear
              placeholder={t('cases.allStatus')}
              options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
              style={{ minWidth: 120 }}
            />
          </Form.Item>
          <Form.Item name="name" label={t('cases.applicantName')}>
            <Input
              placeholder={t('cases.applicantNamePlaceholder')}
              maxLength={50}
              allowClear
              data-testid="filter-name"
            />
          </Form.Item>
          <Form.Item
            name="id"
            label={t('cases.idNumber')}
            rules={[{ pattern: ID_RE, message: t('cases.idNumberInvalid') }]}
          >
            <Input placeholder={t('cases.idNumberPlaceholder')} maxLength={18} allowClear data-testid="filter-id" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="case-search">
              {t('cases.search')}
            </Button>
            <Button
              style={{ marginInlineStart: 8 }}
              onClick={() => {
                form.resetFields();
                form.setFieldsValue({ item: undefined, status: undefined, name: undefined, id: undefined });
                setParams(new URLSearchParams());
              }}
            >
              {t('cases.reset')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {first.status === 'error' ? (
        <ErrorState error={first.error} onRetry={first.reload} />
      ) : wide ? (
        <Table<CaseDetail>
          rowKey="id"
          loading={first.status === 'loading'}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('cases.empty') }}
          data-testid="case-table"
          columns={[
            { key: 'item', title: t('case.item'), render: (_, c) => link(c, name(c)) },
            { key: 'applicant', title: t('case.applicant'), render: (_, c) => c.applicantName ?? '' },
            { key: 'status', title: t('case.status'), render: (_, c) => <StatusTag status={c.status} /> },
            { key: 'created', title: t('case.createdAt'), render: (_, c) => fmtTime(c.createdAt) },
            {
              key: 'step',
              title: t('case.currentStep'),
              render: (_, c) => c.openTasks.map((x) => x.name ?? x.elementId).join('、'),
            },
            { key: 'id', title: t('case.number'), render: (_, c) => link(c, c.id) },
          ]}
        />
      ) : (
        <List
          loading={first.status === 'loading'}
          dataSource={rows}
          locale={{ emptyText: t('cases.empty') }}
          data-testid="case-table"
          renderItem={(c) => (
            <List.Item extra={<StatusTag status={c.status} />}>
              <List.Item.Meta
                title={link(c, `${name(c)} · ${c.applicantName ?? ''}`)}
                description={`${fmtTime(c.createdAt)} ${c.openTasks.map((x) => x.name ?? '').join('、')}`}
              />
            </List.Item>
          )}
        />
      )}
      {rows.length > 0 && (
        <div style={{ textAlign: 'center', margin: '12px 0' }}>
          <Typography.Text type="secondary">{t('cases.count', { count: rows.length })}</Typography.Text>
          {next && (
            <Button style={{ marginInlineStart: 12 }} loading={loadingMore} onClick={() => void loadMore()}>
              {t('cases.loadMore')}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

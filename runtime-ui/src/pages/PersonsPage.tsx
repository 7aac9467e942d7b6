import { SearchOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Form, Grid, Input, List, Radio, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { localized } from '../api/types';
import { fmtTime, StatusTag } from '../cases/ui';
import { useI18n } from '../i18n/I18nProvider';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';
import { usePersonText } from '../persons/messages';
import '../persons/persons.css';

const ID_RE = /^\d{17}[\dXx]$/;

interface PersonRow {
  name: string | null;
  idNumber: string;
  matched: boolean;
  relation: 'applicant' | 'member';
  caseIds: string[];
  masked: boolean;
}

interface CaseRow {
  id: string;
  itemKey: string;
  itemName: { zh: string; en?: string };
  status: string;
  applicantName?: string | null;
  createdAt: string;
  benefit?: { granted?: boolean; monthlyAmount?: number | null; startMonth?: string | null } | null;
}

interface Result {
  persons: PersonRow[];
  cases: CaseRow[];
  truncated: boolean;
}

/** /persons — a person and their household: every case and benefit across items (人员查询). */
export default function PersonsPage() {
  const { lang } = useI18n();
  const text = usePersonText();
  const wide = Grid.useBreakpoint().md === true;
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? '';
  const name = params.get('name') ?? '';
  const query = id
    ? `idNumber=${encodeURIComponent(id.toUpperCase())}`
    : name
      ? `name=${encodeURIComponent(name)}`
      : '';
  const [form] = Form.useForm<{ by: 'id' | 'name'; value: string }>();
  const by = Form.useWatch('by', form) ?? (name ? 'name' : 'id');
  const result = useLoad(
    async (signal) => (query ? api.get<Result>(`/api/persons?${query}`, { signal }) : null),
    [query],
  );

  const search = (v: { by: 'id' | 'name'; value: string }) => {
    const q = new URLSearchParams();
    q.set(v.by, v.value.trim());
    setParams(q);
  };

  const data = result.status === 'ok' ? result.data : null;
  const byCase = useMemo(() => {
    const m = new Map<string, PersonRow[]>();
    for (const p of data?.persons ?? []) for (const c of p.caseIds) m.set(c, [...(m.get(c) ?? []), p]);
    return m;
  }, [data]);

  const benefit = (c: CaseRow) => {
    const b = c.benefit;
    if (!b?.granted) return text('noBenefit');
    const parts = [text('granted')];
    if (typeof b.monthlyAmount === 'number') parts.push(text('perMonth', { amount: b.monthlyAmount }));
    if (b.startMonth) parts.push(text('from', { month: b.startMonth }));
    return parts.join(' · ');
  };
  const itemName = (c: CaseRow) => localized(c.itemName, lang) || c.itemKey;
  const link = (c: CaseRow, label: string) => <Link to={`/cases/${encodeURIComponent(c.id)}`}>{label}</Link>;

  return (
    <div className="mf-page">
      <Typography.Title level={3} className="mf-page-title">
        {text('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{text('intro')}</Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form
          form={form}
          layout={wide ? 'inline' : 'vertical'}
          initialValues={{ by: name ? 'name' : 'id', value: name || id }}
          onFinish={search}
          data-testid="person-search"
        >
          <Form.Item name="by">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'id', label: text('byId') },
                { value: 'name', label: text('byName') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="value"
            rules={[
              { required: true, whitespace: true, message: text('required') },
              ...(by === 'id' ? [{ pattern: ID_RE, message: text('idInvalid') }] : []),
            ]}
            style={{ minWidth: wide ? 280 : undefined }}
          >
            <Input
              aria-label={by === 'id' ? text('byId') : text('byName')}
              placeholder={by === 'id' ? text('idPlaceholder') : text('namePlaceholder')}
              maxLength={by === 'id' ? 18 : 50}
              allowClear
              data-testid="person-query"
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="person-submit">
              {text('search')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {result.status === 'error' && <ErrorState error={result.error} onRetry={result.reload} />}
      {query && result.status === 'loading' && <Card loading className="mf-card" />}
      {data && data.persons.length === 0 && data.cases.length === 0 && (
        <Card className="mf-card">
          <Empty description={text('none')} data-testid="person-none" />
        </Card>
      )}
      {data && (data.persons.length > 0 || data.cases.length > 0) && (
        <>
          {data.persons.some((p) => p.masked) && (
            <Alert type="info" showIcon title={text('masked')} style={{ marginBottom: 12 }} />
          )}
          {data.truncated && <Alert type="warning" showIcon title={text('truncated')} style={{ marginBottom: 12 }} />}
          <Card title={text('persons')} className="mf-card" data-testid="person-list">
            <List
              grid={{ gutter: 12, xs: 1, sm: 2, lg: 3 }}
              dataSource={data.persons}
              renderItem={(p) => (
                <List.Item>
                  <Card size="small" data-testid="person-card">
                    <Space wrap size={[8, 4]}>
                      <UserOutlined />
                      <Typography.Text strong>{p.name ?? ''}</Typography.Text>
                      <Tag color={p.relation === 'applicant' ? 'blue' : 'default'}>
                        {p.relation === 'applicant' ? text('applicant') : text('member')}
                      </Tag>
                      {p.matched && <Tag color="gold">{text('searched')}</Tag>}
                    </Space>
                    <div className="mf-person-id" data-testid="person-id">
                      {p.idNumber}
                    </div>
                    <Typography.Text type="secondary">{text('caseCount', { count: p.caseIds.length })}</Typography.Text>
                  </Card>
                </List.Item>
              )}
            />
          </Card>
          <Card title={text('cases')} className="mf-card" data-testid="person-cases">
            {wide ? (
              <Table<CaseRow>
                rowKey="id"
                dataSource={data.cases}
                pagination={false}
                columns={[
                  { key: 'item', title: text('item'), render: (_, c) => link(c, itemName(c)) },
                  {
                    key: 'applicant',
                    title: text('applicantName'),
                    render: (_, c) =>
                      [c.applicantName, ...(byCase.get(c.id) ?? []).map((p) => p.name)]
                        .filter((v, i, a) => v && a.indexOf(v) === i)
                        .join('、'),
                  },
                  { key: 'status', title: text('status'), render: (_, c) => <StatusTag status={c.status} /> },
                  { key: 'benefit', title: text('benefit'), render: (_, c) => benefit(c) },
                  { key: 'created', title: text('createdAt'), render: (_, c) => fmtTime(c.createdAt) },
                ]}
              />
            ) : (
              <List
                dataSource={data.cases}
                renderItem={(c) => (
                  <List.Item extra={<StatusTag status={c.status} />}>
                    <List.Item.Meta
                      title={link(c, `${itemName(c)} · ${c.applicantName ?? ''}`)}
                      description={`${fmtTime(c.createdAt)} · ${benefit(c)}`}
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </>
      )}
    </div>
  );
}

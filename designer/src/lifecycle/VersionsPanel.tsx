import { DownloadOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Empty, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  type Change,
  type ChangeKind,
  type DefinitionDiff,
  downloadJson,
  type ItemFile,
  type Page,
  request,
  type VersionSummary,
} from '../api';
import { type T, useI18n } from '../i18n';

type Ref = number | 'draft';

const KIND_COLOR: Record<ChangeKind, string> = { added: 'green', removed: 'red', changed: 'orange' };

function kindLabel(t: T, k: ChangeKind): string {
  return k === 'added' ? t('新增', 'Added') : k === 'removed' ? t('删除', 'Removed') : t('修改', 'Changed');
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Names an admin knows the changed keywords and attributes by. */
const ATTRIBUTES: Record<string, [string, string]> = {
  title: ['标题', 'title'],
  type: ['类型', 'type'],
  format: ['格式', 'format'],
  minimum: ['最小值', 'minimum'],
  maximum: ['最大值', 'maximum'],
  minLength: ['最少字数', 'min length'],
  maxLength: ['最多字数', 'max length'],
  pattern: ['格式（正则）', 'pattern'],
  enum: ['选项', 'options'],
  oneOf: ['选项', 'options'],
  required: ['必填', 'required'],
  condition: ['条件', 'condition'],
  description: ['说明', 'description'],
  default: ['默认值', 'default'],
  'ui:widget': ['控件', 'widget'],
  'ui:order': ['字段顺序', 'field order'],
  'ui:placeholder': ['占位提示', 'placeholder'],
  'ui:help': ['填写说明', 'help text'],
  name: ['名称', 'name'],
  category: ['类别', 'category'],
  startLevels: ['受理层级', 'filing levels'],
  roles: ['办理角色', 'roles'],
  level: ['办理层级', 'level'],
  form: ['环节表单', 'task form'],
  editable: ['可修改字段', 'editable fields'],
  due: ['办理时限', 'time limit'],
  calendar: ['计算方式', 'calendar'],
  actions: ['可用操作', 'actions'],
  handler: ['处理插件', 'handler'],
  retries: ['重试次数', 'retries'],
  source: ['起点', 'source'],
  target: ['终点', 'target'],
  defaultFlow: ['默认路径', 'default flow'],
  timer: ['定时', 'timer'],
  message: ['消息', 'message'],
  script: ['计算脚本', 'script'],
  multiInstance: ['多人办理', 'multi-instance'],
};

function ChangeList({ changes }: { changes: Change[] }) {
  const { lang } = useI18n();
  if (!changes.length) return null;
  return (
    <ul className="mf-diff-changes">
      {changes.map((c) => (
        <li key={c.attribute}>
          {ATTRIBUTES[c.attribute] ? `${ATTRIBUTES[c.attribute][lang === 'en' ? 1 : 0]} ` : ''}
          <Typography.Text code>{c.attribute}</Typography.Text> <del>{show(c.from)}</del> → <ins>{show(c.to)}</ins>
        </li>
      ))}
    </ul>
  );
}

/** Export of one version (or the draft) as a minflow.item/1 file. */
export async function exportItem(itemKey: string, version: Ref): Promise<void> {
  const file = await request<ItemFile>(`/api/definitions/${encodeURIComponent(itemKey)}/export?version=${version}`);
  downloadJson(`${itemKey}-${version === 'draft' ? 'draft' : `v${version}`}.minflow.json`, file);
}

/** The published versions of an item, their diff, export, and retiring the item. */
export function VersionsPanel({
  itemKey,
  retired,
  onRetired,
}: {
  itemKey: string;
  retired: boolean;
  onRetired(retired: boolean): void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState<Ref | undefined>();
  const [to, setTo] = useState<Ref | undefined>();
  const [diff, setDiff] = useState<DefinitionDiff | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/definitions/${encodeURIComponent(itemKey)}`;

  const load = useCallback(() => {
    request<Page<VersionSummary>>(`${base}/versions?limit=100`)
      .then((p) => {
        setVersions(p.items);
        if (p.items.length) {
          setTo('draft');
          setFrom(p.items[0].version);
        }
      })
      .catch((err: Error) => setError(err.message));
  }, [base]);
  useEffect(load, [load]);

  const compare = async () => {
    if (from === undefined || to === undefined) return;
    setBusy(true);
    try {
      setDiff(await request<DefinitionDiff>(`${base}/diff?from=${from}&to=${to}`));
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const setRetired = async (value: boolean) => {
    try {
      await request(`${base}/${value ? 'retire' : 'unretire'}`, { method: 'POST' });
      onRetired(value);
      message.success(
        value
          ? t('已停办：不再受理新申请，办理中的案件继续办理', 'Retired: no new applications; running cases continue')
          : t('已恢复受理', 'The item accepts applications again'),
      );
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  const refOptions = [
    ...(versions ?? []).map((v) => ({ value: v.version as Ref, label: `v${v.version}` })),
    { value: 'draft' as Ref, label: t('当前草稿', 'Current draft') },
  ];

  return (
    <div className="mf-versions" data-testid="versions-panel">
      {error && <Alert type="error" showIcon message={error} />}
      <Card
        size="small"
        title={t('发布的版本', 'Published versions')}
        extra={
          versions?.length ? (
            retired ? (
              <Button icon={<UndoOutlined />} onClick={() => setRetired(false)} data-testid="unretire">
                {t('恢复受理', 'Un-retire')}
              </Button>
            ) : (
              <Popconfirm
                title={t('停办这个事项？', 'Retire this item?')}
                description={t(
                  '停办后各乡镇不能再受理新申请，办理中的案件按原版本继续办理。可以随时恢复。',
                  'No new applications can be filed; running cases continue on their version. You can un-retire it later.',
                )}
                okText={t('停办', 'Retire')}
                cancelText={t('取消', 'Cancel')}
                onConfirm={() => setRetired(true)}
                okButtonProps={{ danger: true, 'data-testid': 'retire-confirm' } as never}
              >
                <Button danger icon={<StopOutlined />} data-testid="retire">
                  {t('停办', 'Retire')}
                </Button>
              </Popconfirm>
            )
          ) : null
        }
      >
        {retired && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 8 }}
            data-testid="retired-banner"
            message={t(
              '此事项已停办：目录中不再显示，不能受理新申请；办理中的案件不受影响。',
              'This item is retired: hidden from the catalog and closed to new applications; running cases are not affected.',
            )}
          />
        )}
        <Table<VersionSummary>
          rowKey="version"
          size="small"
          loading={versions === null && !error}
          dataSource={versions ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t('还没有发布过', 'Not published yet')} /> }}
          columns={[
            { title: t('版本', 'Version'), dataIndex: 'version', render: (v: number) => <Tag color="green">v{v}</Tag> },
            {
              title: t('发布时间', 'Published at'),
              dataIndex: 'publishedAt',
              render: (v: string) => new Date(v).toLocaleString(),
            },
            { title: t('发布人', 'Published by'), dataIndex: 'publishedBy' },
            {
              title: '',
              render: (_, v) => (
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() => exportItem(itemKey, v.version).catch((e: Error) => message.error(e.message))}
                  data-testid={`export-v${v.version}`}
                >
                  {t('导出', 'Export')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('比较两个版本', 'Compare two versions')} style={{ marginTop: 12 }}>
        <Space wrap>
          <Select
            aria-label={t('从', 'From')}
            style={{ width: 140 }}
            options={refOptions}
            value={from}
            onChange={setFrom}
            data-testid="diff-from"
          />
          →
          <Select
            aria-label={t('到', 'To')}
            style={{ width: 140 }}
            options={refOptions}
            value={to}
            onChange={setTo}
            data-testid="diff-to"
          />
          <Button type="primary" onClick={compare} loading={busy} disabled={from === undefined} data-testid="diff-run">
            {t('比较', 'Compare')}
          </Button>
        </Space>
        {diff && <DiffView diff={diff} />}
      </Card>
    </div>
  );
}

function DiffView({ diff }: { diff: DefinitionDiff }) {
  const { t } = useI18n();
  const name = (r: DefinitionDiff['from']) => (r === 'draft' ? t('草稿', 'draft') : `v${r}`);
  if (diff.same)
    return (
      <Alert
        style={{ marginTop: 12 }}
        type="success"
        showIcon
        data-testid="diff-same"
        message={t('{a} 与 {b} 内容相同', '{a} and {b} have the same content', {
          a: name(diff.from),
          b: name(diff.to),
        })}
      />
    );
  return (
    <div className="mf-diff" data-testid="diff-result">
      {diff.item.length > 0 && (
        <>
          <Typography.Title level={5}>{t('基本信息', 'Item settings')}</Typography.Title>
          <ChangeList changes={diff.item} />
        </>
      )}
      <Typography.Title level={5}>
        {t('申请表单', 'Application form')} ({diff.form.length})
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.path}`}
        dataSource={diff.form}
        data-testid="diff-form"
        columns={[
          {
            title: t('变化', 'Change'),
            dataIndex: 'change',
            width: 80,
            render: (k: ChangeKind) => <Tag color={KIND_COLOR[k]}>{kindLabel(t, k)}</Tag>,
          },
          {
            title: t('字段', 'Field'),
            render: (_, r) => (
              <span>
                {r.label ?? (r.path ? '' : t('（表单）', '(form)'))}{' '}
                <Typography.Text type="secondary">{r.path}</Typography.Text>
              </span>
            ),
          },
          { title: t('具体修改', 'Details'), render: (_, r) => <ChangeList changes={r.changes} /> },
        ]}
      />
      {diff.taskForms.length > 0 && (
        <>
          <Typography.Title level={5}>{t('环节表单', 'Task forms')}</Typography.Title>
          {diff.taskForms.map((f) => (
            <div key={f.key}>
              <Tag color={KIND_COLOR[f.change]}>{kindLabel(t, f.change)}</Tag> {f.key}
              <ul>
                {f.fields.map((x) => (
                  <li key={x.path}>
                    <Tag color={KIND_COLOR[x.change]}>{kindLabel(t, x.change)}</Tag>
                    {x.label} <Typography.Text type="secondary">{x.path}</Typography.Text>
                    <ChangeList changes={x.changes} />
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
      <Typography.Title level={5}>
        {t('审批流程', 'Approval flow')} ({diff.flow.length})
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={diff.flow}
        data-testid="diff-flow"
        columns={[
          {
            title: t('变化', 'Change'),
            dataIndex: 'change',
            width: 80,
            render: (k: ChangeKind) => <Tag color={KIND_COLOR[k]}>{kindLabel(t, k)}</Tag>,
          },
          {
            title: t('环节', 'Element'),
            render: (_, r) => (
              <span>
                {r.name ?? ''} <Typography.Text type="secondary">{r.id}</Typography.Text>{' '}
                <Typography.Text type="secondary">({r.type})</Typography.Text>
              </span>
            ),
          },
          { title: t('具体修改', 'Details'), render: (_, r) => <ChangeList changes={r.changes} /> },
        ]}
      />
    </div>
  );
}

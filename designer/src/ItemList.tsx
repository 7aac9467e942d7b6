import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, type Draft, type DraftSummary, type JsonObject, listAllDrafts, request } from './api';
import { FLOW_TEMPLATES, type FlowTemplateId, flowTemplate } from './flow/templates';
import { blankForm } from './form/model';
import { CATEGORY_OPTIONS } from './labels';

const categoryLabel = (c: string) => CATEGORY_OPTIONS.find((o) => o.value === c)?.label ?? c;

export function ItemList({ onOpen }: { onOpen(key: string): void }) {
  const [items, setItems] = useState<DraftSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(() => {
    setError(null);
    listAllDrafts()
      .then(setItems)
      .catch((err: Error) => setError(err.message));
  }, []);
  useEffect(load, [load]);
  return (
    <div className="mf-page">
      <Space style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          业务事项
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={load}>
            刷新
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-item">
            新建事项
          </Button>
        </Space>
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Table<DraftSummary>
        rowKey="key"
        loading={items === null && !error}
        dataSource={items ?? []}
        pagination={false}
        data-testid="item-table"
        onRow={(r) => ({ onClick: () => onOpen(r.key), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: '事项名称',
            dataIndex: ['name', 'zh'],
            render: (v: string, r) => (
              <Space direction="vertical" size={0}>
                <a href={`#/items/${r.key}`} data-testid={`open-${r.key}`}>
                  {v}
                </a>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.key}
                </Typography.Text>
              </Space>
            ),
          },
          { title: '类别', dataIndex: 'category', render: categoryLabel, responsive: ['md'] },
          {
            title: '状态',
            render: (_, r) => (
              <Space size={4} wrap>
                {r.publishedVersion ? <Tag color="green">已发布 v{r.publishedVersion}</Tag> : <Tag>未发布</Tag>}
                {r.publishedVersion && r.hasUnpublishedChanges && <Tag color="orange">有未发布的修改</Tag>}
              </Space>
            ),
          },
          { title: '草稿版本', dataIndex: 'version', responsive: ['md'] },
          {
            title: '最后修改',
            dataIndex: 'updatedAt',
            responsive: ['lg'],
            render: (v: string, r) => `${new Date(v).toLocaleString('zh-CN')}（${r.updatedBy}）`,
          },
        ]}
      />
      <NewItemDialog
        open={creating}
        items={items ?? []}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          onOpen(key);
        }}
      />
    </div>
  );
}

interface NewItemValues {
  key: string;
  nameZh: string;
  category: string;
  start: 'blank' | 'copy';
  template: FlowTemplateId;
  copyFrom?: string;
}

function NewItemDialog({
  open,
  items,
  onClose,
  onCreated,
}: {
  open: boolean;
  items: DraftSummary[];
  onClose(): void;
  onCreated(key: string): void;
}) {
  const [form] = Form.useForm<NewItemValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { message } = AntApp.useApp();
  const start = Form.useWatch('start', form);
  const published = items.filter((i) => i.publishedVersion);
  const submit = async (v: NewItemValues) => {
    setBusy(true);
    setError(null);
    try {
      let content: Record<string, unknown>;
      if (v.start === 'copy' && v.copyFrom) {
        const src = await request<
          Draft & { formSchema: JsonObject; uiSchema: JsonObject; bpmnXml: string; taskForms: Draft['taskForms'] }
        >(`/api/items/${encodeURIComponent(v.copyFrom)}`);
        content = {
          description: src.description,
          startLevels: src.startLevels,
          formSchema: src.formSchema,
          uiSchema: src.uiSchema,
          bpmnXml: src.bpmnXml,
          taskForms: src.taskForms,
        };
      } else {
        const f = blankForm(v.nameZh);
        content = {
          description: '',
          startLevels: ['village', 'township'],
          formSchema: f.schema,
          uiSchema: f.uiSchema,
          bpmnXml: flowTemplate(v.template, v.key),
          taskForms: {},
        };
      }
      await request('/api/definitions', {
        body: { key: v.key, name: { zh: v.nameZh }, category: v.category, ...content },
      });
      message.success(`已创建“${v.nameZh}”`);
      form.resetFields();
      onCreated(v.key);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409 ? `事项编号 ${v.key} 已存在，请换一个` : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="新建业务事项"
      open={open}
      onCancel={onClose}
      okText="创建"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'create-item' } as never}
      destroyOnHidden
    >
      <Form<NewItemValues>
        form={form}
        layout="vertical"
        initialValues={{ start: 'blank', template: 'simple', category: 'social-assistance' }}
        onFinish={submit}
      >
        <Form.Item label="事项名称" name="nameZh" rules={[{ required: true, message: '请输入事项名称' }]}>
          <Input placeholder="例如：冬季取暖补贴" />
        </Form.Item>
        <Form.Item
          label="事项编号（英文小写，用短横线连接）"
          name="key"
          rules={[
            { required: true, message: '请输入事项编号' },
            {
              pattern: /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
              message: '只能用小写英文字母、数字和短横线，例如 winter-heating',
            },
          ]}
        >
          <Input placeholder="例如：winter-heating" />
        </Form.Item>
        <Form.Item label="类别" name="category">
          <Select options={CATEGORY_OPTIONS} />
        </Form.Item>
        <Form.Item label="从哪里开始" name="start">
          <Radio.Group>
            <Radio value="blank">空白表单 + 流程模板</Radio>
            <Radio value="copy" disabled={published.length === 0}>
              复制已发布的事项
            </Radio>
          </Radio.Group>
        </Form.Item>
        {start === 'copy' ? (
          <Form.Item label="复制哪个事项" name="copyFrom" rules={[{ required: true, message: '请选择要复制的事项' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={published.map((i) => ({ value: i.key, label: `${i.name.zh}（v${i.publishedVersion}）` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item label="流程模板" name="template">
            <Radio.Group>
              <Space direction="vertical">
                {FLOW_TEMPLATES.map((t) => (
                  <Radio key={t.id} value={t.id}>
                    {t.label}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon message={error} />}
      </Form>
    </Modal>
  );
}

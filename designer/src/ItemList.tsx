import { PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Draft, type DraftSummary, type JsonObject, listAllDrafts, request } from './api';
import { FLOW_TEMPLATES, type FlowTemplateId, flowTemplate } from './flow/templates';
import { blankForm } from './form/model';
import { localized, useI18n } from './i18n';
import { CATEGORY_OPTIONS, labelOf, options } from './labels';

export function ItemList({ onOpen }: { onOpen(key: string): void }) {
  const [items, setItems] = useState<DraftSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState<{ file: JsonObject; message: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const importFile = async (file: JsonObject, key?: string) => {
    try {
      const draft = await request<Draft>(`/api/definitions/import${key ? `?key=${encodeURIComponent(key)}` : ''}`, {
        body: file,
      });
      setImporting(null);
      message.success(t('已导入为草稿“{n}”', 'Imported as the draft "{n}"', { n: draft.name.zh }));
      onOpen(draft.key);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MINFLOW_ERR_DEFINITIONS_IMPORT_CONFLICT') {
        setImporting({ file, message: err.message });
      } else if (err instanceof ApiError && err.details.length) {
        setImporting(null);
        message.error(`${err.message}：${err.details.map((d) => `${d.path} ${d.message}`).join('；')}`, 8);
      } else {
        setImporting(null);
        message.error((err as Error).message);
      }
    }
  };
  const onFile = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    let parsed: JsonObject;
    try {
      parsed = JSON.parse(await f.text()) as JsonObject;
    } catch {
      message.error(t('不是有效的 JSON 文件', 'Not a valid JSON file'));
      return;
    }
    await importFile(parsed);
  };
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
          {t('业务事项', 'Business items')}
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('刷新', 'Refresh')}
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            style={{ display: 'none' }}
            onChange={onFile}
            data-testid="import-file"
          />
          <Button icon={<UploadOutlined />} onClick={() => fileInput.current?.click()} data-testid="import-item">
            {t('导入', 'Import')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-item">
            {t('新建事项', 'New item')}
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
            title: t('事项名称', 'Item'),
            dataIndex: ['name', 'zh'],
            render: (_: string, r) => (
              <Space direction="vertical" size={0}>
                <a href={`#/items/${r.key}`} data-testid={`open-${r.key}`}>
                  {localized(r.name, lang)}
                </a>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.key}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('类别', 'Category'),
            dataIndex: 'category',
            render: (c: string) => labelOf(CATEGORY_OPTIONS, c, lang),
            responsive: ['md'],
          },
          {
            title: t('状态', 'Status'),
            render: (_, r) => (
              <Space size={4} wrap>
                {r.publishedVersion ? (
                  <Tag color="green">{t('已发布 v{v}', 'Published v{v}', { v: r.publishedVersion })}</Tag>
                ) : (
                  <Tag>{t('未发布', 'Not published')}</Tag>
                )}
                {r.publishedVersion && r.hasUnpublishedChanges && (
                  <Tag color="orange">{t('有未发布的修改', 'Unpublished changes')}</Tag>
                )}
                {r.retired && (
                  <Tag color="red" data-testid={`retired-${r.key}`}>
                    {t('已停办', 'Retired')}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('草稿版本', 'Draft version'), dataIndex: 'version', responsive: ['md'] },
          {
            title: t('最后修改', 'Last changed'),
            dataIndex: 'updatedAt',
            responsive: ['lg'],
            render: (v: string, r) => `${new Date(v).toLocaleString(lang)}（${r.updatedBy}）`,
          },
        ]}
      />
      <ImportKeyDialog
        state={importing}
        onCancel={() => setImporting(null)}
        onSubmit={(key) => importing && importFile(importing.file, key)}
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

/** The item's key is taken: the import never overwrites, so ask for another key. */
function ImportKeyDialog({
  state,
  onCancel,
  onSubmit,
}: {
  state: { file: JsonObject; message: string } | null;
  onCancel(): void;
  onSubmit(key: string): void;
}) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const valid = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(key);
  return (
    <Modal
      open={state !== null}
      title={t('导入：事项编号已存在', 'Import: the key is taken')}
      onCancel={onCancel}
      onOk={() => valid && onSubmit(key)}
      okText={t('用新编号导入', 'Import under this key')}
      cancelText={t('取消', 'Cancel')}
      okButtonProps={{ disabled: !valid, 'data-testid': 'import-as' } as never}
      destroyOnHidden
    >
      <Alert type="warning" showIcon message={state?.message} style={{ marginBottom: 12 }} />
      <Input
        aria-label={t('新的事项编号', 'New item key')}
        placeholder={`${String(state?.file.key ?? 'item')}-copy`}
        value={key}
        onChange={(e) => setKey(e.target.value.trim())}
      />
    </Modal>
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
  const { t, lang } = useI18n();
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
      message.success(t('已创建“{n}”', 'Created "{n}"', { n: v.nameZh }));
      form.resetFields();
      onCreated(v.key);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409
          ? t('事项编号 {k} 已存在，请换一个', 'The key {k} is taken: choose another', { k: v.key })
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={t('新建业务事项', 'New business item')}
      open={open}
      onCancel={onClose}
      okText={t('创建', 'Create')}
      cancelText={t('取消', 'Cancel')}
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
        <Form.Item
          label={t('事项名称', 'Item name (Chinese)')}
          name="nameZh"
          rules={[{ required: true, message: t('请输入事项名称', 'Enter the item name') }]}
        >
          <Input placeholder={t('例如：冬季取暖补贴', 'e.g. 冬季取暖补贴')} />
        </Form.Item>
        <Form.Item
          label={t('事项编号（英文小写，用短横线连接）', 'Item key (lower-case, words joined by hyphens)')}
          name="key"
          rules={[
            { required: true, message: t('请输入事项编号', 'Enter the item key') },
            {
              pattern: /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
              message: t(
                '只能用小写英文字母、数字和短横线，例如 winter-heating',
                'Only lower-case letters, digits and hyphens, e.g. winter-heating',
              ),
            },
          ]}
        >
          <Input placeholder={t('例如：winter-heating', 'e.g. winter-heating')} />
        </Form.Item>
        <Form.Item label={t('类别', 'Category')} name="category">
          <Select options={options(CATEGORY_OPTIONS, lang)} />
        </Form.Item>
        <Form.Item label={t('从哪里开始', 'Start from')} name="start">
          <Radio.Group>
            <Radio value="blank">{t('空白表单 + 流程模板', 'A blank form and a flow template')}</Radio>
            <Radio value="copy" disabled={published.length === 0}>
              {t('复制已发布的事项', 'A copy of a published item')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {start === 'copy' ? (
          <Form.Item
            label={t('复制哪个事项', 'Item to copy')}
            name="copyFrom"
            rules={[{ required: true, message: t('请选择要复制的事项', 'Choose the item to copy') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={published.map((i) => ({ value: i.key, label: `${i.name.zh}（v${i.publishedVersion}）` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item label={t('流程模板', 'Flow template')} name="template">
            <Radio.Group>
              <Space direction="vertical">
                {FLOW_TEMPLATES.map((tpl) => (
                  <Radio key={tpl.id} value={tpl.id}>
                    {lang === 'en' ? tpl.en : tpl.label}
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

import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  SaveOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type Draft, type ErrorDetail, request } from './api';
import { FlowModeler, type FlowModelerHandle } from './flow/FlowModeler';
import { FormBuilder } from './form/FormBuilder';
import { blankForm, type FormState, fieldForPointer, fieldNames, locId } from './form/model';
import { useI18n } from './i18n';
import { CATEGORY_OPTIONS, LEVEL_OPTIONS, options } from './labels';
import { SimulatePanel } from './lifecycle/SimulatePanel';
import { exportItem, VersionsPanel } from './lifecycle/VersionsPanel';

type TabKey = 'basic' | 'form' | 'flow' | 'simulate' | 'versions';
type TaskForms = Draft['taskForms'];

interface Meta {
  nameZh: string;
  nameEn: string;
  category: string;
  description: string;
  startLevels: string[];
}

export function Editor({ itemKey, onBack }: { itemKey: string; onBack(): void }) {
  const { message, modal } = AntApp.useApp();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [taskForms, setTaskForms] = useState<TaskForms>({});
  const [editingTaskForm, setEditingTaskForm] = useState<string | null>(null);
  const { t } = useI18n();
  const [xml, setXml] = useState<string>('');
  const [dirty, setDirty] = useState(false);
  const [tab, setTab] = useState<TabKey>('form');
  const [selectedField, setSelectedField] = useState<string | null>(null);
  const [problems, setProblems] = useState<ErrorDetail[] | null>(null);
  const [problemTitle, setProblemTitle] = useState('');
  const [flowError, setFlowError] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'validate' | 'publish'>(null);
  const flow = useRef<FlowModelerHandle>(null);

  const apply = useCallback((d: Draft) => {
    setDraft(d);
    setMeta({
      nameZh: d.name.zh,
      nameEn: d.name.en ?? '',
      category: d.category,
      description: d.description,
      startLevels: d.startLevels,
    });
    setForm({ schema: d.formSchema, uiSchema: d.uiSchema ?? {} });
    setTaskForms(d.taskForms ?? {});
    setXml(d.bpmnXml);
    setDirty(false);
  }, []);

  const load = useCallback(() => {
    setLoadError(null);
    request<Draft>(`/api/definitions/${encodeURIComponent(itemKey)}`)
      .then(apply)
      .catch((err: Error) => setLoadError(err.message));
  }, [itemKey, apply]);
  useEffect(load, [load]);

  // closing the tab with unsaved changes asks first
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const fields = useMemo(() => (form ? fieldNames(form) : []), [form]);
  const problemFields = useMemo(() => {
    const set = new Set<string>();
    if (form && problems) {
      for (const p of problems) {
        const loc = p.path.startsWith('bpmn:') ? null : fieldForPointer(form, p.path);
        if (loc) set.add(locId(loc));
      }
    }
    return set;
  }, [form, problems]);

  /** Saves when there are changes; returns the saved draft (or the current one), null when refused. */
  const save = async (): Promise<Draft | null> => {
    if (!draft || !meta || !form) return null;
    if (!dirty) return draft;
    const bpmnXml = await flow.current!.getXml();
    try {
      const saved = await request<Draft>(`/api/definitions/${encodeURIComponent(itemKey)}`, {
        method: 'PUT',
        body: {
          version: draft.version,
          name: meta.nameEn.trim() ? { zh: meta.nameZh, en: meta.nameEn.trim() } : { zh: meta.nameZh },
          category: meta.category,
          description: meta.description,
          startLevels: meta.startLevels,
          formSchema: form.schema,
          uiSchema: form.uiSchema,
          bpmnXml,
          taskForms,
          // not edited in the designer: kept as the draft has it
          ...(draft.computed ? { computed: draft.computed } : {}),
        },
      });
      setDraft(saved);
      setDirty(false);
      return saved;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        modal.confirm({
          title: t('其他人已保存了这个事项', 'Someone else saved this item'),
          content: t(
            '在你编辑期间，其他人保存了这个事项的新草稿，你的修改没有保存。可以重新加载最新草稿（你未保存的修改将丢失），或取消后自行记下修改。',
            'While you were editing, someone else saved a new draft of this item; your changes were not saved. Reload the latest draft (your unsaved changes are lost), or cancel and note your changes first.',
          ),
          okText: t('重新加载最新草稿', 'Reload the latest draft'),
          cancelText: t('取消', 'Cancel'),
          onOk: load,
        });
        return null;
      }
      showProblems(t('保存失败', 'Save failed'), err);
      return null;
    }
  };

  const showProblems = (title: string, err: unknown) => {
    if (err instanceof ApiError && err.details.length) {
      setProblemTitle(`${title}：${err.message}`);
      setProblems(err.details);
    } else {
      message.error(`${title}：${(err as Error).message}`);
    }
  };

  const onSave = async () => {
    setBusy('save');
    const d = await save();
    setBusy(null);
    if (d) message.success(t('草稿已保存（草稿版本 {v}）', 'Draft saved (draft version {v})', { v: d.version }));
  };

  const onValidate = async () => {
    setBusy('validate');
    try {
      const d = await save();
      if (!d) return;
      const res = await request<{ valid: boolean; problems: ErrorDetail[] }>(
        `/api/definitions/${encodeURIComponent(itemKey)}/validate`,
        { method: 'POST' },
      );
      flow.current?.clearProblems();
      if (res.valid) {
        setProblems([]);
        setProblemTitle(t('校验通过，可以发布', 'Valid: ready to publish'));
      } else {
        setProblemTitle(t('校验发现 {n} 个问题', '{n} problem(s) found', { n: res.problems.length }));
        setProblems(res.problems);
      }
    } catch (err) {
      showProblems(t('校验失败', 'Validation failed'), err);
    } finally {
      setBusy(null);
    }
  };

  const onPublish = async () => {
    setBusy('publish');
    try {
      const d = await save();
      if (!d) return;
      const res = await request<{ version: number; created: boolean }>(
        `/api/definitions/${encodeURIComponent(itemKey)}/publish?version=${d.version}`,
        { method: 'POST' },
      );
      flow.current?.clearProblems();
      setProblems(null);
      if (res.created)
        message.success(
          t('已发布 v{v}，各乡镇现在可以办理', 'Published v{v}: townships can now file applications', {
            v: res.version,
          }),
        );
      else
        message.info(
          t('内容与已发布的 v{v} 相同，没有产生新版本', 'Same content as the published v{v}: no new version', {
            v: res.version,
          }),
        );
      setDraft({ ...d, publishedVersion: res.version, hasUnpublishedChanges: false });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.error(
          t('其他人已保存了新的草稿，请重新加载后再发布', 'Someone saved a newer draft: reload before publishing'),
        );
      } else showProblems(t('发布失败', 'Publish failed'), err);
    } finally {
      setBusy(null);
    }
  };

  const goTo = (p: ErrorDetail) => {
    if (p.path.startsWith('bpmn:')) {
      setTab('flow');
      const id = p.path.slice('bpmn:'.length);
      setTimeout(() => {
        flow.current?.fit();
        flow.current?.showProblem(id);
      }, 50);
      return;
    }
    const loc = form ? fieldForPointer(form, p.path) : null;
    if (loc) {
      setTab('form');
      setSelectedField(locId(loc));
    } else if (/^\/(name|category|description|startLevels)/.test(p.path)) setTab('basic');
    else setTab('form');
  };

  if (loadError)
    return (
      <div className="mf-page">
        <Alert
          type="error"
          showIcon
          message={t('无法打开事项 {k}：{e}', 'Cannot open the item {k}: {e}', { k: itemKey, e: loadError })}
        />
        <Button onClick={onBack} style={{ marginTop: 16 }}>
          {t('返回列表', 'Back to the list')}
        </Button>
      </div>
    );
  if (!draft || !meta || !form) return <Spin style={{ display: 'block', margin: 64 }} />;

  return (
    <div className="mf-editor">
      <div className="mf-toolbar">
        <Space wrap>
          <Button
            icon={<ArrowLeftOutlined />}
            aria-label={t('返回列表', 'Back to the list')}
            onClick={() => {
              if (!dirty) return onBack();
              modal.confirm({
                title: t('有未保存的修改', 'Unsaved changes'),
                content: t('离开后，未保存的修改将丢失。', 'If you leave, your unsaved changes are lost.'),
                okText: t('不保存，离开', 'Leave without saving'),
                cancelText: t('留在这里', 'Stay'),
                onOk: onBack,
              });
            }}
          />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="item-title">
            {meta.nameZh}
          </Typography.Title>
          <Tag>{itemKey}</Tag>
          <Tag>{t('草稿版本 {v}', 'Draft version {v}', { v: draft.version })}</Tag>
          {draft.publishedVersion ? (
            <Tag color="green">{t('已发布 v{v}', 'Published v{v}', { v: draft.publishedVersion })}</Tag>
          ) : (
            <Tag>{t('未发布', 'Not published')}</Tag>
          )}
          {draft.retired && (
            <Tag color="red" data-testid="retired-tag">
              {t('已停办', 'Retired')}
            </Tag>
          )}
          {dirty && <Tag color="orange">{t('有未保存的修改', 'Unsaved changes')}</Tag>}
        </Space>
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            onClick={async () => {
              const d = await save();
              if (d) await exportItem(itemKey, 'draft').catch((e: Error) => message.error(e.message));
            }}
            data-testid="export-draft"
          >
            {t('导出', 'Export')}
          </Button>
          <Button
            icon={<SaveOutlined />}
            onClick={onSave}
            loading={busy === 'save'}
            disabled={!dirty}
            data-testid="save"
          >
            {t('保存草稿', 'Save draft')}
          </Button>
          <Button
            icon={<CheckCircleOutlined />}
            onClick={onValidate}
            loading={busy === 'validate'}
            data-testid="validate"
          >
            {t('校验', 'Validate')}
          </Button>
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            onClick={onPublish}
            loading={busy === 'publish'}
            data-testid="publish"
          >
            {t('发布', 'Publish')}
          </Button>
        </Space>
      </div>
      {problems && (
        <Card
          size="small"
          className="mf-problems"
          data-testid="problems"
          title={problemTitle}
          extra={
            <Button size="small" type="link" onClick={() => setProblems(null)}>
              {t('关闭', 'Close')}
            </Button>
          }
        >
          {problems.length === 0 ? (
            <Alert type="success" showIcon message={t('没有发现问题', 'No problems found')} />
          ) : (
            <List
              size="small"
              dataSource={problems}
              renderItem={(p) => (
                <List.Item className="mf-problem-row" onClick={() => goTo(p)}>
                  <Space>
                    <Tag color={p.path.startsWith('bpmn:') ? 'purple' : 'blue'}>
                      {p.path.startsWith('bpmn:')
                        ? `${t('流程', 'Flow')} ${p.path.slice(5)}`
                        : `${t('表单', 'Form')} ${p.path}`}
                    </Tag>
                    <span>{p.message}</span>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          setTab(k as TabKey);
          if (k === 'flow') setTimeout(() => flow.current?.fit(), 30);
        }}
        destroyOnHidden={false}
        items={[
          {
            key: 'basic',
            label: t('基本信息', 'Item'),
            forceRender: true,
            children: (
              <BasicInfo
                meta={meta}
                onChange={(m) => {
                  setMeta(m);
                  setDirty(true);
                }}
              />
            ),
          },
          {
            key: 'form',
            label: t('申请表单', 'Application form'),
            forceRender: true,
            children: (
              <FormBuilder
                form={form}
                onChange={(f) => {
                  setForm(f);
                  setDirty(true);
                }}
                selected={selectedField}
                onSelect={setSelectedField}
                problemFields={problemFields}
              />
            ),
          },
          {
            key: 'flow',
            label: t('审批流程', 'Approval flow'),
            forceRender: true,
            children: (
              <>
                {flowError && <Alert type="warning" showIcon message={flowError} style={{ marginBottom: 8 }} />}
                <FlowModeler
                  ref={flow}
                  xml={xml}
                  fields={fields}
                  taskForms={Object.keys(taskForms)}
                  onEditTaskForm={(k) => {
                    if (!taskForms[k]) {
                      const blank = blankForm(k);
                      setTaskForms({ ...taskForms, [k]: { schema: blank.schema, uiSchema: blank.uiSchema } });
                      setDirty(true);
                    }
                    setEditingTaskForm(k);
                  }}
                  onChange={() => setDirty(true)}
                  onError={setFlowError}
                />
              </>
            ),
          },
          {
            key: 'simulate',
            label: t('模拟运行', 'Simulate'),
            children: (
              <SimulatePanel
                itemKey={itemKey}
                form={form}
                xml={draft.bpmnXml}
                ensureSaved={async () => (await save()) !== null}
              />
            ),
          },
          {
            key: 'versions',
            label: t('版本与停办', 'Versions'),
            children: (
              <VersionsPanel
                key={draft.publishedVersion ?? 0}
                itemKey={itemKey}
                retired={draft.retired}
                onRetired={(retired) => setDraft({ ...draft, retired })}
              />
            ),
          },
        ]}
      />
      <Modal
        open={editingTaskForm !== null}
        width="90vw"
        title={t('环节表单：{k}', 'Task form: {k}', { k: editingTaskForm ?? '' })}
        onCancel={() => setEditingTaskForm(null)}
        footer={
          <Button type="primary" onClick={() => setEditingTaskForm(null)} data-testid="task-form-done">
            {t('完成', 'Done')}
          </Button>
        }
        destroyOnHidden
      >
        {editingTaskForm && taskForms[editingTaskForm] && (
          <TaskFormEditor
            form={{ schema: taskForms[editingTaskForm].schema, uiSchema: taskForms[editingTaskForm].uiSchema ?? {} }}
            onChange={(f) => {
              setTaskForms({ ...taskForms, [editingTaskForm]: { schema: f.schema, uiSchema: f.uiSchema } });
              setDirty(true);
            }}
          />
        )}
      </Modal>
    </div>
  );
}

const NO_PROBLEMS = new Set<string>();

/** A user task's own form, edited with the same builder as the application form. */
function TaskFormEditor({ form, onChange }: { form: FormState; onChange(f: FormState): void }) {
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <div data-testid="task-form-editor">
      <FormBuilder
        form={form}
        onChange={onChange}
        selected={selected}
        onSelect={setSelected}
        problemFields={NO_PROBLEMS}
      />
    </div>
  );
}

function BasicInfo({ meta, onChange }: { meta: Meta; onChange(m: Meta): void }) {
  const { t, lang } = useI18n();
  return (
    <Card size="small" style={{ maxWidth: 720 }}>
      <Form layout="vertical">
        <Form.Item label={t('事项名称（中文）', 'Name (Chinese)')} required>
          <Input value={meta.nameZh} onChange={(e) => onChange({ ...meta, nameZh: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('事项名称（英文，可选）', 'Name (English, optional)')}>
          <Input value={meta.nameEn} onChange={(e) => onChange({ ...meta, nameEn: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('类别', 'Category')}>
          <Select
            options={options(CATEGORY_OPTIONS, lang)}
            value={meta.category}
            onChange={(category) => onChange({ ...meta, category })}
          />
        </Form.Item>
        <Form.Item label={t('事项说明（申请人可见）', 'Description (shown to applicants)')}>
          <Input.TextArea
            autoSize={{ minRows: 3 }}
            value={meta.description}
            onChange={(e) => onChange({ ...meta, description: e.target.value })}
          />
        </Form.Item>
        <Form.Item label={t('哪些层级可以受理申请', 'Levels that may file applications')}>
          <Checkbox.Group
            options={options(LEVEL_OPTIONS, lang)}
            value={meta.startLevels}
            onChange={(v) => onChange({ ...meta, startLevels: v as string[] })}
          />
        </Form.Item>
      </Form>
    </Card>
  );
}

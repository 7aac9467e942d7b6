import { ArrowLeftOutlined, CheckCircleOutlined, CloudUploadOutlined, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  List,
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
import { type FormState, fieldForPointer, fieldNames, locId } from './form/model';
import { CATEGORY_OPTIONS, LEVEL_OPTIONS } from './labels';

type TabKey = 'basic' | 'form' | 'flow';

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
          taskForms: draft.taskForms ?? {},
        },
      });
      setDraft(saved);
      setDirty(false);
      return saved;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        modal.confirm({
          title: '其他人已保存了这个事项',
          content:
            '在你编辑期间，其他人保存了这个事项的新草稿，你的修改没有保存。可以重新加载最新草稿（你未保存的修改将丢失），或取消后自行记下修改。',
          okText: '重新加载最新草稿',
          cancelText: '取消',
          onOk: load,
        });
        return null;
      }
      showProblems('保存失败', err);
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
    if (d) message.success(`草稿已保存（草稿版本 ${d.version}）`);
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
        setProblemTitle('校验通过，可以发布');
      } else {
        setProblemTitle(`校验发现 ${res.problems.length} 个问题`);
        setProblems(res.problems);
      }
    } catch (err) {
      showProblems('校验失败', err);
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
      if (res.created) message.success(`已发布 v${res.version}，各乡镇现在可以办理`);
      else message.info(`内容与已发布的 v${res.version} 相同，没有产生新版本`);
      setDraft({ ...d, publishedVersion: res.version, hasUnpublishedChanges: false });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.error('其他人已保存了新的草稿，请重新加载后再发布');
      } else showProblems('发布失败', err);
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
        <Alert type="error" showIcon message={`无法打开事项 ${itemKey}：${loadError}`} />
        <Button onClick={onBack} style={{ marginTop: 16 }}>
          返回列表
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
            aria-label="返回列表"
            onClick={() => {
              if (!dirty) return onBack();
              modal.confirm({
                title: '有未保存的修改',
                content: '离开后，未保存的修改将丢失。',
                okText: '不保存，离开',
                cancelText: '留在这里',
                onOk: onBack,
              });
            }}
          />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="item-title">
            {meta.nameZh}
          </Typography.Title>
          <Tag>{itemKey}</Tag>
          <Tag>草稿版本 {draft.version}</Tag>
          {draft.publishedVersion ? <Tag color="green">已发布 v{draft.publishedVersion}</Tag> : <Tag>未发布</Tag>}
          {dirty && <Tag color="orange">有未保存的修改</Tag>}
        </Space>
        <Space wrap>
          <Button
            icon={<SaveOutlined />}
            onClick={onSave}
            loading={busy === 'save'}
            disabled={!dirty}
            data-testid="save"
          >
            保存草稿
          </Button>
          <Button
            icon={<CheckCircleOutlined />}
            onClick={onValidate}
            loading={busy === 'validate'}
            data-testid="validate"
          >
            校验
          </Button>
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            onClick={onPublish}
            loading={busy === 'publish'}
            data-testid="publish"
          >
            发布
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
              关闭
            </Button>
          }
        >
          {problems.length === 0 ? (
            <Alert type="success" showIcon message="没有发现问题" />
          ) : (
            <List
              size="small"
              dataSource={problems}
              renderItem={(p) => (
                <List.Item className="mf-problem-row" onClick={() => goTo(p)}>
                  <Space>
                    <Tag color={p.path.startsWith('bpmn:') ? 'purple' : 'blue'}>
                      {p.path.startsWith('bpmn:') ? `流程 ${p.path.slice(5)}` : `表单 ${p.path}`}
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
            label: '基本信息',
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
            label: '申请表单',
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
            label: '审批流程',
            forceRender: true,
            children: (
              <>
                {flowError && <Alert type="warning" showIcon message={flowError} style={{ marginBottom: 8 }} />}
                <FlowModeler
                  ref={flow}
                  xml={xml}
                  fields={fields}
                  taskForms={Object.keys(draft.taskForms ?? {})}
                  onChange={() => setDirty(true)}
                  onError={setFlowError}
                />
              </>
            ),
          },
        ]}
      />
    </div>
  );
}

function BasicInfo({ meta, onChange }: { meta: Meta; onChange(m: Meta): void }) {
  return (
    <Card size="small" style={{ maxWidth: 720 }}>
      <Form layout="vertical">
        <Form.Item label="事项名称（中文）" required>
          <Input value={meta.nameZh} onChange={(e) => onChange({ ...meta, nameZh: e.target.value })} />
        </Form.Item>
        <Form.Item label="事项名称（英文，可选）">
          <Input value={meta.nameEn} onChange={(e) => onChange({ ...meta, nameEn: e.target.value })} />
        </Form.Item>
        <Form.Item label="类别">
          <Select
            options={CATEGORY_OPTIONS}
            value={meta.category}
            onChange={(category) => onChange({ ...meta, category })}
          />
        </Form.Item>
        <Form.Item label="事项说明（申请人可见）">
          <Input.TextArea
            autoSize={{ minRows: 3 }}
            value={meta.description}
            onChange={(e) => onChange({ ...meta, description: e.target.value })}
          />
        </Form.Item>
        <Form.Item label="哪些层级可以受理申请">
          <Checkbox.Group
            options={LEVEL_OPTIONS}
            value={meta.startLevels}
            onChange={(v) => onChange({ ...meta, startLevels: v as string[] })}
          />
        </Form.Item>
      </Form>
    </Card>
  );
}

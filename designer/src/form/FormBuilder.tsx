import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { formStringTranslator } from '@minflow/sdk/rjsf-translate';
import Form from '@rjsf/antd';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import {
  Alert,
  Form as AntForm,
  Button,
  Card,
  Empty,
  Input,
  InputNumber,
  List,
  Radio,
  Select,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { Component, type ReactNode, useEffect, useMemo, useState } from 'react';
import {
  addField,
  type Condition,
  type FieldEntry,
  type FieldLoc,
  type FormState,
  getField,
  type Json,
  kindLabel,
  listFields,
  locId,
  moveField,
  PALETTE,
  patchSchema,
  patchUi,
  removeField,
  renameField,
  setCondition,
  setRequired,
} from './model';
import { previewValidator } from './validator';

// The designer is Chinese-only for now: its preview uses rjsf's Chinese words.
const zhFormStrings = formStringTranslator('zh-CN');

export interface FormBuilderProps {
  form: FormState;
  onChange(form: FormState): void;
  selected: string | null;
  onSelect(id: string | null): void;
  /** Field ids with a problem from the engine's validation. */
  problemFields: Set<string>;
}

export function FormBuilder({ form, onChange, selected, onSelect, problemFields }: FormBuilderProps) {
  const fields = useMemo(() => listFields(form), [form]);
  const current = selected ? fields.find((f) => f.id === selected) : undefined;
  const targetContainer =
    current && (current.kind === 'section' || current.kind === 'group') && current.loc.cond === undefined
      ? current
      : undefined;

  const add = (kind: (typeof PALETTE)[number]['kind']) => {
    const { form: next, loc } = addField(form, kind, targetContainer ? targetContainer.loc.path : []);
    onChange(next);
    onSelect(locId(loc));
  };

  return (
    <div className="mf-builder">
      <Card size="small" title="字段类型" className="mf-palette" data-testid="palette">
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {targetContainer
            ? `点击添加到“${String(targetContainer.schema.title ?? targetContainer.name)}”中`
            : '点击添加到表单末尾'}
        </Typography.Paragraph>
        <Space wrap size={[6, 6]}>
          {PALETTE.map((p) => (
            <Button
              key={p.kind}
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add(p.kind)}
              data-testid={`add-${p.kind}`}
            >
              {p.label}
            </Button>
          ))}
        </Space>
      </Card>
      <Card size="small" title={`表单字段（${fields.length}）`} className="mf-fields" data-testid="field-list">
        {fields.length === 0 ? (
          <Empty description="还没有字段：从上方选择字段类型添加" />
        ) : (
          <List
            size="small"
            dataSource={fields}
            renderItem={(f) => (
              <FieldRow
                f={f}
                active={f.id === selected}
                problem={problemFields.has(f.id)}
                onSelect={() => onSelect(f.id)}
                onMove={(d) => onChange(moveField(form, f.loc, d))}
                onRemove={() => {
                  onChange(removeField(form, f.loc));
                  if (selected === f.id) onSelect(null);
                }}
              />
            )}
          />
        )}
      </Card>
      <Card size="small" title="字段属性" className="mf-props" data-testid="field-props">
        {current ? (
          <FieldProps
            key={current.id}
            form={form}
            field={current}
            fields={fields}
            onChange={onChange}
            onSelect={onSelect}
          />
        ) : (
          <Empty description="选择一个字段编辑它的属性" />
        )}
      </Card>
      <Card size="small" className="mf-preview">
        <Tabs
          size="small"
          items={[
            { key: 'preview', label: '预览', children: <Preview form={form} /> },
            { key: 'json', label: 'JSON', children: <JsonView form={form} onChange={onChange} /> },
          ]}
        />
      </Card>
    </div>
  );
}

function FieldRow({
  f,
  active,
  problem,
  onSelect,
  onMove,
  onRemove,
}: {
  f: FieldEntry;
  active: boolean;
  problem: boolean;
  onSelect(): void;
  onMove(delta: number): void;
  onRemove(): void;
}) {
  return (
    <List.Item
      className={`mf-field-row${active ? ' is-active' : ''}${problem ? ' has-problem' : ''}`}
      style={{ paddingLeft: 8 + f.depth * 20 }}
      onClick={onSelect}
      data-testid={`field-${f.id}`}
      actions={[
        <Button
          key="up"
          size="small"
          type="text"
          aria-label="上移"
          icon={<ArrowUpOutlined />}
          disabled={f.loc.cond !== undefined}
          onClick={(e) => {
            e.stopPropagation();
            onMove(-1);
          }}
        />,
        <Button
          key="down"
          size="small"
          type="text"
          aria-label="下移"
          icon={<ArrowDownOutlined />}
          disabled={f.loc.cond !== undefined}
          onClick={(e) => {
            e.stopPropagation();
            onMove(1);
          }}
        />,
        <Button
          key="rm"
          size="small"
          type="text"
          danger
          aria-label="删除"
          icon={<DeleteOutlined />}
          onClick={(e) => {
            e.stopPropagation();
            onRemove();
          }}
        />,
      ]}
    >
      <Space size={4} wrap>
        <span className="mf-field-title">{String(f.schema.title ?? f.name)}</span>
        {f.required && <span className="mf-required">*</span>}
        <Tag>{kindLabel(f.kind)}</Tag>
        {f.condition && <Tag color="blue">条件显示</Tag>}
        {problem && <Tag color="red">有问题</Tag>}
      </Space>
    </List.Item>
  );
}

function numberOrUndefined(v: number | string | null): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function FieldProps({
  form,
  field,
  fields,
  onChange,
  onSelect,
}: {
  form: FormState;
  field: FieldEntry;
  fields: FieldEntry[];
  onChange(form: FormState): void;
  onSelect(id: string | null): void;
}) {
  const s = field.schema;
  const [name, setName] = useState(field.name);
  const [nameError, setNameError] = useState<string | null>(null);
  const loc = field.loc;
  const patch = (p: Json) => onChange(patchSchema(form, loc, p));
  const isString = ['text', 'textarea'].includes(field.kind);
  const isNumber = ['number', 'money'].includes(field.kind);
  return (
    <AntForm layout="vertical" size="small">
      <AntForm.Item label="标题（中文）" required>
        <Input aria-label="标题" value={String(s.title ?? '')} onChange={(e) => patch({ title: e.target.value })} />
      </AntForm.Item>
      <AntForm.Item
        label="字段名（英文，流程条件中使用）"
        validateStatus={nameError ? 'error' : undefined}
        help={nameError ?? undefined}
      >
        <Input
          aria-label="字段名"
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => {
            const r = renameField(form, loc, name.trim());
            if (typeof r === 'string') setNameError(r);
            else {
              setNameError(null);
              onChange(r.form);
              onSelect(locId(r.loc));
            }
          }}
        />
      </AntForm.Item>
      {field.kind !== 'section' && (
        <AntForm.Item label="必填">
          <Switch aria-label="必填" checked={field.required} onChange={(v) => onChange(setRequired(form, loc, v))} />
        </AntForm.Item>
      )}
      <AntForm.Item label="填写说明">
        <Input
          aria-label="填写说明"
          value={String(field.ui['ui:help'] ?? '')}
          onChange={(e) => onChange(patchUi(form, loc, { 'ui:help': e.target.value }))}
        />
      </AntForm.Item>
      {isString && (
        <Space.Compact block>
          <AntForm.Item label="最少字数" style={{ flex: 1 }}>
            <InputNumber
              aria-label="最少字数"
              min={0}
              value={numberOrUndefined(s.minLength as number)}
              onChange={(v) => patch({ minLength: numberOrUndefined(v) })}
            />
          </AntForm.Item>
          <AntForm.Item label="最多字数" style={{ flex: 1 }}>
            <InputNumber
              aria-label="最多字数"
              min={1}
              value={numberOrUndefined(s.maxLength as number)}
              onChange={(v) => patch({ maxLength: numberOrUndefined(v) })}
            />
          </AntForm.Item>
        </Space.Compact>
      )}
      {field.kind === 'text' && (
        <AntForm.Item label="格式（正则表达式）">
          <Input
            aria-label="正则表达式"
            value={String(s.pattern ?? '')}
            placeholder="例如 ^[0-9]{6}$"
            onChange={(e) => patch({ pattern: e.target.value })}
          />
        </AntForm.Item>
      )}
      {isNumber && (
        <Space.Compact block>
          <AntForm.Item label="最小值" style={{ flex: 1 }}>
            <InputNumber
              aria-label="最小值"
              value={numberOrUndefined(s.minimum as number)}
              onChange={(v) => patch({ minimum: numberOrUndefined(v) })}
            />
          </AntForm.Item>
          <AntForm.Item label="最大值" style={{ flex: 1 }}>
            <InputNumber
              aria-label="最大值"
              value={numberOrUndefined(s.maximum as number)}
              onChange={(v) => patch({ maximum: numberOrUndefined(v) })}
            />
          </AntForm.Item>
        </Space.Compact>
      )}
      {field.kind === 'number' && (
        <AntForm.Item label="只能填整数">
          <Switch
            aria-label="只能填整数"
            checked={s.type === 'integer'}
            onChange={(v) => patch({ type: v ? 'integer' : 'number' })}
          />
        </AntForm.Item>
      )}
      {field.kind === 'select' && Array.isArray(s.oneOf) && (
        <OptionsEditor options={s.oneOf as Json[]} onChange={(oneOf) => patch({ oneOf })} />
      )}
      {field.kind === 'select' && !Array.isArray(s.oneOf) && (
        <Alert type="info" message="该字段的选项用 enum 定义，请在 JSON 视图中编辑" />
      )}
      {loc.path.length === 1 && field.kind !== 'section' && field.kind !== 'group' && (
        <ConditionProps
          field={field}
          fields={fields}
          onChange={(c) => {
            const r = setCondition(form, loc, c);
            onChange(r.form);
            onSelect(locId(r.loc));
          }}
        />
      )}
    </AntForm>
  );
}

function OptionsEditor({ options, onChange }: { options: Json[]; onChange(options: Json[]): void }) {
  const update = (i: number, p: Json) => onChange(options.map((o, j) => (i === j ? { ...o, ...p } : o)));
  return (
    <AntForm.Item label="选项（显示名称 / 保存的值）">
      {options.map((o, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place; the value itself may be edited
        <Space.Compact key={i} block style={{ marginBottom: 4 }}>
          <Input
            aria-label={`选项${i + 1}名称`}
            value={String(o.title ?? '')}
            onChange={(e) => update(i, { title: e.target.value })}
          />
          <Input
            aria-label={`选项${i + 1}的值`}
            value={String(o.const ?? '')}
            onChange={(e) => update(i, { const: e.target.value })}
          />
          <Button
            aria-label={`删除选项${i + 1}`}
            icon={<DeleteOutlined />}
            disabled={options.length <= 1}
            onClick={() => onChange(options.filter((_, j) => j !== i))}
          />
        </Space.Compact>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() =>
          onChange([...options, { const: `option${options.length + 1}`, title: `选项${options.length + 1}` }])
        }
      >
        添加选项
      </Button>
    </AntForm.Item>
  );
}

function ConditionProps({
  field,
  fields,
  onChange,
}: {
  field: FieldEntry;
  fields: FieldEntry[];
  onChange(c: Condition | null): void;
}) {
  const candidates = fields.filter(
    (f) =>
      f.loc.path.length === 1 &&
      f.loc.cond === undefined &&
      f.name !== field.name &&
      ['select', 'yesno', 'number', 'money'].includes(f.kind),
  );
  const [draft, setDraft] = useState<Partial<Condition>>(field.condition ?? {});
  useEffect(() => setDraft(field.condition ?? {}), [field.condition]);
  const on = Boolean(field.condition);
  const target = candidates.find((f) => f.name === draft.field);
  const commit = (c: Partial<Condition>) => {
    setDraft(c);
    if (c.field && c.op && c.value !== undefined && c.value !== '') onChange(c as Condition);
  };
  let valueInput: ReactNode = null;
  if (target?.kind === 'select') {
    const opts = ((target.schema.oneOf as Json[] | undefined) ?? []).map((o) => ({
      value: String(o.const),
      label: String(o.title ?? o.const),
    }));
    valueInput = (
      <Select
        aria-label="条件值"
        style={{ minWidth: 120 }}
        options={opts}
        value={draft.value as string}
        onChange={(v) => commit({ ...draft, op: 'eq', value: v })}
      />
    );
  } else if (target?.kind === 'yesno') {
    valueInput = (
      <Radio.Group
        aria-label="条件值"
        value={draft.value}
        onChange={(e) => commit({ ...draft, op: 'eq', value: e.target.value })}
        options={[
          { value: true, label: '是' },
          { value: false, label: '否' },
        ]}
      />
    );
  } else if (target) {
    valueInput = (
      <Space.Compact>
        <Select
          aria-label="比较方式"
          style={{ width: 80 }}
          value={draft.op ?? 'gt'}
          options={[
            { value: 'gt', label: '大于' },
            { value: 'eq', label: '等于' },
          ]}
          onChange={(op) => commit({ ...draft, op })}
        />
        <InputNumber
          aria-label="条件值"
          value={typeof draft.value === 'number' ? draft.value : undefined}
          onChange={(v) => commit({ ...draft, op: draft.op ?? 'gt', value: typeof v === 'number' ? v : undefined })}
        />
      </Space.Compact>
    );
  }
  return (
    <AntForm.Item label="按条件显示" extra="只在满足条件时显示并校验这个字段">
      <Switch
        aria-label="按条件显示"
        checked={on || Boolean(draft.field)}
        disabled={candidates.length === 0}
        onChange={(v) => {
          if (!v) {
            setDraft({});
            if (on) onChange(null);
          } else setDraft({ field: candidates[0]?.name });
        }}
      />
      {(on || draft.field) && (
        <Space direction="vertical" style={{ marginTop: 8, width: '100%' }}>
          <Select
            aria-label="条件字段"
            value={draft.field}
            options={candidates.map((f) => ({ value: f.name, label: String(f.schema.title ?? f.name) }))}
            onChange={(v) => setDraft({ field: v })}
          />
          {valueInput}
        </Space>
      )}
    </AntForm.Item>
  );
}

class PreviewBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: string | null; key: string }
> {
  override state = { error: null as string | null, key: this.props.resetKey };
  static getDerivedStateFromError(err: Error) {
    return { error: err.message };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  override render() {
    return this.state.error ? <Alert type="error" message={`预览失败：${this.state.error}`} /> : this.props.children;
  }
}

function Preview({ form }: { form: FormState }) {
  const [data, setData] = useState<Json>({});
  const key = useMemo(() => JSON.stringify(form), [form]);
  return (
    <PreviewBoundary resetKey={key}>
      <div data-testid="form-preview">
        <Form
          schema={form.schema as RJSFSchema}
          uiSchema={{ ...(form.uiSchema as UiSchema), 'ui:submitButtonOptions': { submitText: '试提交（校验）' } }}
          validator={previewValidator()}
          translateString={zhFormStrings}
          formData={data}
          onChange={(e) => setData((e.formData ?? {}) as Json)}
          showErrorList={false}
          noHtml5Validate
          liveValidate="onBlur"
          onSubmit={() => undefined}
          onError={() => undefined}
          // an if/then rule's own summary ("should match then") repeats the error shown at the field
          transformErrors={(errors) => errors.filter((e) => e.name !== 'if')}
        />
      </div>
    </PreviewBoundary>
  );
}

/** The schema and uiSchema as text; edits apply as soon as they are valid JSON with an object root. */
function JsonView({ form, onChange }: { form: FormState; onChange(form: FormState): void }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <JsonBox
        label="表单结构（JSON Schema）"
        testId="json-schema"
        value={form.schema}
        onChange={(schema) => onChange({ ...form, schema })}
        check={(v) => (v.type === 'object' ? null : '根节点须为 "type": "object"')}
      />
      <JsonBox
        label="显示设置（uiSchema）"
        testId="json-ui"
        value={form.uiSchema}
        onChange={(uiSchema) => onChange({ ...form, uiSchema })}
        check={() => null}
      />
    </Space>
  );
}

function JsonBox({
  label,
  testId,
  value,
  onChange,
  check,
}: {
  label: string;
  testId: string;
  value: Json;
  onChange(v: Json): void;
  check(v: Json): string | null;
}) {
  const formatted = useMemo(() => JSON.stringify(value, null, 2), [value]);
  const [text, setText] = useState(formatted);
  const [error, setError] = useState<string | null>(null);
  // the builder changed the form: show it, unless this box holds the same content being typed
  useEffect(() => {
    setText((t) => {
      try {
        if (JSON.stringify(JSON.parse(t)) === JSON.stringify(value)) return t;
      } catch {
        /* replaced below */
      }
      return formatted;
    });
    setError(null);
  }, [formatted, value]);
  return (
    <div>
      <Typography.Text strong>{label}</Typography.Text>
      <Input.TextArea
        data-testid={testId}
        aria-label={label}
        className="mf-json"
        value={text}
        autoSize={{ minRows: 6, maxRows: 24 }}
        spellCheck={false}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          try {
            const v = JSON.parse(t);
            if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('须为 JSON 对象');
            const problem = check(v);
            setError(problem);
            if (!problem) onChange(v);
          } catch (err) {
            setError(`JSON 格式错误：${(err as Error).message}`);
          }
        }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </div>
  );
}

export { type FieldLoc, getField };

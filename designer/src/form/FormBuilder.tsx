import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ADDRESS_FIELD, markAddressFields } from '@minflow/sdk/address';
import { ATTACHMENTS_FIELD, attachmentLimits, markAttachmentFields } from '@minflow/sdk/attachments';
import { CODE_LISTS, matchCodeList } from '@minflow/sdk/code-lists';
import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import { formStringTranslator } from '@minflow/sdk/rjsf-translate';
import Form from '@rjsf/antd';
import type { RJSFSchema, FieldProps as RjsfFieldProps, UiSchema } from '@rjsf/utils';
import {
  Alert,
  Form as AntForm,
  Button,
  Card,
  Checkbox,
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
import { langStore, translate, useI18n } from '../i18n';
import { AddressLevelProp, PreviewAddress } from './AddressField';
import {
  addField,
  applyCodeList,
  applyDrop,
  type Condition,
  FILE_TYPES,
  type FieldEntry,
  type FieldKind,
  type FieldLoc,
  type FormState,
  getField,
  type Json,
  kindLabel,
  LIST_END,
  listFields,
  locId,
  moveField,
  PALETTE,
  patchSchema,
  patchUi,
  readAddressLevel,
  readEnglish,
  readFileSettings,
  removeField,
  renameField,
  setAddressLevel,
  setCondition,
  setEnglish,
  setFileSettings,
  setRequired,
} from './model';
import { previewValidator } from './validator';

// The designer is Chinese-only for now: its preview uses rjsf's Chinese words.
const formStrings = { 'zh-CN': formStringTranslator('zh-CN'), en: formStringTranslator('en') };

export interface FormBuilderProps {
  form: FormState;
  onChange(form: FormState): void;
  selected: string | null;
  onSelect(id: string | null): void;
  /** Field ids with a problem from the engine's validation. */
  problemFields: Set<string>;
}

export function FormBuilder({ form, onChange, selected, onSelect, problemFields }: FormBuilderProps) {
  const { t, lang } = useI18n();
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

  // a pointer must move 5 px before a drag starts, so a click still adds or selects
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }));
  const [dragging, setDragging] = useState<string | null>(null);
  const onDragStart = (e: DragStartEvent) => setDragging(String(e.active.id));
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(null);
    const id = String(e.active.id);
    const active = id.startsWith(PALETTE_ID) ? { kind: id.slice(PALETTE_ID.length) as FieldKind } : { field: id };
    const r = applyDrop(form, active, e.over ? String(e.over.id) : null);
    if (!r) return;
    onChange(r.form);
    onSelect(locId(r.loc));
  };
  const draggingKind = dragging?.startsWith(PALETTE_ID) ? (dragging.slice(PALETTE_ID.length) as FieldKind) : null;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDragging(null)}
      accessibility={{
        screenReaderInstructions: {
          draggable: t(
            '用鼠标拖到字段列表中的位置；键盘请用添加、上移、下移按钮',
            'Drag with the mouse to a place in the field list; with the keyboard use the add and move buttons',
          ),
        },
        announcements: {
          onDragStart: ({ active }) => t('开始拖动 {id}', 'Picked up {id}', { id: String(active.id) }),
          onDragOver: ({ over }) => (over ? t('位于 {id}', 'Over {id}', { id: String(over.id) }) : undefined),
          onDragEnd: ({ over }) =>
            over ? t('放在 {id}', 'Dropped on {id}', { id: String(over.id) }) : t('已取消', 'Cancelled'),
          onDragCancel: () => t('已取消', 'Cancelled'),
        },
      }}
    >
      <div className="mf-builder">
        <Card size="small" title={t('字段类型', 'Field types')} className="mf-palette" data-testid="palette">
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {targetContainer
              ? t(
                  '点击添加到“{n}”中，或拖到字段列表中的位置',
                  'Click to add to "{n}", or drag to a place in the field list',
                  {
                    n: String(targetContainer.schema.title ?? targetContainer.name),
                  },
                )
              : t(
                  '点击添加到表单末尾，或拖到字段列表中的位置',
                  'Click to add at the end of the form, or drag to a place in the field list',
                )}
          </Typography.Paragraph>
          <Space wrap size={[6, 6]}>
            {PALETTE.map((p) => (
              <PaletteButton
                key={p.kind}
                kind={p.kind}
                label={lang === 'en' ? p.en : p.label}
                onAdd={() => add(p.kind)}
              />
            ))}
          </Space>
        </Card>
        <Card
          size="small"
          title={t('表单字段（{n}）', 'Fields ({n})', { n: fields.length })}
          className="mf-fields"
          data-testid="field-list"
        >
          {fields.length === 0 ? (
            <Empty
              description={t('还没有字段：从上方选择字段类型添加', 'No fields yet: add one from the field types above')}
            />
          ) : (
            <SortableContext items={fields.map((f) => f.id)} strategy={verticalListSortingStrategy}>
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
            </SortableContext>
          )}
          <ListEnd active={dragging !== null} />
        </Card>
        <Card size="small" title={t('字段属性', 'Field properties')} className="mf-props" data-testid="field-props">
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
            <Empty description={t('选择一个字段编辑它的属性', 'Select a field to edit its properties')} />
          )}
        </Card>
        <Card size="small" className="mf-preview">
          <Tabs
            size="small"
            items={[
              { key: 'preview', label: t('预览', 'Preview'), children: <Preview form={form} /> },
              { key: 'json', label: 'JSON', children: <JsonView form={form} onChange={onChange} /> },
            ]}
          />
        </Card>
      </div>
      <DragOverlay dropAnimation={null}>
        {draggingKind ? <Tag icon={<PlusOutlined />}>{kindLabel(draggingKind, lang)}</Tag> : null}
      </DragOverlay>
    </DndContext>
  );
}

const PALETTE_ID = 'palette:';

/** A palette entry: click to add, or drag onto the field list to place it. */
function PaletteButton({ kind, label, onAdd }: { kind: FieldKind; label: string; onAdd(): void }) {
  const { attributes, listeners, setNodeRef } = useDraggable({ id: PALETTE_ID + kind });
  return (
    <Button
      ref={setNodeRef}
      size="small"
      icon={<PlusOutlined />}
      onClick={onAdd}
      data-testid={`add-${kind}`}
      {...attributes}
      {...listeners}
    >
      {label}
    </Button>
  );
}

/** Drop here to place at the end (of the form, or of a moved field's own section). */
function ListEnd({ active }: { active: boolean }) {
  const { t } = useI18n();
  const { setNodeRef, isOver } = useDroppable({ id: LIST_END });
  return (
    <div
      ref={setNodeRef}
      className={`mf-drop-end${isOver ? ' is-over' : ''}`}
      data-testid="field-list-end"
      data-drop-target={isOver ? 'true' : undefined}
      style={{
        display: active ? 'block' : 'none',
        marginTop: 8,
        padding: 8,
        textAlign: 'center',
        fontSize: 12,
        border: `1px dashed ${isOver ? '#1677ff' : '#d9d9d9'}`,
        borderRadius: 6,
        color: isOver ? '#1677ff' : '#8c8c8c',
      }}
    >
      {t('拖到这里放在末尾', 'Drop here to place at the end')}
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
  const { t, lang } = useI18n();
  const conditional = f.loc.cond !== undefined;
  const { attributes, listeners, setNodeRef, transform, transition, isDragging, isOver } = useSortable({
    id: f.id,
    disabled: { draggable: conditional, droppable: false },
  });
  return (
    <List.Item
      ref={setNodeRef}
      className={`mf-field-row${active ? ' is-active' : ''}${problem ? ' has-problem' : ''}${isDragging ? ' is-dragging' : ''}${isOver && !isDragging ? ' is-drop-target' : ''}`}
      style={{
        paddingLeft: 8 + f.depth * 20,
        transform: CSS.Translate.toString(transform),
        transition,
        opacity: isDragging ? 0.5 : undefined,
      }}
      onClick={onSelect}
      data-testid={`field-${f.id}`}
      data-drop-target={isOver ? 'true' : undefined}
      actions={[
        <Button
          key="up"
          size="small"
          type="text"
          aria-label={t('上移', 'Move up')}
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
          aria-label={t('下移', 'Move down')}
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
          aria-label={t('删除', 'Remove')}
          icon={<DeleteOutlined />}
          onClick={(e) => {
            e.stopPropagation();
            onRemove();
          }}
        />,
      ]}
    >
      <Space size={4} wrap>
        {!conditional && (
          <span
            className="mf-drag-handle"
            title={t('拖动排序（或用上移/下移按钮）', 'Drag to reorder (or use the move buttons)')}
            {...attributes}
            {...listeners}
            tabIndex={-1}
            style={{ cursor: 'grab', color: '#8c8c8c', touchAction: 'none' }}
          >
            <HolderOutlined />
          </span>
        )}
        <span className="mf-field-title">{String(f.schema.title ?? f.name)}</span>
        {f.required && <span className="mf-required">*</span>}
        <Tag>{kindLabel(f.kind, lang)}</Tag>
        {f.condition && <Tag color="blue">{t('条件显示', 'Conditional')}</Tag>}
        {problem && <Tag color="red">{t('有问题', 'Problem')}</Tag>}
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
  const { t } = useI18n();
  const s = field.schema;
  const [name, setName] = useState(field.name);
  const [nameError, setNameError] = useState<string | null>(null);
  const loc = field.loc;
  const patch = (p: Json) => onChange(patchSchema(form, loc, p));
  const isString = ['text', 'textarea'].includes(field.kind);
  const isNumber = ['number', 'money'].includes(field.kind);
  const english = readEnglish(field);
  return (
    <AntForm layout="vertical" size="small">
      <AntForm.Item label={t('标题（中文）', 'Title (Chinese)')} required>
        <Input
          aria-label={t('标题', 'Title')}
          value={String(s.title ?? '')}
          onChange={(e) => patch({ title: e.target.value })}
        />
      </AntForm.Item>
      <AntForm.Item label={t('标题（英文）', 'Title (English)')}>
        <Input
          aria-label={t('标题（英文）', 'Title (English)')}
          value={english.title ?? ''}
          placeholder={t('英文界面显示，留空则显示中文', 'Shown in English; empty shows the Chinese')}
          onChange={(e) => onChange(setEnglish(form, loc, { title: e.target.value }))}
        />
      </AntForm.Item>
      <AntForm.Item
        label={t('字段名（英文，流程条件中使用）', 'Field name (used in flow conditions)')}
        validateStatus={nameError ? 'error' : undefined}
        help={nameError ?? undefined}
      >
        <Input
          aria-label={t('字段名', 'Field name')}
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
        <AntForm.Item label={t('必填', 'Required')}>
          <Switch
            aria-label={t('必填', 'Required')}
            checked={field.required}
            onChange={(v) => onChange(setRequired(form, loc, v))}
          />
        </AntForm.Item>
      )}
      <AntForm.Item label={t('填写说明', 'Help text')}>
        <Input
          aria-label={t('填写说明', 'Help text')}
          value={String(field.ui['ui:help'] ?? '')}
          onChange={(e) => onChange(patchUi(form, loc, { 'ui:help': e.target.value }))}
        />
      </AntForm.Item>
      <AntForm.Item label={t('填写说明（英文）', 'Help text (English)')}>
        <Input
          aria-label={t('填写说明（英文）', 'Help text (English)')}
          value={english.help ?? ''}
          onChange={(e) => onChange(setEnglish(form, loc, { help: e.target.value }))}
        />
      </AntForm.Item>
      {isString && (
        <Space.Compact block>
          <AntForm.Item label={t('最少字数', 'Min length')} style={{ flex: 1 }}>
            <InputNumber
              aria-label={t('最少字数', 'Min length')}
              min={0}
              value={numberOrUndefined(s.minLength as number)}
              onChange={(v) => patch({ minLength: numberOrUndefined(v) })}
            />
          </AntForm.Item>
          <AntForm.Item label={t('最多字数', 'Max length')} style={{ flex: 1 }}>
            <InputNumber
              aria-label={t('最多字数', 'Max length')}
              min={1}
              value={numberOrUndefined(s.maxLength as number)}
              onChange={(v) => patch({ maxLength: numberOrUndefined(v) })}
            />
          </AntForm.Item>
        </Space.Compact>
      )}
      {field.kind === 'text' && (
        <AntForm.Item label={t('格式（正则表达式）', 'Pattern (regular expression)')}>
          <Input
            aria-label={t('正则表达式', 'Pattern')}
            value={String(s.pattern ?? '')}
            placeholder={t('例如 ^[0-9]{6}$', 'e.g. ^[0-9]{6}$')}
            onChange={(e) => patch({ pattern: e.target.value })}
          />
        </AntForm.Item>
      )}
      {isNumber && (
        <Space.Compact block>
          <AntForm.Item label={t('最小值', 'Minimum')} style={{ flex: 1 }}>
            <InputNumber
              aria-label={t('最小值', 'Minimum')}
              value={numberOrUndefined(s.minimum as number)}
              onChange={(v) => patch({ minimum: numberOrUndefined(v) })}
            />
          </AntForm.Item>
          <AntForm.Item label={t('最大值', 'Maximum')} style={{ flex: 1 }}>
            <InputNumber
              aria-label={t('最大值', 'Maximum')}
              value={numberOrUndefined(s.maximum as number)}
              onChange={(v) => patch({ maximum: numberOrUndefined(v) })}
            />
          </AntForm.Item>
        </Space.Compact>
      )}
      {field.kind === 'number' && (
        <AntForm.Item label={t('只能填整数', 'Whole numbers only')}>
          <Switch
            aria-label={t('只能填整数', 'Whole numbers only')}
            checked={s.type === 'integer'}
            onChange={(v) => patch({ type: v ? 'integer' : 'number' })}
          />
        </AntForm.Item>
      )}
      {field.kind === 'file' && <FileProps form={form} field={field} onChange={onChange} />}
      {field.kind === 'address' && (
        <AddressLevelProp
          level={readAddressLevel(field)}
          onChange={(level) => onChange(setAddressLevel(form, loc, level))}
        />
      )}
      {field.kind === 'select' && (
        <CodeListPicker value={matchCodeList(s.oneOf)?.key} onPick={(key) => onChange(applyCodeList(form, loc, key))} />
      )}
      {field.kind === 'select' && Array.isArray(s.oneOf) && (
        <OptionsEditor options={s.oneOf as Json[]} onChange={(oneOf) => patch({ oneOf })} />
      )}
      {field.kind === 'select' && !Array.isArray(s.oneOf) && (
        <Alert
          type="info"
          message={t(
            '该字段的选项用 enum 定义，请在 JSON 视图中编辑',
            'This field lists its options with enum: edit them in the JSON view',
          )}
        />
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

/** An attachment field's limits, written where the engine's upload route and the runtime UI read them. */
function FileProps({ form, field, onChange }: { form: FormState; field: FieldEntry; onChange(form: FormState): void }) {
  const { t } = useI18n();
  const settings = readFileSettings(form, field);
  const set = (p: Parameters<typeof setFileSettings>[2]) => onChange(setFileSettings(form, field.loc, p));
  return (
    <>
      <AntForm.Item
        label={t('允许的文件类型', 'Allowed file types')}
        validateStatus={settings.types.length ? undefined : 'warning'}
        help={settings.types.length ? undefined : t('未选择时接受任何类型', 'Any type is accepted when none is chosen')}
      >
        <Checkbox.Group
          aria-label={t('允许的文件类型', 'Allowed file types')}
          value={settings.types}
          options={FILE_TYPES.map((f) => ({ value: f.type, label: f.label }))}
          onChange={(v) => set({ types: FILE_TYPES.map((f) => f.type).filter((x) => v.includes(x)) })}
        />
      </AntForm.Item>
      <Space.Compact block>
        <AntForm.Item label={t('单个文件上限（MB）', 'Max file size (MB)')} style={{ flex: 1 }}>
          <InputNumber
            aria-label={t('单个文件上限（MB）', 'Max file size (MB)')}
            min={0.1}
            max={100}
            step={1}
            value={settings.maxMB}
            onChange={(v) => typeof v === 'number' && v > 0 && set({ maxMB: v })}
          />
        </AntForm.Item>
        <AntForm.Item label={t('最多文件数', 'Max files')} style={{ flex: 1 }}>
          <InputNumber
            aria-label={t('最多文件数', 'Max files')}
            min={1}
            precision={0}
            value={settings.maxItems ?? undefined}
            onChange={(v) => set({ maxItems: typeof v === 'number' ? v : null })}
          />
        </AntForm.Item>
      </Space.Compact>
    </>
  );
}

/** Fills the options from one of the sdk's code lists (与户主关系, 健康状况, …); they stay editable below. */
function CodeListPicker({ value, onPick }: { value: string | undefined; onPick(key: string): void }) {
  const { t, lang } = useI18n();
  return (
    <AntForm.Item
      label={t('从代码表选择', 'Pick from a code list')}
      extra={t('选项按代码表填入，之后仍可修改', 'Fills the options from the list; they stay editable')}
    >
      <Select
        aria-label={t('从代码表选择', 'Pick from a code list')}
        data-testid="code-list"
        placeholder={t('选择代码表', 'Choose a code list')}
        value={value}
        onChange={onPick}
        options={CODE_LISTS.map((l) => ({
          value: l.key,
          label: `${lang === 'en' ? l.title.en : l.title.zh}（${l.options.length}）`,
        }))}
      />
    </AntForm.Item>
  );
}

function OptionsEditor({ options, onChange }: { options: Json[]; onChange(options: Json[]): void }) {
  const { t } = useI18n();
  const update = (i: number, p: Json) => onChange(options.map((o, j) => (i === j ? { ...o, ...p } : o)));
  return (
    <AntForm.Item label={t('选项（显示名称 / 保存的值）', 'Options (shown name / saved value)')}>
      {options.map((o, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place; the value itself may be edited
        <Space.Compact key={i} block style={{ marginBottom: 4 }}>
          <Input
            aria-label={t('选项{n}名称', 'Option {n} name', { n: i + 1 })}
            value={String(o.title ?? '')}
            onChange={(e) => update(i, { title: e.target.value })}
          />
          <Input
            aria-label={t('选项{n}的值', 'Option {n} value', { n: i + 1 })}
            value={String(o.const ?? '')}
            onChange={(e) => update(i, { const: e.target.value })}
          />
          <Button
            aria-label={t('删除选项{n}', 'Remove option {n}', { n: i + 1 })}
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
        {t('添加选项', 'Add an option')}
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
  const { t } = useI18n();
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
        aria-label={t('条件值', 'Condition value')}
        style={{ minWidth: 120 }}
        options={opts}
        value={draft.value as string}
        onChange={(v) => commit({ ...draft, op: 'eq', value: v })}
      />
    );
  } else if (target?.kind === 'yesno') {
    valueInput = (
      <Radio.Group
        aria-label={t('条件值', 'Condition value')}
        value={draft.value}
        onChange={(e) => commit({ ...draft, op: 'eq', value: e.target.value })}
        options={[
          { value: true, label: t('是', 'Yes') },
          { value: false, label: t('否', 'No') },
        ]}
      />
    );
  } else if (target) {
    valueInput = (
      <Space.Compact>
        <Select
          aria-label={t('比较方式', 'Comparison')}
          style={{ width: 80 }}
          value={draft.op ?? 'gt'}
          options={[
            { value: 'gt', label: t('大于', 'greater than') },
            { value: 'eq', label: t('等于', 'equal to') },
          ]}
          onChange={(op) => commit({ ...draft, op })}
        />
        <InputNumber
          aria-label={t('条件值', 'Condition value')}
          value={typeof draft.value === 'number' ? draft.value : undefined}
          onChange={(v) => commit({ ...draft, op: draft.op ?? 'gt', value: typeof v === 'number' ? v : undefined })}
        />
      </Space.Compact>
    );
  }
  return (
    <AntForm.Item
      label={t('按条件显示', 'Show on a condition')}
      extra={t('只在满足条件时显示并校验这个字段', 'Shown and checked only when the condition holds')}
    >
      <Switch
        aria-label={t('按条件显示', 'Show on a condition')}
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
            aria-label={t('条件字段', 'Condition field')}
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
    return this.state.error ? (
      <Alert
        type="error"
        message={translate(langStore.get(), '预览失败：{e}', 'Preview failed: {e}', { e: String(this.state.error) })}
      />
    ) : (
      this.props.children
    );
  }
}

function Preview({ form }: { form: FormState }) {
  const { t, lang } = useI18n();
  const [data, setData] = useState<Json>({});
  const key = useMemo(() => JSON.stringify(form), [form]);
  // the form as the applicant sees it in the designer's language (English texts from `ui:i18n`)
  const uiSchema = useMemo(() => localizeUiSchema(form.uiSchema, form.schema, lang), [form, lang]);
  return (
    <PreviewBoundary resetKey={key}>
      <div data-testid="form-preview">
        <Form
          schema={form.schema as RJSFSchema}
          fields={PREVIEW_FIELDS}
          uiSchema={{
            ...markAddressFields(form.schema, markAttachmentFields(form.schema, uiSchema as UiSchema)),
            'ui:submitButtonOptions': { submitText: t('试提交（校验）', 'Try submitting (check)') },
          }}
          validator={previewValidator()}
          translateString={formStrings[lang]}
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

/**
 * The preview's stand-in for the runtime UI's upload field (same key, `minflow-attachments`): the
 * applicant's upload button with the limits it applies; nothing is uploaded from the designer.
 */
function PreviewAttachments({ schema, uiSchema, registry, required }: RjsfFieldProps) {
  const { t } = useI18n();
  const limits = attachmentLimits(schema, registry.rootSchema, (uiSchema?.['ui:options'] ?? {}) as Json);
  const types = limits.accept.map((a) => FILE_TYPES.find((f) => f.type === a)?.label ?? a).join('/');
  const mb = Math.round((limits.maxSize / 1024 / 1024) * 100) / 100;
  return (
    <AntForm.Item
      label={String(uiSchema?.['ui:title'] ?? schema.title ?? '')}
      required={required}
      data-testid="preview-attachments"
    >
      <Space direction="vertical" size={2}>
        <Button size="small" icon={<PlusOutlined />} disabled>
          {t('上传文件', 'Upload files')}
        </Button>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {[
            types && t('类型：{v}', 'Types: {v}', { v: types }),
            t('单个不超过 {v} MB', 'Up to {v} MB each', { v: mb }),
            limits.maxItems !== null && t('最多 {v} 个', 'At most {v} files', { v: limits.maxItems }),
          ]
            .filter(Boolean)
            .join('；')}
        </Typography.Text>
      </Space>
    </AntForm.Item>
  );
}

const PREVIEW_FIELDS = { [ATTACHMENTS_FIELD]: PreviewAttachments, [ADDRESS_FIELD]: PreviewAddress };

/** The schema and uiSchema as text; edits apply as soon as they are valid JSON with an object root. */
function JsonView({ form, onChange }: { form: FormState; onChange(form: FormState): void }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <JsonBox
        label={t('表单结构（JSON Schema）', 'Form structure (JSON Schema)')}
        testId="json-schema"
        value={form.schema}
        onChange={(schema) => onChange({ ...form, schema })}
        check={(v) =>
          v.type === 'object' ? null : t('根节点须为 "type": "object"', 'The root must be "type": "object"')
        }
      />
      <JsonBox
        label={t('显示设置（uiSchema）', 'Display settings (uiSchema)')}
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

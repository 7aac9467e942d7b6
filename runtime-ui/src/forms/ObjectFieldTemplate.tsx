import {
  buttonId,
  canExpand,
  deepEquals,
  getTemplate,
  getUiOptions,
  type ObjectFieldTemplatePropertyType,
  type ObjectFieldTemplateProps,
  titleId,
} from '@rjsf/utils';
import { Col, ConfigProvider, Row } from 'antd';
import { memo, type ReactElement, startTransition, useContext, useEffect, useState } from 'react';

/**
 * One property of an object in its grid column. A keystroke re-renders every object on the typed field's path,
 * and @rjsf/antd's template then re-rendered the antd `Col` of every sibling property (each one reads the theme
 * and its CSS-in-JS style: a third of a keystroke's work in the largest form). Here a column is rendered again
 * only when its field's props changed, compared as rjsf compares a field's props (deeply, functions equal), so
 * an unchanged sibling costs one comparison and no rendering.
 */
const PropertyCol = memo(
  function PropertyCol({ span, content }: { span: number | undefined; content: ReactElement }) {
    return <Col span={span}>{content}</Col>;
  },
  (a, b) =>
    a.span === b.span &&
    a.content.type === b.content.type &&
    a.content.key === b.content.key &&
    deepEquals(a.content.props, b.content.props),
);

/** About one screen of fields: the groups of a form's top level holding them are rendered at once, the rest after. */
const FIRST_SCREEN_FIELDS = 12;

/** The input fields a property's schema holds (an object's leaves; a list of objects counts one entry). */
function fieldCount(schema: unknown): number {
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; items?: unknown } | undefined;
  if (s?.type === 'object' && s.properties)
    return Object.values(s.properties).reduce<number>((n, p) => n + fieldCount(p), 0);
  if (s?.type === 'array' && (s.items as { type?: unknown } | undefined)?.type === 'object') return fieldCount(s.items);
  return 1;
}

/** How many of the top-level properties make the first screen (at least one). */
function firstScreenCount(properties: ObjectFieldTemplatePropertyType[]): number {
  let fields = 0;
  for (let i = 0; i < properties.length; i++) {
    const content = properties[i].content as ReactElement<{ schema?: unknown }>;
    fields += fieldCount(content.props.schema);
    if (fields >= FIRST_SCREEN_FIELDS) return i + 1;
  }
  return properties.length;
}

/**
 * Whether the groups below the first screen may render yet: false for the form's first frame, then true in a
 * transition started after that frame is painted. A large form (the 低保 application: 8 groups, 50 fields) thus
 * shows its first screen in about half the time of the whole form, and the rest renders in slices that give way
 * to the clerk's first clicks and keys. Nested objects render everything at once.
 */
function useRestRevealed(deferring: boolean): boolean {
  const [revealed, setRevealed] = useState(!deferring);
  useEffect(() => {
    if (revealed) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // After the next frame: the first screen is painted before the rest starts.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setRevealed(true)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [revealed]);
  return revealed;
}

/**
 * @rjsf/antd's `ObjectFieldTemplate` with the same markup (fieldset, antd Row/Col grid, the same column spans),
 * and property columns that skip re-rendering when their field did not change (see `PropertyCol`).
 */
export function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const {
    disabled,
    formData,
    fieldPathId,
    onAddProperty,
    optionalDataControl,
    properties,
    readonly,
    required,
    registry,
    schema,
    title,
    uiSchema,
  } = props;
  const uiOptions = getUiOptions(uiSchema);
  const TitleFieldTemplate = getTemplate('TitleFieldTemplate', registry, uiOptions);
  const { formContext } = registry;
  const showOptionalDataControlInTitle = !readonly && !disabled;
  const {
    ButtonTemplates: { AddButton },
  } = registry.templates;
  const {
    colSpan = 24,
    labelAlign = 'right',
    rowGutter = 24,
  } = (formContext ?? {}) as {
    colSpan?: number | Record<string, number>;
    labelAlign?: string;
    rowGutter?: number;
  };
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const shown = properties.filter((e) => !e.hidden);
  const isRoot = fieldPathId.path.length === 0;
  const eager = isRoot ? firstScreenCount(shown) : shown.length;
  const restRevealed = useRestRevealed(eager < shown.length);

  const calculateColSpan = (element: ObjectFieldTemplatePropertyType): number | undefined => {
    const contentProps = (element.content as ReactElement<{ schema?: { type?: unknown }; uiSchema?: unknown }>).props;
    const type = contentProps.schema?.type;
    const elementOptions = getUiOptions(contentProps.uiSchema as never);
    const field = elementOptions.field;
    const widget = elementOptions.widget;
    const defaultColSpan =
      properties.length < 2 || type === 'object' || type === 'array' || widget === 'textarea' ? 24 : 12;
    if (typeof colSpan === 'object' && colSpan !== null) {
      if (typeof widget === 'string') return colSpan[widget];
      if (typeof field === 'string') return colSpan[field];
      if (typeof type === 'string') return colSpan[type];
    }
    if (typeof colSpan === 'number') return colSpan;
    return defaultColSpan;
  };

  const prefixCls = getPrefixCls('form');
  const labelClsBasic = `${prefixCls}-item-label`;
  const labelColClassName = labelAlign === 'left' ? `${labelClsBasic} ${labelClsBasic}-left` : labelClsBasic;
  return (
    <fieldset id={fieldPathId.$id}>
      <Row gutter={rowGutter}>
        {title && (
          <Col className={labelColClassName} span={24}>
            <TitleFieldTemplate
              id={titleId(fieldPathId)}
              title={title}
              required={required}
              schema={schema}
              uiSchema={uiSchema}
              registry={registry}
              optionalDataControl={showOptionalDataControlInTitle ? optionalDataControl : undefined}
            />
          </Col>
        )}
        {!showOptionalDataControlInTitle ? <Col span={24}>{optionalDataControl}</Col> : undefined}
        {(restRevealed ? shown : shown.slice(0, eager)).map((element) => (
          <PropertyCol key={element.name} span={calculateColSpan(element)} content={element.content} />
        ))}
        {!restRevealed && (
          // Holds the page's length (the submit button does not jump) until the rest is rendered.
          <Col span={24} className="mf-form-rest-pending" data-testid="form-rest-pending" aria-busy="true" />
        )}
      </Row>
      {canExpand(schema, uiSchema, formData) && (
        <Col span={24}>
          <Row gutter={rowGutter} justify="end">
            <Col flex="120px">
              <AddButton
                id={buttonId(fieldPathId, 'add')}
                className="rjsf-object-property-expand"
                disabled={disabled || readonly}
                onClick={onAddProperty}
                uiSchema={uiSchema}
                registry={registry}
              />
            </Col>
          </Row>
        </Col>
      )}
    </fieldset>
  );
}

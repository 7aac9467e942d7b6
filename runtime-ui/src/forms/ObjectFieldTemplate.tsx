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
import { memo, type ReactElement, useContext, useEffect, useRef, useState } from 'react';

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

/** The end of the run of properties from `from` holding about a screen of fields (at least one property). */
function screenEnd(properties: ObjectFieldTemplatePropertyType[], from = 0): number {
  let fields = 0;
  for (let i = from; i < properties.length; i++) {
    const content = properties[i].content as ReactElement<{ schema?: unknown }>;
    fields += fieldCount(content.props.schema);
    if (fields >= FIRST_SCREEN_FIELDS) return i + 1;
  }
  return properties.length;
}

/**
 * How many of the top-level groups are rendered: the first screen's for the form's first frame, then about a
 * screen more per task after that frame is painted, until all are. A large form (the 低保 application: 8 groups,
 * 50 fields) thus shows its first screen in about half the time of the whole form. A screen per render (not all
 * the rest in one transition) because a transition is thrown away and restarted by every keystroke: a clerk
 * typing right away would hold the rest of the form back until they paused. A committed part stays; a key waits
 * for one part's render at most, and only while the form is still appearing.
 */
function useGroupsShown(properties: ObjectFieldTemplatePropertyType[], deferring: boolean): number {
  const total = properties.length;
  const first = deferring ? screenEnd(properties) : total;
  const [shown, setShown] = useState(first);
  // The latest properties for the next step, without restarting its timer on every render (each keystroke).
  const latest = useRef(properties);
  latest.current = properties;
  useEffect(() => {
    if (shown >= total) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame: number | undefined;
    const next = () => {
      timer = setTimeout(() => setShown(screenEnd(latest.current, shown)));
    };
    // The first screen is painted before the next group starts; later groups follow task by task.
    if (shown === first) frame = requestAnimationFrame(next);
    else next();
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [shown, first, total]);
  return Math.max(shown, first);
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
  const groupsShown = useGroupsShown(shown, isRoot);

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
        {shown.slice(0, groupsShown).map((element) => (
          <PropertyCol key={element.name} span={calculateColSpan(element)} content={element.content} />
        ))}
        {groupsShown < shown.length && (
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

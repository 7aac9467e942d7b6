import { type FieldTemplateProps, getTemplate, getUiOptions } from '@rjsf/utils';
import { Form, Typography } from 'antd';
import { useMemo } from 'react';

const FULL_ROW = { span: 24 };

/**
 * @rjsf/antd's field frame, with one change a person notices: its own template shows a field's help
 * text *instead of* its errors ("出生日期由身份证号码自动计算" hiding "身份证号码校验位不正确"). Here the
 * error sits right under the field and the help below it, so both are read.
 */
export function FieldTemplate(props: FieldTemplateProps) {
  const {
    children,
    description,
    displayLabel,
    errors,
    help,
    rawHelp,
    hidden,
    id,
    label,
    rawErrors,
    rawDescription,
    registry,
    required,
    schema,
    uiSchema,
  } = props;
  const { colon, labelCol = FULL_ROW, wrapperCol = FULL_ROW, wrapperStyle } = registry.formContext ?? {};
  const uiOptions = getUiOptions(uiSchema);
  const WrapIfAdditionalTemplate = getTemplate('WrapIfAdditionalTemplate', registry, uiOptions);
  // The help text always sits in `extra`, the error alone in antd's `help` slot: swapping one node for
  // the other in that slot leaves antd's animated list showing the old entry in red.
  // The form's own (root) description is shown above the form by the page.
  const showDescription = Boolean(rawDescription) && id !== 'root';
  // The same node while the texts are the same: antd measures `extra`'s height (a forced layout of the page)
  // whenever it is a new node, which was on every keystroke in a field with help text (公民身份号码).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `description`/`help` render exactly these texts of this field
  const extra = useMemo(
    () =>
      showDescription || rawHelp ? (
        <>
          {showDescription ? description : null}
          {rawHelp ? help : null}
        </>
      ) : undefined,
    [id, showDescription, rawDescription, rawHelp],
  );
  if (hidden) return <div className="rjsf-field-hidden">{children}</div>;
  const hasErrors = Boolean(rawErrors?.length);
  // A group (an object, a list of objects: they show their own title) is not an antd Form.Item: a Form.Item
  // hands the Form.Items inside it a new context value on every render, so a keystroke, which re-renders the
  // groups on the typed field's path, re-rendered every field of the form (all 54 of the largest).
  if (!displayLabel && (schema.type === 'object' || schema.type === 'array')) {
    return (
      <WrapIfAdditionalTemplate {...props}>
        <div className="mf-field-group" style={wrapperStyle}>
          {children}
          {hasErrors && (
            <Typography.Text type="danger" className="mf-field-group-errors" role="alert">
              {errors}
            </Typography.Text>
          )}
          {extra && <div className="mf-field-group-extra">{extra}</div>}
        </div>
      </WrapIfAdditionalTemplate>
    );
  }
  return (
    <WrapIfAdditionalTemplate {...props}>
      <Form.Item
        colon={colon}
        hasFeedback={schema.type !== 'array' && schema.type !== 'object'}
        help={hasErrors ? errors : undefined}
        htmlFor={id}
        label={displayLabel && uiOptions.widget !== 'checkbox' && label}
        labelCol={labelCol}
        required={required}
        style={wrapperStyle}
        validateStatus={hasErrors ? 'error' : undefined}
        wrapperCol={wrapperCol}
        extra={extra}
      >
        {children}
      </Form.Item>
    </WrapIfAdditionalTemplate>
  );
}

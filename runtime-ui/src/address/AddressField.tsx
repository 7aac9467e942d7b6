import {
  type AddressValue,
  addressLevel,
  addressText,
  defaultRegionFor,
  type RegionUnit,
  regionFullName,
  regionOptions,
  regionPath,
} from '@minflow/sdk/address';
import type { FieldProps } from '@rjsf/utils';
import { Button, Cascader, Input, Spin, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { useAddressText } from './messages';
import { useRegions } from './regions';
import './address.css';

type Value = Partial<AddressValue> | undefined;

function errorsOf(errorSchema: unknown, key: string): string[] {
  const node = (errorSchema as Record<string, { __errors?: string[] }> | undefined)?.[key];
  return Array.isArray(node?.__errors) ? node.__errors : [];
}

/**
 * The rjsf field registered under `minflow-address` (`@minflow/sdk/address`): an antd Cascader over
 * the city's administrative divisions (县 → 乡镇 → 村, searchable by name) down to the level the
 * field asks for, and an input for the 门牌/组 detail. The value is `{ unitId, region, detail }`; the
 * region text shown here is recomputed by the engine from the tree when the form is filed. A person
 * whose own unit is at or below the level starts with their own village/township picked (required fields). Read-only,
 * the address is one line of text.
 */
export function AddressField(props: FieldProps<Value>) {
  const { schema, uiSchema, formData, onChange, fieldPathId, disabled, readonly, required, errorSchema } = props;
  const text = useAddressText();
  const level = addressLevel(uiSchema);
  const ownUnit = useAuth().user?.orgUnit?.id ?? null;
  const editable = !readonly && !disabled;
  const regions = useRegions();
  const units: RegionUnit[] = regions.status === 'ok' ? regions.units : [];
  const options = useMemo(() => regionOptions(units, level), [units, level]);
  const value: Value = formData && typeof formData === 'object' ? formData : undefined;
  const valueRef = useRef(value);
  valueRef.current = value;
  const id = fieldPathId.$id;
  // `ui:title` first: the English title of a form with `ui:i18n` arrives there (localizeUiSchema)
  const uiTitle = uiSchema?.['ui:title'];
  const title = typeof uiTitle === 'string' && uiTitle ? uiTitle : typeof schema.title === 'string' ? schema.title : '';
  const detailSchema = (schema.properties as Record<string, { title?: string; maxLength?: number }> | undefined)
    ?.detail;

  const emit = (next: Value) => {
    const clean = next && Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== ''));
    valueRef.current = clean && Object.keys(clean).length ? clean : undefined;
    onChange(valueRef.current, fieldPathId.path);
  };

  // Start where the person works: their own village (or township, for a township-level address). Only for a
  // required address: an optional one left alone stays empty rather than filed with a guess.
  const defaulted = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the regions have arrived
  useEffect(() => {
    if (defaulted.current || !editable || !required || !ownUnit || units.length === 0) return;
    defaulted.current = true;
    if (valueRef.current?.unitId) return;
    const own = defaultRegionFor(units, ownUnit, level);
    if (own) emit({ ...valueRef.current, unitId: own.id, region: regionFullName(units, own.id) });
  }, [units, editable, required, ownUnit, level]);

  const picked = value?.unitId
    ? regionPath(units, value.unitId)
        .filter((u) => u.level !== 'city')
        .map((u) => u.id)
    : [];
  const shown = addressText(
    value?.unitId ? { ...value, region: regionFullName(units, value.unitId) || value.region } : value,
  );

  if (!editable) {
    return (
      <div className="mf-address" data-testid={`address-${id}`}>
        {title && <div className="mf-address-title">{title}</div>}
        {shown ? (
          <span className="mf-address-text" data-testid="address-text">
            {shown}
          </span>
        ) : (
          <Typography.Text type="secondary">{text('none')}</Typography.Text>
        )}
      </div>
    );
  }

  const unitErrors = errorsOf(errorSchema, 'unitId');
  const detailErrors = errorsOf(errorSchema, 'detail');
  const placeholder = text('pick', { level: text(level) });
  return (
    <div className="mf-address" data-testid={`address-${id}`}>
      {title && (
        <div className={`mf-address-title${required ? ' mf-address-required' : ''}`} id={`${id}__title`}>
          {title}
        </div>
      )}
      <div className="mf-address-row">
        <div className="mf-address-region">
          {regions.status === 'error' ? (
            <Typography.Text type="danger" role="alert">
              {text('failed')}：{regions.message}{' '}
              <Button size="small" onClick={regions.retry}>
                {text('retry')}
              </Button>
            </Typography.Text>
          ) : (
            <Cascader
              id={`${id}_unitId`}
              data-testid="address-cascader"
              aria-labelledby={title ? `${id}__title` : undefined}
              aria-label={title ? undefined : placeholder}
              style={{ width: '100%' }}
              options={options}
              value={picked.length ? picked : undefined}
              placeholder={regions.status === 'loading' ? text('loading') : placeholder}
              notFoundContent={regions.status === 'loading' ? <Spin size="small" /> : undefined}
              status={unitErrors.length ? 'error' : undefined}
              classNames={{ popup: { root: 'mf-address-popup' } }}
              showSearch={{
                filter: (input, path) => path.some((o) => String(o.label).includes(input.trim())),
              }}
              onChange={(ids) => {
                const unitId = Array.isArray(ids) ? (ids.at(-1) as string | undefined) : undefined;
                emit({
                  ...valueRef.current,
                  unitId,
                  region: unitId ? regionFullName(units, unitId) : undefined,
                });
              }}
            />
          )}
          {unitErrors.map((e) => (
            <Typography.Text key={e} type="danger" className="mf-address-error" role="alert">
              {e}
            </Typography.Text>
          ))}
        </div>
        <div className="mf-address-detail">
          <Input
            id={`${id}_detail`}
            data-testid="address-detail"
            aria-label={detailSchema?.title ?? text('detail')}
            placeholder={detailSchema?.title ? `${detailSchema.title}（${text('detailPlaceholder')}）` : text('detail')}
            maxLength={detailSchema?.maxLength ?? 100}
            value={value?.detail ?? ''}
            status={detailErrors.length ? 'error' : undefined}
            onChange={(e) => emit({ ...valueRef.current, detail: e.target.value })}
          />
          {detailErrors.map((e) => (
            <Typography.Text key={e} type="danger" className="mf-address-error" role="alert">
              {e}
            </Typography.Text>
          ))}
        </div>
      </div>
    </div>
  );
}

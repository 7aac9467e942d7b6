import {
  ADDRESS_LEVEL_NAMES,
  ADDRESS_LEVELS,
  type AddressLevel,
  type AddressValue,
  addressLevel,
  type RegionUnit,
  regionFullName,
  regionOptions,
  regionPath,
} from '@minflow/sdk/address';
import type { FieldProps } from '@rjsf/utils';
import { Form as AntForm, Cascader, Input, Radio, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { request } from '../api';
import { useI18n } from '../i18n';

let pending: Promise<RegionUnit[]> | null = null;

/** The city's administrative divisions, from the route the runtime UI's picker uses (`GET /api/org-units/regions`). */
function loadRegions(): Promise<RegionUnit[]> {
  if (!pending) {
    pending = request<{ cityId: string; items: RegionUnit[] }>('/api/org-units/regions').then(
      (r) => r.items,
      (err) => {
        pending = null;
        throw err;
      },
    );
  }
  return pending;
}

function useRegions(): { units: RegionUnit[]; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ units: RegionUnit[]; error: string | null; loading: boolean }>({
    units: [],
    error: null,
    loading: true,
  });
  useEffect(() => {
    let live = true;
    loadRegions().then(
      (units) => live && setState({ units, error: null, loading: false }),
      (err: Error) => live && setState({ units: [], error: err.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

const levelName = (level: AddressLevel, lang: string) =>
  lang === 'en' ? ADDRESS_LEVEL_NAMES[level].en : ADDRESS_LEVEL_NAMES[level].zh;

/**
 * The preview of the `minflow-address` field, as the runtime UI shows it: a cascader over the city's
 * divisions down to the field's level (searchable) and the 门牌/组 input; a try-out in the designer.
 */
export function PreviewAddress(props: FieldProps<Partial<AddressValue> | undefined>) {
  const { schema, uiSchema, formData, onChange, fieldPathId, required } = props;
  const { t, lang } = useI18n();
  const level = addressLevel(uiSchema);
  const { units, error, loading } = useRegions();
  const options = useMemo(() => regionOptions(units, level), [units, level]);
  const value = formData && typeof formData === 'object' ? formData : undefined;
  const picked = value?.unitId
    ? regionPath(units, value.unitId)
        .filter((u) => u.level !== 'city')
        .map((u) => u.id)
    : undefined;
  const emit = (next: Partial<AddressValue>) => {
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== ''));
    onChange(Object.keys(clean).length ? (clean as Partial<AddressValue>) : undefined, fieldPathId.path);
  };
  const placeholder = t('请选择{l}', 'Choose the {l}', { l: levelName(level, lang) });
  return (
    <AntForm.Item label={String(schema.title ?? '')} required={required} data-testid="preview-address">
      <Cascader
        aria-label={placeholder}
        style={{ width: '100%', marginBottom: 8 }}
        options={options}
        value={picked}
        placeholder={loading ? t('正在加载行政区划…', 'Loading the divisions…') : placeholder}
        showSearch
        onChange={(ids) => {
          const unitId = Array.isArray(ids) ? (ids.at(-1) as string | undefined) : undefined;
          emit({ ...value, unitId, region: unitId ? regionFullName(units, unitId) : undefined });
        }}
      />
      <Input
        aria-label={t('详细地址', 'Street address')}
        placeholder={t('详细地址（门牌号、组等）', 'Street address (house number, group)')}
        maxLength={100}
        value={value?.detail ?? ''}
        onChange={(e) => emit({ ...value, detail: e.target.value })}
      />
      {error && (
        <Typography.Text type="danger">
          {t('行政区划加载失败：{e}', 'Could not load the divisions: {e}', { e: error })}
        </Typography.Text>
      )}
    </AntForm.Item>
  );
}

/** The properties panel's option of an address field: how deep the applicant must pick. */
export function AddressLevelProp({ level, onChange }: { level: AddressLevel; onChange(level: AddressLevel): void }) {
  const { t, lang } = useI18n();
  return (
    <AntForm.Item
      label={t('须选到哪一级', 'Pick down to')}
      extra={t(
        '申请人须在行政区划中选到这一级，服务端按同一规则校验',
        'The applicant must pick a unit at this level; the engine checks the same rule',
      )}
    >
      <Radio.Group
        aria-label={t('须选到哪一级', 'Pick down to')}
        data-testid="address-level"
        value={level}
        onChange={(e) => onChange(e.target.value as AddressLevel)}
        options={[...ADDRESS_LEVELS].reverse().map((l) => ({ value: l, label: levelName(l, lang) }))}
      />
    </AntForm.Item>
  );
}

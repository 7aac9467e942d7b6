import { Card, Descriptions } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { type ComputedDecl, computedRows } from './computed';

/**
 * 「核算结果」: the values the flow computed (item.json `computed`) that are present in the case's
 * variables, as the engine shows them to this person (masked ones are left out). Nothing when none is.
 */
export function ComputedCard({
  computed,
  variables,
}: {
  computed: ComputedDecl[] | undefined;
  variables: Record<string, unknown> | undefined;
}) {
  const { lang } = useI18n();
  const rows = useMemo(() => computedRows(computed, variables, lang), [computed, variables, lang]);
  if (rows.length === 0) return null;
  return (
    <Card
      title={lang === 'en' ? 'Computed results' : '核算结果'}
      className="mf-card"
      data-testid="computed-results"
      size="small"
    >
      <Descriptions
        size="small"
        column={1}
        items={rows.map((r) => ({
          key: r.path,
          label: r.title,
          children: <span data-testid={`computed-${r.path}`}>{r.text}</span>,
        }))}
      />
    </Card>
  );
}

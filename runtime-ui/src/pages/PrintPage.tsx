import { PrinterOutlined } from '@ant-design/icons';
import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import { Button, Result, Space } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { CaseDetail, HistoryEntry, ItemDetail } from '../api/types';
import { localized } from '../api/types';
import { actionLabel } from '../cases/CaseTimeline';
import { flattenForDisplay } from '../cases/display';
import { flowInfo } from '../cases/logic';
import { useUserNames } from '../cases/ui';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { PageLoading } from '../layout/PageLoading';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';
import './print.css';

/** The opinion a step gave: its comment, else the opinion field of its task form. */
function opinionOf(h: HistoryEntry): string {
  if (h.comment) return h.comment;
  const d = h.data ?? {};
  for (const k of ['opinion', 'comment', 'note', 'remark', 'remarks']) {
    if (typeof d[k] === 'string' && d[k]) return d[k] as string;
  }
  return '';
}

/**
 * /cases/:id/print — the approval form (审批表) on A4 as it is filed on paper: the application, each
 * step's opinion with who and when, and a signature line per step for the handwritten signature and seal.
 */
export default function PrintPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const nameOf = useUserNames();
  const loaded = useLoad(
    async (signal) => {
      const c = await api.get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, { signal });
      const q = c.definitionVersion ? `?version=${c.definitionVersion}` : '';
      const item = await api.get<ItemDetail>(`/api/items/${encodeURIComponent(c.itemKey)}${q}`, { signal });
      return { c, item };
    },
    [id],
  );
  const flow = useMemo(() => flowInfo(loaded.status === 'ok' ? loaded.data.item.bpmnXml : undefined), [loaded]);
  if (loaded.status === 'loading') return <PageLoading />;
  if (loaded.status === 'error')
    return loaded.error.status === 404 ? (
      <Result status="404" title={t('case.notFound')} />
    ) : (
      <ErrorState error={loaded.error} onRetry={loaded.reload} />
    );
  const { c, item } = loaded.data;
  const yesNo: [string, string] = [t('print.yes'), t('print.no')];
  // field titles in the interface language where the form has them (ui:i18n)
  const rows = flattenForDisplay(
    item.formSchema as never,
    c.data,
    yesNo,
    localizeUiSchema((item.uiSchema ?? {}) as never, item.formSchema as never, lang),
  );
  const title = t('print.title', { item: localized(c.itemName, lang) || localized(item.name, lang) });
  const opinions = (c.history ?? []).filter(
    (h) => (h.type === 'task.completed' || h.type === 'task.returned') && h.elementId,
  );
  const lastOf = (elementId: string) => [...opinions].reverse().find((h) => h.elementId === elementId);

  return (
    <div className="mf-print-page">
      <Space className="mf-print-toolbar">
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-button">
          {t('print.print')}
        </Button>
        <Link to={`/cases/${encodeURIComponent(c.id)}`}>{t('print.back')}</Link>
      </Space>
      <article className="mf-print-sheet" data-testid="print-sheet">
        <h1>{title}</h1>
        <div className="mf-print-meta">
          <span>
            {t('case.number')}：{c.id}
          </span>
          <span>
            {t('case.createdAt')}：{c.createdAt ? dayjs(c.createdAt).format('YYYY年M月D日') : ''}
          </span>
          <span>
            {t('case.status')}：{t(`status.${c.status}` as MessageKey)}
          </span>
        </div>
        <h2>{t('print.application')}</h2>
        <table className="mf-print-table">
          <tbody>
            {rows.map((r) => (
              <tr key={r.path.join('/')}>
                <th>{r.path.join(' / ')}</th>
                <td>{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('print.opinions')}</h2>
        <table className="mf-print-table mf-print-opinions">
          <tbody>
            {flow.userTasks.map((step) => {
              const h = lastOf(step);
              return (
                <tr key={step} data-testid="print-step">
                  <th>{flow.names[step] ?? step}</th>
                  <td>
                    <div className="mf-print-opinion">
                      {h ? (
                        <>
                          <strong>
                            {h.type === 'task.returned' ? t('action.return') : actionLabel(t, h.action, h.message)}
                          </strong>
                          {opinionOf(h) && <span>：{opinionOf(h)}</span>}
                        </>
                      ) : (
                        <span className="mf-print-blank" />
                      )}
                    </div>
                    <div className="mf-print-sign">
                      {h?.userId && (
                        <span>
                          {t('print.handler')}：{nameOf(h.userId)}
                        </span>
                      )}
                      <span>
                        {t('print.signature')}
                        <span className="mf-print-line" />
                      </span>
                      <span>{h ? dayjs(h.at).format('YYYY年M月D日') : t('print.date')}</span>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="mf-print-foot">{t('print.printedAt', { time: dayjs().format('YYYY-MM-DD HH:mm') })}</p>
      </article>
    </div>
  );
}

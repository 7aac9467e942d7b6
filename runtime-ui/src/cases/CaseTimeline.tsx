import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import { Button, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { HistoryEntry, ItemDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { displayValue, fieldTitle, flattenForDisplay, uiObj } from './display';
import type { FlowInfo } from './logic';
import { fmtTime, useUserNames } from './ui';

/** The entries a person cares about; timers, jobs and inbox bookkeeping stay in the audit log. */
const SHOWN = new Set([
  'case.started',
  'task.created',
  'task.claimed',
  'task.unclaimed',
  'task.completed',
  'task.returned',
  'task.recalled',
  'task.action',
  'task.overdue',
  'case.ended',
  'message.correlated',
  'incident.raised',
  'incident.resolved',
]);

const COLLAPSED = 30;

export function actionLabel(t: (k: MessageKey) => string, action: string | undefined, kind?: string): string {
  if (!action) return '';
  if (action === 'approve' && kind === 'correction') return t('action.approveCorrection');
  const key = `action.${action}` as MessageKey;
  return t(key) === key ? action : t(key);
}

function color(h: HistoryEntry): string {
  if (h.type === 'case.ended') return h.status === 'completed' ? 'green' : h.status === 'rejected' ? 'red' : 'gray';
  if (h.action === 'reject' || h.type === 'incident.raised' || h.type === 'task.overdue') return 'red';
  if (h.type === 'task.returned') return 'orange';
  if (h.type === 'task.completed') return 'green';
  if (h.type === 'task.created') return 'blue';
  return 'gray';
}

/** 办理记录: who did what when, with their comment, the task form they filled and the fields they changed. */
export function CaseTimeline({
  history,
  item,
  flow,
}: {
  history: HistoryEntry[];
  item: ItemDetail | null;
  flow: FlowInfo;
}) {
  const { t, lang } = useI18n();
  const nameOf = useUserNames();
  const [all, setAll] = useState(false);
  const yesNo: [string, string] = [t('print.yes'), t('print.no')];
  const shown = history.filter((h) => SHOWN.has(h.type));
  const list = all || shown.length <= COLLAPSED ? shown : shown.slice(-COLLAPSED);
  const formSchema = item?.formSchema as Parameters<typeof fieldTitle>[0];
  // The case form's field titles and option labels in the interface language (its `ui:i18n` texts).
  const caseUi = useMemo(
    () =>
      item?.uiSchema
        ? (localizeUiSchema(item.uiSchema as never, item.formSchema as never, lang) as Record<string, unknown>)
        : undefined,
    [item, lang],
  );
  // Which task form a step used: the first user task with that element id whose form is known.
  const taskFormOf = (elementId?: string) => {
    if (!elementId || !item?.taskForms) return undefined;
    const key = flow.forms[elementId];
    return key ? item.taskForms[key] : undefined;
  };

  const items = list.map((h) => {
    const step = h.elementId ? (flow.names[h.elementId] ?? h.elementId) : '';
    const typeKey = `history.${h.type}` as MessageKey;
    let what = t(typeKey);
    if (h.type === 'task.completed' || h.type === 'task.action') what = actionLabel(t, h.action, h.message);
    if (h.type === 'task.returned') what = h.to === 'applicant' ? t('history.toApplicant') : t('action.return');
    if (h.type === 'case.ended' && h.status)
      what = `${t('history.case.ended')}（${t(`status.${h.status}` as MessageKey)}）`;
    const who = h.userId
      ? nameOf(h.userId)
      : h.type === 'task.created' || h.type === 'case.started'
        ? ''
        : t('history.system');
    const to =
      h.to && h.type !== 'task.returned' ? (Array.isArray(h.to) ? h.to : [h.to]).map((u) => nameOf(u)).join('、') : '';
    const form = h.type === 'task.completed' ? taskFormOf(h.elementId) : undefined;
    const dataRows =
      h.data && Object.keys(h.data).length
        ? flattenForDisplay(
            form?.schema,
            h.data,
            yesNo,
            form?.uiSchema ? localizeUiSchema(form.uiSchema as never, form.schema as never, lang) : undefined,
          )
        : [];
    return {
      key: String(h.seq),
      color: color(h),
      content: (
        <div className="mf-tl-entry" data-testid="timeline-entry">
          <div>
            <Typography.Text strong>{what}</Typography.Text>
            {step && h.type !== 'case.started' && <span className="mf-tl-step">「{step}」</span>}
            {who && <span> · {who}</span>}
            {to && <span> · {t('history.to', { who: to })}</span>}
          </div>
          <div className="mf-muted">{fmtTime(h.at)}</div>
          {h.comment && <div className="mf-tl-comment">{h.comment}</div>}
          {dataRows.length > 0 && (
            <div className="mf-tl-data">
              {dataRows.map((r) => (
                <div key={r.path.join('/')}>
                  <span className="mf-muted">{r.path.join(' / ')}：</span>
                  {r.value}
                </div>
              ))}
            </div>
          )}
          {h.changes && h.changes.length > 0 && (
            <div className="mf-tl-data">
              {t('history.changed', {
                fields: h.changes.map((c) => fieldTitle(formSchema, c.field, caseUi)).join('、'),
              })}
              {h.changes.map((c) => {
                const sub = (formSchema as { properties?: Record<string, unknown> } | undefined)?.properties?.[c.field];
                const before = flattenForDisplay(sub as never, c.from, yesNo, uiObj(caseUi?.[c.field]));
                const after = flattenForDisplay(sub as never, c.to, yesNo, uiObj(caseUi?.[c.field]));
                const diff = after.filter(
                  (a) => !before.some((b) => b.path.join() === a.path.join() && b.value === a.value),
                );
                return diff.map((d) => {
                  const old = before.find((b) => b.path.join() === d.path.join());
                  return (
                    <div key={`${c.field}/${d.path.join('/')}`}>
                      <span className="mf-muted">
                        {[fieldTitle(formSchema, c.field, caseUi), ...d.path].join(' / ')}：
                      </span>
                      {old ? (
                        <>
                          <del>{old.value}</del> → {d.value}
                        </>
                      ) : (
                        d.value || displayValue(undefined, c.to, yesNo)
                      )}
                    </div>
                  );
                });
              })}
            </div>
          )}
        </div>
      ),
    };
  });

  return (
    <>
      {list.length < shown.length && (
        <Button type="link" onClick={() => setAll(true)} style={{ paddingInline: 0 }}>
          {t('history.showAll', { count: shown.length })}
        </Button>
      )}
      <Timeline items={items} data-testid="timeline" />
    </>
  );
}

import { ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Card,
  Grid,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tabs,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../api/client';
import type { ItemSummary, NoticeRow, Page, TaskInfo } from '../api/types';
import { localized } from '../api/types';
import { useUser } from '../auth/AuthProvider';
import { DueTag, fmtTime, useUserNames } from '../cases/ui';
import { useI18n } from '../i18n/I18nProvider';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';
import './inbox.css';

type Box = 'todo' | 'done' | 'cc';
type Row = TaskInfo | NoticeRow;
const PAGE = 100;
/** Start loading the next page this many pixels before the end of the list. */
const PREFETCH_PX = 600;

interface Counts {
  todo: number;
  overdue: number;
  done: number;
  cc: number;
}

function isTask(r: Row): r is TaskInfo {
  return !('at' in r && 'by' in r);
}

/** Rows of one box, page by page from the server's cursor; a newer query drops older answers. */
function useTaskPages(box: Box, itemKey: string, overdue: boolean) {
  const [rows, setRows] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);
  const inFlight = useRef(false);

  const fetchPage = useCallback(
    async (after: string | null, gen: number) => {
      inFlight.current = true;
      setLoading(true);
      try {
        const q = new URLSearchParams({ box, limit: String(PAGE) });
        if (itemKey) q.set('itemKey', itemKey);
        if (overdue && box === 'todo') q.set('overdue', 'true');
        if (after) q.set('cursor', after);
        const page = await api.get<Page<Row>>(`/api/tasks?${q}`);
        if (gen !== generation.current) return;
        setRows((cur) => (after ? [...cur, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setDone(!page.nextCursor);
        setError(null);
      } catch (err) {
        if (gen !== generation.current) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'MINFLOW_UI_UNKNOWN', String(err)));
      } finally {
        if (gen === generation.current) {
          inFlight.current = false;
          setLoading(false);
        }
      }
    },
    [box, itemKey, overdue],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    setRows([]);
    setCursor(null);
    setDone(false);
    void fetchPage(null, generation.current);
  }, [fetchPage]);

  useEffect(() => {
    reload();
  }, [reload]);

  const more = useCallback(() => {
    if (inFlight.current || done || !cursor) return;
    void fetchPage(cursor, generation.current);
  }, [cursor, done, fetchPage]);

  return { rows, setRows, loading, done, error, reload, more };
}

/** /inbox — 待办 / 已办 / 抄送: the approver's list, newest deadline first, claim in place. */
export default function InboxPage() {
  const { t, lang } = useI18n();
  const me = useUser();
  const nameOf = useUserNames();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  // A table from 992 px up; below that (tablets, phones) a list of cards.
  const wide = screens.lg === true;
  const [params, setParams] = useSearchParams();
  const box = (['todo', 'done', 'cc'].includes(params.get('box') ?? '') ? params.get('box') : 'todo') as Box;
  const itemKey = params.get('item') ?? '';
  const overdue = params.get('overdue') === '1';
  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  const counts = useLoad((signal) => api.get<Counts>('/api/tasks/counts', { signal }), []);
  const items = useLoad((signal) => api.get<{ items: ItemSummary[] } | ItemSummary[]>('/api/items', { signal }), []);
  const itemOptions = useMemo(() => {
    if (items.status !== 'ok') return [];
    const list = Array.isArray(items.data) ? items.data : items.data.items;
    return list.map((i) => ({ value: i.key, label: localized(i.name, lang) }));
  }, [items, lang]);

  const { rows, setRows, loading, done, error, reload, more } = useTaskPages(box, itemKey, overdue);
  const [claiming, setClaiming] = useState<string | null>(null);
  const reloadAll = () => {
    reload();
    counts.reload();
  };

  const claim = async (task: TaskInfo) => {
    setClaiming(task.id);
    try {
      await api.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`);
      setRows((cur) => cur.map((r) => (r.id === task.id ? { ...r, assignee: me.id } : r)));
      message.success(t('inbox.claimOk'));
    } catch (err) {
      const e = err as ApiError;
      message.error(e.status === 409 ? t('task.conflict') : e.message);
      if (e.status === 409 || e.status === 404) reloadAll();
    } finally {
      setClaiming(null);
    }
  };

  const open = (r: Row) => {
    if (box === 'todo' && isTask(r))
      navigate(`/cases/${encodeURIComponent(r.caseId)}/tasks/${encodeURIComponent(r.id)}`);
    else navigate(`/cases/${encodeURIComponent(r.caseId)}`);
  };

  const now = Date.now();
  const itemName = (r: Row) => localized(r.itemName, lang) || r.itemKey || '';
  const actionCell = (r: Row) =>
    box === 'todo' && isTask(r) ? (
      <Space size={4} wrap>
        {!r.assignee && (
          <Button
            size="small"
            loading={claiming === r.id}
            onClick={(e) => {
              e.stopPropagation();
              void claim(r);
            }}
            data-testid="claim"
          >
            {t('inbox.claim')}
          </Button>
        )}
        <Button size="small" type="primary" onClick={() => open(r)} data-testid="open-task">
          {t('inbox.open')}
        </Button>
      </Space>
    ) : (
      <Button size="small" onClick={() => open(r)} data-testid="open-case">
        {t('inbox.view')}
      </Button>
    );
  const stepCell = (r: TaskInfo) => (
    <>
      {r.name ?? r.elementId}
      {r.kind === 'correction' && <span className="mf-inbox-flag">{t('inbox.correction')}</span>}
      {box === 'todo' && (
        <div className="mf-muted">
          {r.assignee === me.id
            ? t('inbox.mine')
            : r.assignee
              ? t('inbox.claimedBy', { name: nameOf(r.assignee) })
              : t('inbox.unclaimed')}
        </div>
      )}
    </>
  );

  const columns: TableColumnsType<Row> = wide
    ? box === 'cc'
      ? [
          { key: 'item', title: t('inbox.colItem'), width: 220, render: (_, r) => itemName(r) },
          { key: 'by', title: t('inbox.colBy'), width: 200, render: (_, r) => nameOf((r as NoticeRow).by) },
          { key: 'at', title: t('inbox.colReceived'), width: 170, render: (_, r) => fmtTime((r as NoticeRow).at) },
          { key: 'action', title: t('inbox.colAction'), width: 150, render: (_, r) => actionCell(r) },
        ]
      : [
          { key: 'item', title: t('inbox.colItem'), width: 180, render: (_, r) => itemName(r) },
          {
            key: 'applicant',
            title: t('inbox.colApplicant'),
            width: 110,
            render: (_, r) => (r as TaskInfo).applicantName ?? '',
          },
          { key: 'step', title: t('inbox.colStep'), width: 200, render: (_, r) => stepCell(r as TaskInfo) },
          box === 'todo'
            ? {
                key: 'due',
                title: t('inbox.colDue'),
                width: 180,
                render: (_, r) => <DueTag dueAt={(r as TaskInfo).dueAt} now={now} />,
              }
            : {
                key: 'closed',
                title: t('inbox.colClosed'),
                width: 170,
                render: (_, r) => fmtTime((r as TaskInfo).closedAt),
              },
          {
            key: 'received',
            title: t('inbox.colReceived'),
            width: 140,
            render: (_, r) => fmtTime((r as TaskInfo).createdAt),
          },
          { key: 'action', title: t('inbox.colAction'), width: 140, render: (_, r) => actionCell(r) },
        ]
    : [
        {
          key: 'card',
          render: (_, r) => (
            <div className="mf-inbox-card" data-testid="inbox-card">
              <div className="mf-inbox-card-head">
                <Typography.Text strong>{itemName(r)}</Typography.Text>
                {isTask(r) && box === 'todo' && <DueTag dueAt={r.dueAt} now={now} />}
              </div>
              {isTask(r) ? (
                <div className="mf-inbox-card-body">
                  {r.applicantName && <span>{r.applicantName} · </span>}
                  {stepCell(r)}
                </div>
              ) : (
                <div className="mf-inbox-card-body mf-muted">
                  {nameOf(r.by)} · {fmtTime(r.at)}
                </div>
              )}
              <div className="mf-inbox-card-actions">{actionCell(r)}</div>
            </div>
          ),
        },
      ];

  // The list fills the window below the filters; only the rows in view are rendered (10,000 stay smooth).
  const [height, setHeight] = useState(() => Math.max(320, window.innerHeight - (wide ? 300 : 260)));
  useEffect(() => {
    const onResize = () => setHeight(Math.max(320, window.innerHeight - (wide ? 300 : 260)));
    onResize();
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [wide]);
  const tableWidth = wide ? columns.reduce((s, c) => s + Number(c.width ?? 0), 0) : undefined;

  const onScroll = (e: React.UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < PREFETCH_PX) more();
  };

  const c = counts.status === 'ok' ? counts.data : null;
  const tabLabel = (label: string, n: number | undefined, danger = false) => (
    <span>
      {label}
      {n !== undefined && n > 0 && (
        <Badge count={n} overflowCount={9999} style={{ marginInlineStart: 6 }} color={danger ? '#cf1322' : '#1677ff'} />
      )}
    </span>
  );
  const empty = box === 'todo' ? t('inbox.emptyTodo') : box === 'done' ? t('inbox.emptyDone') : t('inbox.emptyCc');

  return (
    <div className="mf-page">
      <Typography.Title level={3} className="mf-page-title">
        {t('inbox.title')}
      </Typography.Title>
      <Card size="small" className="mf-inbox">
        <Tabs
          activeKey={box}
          onChange={(k) => setParam('box', k === 'todo' ? null : k)}
          items={[
            { key: 'todo', label: tabLabel(t('inbox.tabTodo'), c?.todo, (c?.overdue ?? 0) > 0) },
            { key: 'done', label: tabLabel(t('inbox.tabDone'), undefined) },
            { key: 'cc', label: tabLabel(t('inbox.tabCc'), c?.cc) },
          ]}
          data-testid="inbox-tabs"
        />
        <div className="mf-inbox-filters">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('inbox.allItems')}
            value={itemKey || undefined}
            onChange={(v) => setParam('item', v ?? null)}
            options={itemOptions}
            style={{ minWidth: 180, flex: '1 1 180px', maxWidth: 320 }}
            data-testid="inbox-item-filter"
          />
          {box === 'todo' && (
            <label className="mf-inbox-switch" htmlFor="inbox-overdue">
              <Switch
                id="inbox-overdue"
                size="small"
                checked={overdue}
                onChange={(v) => setParam('overdue', v ? '1' : null)}
                data-testid="inbox-overdue"
              />
              <span>
                {t('inbox.overdueOnly')}
                {c && c.overdue > 0 ? `（${c.overdue}）` : ''}
              </span>
            </label>
          )}
          <Button icon={<ReloadOutlined />} onClick={reloadAll} style={{ marginInlineStart: 'auto' }}>
            {t('inbox.reload')}
          </Button>
        </div>
        {error && rows.length === 0 ? (
          <ErrorState error={error} onRetry={reload} />
        ) : (
          <Table<Row>
            virtual
            rowKey="id"
            size="middle"
            showHeader={wide}
            columns={columns}
            dataSource={rows}
            loading={loading && rows.length === 0}
            pagination={false}
            scroll={{ x: tableWidth, y: height }}
            onScroll={onScroll}
            onRow={(r) => ({ onDoubleClick: () => open(r) })}
            locale={{ emptyText: loading ? ' ' : empty }}
            data-testid="inbox-table"
          />
        )}
        <div className="mf-inbox-foot mf-muted" data-testid="inbox-foot">
          {rows.length > 0 &&
            (loading
              ? t('inbox.loadingMore')
              : done
                ? t('inbox.allLoaded', { count: rows.length })
                : t('inbox.shown', { count: rows.length }))}
        </div>
      </Card>
    </div>
  );
}

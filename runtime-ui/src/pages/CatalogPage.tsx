import { RightOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Input, Row, Tag, Typography } from 'antd';
import { useDeferredValue, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { type ItemSummary, localized } from '../api/types';
import { groupCatalog, type ItemHit } from '../catalog/search';
import { useI18n } from '../i18n/I18nProvider';
import { PageLoading } from '../layout/PageLoading';
import { ErrorState } from '../lib/ErrorState';
import { useLoad } from '../lib/useApi';
import './catalog.css';

function Highlighted({ text, indices }: { text: string; indices: number[] }) {
  if (indices.length === 0) return <>{text}</>;
  const marked = new Set(indices);
  return (
    <>
      {Array.from(text).map((ch, i) =>
        marked.has(i) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: characters of a fixed string
          <mark key={i} className="mf-hl">
            {ch}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: characters of a fixed string
          <span key={i}>{ch}</span>
        ),
      )}
    </>
  );
}

function ItemCard({ hit }: { hit: ItemHit }) {
  const { t, lang } = useI18n();
  const { item } = hit;
  const title = lang === 'en' && item.name.en ? item.name.en : item.name.zh;
  const description = localized(item.description, lang);
  return (
    <Link to={`/apply/${encodeURIComponent(item.key)}`} className="mf-item-link" data-testid={`item-${item.key}`}>
      <Card hoverable size="small" className="mf-item-card">
        <div className="mf-item-head">
          <span className="mf-item-name">
            {lang === 'en' && item.name.en ? title : <Highlighted text={item.name.zh} indices={hit.highlight} />}
          </span>
          {/* The whole card is the link; a button inside a link would be two controls in one. */}
          <span className="mf-item-go" aria-hidden="true">
            {t('catalog.start')} <RightOutlined />
          </span>
        </div>
        {lang === 'en' && item.name.en && <div className="mf-item-sub">{item.name.zh}</div>}
        {description && (
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '6px 0 0' }}>
            {description}
          </Typography.Paragraph>
        )}
      </Card>
    </Link>
  );
}

const EMPTY: ItemSummary[] = [];

/** Every page of `GET /api/items` (`{ items, nextCursor }`); a township has a few dozen items at most. */
async function loadCatalog(signal: AbortSignal): Promise<ItemSummary[]> {
  const all: ItemSummary[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 20; page++) {
    const qs = new URLSearchParams({ limit: '100' });
    if (cursor) qs.set('cursor', cursor);
    const res = await api.get<ItemSummary[] | { items: ItemSummary[]; nextCursor?: string | null }>(
      `/api/items?${qs.toString()}`,
      { signal },
    );
    if (Array.isArray(res)) return res;
    all.push(...(res.items ?? []));
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return all;
}

/** 一门受理: every published item the person may start, grouped by the five posts, searchable. */
export default function CatalogPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const deferredQuery = useDeferredValue(query);
  const items = useLoad(loadCatalog, []);
  const list = items.status === 'ok' ? items.data : EMPTY;
  const groups = useMemo(() => groupCatalog(list, deferredQuery, lang), [list, deferredQuery, lang]);
  const total = groups.reduce((n, g) => n + g.hits.length, 0);

  const setQuery = (q: string) => setParams(q ? { q } : {}, { replace: true });

  return (
    <div className="mf-page">
      <Typography.Title level={3} className="mf-page-title">
        {t('catalog.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('catalog.subtitle')}</Typography.Paragraph>
      <Input
        size="large"
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t('catalog.searchPlaceholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label={t('catalog.searchPlaceholder')}
        data-testid="catalog-search"
        style={{ marginBottom: 16 }}
        autoComplete="off"
      />
      {items.status === 'loading' && <PageLoading />}
      {items.status === 'error' && <ErrorState error={items.error} onRetry={items.reload} />}
      {items.status === 'ok' && list.length === 0 && <Empty description={t('catalog.empty')} />}
      {items.status === 'ok' && list.length > 0 && total === 0 && (
        <Empty description={t('catalog.noMatch', { query })}>
          <Button onClick={() => setQuery('')}>{t('catalog.clearSearch')}</Button>
        </Empty>
      )}
      {groups.map((g) => (
        <section key={g.category} className="mf-cat" aria-labelledby={`cat-${g.category}`}>
          <Typography.Title level={4} id={`cat-${g.category}`} className="mf-cat-title">
            {t(`category.${g.category}`)} <Tag>{t('catalog.count', { count: g.hits.length })}</Tag>
          </Typography.Title>
          <Row gutter={[12, 12]}>
            {g.hits.map((hit) => (
              <Col key={hit.item.key} xs={24} md={12} xl={8}>
                <ItemCard hit={hit} />
              </Col>
            ))}
          </Row>
        </section>
      ))}
    </div>
  );
}

import { Layout } from 'antd';
import { type ReactNode, Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { LangSwitch } from './LangSwitch';
import { PageLoading } from './PageLoading';
import './layout.css';

const { Header, Content } = Layout;

/** The frame for pages anyone may open (login, public notices): brand and language switch only. */
export function PublicLayout({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <Layout className="mf-shell">
      <Header className="mf-header">
        <Link to="/" className="mf-brand">
          {t('app.title')}
        </Link>
        <div className="mf-header-right">
          <LangSwitch light />
        </div>
      </Header>
      <Content id="main" className="mf-content">
        <Suspense fallback={<PageLoading />}>{children ?? <Outlet />}</Suspense>
      </Content>
    </Layout>
  );
}

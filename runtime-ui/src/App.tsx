import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { RequireAuth } from './auth/RequireAuth';
import { PageLoading } from './layout/PageLoading';
import { PublicLayout } from './layout/PublicLayout';

// The signed-in frame (menu, drawer, dropdown) is a chunk of its own, so the login page does not wait for
// it; its download starts at once, beside the session check, so a signed-in person does not wait either.
const loadAppLayout = () => import('./layout/AppLayout');
const AppLayout = lazy(loadAppLayout);
void loadAppLayout();
// Each page is its own chunk: the login page does not download the form renderer or the pinyin table.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const CatalogPage = lazy(() => import('./pages/CatalogPage'));
const ApplyPage = lazy(() => import('./pages/ApplyPage'));
const NoticesPage = lazy(() => import('./pages/NoticesPage'));
const InboxPage = lazy(() => import('./pages/InboxPage'));
const CaseListPage = lazy(() => import('./pages/CaseListPage'));
const CasePage = lazy(() => import('./pages/CasePage'));
const PersonsPage = lazy(() => import('./pages/PersonsPage'));
const PrintPage = lazy(() => import('./pages/PrintPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/** Public pages use the app frame when someone is signed in, the plain frame otherwise. */
function EitherLayout() {
  const { state } = useAuth();
  return state.status === 'authenticated' ? <AppLayout /> : <PublicLayout />;
}

export function App() {
  return (
    <Suspense fallback={<PageLoading />}>
      <Routes>
        <Route element={<PublicLayout />}>
          <Route path="login" element={<LoginPage />} />
        </Route>
        <Route element={<EitherLayout />}>
          <Route path="notices" element={<NoticesPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="catalog" element={<CatalogPage />} />
          <Route path="apply/:key" element={<ApplyPage />} />
          <Route path="inbox" element={<InboxPage />} />
          <Route path="cases" element={<CaseListPage />} />
          <Route path="cases/:id" element={<CasePage />} />
          <Route path="cases/:id/tasks/:taskId" element={<CasePage />} />
          <Route path="persons" element={<PersonsPage />} />
        </Route>
        {/* The A4 approval form: no menu or header around it. */}
        <Route
          path="cases/:id/print"
          element={
            <RequireAuth>
              <PrintPage />
            </RequireAuth>
          }
        />
      </Routes>
    </Suspense>
  );
}

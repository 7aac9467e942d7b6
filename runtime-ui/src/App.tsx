import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { RequireAuth } from './auth/RequireAuth';
import { AppLayout, PublicLayout } from './layout/AppLayout';

// Each page is its own chunk: the login page does not download the form renderer or the pinyin table.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const CatalogPage = lazy(() => import('./pages/CatalogPage'));
const ApplyPage = lazy(() => import('./pages/ApplyPage'));
const NoticesPage = lazy(() => import('./pages/NoticesPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/** Public pages use the app frame when someone is signed in, the plain frame otherwise. */
function EitherLayout() {
  const { state } = useAuth();
  return state.status === 'authenticated' ? <AppLayout /> : <PublicLayout />;
}

export function App() {
  return (
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
      </Route>
    </Routes>
  );
}

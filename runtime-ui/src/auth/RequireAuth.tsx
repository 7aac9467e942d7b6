import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageLoading } from '../layout/PageLoading';
import { useAuth } from './AuthProvider';
import { loginPath } from './redirect';

/** Routes behind it need a session; an anonymous visitor is sent to login and brought back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'anonymous' && state.loggedOut) return <Navigate to="/login" replace />;
  if (state.status === 'anonymous') {
    return (
      <Navigate to={loginPath(location.pathname + location.search, state.expired ? 'expired' : 'required')} replace />
    );
  }
  return children;
}

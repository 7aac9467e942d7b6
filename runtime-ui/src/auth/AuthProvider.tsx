import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, setUnauthorizedHandler } from '../api/client';
import { type CurrentUser, normaliseMe } from '../api/types';

type AuthState =
  | { status: 'loading'; user: null }
  /** `expired`: the session ended while working (idle timeout, logout elsewhere), not a first visit. */
  | { status: 'anonymous'; user: null; expired?: boolean; loggedOut?: boolean }
  | { status: 'authenticated'; user: CurrentUser };

interface AuthValue {
  state: AuthState;
  user: CurrentUser | null;
  login: (username: string, password: string) => Promise<CurrentUser>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);
const RECHECK_AFTER_MS = 60_000;

async function fetchMe(): Promise<CurrentUser | null> {
  try {
    return normaliseMe(await api.get<unknown>('/api/auth/me', { allowAnonymous: true }));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 404)) return null;
    throw err;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null });
  const statusRef = useRef(state.status);
  statusRef.current = state.status;

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      // A network failure on start is retried rather than treated as "logged out".
      for (let attempt = 0; ; attempt++) {
        try {
          const user = await fetchMe();
          if (!cancelled) setState(user ? { status: 'authenticated', user } : { status: 'anonymous', user: null });
          return;
        } catch {
          if (cancelled) return;
          await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** attempt, 10_000)));
        }
      }
    };
    void load();
    return () => {
      cancelled = true;
    };
  }, []);

  // Any 401 after login means the session ended (idle timeout, logout elsewhere): go to login and
  // come back to the same page afterwards. Drafts stay in localStorage, so nothing typed is lost.
  useEffect(() => {
    // RequireAuth does the redirect (with the page to come back to); navigating from here would race
    // with the router's own transition-scheduled location update.
    setUnauthorizedHandler(() => {
      if (statusRef.current !== 'authenticated') return;
      statusRef.current = 'anonymous';
      setState({ status: 'anonymous', user: null, expired: true });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  // Coming back to the tab after a break (lunch, a home visit): ask the server at once whether the
  // session is still alive, so an expired one leads to the login page now, not after typing a form.
  useEffect(() => {
    let last = Date.now();
    const recheck = () => {
      if (document.visibilityState !== 'visible' || statusRef.current !== 'authenticated') return;
      if (Date.now() - last < RECHECK_AFTER_MS) return;
      last = Date.now();
      api.get('/api/auth/me').catch(() => {
        // a 401 is handled by the unauthorized handler; a network error changes nothing
      });
    };
    document.addEventListener('visibilitychange', recheck);
    window.addEventListener('focus', recheck);
    return () => {
      document.removeEventListener('visibilitychange', recheck);
      window.removeEventListener('focus', recheck);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    await api.post('/api/auth/login', { username, password }, { allowAnonymous: true });
    const user = await fetchMe();
    if (!user) throw new ApiError(401, 'MINFLOW_UI_SESSION', 'session cookie was not accepted');
    setState({ status: 'authenticated', user });
    return user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout', {}, { allowAnonymous: true });
    } catch {
      // Logged out locally anyway; the session expires on the server by itself.
    }
    // RequireAuth sends the person to a plain login page (no "come back to" after a deliberate logout).
    setState({ status: 'anonymous', user: null, loggedOut: true });
  }, []);

  const value = useMemo<AuthValue>(() => ({ state, user: state.user, login, logout }), [state, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The signed-in user inside routes guarded by RequireAuth. */
export function useUser(): CurrentUser {
  const { user } = useAuth();
  if (!user) throw new Error('useUser outside RequireAuth');
  return user;
}

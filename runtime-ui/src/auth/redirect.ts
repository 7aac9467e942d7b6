export type LoginReason = 'expired' | 'required';

/** The login URL that brings the person back to `returnTo` afterwards. */
export function loginPath(returnTo: string, reason: LoginReason): string {
  const params = new URLSearchParams({ reason });
  if (returnTo && returnTo !== '/' && !returnTo.startsWith('/login')) params.set('next', returnTo);
  return `/login?${params.toString()}`;
}

/**
 * Where to go after login: only a path inside the app. Anything else ("//evil.example", "https://...",
 * "/\\evil") would make the login page an open redirect, so it falls back to home.
 */
export function safeNext(next: string | null | undefined): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  if (next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}

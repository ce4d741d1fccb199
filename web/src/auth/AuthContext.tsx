import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler, ApiError } from '../api/client';
import type { Me, Session } from '../api/types';
import { applyLang, storedLang } from '../i18n';

type AuthState =
  | { status: 'loading'; me: null }
  | { status: 'signed-out'; me: null }
  | { status: 'signed-in'; me: Me };

interface AuthApi {
  state: AuthState;
  signIn(username: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  /** Re-reads the session, e.g. after the password or profile changed. */
  refresh(): Promise<void>;
  setMe(me: Me): void;
}

const AuthContext = createContext<AuthApi | null>(null);

// A language chosen on this browser wins; otherwise the one saved in the user's profile.
function adoptProfileLang(me: Me): void {
  if (!storedLang()) applyLang(me.locale, false);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', me: null });

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    adoptProfileLang(session.user);
    setState({ status: 'signed-in', me: session.user });
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api.get<Session>('/api/auth/me', undefined, { allow401: true }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setCsrfToken(null);
        setState({ status: 'signed-out', me: null });
      } else {
        throw err;
      }
    }
  }, [accept]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState({ status: 'signed-out', me: null });
    });
    refresh().catch(() => setState({ status: 'signed-out', me: null }));
    return () => setUnauthorizedHandler(null);
  }, [refresh]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const session = await api.post<Session>(
        '/api/auth/sign-in',
        { username, password },
        { allow401: true },
      );
      accept(session);
      return session.user;
    },
    [accept],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post<void>('/api/auth/sign-out', undefined, { allow401: true });
    } finally {
      setCsrfToken(null);
      setState({ status: 'signed-out', me: null });
    }
  }, []);

  const setMe = useCallback((me: Me) => setState({ status: 'signed-in', me }), []);

  const value = useMemo(
    () => ({ state, signIn, signOut, refresh, setMe }),
    [state, signIn, signOut, refresh, setMe],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for pages rendered inside the signed-in layout. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useMe without a session');
  return state.me;
}

export function useCan(permission: string): boolean {
  const { state } = useAuth();
  return state.status === 'signed-in' && state.me.permissions.includes(permission);
}

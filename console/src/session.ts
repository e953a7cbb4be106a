import { useSyncExternalStore } from 'react';

/** What the console acts with: an access token of a staff member or admin, and how to renew it. */
export interface Session {
  accessToken: string;
  /** How a login's session is renewed; CONSOLE_AUTH=off asks /console/session for a new token instead. */
  refreshToken?: string;
  /** Who signed in, as typed; none with CONSOLE_AUTH=off. */
  email?: string;
  roles: string[];
}

interface State {
  session?: Session;
  /** Why the login form shows again (the session ended), for the form to say. */
  notice?: string;
}

/**
 * Kept in the tab's sessionStorage: a reload or a link opened in the same tab keeps the operator
 * signed in, another tab or a closed browser does not. A script of the page could read it; the
 * console's Content-Security-Policy admits no script but its own files, which is what keeps one out.
 */
const STORAGE_KEY = 'commerce-console.session';

function stored(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw === null ? undefined : (JSON.parse(raw) as Session);
  } catch {
    return undefined;
  }
}

let state: State = { session: stored() };
const listeners = new Set<() => void>();

function update(next: State): void {
  state = next;
  if (next.session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next.session));
  else sessionStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

export function currentSession(): Session | undefined {
  return state.session;
}

export function startSession(session: Session): void {
  update({ session });
}

/** Signs out, with a notice for the login form when the session ended by itself. */
export function endSession(notice?: string): void {
  update({ notice });
}

export function useSessionState(): State {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** The roles an access token names (its claims are readable, not secret; the API checks them anyway). */
export function rolesOf(accessToken: string): string[] {
  try {
    const payload = accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
  } catch {
    return [];
  }
}

/** The console is for staff and admins; the API refuses anyone else its data. */
export function isOperator(roles: readonly string[]): boolean {
  return roles.includes('staff') || roles.includes('admin');
}

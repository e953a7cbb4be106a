import { currentSession, endSession, rolesOf, startSession, type Session } from './session';

/** An answer other than 2xx, with the problem+json `detail` the service gave. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

interface TokenAnswer {
  accessToken: string;
  refreshToken?: string;
}

/** How /console/session says this console signs in. */
export type ConsoleSignIn = { login: 'required' } | ({ login: 'off' } & TokenAnswer);

async function errorOf(response: Response): Promise<ApiError> {
  let detail = `${response.status} ${response.statusText}`;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: unknown };
    if (typeof problem.detail === 'string') detail = problem.detail;
  }
  const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
  return new ApiError(response.status, detail, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

async function post<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

export function consoleSignIn(): Promise<ConsoleSignIn> {
  return post<ConsoleSignIn>('/console/session');
}

export async function logIn(email: string, password: string): Promise<Session> {
  const { accessToken, refreshToken } = await post<TokenAnswer>('/api/v1/auth/login', { email, password });
  return { accessToken, refreshToken, email, roles: rolesOf(accessToken) };
}

/** Ends the session at identity too, so its refresh token cannot be used again. */
export async function logOut(session: Session): Promise<void> {
  endSession();
  if (session.refreshToken === undefined) return;
  await fetch('/api/v1/auth/logout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: session.refreshToken }),
  });
}

/** A new access token for `session`: from its refresh token, or from /console/session with CONSOLE_AUTH=off. */
async function renewed(session: Session): Promise<Session | undefined> {
  try {
    if (session.refreshToken !== undefined) {
      const answer = await post<TokenAnswer>('/api/v1/auth/refresh', { refreshToken: session.refreshToken });
      return { ...session, ...answer, roles: rolesOf(answer.accessToken) };
    }
    const signIn = await consoleSignIn();
    return signIn.login === 'off' ? { accessToken: signIn.accessToken, roles: rolesOf(signIn.accessToken) } : undefined;
  } catch {
    return undefined;
  }
}

/** One renewal at a time: a refresh token is single use, and presenting it twice ends its session. */
let renewal: Promise<Session | undefined> | undefined;

async function renew(expired: Session): Promise<Session | undefined> {
  renewal ??= renewed(expired).finally(() => (renewal = undefined));
  const session = await renewal;
  if (session) startSession(session);
  else endSession('Your session has ended. Sign in again.');
  return session;
}

/**
 * A request with the session's access token. An expired token is renewed once and the request
 * sent again; if that fails too, the operator is asked to sign in again.
 */
async function authorized(path: string, init: RequestInit = {}): Promise<Response> {
  // no-store: the console shows what the service says now. A revalidated copy can be stale: a
  // product's ETag is its version, which its indexing status changes without moving.
  const send = (session: Session | undefined): Promise<Response> =>
    fetch(path, {
      ...init,
      cache: 'no-store',
      headers: { ...init.headers, ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}) },
    });
  const sentWith = currentSession();
  const response = await send(sentWith);
  if (response.status !== 401 || sentWith === undefined) return response;
  const latest = currentSession();
  // Another request renewed it meanwhile: use that token rather than the used-up refresh token.
  const session = latest !== undefined && latest.accessToken !== sentWith.accessToken ? latest : await renew(sentWith);
  return session ? send(session) : response;
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await authorized(path);
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** The body of a problem+json answer too, for probes (readiness) whose 503 says what is down. */
export async function getJsonAnyStatus<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await authorized(path);
  return { status: response.status, body: (await response.json()) as T };
}

export async function getText(path: string): Promise<string> {
  const response = await authorized(path);
  if (!response.ok) throw await errorOf(response);
  return response.text();
}

export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await authorized(path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** A query string of the parameters that have a value. */
export function query(parameters: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(parameters).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString()}`;
}

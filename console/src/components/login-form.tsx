import { type FormEvent, useState } from 'react';
import { ApiError, logIn, logOut } from '../api';
import { isOperator, startSession } from '../session';

function messageOf(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'The email or password is wrong.';
  if (error instanceof ApiError && error.status === 429) {
    return `Too many sign-in attempts. Try again in ${error.retryAfterSeconds ?? 60} seconds.`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Email and password, traded at identity for a session; only a staff member or an admin gets in. */
export function LoginForm({ notice }: { notice?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await logIn(email, password);
      if (isOperator(session.roles)) {
        startSession(session);
        return;
      }
      await logOut(session);
      setError('This account is neither staff nor an admin: the console is for them only.');
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="content" className="login">
      <h1>Sign in to the operations console</h1>
      <p className="muted">For staff and admins of the shop.</p>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} aria-describedby={error ? 'login-error' : undefined}>
        <label htmlFor="email">Email</label>
        <input id="email" type="email" autoComplete="username" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="login-error" role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

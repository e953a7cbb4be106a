import { useEffect, useState } from 'react';
import { consoleSignIn, logOut } from './api';
import { LoginForm } from './components/login-form';
import { BASE, Link, navigate, useLocation } from './navigation';
import { ChartsPage } from './pages/charts-page';
import { CatalogPage } from './pages/catalog-page';
import { DeadLettersPage } from './pages/dead-letters-page';
import { HealthPage } from './pages/health-page';
import { OrderPage } from './pages/order-page';
import { OrdersPage } from './pages/orders-page';
import { endSession, rolesOf, startSession, useSessionState } from './session';

const PAGES = [
  { path: '/orders', title: 'Orders' },
  { path: '/dead-letters', title: 'Dead letters' },
  { path: '/catalog', title: 'Catalog' },
  { path: '/health', title: 'Health' },
  { path: '/charts', title: 'Charts' },
] as const;

const ORDER_PATH = /^\/orders\/([0-9a-f-]{36})$/;

function Page({ path }: { path: string }) {
  const order = ORDER_PATH.exec(path);
  if (order) return <OrderPage key={order[1]} id={order[1]} />;
  switch (path) {
    case '/orders':
      return <OrdersPage />;
    case '/dead-letters':
      return <DeadLettersPage />;
    case '/catalog':
      return <CatalogPage />;
    case '/health':
      return <HealthPage />;
    case '/charts':
      return <ChartsPage />;
    default:
      return (
        <>
          <h1>Not found</h1>
          <p>
            The console has no page at this address. <Link to={`${BASE}/orders`}>Go to the orders</Link>.
          </p>
        </>
      );
  }
}

/** Learns from the service whether this console signs in (CONSOLE_AUTH), then shows the login or the pages. */
export function App() {
  const { session, notice } = useSessionState();
  const { path } = useLocation();
  const [loginMode, setLoginMode] = useState<'required' | 'off'>();
  const [startError, setStartError] = useState<string>();

  useEffect(() => {
    consoleSignIn().then(
      (answer) => {
        setLoginMode(answer.login);
        if (answer.login === 'off') startSession({ accessToken: answer.accessToken, roles: rolesOf(answer.accessToken) });
        // A token kept from CONSOLE_AUTH=off is no login: it has no refresh token to renew it with.
        else if (session?.refreshToken === undefined) endSession();
      },
      (error: Error) => setStartError(`The service did not answer: ${error.message}`),
    );
    // Once per page load: the answer does not change while the service runs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (path === '/') navigate(`${BASE}/orders`, { replace: true });
  }, [path]);

  useEffect(() => {
    const page = PAGES.find((candidate) => path.startsWith(candidate.path));
    document.title = `${page ? `${page.title} · ` : ''}Operations console · Commerce core`;
  }, [path]);

  if (startError) {
    return (
      <main id="content" className="login">
        <h1>Operations console</h1>
        <p role="alert" className="error">
          {startError}
        </p>
      </main>
    );
  }
  if (loginMode === undefined) return <p className="muted loading">Loading…</p>;
  if (!session) return <LoginForm notice={notice} />;

  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top">
        <p className="brand">Commerce · operations</p>
        <nav aria-label="Console">
          <ul>
            {PAGES.map((page) => (
              <li key={page.path}>
                <Link to={`${BASE}${page.path}`} aria-current={path === page.path || path.startsWith(`${page.path}/`) ? 'page' : undefined}>
                  {page.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {loginMode === 'off' ? (
            <span className="warning-text">No login (CONSOLE_AUTH=off): development only</span>
          ) : (
            <>
              <span>
                {session.email} ({session.roles.join(', ')})
              </span>
              <button type="button" className="secondary" onClick={() => void logOut(session)}>
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        <Page path={path} />
      </main>
    </>
  );
}

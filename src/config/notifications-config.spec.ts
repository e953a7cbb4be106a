import { EnvReader } from './app-config';
import { notificationsOf } from './notifications-config';

function read(env: Record<string, string>) {
  const reader = new EnvReader(env);
  return { config: notificationsOf(reader), problems: reader.problems };
}

describe(notificationsOf.name, () => {
  it('sends nothing and retries eight times by default', () => {
    const { config, problems } = read({});

    expect(problems).toEqual([]);
    expect(config).toMatchObject({ smtpUrl: undefined, maxAttempts: 8, smtpFrom: 'Commerce <no-reply@commerce.local>' });
  });

  it('takes an SMTP server as smtp://host:port', () => {
    const { config, problems } = read({ SMTP_URL: 'smtp://mailpit:1025', SMTP_FROM: 'Shop <shop@example.com>', NOTIFICATION_MAX_ATTEMPTS: '3' });

    expect(problems).toEqual([]);
    expect(config).toMatchObject({ smtpUrl: 'smtp://mailpit:1025', smtpFrom: 'Shop <shop@example.com>', maxAttempts: 3 });
  });

  it.each([
    [{ SMTP_URL: 'http://mailpit:1025' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mailpit' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://user:secret@mailpit:1025' }, 'SMTP_URL'],
    [{ SMTP_FROM: 'nobody' }, 'SMTP_FROM'],
    [{ NOTIFICATION_MAX_ATTEMPTS: '0' }, 'NOTIFICATION_MAX_ATTEMPTS'],
    [{ NOTIFICATION_MAX_ATTEMPTS: '101' }, 'NOTIFICATION_MAX_ATTEMPTS'],
    [{ SMTP_TIMEOUT_MS: '5' }, 'SMTP_TIMEOUT_MS'],
    [{ NOTIFICATION_RETRY_BASE_MS: '2000', NOTIFICATION_RETRY_MAX_MS: '1000' }, 'NOTIFICATION_RETRY_BASE_MS'],
  ])('refuses %j, naming %s', (env, name) => {
    const { problems } = read(env);

    expect(problems).toEqual([expect.stringContaining(name)]);
  });
});

import 'reflect-metadata';
import { runCommand, UsageError } from './command-line';

function option(argv: string[], name: string): string {
  const value = argv[argv.indexOf(name) + 1];
  if (!argv.includes(name) || value === undefined || value.startsWith('--')) throw new UsageError(`${name} is required`);
  return value;
}

const argv = process.argv.slice(2);

/**
 * `npm run user:create-admin -- --email E --password P`: the first admin, made on the configured
 * database before the service starts (on the embedded database it must not be running).
 * An existing account with that email is made an admin and keeps its password.
 */
runCommand(async (config) => {
  const email = option(argv, '--email');
  const password = option(argv, '--password');
  if (password.length < 10 || password.length > 128) throw new UsageError('--password must have 10 to 128 characters');
  if (!/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 254) throw new UsageError(`--email must be an email address (got "${email}")`);
  const { Logger } = await import('@nestjs/common');
  const { createCliContext } = await import('./cli-context');
  const { grantAdmin } = await import('./modules/identity');
  const app = await createCliContext({ ...config, http: false });
  try {
    const { user, created } = await grantAdmin(app, email, password);
    new Logger('CreateAdmin').log(created ? `created admin ${user.id}` : `user ${user.id} is now an admin; its password is unchanged`);
  } finally {
    await app.close();
  }
});

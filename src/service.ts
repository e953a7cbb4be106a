import './refuse-held-data-directory';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { describeFailpoints, failpoints } from '../libs/failpoints';
import { startTracing } from '../libs/observability';
import { threadsSizeTheirOwnYoungGeneration } from '../libs/startup';
import { createApp } from './bootstrap';
import { AppConfig, loadConfig } from './config/app-config';
import { exitOnStartupFailure } from './startup-failure';

/** Set once read, so a failure further on can be blamed on the setting behind it. */
let config: AppConfig | undefined;

async function main(): Promise<void> {
  threadsSizeTheirOwnYoungGeneration();
  config = loadConfig();
  // Before the application exists, so visits during its start count too.
  failpoints.arm(config.failpoints);
  const tracing = await startTracing(config.tracing);
  const app = await createApp(config);
  const logger = new Logger('Main');
  if (failpoints.armed) logger.warn(`FAILPOINTS armed: ${describeFailpoints(config.failpoints)}; this process will fail on purpose`);
  // Stop accepting, let in-flight requests and message deliveries finish, close the database,
  // then export the last spans.
  const { shutdownTimeoutMs } = config;
  const stop = (signal: NodeJS.Signals): void => {
    logger.log(`${signal}: stopping`);
    // A request or delivery that never ends must not keep a stopping process up until SIGKILL.
    setTimeout(() => {
      logger.error(`did not stop within ${shutdownTimeoutMs} ms (SHUTDOWN_TIMEOUT_MS): exiting with work unfinished`);
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    app
      .close()
      .then(() => tracing.shutdown())
      .then(() => {
        logger.log('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`unclean stop: ${String(error)}`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const role = `hosting ${config.modules.join(', ')}`;
  if (!config.http) {
    logger.log(`ready in ${Math.round(performance.now())} ms, ${role}, without HTTP`);
    return;
  }
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  logger.log(`ready in ${Math.round(performance.now())} ms at ${url}, ${role} (Swagger UI: ${url}/docs)`);
}

main().catch((error: unknown) => exitOnStartupFailure(error, config));

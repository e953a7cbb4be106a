import { optionsFromCommandLine, startProviderSimulator } from './simulators/providers';

/**
 * `npm run providers -- --port N`: the simulated card, PayPal, crypto, SMS and push providers as
 * one HTTP server (docs/providers-simulator.md). Prints its URL once listening; SIGTERM or SIGINT
 * stops it. A bad option is one line on stderr and exit status 1.
 */
async function main(): Promise<void> {
  const simulator = await startProviderSimulator(optionsFromCommandLine(process.argv.slice(2), process.env));
  process.stdout.write(`provider simulator listening on ${simulator.url} (seed ${simulator.seed})\n`);
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`provider simulator did not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { OnApplicationShutdown } from '@nestjs/common';
import { PAYMENT_PROVIDERS, RunningProviderSimulator, startProviderSimulator } from './simulators/providers';
import type { Behaviour } from './simulators/providers';

/**
 * The provider simulator a process hosting payments runs on a private port when
 * PAYMENT_PROVIDER_URL is unset: `npm start` needs nothing else, and payments still calls its
 * provider over HTTP. It starts when payments asks for its URL and stops in the application's last
 * shutdown phase, after the message deliveries that may call it have drained.
 */
export class HostedProviderSimulator implements OnApplicationShutdown {
  private running?: Promise<RunningProviderSimulator>;

  constructor(private readonly payments: Behaviour) {}

  async url(): Promise<string> {
    this.running ??= startProviderSimulator({
      host: '127.0.0.1',
      port: 0,
      providers: Object.fromEntries(PAYMENT_PROVIDERS.map((provider) => [provider, this.payments])),
    });
    return (await this.running).url;
  }

  async onApplicationShutdown(): Promise<void> {
    const running = await this.running?.catch(() => undefined);
    await running?.close();
  }
}

import { ConfigError, loadConfig } from '../../src/config/app-config';

describe('the SMS and push settings', () => {
  it('name the providers, and leave them unset by default', () => {
    expect(loadConfig({}).notifications).toMatchObject({ smsProviderUrl: undefined, pushProviderUrl: undefined, providerTimeoutMs: 5000 });
    const config = loadConfig({
      SMS_PROVIDER_URL: 'http://providers:4010',
      PUSH_PROVIDER_URL: 'https://push.example',
      NOTIFICATION_PROVIDER_TIMEOUT_MS: '2500',
    });
    expect(config.notifications).toMatchObject({
      smsProviderUrl: 'http://providers:4010',
      pushProviderUrl: 'https://push.example',
      providerTimeoutMs: 2500,
    });
  });

  it('stop the start naming each bad one', () => {
    const start = (): unknown => loadConfig({ SMS_PROVIDER_URL: 'smtp://mail:25', PUSH_PROVIDER_URL: 'push', NOTIFICATION_PROVIDER_TIMEOUT_MS: '0' });

    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/SMS_PROVIDER_URL must be a URL starting with http:\/\/ or https:\/\/.*PUSH_PROVIDER_URL.*NOTIFICATION_PROVIDER_TIMEOUT_MS/);
  });
});

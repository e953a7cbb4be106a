import { randomUUID } from 'node:crypto';
import { OutgoingNotification, SendFailedError } from '../../src/modules/notifications/application/ports/notification-sender';
import { MessagingProviderClient } from '../../src/modules/notifications/infrastructure/messaging-provider.client';
import { PushNotificationSender } from '../../src/modules/notifications/infrastructure/push-notification.sender';
import { SmsNotificationSender } from '../../src/modules/notifications/infrastructure/sms-notification.sender';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { freePort } from '../support/app-process';
import { newDevice, newPhone, ProviderControl } from './provider-control';

// Generous: a loaded CI machine must not turn a slow first answer into a timeout.
const TIMEOUT_MS = 2000;

function notification(recipient: string, deliveryKey = `notification-${randomUUID()}-0`): OutgoingNotification {
  return {
    notificationId: randomUUID(),
    deliveryKey,
    channel: 'sms',
    orderId: randomUUID(),
    customerId: randomUUID(),
    recipient,
    template: 'order-confirmed',
    subject: 'Order confirmed',
    body: 'Your order is confirmed.',
    html: '',
  };
}

describe('SMS and push senders against the providers', () => {
  let simulator: RunningProviderSimulator;
  let providers: ProviderControl;
  let sms: SmsNotificationSender;
  let push: PushNotificationSender;

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0, seed: 1 });
    providers = new ProviderControl(simulator.url);
    sms = new SmsNotificationSender(new MessagingProviderClient({ name: 'SMS provider', baseUrl: simulator.url, timeoutMs: TIMEOUT_MS }));
    push = new PushNotificationSender(new MessagingProviderClient({ name: 'push provider', baseUrl: simulator.url, timeoutMs: TIMEOUT_MS }));
  });

  afterEach(() => providers.restore());

  afterAll(() => simulator.close());

  it('texts the number once per delivery, however often it is sent, and again for a new delivery', async () => {
    const phone = newPhone();
    const first = notification(phone);

    await expect(sms.send(first)).resolves.toEqual({ sent: true });
    await expect(sms.send(first)).resolves.toEqual({ sent: true });
    expect(await providers.textsTo(phone)).toEqual([expect.objectContaining({ to: phone, body: 'Your order is confirmed.', status: 'queued' })]);

    await sms.send({ ...first, deliveryKey: first.deliveryKey.replace(/-0$/, '-1') });
    expect(await providers.textsTo(phone)).toHaveLength(2);
  });

  it('fails a send the provider turns away while out of service, to be retried', async () => {
    const phone = newPhone();
    await providers.behave({ provider: 'sms', failureRate: 1 });

    const failure = await sms.send(notification(phone)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SendFailedError);
    expect(failure).toMatchObject({ permanent: false, message: expect.stringContaining('503 service_unavailable') });
    expect(await providers.textsTo(phone)).toEqual([]);
  });

  it('gives up on a provider that does not answer in time, to be retried', async () => {
    await providers.behave({ provider: 'sms', latencyMs: TIMEOUT_MS * 3 });

    await expect(sms.send(notification(newPhone()))).rejects.toMatchObject({
      permanent: false,
      message: expect.stringContaining(`no answer within ${TIMEOUT_MS} ms`),
    });
  });

  it('fails a send to a provider nobody listens for, to be retried', async () => {
    const nowhere = new SmsNotificationSender(
      new MessagingProviderClient({ name: 'SMS provider', baseUrl: `http://127.0.0.1:${await freePort()}`, timeoutMs: TIMEOUT_MS }),
    );

    await expect(nowhere.send(notification(newPhone()))).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('could not be reached') });
  });

  it('fails for good a number no message reaches', async () => {
    await expect(sms.send(notification('+15005550009'))).rejects.toMatchObject({
      permanent: true,
      message: expect.stringContaining('400 unreachable_destination'),
    });
  });

  it('pushes to every device once per delivery, with the notice in its data', async () => {
    const devices = [newDevice(), newDevice()];
    const sent = { ...notification(devices.join(' ')), channel: 'push' as const };

    await expect(push.send(sent)).resolves.toEqual({ sent: true });
    await expect(push.send(sent)).resolves.toEqual({ sent: true });

    for (const token of devices) {
      expect(await providers.pushesTo(token)).toEqual([
        expect.objectContaining({ title: 'Order confirmed', body: 'Your order is confirmed.', data: { orderId: sent.orderId, notice: 'order-confirmed' } }),
      ]);
    }
  });

  it('counts a push sent when one device takes it, and failed for good when every device refuses it', async () => {
    const device = newDevice();

    await expect(push.send(notification(`device_unregistered ${device}`))).resolves.toEqual({ sent: true });
    expect(await providers.pushesTo(device)).toHaveLength(1);
    await expect(push.send(notification('device_unregistered'))).rejects.toMatchObject({
      permanent: true,
      message: expect.stringContaining('404 unregistered'),
    });
  });

  it('retries a push while the provider is out of service on any device', async () => {
    await providers.behave({ provider: 'push', failureRate: 1 });

    await expect(push.send(notification(`device_unregistered ${newDevice()}`))).rejects.toMatchObject({ permanent: false });
  });
});

import { randomInt, randomUUID } from 'node:crypto';

/** A message the simulated SMS or push provider received, as its control API lists it. */
export type ReceivedMessage = Record<string, unknown>;

/** A fresh German mobile number in E.164, so a test finds its own texts among all the provider received. */
export const newPhone = (): string => `+4915${String(randomInt(100_000_000)).padStart(9, '0')}`;
export const newDevice = (): string => `fcm:${randomUUID()}`;

/** The provider simulator's control API (docs/providers-simulator.md): its faults and what it received. */
export class ProviderControl {
  constructor(private readonly url: string) {}

  /** Sets the latency or failure rate of one provider; `restore` puts every provider back to neither. */
  async behave(change: { provider: 'sms' | 'push'; failureRate?: number; latencyMs?: number }): Promise<void> {
    await this.post(change);
  }

  async restore(): Promise<void> {
    await this.post({ failureRate: 0, latencyMs: 0 });
  }

  async textsTo(phone: string): Promise<ReceivedMessage[]> {
    return this.received(`sms/messages?to=${encodeURIComponent(phone)}`);
  }

  async pushesTo(token: string): Promise<ReceivedMessage[]> {
    return this.received(`push/messages?token=${encodeURIComponent(token)}`);
  }

  private async post(body: object): Promise<void> {
    const response = await fetch(`${this.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`the provider simulator refused ${JSON.stringify(body)}: ${response.status}`);
  }

  private async received(path: string): Promise<ReceivedMessage[]> {
    const response = await fetch(`${this.url}/control/${path}`);
    return ((await response.json()) as { data: ReceivedMessage[] }).data;
  }
}

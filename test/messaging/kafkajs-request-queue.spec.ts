/**
 * kafkajs' per-connection request queue as patched (scripts/patches/kafkajs+2.2.4.patch,
 * docs/decisions/0065). kafkajs 2.2.4 scheduled a check of its pending requests after every
 * answer, with nothing pending too, at a negative delay that Node runs after 1 ms and that Node 24
 * warns about (TimeoutNegativeWarning); each check scheduled the next, so every connection
 * checked an empty queue a thousand times a second for as long as it lived.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals are CommonJS modules without types */
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => Queue;
/* eslint-enable @typescript-eslint/no-require-imports */

interface Queue {
  throttledUntil: number;
  push(request: object): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
  checkPendingRequests(): void;
  destroy(): void;
}

const silent = { debug: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined };

function newQueue(): { queue: Queue; checks: () => number; sent: number[] } {
  const queue = new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, clientId: 'test', broker: '127.0.0.1:9092', logger: silent });
  const sent: number[] = [];
  const check = jest.spyOn(queue, 'checkPendingRequests');
  return { queue, checks: () => check.mock.calls.length, sent };
}

function request(correlationId: number, sent: number[]) {
  return {
    entry: { correlationId, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve: () => undefined, reject: () => undefined },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  };
}

describe("kafkajs' request queue", () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('schedules no check once an answer leaves nothing pending and nothing throttled', () => {
    const { queue, checks, sent } = newQueue();
    queue.push(request(1, sent));
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(sent).toEqual([1]);
    const afterAnswer = checks();
    jest.advanceTimersByTime(1_000);
    expect(checks()).toBe(afterAnswer);
    expect(jest.getTimerCount()).toBe(0);
    queue.destroy();
  });

  it('still sends a request enqueued while throttled once the throttle ends', () => {
    const { queue, sent } = newQueue();
    queue.throttledUntil = Date.now() + 100;
    queue.push(request(2, sent));
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(100);
    expect(sent).toEqual([2]);
    queue.destroy();
  });
});

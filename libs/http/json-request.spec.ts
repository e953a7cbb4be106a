import { once } from 'node:events';
import { createServer, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonRequestTimeoutError, requestJson } from './json-request';

describe('requestJson', () => {
  const servers: Server[] = [];

  async function serving(listener: RequestListener): Promise<URL> {
    const server = createServer(listener).listen(0, '127.0.0.1');
    servers.push(server);
    await once(server, 'listening');
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/things`);
  }

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends the method, headers and body, and answers the status with the JSON body', async () => {
    const url = await serving((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ method: request.method, key: request.headers['idempotency-key'], got: JSON.parse(body) }));
      });
    });

    const answer = await requestJson(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body: '{"a":1}', timeoutMs: 5000 });

    expect(answer).toEqual({ status: 201, body: { method: 'POST', key: 'k-1', got: { a: 1 } } });
  });

  it('answers an undefined body when the answer is not JSON', async () => {
    const url = await serving((_request, response) => response.writeHead(502).end('<html>bad gateway</html>'));
    expect(await requestJson(url, { method: 'GET', timeoutMs: 5000 })).toEqual({ status: 502, body: undefined });
  });

  it('times out when no answer comes', async () => {
    const url = await serving(() => undefined);
    await expect(requestJson(url, { method: 'GET', timeoutMs: 100 })).rejects.toBeInstanceOf(JsonRequestTimeoutError);
  });

  it('times out when the answer stalls halfway through its body', async () => {
    const url = await serving((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":');
    });
    await expect(requestJson(url, { method: 'GET', timeoutMs: 100 })).rejects.toBeInstanceOf(JsonRequestTimeoutError);
  });

  it('rejects with the connection error, not a timeout, when nothing listens', async () => {
    const url = await serving(() => undefined);
    const [server] = servers.splice(0);
    await new Promise((resolve) => server.close(resolve));
    await expect(requestJson(url, { method: 'GET', timeoutMs: 5000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});

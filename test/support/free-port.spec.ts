import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './free-port';

describe(freePort.name, () => {
  it('hands out ports below the ephemeral range that outgoing connections take theirs from, each free to listen on', async () => {
    const [ephemeralFrom] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralFrom);
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('never hands out a port that fetch refuses to connect to (10080, on the fetch standard\'s bad ports list)', async () => {
    const [ephemeralFrom] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    // The first draw lands on 10080; the port handed out must be another.
    jest.spyOn(Math, 'random').mockReturnValueOnce((10_080 - 10_000 + 0.5) / (ephemeralFrom - 10_000));
    try {
      expect(await freePort()).not.toBe(10_080);
    } finally {
      jest.restoreAllMocks();
    }
    await expect(fetch('http://127.0.0.1:10080/')).rejects.toMatchObject({ cause: { message: 'bad port' } });
  });
});

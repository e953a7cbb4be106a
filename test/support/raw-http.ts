import { Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';

/** Sends raw bytes and resolves with everything the server wrote back before closing. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

/**
 * Sends bytes no HTTP client would (broken or oversized request heads) to the app's server,
 * which listens already, and answers with the response's head and body.
 */
export async function sendRaw(server: Server, bytes: string): Promise<{ head: string; body: string }> {
  const answer = await rawExchange((server.address() as AddressInfo).port, bytes);
  const [head, body] = answer.split('\r\n\r\n');
  return { head, body };
}

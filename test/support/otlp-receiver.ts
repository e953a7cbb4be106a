import { createServer, Server } from 'node:http';
import { freePort } from './app-process';

export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string } }[];
  /** The spans it links to: a batch's span links every message it handled. */
  links: { traceId: string; spanId: string }[];
  /** `service.name` of the process that exported it. */
  service: string;
}

interface OtlpTraces {
  resourceSpans: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: Omit<ExportedSpan, 'service'>[] }[];
  }[];
}

/** An OTLP/HTTP trace receiver (JSON), as Jaeger or a collector would run it. */
export async function otlpReceiver(): Promise<{ server: Server; port: number; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpTraces;
        for (const { resource, scopeSpans } of body.resourceSpans) {
          const service = resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? 'unknown';
          spans.push(...scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, attributes: span.attributes ?? [], links: span.links ?? [], service }))));
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port, spans };
}

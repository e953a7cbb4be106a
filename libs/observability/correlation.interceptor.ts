import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { MessageContext } from '../messaging/message-context';
import { inSpan, SpanKind, traceparentOf } from './tracing';

/**
 * Runs each HTTP handler in a server span (continuing the caller's W3C traceparent) and inside a
 * MessageContext, so the messages it emits carry the request's correlation id and trace.
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const incoming = request.headers.traceparent;
    const route = request.routeOptions.url ?? request.url;
    const attributes = { 'http.request.method': request.method, 'http.route': route, 'correlation.id': request.id };
    return from(
      inSpan(`${request.method} ${route}`, SpanKind.SERVER, typeof incoming === 'string' ? incoming : null, attributes, (span) => {
        const state = { correlationId: request.id, causationId: null, traceparent: traceparentOf(span) };
        return MessageContext.run(state, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
      }),
    );
  }
}

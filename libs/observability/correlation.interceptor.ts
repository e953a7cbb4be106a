import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { MessageContext } from '../messaging/message-context';

/** Runs each HTTP handler inside a MessageContext, so the messages it emits carry the request's ids. */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const traceparent = request.headers.traceparent;
    const state = {
      correlationId: request.id,
      causationId: null,
      traceparent: typeof traceparent === 'string' ? traceparent : null,
    };
    return new Observable((subscriber) =>
      MessageContext.run(state, () => next.handle().subscribe(subscriber)),
    );
  }
}

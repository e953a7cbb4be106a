import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FieldError } from './problem';

interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
}

function fromHttpException(exception: HttpException): Pick<ProblemDetails, 'detail' | 'errors'> {
  const body = exception.getResponse();
  if (typeof body === 'string') return { detail: body };
  const { message, errors } = body as { message?: string | string[]; errors?: FieldError[] };
  return { detail: Array.isArray(message) ? message.join('; ') : (message ?? exception.message), errors };
}

/** Fastify's own client errors (malformed JSON, wrong content type, body too large). */
function fromFastifyError(exception: unknown): { status: number; detail: string } | undefined {
  const error = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof error?.code === 'string' && error.code.startsWith('FST_') && error.statusCode && error.statusCode < 500) {
    return { status: error.statusCode, detail: error.message ?? 'bad request' };
  }
  return undefined;
}

/** Every error leaves as RFC 9457 `application/problem+json`; 5xx details stay in the log. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let detail = 'An unexpected error occurred';
    let errors: FieldError[] | undefined;
    const clientError = fromFastifyError(exception);
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      ({ detail, errors } = fromHttpException(exception));
    } else if (clientError) {
      ({ status, detail } = clientError);
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    const problem: ProblemDetails = {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail,
      instance: request.url,
      ...(errors ? { errors } : {}),
    };
    void reply.status(status).header('content-type', 'application/problem+json').send(problem);
  }
}

import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { jsonDepth, MAX_JSON_DEPTH } from './json-depth';
import { FieldError, OverCapacityException } from './problem';

const PROBLEM_JSON = 'application/problem+json';

interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Absent only when the request could not be read at all. */
  instance?: string;
  errors?: FieldError[];
}

function problemOf(status: number, detail: string, instance?: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(instance === undefined ? {} : { instance }),
    ...(errors ? { errors } : {}),
  };
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
    if (exception instanceof OverCapacityException) void reply.header('retry-after', String(exception.retryAfterSeconds));
    void reply.status(status).header('content-type', PROBLEM_JSON).send(problemOf(status, detail, request.url, errors));
  }
}

/** What a client's broken HTTP (bad request line or headers, header overflow, timeout) is answered with. */
function clientErrorStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Fastify answers some errors before any route, and so before the filter, runs: a URL it cannot
 * decode, and HTTP it cannot parse. Both are given the same problem+json as every other error.
 */
export const fastifyProblemDetails: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> = {
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : HttpStatus.BAD_REQUEST;
    void reply.status(status).header('content-type', PROBLEM_JSON).send(problemOf(status, error.message, request.url));
  },
  clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const status = clientErrorStatus(error.code);
    const body = JSON.stringify(problemOf(status, 'The request is not valid HTTP'));
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_JSON}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  },
};

/**
 * The API reads JSON bodies only: the form and plain-text parsers that Nest and Fastify register
 * would hand a controller strings it then reports as a dozen invalid fields. Without them such a
 * body is refused with 415 before it is parsed. JSON nested deeper than MAX_JSON_DEPTH is refused
 * with 400 before Fastify's own parser (which keeps its prototype-poisoning checks) sees it.
 * Call after `app.init()`, which registers the parsers.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded', 'application/json']);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(new BadRequestException(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}

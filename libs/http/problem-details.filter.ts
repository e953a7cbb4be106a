import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { jsonDepth, MAX_JSON_DEPTH } from './json-depth';
import { FieldError, NotReadyException, OverCapacityException, UnauthenticatedException } from './problem';
import { MAX_HEADER_BYTES, MAX_PARAM_LENGTH } from './request-limits';

const PROBLEM_JSON = 'application/problem+json';

interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Absent when the request could not be read at all, or its URL was too long to repeat. */
  instance?: string;
  errors?: FieldError[];
  /** A readiness probe's dependencies, on its 503 (NotReadyException). */
  checks?: Record<string, object>;
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

/**
 * What each client error Fastify raises is answered with. Fixed texts: Fastify's own messages
 * repeat parts of the request (the URL, a media type), and no answer repeats the request's input.
 */
const FASTIFY_CLIENT_ERRORS: Record<string, (request: FastifyRequest) => string> = {
  FST_ERR_BAD_URL: () => 'the URL is not valid percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: () => `a path segment is longer than ${MAX_PARAM_LENGTH} characters`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'the body must be application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: () => 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the body is empty, but its content type says JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'the body is not as long as its Content-Length says',
  FST_ERR_CTP_BODY_TOO_LARGE: (request) => `the body is larger than the ${request.routeOptions.bodyLimit} bytes this route accepts`,
};

function fastifyClientErrorDetail(code: string, request: FastifyRequest): string {
  return FASTIFY_CLIENT_ERRORS[code]?.(request) ?? `the request cannot be served (${code})`;
}

/**
 * Fastify's own client errors (malformed JSON, wrong content type, body too large), which Nest
 * hands over wrapped in an HttpException with Fastify's message.
 */
function fromFastifyError(exception: unknown, request: FastifyRequest): { status: number; detail: string } | undefined {
  const error = (exception instanceof HttpException ? exception.cause : exception) as { statusCode?: number; code?: string } | undefined;
  if (typeof error?.code === 'string' && error.code.startsWith('FST_') && error.statusCode && error.statusCode < 500) {
    return { status: error.statusCode, detail: fastifyClientErrorDetail(error.code, request) };
  }
  return undefined;
}

/** The request's URL, unless it was refused (414) for being too long. */
function instanceOf(status: number, request: FastifyRequest): string | undefined {
  return status === 414 ? undefined : request.url;
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
    const clientError = fromFastifyError(exception, request);
    if (request.is404 && exception instanceof NotFoundException) {
      // Nest's own text names the method and path as sent.
      status = HttpStatus.NOT_FOUND;
      detail = 'no route matches this method and path';
    } else if (clientError) {
      ({ status, detail } = clientError);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      ({ detail, errors } = fromHttpException(exception));
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (exception instanceof OverCapacityException) void reply.header('retry-after', String(exception.retryAfterSeconds));
    if (exception instanceof UnauthenticatedException) void reply.header('www-authenticate', exception.challenge);
    const problem = problemOf(status, detail, instanceOf(status, request), errors);
    if (exception instanceof NotReadyException) problem.checks = exception.checks;
    void reply.status(status).header('content-type', PROBLEM_JSON).send(problem);
  }
}

/** What a client's broken HTTP (bad request line or headers, header overflow, timeout) is answered with. */
function clientErrorOf(code: string | undefined): { status: number; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: `the request line and headers are longer than ${MAX_HEADER_BYTES} bytes` };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, detail: 'the request did not arrive in time' };
  return { status: 400, detail: 'The request is not valid HTTP' };
}

/**
 * Fastify answers some errors before any route, and so before the filter, runs: a URL it cannot
 * decode or whose path parameter is too long, and HTTP it cannot parse (headers too large
 * included). They are given the same problem+json as every other error.
 */
export const fastifyProblemDetails: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> = {
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : HttpStatus.BAD_REQUEST;
    const detail = fastifyClientErrorDetail(error.code, request);
    void reply.status(status).header('content-type', PROBLEM_JSON).send(problemOf(status, detail, instanceOf(status, request)));
  },
  clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, detail } = clientErrorOf(error.code);
    const body = JSON.stringify(problemOf(status, detail));
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

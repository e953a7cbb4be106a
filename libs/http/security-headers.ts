import fastifyCors, { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type ContentSecurityPolicy = Exclude<HelmetOptions['contentSecurityPolicy'], boolean | undefined>;

/** The API answers JSON only: nothing in an answer may load anything or be framed. */
const API_CSP: ContentSecurityPolicy = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
};

/**
 * Swagger UI's page loads its scripts, styles and icons from its own origin, styles itself with
 * inline <style> and style attributes, draws icons from data: URIs and calls the API it
 * documents. No `upgrade-insecure-requests`: over plain HTTP (a laptop, a container by IP) the
 * page would ask for its assets over HTTPS and stay blank.
 */
const DOCS_CSP: ContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The operations console is a page of its own scripts and stylesheets that calls this origin's
 * API: everything from 'self', and nothing inline (its build emits no inline script or style),
 * so an injected script or style has no way in. Icons may be data: URIs, as the build inlines small ones.
 */
const CONSOLE_CSP: ContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** What a page of another origin may send and read; requests carry a bearer token, never cookies. */
const CORS_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Correlation-Id',
  'traceparent',
];
const CORS_RESPONSE_HEADERS = [
  'Location',
  'ETag',
  'Retry-After',
  'WWW-Authenticate',
  'X-Correlation-Id',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    // A function rather than the list: for an origin not on it the plugin then adds no CORS
    // header at all (with a list it still answers a preflight with the allowed methods).
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_RESPONSE_HEADERS,
    maxAge: 600,
    // An OPTIONS request that is no preflight gets the same answer, not a text/plain 400.
    strictPreflight: false,
  };
}

type SecurityHeaders = Readonly<Record<string, string>>;

/**
 * Helmet's headers that act only on a document a browser renders (a window's opener, DNS
 * prefetching of its links, IE's download prompt, Flash and PDF policy files, the XSS auditor of
 * old browsers). A JSON answer is never rendered (nosniff, `default-src 'none'`), so the API's
 * answers go without them, as OWASP's REST Security Cheat Sheet lists; pages keep them. Each
 * header is work on every answer: these six were a tenth of a cached read's.
 */
const WITHOUT_DOCUMENT_HEADERS = {
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const satisfies HelmetOptions;

/**
 * The headers helmet sets for a CSP, with no framing: worked out once per policy. They depend on
 * the options alone, and helmet builds its middleware from the options, directives parsed, each
 * time it is asked for one (@fastify/helmet asked on every request, 13 % of a cached read's time).
 */
function helmetHeaders(contentSecurityPolicy: ContentSecurityPolicy, { documentHeaders }: { documentHeaders: boolean }): SecurityHeaders {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet({ ...(documentHeaders ? {} : WITHOUT_DOCUMENT_HEADERS), contentSecurityPolicy, frameguard: { action: 'deny' } })({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

export interface SecurityHeadersOptions {
  /** Origins whose pages may call the API from a browser (`https://shop.example`); none when empty. */
  corsOrigins: readonly string[];
  /** Where Swagger UI is served; its page gets the policy it needs, the rest the API's. */
  docsPath: string;
  /** Where the operations console is served; its pages and files get the console's policy. */
  consolePath: string;
}

/**
 * Helmet's headers on every answer (a CSP that forbids everything, no framing, nosniff, HSTS,
 * no referrer, same-origin resources), looser CSPs and helmet's document headers for the Swagger
 * UI and operations console pages, and CORS for the configured origins only.
 * Both answer in `onRequest` hooks, so call this before any hook that answers a request itself
 * (cached product reads) and before the routes are registered.
 */
export async function secureResponseHeaders(fastify: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  const pages = [
    { path: options.docsPath, policy: DOCS_CSP },
    { path: options.consolePath, policy: CONSOLE_CSP },
  ];
  const apiHeaders = helmetHeaders(API_CSP, { documentHeaders: false });
  const pageHeaders = new Map(pages.map(({ path, policy }) => [path, helmetHeaders(policy, { documentHeaders: true })]));
  fastify.addHook('onRoute', (route) => {
    const page = pages.find(({ path }) => route.url === path || route.url?.startsWith(`${path}/`));
    if (page) route.config = { ...route.config, securityHeaders: pageHeaders.get(page.path) };
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const { securityHeaders } = request.routeOptions.config as { securityHeaders?: SecurityHeaders };
    reply.headers(securityHeaders ?? apiHeaders);
    done();
  });
  if (options.corsOrigins.length > 0) await fastify.register(fastifyCors, corsOptions(options.corsOrigins));
}

import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError, type FieldIssue } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RequestContext } from '../context.js';
import { hasPermission } from '../context.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The actor and request facts; set for every route (anonymous for public routes). */
    ctx: RequestContext;
  }
  interface FastifyContextConfig {
    /** No sign-in needed (sign-in itself, health, OpenAPI). */
    public?: boolean;
    /** Permission(s) required; any one of them suffices. */
    permission?: string | readonly string[];
    /** Reachable with a session whose password must still be changed (the change itself, sign-out, me). */
    allowPasswordChangePending?: boolean;
  }
}

/** Resolves the caller from cookies or an API token; throws AppError('unauthenticated') when it cannot. */
export type Authenticator = (request: FastifyRequest, reply: FastifyReply) => Promise<RequestContext>;
export type AnonymousContext = (request: FastifyRequest) => RequestContext;
/** Called for every request that ended in an error, so failures can be audited. */
export type ErrorObserver = (request: FastifyRequest, error: AppError) => Promise<void>;

export interface HttpOptions {
  logger: Logger;
  trustProxy: boolean;
  authenticate: Authenticator;
  anonymous: AnonymousContext;
  onError?: ErrorObserver;
  bodyLimit?: number;
}

export const SESSION_COOKIE = 'zy_session';

export async function createHttpServer(opts: HttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger,
    trustProxy: opts.trustProxy,
    bodyLimit: opts.bodyLimit ?? 2 * 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : crypto.randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('ctx', null as unknown as RequestContext);

  // Cookies are parsed by the plugin's own onRequest hook, which must run before authentication below.
  await app.register(cookie);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) {
      request.ctx = opts.anonymous(request);
      return;
    }
    const config = request.routeOptions.config;
    if (config.public || request.routeOptions.url === undefined) {
      request.ctx = opts.anonymous(request);
      return;
    }
    request.ctx = await opts.authenticate(request, reply);
    const required = config.permission;
    if (required !== undefined) {
      const list = typeof required === 'string' ? [required] : required;
      if (!list.some((p) => hasPermission(request.ctx.actor, p))) {
        throw new AppError('forbidden', 'auth.permission_denied', `This function needs the permission ${list.join(' or ')}`, {
          required: list,
        });
      }
    }
  });

  app.setErrorHandler(async (error: unknown, request, reply) => {
    const appError = toAppError(error);
    if (appError.kind === 'internal') request.log.error({ err: error }, 'unhandled error');
    if (!request.ctx) request.ctx = opts.anonymous(request);
    if (opts.onError) await opts.onError(request, appError).catch((e: unknown) => request.log.error({ err: e }, 'error observer failed'));
    return reply.status(appError.status).send({
      code: appError.code,
      message: appError.message,
      details: appError.details,
      requestId: request.id,
    });
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (!request.ctx) request.ctx = opts.anonymous(request);
    return reply.status(404).send({ code: 'http.route_not_found', message: `No route ${request.method} ${request.url.split('?')[0]}`, details: null, requestId: request.id });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Zhengyun 政云 API',
        description: 'API of Zhengyun, the platform that runs and supervises a municipal government cloud. Sign in with a session cookie (web) or send `Authorization: Bearer <API token>` (machine clients).',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiToken: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas registered with `.meta({ id })` (recursive ones such as the organisation tree) become components.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  return app;
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const issues: FieldIssue[] = error.validation.map((v) => {
      // fastify-type-provider-zod puts the zod issue's path in instancePath (`/a/0/b`) and its other fields in params.
      const params = (v.params ?? {}) as { keys?: string[] };
      const path = String(v.instancePath ?? '').split('/').filter((p: string) => p !== '');
      let rule = v.keyword;
      let field = [where, ...path].join('.');
      if (v.keyword === 'unrecognized_keys') {
        rule = 'unknown_field';
        field = [where, ...path, ...(params.keys ?? [])].join('.');
      }
      return { field, rule, message: v.message ?? 'invalid' };
    });
    return new AppError('validation', 'validation.failed', `Invalid request: ${issues.map((i) => `${i.field} (${i.message})`).join('; ')}`, { issues });
  }
  if (isResponseSerializationError(error)) {
    return new AppError('internal', 'internal.response_invalid', 'The server produced a response that does not match its schema');
  }
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (e.statusCode === 400 && /JSON/i.test(e.message ?? ''))) {
    return new AppError('validation', 'validation.malformed_json', 'The request body is not valid JSON');
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('validation', 'validation.body_too_large', 'The request body is too large');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('validation', 'validation.unsupported_media_type', 'Unsupported content type');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('validation', 'http.bad_request', e.message ?? 'Bad request');
  }
  return new AppError('internal', 'internal.error', 'An internal error occurred; the request ID identifies it in the server log');
}

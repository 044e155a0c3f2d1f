import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/server.js';
import { SESSION_COOKIE } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import {
  apiTokenListQuerySchema,
  apiTokenSchema,
  changePasswordBodySchema,
  createdApiTokenSchema,
  idParamsSchema,
  loginBodySchema,
  loginMfaBodySchema,
  loginPasswordBodySchema,
  loginResultSchema,
  meSchema,
  mePatchSchema,
  mfaSetupSchema,
  newApiTokenSchema,
  totpCodeBodySchema,
} from './auth.schemas.js';
import { CSRF_HEADER, csrfSatisfied } from './auth.policy.js';
import type { AuthService, SignedIn } from './auth.service.js';

/** Sign-in routes are public, so the CSRF header is checked here (authenticated routes check it in authenticate). */
async function requireCsrfHeader(request: FastifyRequest): Promise<void> {
  if (!csrfSatisfied(request.method, request.headers[CSRF_HEADER])) {
    throw new AppError('forbidden', 'auth.csrf_header_missing', 'Requests that change data must send the header X-Requested-With: zhengyun');
  }
}

export function registerAuthRoutes(app: App, service: AuthService): void {
  const tags = ['auth'];
  const finish = (reply: { setCookie: (n: string, v: string, o: object) => unknown }, out: SignedIn) => {
    if (out.sessionToken) reply.setCookie(SESSION_COOKIE, out.sessionToken, service.cookieOptions);
    return out.result;
  };

  app.post(
    '/api/auth/login',
    { config: { public: true }, preHandler: requireCsrfHeader, schema: { tags, summary: 'Sign in with user name and password; answers the next step', security: [], body: loginBodySchema, response: { 200: loginResultSchema } } },
    async (request, reply) => finish(reply, await service.login(request.ctx, request.body.username, request.body.password)),
  );
  app.post(
    '/api/auth/login/password',
    { config: { public: true }, preHandler: requireCsrfHeader, schema: { tags, summary: 'Set the new password a sign-in requires', security: [], body: loginPasswordBodySchema, response: { 200: loginResultSchema } } },
    async (request, reply) => finish(reply, await service.loginPassword(request.ctx, request.body.challenge, request.body.newPassword)),
  );
  app.post(
    '/api/auth/login/mfa',
    { config: { public: true }, preHandler: requireCsrfHeader, schema: { tags, summary: 'Give the TOTP code (or confirm enrolment)', security: [], body: loginMfaBodySchema, response: { 200: loginResultSchema } } },
    async (request, reply) => finish(reply, await service.loginMfa(request.ctx, request.body.challenge, request.body.code)),
  );
  app.post(
    '/api/auth/logout',
    { config: { public: true }, preHandler: requireCsrfHeader, schema: { tags, summary: 'Sign out (ends the session)', response: { 204: z.null() } } },
    async (request, reply) => {
      await service.logout(request.ctx, request.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
  app.get('/api/auth/me', { config: { allowPasswordChangePending: true }, schema: { tags, summary: 'The signed-in user', response: { 200: meSchema } } }, async (request) => service.me(request.ctx));
  app.patch(
    '/api/auth/me',
    { schema: { tags, summary: 'Change one’s own display name and contact data', body: mePatchSchema, response: { 200: meSchema } } },
    async (request) => service.updateMe(request.ctx, request.body),
  );
  app.post(
    '/api/auth/me/password',
    { config: { allowPasswordChangePending: true }, schema: { tags, summary: 'Change one’s own password (other sessions end)', body: changePasswordBodySchema, response: { 200: meSchema } } },
    async (request) => service.changePassword(request.ctx, request.body.currentPassword, request.body.newPassword),
  );
  app.post('/api/auth/me/mfa/setup', { schema: { tags, summary: 'Start setting up TOTP: a new secret to scan', response: { 200: mfaSetupSchema } } }, async (request) => service.mfaSetup(request.ctx));
  app.post(
    '/api/auth/me/mfa/confirm',
    { schema: { tags, summary: 'Confirm TOTP set-up with a code', body: totpCodeBodySchema, response: { 200: meSchema } } },
    async (request) => service.mfaConfirm(request.ctx, request.body.code),
  );
  app.delete(
    '/api/auth/me/mfa',
    { schema: { tags, summary: 'Remove TOTP (refused while a role requires it)', body: totpCodeBodySchema, response: { 200: meSchema } } },
    async (request) => service.mfaDisable(request.ctx, request.body.code),
  );

  const tokenTags = ['api-tokens'];
  app.get(
    '/api/api-tokens',
    { config: { permission: 'token:read' }, schema: { tags: tokenTags, summary: 'API tokens of the caller’s organisations', querystring: apiTokenListQuerySchema, response: { 200: z.object({ items: z.array(apiTokenSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }) } } },
    async (request) => service.listTokens(request.ctx, request.query),
  );
  app.post(
    '/api/api-tokens',
    { config: { permission: 'token:write' }, schema: { tags: tokenTags, summary: 'Create an API token (shown once)', body: newApiTokenSchema, response: { 201: createdApiTokenSchema } } },
    async (request, reply) => reply.status(201).send(await service.createToken(request.ctx, request.body)),
  );
  app.delete(
    '/api/api-tokens/:id',
    { config: { permission: 'token:write' }, schema: { tags: tokenTags, summary: 'Revoke an API token', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.revokeToken(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

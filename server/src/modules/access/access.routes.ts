import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import type { RequestContext } from '../../platform/context.js';
import {
  createdUserSchema,
  idParamsSchema,
  initialPasswordSchema,
  listOf,
  newRoleSchema,
  newUserSchema,
  permissionInfoSchema,
  roleDetailSchema,
  roleListQuerySchema,
  rolePatchSchema,
  roleSchema,
  securityPolicyBodySchema,
  securityPolicySchema,
  userDetailSchema,
  userListQuerySchema,
  userPatchSchema,
  userRolesBodySchema,
  userSchema,
  type UserDetail,
} from './access.schemas.js';
import type { AccessService } from './access.service.js';

export function registerAccessRoutes(app: App, service: AccessService): void {
  const users = ['users'];
  app.get(
    '/api/users',
    { config: { permission: 'user:read' }, schema: { tags: users, summary: 'Users (用户) in the caller’s organisations', querystring: userListQuerySchema, response: { 200: listOf(userSchema) } } },
    async (request) => service.listUsers(request.ctx, request.query),
  );
  app.get(
    '/api/users/:id',
    { config: { permission: 'user:read' }, schema: { tags: users, summary: 'One user with `abilities`', params: idParamsSchema, response: { 200: userDetailSchema } } },
    async (request) => service.getUser(request.ctx, request.params.id),
  );
  app.post(
    '/api/users',
    {
      config: { permission: 'user:write' },
      schema: { tags: users, summary: 'Create an account; the initial password is returned once and must be changed at first sign-in', body: newUserSchema, response: { 201: createdUserSchema } },
    },
    async (request, reply) => reply.status(201).send(await service.createUser(request.ctx, request.body)),
  );
  app.patch(
    '/api/users/:id',
    { config: { permission: 'user:write' }, schema: { tags: users, summary: 'Change an account', params: idParamsSchema, body: userPatchSchema, response: { 200: userDetailSchema } } },
    async (request) => service.updateUser(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/users/:id/reset-password',
    { config: { permission: 'user:write' }, schema: { tags: users, summary: 'Reset the password to a new initial one (shown once)', params: idParamsSchema, response: { 200: initialPasswordSchema } } },
    async (request) => service.resetPassword(request.ctx, request.params.id),
  );
  const action = (path: string, summary: string, fn: (ctx: RequestContext, id: string) => Promise<UserDetail>) =>
    app.post(path, { config: { permission: 'user:write' }, schema: { tags: users, summary, params: idParamsSchema, response: { 200: userDetailSchema } } }, async (request) =>
      fn(request.ctx, (request.params as { id: string }).id),
    );
  action('/api/users/:id/unlock', 'Unlock an account locked after failed sign-ins', (ctx, id) => service.unlockUser(ctx, id));
  action('/api/users/:id/disable', 'Disable an account', (ctx, id) => service.disableUser(ctx, id));
  action('/api/users/:id/enable', 'Enable an account', (ctx, id) => service.enableUser(ctx, id));
  action('/api/users/:id/reset-mfa', 'Remove the TOTP second factor (the user enrols again)', (ctx, id) => service.resetMfa(ctx, id));
  app.put(
    '/api/users/:id/roles',
    { config: { permission: 'role:assign' }, schema: { tags: users, summary: 'Replace the roles of a user', params: idParamsSchema, body: userRolesBodySchema, response: { 200: userDetailSchema } } },
    async (request) => service.setUserRoles(request.ctx, request.params.id, request.body.roleIds),
  );

  const roles = ['roles'];
  app.get(
    '/api/roles',
    { config: { permission: ['role:read', 'role:assign'] }, schema: { tags: roles, summary: 'Roles (角色): built-in and those of the caller’s organisations', querystring: roleListQuerySchema, response: { 200: listOf(roleSchema) } } },
    async (request) => service.listRoles(request.ctx, request.query),
  );
  app.get(
    '/api/roles/:id',
    { config: { permission: ['role:read', 'role:assign'] }, schema: { tags: roles, summary: 'One role with `abilities`', params: idParamsSchema, response: { 200: roleDetailSchema } } },
    async (request) => service.getRole(request.ctx, request.params.id),
  );
  app.post(
    '/api/roles',
    { config: { permission: 'role:write' }, schema: { tags: roles, summary: 'Create a custom role', body: newRoleSchema, response: { 201: roleDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.createRole(request.ctx, request.body)),
  );
  app.patch(
    '/api/roles/:id',
    { config: { permission: 'role:write' }, schema: { tags: roles, summary: 'Change a custom role', params: idParamsSchema, body: rolePatchSchema, response: { 200: roleDetailSchema } } },
    async (request) => service.updateRole(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/roles/:id',
    { config: { permission: 'role:write' }, schema: { tags: roles, summary: 'Delete a custom role nobody holds', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.deleteRole(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/permissions',
    { schema: { tags: roles, summary: 'The permission catalog, grouped by menu', response: { 200: z.array(permissionInfoSchema) } } },
    async () => [...service.permissionCatalog()],
  );

  const policy = ['security-policy'];
  app.get(
    '/api/security-policy',
    { config: { permission: 'policy:read' }, schema: { tags: policy, summary: 'The security policy (安全策略)', response: { 200: securityPolicySchema } } },
    async (request) => service.getSecurityPolicy(request.ctx),
  );
  app.put(
    '/api/security-policy',
    { config: { permission: 'policy:write' }, schema: { tags: policy, summary: 'Replace the security policy', body: securityPolicyBodySchema, response: { 200: securityPolicySchema } } },
    async (request) => service.putSecurityPolicy(request.ctx, request.body),
  );
}

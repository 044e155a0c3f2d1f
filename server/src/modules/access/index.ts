/**
 * Access (用户、角色与权限): users, roles, the permission catalog and the security policy, with hierarchical
 * administration and three-admin separation (三员分立). The auth module reads and updates credentials through
 * AccessService's "for auth" methods, inside its own transaction.
 */
export { AccessService, generateInitialPassword, type UserCredentials, type SecurityPolicyValues } from './access.service.js';
export { registerAccessRoutes } from './access.routes.js';
export { PERMISSIONS, PERMISSION_CODES, AUDIT_PERMISSIONS, RESERVED_PERMISSIONS } from './access.catalog.js';
export { checkRoleCombination, isSubset, maskEmail, maskPhone } from './access.policy.js';
export { emailSchema, phoneSchema, permissionListSchema, userSchema } from './access.schemas.js';
export { createAdminAccount, DEFAULT_MANAGEMENT_UNIT, type AdminCreateInput, type AdminCreateResult } from './access.admin.js';

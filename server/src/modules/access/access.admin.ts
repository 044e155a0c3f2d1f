import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { OrganisationService } from '../organisations/index.js';
import type { AccessService } from './access.service.js';
import { generateInitialPassword } from './access.service.js';
import { checkPasswordRules } from './access.policy.js';
import { usernameSchema } from './access.schemas.js';

/** The management unit created when `zhengyun admin create` runs on a database without any organisation. */
export const DEFAULT_MANAGEMENT_UNIT = { name: '北京市大数据中心', shortName: '市大数据中心', code: 'BJDSJ' } as const;

export interface AdminCreateInput {
  username: string;
  displayName: string;
  role: string;
  /** Organisation code or id; defaults to the management unit for roles held there. */
  org?: string;
  /** Initial password; generated when absent. It must be changed at first sign-in either way. */
  password?: string;
}

export interface AdminCreateResult {
  userId: string;
  username: string;
  orgName: string;
  role: string;
  generatedPassword: string | null;
  createdManagementUnit: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `zhengyun admin create`: creates an account with one role, as the platform itself (audited as `system`). On a
 * database without organisations it first creates the management unit 北京市大数据中心.
 */
export async function createAdminAccount(db: Db, organisations: OrganisationService, access: AccessService, input: AdminCreateInput): Promise<AdminCreateResult> {
  const ctx = systemContext('cli-admin-create');
  const name = usernameSchema.safeParse(input.username);
  if (!name.success) throw new AppError('validation', 'users.invalid_username', `--username: ${name.error.issues[0]?.message ?? 'invalid'}`);
  const displayName = input.displayName.trim();
  if (displayName.length < 1 || displayName.length > 50) throw new AppError('validation', 'users.invalid_display_name', '--display-name: 1–50 characters');
  return withTx(db, ctx, async (trx) => {
    let createdManagementUnit = false;
    if ((await organisations.count(trx)) === 0) {
      await organisations.createIn(trx, ctx, { kind: 'management_unit', name: DEFAULT_MANAGEMENT_UNIT.name, shortName: DEFAULT_MANAGEMENT_UNIT.shortName, code: DEFAULT_MANAGEMENT_UNIT.code, parentId: null, description: '市级政务云管理单位' });
      createdManagementUnit = true;
    }
    const roleId = await access.roleIdByCode(trx, ctx, input.role);
    if (!roleId) throw new AppError('not_found', 'roles.not_found', `--role: no role with code ${input.role}`);
    let org;
    if (input.org) {
      org = UUID.test(input.org) ? await organisations.lookup(trx, ctx, input.org) : await organisations.lookupByCode(trx, ctx, input.org);
      if (!org) throw new AppError('not_found', 'organisations.not_found', `--org: no organisation with code or id ${input.org}`);
    } else {
      org = (await organisations.lookupByCode(trx, ctx, DEFAULT_MANAGEMENT_UNIT.code)) ?? (await organisations.firstOfKind(trx, ctx, 'management_unit'));
      if (!org) throw new AppError('validation', 'organisations.required', '--org is required: no management unit exists');
    }
    if (input.password !== undefined) {
      const issues = checkPasswordRules(await access.policy(trx), input.password, input.username);
      if (issues.length) throw new AppError('validation', `auth.password_${issues[0]!.rule}`, `--password: ${issues.map((i) => i.message).join('; ')}`);
    }
    const password = input.password ?? generateInitialPassword();
    const userId = await access.createUserIn(trx, ctx, {
      orgId: org.id,
      username: input.username,
      displayName,
      password,
      mustChangePassword: true,
      roleIds: [roleId],
    });
    return { userId, username: input.username, orgName: org.name, role: input.role, generatedPassword: input.password === undefined ? password : null, createdManagementUnit };
  });
}

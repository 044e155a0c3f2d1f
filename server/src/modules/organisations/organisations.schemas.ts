import { z } from 'zod';
import { ORG_KINDS } from '../../platform/context.js';

/** 组织类型: 管理单位, 监管服务商, 云服务商, 使用单位, 外部数据用户. */
export const orgKindSchema = z.enum(ORG_KINDS as [string, ...string[]]).describe('management_unit | supervision_provider | cloud_provider | user_unit | external_data_user');
export const orgStatusSchema = z.enum(['active', 'disabled']);

/** Page numbers arrive as query strings: digits only, no silent coercion of anything else. */
export const pageParam = z.string().regex(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number').transform(Number);
export const pageSizeParam = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number between 1 and 200')
  .transform(Number)
  .pipe(z.number().int().min(1).max(200));

const trimmed = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const orgCodeSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,50}$/, '1–50 letters, digits, _ . or -');

export const organisationAbilitiesSchema = z.object({
  update: z.boolean(),
  disable: z.boolean(),
  enable: z.boolean(),
  createChild: z.boolean(),
});

export const organisationSchema = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  path: z.array(z.uuid()),
  kind: orgKindSchema,
  name: z.string(),
  shortName: z.string().nullable(),
  code: z.string().nullable(),
  description: z.string().nullable(),
  status: orgStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const organisationDetailSchema = organisationSchema.extend({
  parent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  childCount: z.number().int(),
  userCount: z.number().int(),
  abilities: organisationAbilitiesSchema,
});
export type OrganisationDetail = z.infer<typeof organisationDetailSchema>;

export interface OrganisationTreeNode {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  shortName: string | null;
  code: string | null;
  status: 'active' | 'disabled';
  children: OrganisationTreeNode[];
}
export const organisationTreeNodeSchema: z.ZodType<OrganisationTreeNode> = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  kind: orgKindSchema,
  name: z.string(),
  shortName: z.string().nullable(),
  code: z.string().nullable(),
  status: orgStatusSchema,
  get children() {
    return z.array(organisationTreeNodeSchema);
  },
}).meta({ id: 'OrganisationTreeNode' }) as z.ZodType<OrganisationTreeNode>;

export const organisationListQuerySchema = z.strictObject({
  kind: orgKindSchema.optional(),
  q: z.string().max(100).optional(),
  parentId: z.uuid().optional(),
  status: orgStatusSchema.optional(),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type OrganisationListQuery = z.infer<typeof organisationListQuerySchema>;

export const newOrganisationSchema = z.strictObject({
  parentId: z.uuid().nullable().optional(),
  kind: orgKindSchema,
  name: trimmed(100),
  shortName: optionalText(30),
  code: orgCodeSchema.nullable().optional(),
  description: optionalText(500),
});
export type NewOrganisation = z.infer<typeof newOrganisationSchema>;

export const organisationPatchSchema = z
  .strictObject({
    name: trimmed(100).optional(),
    shortName: optionalText(30),
    code: orgCodeSchema.nullable().optional(),
    description: optionalText(500),
    status: orgStatusSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' });
export type OrganisationPatch = z.infer<typeof organisationPatchSchema>;

export const idParamsSchema = z.strictObject({ id: z.uuid() });

export const organisationListSchema = z.object({
  items: z.array(organisationSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

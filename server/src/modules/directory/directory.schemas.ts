import { z } from 'zod';

/** 云类型: 服务云, 办公云, 备份节点, 健康云, 教育云. */
export const cloudTypeSchema = z.enum(['service', 'office', 'backup', 'health', 'education']);

export const cloudNodeSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  cloudType: cloudTypeSchema,
  site: z.string().nullable(),
  provider: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  description: z.string().nullable(),
  status: z.enum(['active', 'retired']),
});

export type CloudNode = z.infer<typeof cloudNodeSchema>;

export const newCloudNodeSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{2,30}$/, '2–30 letters, digits, _ or -'),
  name: z.string().min(1).max(50),
  cloudType: cloudTypeSchema,
  site: z.string().max(50).nullable().optional(),
  providerOrgId: z.uuid().nullable().optional(),
  description: z.string().max(500).nullable().optional(),
});
export type NewCloudNode = z.infer<typeof newCloudNodeSchema>;

export const idParamsSchema = z.object({ id: z.uuid() });
export const nodeParamsSchema = z.object({ nodeId: z.uuid() });
export const nodeItemParamsSchema = z.object({ nodeId: z.uuid(), id: z.uuid() });

/** 机房: a machine room of a cloud node; `code` is the 4-character code of the interface tables (an4). */
export const machineRoomSchema = z.object({
  id: z.uuid(),
  nodeId: z.uuid(),
  code: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  status: z.enum(['active', 'retired']),
});
export type MachineRoom = z.infer<typeof machineRoomSchema>;
export const newMachineRoomSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9]{4}$/, 'an4: exactly 4 letters or digits'),
  name: z.string().trim().min(1).max(50),
  address: z.string().max(200).nullable().optional(),
});
export type NewMachineRoom = z.infer<typeof newMachineRoomSchema>;
export const machineRoomPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(50).optional(),
  address: z.string().max(200).nullable().optional(),
  status: z.enum(['active', 'retired']).optional(),
});
export type MachineRoomPatch = z.infer<typeof machineRoomPatchSchema>;

/** 网络区域: 电子政务外网区 (gov_extranet), 互联网区 (internet), 安全数据交换区 (exchange). */
export const zoneTypeSchema = z.enum(['gov_extranet', 'internet', 'exchange']);
const cidrSchema = z.string().regex(/^(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'IPv4 CIDR such as 10.1.0.0/16');
export const networkZoneSchema = z.object({
  id: z.uuid(),
  nodeId: z.uuid(),
  zoneType: zoneTypeSchema,
  name: z.string(),
  cidrs: z.array(z.string()),
  description: z.string().nullable(),
  status: z.enum(['active', 'retired']),
});
export type NetworkZone = z.infer<typeof networkZoneSchema>;
export const newNetworkZoneSchema = z.strictObject({
  zoneType: zoneTypeSchema,
  name: z.string().trim().min(1).max(50),
  cidrs: z.array(cidrSchema).max(50).optional(),
  description: z.string().max(500).nullable().optional(),
});
export type NewNetworkZone = z.infer<typeof newNetworkZoneSchema>;
export const networkZonePatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(50).optional(),
  cidrs: z.array(cidrSchema).max(50).optional(),
  description: z.string().max(500).nullable().optional(),
  status: z.enum(['active', 'retired']).optional(),
});
export type NetworkZonePatch = z.infer<typeof networkZonePatchSchema>;

/*
 * 信息系统. Field formats (an1..200, an10 dates …) are checked by systems.rules.ts so the API and the .xlsx import
 * report the same field and rule; the zod schemas fix the shape and types only.
 */
const text = z.string().max(20000);
const optText = text.nullable().optional();
export const systemFieldsShape = {
  name: text.optional(),
  systemType: text.optional(),
  gradingLevel: text.optional(),
  operatingHours: text.optional(),
  serviceAudience: optText,
  serviceScope: optText,
  networkNature: text.optional(),
  interconnection: optText,
  functionDescription: optText,
  preApprovalStatus: optText,
  otherNotes: optText,
  cloudTestDate: optText,
  goLiveDate: optText,
  exitDate: optText,
  exitReason: optText,
  accessUrl: optText,
  appVendor: optText,
  contactName: text.optional(),
  contactMobile: text.optional(),
  contactEmail: text.optional(),
  contactLandline: optText,
  techContactName: optText,
  techContactMobile: optText,
};
export const newSystemSchema = z.strictObject({
  /** The owning user unit; defaults to the caller's organisation. */
  unitId: z.uuid().optional(),
  nodeId: z.uuid(),
  machineRoomId: z.uuid().nullable().optional(),
  ...systemFieldsShape,
});
export type NewSystem = z.infer<typeof newSystemSchema>;
export const systemPatchSchema = z.strictObject({
  nodeId: z.uuid().optional(),
  machineRoomId: z.uuid().nullable().optional(),
  ...systemFieldsShape,
});
export type SystemPatch = z.infer<typeof systemPatchSchema>;
export const retireSystemSchema = z.strictObject({
  exitDate: z.string().max(20),
  exitReason: z.string().max(1000),
});
export type RetireSystem = z.infer<typeof retireSystemSchema>;

const nullableText = z.string().nullable();
export const informationSystemSchema = z.object({
  id: z.uuid(),
  systemNo: z.string(),
  unit: z.object({ id: z.uuid(), name: z.string().nullable(), code: z.string().nullable() }),
  node: z.object({ id: z.uuid(), code: z.string(), name: z.string(), provider: z.object({ id: z.uuid(), name: z.string() }).nullable() }),
  machineRoom: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
  name: z.string(),
  systemType: z.string(),
  gradingLevel: z.string(),
  operatingHours: z.string(),
  serviceAudience: nullableText,
  serviceScope: nullableText,
  networkNature: z.string(),
  interconnection: nullableText,
  functionDescription: nullableText,
  preApprovalStatus: nullableText,
  otherNotes: nullableText,
  cloudTestDate: nullableText,
  goLiveDate: nullableText,
  exitDate: nullableText,
  exitReason: nullableText,
  accessUrl: nullableText,
  appVendor: nullableText,
  contactName: z.string(),
  contactMobile: z.string(),
  contactEmail: z.string(),
  contactLandline: nullableText,
  techContactName: nullableText,
  techContactMobile: nullableText,
  /** True when the contact numbers and e-mail are shown masked (viewer may not edit the unit's systems). */
  contactsMasked: z.boolean(),
  status: z.enum(['active', 'retired']),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ update: z.boolean(), retire: z.boolean() }),
});
export type InformationSystem = z.infer<typeof informationSystemSchema>;

const pageParam = z.string().regex(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number').transform(Number);
const pageSizeParam = z.string().regex(/^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$/, 'a whole number from 1 to 200').transform(Number);
export const systemFilterSchema = z.strictObject({
  unitId: z.uuid().optional(),
  nodeId: z.uuid().optional(),
  q: z.string().max(100).optional(),
  status: z.enum(['active', 'retired']).optional(),
});
export type SystemFilter = z.infer<typeof systemFilterSchema>;
export const systemListQuerySchema = systemFilterSchema.extend({ page: pageParam.optional(), pageSize: pageSizeParam.optional() });
export type SystemListQuery = z.infer<typeof systemListQuerySchema>;
export const systemListSchema = z.object({ items: z.array(informationSystemSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const systemChangeSchema = z.object({
  id: z.string(),
  action: z.enum(['create', 'update', 'retire']),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  changedBy: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }),
  changedAt: z.string(),
});
export type SystemChange = z.infer<typeof systemChangeSchema>;

export const systemImportSchema = z.strictObject({
  /** The .xlsx file, base64. */
  file: z.string().min(1).max(12_000_000).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'base64'),
  /** Save the valid rows and report the others; by default one bad row saves nothing. */
  validRowsOnly: z.boolean().optional(),
});
export type SystemImport = z.infer<typeof systemImportSchema>;
export const importIssueSchema = z.object({ row: z.number().int(), field: z.string(), column: z.string().nullable(), rule: z.string(), message: z.string(), value: z.unknown().optional() });
export const systemImportResultSchema = z.object({
  created: z.array(z.object({ row: z.number().int(), id: z.uuid(), systemNo: z.string() })),
  skipped: z.array(importIssueSchema),
});
export type SystemImportResult = z.infer<typeof systemImportResultSchema>;

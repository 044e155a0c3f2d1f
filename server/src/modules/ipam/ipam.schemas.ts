import { z } from 'zod';

export const PURPOSES = ['business', 'management', 'storage', 'internet'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PURPOSE_CN: Record<Purpose, string> = { business: '业务', management: '管理', storage: '存储', internet: '互联网' };

export const idParamsSchema = z.strictObject({ id: z.uuid() });

const pageParam = z.string().regex(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number').transform(Number);
const pageSizeParam = z.string().regex(/^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$/, 'a whole number from 1 to 200').transform(Number);
const familyParam = z.enum(['4', '6']).transform((v) => Number(v) as 4 | 6);
/** Address text; parsed and checked by the service (ip.ts), which names the rule broken. */
const addressText = z.string().trim().min(2).max(45);
const cidrText = z.string().trim().min(3).max(49);

export const reservedRangeSchema = z.strictObject({
  from: addressText,
  /** Last address of the range (inclusive); absent: one address. */
  to: addressText.optional(),
  note: z.string().max(200).optional(),
});
export type ReservedRange = z.infer<typeof reservedRangeSchema>;

export const newPoolSchema = z.strictObject({
  nodeId: z.uuid(),
  zoneId: z.uuid(),
  name: z.string().trim().min(1).max(100),
  cidr: cidrText,
  purpose: z.enum(PURPOSES),
  gateway: addressText.nullable().optional(),
  reserved: z.array(reservedRangeSchema).max(200).optional(),
  description: z.string().max(500).nullable().optional(),
});
export type NewPool = z.infer<typeof newPoolSchema>;

export const poolPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  gateway: addressText.nullable().optional(),
  reserved: z.array(reservedRangeSchema).max(200).optional(),
  description: z.string().max(500).nullable().optional(),
  status: z.enum(['active', 'retired']).optional(),
});
export type PoolPatch = z.infer<typeof poolPatchSchema>;

/** Address counts are decimal strings: an IPv6 pool holds up to 2^128 addresses. */
export const utilisationSchema = z.object({
  total: z.string(),
  /** Gateway, reserved ranges, and for IPv4 blocks of /30 or larger the network and broadcast addresses. */
  reserved: z.string(),
  allocated: z.string(),
  free: z.string(),
  /** allocated / (total − reserved), percent with two decimals. */
  percent: z.string(),
});
export type Utilisation = z.infer<typeof utilisationSchema>;

const named = z.object({ id: z.uuid(), name: z.string().nullable() });

export const poolSchema = z.object({
  id: z.uuid(),
  node: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  zone: z.object({ id: z.uuid(), name: z.string(), zoneType: z.string() }),
  name: z.string(),
  cidr: z.string(),
  family: z.union([z.literal(4), z.literal(6)]),
  purpose: z.enum(PURPOSES),
  gateway: z.string().nullable(),
  reserved: z.array(reservedRangeSchema),
  description: z.string().nullable(),
  status: z.enum(['active', 'retired']),
  utilisation: utilisationSchema,
  activeAllocations: z.number().int(),
});
export type Pool = z.infer<typeof poolSchema>;

export const poolListQuerySchema = z.strictObject({
  nodeId: z.uuid().optional(),
  zoneId: z.uuid().optional(),
  family: familyParam.optional(),
  purpose: z.enum(PURPOSES).optional(),
  status: z.enum(['active', 'retired']).optional(),
});
export type PoolListQuery = z.infer<typeof poolListQuerySchema>;

export const utilisationQuerySchema = z.strictObject({ groupBy: z.enum(['node', 'zone']).optional() });
export const utilisationRowSchema = utilisationSchema.extend({
  node: z.object({ id: z.uuid(), name: z.string() }),
  zone: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  family: z.union([z.literal(4), z.literal(6)]),
  pools: z.number().int(),
});
export type UtilisationRow = z.infer<typeof utilisationRowSchema>;

export const newRequestSchema = z
  .strictObject({
    nodeId: z.uuid(),
    zoneId: z.uuid().optional(),
    poolId: z.uuid().optional(),
    family: z.union([z.literal(4), z.literal(6)]).optional(),
    purpose: z.enum(PURPOSES),
    /** A number of addresses … */
    addressCount: z.number().int().min(1).max(65536).optional(),
    /** … or one subnet of this prefix length. */
    prefixLength: z.number().int().min(8).max(128).optional(),
    /** The requesting unit's information system (required for units). */
    systemId: z.uuid().optional(),
    /** The application (入云 / 变更申请) the addresses are for. */
    applicationId: z.uuid().optional(),
    reason: z.string().trim().min(1).max(1000),
  })
  .refine((r) => (r.addressCount === undefined) !== (r.prefixLength === undefined), {
    message: 'give either addressCount or prefixLength',
    path: ['addressCount'],
  });
export type NewRequest = z.infer<typeof newRequestSchema>;

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export const requestListQuerySchema = z.strictObject({
  /** mine: requested by the caller's organisation; review: pending ones awaiting the management unit; all. */
  view: z.enum(['mine', 'review', 'all']).optional(),
  status: z.enum(REQUEST_STATUSES).optional(),
  nodeId: z.uuid().optional(),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type RequestListQuery = z.infer<typeof requestListQuerySchema>;

export const allocationSchema = z.object({
  id: z.uuid(),
  pool: z.object({ id: z.uuid(), name: z.string(), cidr: z.string() }),
  node: z.object({ id: z.uuid(), name: z.string() }),
  zone: z.object({ id: z.uuid(), name: z.string() }),
  requestId: z.uuid().nullable(),
  holder: named,
  system: z.object({ id: z.uuid(), name: z.string().nullable(), systemNo: z.string().nullable() }).nullable(),
  applicationId: z.uuid().nullable(),
  kind: z.enum(['subnet', 'addresses']),
  family: z.union([z.literal(4), z.literal(6)]),
  firstAddress: z.string(),
  lastAddress: z.string(),
  /** The CIDR, one address, or `first-last`. */
  range: z.string(),
  count: z.string(),
  note: z.string().nullable(),
  status: z.enum(['active', 'released']),
  allocatedAt: z.string(),
  releasedAt: z.string().nullable(),
  abilities: z.object({ release: z.boolean() }),
});
export type Allocation = z.infer<typeof allocationSchema>;

export const requestSchema = z.object({
  id: z.uuid(),
  requester: named.extend({ kind: z.enum(['unit', 'provider']) }),
  system: z.object({ id: z.uuid(), name: z.string().nullable(), systemNo: z.string().nullable() }).nullable(),
  applicationId: z.uuid().nullable(),
  node: z.object({ id: z.uuid(), name: z.string() }),
  zone: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  pool: z.object({ id: z.uuid(), name: z.string(), cidr: z.string() }).nullable(),
  family: z.union([z.literal(4), z.literal(6)]),
  purpose: z.enum(PURPOSES),
  addressCount: z.number().int().nullable(),
  prefixLength: z.number().int().nullable(),
  reason: z.string(),
  status: z.enum(REQUEST_STATUSES),
  submittedAt: z.string(),
  dueAt: z.string(),
  /** Working days (7.5 working hours each) left until the review deadline; negative when overdue. Null once decided. */
  workingDaysLeft: z.number().nullable(),
  dueSoon: z.boolean(),
  overdue: z.boolean(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  allocations: z.array(allocationSchema),
  abilities: z.object({ approve: z.boolean(), reject: z.boolean(), cancel: z.boolean() }),
});
export type IpRequest = z.infer<typeof requestSchema>;
export const requestListSchema = z.object({ items: z.array(requestSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const approveSchema = z.strictObject({
  /** The pool to allocate from (default: the request's pool, else the first active pool of node, zone, family and purpose with room). */
  poolId: z.uuid().optional(),
  /** A chosen subnet (subnet requests) … */
  cidr: cidrText.optional(),
  /** … or the first address of the chosen run (address-count requests). Absent: first fit. */
  startAddress: addressText.optional(),
  note: z.string().max(500).optional(),
});
export type Approve = z.infer<typeof approveSchema>;
export const rejectSchema = z.strictObject({ reason: z.string().trim().min(1, 'give a reason').max(1000) });

/** A direct allocation by the management unit (platform use, a provider's block) without a request. */
export const newAllocationSchema = z
  .strictObject({
    poolId: z.uuid(),
    holderOrgId: z.uuid(),
    systemId: z.uuid().optional(),
    applicationId: z.uuid().optional(),
    addressCount: z.number().int().min(1).max(65536).optional(),
    prefixLength: z.number().int().min(8).max(128).optional(),
    cidr: cidrText.optional(),
    startAddress: addressText.optional(),
    note: z.string().max(500).optional(),
  })
  .refine((r) => [r.addressCount, r.prefixLength, r.cidr].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of addressCount, prefixLength, cidr',
    path: ['addressCount'],
  });
export type NewAllocation = z.infer<typeof newAllocationSchema>;

export const allocationFilterSchema = z.strictObject({
  nodeId: z.uuid().optional(),
  poolId: z.uuid().optional(),
  holderOrgId: z.uuid().optional(),
  systemId: z.uuid().optional(),
  status: z.enum(['active', 'released']).optional(),
  /** An address: the allocations containing it. */
  address: addressText.optional(),
});
export type AllocationFilter = z.infer<typeof allocationFilterSchema>;
export const allocationListQuerySchema = allocationFilterSchema.extend({ page: pageParam.optional(), pageSize: pageSizeParam.optional() });
export type AllocationListQuery = z.infer<typeof allocationListQuerySchema>;
export const allocationListSchema = z.object({ items: z.array(allocationSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const CONFLICT_TYPES = ['unallocated', 'system_mismatch', 'holder_mismatch'] as const;
export const conflictQuerySchema = z.strictObject({ nodeId: z.uuid().optional(), type: z.enum(CONFLICT_TYPES).optional() });
export type ConflictQuery = z.infer<typeof conflictQuerySchema>;
export const conflictSchema = z.object({
  type: z.enum(CONFLICT_TYPES),
  address: z.string(),
  node: z.object({ id: z.uuid(), name: z.string().nullable() }),
  pool: z.object({ id: z.uuid(), name: z.string(), cidr: z.string() }),
  resource: z.object({
    id: z.uuid(),
    kind: z.string(),
    name: z.string(),
    /** The attribute the address was reported in (internalIp, internetIp …). */
    field: z.string(),
    systemNo: z.string().nullable(),
    system: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
    provider: named,
  }),
  allocation: z.object({ id: z.uuid(), range: z.string(), holder: named, system: z.object({ id: z.uuid(), name: z.string().nullable(), systemNo: z.string().nullable() }).nullable() }).nullable(),
});
export type Conflict = z.infer<typeof conflictSchema>;
export const conflictListSchema = z.object({
  items: z.array(conflictSchema),
  counts: z.record(z.string(), z.number().int()),
  scannedResources: z.number().int(),
  /** True when the inventory held more resources than one scan reads (see docs/ipam.md). */
  truncated: z.boolean(),
});
export type ConflictList = z.infer<typeof conflictListSchema>;

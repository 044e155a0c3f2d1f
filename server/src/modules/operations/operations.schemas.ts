import { z } from 'zod';

const uuid = z.uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const instant = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

export const idParamsSchema = z.strictObject({ id: uuid });
export const rangeQuerySchema = z.strictObject({ from: instant, to: instant, providerOrgId: uuid.optional() });

export const templateSchema = z.object({ id: z.string(), category: z.string(), name: z.string(), items: z.array(z.object({ key: z.string(), label: z.string() })) });

export const newPlanSchema = z.strictObject({
  providerOrgId: uuid.nullable().optional(),
  nodeId: uuid,
  templateId: uuid,
  name: text(100),
  frequency: z.enum(['daily', 'weekly']),
  timesPerDay: z.number().int().min(1).max(24).optional(),
  validFrom: instant,
  validTo: instant.nullable().optional(),
});
export const planSchema = z.object({
  id: z.string(),
  providerOrgId: z.string(),
  nodeId: z.string(),
  nodeName: z.string().nullable(),
  templateId: z.string(),
  templateName: z.string(),
  category: z.string(),
  name: z.string(),
  frequency: z.enum(['daily', 'weekly']),
  timesPerDay: z.number(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  active: z.boolean(),
});
export const planDetailSchema = planSchema.extend({ items: z.array(z.object({ key: z.string(), label: z.string() })) });

export const newRecordSchema = z.strictObject({
  planId: uuid,
  performedAt: instant,
  inspectorName: text(100),
  note: z.string().max(2000).nullable().optional(),
  results: z
    .array(z.strictObject({ itemKey: z.string().min(1).max(50), result: z.enum(['normal', 'abnormal']), note: z.string().max(1000).nullable().optional(), documentId: uuid.nullable().optional() }))
    .min(1)
    .max(200),
});
export const rectificationSchema = z.object({
  id: z.string(),
  recordId: z.string(),
  providerOrgId: z.string(),
  nodeId: z.string(),
  itemKey: z.string(),
  label: z.string(),
  description: z.string(),
  status: z.enum(['open', 'done']),
  ticketId: z.string().nullable(),
  resolution: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export const recordSchema = z.object({
  id: z.string(),
  planId: z.string(),
  planName: z.string(),
  providerOrgId: z.string(),
  nodeId: z.string(),
  slotStart: z.string(),
  slotEnd: z.string(),
  performedAt: z.string(),
  inspectorName: z.string(),
  abnormalCount: z.number(),
  late: z.boolean(),
  note: z.string().nullable(),
  results: z.array(z.object({ itemKey: z.string(), label: z.string(), result: z.enum(['normal', 'abnormal']), note: z.string().nullable(), documentId: z.string().nullable() })),
  rectifications: z.array(rectificationSchema),
});
export const recordListQuerySchema = z.strictObject({ planId: uuid.optional(), providerOrgId: uuid.optional(), from: instant.optional(), to: instant.optional() });
export const missedSchema = z.object({ planId: z.string(), planName: z.string(), providerOrgId: z.string(), nodeId: z.string(), slotStart: z.string(), slotEnd: z.string() });
export const inspectionCountSchema = z.object({ providerOrgId: z.string(), expected: z.number(), done: z.number(), missed: z.number(), abnormal: z.number() });
export const closeBodySchema = z.strictObject({ resolution: text(2000) });

const posts = ['project_manager', 'technical_lead', 'ops_engineer', 'network_engineer', 'security_engineer', 'security_auditor', 'dba', 'machine_room', 'service_desk', 'supervisor'] as const;
export const newStaffSchema = z.strictObject({
  orgId: uuid.nullable().optional(),
  nodeId: uuid.nullable().optional(),
  name: text(50),
  post: z.enum(posts),
  placement: z.enum(['onsite', 'second_line']),
  core: z.boolean().optional(),
  certificates: z.array(z.strictObject({ name: text(100), number: z.string().max(100).nullable().optional(), validTo: day })).max(20).optional(),
});
export const staffSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  nodeId: z.string().nullable(),
  name: z.string(),
  post: z.string(),
  placement: z.enum(['onsite', 'second_line']),
  core: z.boolean(),
  active: z.boolean(),
  certificates: z.array(z.object({ id: z.string(), name: z.string(), number: z.string().nullable(), validTo: z.string(), expiringSoon: z.boolean(), expired: z.boolean() })),
});
export const staffQuerySchema = z.strictObject({ orgId: uuid.optional(), nodeId: uuid.optional() });
export const expiringSchema = z.object({ staffId: z.string(), staffName: z.string(), orgId: z.string(), certificate: z.string(), validTo: z.string(), expired: z.boolean() });
export const staffingSchema = z.object({
  orgId: z.string(),
  nodeId: z.string(),
  keyPeriod: z.boolean(),
  onsite: z.number(),
  core: z.number(),
  securityAuditor: z.boolean(),
  requiredOnsite: z.number(),
  requiredCore: z.number(),
  problems: z.array(z.enum(['onsite_below_threshold', 'core_below_threshold', 'no_security_auditor'])),
});

export const newQualificationSchema = z.strictObject({ providerOrgId: uuid, name: text(200), validFrom: day, validTo: day, note: z.string().max(2000).nullable().optional() });
export const reviewSchema = z.strictObject({ on: day, passed: z.boolean(), note: z.string().max(2000).nullable().optional() });
export const qualificationSchema = z.object({
  id: z.string(),
  providerOrgId: z.string(),
  name: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  lastReviewOn: z.string().nullable(),
  revokedOn: z.string().nullable(),
  note: z.string().nullable(),
  state: z.enum(['current', 'lapsed', 'not_yet_valid']),
  reviewDue: z.boolean(),
});
export const qualificationStatusSchema = z.object({ providerOrgId: z.string(), current: z.boolean(), validTo: z.string().nullable() });

export const newEmergencyPlanSchema = z.strictObject({ orgId: uuid.nullable().optional(), code: text(50), title: text(200), content: z.string().max(20000), documentId: uuid.nullable().optional() });
export const emergencyPlanSchema = z.object({ id: z.string(), orgId: z.string(), code: z.string(), version: z.number(), title: z.string(), content: z.string(), documentId: z.string().nullable(), createdAt: z.string() });
export const newDrillSchema = z.strictObject({
  orgId: uuid.nullable().optional(),
  level: z.enum(['provider', 'management', 'platform']),
  planId: uuid.nullable().optional(),
  kind: z.enum(['desktop', 'live']),
  scenario: text(500),
  plannedOn: day,
});
export const holdDrillSchema = z.strictObject({ heldOn: day, participants: z.array(text(50)).min(1).max(200), findings: z.string().max(5000).nullable().optional(), report: text(20000) });
export const drillSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  level: z.enum(['provider', 'management', 'platform']),
  planId: z.string().nullable(),
  kind: z.enum(['desktop', 'live']),
  scenario: z.string(),
  plannedOn: z.string(),
  heldOn: z.string().nullable(),
  participants: z.array(z.string()),
  findings: z.string().nullable(),
  report: z.string().nullable(),
  status: z.enum(['planned', 'held', 'overdue']),
});
export const obligationSchema = z.object({ level: z.enum(['provider', 'management', 'platform']), orgId: z.string().nullable(), held: z.number(), required: z.number(), due: z.number() });

const gapSchema = z.object({ start: z.string(), end: z.string() });
export const shiftSchema = z.object({ id: z.string(), orgId: z.string(), person: z.string(), phone: z.string().nullable(), startsAt: z.string(), endsAt: z.string() });
export const rosterBodySchema = z.strictObject({
  orgId: uuid.nullable().optional(),
  from: instant,
  to: instant,
  acceptGaps: z.boolean().optional(),
  shifts: z.array(z.strictObject({ person: text(50), phone: z.string().max(30).nullable().optional(), startsAt: instant, endsAt: instant })).min(1).max(2000),
});
export const coverageSchema = z.object({ shifts: z.array(shiftSchema), gaps: z.array(gapSchema) });
export const coverageQuerySchema = z.strictObject({ orgId: uuid.optional(), from: instant, to: instant });
export const newDutyEntrySchema = z.strictObject({ orgId: uuid.nullable().optional(), at: instant, kind: z.enum(['event', 'handover', 'check']), person: text(50), body: text(5000) });
export const dutyEntrySchema = z.object({ id: z.string(), orgId: z.string(), at: z.string(), kind: z.enum(['event', 'handover', 'check']), person: z.string(), body: z.string() });
export const summaryQuerySchema = z.strictObject({ orgId: uuid.optional(), day });
export const summarySchema = z.object({
  day: z.string(),
  orgId: z.string(),
  onDuty: z.array(shiftSchema),
  gaps: z.array(gapSchema),
  entries: z.array(dutyEntrySchema),
  counts: z.object({ events: z.number(), handovers: z.number(), checks: z.number() }),
  inspections: z.object({ expected: z.number(), done: z.number(), missed: z.number(), abnormal: z.number() }).nullable(),
  openRectifications: z.number(),
});

export const newChangeSchema = z.strictObject({
  providerOrgId: uuid.nullable().optional(),
  nodeId: uuid.nullable().optional(),
  changeType: z.enum(['resource', 'device', 'network_policy', 'kernel', 'memory', 'bandwidth']),
  title: text(200),
  description: z.string().max(5000),
  businessImpact: z.boolean(),
  impactedResourceIds: z.array(uuid).max(200).optional(),
  windowStart: instant,
  windowEnd: instant,
});
export const implementSchema = z.strictObject({ implementedFrom: instant, implementedTo: instant, result: z.enum(['success', 'failed', 'rolled_back']), note: z.string().max(5000).nullable().optional() });
export const changeSchema = z.object({
  id: z.string(),
  providerOrgId: z.string(),
  nodeId: z.string().nullable(),
  changeType: z.string(),
  title: z.string(),
  description: z.string(),
  businessImpact: z.boolean(),
  impactedResourceIds: z.array(z.string()),
  impactedSystemIds: z.array(z.string()),
  impactedHostIds: z.array(z.string()),
  windowStart: z.string(),
  windowEnd: z.string(),
  status: z.enum(['draft', 'in_approval', 'approved', 'rejected', 'implemented']),
  workflowInstanceId: z.string().nullable(),
  implementedFrom: z.string().nullable(),
  implementedTo: z.string().nullable(),
  result: z.string().nullable(),
  resultNote: z.string().nullable(),
  outsideWindow: z.boolean(),
});

export const newKeyPostChangeSchema = z.strictObject({ staffId: uuid, successorName: text(50), effectiveOn: day, reason: text(2000), lockExceptionReason: text(2000).nullable().optional().describe('management unit only: lets a change through within 3 months of the entry (驻场团队锁定期特批)') });
export const keyPostChangeSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  post: z.string(),
  successorName: z.string(),
  effectiveOn: z.string(),
  reason: z.string(),
  status: z.enum(['in_approval', 'approved', 'rejected']),
  workflowInstanceId: z.string().nullable(),
  lockExceptionReason: z.string().nullable(),
  createdAt: z.string(),
});

export const weeklyQuerySchema = z.strictObject({ orgId: uuid.optional(), week: day });
const dayInspections = z.object({ expected: z.number(), done: z.number(), missed: z.number(), abnormal: z.number() }).nullable();
export const weeklySchema = z.object({
  week: z.string(),
  orgId: z.string(),
  days: z.array(z.object({ day: z.string(), events: z.number(), handovers: z.number(), checks: z.number(), uncoveredMinutes: z.number(), inspections: dayInspections })),
  rectificationsOpened: z.number(),
  rectificationsClosed: z.number(),
  drillsHeld: z.number(),
  changesImplemented: z.number(),
  changesOutsideWindow: z.number(),
});

export const maintenanceWindowSchema = z.object({
  changeId: z.string(),
  title: z.string(),
  providerOrgId: z.string().nullable(),
  nodeId: z.string().nullable(),
  systemIds: z.array(z.string()),
  hostIds: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
});

export const newSwapSchema = z.strictObject({
  shiftId: uuid,
  counterShiftId: uuid.nullable().optional(),
  counterpart: z.string().trim().min(1).max(50),
  counterpartPhone: z.string().max(30).nullable().optional(),
  coverFrom: instant.nullable().optional(),
  coverTo: instant.nullable().optional(),
  reason: z.string().min(1).max(1000),
});
export const respondSwapSchema = z.strictObject({ accept: z.boolean() });
export const decideSwapSchema = z.strictObject({ approve: z.boolean(), note: z.string().max(1000).nullable().optional() });
export const swapSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  shiftId: z.string(),
  counterShiftId: z.string().nullable(),
  requester: z.string(),
  counterpart: z.string(),
  counterpartPhone: z.string().nullable(),
  coverFrom: z.string().nullable(),
  coverTo: z.string().nullable(),
  reason: z.string(),
  status: z.enum(['requested', 'accepted', 'approved', 'declined', 'rejected', 'cancelled']),
  acceptedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  shiftStartsAt: z.string(),
  shiftEndsAt: z.string(),
  counterStartsAt: z.string().nullable(),
  counterEndsAt: z.string().nullable(),
});
export const swapQuerySchema = z.strictObject({ orgId: uuid.optional(), status: z.enum(['requested', 'accepted', 'approved', 'declined', 'rejected', 'cancelled']).optional() });

export const newKeyPeriodPlanSchema = z.strictObject({
  providerOrgId: uuid.nullable().optional(),
  keyPeriodId: uuid,
  nodeId: uuid,
  onsiteStaff: z.number().int().min(0).max(10000),
  dutyArrangement: z.string().min(1).max(5000),
  contacts: z.array(z.strictObject({ name: z.string().min(1).max(50), role: z.string().min(1).max(50), phone: z.string().min(1).max(30) })).min(1).max(50),
  measures: z.string().max(10000).nullable().optional(),
});
export const newKeyPeriodReportSchema = z.strictObject({ day, onsiteStaff: z.number().int().min(0).max(10000), incidents: z.number().int().min(0).max(10000).optional(), body: z.string().min(1).max(5000) });
export const keyPeriodSummaryBodySchema = z.strictObject({ summary: z.string().min(1).max(20000) });
export const keyPeriodPlanSchema = z.object({
  id: z.string(),
  providerOrgId: z.string(),
  keyPeriodId: z.string(),
  nodeId: z.string(),
  keyPeriod: z.object({ id: z.string(), name: z.string(), startsAt: z.string(), endsAt: z.string() }),
  onsiteStaff: z.number(),
  staffOnRecord: z.number(),
  dutyArrangement: z.string(),
  contacts: z.array(z.object({ name: z.string(), role: z.string(), phone: z.string() })),
  measures: z.string().nullable(),
  reports: z.array(z.object({ id: z.string(), day: z.string(), onsiteStaff: z.number(), incidents: z.number(), body: z.string() })),
  missingDays: z.array(z.string()),
  summary: z.string().nullable(),
  summaryAt: z.string().nullable(),
});

// ---- emergency events (应急事件) and training (培训记录)
const severity = z.enum(['I', 'II', 'III', 'IV']);
const eventStatus = z.enum(['reported', 'responding', 'recovered', 'reviewed']);
export const newEventSchema = z.strictObject({
  providerOrgId: uuid.nullable().optional(),
  nodeId: uuid.nullable().optional(),
  title: text(200),
  severity,
  description: text(5000),
  occurredAt: instant,
});
export const respondEventSchema = z.strictObject({ respondedAt: instant, note: text(5000) });
export const recoverEventSchema = z.strictObject({ recoveredAt: instant, note: text(5000) });
export const reviewEventSchema = z.strictObject({ rootCause: text(10000), measures: text(10000), lessons: z.string().trim().max(10000).nullable().optional() });
export const eventQuerySchema = z.strictObject({ providerOrgId: uuid.optional(), status: eventStatus.optional() });
export const eventSchema = z.object({
  id: z.string(),
  number: z.string(),
  providerOrgId: z.string(),
  nodeId: z.string().nullable(),
  title: z.string(),
  severity,
  description: z.string(),
  status: eventStatus,
  occurredAt: z.string(),
  reportedAt: z.string(),
  respondedAt: z.string().nullable(),
  responseNote: z.string().nullable(),
  recoveredAt: z.string().nullable(),
  recoveryNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  rootCause: z.string().nullable(),
  measures: z.string().nullable(),
  lessons: z.string().nullable(),
  responseMinutes: z.number().nullable(),
  recoveryMinutes: z.number().nullable(),
  responseWithinTarget: z.boolean().nullable(),
  recoveryWithinTarget: z.boolean().nullable(),
});

const trainingKind = z.enum(['emergency_response', 'business', 'confidentiality', 'security', 'user']);
export const newTrainingSchema = z.strictObject({
  orgId: uuid.nullable().optional(),
  kind: trainingKind,
  topic: text(200),
  heldOn: day,
  trainer: z.string().trim().max(100).nullable().optional(),
  participants: z.number().int().min(1).max(100000),
  /** Hours as a decimal string with at most one place (no floats), e.g. "2.5". */
  hours: z.string().regex(/^(?!0+(\.0)?$)\d{1,2}(\.\d)?$/, 'hours > 0, at most 99.9 with one decimal place, e.g. "2.5"'),
  content: z.string().trim().max(5000).nullable().optional(),
});
export const trainingSchema = z.object({ id: z.string(), orgId: z.string(), kind: trainingKind, topic: z.string(), heldOn: z.string(), trainer: z.string().nullable(), participants: z.number(), hours: z.string(), content: z.string().nullable() });
export const trainingCountSchema = z.object({
  providerOrgId: z.string(),
  held: z.number(),
  required: z.number(),
  missed: z.number(),
  periods: z.array(z.object({ start: z.string(), end: z.string(), held: z.number(), status: z.enum(['met', 'missed', 'open']) })),
});

// ---- policy changes and qualification updates (资质动态更新)
export const newPolicyChangeSchema = z.strictObject({ title: text(200), description: text(5000), announcedOn: day, providerOrgIds: z.array(uuid).min(1).max(200) });
export const newPolicyUpdateSchema = z.strictObject({ providerOrgId: uuid.nullable().optional(), updatedOn: day, note: text(2000) });
export const policyChangeSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  announcedOn: z.string(),
  providers: z.array(z.object({ providerOrgId: z.string(), updatedOn: z.string().nullable(), note: z.string().nullable(), state: z.enum(['updated', 'updated_late', 'pending', 'overdue', 'exit']), dueOn: z.string(), exitOn: z.string(), suspended: z.boolean() })),
});

// ---- machine rooms (机房信息备案) and access records (机房出入记录)
export const newMachineRoomSchema = z.strictObject({ providerOrgId: uuid.nullable().optional(), nodeId: uuid, name: text(100), address: text(300), racks: z.number().int().min(0).max(100000), powerKw: z.number().int().min(0).max(1000000), environmentObject: z.string().trim().max(200).nullable().optional(), filedOn: day });
export const machineRoomSchema = z.object({ id: z.string(), providerOrgId: z.string(), nodeId: z.string(), name: z.string(), address: z.string(), racks: z.number(), powerKw: z.number(), environmentObject: z.string().nullable(), filedOn: z.string() });
export const newRoomAccessSchema = z.strictObject({ person: text(50), company: text(100), work: text(1000), enteredAt: instant, leftAt: instant.nullable().optional() });
export const roomAccessSchema = z.object({ id: z.string(), roomId: z.string(), roomName: z.string(), providerOrgId: z.string(), person: z.string(), company: z.string(), work: z.string(), enteredAt: z.string(), leftAt: z.string().nullable() });

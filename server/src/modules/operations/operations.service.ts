import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { localDate, nthWorkingDayAfter, type CalendarService } from '../calendar/index.js';
import type { DirectoryService } from '../directory/index.js';
import type { DocumentsService, RenderedDocument } from '../documents/index.js';
import type { InventoryService } from '../inventory/index.js';
import type { OrganisationService } from '../organisations/index.js';
import type { WorkflowService } from '../workflow/index.js';
import {
  CERTIFICATE_WARNING_DAYS,
  checkStaffing,
  coverageGaps,
  expectedSlots,
  newCoverageGaps,
  overlappingShifts,
  EMERGENCY_TARGETS,
  minutesBetween,
  requiredDrills,
  slotAt,
  trainingObligation,
  policyUpdateState,
  addMonths,
  type TrainingPeriod,
  STAFFING,
  type StaffingCheck,
} from './operations.rules.js';
import { ProviderEntryService } from './operations.entry.js';
import { MajorChangeService } from './operations.majorchanges.js';
import { MeetingService } from './operations.meetings.js';
import type { AutomationSettingsService } from './operations.automation.js';

const DAY_MS = 86_400_000;
/** Inspection records (and their results and rectification items) are kept this long (seed 004: 2 years). */
export const INSPECTION_RETENTION_YEARS = 2;
/** Machine-room access records are kept at least 365 days; the job deletes only those entered over 366 days ago (a leap year). */
export const ROOM_ACCESS_RETENTION_DAYS = 366;
export const CHANGE_DEFINITION_CODE = 'operations_platform_change';
export const KEY_POST_DEFINITION_CODE = 'operations_key_post_change';
/** Key posts: a change of the person needs approval (with core staff). */
export const KEY_POSTS = ['project_manager', 'technical_lead', 'security_auditor'] as const;

const iso = (d: Date | string | null): string | null => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Same shape as the service desk's SourceTicketInput (CONTRACTS.md): sources 'inspection' and 'platform_change'. */
export interface OpsTicketInput {
  source: 'inspection' | 'platform_change';
  sourceId: string;
  state: 'open' | 'cleared';
  title: string;
  description: string;
  severity: 'info' | 'minor' | 'major' | 'critical';
  occurredAt: Date;
  providerId?: string | null;
  nodeId?: string | null;
}
export type OpsTicketHook = (input: OpsTicketInput) => Promise<{ ticketId: string; created: boolean } | null>;
/** Whether a key-guarantee period (重保) is on for a node at an instant (notifications module). */
export type OpsKeyPeriodCheck = (at: Date, nodeId: string) => Promise<boolean>;

/** A key-guarantee period (重保期) as operations reads it from the notifications module. */
export interface OpsKeyPeriodInfo { id: string; name: string; startsAt: Date; endsAt: Date; scope: 'all' | 'nodes'; nodeIds: string[] }
/** Reads a key period by id in the caller's context; an unknown id throws not_found. */
export type OpsKeyPeriodLookup = (ctx: RequestContext, id: string) => Promise<OpsKeyPeriodInfo>;

/** A provider's work plan for a key period (重保工作方案) with its daily reports (日报) and final summary (总结). */
export interface KeyPeriodPlan {
  id: string;
  providerOrgId: string;
  keyPeriodId: string;
  nodeId: string;
  keyPeriod: { id: string; name: string; startsAt: string; endsAt: string };
  onsiteStaff: number;
  /** On-site staff of the provider on the node in the staff register, for comparison with the plan. */
  staffOnRecord: number;
  dutyArrangement: string;
  contacts: Array<{ name: string; role: string; phone: string }>;
  measures: string | null;
  reports: Array<{ id: string; day: string; onsiteStaff: number; incidents: number; body: string }>;
  /** Days of the period before today without a daily report. */
  missingDays: string[];
  summary: string | null;
  summaryAt: string | null;
}

export interface Template {
  id: string;
  category: string;
  name: string;
  items: Array<{ key: string; label: string }>;
}

export interface Plan {
  id: string;
  providerOrgId: string;
  nodeId: string;
  nodeName: string | null;
  templateId: string;
  templateName: string;
  category: string;
  name: string;
  frequency: 'daily' | 'weekly';
  timesPerDay: number;
  validFrom: string;
  validTo: string | null;
  active: boolean;
}

export interface InspectionRecord {
  id: string;
  planId: string;
  planName: string;
  providerOrgId: string;
  nodeId: string;
  slotStart: string;
  slotEnd: string;
  performedAt: string;
  inspectorName: string;
  abnormalCount: number;
  late: boolean;
  note: string | null;
  results: Array<{ itemKey: string; label: string; result: 'normal' | 'abnormal'; note: string | null; documentId: string | null }>;
  rectifications: Rectification[];
}

export interface Rectification {
  id: string;
  recordId: string;
  providerOrgId: string;
  nodeId: string;
  itemKey: string;
  label: string;
  description: string;
  status: 'open' | 'done';
  ticketId: string | null;
  resolution: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface MissedSlot {
  planId: string;
  planName: string;
  providerOrgId: string;
  nodeId: string;
  slotStart: string;
  slotEnd: string;
}

export interface Staff {
  id: string;
  orgId: string;
  nodeId: string | null;
  name: string;
  post: string;
  placement: 'onsite' | 'second_line';
  core: boolean;
  active: boolean;
  certificates: Array<{ id: string; name: string; number: string | null; validTo: string; expiringSoon: boolean; expired: boolean }>;
}

export interface Qualification {
  id: string;
  providerOrgId: string;
  name: string;
  validFrom: string;
  validTo: string;
  lastReviewOn: string | null;
  revokedOn: string | null;
  note: string | null;
  /** current: in force today; lapsed: expired or revoked; reviewDue: in force but the yearly review is more than a year ago. */
  state: 'current' | 'lapsed' | 'not_yet_valid';
  reviewDue: boolean;
}

export interface KeyPostChange {
  id: string;
  orgId: string;
  staffId: string;
  staffName: string;
  post: string;
  successorName: string;
  effectiveOn: string;
  reason: string;
  status: 'in_approval' | 'approved' | 'rejected';
  workflowInstanceId: string | null;
  /** The management unit's reason for letting it through within 3 months of the entry (锁定期特批), if any. */
  lockExceptionReason: string | null;
  createdAt: string;
}

/** A filed machine room (机房信息备案). */
export interface MachineRoom { id: string; providerOrgId: string; nodeId: string; name: string; address: string; racks: number; powerKw: number; environmentObject: string | null; filedOn: string }
/** A machine-room access record (机房出入记录). */
export interface RoomAccess { id: string; roomId: string; roomName: string; providerOrgId: string; person: string; company: string; work: string; enteredAt: string; leftAt: string | null }

/** A policy change (政策调整) and each affected provider's qualification update (3-month window, exit after 6). */
export interface PolicyChange {
  id: string;
  title: string;
  description: string;
  announcedOn: string;
  providers: Array<{ providerOrgId: string; updatedOn: string | null; note: string | null; state: 'updated' | 'updated_late' | 'pending' | 'overdue' | 'exit'; dueOn: string; exitOn: string; suspended: boolean }>;
}

/** An emergency event (应急事件): reported → responding → recovered → reviewed (复盘). */
export interface EmergencyEvent {
  id: string;
  number: string;
  providerOrgId: string;
  nodeId: string | null;
  title: string;
  severity: 'I' | 'II' | 'III' | 'IV';
  description: string;
  status: 'reported' | 'responding' | 'recovered' | 'reviewed';
  occurredAt: string;
  reportedAt: string;
  respondedAt: string | null;
  responseNote: string | null;
  recoveredAt: string | null;
  recoveryNote: string | null;
  reviewedAt: string | null;
  rootCause: string | null;
  measures: string | null;
  lessons: string | null;
  /** Minutes from occurrence to response / recovery (rounded up), null until then. */
  responseMinutes: number | null;
  recoveryMinutes: number | null;
  /** Against the targets (≤ 15 min response, ≤ 30 min recovery); null until known. */
  responseWithinTarget: boolean | null;
  recoveryWithinTarget: boolean | null;
}

/** A training record (培训记录). */
export interface Training {
  id: string;
  orgId: string;
  kind: 'emergency_response' | 'business' | 'confidentiality' | 'security' | 'user';
  topic: string;
  heldOn: string;
  trainer: string | null;
  participants: number;
  /** Decimal string with one place, e.g. "2.5". */
  hours: string;
  content: string | null;
}

/** A provider's two-monthly emergency-response training against the obligation over a range. */
export interface TrainingCount {
  providerOrgId: string;
  held: number;
  required: number;
  missed: number;
  periods: TrainingPeriod[];
}

export interface Drill {
  id: string;
  orgId: string;
  level: 'provider' | 'management' | 'platform';
  planId: string | null;
  kind: 'desktop' | 'live';
  scenario: string;
  plannedOn: string;
  heldOn: string | null;
  participants: string[];
  findings: string | null;
  report: string | null;
  status: 'planned' | 'held' | 'overdue';
}

export interface EmergencyPlan {
  id: string;
  orgId: string;
  code: string;
  version: number;
  title: string;
  content: string;
  documentId: string | null;
  createdAt: string;
}

export interface Shift {
  id: string;
  orgId: string;
  person: string;
  phone: string | null;
  startsAt: string;
  endsAt: string;
}

export interface DutyEntry {
  id: string;
  orgId: string;
  at: string;
  kind: 'event' | 'handover' | 'check';
  person: string;
  body: string;
}

export interface PlatformChange {
  id: string;
  providerOrgId: string;
  nodeId: string | null;
  changeType: string;
  title: string;
  description: string;
  businessImpact: boolean;
  impactedResourceIds: string[];
  impactedSystemIds: string[];
  /** The impacted resources that are hosts (cloud hosts, physical devices). */
  impactedHostIds: string[];
  windowStart: string;
  windowEnd: string;
  status: 'draft' | 'in_approval' | 'approved' | 'rejected' | 'implemented';
  workflowInstanceId: string | null;
  implementedFrom: string | null;
  implementedTo: string | null;
  result: string | null;
  resultNote: string | null;
  outsideWindow: boolean;
}

type Range = { from: Date; to: Date };

/** Beijing wall-clock time of an instant, for messages: 2026-12-10 14:00. */
const bj = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

interface ShiftRow { id: string; orgId: string; person: string; phone: string | null; startsAt: Date; endsAt: Date }

/** A duty swap (换班): requested → accepted by the counterpart (or declined) → approved / rejected by the duty manager. */
export interface DutySwap {
  id: string;
  orgId: string;
  shiftId: string;
  counterShiftId: string | null;
  requester: string;
  counterpart: string;
  counterpartPhone: string | null;
  coverFrom: string | null;
  coverTo: string | null;
  reason: string;
  status: 'requested' | 'accepted' | 'approved' | 'declined' | 'rejected' | 'cancelled';
  acceptedAt: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdBy: string | null;
  createdAt: string;
  shiftStartsAt: string;
  shiftEndsAt: string;
  counterStartsAt: string | null;
  counterEndsAt: string | null;
}

type SwapRow = Omit<DutySwap, 'coverFrom' | 'coverTo' | 'acceptedAt' | 'decidedAt' | 'createdAt' | 'shiftStartsAt' | 'shiftEndsAt' | 'counterStartsAt' | 'counterEndsAt'> & {
  coverFrom: Date | null; coverTo: Date | null; acceptedAt: Date | null; decidedAt: Date | null; createdAt: Date; shiftStartsAt: Date; shiftEndsAt: Date; counterStartsAt: Date | null; counterEndsAt: Date | null;
};

/** Inventory kinds that are hosts for the planned-work contract. */
const HOST_KINDS = new Set(['cloud_host', 'physical_device']);

/**
 * 已批准的计划性变更窗口 — an approved (or implemented) platform change's maintenance window, for monitoring and
 * availability to exclude planned work. `startsAt`/`endsAt` are the approved window (not the implementation: work
 * outside the window is not planned). `systemIds` are information systems, `hostIds` inventory resource ids of the
 * impacted cloud hosts and physical devices; both empty means the whole node (`nodeId`) or, without a node, nothing
 * more specific is known.
 */
export interface PlannedMaintenanceWindow { changeId: string; title: string; providerOrgId: string | null; nodeId: string | null; systemIds: string[]; hostIds: string[]; startsAt: Date; endsAt: Date }

interface PlanRow {
  id: string;
  providerOrgId: string;
  nodeId: string;
  templateId: string;
  templateName: string;
  category: string;
  items: Array<{ key: string; label: string }>;
  name: string;
  frequency: 'daily' | 'weekly';
  timesPerDay: number;
  validFrom: Date;
  validTo: Date | null;
  active: boolean;
}

const shapeOf = (p: PlanRow) => ({ frequency: p.frequency, timesPerDay: p.timesPerDay, validFrom: p.validFrom, validTo: p.validTo });

function checkRange(r: Range, field = 'query'): void {
  if (!(r.from instanceof Date) || Number.isNaN(r.from.getTime()) || !(r.to instanceof Date) || Number.isNaN(r.to.getTime()) || r.to <= r.from) {
    throw validationError('operations.invalid_range', 'The range needs from < to', [{ field: `${field}.to`, rule: 'after_from', message: 'to must be after from' }]);
  }
  if (r.to.getTime() - r.from.getTime() > 370 * DAY_MS) {
    throw validationError('operations.range_too_long', 'At most one year at a time', [{ field: `${field}.to`, rule: 'max_range', message: 'at most 370 days' }]);
  }
}

/**
 * Operations supervision (运维监管): inspections (巡检) from plans to records and rectification, personnel and
 * qualifications (with the suspension of onboarding while a provider's qualification is lapsed), emergency plans and
 * drills with their obligations, duty rosters (7×24 coverage) and the duty log, platform change management.
 * Visibility: management unit and supervision provider everything; a provider its own rows; agencies nothing.
 */
export class OperationsService {
  /** The clock; tests set it. */
  clock: () => Date = () => new Date();
  private ticketHook: OpsTicketHook | null = null;
  private keyPeriod: OpsKeyPeriodCheck | null = null;
  private documents: DocumentsService | null = null;
  private keyPeriodLookup: OpsKeyPeriodLookup | null = null;
  /** Provider entry and exit (进驻和退出). */
  readonly entries: ProviderEntryService;
  /** Major-change events (重大变更) matched to approved platform changes. */
  readonly majorChanges: MajorChangeService;
  /** Meetings and communications (会议与沟通): regular meetings, provider work reports, special tasks. */
  readonly meetings: MeetingService;
  /** Settings of the reminder and detection jobs (ops_automation_settings). */
  readonly automation: AutomationSettingsService;

  constructor(
    private readonly db: Db,
    private readonly directory: DirectoryService,
    private readonly organisations: OrganisationService,
    private readonly inventory: InventoryService,
    private readonly workflow: WorkflowService,
    private readonly calendar: CalendarService,
    private readonly logger: Logger,
  ) {
    this.entries = new ProviderEntryService(db, directory, () => this.clock());
    this.majorChanges = new MajorChangeService(db, () => this.clock(), logger);
    this.meetings = new MeetingService(db, () => this.clock(), (trx) => calendar.days(trx));
    this.automation = this.meetings.settings;
    workflow.registerSubjectType('key_post_change', async (trx, _ctx, subjectId) => {
      if (!isUuid(subjectId)) return null;
      const row = (await sql<{ orgId: string; successorName: string }>`select org_id, successor_name from ops_key_post_changes where id = ${subjectId}`.execute(trx)).rows[0];
      return row ? { ownerOrgId: row.orgId, title: `关键岗位变更：${row.successorName}` } : null;
    });
    workflow.registerSubjectType('platform_change', async (trx, _ctx, subjectId) => {
      if (!isUuid(subjectId)) return null;
      const row = (await sql<{ providerOrgId: string; title: string }>`select provider_org_id, title from ops_changes where id = ${subjectId}`.execute(trx)).rows[0];
      return row ? { ownerOrgId: row.providerOrgId, title: row.title } : null;
    });
  }

  /** Abnormal inspection items open a service-desk ticket (source 'inspection'); a closed rectification clears it. */
  setTicketHook(hook: OpsTicketHook): void {
    this.ticketHook = hook;
  }

  /** Connects the documents module for the signed .xlsx exports of the lists. */
  setDocuments(documents: DocumentsService): void {
    this.documents = documents;
  }

  /** Key-guarantee periods (重保) raise the on-site staffing threshold to 30. */
  setKeyPeriodCheck(check: OpsKeyPeriodCheck): void {
    this.keyPeriod = check;
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  /** The provider an actor writes for: its own organisation (providers), or the one named (management, supervision, system). */
  private providerFor(ctx: RequestContext, named: string | null | undefined, field: string): string {
    if (ctx.actor.orgKind === 'cloud_provider') {
      if (named && named !== ctx.actor.orgId && !(ctx.actor.scope.all === false && ctx.actor.scope.roots.includes(named))) throw notFound('organisation', named);
      return named ?? ctx.actor.orgId!;
    }
    if (!named) throw validationError('operations.provider_required', 'Name the provider', [{ field, rule: 'required', message: 'providerOrgId is required' }]);
    return named;
  }

  /** The node must be run by the provider: an inspection (plan or record) for a node it does not serve is refused. */
  private async assertServes(ctx: RequestContext, providerOrgId: string, nodeId: string, field: string): Promise<{ id: string; name: string }> {
    const node = (await this.directory.listCloudNodes(systemContext('operations.node'))).find((n) => n.id === nodeId);
    if (!node) throw validationError('operations.node_not_found', 'Unknown cloud node', [{ field, rule: 'exists', message: 'no such cloud node', value: nodeId }]);
    if (node.provider?.id !== providerOrgId) {
      throw new AppError('validation', 'operations.node_not_served', `The node ${node.name} is not served by this provider${node.provider ? ` (it is run by ${node.provider.name})` : ''}`, {
        issues: [{ field, rule: 'node_provider', message: 'the provider does not serve this node', value: nodeId }],
      });
    }
    return { id: node.id, name: node.name };
  }

  private async orgFor(ctx: RequestContext, named: string | null | undefined): Promise<string> {
    if (ctx.actor.kind === 'system') {
      if (!named) throw validationError('operations.org_required', 'Name the organisation', [{ field: 'body.orgId', rule: 'required', message: 'orgId is required' }]);
      return named;
    }
    const own = ctx.actor.orgId!;
    if (!named || named === own) return own;
    if (ctx.actor.scope.all || ctx.actor.scope.roots.includes(named)) return named;
    throw notFound('organisation', named);
  }

  // ---- inspections: templates and plans ----------------------------------------------------------------------

  async listTemplates(ctx: RequestContext): Promise<Template[]> {
    return withTx(this.db, ctx, async (trx) => (await sql<Template>`select id, category, name, items from ops_checklist_templates order by category, name`.execute(trx)).rows);
  }

  async createPlan(ctx: RequestContext, input: { providerOrgId?: string | null; nodeId: string; templateId: string; name: string; frequency: 'daily' | 'weekly'; timesPerDay?: number; validFrom: string; validTo?: string | null }): Promise<Plan> {
    const providerOrgId = this.providerFor(ctx, input.providerOrgId, 'body.providerOrgId');
    await this.assertServes(ctx, providerOrgId, input.nodeId, 'body.nodeId');
    const timesPerDay = input.frequency === 'weekly' ? 1 : (input.timesPerDay ?? 1);
    if (input.frequency === 'weekly' && (input.timesPerDay ?? 1) !== 1) {
      throw validationError('operations.weekly_once', 'A weekly plan has one inspection a week', [{ field: 'body.timesPerDay', rule: 'weekly_once', message: 'weekly plans: timesPerDay is 1' }]);
    }
    const validFrom = new Date(input.validFrom);
    const validTo = input.validTo ? new Date(input.validTo) : null;
    if (validTo && validTo <= validFrom) throw validationError('operations.invalid_validity', 'validTo must be after validFrom', [{ field: 'body.validTo', rule: 'after_valid_from', message: 'validTo must be after validFrom' }]);
    return withTx(this.db, ctx, async (trx) => {
      const tpl = (await sql<{ id: string; category: string }>`select id, category from ops_checklist_templates where id = ${input.templateId}`.execute(trx)).rows[0];
      if (!tpl) throw validationError('operations.template_not_found', 'Unknown checklist template', [{ field: 'body.templateId', rule: 'exists', message: 'no such template', value: input.templateId }]);
      // Seed 004: machine rooms are inspected at least 4 times a day.
      if (tpl.category === 'machine_room' && (input.frequency !== 'daily' || timesPerDay < 4)) {
        throw validationError('operations.machine_room_frequency', 'Machine rooms are inspected at least 4 times a day', [{ field: 'body.timesPerDay', rule: 'min_4_daily', message: 'machine-room plans: daily, timesPerDay ≥ 4', value: timesPerDay }]);
      }
      const id = (await sql<{ id: string }>`insert into ops_inspection_plans (provider_org_id, node_id, template_id, name, frequency, times_per_day, valid_from, valid_to, created_by)
        values (${providerOrgId}, ${input.nodeId}, ${input.templateId}, ${input.name}, ${input.frequency}, ${timesPerDay}, ${validFrom}, ${validTo}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.plan_create', targetType: 'ops_inspection_plan', targetId: id, after: { providerOrgId, nodeId: input.nodeId, frequency: input.frequency, timesPerDay } });
      return this.toPlan((await this.plans(trx, { id }))[0]!);
    });
  }

  private async plans(trx: Tx, f: { id?: string; providerOrgId?: string; activeOnly?: boolean }): Promise<PlanRow[]> {
    return (
      await sql<PlanRow>`select p.id, p.provider_org_id, p.node_id, p.template_id, t.name as template_name, t.category, t.items, p.name, p.frequency, p.times_per_day, p.valid_from, p.valid_to, p.active
        from ops_inspection_plans p join ops_checklist_templates t on t.id = p.template_id
        where true ${f.id ? sql`and p.id = ${f.id}` : sql``} ${f.providerOrgId ? sql`and p.provider_org_id = ${f.providerOrgId}` : sql``} ${f.activeOnly ? sql`and p.active` : sql``}
        order by p.created_at`.execute(trx)
    ).rows;
  }

  private toPlan(p: PlanRow, nodeNames: Map<string, string> = new Map()): Plan {
    return { id: p.id, providerOrgId: p.providerOrgId, nodeId: p.nodeId, nodeName: nodeNames.get(p.nodeId) ?? null, templateId: p.templateId, templateName: p.templateName, category: p.category, name: p.name, frequency: p.frequency, timesPerDay: p.timesPerDay, validFrom: iso(p.validFrom)!, validTo: iso(p.validTo), active: p.active };
  }

  async listPlans(ctx: RequestContext, q: { providerOrgId?: string } = {}): Promise<Plan[]> {
    const nodes = new Map((await this.directory.listCloudNodes(systemContext('operations.node'))).map((n) => [n.id, n.name]));
    return withTx(this.db, ctx, async (trx) => (await this.plans(trx, { ...(q.providerOrgId ? { providerOrgId: q.providerOrgId } : {}) })).map((p) => this.toPlan(p, nodes)));
  }

  async getPlan(ctx: RequestContext, id: string): Promise<Plan & { items: Array<{ key: string; label: string }> }> {
    if (!isUuid(id)) throw notFound('operations.plan', id);
    return withTx(this.db, ctx, async (trx) => {
      const p = (await this.plans(trx, { id }))[0];
      if (!p) throw notFound('operations.plan', id);
      return { ...this.toPlan(p), items: p.items };
    });
  }

  // ---- inspections: records ----------------------------------------------------------------------------------

  /**
   * Records an inspection of a plan's slot (the slot containing performedAt): one result per checklist item, an
   * abnormal one with a note. Each abnormal item becomes a rectification item and, when the service desk is wired,
   * a ticket. A record for a node the author's provider does not serve is refused (`operations.node_not_served`).
   */
  async recordInspection(
    ctx: RequestContext,
    input: { planId: string; performedAt: string; inspectorName: string; note?: string | null; results: Array<{ itemKey: string; result: 'normal' | 'abnormal'; note?: string | null; documentId?: string | null }> },
  ): Promise<InspectionRecord> {
    if (!isUuid(input.planId)) throw notFound('operations.plan', input.planId);
    const performedAt = new Date(input.performedAt);
    if (performedAt.getTime() > this.clock().getTime() + 5 * 60_000) {
      throw validationError('operations.performed_in_future', 'An inspection cannot be recorded before it is done', [{ field: 'body.performedAt', rule: 'not_future', message: 'performedAt is in the future', value: input.performedAt }]);
    }
    const plan = await withTx(this.db, ctx, async (trx) => (await this.plans(trx, { id: input.planId }))[0]);
    if (!plan) throw notFound('operations.plan', input.planId);
    if (ctx.actor.orgKind === 'cloud_provider' || ctx.actor.kind !== 'system') {
      const author = ctx.actor.orgKind === 'cloud_provider' ? ctx.actor.orgId! : plan.providerOrgId;
      await this.assertServes(ctx, author, plan.nodeId, 'body.planId');
    }
    const slot = slotAt(shapeOf(plan), performedAt);
    if (!slot || !plan.active) {
      throw validationError('operations.no_slot', 'The plan expects no inspection at that time', [{ field: 'body.performedAt', rule: 'in_plan_slot', message: 'outside the plan’s validity', value: input.performedAt }]);
    }
    const items = new Map(plan.items.map((i) => [i.key, i.label]));
    const seen = new Set<string>();
    input.results.forEach((r, i) => {
      if (!items.has(r.itemKey)) throw validationError('operations.unknown_item', `Item ${r.itemKey} is not on the checklist`, [{ field: `body.results[${i}].itemKey`, rule: 'checklist_item', message: 'not an item of the plan’s checklist', value: r.itemKey }]);
      if (seen.has(r.itemKey)) throw validationError('operations.duplicate_item', `Item ${r.itemKey} twice`, [{ field: `body.results[${i}].itemKey`, rule: 'unique', message: 'one result per item', value: r.itemKey }]);
      if (r.result === 'abnormal' && !r.note?.trim()) throw validationError('operations.abnormal_note_required', 'Describe what is abnormal', [{ field: `body.results[${i}].note`, rule: 'required_when_abnormal', message: 'an abnormal result needs a note' }]);
      seen.add(r.itemKey);
    });
    const missing = [...items.keys()].filter((k) => !seen.has(k));
    if (missing.length) throw validationError('operations.items_missing', `Results missing for: ${missing.join(', ')}`, [{ field: 'body.results', rule: 'all_items', message: `missing ${missing.join(', ')}`, value: missing }]);
    const abnormal = input.results.filter((r) => r.result === 'abnormal');
    const created = await withTx(this.db, ctx, async (trx) => {
      const dup = (await sql<{ id: string }>`select id from ops_inspection_records where plan_id = ${plan.id} and slot_start = ${slot.start}`.execute(trx)).rows[0];
      if (dup) throw new AppError('conflict', 'operations.slot_already_recorded', 'This slot of the plan already has a record', { recordId: dup.id, slotStart: slot.start.toISOString() });
      const id = (await sql<{ id: string }>`insert into ops_inspection_records (plan_id, provider_org_id, node_id, slot_start, performed_at, performed_by, inspector_name, abnormal_count, note)
        values (${plan.id}, ${plan.providerOrgId}, ${plan.nodeId}, ${slot.start}, ${performedAt}, ${ctx.actor.userId}, ${input.inspectorName}, ${abnormal.length}, ${input.note ?? null}) returning id`.execute(trx)).rows[0]!.id;
      for (const r of input.results) {
        await sql`insert into ops_inspection_results (record_id, item_key, label, result, note, document_id) values (${id}, ${r.itemKey}, ${items.get(r.itemKey)!}, ${r.result}, ${r.note ?? null}, ${r.documentId ?? null})`.execute(trx);
      }
      const rects: Array<{ id: string; label: string; note: string }> = [];
      for (const r of abnormal) {
        const rid = (await sql<{ id: string }>`insert into ops_rectifications (record_id, provider_org_id, node_id, item_key, label, description)
          values (${id}, ${plan.providerOrgId}, ${plan.nodeId}, ${r.itemKey}, ${items.get(r.itemKey)!}, ${r.note!}) returning id`.execute(trx)).rows[0]!.id;
        rects.push({ id: rid, label: items.get(r.itemKey)!, note: r.note! });
      }
      await recordAudit(trx, ctx, { action: 'operations.inspection_record', targetType: 'ops_inspection_record', targetId: id, after: { planId: plan.id, slotStart: slot.start.toISOString(), abnormal: abnormal.length } });
      return { id, rects };
    });
    for (const r of created.rects) {
      const res = await this.callHook({ source: 'inspection', sourceId: r.id, state: 'open', title: `巡检异常整改：${plan.name} · ${r.label}`, description: r.note, severity: 'minor', occurredAt: performedAt, providerId: plan.providerOrgId, nodeId: plan.nodeId });
      if (res) await withTx(this.db, systemContext('operations.ticket'), (trx) => sql`update ops_rectifications set ticket_id = ${res.ticketId} where id = ${r.id}`.execute(trx));
    }
    return this.getRecord(ctx, created.id);
  }

  private async callHook(input: OpsTicketInput): Promise<{ ticketId: string; created: boolean } | null> {
    if (!this.ticketHook) return null;
    try {
      return await this.ticketHook(input);
    } catch (e) {
      this.logger.warn({ err: e, sourceId: input.sourceId }, 'operations: the service desk did not take the ticket');
      return null;
    }
  }

  async getRecord(ctx: RequestContext, id: string): Promise<InspectionRecord> {
    if (!isUuid(id)) throw notFound('operations.inspection', id);
    return withTx(this.db, ctx, async (trx) => {
      const list = await this.records(trx, { id });
      if (!list[0]) throw notFound('operations.inspection', id);
      return list[0];
    });
  }

  private async records(trx: Tx, f: { id?: string; planId?: string; providerOrgId?: string; from?: Date; to?: Date; limit?: number }): Promise<InspectionRecord[]> {
    const rows = (
      await sql<{ id: string; planId: string; planName: string; providerOrgId: string; nodeId: string; slotStart: Date; performedAt: Date; inspectorName: string; abnormalCount: number; note: string | null; createdAt: Date; frequency: 'daily' | 'weekly'; timesPerDay: number }>`
        select r.id, r.plan_id, p.name as plan_name, r.provider_org_id, r.node_id, r.slot_start, r.performed_at, r.inspector_name, r.abnormal_count, r.note, r.created_at, p.frequency, p.times_per_day
        from ops_inspection_records r join ops_inspection_plans p on p.id = r.plan_id
        where true ${f.id ? sql`and r.id = ${f.id}` : sql``} ${f.planId ? sql`and r.plan_id = ${f.planId}` : sql``} ${f.providerOrgId ? sql`and r.provider_org_id = ${f.providerOrgId}` : sql``}
          ${f.from ? sql`and r.slot_start >= ${f.from}` : sql``} ${f.to ? sql`and r.slot_start < ${f.to}` : sql``}
        order by r.slot_start desc limit ${f.limit ?? 500}`.execute(trx)
    ).rows;
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const results = (await sql<{ recordId: string; itemKey: string; label: string; result: 'normal' | 'abnormal'; note: string | null; documentId: string | null }>`
      select record_id, item_key, label, result, note, document_id from ops_inspection_results where record_id = any(${ids}::uuid[]) order by item_key`.execute(trx)).rows;
    const rects = await this.rectRows(trx, { recordIds: ids });
    return rows.map((r) => {
      const len = r.frequency === 'weekly' ? 7 * DAY_MS : DAY_MS / r.timesPerDay;
      const slotEnd = new Date(r.slotStart.getTime() + Math.round(len));
      return {
        id: r.id,
        planId: r.planId,
        planName: r.planName,
        providerOrgId: r.providerOrgId,
        nodeId: r.nodeId,
        slotStart: iso(r.slotStart)!,
        slotEnd: iso(slotEnd)!,
        performedAt: iso(r.performedAt)!,
        inspectorName: r.inspectorName,
        abnormalCount: r.abnormalCount,
        late: r.createdAt > slotEnd,
        note: r.note,
        results: results.filter((x) => x.recordId === r.id).map(({ recordId: _r, ...x }) => x),
        rectifications: rects.filter((x) => x.recordId === r.id),
      };
    });
  }

  async listRecords(ctx: RequestContext, q: { planId?: string; providerOrgId?: string; from?: string; to?: string }): Promise<InspectionRecord[]> {
    return withTx(this.db, ctx, (trx) =>
      this.records(trx, { ...(q.planId ? { planId: q.planId } : {}), ...(q.providerOrgId ? { providerOrgId: q.providerOrgId } : {}), ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}) }),
    );
  }

  private async rectRows(trx: Tx, f: { recordIds?: string[]; id?: string; status?: string; providerOrgId?: string }): Promise<Rectification[]> {
    const rows = (await sql<{ id: string; recordId: string; providerOrgId: string; nodeId: string; itemKey: string; label: string; description: string; status: 'open' | 'done'; ticketId: string | null; resolution: string | null; createdAt: Date; closedAt: Date | null }>`
      select id, record_id, provider_org_id, node_id, item_key, label, description, status, ticket_id, resolution, created_at, closed_at from ops_rectifications
      where true ${f.recordIds ? sql`and record_id = any(${f.recordIds}::uuid[])` : sql``} ${f.id ? sql`and id = ${f.id}` : sql``} ${f.status ? sql`and status = ${f.status}` : sql``} ${f.providerOrgId ? sql`and provider_org_id = ${f.providerOrgId}` : sql``}
      order by created_at desc limit 1000`.execute(trx)).rows;
    return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)!, closedAt: iso(r.closedAt) }));
  }

  async listRectifications(ctx: RequestContext, q: { status?: 'open' | 'done'; providerOrgId?: string }): Promise<Rectification[]> {
    return withTx(this.db, ctx, (trx) => this.rectRows(trx, { ...(q.status ? { status: q.status } : {}), ...(q.providerOrgId ? { providerOrgId: q.providerOrgId } : {}) }));
  }

  /** Closes a rectification item with what was done; its ticket (if any) is cleared. */
  async closeRectification(ctx: RequestContext, id: string, resolution: string): Promise<Rectification> {
    if (!isUuid(id)) throw notFound('operations.rectification', id);
    const r = await withTx(this.db, ctx, async (trx) => {
      const row = (await this.rectRows(trx, { id }))[0];
      if (!row) throw notFound('operations.rectification', id);
      if (row.status === 'done') throw new AppError('conflict', 'operations.rectification_closed', 'This rectification item is already closed', { id });
      await sql`update ops_rectifications set status = 'done', resolution = ${resolution}, closed_at = ${this.clock()} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.rectification_close', targetType: 'ops_rectification', targetId: id, after: { resolution } });
      return (await this.rectRows(trx, { id }))[0]!;
    });
    if (r.ticketId) await this.callHook({ source: 'inspection', sourceId: id, state: 'cleared', title: r.label, description: resolution, severity: 'minor', occurredAt: this.clock(), providerId: r.providerOrgId, nodeId: r.nodeId });
    return r;
  }

  /** Per plan, the expected slots of [from, to) and which of them are done or missed (missed: ended with no record). */
  private async slotStatus(trx: Tx, range: Range, providerOrgId?: string): Promise<Array<{ plan: PlanRow; expected: number; done: number; missed: MissedSlot[]; abnormal: number }>> {
    const now = this.clock();
    const plans = await this.plans(trx, { ...(providerOrgId ? { providerOrgId } : {}) });
    const recs = (await sql<{ planId: string; slotStart: Date; abnormalCount: number }>`select plan_id, slot_start, abnormal_count from ops_inspection_records
      where slot_start >= ${range.from} and slot_start < ${range.to} ${providerOrgId ? sql`and provider_org_id = ${providerOrgId}` : sql``}`.execute(trx)).rows;
    const byPlan = new Map<string, Map<number, number>>();
    for (const r of recs) {
      const m = byPlan.get(r.planId) ?? new Map<number, number>();
      m.set(r.slotStart.getTime(), r.abnormalCount);
      byPlan.set(r.planId, m);
    }
    return plans.map((plan) => {
      const slots = plan.active ? expectedSlots(shapeOf(plan), range.from, range.to) : [];
      const done = byPlan.get(plan.id) ?? new Map<number, number>();
      const missed = slots
        .filter((s) => s.end.getTime() <= now.getTime() && !done.has(s.start.getTime()))
        .map((s) => ({ planId: plan.id, planName: plan.name, providerOrgId: plan.providerOrgId, nodeId: plan.nodeId, slotStart: iso(s.start)!, slotEnd: iso(s.end)! }));
      const abnormal = [...done.values()].reduce((a, b) => a + b, 0);
      return { plan, expected: slots.length, done: done.size, missed, abnormal };
    });
  }

  /** Expected slots that ended without a record in [from, to) (missed inspections), newest first. */
  async missedInspections(ctx: RequestContext, range: Range & { providerOrgId?: string }): Promise<MissedSlot[]> {
    checkRange(range);
    return withTx(this.db, ctx, async (trx) =>
      (await this.slotStatus(trx, range, range.providerOrgId)).flatMap((s) => s.missed).sort((a, b) => b.slotStart.localeCompare(a.slotStart)),
    );
  }

  /**
   * Inspection figures per provider over [from, to) (for evaluation and reports): `expected` slots of the active
   * plans that start in the range, `done` records in those slots, `missed` slots that ended (before now) without a
   * record, `abnormal` abnormal items found. Providers without plans are not listed (no data source for them).
   */
  async inspectionCounts(ctx: RequestContext, range: Range): Promise<Array<{ providerOrgId: string; expected: number; done: number; missed: number; abnormal: number }>> {
    checkRange(range);
    return withTx(this.db, ctx, async (trx) => {
      const out = new Map<string, { providerOrgId: string; expected: number; done: number; missed: number; abnormal: number }>();
      for (const s of await this.slotStatus(trx, range)) {
        const row = out.get(s.plan.providerOrgId) ?? { providerOrgId: s.plan.providerOrgId, expected: 0, done: 0, missed: 0, abnormal: 0 };
        row.expected += s.expected;
        row.done += s.done;
        row.missed += s.missed.length;
        row.abnormal += s.abnormal;
        out.set(s.plan.providerOrgId, row);
      }
      return [...out.values()];
    });
  }

  /** Retention (job `operations.retention`): deletes inspection records older than 2 years, with their results and rectification items. */
  async purgeInspections(now: Date = this.clock()): Promise<number> {
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - INSPECTION_RETENTION_YEARS);
    return withTx(this.db, systemContext('job:operations.retention'), async (trx) => {
      const res = await sql`delete from ops_inspection_records where performed_at < ${cutoff}`.execute(trx);
      return Number(res.numAffectedRows ?? 0);
    });
  }

  // ---- personnel --------------------------------------------------------------------------------------------

  async createStaff(ctx: RequestContext, input: { orgId?: string | null; nodeId?: string | null; name: string; post: string; placement: 'onsite' | 'second_line'; core?: boolean; certificates?: Array<{ name: string; number?: string | null; validTo: string }> }): Promise<Staff> {
    const orgId = await this.orgFor(ctx, input.orgId);
    return withTx(this.db, ctx, async (trx) => {
      const id = (await sql<{ id: string }>`insert into ops_staff (org_id, node_id, name, post, placement, core) values (${orgId}, ${input.nodeId ?? null}, ${input.name}, ${input.post}, ${input.placement}, ${input.core ?? false}) returning id`.execute(trx)).rows[0]!.id;
      for (const c of input.certificates ?? []) await sql`insert into ops_certificates (staff_id, name, number, valid_to) values (${id}, ${c.name}, ${c.number ?? null}, ${c.validTo})`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.staff_create', targetType: 'ops_staff', targetId: id, after: { orgId, post: input.post } });
      return (await this.staffRows(trx, { id }))[0]!;
    });
  }

  private async staffRows(trx: Tx, f: { id?: string; orgId?: string; nodeId?: string }): Promise<Staff[]> {
    const rows = (await sql<Omit<Staff, 'certificates'>>`select id, org_id, node_id, name, post, placement, core, active from ops_staff
      where true ${f.id ? sql`and id = ${f.id}` : sql``} ${f.orgId ? sql`and org_id = ${f.orgId}` : sql``} ${f.nodeId ? sql`and node_id = ${f.nodeId}` : sql``} order by name limit 2000`.execute(trx)).rows;
    if (!rows.length) return [];
    const today = localDate(this.clock());
    const soon = localDate(new Date(this.clock().getTime() + CERTIFICATE_WARNING_DAYS * DAY_MS));
    const certs = (await sql<{ id: string; staffId: string; name: string; number: string | null; validTo: string }>`select id, staff_id, name, number, valid_to from ops_certificates where staff_id = any(${rows.map((r) => r.id)}::uuid[]) order by valid_to`.execute(trx)).rows;
    return rows.map((r) => ({ ...r, certificates: certs.filter((c) => c.staffId === r.id).map(({ staffId: _s, ...c }) => ({ ...c, expired: c.validTo < today, expiringSoon: c.validTo >= today && c.validTo <= soon })) }));
  }

  async listStaff(ctx: RequestContext, q: { orgId?: string; nodeId?: string }): Promise<Staff[]> {
    return withTx(this.db, ctx, (trx) => this.staffRows(trx, q));
  }

  /** Certificates that expire within 60 days (or have expired) of active staff, soonest first. */
  async expiringCertificates(ctx: RequestContext): Promise<Array<{ staffId: string; staffName: string; orgId: string; certificate: string; validTo: string; expired: boolean }>> {
    const staff = await this.listStaff(ctx, {});
    return staff
      .filter((s) => s.active)
      .flatMap((s) => s.certificates.filter((c) => c.expiringSoon || c.expired).map((c) => ({ staffId: s.id, staffName: s.name, orgId: s.orgId, certificate: c.name, validTo: c.validTo, expired: c.expired })))
      .sort((a, b) => a.validTo.localeCompare(b.validTo));
  }

  /** Staffing per node against the thresholds (≥ 20 on site, ≥ 30 in a key-guarantee period, ≥ 10 core, a security auditor). */
  async staffingReport(ctx: RequestContext): Promise<Array<StaffingCheck & { orgId: string; nodeId: string; keyPeriod: boolean }>> {
    const staff = (await this.listStaff(ctx, {})).filter((s) => s.active && s.nodeId);
    const groups = new Map<string, Staff[]>();
    for (const s of staff) groups.set(`${s.orgId}|${s.nodeId}`, [...(groups.get(`${s.orgId}|${s.nodeId}`) ?? []), s]);
    const out: Array<StaffingCheck & { orgId: string; nodeId: string; keyPeriod: boolean }> = [];
    for (const [key, list] of groups) {
      const [orgId, nodeId] = key.split('|') as [string, string];
      const keyPeriod = this.keyPeriod ? await this.keyPeriod(this.clock(), nodeId) : false;
      out.push({ orgId, nodeId, keyPeriod, ...checkStaffing(list, keyPeriod) });
    }
    return out;
  }

  // ---- qualifications ---------------------------------------------------------------------------------------

  private toQualification(r: { id: string; providerOrgId: string; name: string; validFrom: string; validTo: string; lastReviewOn: string | null; revokedOn: string | null; note: string | null }, day: string): Qualification {
    const revoked = r.revokedOn !== null && r.revokedOn <= day;
    const state: Qualification['state'] = r.validFrom > day ? 'not_yet_valid' : r.validTo < day || revoked ? 'lapsed' : 'current';
    const lastReview = r.lastReviewOn ?? r.validFrom;
    const yearAfter = `${Number(lastReview.slice(0, 4)) + 1}${lastReview.slice(4)}`;
    return { ...r, state, reviewDue: state === 'current' && yearAfter < day };
  }

  async createQualification(ctx: RequestContext, input: { providerOrgId: string; name: string; validFrom: string; validTo: string; note?: string | null }): Promise<Qualification> {
    if (input.validTo < input.validFrom) throw validationError('operations.invalid_validity', 'validTo must not be before validFrom', [{ field: 'body.validTo', rule: 'after_valid_from', message: 'validTo before validFrom' }]);
    return withTx(this.db, ctx, async (trx) => {
      const id = (await sql<{ id: string }>`insert into ops_qualifications (provider_org_id, name, valid_from, valid_to, note, created_by) values (${input.providerOrgId}, ${input.name}, ${input.validFrom}, ${input.validTo}, ${input.note ?? null}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.qualification_create', targetType: 'ops_qualification', targetId: id, after: input });
      return (await this.qualRows(trx, { id }))[0]!;
    });
  }

  /** The yearly review: passed (the review date is recorded) or failed (the record is revoked from that day: lapsed). */
  async reviewQualification(ctx: RequestContext, id: string, input: { on: string; passed: boolean; note?: string | null }): Promise<Qualification> {
    if (!isUuid(id)) throw notFound('operations.qualification', id);
    return withTx(this.db, ctx, async (trx) => {
      const row = (await this.qualRows(trx, { id }))[0];
      if (!row) throw notFound('operations.qualification', id);
      await sql`update ops_qualifications set last_review_on = ${input.on}, revoked_on = ${input.passed ? null : input.on}, note = coalesce(${input.note ?? null}, note) where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.qualification_review', targetType: 'ops_qualification', targetId: id, after: input });
      return (await this.qualRows(trx, { id }))[0]!;
    });
  }

  private async qualRows(trx: Tx, f: { id?: string; providerOrgId?: string }, at: Date = this.clock()): Promise<Qualification[]> {
    const rows = (await sql<{ id: string; providerOrgId: string; name: string; validFrom: string; validTo: string; lastReviewOn: string | null; revokedOn: string | null; note: string | null }>`
      select id, provider_org_id, name, valid_from, valid_to, last_review_on, revoked_on, note from ops_qualifications
      where true ${f.id ? sql`and id = ${f.id}` : sql``} ${f.providerOrgId ? sql`and provider_org_id = ${f.providerOrgId}` : sql``} order by valid_to desc`.execute(trx)).rows;
    const day = localDate(at);
    return rows.map((r) => this.toQualification(r, day));
  }

  async listQualifications(ctx: RequestContext, q: { providerOrgId?: string } = {}): Promise<Qualification[]> {
    return withTx(this.db, ctx, (trx) => this.qualRows(trx, q));
  }

  /**
   * Qualification status per provider that has qualification records, at an instant: `current` when one record is
   * in force (valid, not revoked), `validTo` of that record (else of the latest record). Providers without records
   * are not listed (no data source for them).
   */
  async qualificationStatus(ctx: RequestContext, q: { at: Date }): Promise<Array<{ providerOrgId: string; current: boolean; validTo: string | null }>> {
    return withTx(this.db, ctx, async (trx) => {
      const all = await this.qualRows(trx, {}, q.at);
      const by = new Map<string, Qualification[]>();
      for (const r of all) by.set(r.providerOrgId, [...(by.get(r.providerOrgId) ?? []), r]);
      return [...by.entries()].map(([providerOrgId, list]) => {
        const cur = list.find((r) => r.state === 'current');
        return { providerOrgId, current: !!cur, validTo: (cur ?? list[0])?.validTo ?? null };
      });
    });
  }

  /**
   * The suspension rule: a provider with qualification records none of which is in force at `at` is suspended — new
   * onboarding applications (入云) to it are refused by the applications module. Without records: not suspended.
   * Also suspended while a policy change naming it awaits its qualification update (seed 004 §4.3.2.1: 更新运营资质
   * 前不得开展新增业务，入云工单等相关审核流程暂停).
   */
  async isProviderSuspended(providerOrgId: string, at: Date = this.clock()): Promise<boolean> {
    return withTx(this.db, systemContext('operations.suspension'), async (trx) => {
      const rows = await this.qualRows(trx, { providerOrgId }, at);
      if (rows.length > 0 && !rows.some((r) => r.state === 'current')) return true;
      return this.policyUpdatePending(trx, providerOrgId);
    });
  }

  // ---- key-post changes ---------------------------------------------------------------------------------------

  /**
   * Requests a key-post change (关键岗位人员变更): the staff member must hold a key post or be core staff; a cloud
   * provider gives at least one month's notice, the supervision provider at least 5 working days (business calendar);
   * the management unit approves through the workflow `operations_key_post_change`.
   */
  async requestKeyPostChange(ctx: RequestContext, input: { staffId: string; successorName: string; effectiveOn: string; reason: string; lockExceptionReason?: string | null }): Promise<KeyPostChange> {
    if (!isUuid(input.staffId)) throw notFound('operations.staff', input.staffId);
    const staff = (await withTx(this.db, ctx, (trx) => this.staffRows(trx, { id: input.staffId })))[0];
    if (!staff) throw notFound('operations.staff', input.staffId);
    if (!staff.core && !(KEY_POSTS as readonly string[]).includes(staff.post)) {
      throw validationError('operations.not_key_post', 'Only key posts and core staff need a key-post change', [{ field: 'body.staffId', rule: 'key_post', message: `post ${staff.post} is not a key post`, value: input.staffId }]);
    }
    const org = await this.organisations.get(systemContext('operations.key_post'), staff.orgId);
    const today = localDate(this.clock());
    let earliest: string;
    let rule: string;
    if (org.kind === 'supervision_provider') {
      const cal = await withTx(this.db, systemContext('operations.calendar'), (trx) => this.calendar.days(trx));
      earliest = nthWorkingDayAfter(cal, today, 5);
      rule = 'notice_5_working_days';
    } else {
      const d = new Date(`${today}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + 1);
      earliest = d.toISOString().slice(0, 10);
      rule = 'notice_1_month';
    }
    if (input.effectiveOn < earliest) {
      throw validationError('operations.notice_too_short', `A key-post change takes effect on ${earliest} at the earliest`, [{ field: 'body.effectiveOn', rule, message: `earliest ${earliest}`, value: input.effectiveOn }]);
    }
    const exception = await this.teamLock(ctx, staff, input.effectiveOn, input.lockExceptionReason ?? null);
    const id = await withTx(this.db, ctx, async (trx) => {
      const kid = (await sql<{ id: string }>`insert into ops_key_post_changes (org_id, staff_id, post, successor_name, effective_on, reason, lock_exception_reason, created_by)
        values (${staff.orgId}, ${staff.id}, ${staff.post}, ${input.successorName}, ${input.effectiveOn}, ${input.reason}, ${exception}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      if (exception) await recordAudit(trx, ctx, { action: 'operations.team_lock_exception', targetType: 'ops_key_post_change', targetId: kid, after: { staffId: staff.id, effectiveOn: input.effectiveOn, reason: exception } });
      const instanceId = await this.workflow.startIn(trx, ctx, { subjectType: 'key_post_change', subjectId: kid, definitionCode: KEY_POST_DEFINITION_CODE, title: `关键岗位变更：${staff.name} → ${input.successorName}`, facts: {} });
      await sql`update ops_key_post_changes set workflow_instance_id = ${instanceId} where id = ${kid}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.key_post_change', targetType: 'ops_key_post_change', targetId: kid, after: { staffId: staff.id, successorName: input.successorName, effectiveOn: input.effectiveOn } });
      return kid;
    });
    return (await this.listKeyPostChanges(ctx)).find((k) => k.id === id)!;
  }

  /**
   * Seed 003: 驻场运维团队进驻后三个月内不得有人员更换. A change of an on-site staff member of a cloud provider taking
   * effect before the provider's entry (on the staff member's node, or platform-wide) is three months old is refused
   * with `409 operations.team_locked` (rule `no_change_within_3_months_of_entry`, the unlock day in the message and
   * `details`). The management unit alone may let it through, giving `lockExceptionReason` (kept on the change and
   * audited); anyone else sending one gets `403 operations.lock_exception_management_only`. Returns the exception
   * reason to store (null when the rule does not apply).
   */
  private async teamLock(ctx: RequestContext, staff: Staff, effectiveOn: string, exceptionReason: string | null): Promise<string | null> {
    if (exceptionReason && ctx.actor.kind !== 'system' && ctx.actor.orgKind !== 'management_unit') {
      throw new AppError('forbidden', 'operations.lock_exception_management_only', 'Only the management unit may grant an exception to the 3-month team lock', {});
    }
    if (staff.placement !== 'onsite') return null;
    const entries = await withTx(this.db, systemContext('operations.team_lock'), async (trx) => (await sql<{ id: string; enteredOn: string; nodeId: string | null }>`
      select id, to_char(entered_on, 'YYYY-MM-DD') as entered_on, node_id from ops_provider_entries
      where provider_org_id = ${staff.orgId} and entered_on is not null and state in ('entered','exit_applied','migrating')
        and (node_id is null or node_id is not distinct from ${staff.nodeId})`.execute(trx)).rows);
    const locked = entries.map((e) => ({ ...e, until: addMonths(e.enteredOn, 3) })).filter((e) => effectiveOn < e.until).sort((a, b) => b.until.localeCompare(a.until))[0];
    if (!locked) return null;
    if (exceptionReason) return exceptionReason;
    throw new AppError('conflict', 'operations.team_locked', `驻场运维团队进驻后三个月内不得有人员更换：进驻日期 ${locked.enteredOn}，${locked.until} 起方可更换（管理单位可特批并说明理由）`, {
      rule: 'no_change_within_3_months_of_entry', entryId: locked.id, enteredOn: locked.enteredOn, lockedUntil: locked.until,
      issues: [{ field: 'body.effectiveOn', rule: 'no_change_within_3_months_of_entry', message: `not before ${locked.until}`, value: effectiveOn }],
    });
  }

  async listKeyPostChanges(ctx: RequestContext): Promise<KeyPostChange[]> {
    const sctx = systemContext('operations.sync');
    const pending = await withTx(this.db, sctx, async (trx) => (await sql<{ id: string; workflowInstanceId: string }>`select id, workflow_instance_id from ops_key_post_changes where status = 'in_approval' and workflow_instance_id is not null`.execute(trx)).rows);
    for (const p of pending) {
      const inst = await this.workflow.getInstance(sctx, p.workflowInstanceId);
      const status = inst.status === 'approved' ? 'approved' : inst.status === 'rejected' || inst.status === 'terminated' ? 'rejected' : null;
      if (status) await withTx(this.db, sctx, (trx) => sql`update ops_key_post_changes set status = ${status} where id = ${p.id} and status = 'in_approval'`.execute(trx));
    }
    return withTx(this.db, ctx, async (trx) =>
      (await sql<Omit<KeyPostChange, 'createdAt'> & { createdAt: Date }>`select k.id, k.org_id, k.staff_id, s.name as staff_name, k.post, k.successor_name, k.effective_on, k.reason, k.status, k.workflow_instance_id, k.lock_exception_reason, k.created_at
        from ops_key_post_changes k join ops_staff s on s.id = k.staff_id order by k.created_at desc limit 1000`.execute(trx)).rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)! })),
    );
  }

  // ---- emergency plans and drills ----------------------------------------------------------------------------

  /** A new version of an emergency plan (version 1 for a new code). */
  async savePlanVersion(ctx: RequestContext, input: { orgId?: string | null; code: string; title: string; content: string; documentId?: string | null }): Promise<EmergencyPlan> {
    const orgId = await this.orgFor(ctx, input.orgId);
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`ops.plan.${orgId}.${input.code}`}))`.execute(trx);
      const v = (await sql<{ v: number }>`select coalesce(max(version), 0)::int + 1 as v from ops_emergency_plans where org_id = ${orgId} and code = ${input.code}`.execute(trx)).rows[0]!.v;
      const row = (await sql<EmergencyPlan & { createdAt: Date }>`insert into ops_emergency_plans (org_id, code, version, title, content, document_id, created_by)
        values (${orgId}, ${input.code}, ${v}, ${input.title}, ${input.content}, ${input.documentId ?? null}, ${ctx.actor.userId}) returning id, org_id, code, version, title, content, document_id, created_at`.execute(trx)).rows[0]!;
      return { ...row, createdAt: iso(row.createdAt)! };
    });
  }

  async listEmergencyPlans(ctx: RequestContext): Promise<EmergencyPlan[]> {
    return withTx(this.db, ctx, async (trx) =>
      (await sql<EmergencyPlan & { createdAt: Date }>`select id, org_id, code, version, title, content, document_id, created_at from ops_emergency_plans order by code, version desc`.execute(trx)).rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)! })),
    );
  }

  private drillOf(r: Omit<Drill, 'status'>): Drill {
    const today = localDate(this.clock());
    return { ...r, status: r.heldOn ? 'held' : r.plannedOn < today ? 'overdue' : 'planned' };
  }

  async planDrill(ctx: RequestContext, input: { orgId?: string | null; level: Drill['level']; planId?: string | null; kind: Drill['kind']; scenario: string; plannedOn: string }): Promise<Drill> {
    const orgId = await this.orgFor(ctx, input.orgId);
    if (input.level !== 'provider' && !hasPermission(ctx.actor, 'operations:manage')) {
      throw validationError('operations.drill_level', 'Management and platform drills are recorded by the management unit or the supervision provider', [{ field: 'body.level', rule: 'manage_only', message: 'providers record provider drills', value: input.level }]);
    }
    if (input.level === 'provider' && ctx.actor.kind !== 'system' && ctx.actor.orgKind !== 'cloud_provider' && !input.orgId) {
      throw validationError('operations.provider_required', 'Name the provider of a provider drill', [{ field: 'body.orgId', rule: 'required', message: 'orgId of the provider' }]);
    }
    return withTx(this.db, ctx, async (trx) => {
      const id = (await sql<{ id: string }>`insert into ops_drills (org_id, level, plan_id, kind, scenario, planned_on, created_by) values (${orgId}, ${input.level}, ${input.planId ?? null}, ${input.kind}, ${input.scenario}, ${input.plannedOn}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      return (await this.drillRows(trx, { id }))[0]!;
    });
  }

  /** Records a drill as held: the day, participants, findings and the report. */
  async holdDrill(ctx: RequestContext, id: string, input: { heldOn: string; participants: string[]; findings?: string | null; report: string }): Promise<Drill> {
    if (!isUuid(id)) throw notFound('operations.drill', id);
    if (input.heldOn > localDate(this.clock())) throw validationError('operations.held_in_future', 'A drill is recorded once held', [{ field: 'body.heldOn', rule: 'not_future', message: 'heldOn is in the future', value: input.heldOn }]);
    return withTx(this.db, ctx, async (trx) => {
      const row = (await this.drillRows(trx, { id }))[0];
      if (!row) throw notFound('operations.drill', id);
      await sql`update ops_drills set held_on = ${input.heldOn}, participants = ${input.participants}, findings = ${input.findings ?? null}, report = ${input.report} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.drill_hold', targetType: 'ops_drill', targetId: id, after: { heldOn: input.heldOn } });
      return (await this.drillRows(trx, { id }))[0]!;
    });
  }

  private async drillRows(trx: Tx, f: { id?: string }): Promise<Drill[]> {
    return (await sql<Omit<Drill, 'status'>>`select id, org_id, level, plan_id, kind, scenario, planned_on, held_on, participants, findings, report from ops_drills
      where true ${f.id ? sql`and id = ${f.id}` : sql``} order by planned_on desc limit 1000`.execute(trx)).rows.map((r) => this.drillOf(r));
  }

  async listDrills(ctx: RequestContext): Promise<Drill[]> {
    return withTx(this.db, ctx, (trx) => this.drillRows(trx, {}));
  }

  private async visibleProviders(ctx: RequestContext): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; page <= 50; page++) {
      const res = await this.organisations.list(ctx, { kind: 'cloud_provider', page, pageSize: 100 });
      ids.push(...res.items.map((o: { id: string }) => o.id));
      if (res.items.length < 100) break;
    }
    return ids;
  }

  /**
   * Provider drills held in [from, to) per cloud provider the caller sees, against the obligation (4 a year, pro
   * rata for shorter ranges by started quarter; at least 1).
   */
  async drillCounts(ctx: RequestContext, range: Range): Promise<Array<{ providerOrgId: string; held: number; required: number }>> {
    checkRange(range);
    const providers = ctx.actor.orgKind === 'cloud_provider' ? [ctx.actor.orgId!] : await this.visibleProviders(ctx);
    const held = await withTx(this.db, ctx, async (trx) =>
      (await sql<{ orgId: string; n: number }>`select org_id, count(*)::int as n from ops_drills where level = 'provider' and held_on >= ${localDate(range.from)} and held_on < ${localDate(range.to)} group by org_id`.execute(trx)).rows,
    );
    const by = new Map(held.map((h) => [h.orgId, h.n]));
    const required = requiredDrills('provider', range.from, range.to);
    return providers.map((p) => ({ providerOrgId: p, held: by.get(p) ?? 0, required }));
  }

  /** What is due per obligation over [from, to): provider drills per provider, management drills, the platform drill. */
  async drillObligations(ctx: RequestContext, range: Range): Promise<Array<{ level: Drill['level']; orgId: string | null; held: number; required: number; due: number }>> {
    const providers = await this.drillCounts(ctx, range);
    const others = await withTx(this.db, ctx, async (trx) =>
      (await sql<{ level: string; n: number }>`select level, count(*)::int as n from ops_drills where level in ('management','platform') and held_on >= ${localDate(range.from)} and held_on < ${localDate(range.to)} group by level`.execute(trx)).rows,
    );
    const n = (level: string) => others.find((o) => o.level === level)?.n ?? 0;
    return [
      ...providers.map((p) => ({ level: 'provider' as const, orgId: p.providerOrgId, held: p.held, required: p.required, due: Math.max(0, p.required - p.held) })),
      ...(['management', 'platform'] as const).map((level) => {
        const required = requiredDrills(level, range.from, range.to);
        return { level, orgId: null, held: n(level), required, due: Math.max(0, required - n(level)) };
      }),
    ];
  }

  // ---- duty ---------------------------------------------------------------------------------------------------

  /**
   * Saves a roster: the shifts of an organisation for [from, to), replacing those starting in that range. One person
   * on two overlapping shifts is refused (`operations.shift_overlap`); a gap in 7×24 coverage is refused with the
   * uncovered intervals (`operations.coverage_gap`) unless `acceptGaps` is set.
   */
  async saveRoster(ctx: RequestContext, input: { orgId?: string | null; from: string; to: string; acceptGaps?: boolean; shifts: Array<{ person: string; phone?: string | null; startsAt: string; endsAt: string }> }): Promise<{ shifts: Shift[]; gaps: Array<{ start: string; end: string }> }> {
    const orgId = await this.orgFor(ctx, input.orgId);
    const from = new Date(input.from);
    const to = new Date(input.to);
    checkRange({ from, to }, 'body');
    const shifts = input.shifts.map((s, i) => ({ ...s, i, start: new Date(s.startsAt), end: new Date(s.endsAt) }));
    for (const s of shifts) {
      if (s.end <= s.start) throw validationError('operations.shift_invalid', 'A shift ends after it starts', [{ field: `body.shifts[${s.i}].endsAt`, rule: 'after_starts_at', message: 'endsAt must be after startsAt' }]);
      if (s.start < from || s.end > to) throw validationError('operations.shift_outside_roster', 'A shift lies within the roster’s range', [{ field: `body.shifts[${s.i}]`, rule: 'within_roster', message: 'outside from–to' }]);
    }
    const overlaps = overlappingShifts(shifts);
    if (overlaps.length) {
      const [, b] = overlaps[0]!;
      throw validationError('operations.shift_overlap', `${b.person} is on two overlapping shifts`, overlaps.map(([x, y]) => ({ field: `body.shifts[${y.i}]`, rule: 'no_overlap', message: `overlaps shift ${x.i} of ${x.person}`, value: { person: y.person, startsAt: y.startsAt, overlapsWith: x.i } })));
    }
    const gaps = coverageGaps(shifts, from, to).map((g) => ({ start: iso(g.start)!, end: iso(g.end)! }));
    if (gaps.length && !input.acceptGaps) {
      throw new AppError('validation', 'operations.coverage_gap', `The roster leaves ${gaps.length} interval(s) without anyone on duty, first ${gaps[0]!.start} – ${gaps[0]!.end}`, {
        gaps,
        issues: gaps.map((g) => ({ field: 'body.shifts', rule: 'coverage_7x24', message: `nobody on duty ${g.start} – ${g.end}`, value: g })),
      });
    }
    return withTx(this.db, ctx, async (trx) => {
      await sql`delete from ops_duty_shifts where org_id = ${orgId} and starts_at >= ${from} and starts_at < ${to}`.execute(trx);
      for (const s of shifts) await sql`insert into ops_duty_shifts (org_id, person, phone, starts_at, ends_at, created_by) values (${orgId}, ${s.person}, ${s.phone ?? null}, ${s.start}, ${s.end}, ${ctx.actor.userId})`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.roster_save', targetType: 'organisation', targetId: orgId, after: { from: input.from, to: input.to, shifts: shifts.length, gaps: gaps.length } });
      return { shifts: await this.shiftRows(trx, orgId, from, to), gaps };
    });
  }

  private async shiftRows(trx: Tx, orgId: string | null, from: Date, to: Date): Promise<Shift[]> {
    return (await sql<{ id: string; orgId: string; person: string; phone: string | null; startsAt: Date; endsAt: Date }>`select id, org_id, person, phone, starts_at, ends_at from ops_duty_shifts
      where ends_at > ${from} and starts_at < ${to} ${orgId ? sql`and org_id = ${orgId}` : sql``} order by starts_at limit 5000`.execute(trx)).rows.map((r) => ({ ...r, startsAt: iso(r.startsAt)!, endsAt: iso(r.endsAt)! }));
  }

  /** The shifts of [from, to) and the gaps in their 7×24 coverage. */
  async coverage(ctx: RequestContext, q: { orgId?: string | null; from: string; to: string }): Promise<{ shifts: Shift[]; gaps: Array<{ start: string; end: string }> }> {
    const orgId = await this.orgFor(ctx, q.orgId);
    const from = new Date(q.from);
    const to = new Date(q.to);
    checkRange({ from, to });
    return withTx(this.db, ctx, async (trx) => {
      const shifts = await this.shiftRows(trx, orgId, from, to);
      const gaps = coverageGaps(shifts.map((s) => ({ start: new Date(s.startsAt), end: new Date(s.endsAt) })), from, to).map((g) => ({ start: iso(g.start)!, end: iso(g.end)! }));
      return { shifts, gaps };
    });
  }

  // ---- key-period (重保) work plans, daily reports, final summary ----------------------------------------------

  /** Connects the key-guarantee periods (重保期) of the notifications module, read by id. */
  setKeyPeriodLookup(lookup: OpsKeyPeriodLookup): void {
    this.keyPeriodLookup = lookup;
  }

  private async keyPeriodOf(ctx: RequestContext, id: string, field: string): Promise<OpsKeyPeriodInfo> {
    if (!this.keyPeriodLookup) throw new AppError('unavailable', 'operations.key_periods_unavailable', 'key periods are not connected');
    try {
      return await this.keyPeriodLookup(ctx, id);
    } catch (e) {
      if (e instanceof AppError && e.kind === 'not_found') throw validationError('operations.key_period_not_found', 'Unknown key period', [{ field, rule: 'exists', message: 'no such key period', value: id }]);
      throw e;
    }
  }

  /** The days (Asia/Shanghai, YYYY-MM-DD) a key period touches. */
  private static periodDays(p: OpsKeyPeriodInfo): string[] {
    const days: string[] = [];
    for (let d = localDate(p.startsAt); d <= localDate(new Date(p.endsAt.getTime() - 1)); d = localDate(new Date(new Date(`${d}T12:00:00+08:00`).getTime() + DAY_MS))) days.push(d);
    return days;
  }

  private async kpPlanRows(trx: Tx, f: { id?: string; keyPeriodId?: string }): Promise<Array<Omit<KeyPeriodPlan, 'keyPeriod' | 'reports' | 'missingDays' | 'staffOnRecord'>>> {
    return (await sql<Omit<KeyPeriodPlan, 'keyPeriod' | 'reports' | 'missingDays' | 'staffOnRecord' | 'summaryAt'> & { summaryAt: Date | null }>`
      select id, provider_org_id, key_period_id, node_id, onsite_staff, duty_arrangement, contacts, measures, summary, summary_at from ops_keyperiod_plans
      where true ${f.id ? sql`and id = ${f.id}` : sql``} ${f.keyPeriodId ? sql`and key_period_id = ${f.keyPeriodId}` : sql``} order by created_at desc limit 500`.execute(trx)).rows.map((r) => ({ ...r, summaryAt: iso(r.summaryAt) }));
  }

  private async kpPlanDetail(ctx: RequestContext, trx: Tx, id: string): Promise<KeyPeriodPlan> {
    const p = (await this.kpPlanRows(trx, { id }))[0];
    if (!p) throw notFound('operations.key_period_plan', id);
    const period = await this.keyPeriodOf(ctx, p.keyPeriodId, 'keyPeriodId');
    const reports = (await sql<{ id: string; day: string; onsiteStaff: number; incidents: number; body: string }>`select id, to_char(day, 'YYYY-MM-DD') as day, onsite_staff, incidents, body from ops_keyperiod_reports where plan_id = ${id} order by day`.execute(trx)).rows;
    const today = localDate(this.clock());
    const done = new Set(reports.map((r) => r.day));
    const missingDays = OperationsService.periodDays(period).filter((d) => d < today && !done.has(d));
    const staffOnRecord = Number((await sql<{ n: number }>`select count(*)::int as n from ops_staff where org_id = ${p.providerOrgId} and node_id = ${p.nodeId} and active and placement = 'onsite'`.execute(trx)).rows[0]!.n);
    return { ...p, keyPeriod: { id: period.id, name: period.name, startsAt: period.startsAt.toISOString(), endsAt: period.endsAt.toISOString() }, reports, missingDays, staffOnRecord };
  }

  /**
   * A provider's work plan for a key period on a node it serves: at least 30 staff on site
   * (`operations.key_period_staffing`, field `body.onsiteStaff`), the duty arrangement and at least one contact. The
   * node must be in the period's scope. One plan per provider, period and node (`409 operations.key_period_plan_exists`).
   */
  async createKeyPeriodPlan(ctx: RequestContext, input: { providerOrgId?: string | null; keyPeriodId: string; nodeId: string; onsiteStaff: number; dutyArrangement: string; contacts: Array<{ name: string; role: string; phone: string }>; measures?: string | null }): Promise<KeyPeriodPlan> {
    const providerOrgId = this.providerFor(ctx, input.providerOrgId, 'body.providerOrgId');
    const period = await this.keyPeriodOf(ctx, input.keyPeriodId, 'body.keyPeriodId');
    await this.assertServes(ctx, providerOrgId, input.nodeId, 'body.nodeId');
    if (period.scope !== 'all' && !period.nodeIds.includes(input.nodeId)) throw validationError('operations.node_not_in_period', `The key period ${period.name} does not cover this node`, [{ field: 'body.nodeId', rule: 'in_period_scope', message: 'the node is not in the key period', value: input.nodeId }]);
    if (input.onsiteStaff < STAFFING.major) throw validationError('operations.key_period_staffing', `A key period needs at least ${STAFFING.major} staff on site`, [{ field: 'body.onsiteStaff', rule: 'min_30_onsite', message: `at least ${STAFFING.major}`, value: input.onsiteStaff }]);
    return withTx(this.db, ctx, async (trx) => {
      const dup = (await sql<{ id: string }>`select id from ops_keyperiod_plans where provider_org_id = ${providerOrgId} and key_period_id = ${period.id} and node_id = ${input.nodeId}`.execute(trx)).rows[0];
      if (dup) throw new AppError('conflict', 'operations.key_period_plan_exists', 'This provider already has a work plan for the key period on this node', { planId: dup.id });
      const id = (await sql<{ id: string }>`insert into ops_keyperiod_plans (provider_org_id, key_period_id, node_id, onsite_staff, duty_arrangement, contacts, measures, created_by)
        values (${providerOrgId}, ${period.id}, ${input.nodeId}, ${input.onsiteStaff}, ${input.dutyArrangement}, ${JSON.stringify(input.contacts)}::jsonb, ${input.measures ?? null}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.key_period_plan_create', targetType: 'ops_keyperiod_plan', targetId: id, after: { keyPeriodId: period.id, onsiteStaff: input.onsiteStaff } });
      return this.kpPlanDetail(ctx, trx, id);
    });
  }

  async listKeyPeriodPlans(ctx: RequestContext, q: { keyPeriodId?: string } = {}): Promise<KeyPeriodPlan[]> {
    return withTx(this.db, ctx, async (trx) => {
      const out: KeyPeriodPlan[] = [];
      for (const p of await this.kpPlanRows(trx, q)) out.push(await this.kpPlanDetail(ctx, trx, p.id));
      return out;
    });
  }

  async getKeyPeriodPlan(ctx: RequestContext, id: string): Promise<KeyPeriodPlan> {
    if (!isUuid(id)) throw notFound('operations.key_period_plan', id);
    return withTx(this.db, ctx, (trx) => this.kpPlanDetail(ctx, trx, id));
  }

  /** The daily report (重保日报) of a day of the period (`operations.report_outside_period` otherwise), once a day. */
  async addKeyPeriodReport(ctx: RequestContext, id: string, input: { day: string; onsiteStaff: number; incidents?: number; body: string }): Promise<KeyPeriodPlan> {
    const plan = await this.getKeyPeriodPlan(ctx, id);
    const days = OperationsService.periodDays({ ...plan.keyPeriod, startsAt: new Date(plan.keyPeriod.startsAt), endsAt: new Date(plan.keyPeriod.endsAt), scope: 'all', nodeIds: [] });
    if (!days.includes(input.day)) throw validationError('operations.report_outside_period', `The day is outside the key period (${days[0]} – ${days.at(-1)})`, [{ field: 'body.day', rule: 'within_period', message: `between ${days[0]} and ${days.at(-1)}`, value: input.day }]);
    if (input.day > localDate(this.clock())) throw validationError('operations.report_in_future', 'A daily report is for a day that has begun', [{ field: 'body.day', rule: 'not_future', message: 'not after today', value: input.day }]);
    return withTx(this.db, ctx, async (trx) => {
      if (plan.reports.some((r) => r.day === input.day)) throw new AppError('conflict', 'operations.report_exists', `The report of ${input.day} is already in`, { day: input.day });
      await sql`insert into ops_keyperiod_reports (plan_id, provider_org_id, day, onsite_staff, incidents, body, created_by) values (${id}, ${plan.providerOrgId}, ${input.day}, ${input.onsiteStaff}, ${input.incidents ?? 0}, ${input.body}, ${ctx.actor.userId})`.execute(trx);
      return this.kpPlanDetail(ctx, trx, id);
    });
  }

  /** The final summary (总结), once the period has ended (`409 operations.period_not_ended`). */
  async summariseKeyPeriod(ctx: RequestContext, id: string, input: { summary: string }): Promise<KeyPeriodPlan> {
    const plan = await this.getKeyPeriodPlan(ctx, id);
    if (new Date(plan.keyPeriod.endsAt) > this.clock()) throw new AppError('conflict', 'operations.period_not_ended', `The key period ends ${plan.keyPeriod.endsAt}; the summary comes after`, { endsAt: plan.keyPeriod.endsAt });
    return withTx(this.db, ctx, async (trx) => {
      await sql`update ops_keyperiod_plans set summary = ${input.summary}, summary_at = ${this.clock()} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.key_period_summary', targetType: 'ops_keyperiod_plan', targetId: id, after: { length: input.summary.length } });
      return this.kpPlanDetail(ctx, trx, id);
    });
  }

  /** The plan, its daily reports and the summary as a signed PDF (SM2, documents module). */
  async exportKeyPeriodPlan(ctx: RequestContext, id: string): Promise<RenderedDocument> {
    const p = await this.getKeyPeriodPlan(ctx, id);
    if (!this.documents) throw new AppError('unavailable', 'operations.documents_unavailable', 'document signing is not configured');
    const orgName = (await this.organisations.get(systemContext('operations.export'), p.providerOrgId).catch(() => null))?.name ?? p.providerOrgId;
    return this.documents.render(ctx, {
      docType: 'operations_key_period',
      title: `重保工作方案及总结：${p.keyPeriod.name}`,
      meta: [
        { label: '服务商', value: orgName },
        { label: '重保期', value: `${bj(new Date(p.keyPeriod.startsAt))} – ${bj(new Date(p.keyPeriod.endsAt))}` },
        { label: '现场人员', value: `${p.onsiteStaff} 人（在册 ${p.staffOnRecord} 人）` },
        { label: '值守安排', value: p.dutyArrangement },
        { label: '联系人', value: p.contacts.map((c) => `${c.name}（${c.role}）${c.phone}`).join('；') },
      ],
      columns: [{ key: 'day', header: ['日期'], width: 12 }, { key: 'onsite', header: ['在岗人数'], width: 10 }, { key: 'incidents', header: ['事件数'], width: 8 }, { key: 'body', header: ['日报'], width: 60 }],
      rows: p.reports.map((r) => ({ day: r.day, onsite: String(r.onsiteStaff), incidents: String(r.incidents), body: r.body })),
      notes: [...(p.missingDays.length ? [`缺报日期：${p.missingDays.join('、')}`] : []), `总结：${p.summary ?? '（尚未提交）'}`],
      signatures: ['服务商（盖章）', '监理单位（确认）'],
    }, 'pdf', { filenameStem: `重保总结-${p.keyPeriod.name}`, targetId: id });
  }

  // ---- duty swaps (换班) ------------------------------------------------------------------------------------

  private async swapShift(trx: Tx, id: string, forUpdate = false): Promise<ShiftRow | undefined> {
    return (await sql<ShiftRow>`select id, org_id, person, phone, starts_at, ends_at from ops_duty_shifts where id = ${id} ${forUpdate ? sql`for update` : sql``}`.execute(trx)).rows[0];
  }

  /**
   * Checks a swap against the organisation's roster as it is now: nobody on two overlapping shifts afterwards
   * (`operations.shift_overlap`) and no interval of 7×24 coverage that the swap leaves uncovered
   * (`operations.swap_coverage_gap`, naming each interval in Beijing time; gaps the roster already had are not the
   * swap's doing). Returns the shifts as they will be.
   */
  private async checkSwap(trx: Tx, s: { shift: ShiftRow; counter: ShiftRow | null; counterpart: string; coverFrom: Date | null; coverTo: Date | null }): Promise<void> {
    const from = new Date(Math.min(s.shift.startsAt.getTime(), s.counter?.startsAt.getTime() ?? Infinity));
    const to = new Date(Math.max(s.shift.endsAt.getTime(), s.counter?.endsAt.getTime() ?? -Infinity));
    const around = (await sql<ShiftRow>`select id, org_id, person, phone, starts_at, ends_at from ops_duty_shifts
      where org_id = ${s.shift.orgId} and ends_at > ${new Date(from.getTime() - DAY_MS)} and starts_at < ${new Date(to.getTime() + DAY_MS)} order by starts_at limit 5000`.execute(trx)).rows;
    const before = around.map((r) => ({ id: r.id, person: r.person, start: r.startsAt, end: r.endsAt }));
    const after = before.map((r) => {
      if (r.id === s.shift.id) return { ...r, person: s.counterpart, start: s.coverFrom ?? r.start, end: s.coverTo ?? r.end };
      if (s.counter && r.id === s.counter.id) return { ...r, person: s.shift.person };
      return r;
    });
    const changed = new Set([s.shift.id, s.counter?.id]);
    const overlap = overlappingShifts(after).find(([a, b]) => changed.has(a.id) || changed.has(b.id));
    if (overlap) {
      const [a, b] = overlap;
      const field = a.person === s.counterpart ? 'body.counterpart' : 'body.counterShiftId';
      throw validationError('operations.shift_overlap', `${a.person} would be on two overlapping shifts (${bj(a.start)}–${bj(a.end)} and ${bj(b.start)}–${bj(b.end)})`, [
        { field, rule: 'no_overlap', message: `${a.person} is already on duty ${bj(a.start)}–${bj(a.end)}`, value: { person: a.person } },
      ]);
    }
    const gaps = newCoverageGaps(before, after, from, to).map((g) => ({ start: iso(g.start)!, end: iso(g.end)! }));
    if (gaps.length) {
      throw new AppError('validation', 'operations.swap_coverage_gap', `The swap would leave nobody on duty ${gaps.map((g) => `${bj(new Date(g.start))}–${bj(new Date(g.end))}`).join(', ')} (Beijing time)`, {
        gaps,
        issues: gaps.map((g) => ({ field: 'body.coverFrom', rule: 'coverage_7x24', message: `nobody on duty ${g.start} – ${g.end}`, value: g })),
      });
    }
  }

  private async swapRows(trx: Tx, f: { id?: string; orgId?: string; status?: string }): Promise<DutySwap[]> {
    const rows = (await sql<SwapRow>`select w.id, w.org_id, w.shift_id, w.counter_shift_id, w.requester, w.counterpart, w.counterpart_phone, w.cover_from, w.cover_to, w.reason, w.status,
        w.accepted_at, w.decided_at, w.decision_note, w.created_by, w.created_at, s.starts_at as shift_starts_at, s.ends_at as shift_ends_at, c.starts_at as counter_starts_at, c.ends_at as counter_ends_at
      from ops_duty_swaps w join ops_duty_shifts s on s.id = w.shift_id left join ops_duty_shifts c on c.id = w.counter_shift_id
      where true ${f.id ? sql`and w.id = ${f.id}` : sql``} ${f.orgId ? sql`and w.org_id = ${f.orgId}` : sql``} ${f.status ? sql`and w.status = ${f.status}` : sql``}
      order by w.created_at desc limit 1000`.execute(trx)).rows;
    return rows.map((r) => ({
      id: r.id, orgId: r.orgId, shiftId: r.shiftId, counterShiftId: r.counterShiftId, requester: r.requester, counterpart: r.counterpart, counterpartPhone: r.counterpartPhone,
      coverFrom: iso(r.coverFrom), coverTo: iso(r.coverTo), reason: r.reason, status: r.status, acceptedAt: iso(r.acceptedAt), decidedAt: iso(r.decidedAt), decisionNote: r.decisionNote,
      createdBy: r.createdBy, createdAt: iso(r.createdAt)!, shiftStartsAt: iso(r.shiftStartsAt)!, shiftEndsAt: iso(r.shiftEndsAt)!, counterStartsAt: iso(r.counterStartsAt), counterEndsAt: iso(r.counterEndsAt),
    }));
  }

  /**
   * Requests a swap (换班): the person on `shiftId` hands it (or the part `coverFrom`–`coverTo`) to `counterpart`, who
   * gives back `counterShiftId` when it is an exchange. Neither shift may have started. Checked at once against the
   * roster (overlaps, gaps in 7×24 coverage) and again when the duty manager approves.
   */
  async requestSwap(ctx: RequestContext, input: { shiftId: string; counterShiftId?: string | null; counterpart: string; counterpartPhone?: string | null; coverFrom?: string | null; coverTo?: string | null; reason: string }): Promise<DutySwap> {
    const now = this.clock();
    return withTx(this.db, ctx, async (trx) => {
      const shift = isUuid(input.shiftId) ? await this.swapShift(trx, input.shiftId) : undefined;
      if (!shift) throw notFound('operations.shift', input.shiftId);
      if (shift.startsAt <= now) throw validationError('operations.shift_started', 'Only a shift that has not started can be swapped', [{ field: 'body.shiftId', rule: 'not_started', message: `the shift started ${shift.startsAt.toISOString()}`, value: input.shiftId }]);
      if (input.counterpart.trim() === shift.person) throw validationError('operations.swap_same_person', 'The counterpart is someone else than the person on the shift', [{ field: 'body.counterpart', rule: 'other_person', message: `${shift.person} is already on this shift`, value: input.counterpart }]);
      let counter: ShiftRow | null = null;
      if (input.counterShiftId) {
        counter = (isUuid(input.counterShiftId) ? await this.swapShift(trx, input.counterShiftId) : undefined) ?? null;
        if (!counter || counter.orgId !== shift.orgId) throw validationError('operations.swap_counter_shift', 'The shift given back is one of the same roster', [{ field: 'body.counterShiftId', rule: 'same_roster', message: 'no such shift in this roster', value: input.counterShiftId }]);
        if (counter.person !== input.counterpart.trim()) throw validationError('operations.swap_counter_shift', 'The shift given back is the counterpart’s', [{ field: 'body.counterShiftId', rule: 'counterpart_shift', message: `that shift is ${counter.person}’s, not ${input.counterpart}’s`, value: input.counterShiftId }]);
        if (counter.startsAt <= now) throw validationError('operations.shift_started', 'Only a shift that has not started can be swapped', [{ field: 'body.counterShiftId', rule: 'not_started', message: `the shift started ${counter.startsAt.toISOString()}`, value: input.counterShiftId }]);
      }
      const coverFrom = input.coverFrom ? new Date(input.coverFrom) : null;
      const coverTo = input.coverTo ? new Date(input.coverTo) : null;
      if ((coverFrom === null) !== (coverTo === null)) throw validationError('operations.swap_cover_invalid', 'coverFrom and coverTo go together', [{ field: coverFrom ? 'body.coverTo' : 'body.coverFrom', rule: 'both_or_neither', message: 'give both or neither' }]);
      if (coverFrom && coverTo && (coverTo <= coverFrom || coverFrom < shift.startsAt || coverTo > shift.endsAt)) {
        throw validationError('operations.swap_cover_invalid', 'The part covered lies within the shift', [{ field: 'body.coverFrom', rule: 'within_shift', message: `within ${bj(shift.startsAt)}–${bj(shift.endsAt)}, coverFrom before coverTo` }]);
      }
      await this.checkSwap(trx, { shift, counter, counterpart: input.counterpart.trim(), coverFrom, coverTo });
      const id = (await sql<{ id: string }>`insert into ops_duty_swaps (org_id, shift_id, counter_shift_id, requester, counterpart, counterpart_phone, cover_from, cover_to, reason, created_by)
        values (${shift.orgId}, ${shift.id}, ${counter?.id ?? null}, ${shift.person}, ${input.counterpart.trim()}, ${input.counterpartPhone ?? null}, ${coverFrom}, ${coverTo}, ${input.reason}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.swap_request', targetType: 'ops_duty_swap', targetId: id, after: { shiftId: shift.id, counterpart: input.counterpart } });
      return (await this.swapRows(trx, { id }))[0]!;
    });
  }

  /** The counterpart's answer: accepted (then the duty manager decides) or declined. Not by the user who requested it. */
  async respondSwap(ctx: RequestContext, id: string, input: { accept: boolean }): Promise<DutySwap> {
    return withTx(this.db, ctx, async (trx) => {
      const w = isUuid(id) ? (await this.swapRows(trx, { id }))[0] : undefined;
      if (!w) throw notFound('operations.swap', id);
      if (w.status !== 'requested') throw new AppError('conflict', 'operations.swap_not_requested', `Only a requested swap is answered (this one is ${w.status})`, { status: w.status });
      if (w.createdBy && w.createdBy === ctx.actor.userId) throw new AppError('conflict', 'operations.swap_own_request', 'The counterpart answers, not the user who asked', {});
      await sql`update ops_duty_swaps set status = ${input.accept ? 'accepted' : 'declined'}, accepted_at = ${input.accept ? this.clock() : null} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.swap_respond', targetType: 'ops_duty_swap', targetId: id, after: { accept: input.accept } });
      return (await this.swapRows(trx, { id }))[0]!;
    });
  }

  /**
   * The duty manager's decision (permission `operations:duty_approve`) on an accepted swap. Approval re-checks the
   * roster as it is now (it may have changed since the request): a swap that would leave a gap in 7×24 coverage is
   * refused naming the interval, and nothing changes. Approved, the shifts change hands and the duty log records it.
   */
  async decideSwap(ctx: RequestContext, id: string, input: { approve: boolean; note?: string | null }): Promise<DutySwap> {
    return withTx(this.db, ctx, async (trx) => {
      const w = isUuid(id) ? (await this.swapRows(trx, { id }))[0] : undefined;
      if (!w) throw notFound('operations.swap', id);
      if (w.status !== 'accepted') throw new AppError('conflict', 'operations.swap_not_accepted', `Only a swap the counterpart accepted is decided (this one is ${w.status})`, { status: w.status });
      if (w.createdBy && w.createdBy === ctx.actor.userId) throw new AppError('conflict', 'operations.swap_own_request', 'The duty manager deciding is not the user who asked', {});
      if (input.approve) {
        const shift = (await this.swapShift(trx, w.shiftId, true))!;
        const counter = w.counterShiftId ? ((await this.swapShift(trx, w.counterShiftId, true)) ?? null) : null;
        if (shift.person !== w.requester || (counter && counter.person !== w.counterpart)) throw new AppError('conflict', 'operations.swap_stale', 'The roster changed since the request: the shifts are no longer those of the two people', {});
        const now = this.clock();
        if (shift.startsAt <= now || (counter && counter.startsAt <= now)) throw new AppError('conflict', 'operations.shift_started', 'A shift of the swap has started', {});
        const coverFrom = w.coverFrom ? new Date(w.coverFrom) : null;
        const coverTo = w.coverTo ? new Date(w.coverTo) : null;
        await this.checkSwap(trx, { shift, counter, counterpart: w.counterpart, coverFrom, coverTo });
        await sql`update ops_duty_shifts set person = ${w.counterpart}, phone = ${w.counterpartPhone}, starts_at = ${coverFrom ?? shift.startsAt}, ends_at = ${coverTo ?? shift.endsAt} where id = ${shift.id}`.execute(trx);
        if (counter) await sql`update ops_duty_shifts set person = ${w.requester}, phone = ${shift.phone} where id = ${counter.id}`.execute(trx);
        const body = `换班：${w.requester} ${bj(shift.startsAt)}–${bj(shift.endsAt)} 由 ${w.counterpart} 顶替${coverFrom && coverTo ? `（${bj(coverFrom)}–${bj(coverTo)}）` : ''}${counter ? `；${w.requester} 接 ${bj(counter.startsAt)}–${bj(counter.endsAt)}` : ''}。事由：${w.reason}`;
        await sql`insert into ops_duty_log (org_id, at, kind, person, body, created_by) values (${w.orgId}, ${now}, 'handover', ${w.counterpart}, ${body.slice(0, 5000)}, ${ctx.actor.userId})`.execute(trx);
      }
      await sql`update ops_duty_swaps set status = ${input.approve ? 'approved' : 'rejected'}, decided_at = ${this.clock()}, decided_by = ${ctx.actor.userId}, decision_note = ${input.note ?? null} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.swap_decide', targetType: 'ops_duty_swap', targetId: id, after: { approve: input.approve } });
      return (await this.swapRows(trx, { id }))[0]!;
    });
  }

  async listSwaps(ctx: RequestContext, q: { orgId?: string; status?: DutySwap['status'] } = {}): Promise<DutySwap[]> {
    return withTx(this.db, ctx, (trx) => this.swapRows(trx, q));
  }

  async addDutyEntry(ctx: RequestContext, input: { orgId?: string | null; at: string; kind: DutyEntry['kind']; person: string; body: string }): Promise<DutyEntry> {
    const orgId = await this.orgFor(ctx, input.orgId);
    return withTx(this.db, ctx, async (trx) => {
      const r = (await sql<{ id: string; orgId: string; at: Date; kind: DutyEntry['kind']; person: string; body: string }>`insert into ops_duty_log (org_id, at, kind, person, body, created_by)
        values (${orgId}, ${new Date(input.at)}, ${input.kind}, ${input.person}, ${input.body}, ${ctx.actor.userId}) returning id, org_id, at, kind, person, body`.execute(trx)).rows[0]!;
      return { ...r, at: iso(r.at)! };
    });
  }

  /** The daily duty summary (值班记录) of one local day, generated from the shifts, the log and the inspections. */
  async dailySummary(ctx: RequestContext, q: { orgId?: string | null; day: string }): Promise<{
    day: string;
    orgId: string;
    onDuty: Shift[];
    gaps: Array<{ start: string; end: string }>;
    entries: DutyEntry[];
    counts: { events: number; handovers: number; checks: number };
    inspections: { expected: number; done: number; missed: number; abnormal: number } | null;
    openRectifications: number;
  }> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q.day)) throw validationError('operations.invalid_day', 'The day is YYYY-MM-DD', [{ field: 'query.day', rule: 'date', message: 'YYYY-MM-DD', value: q.day }]);
    const orgId = await this.orgFor(ctx, q.orgId);
    const from = new Date(`${q.day}T00:00:00+08:00`);
    const to = new Date(from.getTime() + DAY_MS);
    const { shifts, gaps } = await this.coverage(ctx, { orgId, from: from.toISOString(), to: to.toISOString() });
    return withTx(this.db, ctx, async (trx) => {
      const entries = (await sql<{ id: string; orgId: string; at: Date; kind: DutyEntry['kind']; person: string; body: string }>`select id, org_id, at, kind, person, body from ops_duty_log
        where org_id = ${orgId} and at >= ${from} and at < ${to} order by at`.execute(trx)).rows.map((r) => ({ ...r, at: iso(r.at)! }));
      const status = await this.slotStatus(trx, { from, to }, orgId);
      const hasPlans = status.length > 0;
      const inspections = hasPlans
        ? status.reduce((a, s) => ({ expected: a.expected + s.expected, done: a.done + s.done, missed: a.missed + s.missed.length, abnormal: a.abnormal + s.abnormal }), { expected: 0, done: 0, missed: 0, abnormal: 0 })
        : null;
      const open = (await sql<{ n: number }>`select count(*)::int as n from ops_rectifications where status = 'open' and provider_org_id = ${orgId}`.execute(trx)).rows[0]!.n;
      const count = (k: string) => entries.filter((e) => e.kind === k).length;
      return { day: q.day, orgId, onDuty: shifts, gaps, entries, counts: { events: count('event'), handovers: count('handover'), checks: count('check') }, inspections, openRectifications: open };
    });
  }

  /**
   * The weekly report (周报) of the ISO week starting `week` (a Monday): per day the log counts, the uncovered duty
   * minutes and the inspections; over the week the rectification items opened and closed, drills held and changes
   * implemented (and outside their window) of the organisation.
   */
  async weeklySummary(ctx: RequestContext, q: { orgId?: string | null; week: string }): Promise<{
    week: string;
    orgId: string;
    days: Array<{ day: string; events: number; handovers: number; checks: number; uncoveredMinutes: number; inspections: { expected: number; done: number; missed: number; abnormal: number } | null }>;
    rectificationsOpened: number;
    rectificationsClosed: number;
    drillsHeld: number;
    changesImplemented: number;
    changesOutsideWindow: number;
  }> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q.week) || new Date(`${q.week}T00:00:00Z`).getUTCDay() !== 1) {
      throw validationError('operations.invalid_week', 'The week is given by its Monday, YYYY-MM-DD', [{ field: 'query.week', rule: 'monday', message: 'a Monday', value: q.week }]);
    }
    const orgId = await this.orgFor(ctx, q.orgId);
    const days: Array<{ day: string; events: number; handovers: number; checks: number; uncoveredMinutes: number; inspections: { expected: number; done: number; missed: number; abnormal: number } | null }> = [];
    for (let i = 0; i < 7; i++) {
      const day = new Date(Date.parse(`${q.week}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10);
      const d = await this.dailySummary(ctx, { orgId, day });
      const uncoveredMinutes = Math.round(d.gaps.reduce((a, g) => a + (Date.parse(g.end) - Date.parse(g.start)), 0) / 60_000);
      days.push({ day, ...d.counts, uncoveredMinutes, inspections: d.inspections });
    }
    const from = new Date(`${q.week}T00:00:00+08:00`);
    const to = new Date(from.getTime() + 7 * DAY_MS);
    const fromDay = q.week;
    const toDay = localDate(to);
    const n = (rows: Array<{ n: number }>) => rows[0]?.n ?? 0;
    return withTx(this.db, ctx, async (trx) => ({
      week: q.week,
      orgId,
      days,
      rectificationsOpened: n((await sql<{ n: number }>`select count(*)::int as n from ops_rectifications where provider_org_id = ${orgId} and created_at >= ${from} and created_at < ${to}`.execute(trx)).rows),
      rectificationsClosed: n((await sql<{ n: number }>`select count(*)::int as n from ops_rectifications where provider_org_id = ${orgId} and closed_at >= ${from} and closed_at < ${to}`.execute(trx)).rows),
      drillsHeld: n((await sql<{ n: number }>`select count(*)::int as n from ops_drills where org_id = ${orgId} and held_on >= ${fromDay} and held_on < ${toDay}`.execute(trx)).rows),
      changesImplemented: n((await sql<{ n: number }>`select count(*)::int as n from ops_changes where provider_org_id = ${orgId} and implemented_from >= ${from} and implemented_from < ${to}`.execute(trx)).rows),
      changesOutsideWindow: n((await sql<{ n: number }>`select count(*)::int as n from ops_changes where provider_org_id = ${orgId} and outside_window and implemented_from >= ${from} and implemented_from < ${to}`.execute(trx)).rows),
    }));
  }

  // ---- platform changes ---------------------------------------------------------------------------------------

  private async changeRows(trx: Tx, f: { id?: string }): Promise<PlatformChange[]> {
    const rows = (await sql<Omit<PlatformChange, 'windowStart' | 'windowEnd' | 'implementedFrom' | 'implementedTo'> & { windowStart: Date; windowEnd: Date; implementedFrom: Date | null; implementedTo: Date | null }>`
      select id, provider_org_id, node_id, change_type, title, description, business_impact, impacted_resource_ids, impacted_system_ids, impacted_host_ids, window_start, window_end, status, workflow_instance_id,
             implemented_from, implemented_to, result, result_note, outside_window
      from ops_changes where true ${f.id ? sql`and id = ${f.id}` : sql``} order by window_start desc limit 1000`.execute(trx)).rows;
    return rows.map((r) => ({ ...r, windowStart: iso(r.windowStart)!, windowEnd: iso(r.windowEnd)!, implementedFrom: iso(r.implementedFrom), implementedTo: iso(r.implementedTo) }));
  }

  /** Moves changes in approval to approved / rejected when their workflow has ended. */
  private async syncChanges(): Promise<void> {
    const ctx = systemContext('operations.sync');
    const pending = await withTx(this.db, ctx, async (trx) => (await sql<{ id: string; workflowInstanceId: string }>`select id, workflow_instance_id from ops_changes where status = 'in_approval' and workflow_instance_id is not null`.execute(trx)).rows);
    for (const p of pending) {
      const inst = await this.workflow.getInstance(ctx, p.workflowInstanceId);
      const status = inst.status === 'approved' ? 'approved' : inst.status === 'rejected' || inst.status === 'terminated' ? 'rejected' : null;
      if (status) await withTx(this.db, ctx, (trx) => sql`update ops_changes set status = ${status} where id = ${p.id} and status = 'in_approval'`.execute(trx));
    }
  }

  /**
   * A platform change request: its impacted systems come from the inventory resources named. A change with business
   * impact goes through approval (workflow `operations_platform_change`); one without is approved on submission.
   */
  async createChange(ctx: RequestContext, input: { providerOrgId?: string | null; nodeId?: string | null; changeType: string; title: string; description: string; businessImpact: boolean; impactedResourceIds?: string[]; windowStart: string; windowEnd: string }): Promise<PlatformChange> {
    const providerOrgId = this.providerFor(ctx, input.providerOrgId, 'body.providerOrgId');
    if (input.nodeId) await this.assertServes(ctx, providerOrgId, input.nodeId, 'body.nodeId');
    const ws = new Date(input.windowStart);
    const we = new Date(input.windowEnd);
    if (we <= ws) throw validationError('operations.window_invalid', 'The maintenance window ends after it starts', [{ field: 'body.windowEnd', rule: 'after_window_start', message: 'windowEnd must be after windowStart' }]);
    const systems = new Set<string>();
    const hosts = new Set<string>();
    for (const [i, rid] of (input.impactedResourceIds ?? []).entries()) {
      let res;
      try {
        res = await this.inventory.get(ctx, rid);
      } catch (e) {
        if (e instanceof AppError && e.kind === 'not_found') throw validationError('operations.resource_not_found', 'Unknown inventory resource', [{ field: `body.impactedResourceIds[${i}]`, rule: 'exists', message: 'no such resource', value: rid }]);
        throw e;
      }
      if (res.provider.id !== providerOrgId) throw validationError('operations.resource_other_provider', 'The resource is run by another provider', [{ field: `body.impactedResourceIds[${i}]`, rule: 'same_provider', message: 'another provider’s resource', value: rid }]);
      if (res.system) systems.add(res.system.id);
      if (HOST_KINDS.has(res.kind)) hosts.add(res.id);
    }
    return withTx(this.db, ctx, async (trx) => {
      const id = (await sql<{ id: string }>`insert into ops_changes (provider_org_id, node_id, change_type, title, description, business_impact, impacted_resource_ids, impacted_system_ids, impacted_host_ids, window_start, window_end, created_by)
        values (${providerOrgId}, ${input.nodeId ?? null}, ${input.changeType}, ${input.title}, ${input.description}, ${input.businessImpact}, ${input.impactedResourceIds ?? []}::uuid[], ${[...systems]}::uuid[], ${[...hosts]}::uuid[], ${ws}, ${we}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.change_create', targetType: 'ops_change', targetId: id, after: { changeType: input.changeType, businessImpact: input.businessImpact } });
      return (await this.changeRows(trx, { id }))[0]!;
    });
  }

  async submitChange(ctx: RequestContext, id: string): Promise<PlatformChange> {
    if (!isUuid(id)) throw notFound('operations.change', id);
    await withTx(this.db, ctx, async (trx) => {
      const c = (await this.changeRows(trx, { id }))[0];
      if (!c) throw notFound('operations.change', id);
      if (c.status !== 'draft') throw new AppError('conflict', 'operations.change_not_draft', `Only a draft can be submitted (this one is ${c.status})`, { status: c.status });
      if (!c.businessImpact) {
        await sql`update ops_changes set status = 'approved' where id = ${id}`.execute(trx);
        return;
      }
      const instanceId = await this.workflow.startIn(trx, ctx, { subjectType: 'platform_change', subjectId: id, definitionCode: CHANGE_DEFINITION_CODE, providerOrgId: c.providerOrgId, title: c.title, facts: {} });
      await sql`update ops_changes set status = 'in_approval', workflow_instance_id = ${instanceId} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.change_submit', targetType: 'ops_change', targetId: id, after: { instanceId } });
    });
    return this.getChange(ctx, id);
  }

  async getChange(ctx: RequestContext, id: string): Promise<PlatformChange> {
    if (!isUuid(id)) throw notFound('operations.change', id);
    await this.syncChanges();
    return withTx(this.db, ctx, async (trx) => {
      const c = (await this.changeRows(trx, { id }))[0];
      if (!c) throw notFound('operations.change', id);
      return c;
    });
  }

  /**
   * The approved platform changes (status approved or implemented) whose approved maintenance window overlaps
   * [from, to), oldest first, with their impacted systems and hosts — what the caller's context sees (a provider its
   * own; management, supervision and system contexts all). Changes still in approval, rejected or drafts are not
   * planned work. At most 370 days at a time (`operations.range_too_long`).
   */
  async plannedMaintenanceWindows(ctx: RequestContext, range: { from: Date; to: Date }): Promise<PlannedMaintenanceWindow[]> {
    checkRange(range);
    await this.syncChanges();
    return withTx(this.db, ctx, async (trx) =>
      (await sql<{ changeId: string; title: string; providerOrgId: string | null; nodeId: string | null; systemIds: string[]; hostIds: string[]; startsAt: Date; endsAt: Date }>`
        select id as change_id, title, provider_org_id, node_id, impacted_system_ids as system_ids, impacted_host_ids as host_ids, window_start as starts_at, window_end as ends_at
        from ops_changes where status in ('approved', 'implemented') and window_start < ${range.to} and window_end > ${range.from}
        order by window_start, id limit 10000`.execute(trx)).rows.map((r) => ({ ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt) })));
  }

  async listChanges(ctx: RequestContext): Promise<PlatformChange[]> {
    await this.syncChanges();
    return withTx(this.db, ctx, (trx) => this.changeRows(trx, {}));
  }

  /**
   * Records the implementation and its result. Only an approved change is implemented; one implemented outside its
   * approved window is recorded and flagged (`outsideWindow`), and a service-desk ticket (source 'platform_change') is opened.
   */
  async implementChange(ctx: RequestContext, id: string, input: { implementedFrom: string; implementedTo: string; result: 'success' | 'failed' | 'rolled_back'; note?: string | null }): Promise<PlatformChange> {
    const c = await this.getChange(ctx, id);
    if (c.status !== 'approved') throw new AppError('conflict', 'operations.change_not_approved', `Only an approved change is implemented (this one is ${c.status})`, { status: c.status });
    const f = new Date(input.implementedFrom);
    const t = new Date(input.implementedTo);
    if (t < f) throw validationError('operations.implementation_invalid', 'implementedTo must not be before implementedFrom', [{ field: 'body.implementedTo', rule: 'after_implemented_from', message: 'before implementedFrom' }]);
    const outside = f < new Date(c.windowStart) || t > new Date(c.windowEnd);
    await withTx(this.db, ctx, async (trx) => {
      await sql`update ops_changes set status = 'implemented', implemented_from = ${f}, implemented_to = ${t}, result = ${input.result}, result_note = ${input.note ?? null}, outside_window = ${outside} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.change_implement', targetType: 'ops_change', targetId: id, after: { result: input.result, outsideWindow: outside } });
    });
    if (outside) {
      await this.callHook({ source: 'platform_change', sourceId: id, state: 'open', title: `变更超出批准窗口：${c.title}`, description: `批准窗口 ${c.windowStart} – ${c.windowEnd}，实施 ${f.toISOString()} – ${t.toISOString()}`, severity: 'major', occurredAt: f, providerId: c.providerOrgId, nodeId: c.nodeId });
    }
    return this.getChange(ctx, id);
  }

  // ---- exports ------------------------------------------------------------------------------------------------

  /** A list as a signed .xlsx (inspections, rectifications, staff certificates, drills, changes), what the caller sees. */
  async exportList(ctx: RequestContext, list: 'inspections' | 'rectifications' | 'staff' | 'drills' | 'changes' | 'events' | 'trainings' | 'room-access'): Promise<RenderedDocument> {
    if (!this.documents) throw new AppError('unavailable', 'operations.documents_unavailable', 'document signing is not configured');
    const t = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '');
    const col = (key: string, header: string, width = 16) => ({ key, header: [header], width });
    let model: { title: string; columns: Array<{ key: string; header: string[]; width: number }>; rows: Array<Record<string, string | number>> };
    if (list === 'inspections') {
      const rows = await this.listRecords(ctx, {});
      model = { title: '巡检记录', columns: [col('plan', '巡检计划', 24), col('slot', '应巡检时段', 22), col('at', '巡检时间', 20), col('who', '巡检人', 10), col('abnormal', '异常项数', 8), col('late', '补录', 6)],
        rows: rows.map((r) => ({ plan: r.planName, slot: t(r.slotStart), at: t(r.performedAt), who: r.inspectorName, abnormal: r.abnormalCount, late: r.late ? '是' : '' })) };
    } else if (list === 'rectifications') {
      const rows = await this.listRectifications(ctx, {});
      model = { title: '巡检整改项', columns: [col('item', '检查项', 20), col('desc', '异常描述', 40), col('status', '状态', 8), col('ticket', '工单', 38), col('created', '发现时间', 20), col('closed', '完成时间', 20), col('resolution', '整改情况', 40)],
        rows: rows.map((r) => ({ item: r.label, desc: r.description, status: r.status === 'open' ? '整改中' : '已完成', ticket: r.ticketId ?? '', created: t(r.createdAt), closed: t(r.closedAt), resolution: r.resolution ?? '' })) };
    } else if (list === 'staff') {
      const rows = await this.listStaff(ctx, {});
      model = { title: '人员与证书', columns: [col('name', '姓名', 10), col('post', '岗位', 16), col('placement', '驻场/二线', 10), col('core', '核心人员', 8), col('cert', '证书', 30), col('validTo', '证书有效期至', 14)],
        rows: rows.flatMap((r) => (r.certificates.length ? r.certificates : [null]).map((c) => ({ name: r.name, post: r.post, placement: r.placement === 'onsite' ? '驻场' : '二线', core: r.core ? '是' : '', cert: c?.name ?? '', validTo: c?.validTo ?? '' }))) };
    } else if (list === 'drills') {
      const rows = await this.listDrills(ctx);
      model = { title: '应急演练', columns: [col('level', '层级', 10), col('kind', '形式', 8), col('scenario', '场景', 40), col('planned', '计划日期', 12), col('held', '实施日期', 12), col('participants', '参加人员', 30), col('findings', '发现问题', 40)],
        rows: rows.map((r) => ({ level: { provider: '服务商', management: '管理单位', platform: '平台' }[r.level], kind: r.kind === 'live' ? '实战' : '桌面', scenario: r.scenario, planned: r.plannedOn, held: r.heldOn ?? '', participants: r.participants.join('、'), findings: r.findings ?? '' })) };
    } else if (list === 'events') {
      const rows = await this.listEvents(ctx);
      const st = { reported: '已上报', responding: '处置中', recovered: '已恢复', reviewed: '已复盘' } as const;
      model = { title: '应急事件', columns: [col('number', '编号', 22), col('title', '事件', 30), col('severity', '级别', 6), col('status', '状态', 8), col('occurred', '发生时间', 20), col('response', '响应(分钟)', 10), col('recovery', '恢复(分钟)', 10), col('cause', '原因', 40)],
        rows: rows.map((r) => ({ number: r.number, title: r.title, severity: r.severity, status: st[r.status], occurred: t(r.occurredAt), response: r.responseMinutes ?? '', recovery: r.recoveryMinutes ?? '', cause: r.rootCause ?? '' })) };
    } else if (list === 'room-access') {
      const rows = await this.listRoomAccess(ctx);
      model = { title: '机房出入记录', columns: [col('room', '机房', 20), col('person', '人员', 10), col('company', '单位', 20), col('work', '工作内容', 40), col('in', '进入时间', 20), col('out', '离开时间', 20)],
        rows: rows.map((r) => ({ room: r.roomName, person: r.person, company: r.company, work: r.work, in: t(r.enteredAt), out: t(r.leftAt) })) };
    } else if (list === 'trainings') {
      const rows = await this.listTrainings(ctx);
      const kinds = { emergency_response: '应急响应培训', business: '业务培训', confidentiality: '保密培训', security: '安全培训', user: '用户培训' } as const;
      model = { title: '培训记录', columns: [col('heldOn', '日期', 12), col('kind', '类别', 14), col('topic', '主题', 30), col('trainer', '讲师', 10), col('participants', '人数', 8), col('hours', '学时', 8)],
        rows: rows.map((r) => ({ heldOn: r.heldOn, kind: kinds[r.kind], topic: r.topic, trainer: r.trainer ?? '', participants: r.participants, hours: r.hours })) };
    } else {
      const rows = await this.listChanges(ctx);
      model = { title: '云平台变更', columns: [col('title', '变更', 30), col('type', '类型', 12), col('impact', '影响业务', 8), col('status', '状态', 10), col('ws', '窗口开始', 20), col('we', '窗口结束', 20), col('outside', '超窗口实施', 10)],
        rows: rows.map((r) => ({ title: r.title, type: r.changeType, impact: r.businessImpact ? '是' : '否', status: r.status, ws: t(r.windowStart), we: t(r.windowEnd), outside: r.outsideWindow ? '是' : '' })) };
    }
    return this.documents.render(ctx, { docType: `operations_${list}`, title: model.title, sheetName: model.title, columns: model.columns, rows: model.rows }, 'xlsx', { filenameStem: model.title });
  }

  // ---- emergency events (应急事件) ------------------------------------------------------------------------------

  private eventOf(r: Omit<EmergencyEvent, 'occurredAt' | 'reportedAt' | 'respondedAt' | 'recoveredAt' | 'reviewedAt' | 'responseMinutes' | 'recoveryMinutes' | 'responseWithinTarget' | 'recoveryWithinTarget'> & { occurredAt: Date; reportedAt: Date; respondedAt: Date | null; recoveredAt: Date | null; reviewedAt: Date | null }): EmergencyEvent {
    const responseMinutes = r.respondedAt ? minutesBetween(r.occurredAt, r.respondedAt) : null;
    const recoveryMinutes = r.recoveredAt ? minutesBetween(r.occurredAt, r.recoveredAt) : null;
    return {
      ...r,
      occurredAt: iso(r.occurredAt)!,
      reportedAt: iso(r.reportedAt)!,
      respondedAt: iso(r.respondedAt),
      recoveredAt: iso(r.recoveredAt),
      reviewedAt: iso(r.reviewedAt),
      responseMinutes,
      recoveryMinutes,
      responseWithinTarget: responseMinutes === null ? null : responseMinutes <= EMERGENCY_TARGETS.responseMinutes,
      recoveryWithinTarget: recoveryMinutes === null ? null : recoveryMinutes <= EMERGENCY_TARGETS.recoveryMinutes,
    };
  }

  private async eventRows(trx: Tx, f: { id?: string; providerOrgId?: string; status?: string }): Promise<EmergencyEvent[]> {
    return (await sql<Parameters<OperationsService['eventOf']>[0]>`select id, number, provider_org_id, node_id, title, severity, description, status, occurred_at, reported_at, responded_at, response_note,
        recovered_at, recovery_note, reviewed_at, root_cause, measures, lessons from ops_emergency_events
      where true ${f.id ? sql`and id = ${f.id}` : sql``} ${f.providerOrgId ? sql`and provider_org_id = ${f.providerOrgId}` : sql``} ${f.status ? sql`and status = ${f.status}` : sql``}
      order by occurred_at desc limit 1000`.execute(trx)).rows.map((r) => this.eventOf(r));
  }

  private notFuture(at: Date, field: string): void {
    if (at.getTime() > this.clock().getTime() + 60_000) throw validationError('operations.time_in_future', `${field.split('.').pop()} is in the future`, [{ field, rule: 'not_future', message: 'not after now', value: at.toISOString() }]);
  }

  /**
   * Reports an emergency event (应急事件上报) of a provider, optionally on a node it serves (`operations.node_not_served`
   * otherwise). The occurrence may not be in the future. Numbered EE-YYYYMMDD-NNNNNN (Beijing day of the report).
   */
  async reportEvent(ctx: RequestContext, input: { providerOrgId?: string | null; nodeId?: string | null; title: string; severity: EmergencyEvent['severity']; description: string; occurredAt: string }): Promise<EmergencyEvent> {
    const providerOrgId = this.providerFor(ctx, input.providerOrgId, 'body.providerOrgId');
    if (input.nodeId) await this.assertServes(ctx, providerOrgId, input.nodeId, 'body.nodeId');
    const occurredAt = new Date(input.occurredAt);
    this.notFuture(occurredAt, 'body.occurredAt');
    const now = this.clock();
    return withTx(this.db, ctx, async (trx) => {
      const prefix = `EE-${localDate(now).replaceAll('-', '')}-`;
      const id = (await sql<{ id: string }>`insert into ops_emergency_events (number, provider_org_id, node_id, title, severity, description, occurred_at, reported_at, created_by)
        values (${prefix} || lpad(nextval('ops_emergency_event_seq')::text, 6, '0'), ${providerOrgId}, ${input.nodeId ?? null}, ${input.title}, ${input.severity}, ${input.description}, ${occurredAt}, ${now}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.emergency_event_report', targetType: 'ops_emergency_event', targetId: id, after: { severity: input.severity, occurredAt: occurredAt.toISOString() } });
      return (await this.eventRows(trx, { id }))[0]!;
    });
  }

  async listEvents(ctx: RequestContext, q: { providerOrgId?: string; status?: EmergencyEvent['status'] } = {}): Promise<EmergencyEvent[]> {
    return withTx(this.db, ctx, (trx) => this.eventRows(trx, q));
  }

  async getEvent(ctx: RequestContext, id: string): Promise<EmergencyEvent> {
    if (!isUuid(id)) throw notFound('operations.emergency_event', id);
    const e = await withTx(this.db, ctx, async (trx) => (await this.eventRows(trx, { id }))[0]);
    if (!e) throw notFound('operations.emergency_event', id);
    return e;
  }

  /** One step of the event's life; `409 operations.event_state` when it is not in the state the step needs. */
  private async advanceEvent(ctx: RequestContext, id: string, from: EmergencyEvent['status'], to: EmergencyEvent['status'], set: (e: EmergencyEvent) => ReturnType<typeof sql>, audit: Record<string, unknown>): Promise<EmergencyEvent> {
    if (!isUuid(id)) throw notFound('operations.emergency_event', id);
    return withTx(this.db, ctx, async (trx) => {
      const e = (await sql<{ id: string }>`select id from ops_emergency_events where id = ${id} for update`.execute(trx)).rows[0];
      if (!e) throw notFound('operations.emergency_event', id);
      const cur = (await this.eventRows(trx, { id }))[0]!;
      if (cur.status !== from) throw new AppError('conflict', 'operations.event_state', `The event is ${cur.status}; this step needs it ${from}`, { status: cur.status, needed: from });
      await sql`update ops_emergency_events set status = ${to}, ${set(cur)} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: `operations.emergency_event_${to}`, targetType: 'ops_emergency_event', targetId: id, before: { status: from }, after: { status: to, ...audit } });
      return (await this.eventRows(trx, { id }))[0]!;
    });
  }

  /** The response (响应): when it began (not before the occurrence, not in the future) and what was done. */
  async respondEvent(ctx: RequestContext, id: string, input: { respondedAt: string; note: string }): Promise<EmergencyEvent> {
    const at = new Date(input.respondedAt);
    this.notFuture(at, 'body.respondedAt');
    const e = await this.getEvent(ctx, id);
    if (at < new Date(e.occurredAt)) throw validationError('operations.before_occurrence', 'The response cannot precede the occurrence', [{ field: 'body.respondedAt', rule: 'after_occurred_at', message: `not before ${e.occurredAt}`, value: input.respondedAt }]);
    return this.advanceEvent(ctx, id, 'reported', 'responding', () => sql`responded_at = ${at}, response_note = ${input.note}`, { respondedAt: at.toISOString() });
  }

  /** The recovery (恢复): service restored, not before the response. */
  async recoverEvent(ctx: RequestContext, id: string, input: { recoveredAt: string; note: string }): Promise<EmergencyEvent> {
    const at = new Date(input.recoveredAt);
    this.notFuture(at, 'body.recoveredAt');
    const e = await this.getEvent(ctx, id);
    if (e.respondedAt && at < new Date(e.respondedAt)) throw validationError('operations.before_response', 'The recovery cannot precede the response', [{ field: 'body.recoveredAt', rule: 'after_responded_at', message: `not before ${e.respondedAt}`, value: input.recoveredAt }]);
    return this.advanceEvent(ctx, id, 'responding', 'recovered', () => sql`recovered_at = ${at}, recovery_note = ${input.note}`, { recoveredAt: at.toISOString() });
  }

  /** The review (复盘): root cause, measures and lessons; the handling report can then be exported. */
  async reviewEvent(ctx: RequestContext, id: string, input: { rootCause: string; measures: string; lessons?: string | null }): Promise<EmergencyEvent> {
    const now = this.clock();
    return this.advanceEvent(ctx, id, 'recovered', 'reviewed', () => sql`reviewed_at = ${now}, root_cause = ${input.rootCause}, measures = ${input.measures}, lessons = ${input.lessons ?? null}`, {});
  }

  /** The emergency-handling report (应急事件处置报告) as a signed PDF; only once the event is reviewed (`409 operations.event_not_reviewed`). */
  async exportEventReport(ctx: RequestContext, id: string): Promise<RenderedDocument> {
    const e = await this.getEvent(ctx, id);
    if (e.status !== 'reviewed') throw new AppError('conflict', 'operations.event_not_reviewed', 'The handling report comes after the review (复盘)', { status: e.status });
    if (!this.documents) throw new AppError('unavailable', 'operations.documents_unavailable', 'document signing is not configured');
    const orgName = (await this.organisations.get(systemContext('operations.export'), e.providerOrgId).catch(() => null))?.name ?? e.providerOrgId;
    const t = (s: string | null) => (s ? bj(new Date(s)) : '');
    const mins = (m: number | null, target: number) => (m === null ? '' : `${m} 分钟（目标 ≤ ${target}，${m <= target ? '达标' : '超时'}）`);
    return this.documents.render(ctx, {
      docType: 'operations_emergency_event',
      title: `应急事件处置报告：${e.number} ${e.title}`,
      meta: [
        { label: '服务商', value: orgName },
        { label: '事件级别', value: { I: 'Ⅰ级（特别重大）', II: 'Ⅱ级（重大）', III: 'Ⅲ级（较大）', IV: 'Ⅳ级（一般）' }[e.severity] },
        { label: '发生时间', value: t(e.occurredAt) },
        { label: '响应时长', value: mins(e.responseMinutes, EMERGENCY_TARGETS.responseMinutes) },
        { label: '恢复时长', value: mins(e.recoveryMinutes, EMERGENCY_TARGETS.recoveryMinutes) },
      ],
      columns: [{ key: 'step', header: ['环节'], width: 10 }, { key: 'at', header: ['时间'], width: 18 }, { key: 'text', header: ['情况'], width: 70 }],
      rows: [
        { step: '上报', at: t(e.reportedAt), text: e.description },
        { step: '响应', at: t(e.respondedAt), text: e.responseNote ?? '' },
        { step: '恢复', at: t(e.recoveredAt), text: e.recoveryNote ?? '' },
        { step: '复盘', at: t(e.reviewedAt), text: `原因：${e.rootCause ?? ''}` },
      ],
      notes: [`整改措施：${e.measures ?? ''}`, ...(e.lessons ? [`经验教训：${e.lessons}`] : [])],
      signatures: ['服务商（盖章）', '监理单位（确认）'],
    }, 'pdf', { filenameStem: `应急事件处置报告-${e.number}`, targetId: id });
  }

  // ---- training records (培训记录) ------------------------------------------------------------------------------

  /** Records a training held (not in the future); providers record their own, management and supervision any organisation's. */
  async recordTraining(ctx: RequestContext, input: { orgId?: string | null; kind: Training['kind']; topic: string; heldOn: string; trainer?: string | null; participants: number; hours: string; content?: string | null }): Promise<Training> {
    const orgId = await this.orgFor(ctx, input.orgId);
    if (input.heldOn > localDate(this.clock())) throw validationError('operations.held_in_future', 'A training is recorded once held', [{ field: 'body.heldOn', rule: 'not_future', message: 'heldOn is in the future', value: input.heldOn }]);
    return withTx(this.db, ctx, async (trx) => {
      const id = (await sql<{ id: string }>`insert into ops_trainings (org_id, kind, topic, held_on, trainer, participants, hours, content, created_by)
        values (${orgId}, ${input.kind}, ${input.topic}, ${input.heldOn}, ${input.trainer ?? null}, ${input.participants}, ${input.hours}::numeric, ${input.content ?? null}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.training_record', targetType: 'ops_training', targetId: id, after: { kind: input.kind, heldOn: input.heldOn } });
      return (await this.trainingRows(trx, { id }))[0]!;
    });
  }

  private async trainingRows(trx: Tx, f: { id?: string; orgId?: string }): Promise<Training[]> {
    return (await sql<Training>`select id, org_id, kind, topic, to_char(held_on, 'YYYY-MM-DD') as held_on, trainer, participants, hours::text as hours, content from ops_trainings
      where true ${f.id ? sql`and id = ${f.id}` : sql``} ${f.orgId ? sql`and org_id = ${f.orgId}` : sql``} order by held_on desc, created_at desc limit 1000`.execute(trx)).rows;
  }

  async listTrainings(ctx: RequestContext, q: { orgId?: string } = {}): Promise<Training[]> {
    return withTx(this.db, ctx, (trx) => this.trainingRows(trx, q));
  }

  /**
   * The two-monthly emergency-response training (每 2 个月开展一次应急响应培训, seed 004 §4.1.2.6(3)) per cloud provider
   * the caller sees, over the Beijing days of [from, to): calendar two-month periods touched, trainings of kind
   * `emergency_response` held, periods that ended without one (`missed`). A provider sees only itself.
   */
  async trainingCounts(ctx: RequestContext, range: Range): Promise<TrainingCount[]> {
    checkRange(range);
    const providers = ctx.actor.orgKind === 'cloud_provider' ? [ctx.actor.orgId!] : await this.visibleProviders(ctx);
    const from = localDate(range.from);
    const to = localDate(range.to);
    const rows = await withTx(this.db, ctx, async (trx) =>
      (await sql<{ orgId: string; heldOn: string }>`select org_id, to_char(held_on, 'YYYY-MM-DD') as held_on from ops_trainings where kind = 'emergency_response' and held_on >= (${from}::date - 62) and held_on < (${to}::date + 62)`.execute(trx)).rows,
    );
    const today = localDate(this.clock());
    return providers.map((p) => ({ providerOrgId: p, ...trainingObligation(rows.filter((r) => r.orgId === p).map((r) => r.heldOn), from, to, today) }));
  }

  // ---- policy changes and the qualification update window (资质动态更新) -----------------------------------------

  /**
   * Records a policy change (政策调整, management unit or supervision provider: `operations:manage`) naming the
   * providers it affects; each must update its operating qualification within 3 months (suspended until then).
   */
  async recordPolicyChange(ctx: RequestContext, input: { title: string; description: string; announcedOn: string; providerOrgIds: string[] }): Promise<PolicyChange> {
    if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.manage_only', 'Policy changes are recorded by the management unit or the supervision provider');
    if (input.announcedOn > localDate(this.clock())) throw validationError('operations.announced_in_future', 'A policy change is recorded once announced', [{ field: 'body.announcedOn', rule: 'not_future', message: 'announcedOn is in the future', value: input.announcedOn }]);
    const providers = new Set(await this.visibleProviders(ctx));
    const unknown = input.providerOrgIds.map((id, i) => ({ id, i })).filter((x) => !providers.has(x.id));
    if (unknown.length) throw validationError('operations.provider_not_found', 'Unknown cloud provider', unknown.map((u) => ({ field: `body.providerOrgIds.${u.i}`, rule: 'cloud_provider', message: 'not a cloud provider', value: u.id })));
    return withTx(this.db, ctx, async (trx) => {
      const id = (await sql<{ id: string }>`insert into ops_policy_changes (title, description, announced_on, provider_org_ids, created_by)
        values (${input.title}, ${input.description}, ${input.announcedOn}, ${[...new Set(input.providerOrgIds)]}::uuid[], ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.policy_change_record', targetType: 'ops_policy_change', targetId: id, after: { announcedOn: input.announcedOn, providers: input.providerOrgIds.length } });
      return (await this.policyRows(ctx, trx, { id }))[0]!;
    });
  }

  private async policyRows(ctx: RequestContext, trx: Tx, f: { id?: string }): Promise<PolicyChange[]> {
    const changes = (await sql<{ id: string; title: string; description: string; announcedOn: string; providerOrgIds: string[] }>`select id, title, description, to_char(announced_on, 'YYYY-MM-DD') as announced_on, provider_org_ids
      from ops_policy_changes where true ${f.id ? sql`and id = ${f.id}` : sql``} order by announced_on desc, created_at desc limit 500`.execute(trx)).rows;
    if (!changes.length) return [];
    const updates = (await sql<{ policyChangeId: string; providerOrgId: string; updatedOn: string; note: string }>`select policy_change_id, provider_org_id, to_char(updated_on, 'YYYY-MM-DD') as updated_on, note from ops_policy_updates
      where policy_change_id = any(${changes.map((c) => c.id)}::uuid[])`.execute(trx)).rows;
    const today = localDate(this.clock());
    const own = ctx.actor.orgKind === 'cloud_provider' && !ctx.actor.scope.all ? new Set([ctx.actor.orgId!, ...ctx.actor.scope.roots]) : null;
    return changes.map((c) => ({
      id: c.id,
      title: c.title,
      description: c.description,
      announcedOn: c.announcedOn,
      providers: c.providerOrgIds.filter((p) => !own || own.has(p)).map((p) => {
        const u = updates.find((x) => x.policyChangeId === c.id && x.providerOrgId === p) ?? null;
        return { providerOrgId: p, updatedOn: u?.updatedOn ?? null, note: u?.note ?? null, ...policyUpdateState(c.announcedOn, u?.updatedOn ?? null, today) };
      }),
    })).filter((c) => !own || c.providers.length > 0);
  }

  /** Policy changes with each affected provider's state; a provider sees only the changes naming it, and only itself. */
  async listPolicyChanges(ctx: RequestContext): Promise<PolicyChange[]> {
    return withTx(this.db, ctx, (trx) => this.policyRows(ctx, trx, {}));
  }

  /** A provider records that it has updated its qualification for a policy change (once; not before the announcement, not in the future). */
  async recordPolicyUpdate(ctx: RequestContext, id: string, input: { providerOrgId?: string | null; updatedOn: string; note: string }): Promise<PolicyChange> {
    if (!isUuid(id)) throw notFound('operations.policy_change', id);
    const providerOrgId = this.providerFor(ctx, input.providerOrgId, 'body.providerOrgId');
    return withTx(this.db, ctx, async (trx) => {
      const c = (await this.policyRows(ctx, trx, { id }))[0];
      const p = c?.providers.find((x) => x.providerOrgId === providerOrgId);
      if (!c || !p) throw notFound('operations.policy_change', id);
      if (input.updatedOn < c.announcedOn || input.updatedOn > localDate(this.clock())) throw validationError('operations.update_day', `The update day must be between ${c.announcedOn} and today`, [{ field: 'body.updatedOn', rule: 'announced_to_today', message: `between ${c.announcedOn} and today`, value: input.updatedOn }]);
      if (p.updatedOn) throw new AppError('conflict', 'operations.update_exists', 'The update is already recorded', { updatedOn: p.updatedOn });
      await sql`insert into ops_policy_updates (policy_change_id, provider_org_id, updated_on, note, created_by) values (${id}, ${providerOrgId}, ${input.updatedOn}, ${input.note}, ${ctx.actor.userId})`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.policy_update_record', targetType: 'ops_policy_change', targetId: id, after: { providerOrgId, updatedOn: input.updatedOn } });
      return (await this.policyRows(ctx, trx, { id }))[0]!;
    });
  }

  /** Whether a provider has a policy change without its qualification update (new business suspended). */
  private async policyUpdatePending(trx: Tx, providerOrgId: string): Promise<boolean> {
    return (await sql<{ n: number }>`select count(*)::int as n from ops_policy_changes c where ${providerOrgId}::uuid = any(c.provider_org_ids)
      and not exists (select 1 from ops_policy_updates u where u.policy_change_id = c.id and u.provider_org_id = ${providerOrgId})`.execute(trx)).rows[0]!.n > 0;
  }

  // ---- machine-room filing (机房信息备案) and access records (机房出入记录) ---------------------------------------

  /** Files a machine room of a provider on a node it serves (`operations.node_not_served` otherwise); names unique per provider. */
  async fileMachineRoom(ctx: RequestContext, input: { providerOrgId?: string | null; nodeId: string; name: string; address: string; racks: number; powerKw: number; environmentObject?: string | null; filedOn: string }): Promise<MachineRoom> {
    const providerOrgId = this.providerFor(ctx, input.providerOrgId, 'body.providerOrgId');
    await this.assertServes(ctx, providerOrgId, input.nodeId, 'body.nodeId');
    if (input.filedOn > localDate(this.clock())) throw validationError('operations.filed_in_future', 'filedOn is in the future', [{ field: 'body.filedOn', rule: 'not_future', message: 'not after today', value: input.filedOn }]);
    return withTx(this.db, ctx, async (trx) => {
      const dup = (await sql<{ id: string }>`select id from ops_machine_rooms where provider_org_id = ${providerOrgId} and name = ${input.name}`.execute(trx)).rows[0];
      if (dup) throw new AppError('conflict', 'operations.room_exists', `The machine room ${input.name} is already filed`, { roomId: dup.id });
      const id = (await sql<{ id: string }>`insert into ops_machine_rooms (provider_org_id, node_id, name, address, racks, power_kw, environment_object, filed_on, created_by)
        values (${providerOrgId}, ${input.nodeId}, ${input.name}, ${input.address}, ${input.racks}, ${input.powerKw}, ${input.environmentObject ?? null}, ${input.filedOn}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.machine_room_file', targetType: 'ops_machine_room', targetId: id, after: { name: input.name, nodeId: input.nodeId } });
      return (await this.roomRows(trx, { id }))[0]!;
    });
  }

  private async roomRows(trx: Tx, f: { id?: string }): Promise<MachineRoom[]> {
    return (await sql<MachineRoom>`select id, provider_org_id, node_id, name, address, racks, power_kw, environment_object, to_char(filed_on, 'YYYY-MM-DD') as filed_on from ops_machine_rooms
      where true ${f.id ? sql`and id = ${f.id}` : sql``} order by name limit 1000`.execute(trx)).rows;
  }

  async listMachineRooms(ctx: RequestContext): Promise<MachineRoom[]> {
    return withTx(this.db, ctx, (trx) => this.roomRows(trx, {}));
  }

  /** Records an access to a filed room (identity, time, work); not in the future, leaving not before entering. */
  async recordRoomAccess(ctx: RequestContext, roomId: string, input: { person: string; company: string; work: string; enteredAt: string; leftAt?: string | null }): Promise<RoomAccess> {
    if (!isUuid(roomId)) throw notFound('operations.machine_room', roomId);
    const entered = new Date(input.enteredAt);
    const left = input.leftAt ? new Date(input.leftAt) : null;
    this.notFuture(entered, 'body.enteredAt');
    if (left) this.notFuture(left, 'body.leftAt');
    if (left && left < entered) throw validationError('operations.left_before_entered', 'leftAt is before enteredAt', [{ field: 'body.leftAt', rule: 'after_entered_at', message: 'not before enteredAt', value: input.leftAt }]);
    return withTx(this.db, ctx, async (trx) => {
      const room = (await this.roomRows(trx, { id: roomId }))[0];
      if (!room) throw notFound('operations.machine_room', roomId);
      const id = (await sql<{ id: string }>`insert into ops_room_access (room_id, provider_org_id, person, company, work, entered_at, left_at, created_by)
        values (${roomId}, ${room.providerOrgId}, ${input.person}, ${input.company}, ${input.work}, ${entered}, ${left}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      return (await this.accessRows(trx, { id }))[0]!;
    });
  }

  private async accessRows(trx: Tx, f: { id?: string; roomId?: string }): Promise<RoomAccess[]> {
    return (await sql<Omit<RoomAccess, 'enteredAt' | 'leftAt'> & { enteredAt: Date; leftAt: Date | null }>`select a.id, a.room_id, r.name as room_name, a.provider_org_id, a.person, a.company, a.work, a.entered_at, a.left_at
      from ops_room_access a join ops_machine_rooms r on r.id = a.room_id where true ${f.id ? sql`and a.id = ${f.id}` : sql``} ${f.roomId ? sql`and a.room_id = ${f.roomId}` : sql``}
      order by a.entered_at desc limit 1000`.execute(trx)).rows.map((r) => ({ ...r, enteredAt: iso(r.enteredAt)!, leftAt: iso(r.leftAt) }));
  }

  async listRoomAccess(ctx: RequestContext, q: { roomId?: string } = {}): Promise<RoomAccess[]> {
    return withTx(this.db, ctx, (trx) => this.accessRows(trx, q));
  }

  /** Part of `operations.retention`: deletes access records entered more than 366 days ago (kept ≥ 365 days). */
  async purgeRoomAccess(now: Date = this.clock()): Promise<number> {
    const cutoff = new Date(now.getTime() - ROOM_ACCESS_RETENTION_DAYS * DAY_MS);
    return withTx(this.db, systemContext('job:operations.retention'), async (trx) => Number((await sql`delete from ops_room_access where entered_at < ${cutoff}`.execute(trx)).numAffectedRows ?? 0));
  }
}

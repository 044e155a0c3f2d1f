/**
 * Operations supervision (运维监管): inspections (巡检: checklist templates, plans per provider and node, expected
 * slots in Asia/Shanghai, records with per-item results, rectification items and service-desk tickets, missed
 * inspections, 2-year retention), personnel and certificates with staffing thresholds, provider qualifications whose
 * lapse suspends new onboarding applications (`isProviderSuspended`, wired into the applications module), emergency
 * plans and drills against their obligations, emergency events (应急事件: report → respond → recover → review with
 * the signed handling report), training records (培训记录) with the two-monthly obligation, duty rosters (7×24 coverage) with the duty log and daily summary, and
 * platform change management (approval, maintenance windows, implementation outside the window flagged), and provider
 * entry and exit (进驻和退出: the eight documents of the initial assessment, audited transitions refused while documents are missing),
 * major-change events (重大变更) matched to approved changes (unapproved ones flagged and notified, `majorChanges`), meetings and
 * communications (会议与沟通: regular meetings, provider work reports, special tasks, `meetings`), and seed 003's 3-month team lock
 * after entry on key-post changes.
 *
 * Figures for the evaluation module: `OperationsService.drillCounts`, `OperationsService.qualificationStatus`,
 * `OperationsService.inspectionCounts`, `OperationsService.trainingCounts` (two-monthly emergency-response training per
 * provider: 每 2 个月开展一次应急响应培训) (see their JSDoc).
 *
 * Planned work for monitoring and availability: `OperationsService.plannedMaintenanceWindows(ctx, { from, to })`
 * returns the approved (and implemented) platform changes whose approved window overlaps the range, as
 * `PlannedMaintenanceWindow` (change, provider, node, impacted systems and hosts, window start and end).
 */
export {
  OperationsService,
  INSPECTION_RETENTION_YEARS,
  type DutySwap,
  type EmergencyEvent,
  type MachineRoom,
  type RoomAccess,
  ROOM_ACCESS_RETENTION_DAYS,
  type PolicyChange,
  type Training,
  type TrainingCount,
  type InspectionRecord,
  type KeyPeriodPlan,
  type KeyPostChange,
  type OpsKeyPeriodInfo,
  type OpsKeyPeriodLookup,
  type MissedSlot,
  type OpsKeyPeriodCheck,
  type OpsTicketHook,
  type OpsTicketInput,
  type Plan,
  type PlatformChange,
  type PlannedMaintenanceWindow,
  type Qualification,
  type Rectification,
  type Staff,
} from './operations.service.js';
export { registerOperationsRoutes } from './operations.routes.js';
export { ENTRY_DOCUMENTS, EXIT_DOCUMENTS, EXIT_CHECKS, entryTransitionProblems, type ProviderEntry, type ProviderEntryService } from './operations.entry.js';
export { registerOperationsJobs, OPERATIONS_RETENTION_JOB, OPERATIONS_MAJOR_CHANGES_JOB, OPERATIONS_TASK_REMINDERS_JOB, OPERATIONS_CHANGE_DETECTION_JOB } from './operations.jobs.js';
export { MeetingService, MEETING_KINDS, TASK_STATUSES, type Meeting, type SpecialTask } from './operations.meetings.js';
export { matchMajorChange, MajorChangeService, type MajorChange, type PushedMajorChange, type PushedMajorChangeSource } from './operations.majorchanges.js';
export { checkStaffing, coverageGaps, newCoverageGaps, subtractIntervals, expectedSlots, overlappingShifts, requiredDrills, STAFFING, trainingObligation, EMERGENCY_TARGETS, policyUpdateState, addMonths } from './operations.rules.js';
export { loadOperationsDemo } from './operations.demo.js';
/** Special-task reminders (due soon / overdue / escalated) and major changes detected in the pushed 云平台规格数据, with their settings. */
export { taskRemindersDue, TASK_REMINDER_KINDS, type TaskReminderKind } from './operations.meetings.js';
export { specChanges, specFigures, type SpecChange, type SpecFigures } from './operations.detection.js';
export { AutomationSettingsService, type AutomationSettings } from './operations.automation.js';

// ---- Reads for 报表管理 (the reports module's operations datasets) ---------------------------------------------------
// Imports are hoisted; kept here so this addition stays one block at the end of the file.
import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { DutyEntry } from './operations.service.js';

export type { DutyEntry } from './operations.service.js';

/** The reads of `operationsReads` (see there). */
export interface OperationsReads {
  dutyLog(ctx: RequestContext, q: { from: Date; to: Date; orgId?: string; kind?: DutyEntry['kind']; limit: number }): Promise<Array<DutyEntry & { orgName: string }>>;
  names(ctx: RequestContext, q: { orgIds: string[]; nodeIds: string[] }): Promise<{ orgs: Map<string, string>; nodes: Map<string, string> }>;
}

/**
 * Reads the service does not offer, for 报表管理 (wired in container.ts as `operationsReads(db)`), both with the
 * caller's context so row-level security applies as on the operations pages (management and supervision all, a
 * provider its own organisation's rows):
 * - `dutyLog`: the duty log (值班日志, ops_duty_log) entries of [from, to), optionally of one organisation or kind,
 *   oldest first, at most `limit` rows (ask one more than you show to know whether the list was cut);
 * - `names`: the names of the organisations and cloud nodes that operations rows (inspections, drills, changes) refer
 *   to by id; an id the caller may not see has no name.
 */
export function operationsReads(db: Db): OperationsReads {
  return {
    dutyLog: (ctx, q) => withTx(db, ctx, async (trx) =>
      (await sql<{ id: string; orgId: string; orgName: string; at: Date; kind: DutyEntry['kind']; person: string; body: string }>`
        select l.id, l.org_id, o.name as org_name, l.at, l.kind, l.person, l.body from ops_duty_log l join organisations o on o.id = l.org_id
        where l.at >= ${q.from} and l.at < ${q.to} ${q.orgId ? sql`and l.org_id = ${q.orgId}` : sql``} ${q.kind ? sql`and l.kind = ${q.kind}` : sql``}
        order by l.at, l.id limit ${Math.max(1, Math.min(q.limit, 10_000))}`.execute(trx)).rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }))),
    names: (ctx, q) => withTx(db, ctx, async (trx) => {
      const orgs = q.orgIds.length ? (await sql<{ id: string; name: string }>`select id, name from organisations where id = any(${q.orgIds}::uuid[])`.execute(trx)).rows : [];
      const nodes = q.nodeIds.length ? (await sql<{ id: string; name: string }>`select id, name from cloud_nodes where id = any(${q.nodeIds}::uuid[])`.execute(trx)).rows : [];
      return { orgs: new Map(orgs.map((o) => [o.id, o.name])), nodes: new Map(nodes.map((n) => [n.id, n.name])) };
    }),
  };
}

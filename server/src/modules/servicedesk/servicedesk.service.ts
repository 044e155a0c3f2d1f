import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { localDate, type CalendarDays, type CalendarService } from '../calendar/index.js';
import type { DocumentsService, RenderedDocument } from '../documents/index.js';
import { isKeyPeriod } from '../notifications/index.js';
import * as repo from './servicedesk.repository.js';
import {
  canTransition, chooseTargets, CLOCK_CN, CLOCKS, clockState, countdownColour, gradeEvent, KIND_CN, OPEN_STATUSES, priorityOf, SEVERITY_IMPACT,
  stagesReached, STATUS_CN, stopOf, type ClockName, type EscalationStage, type EventGrade, type Pause, type TicketKind, type TicketStatus,
} from './servicedesk.rules.js';
import {
  ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, type Clock, type FaultReport, type ListQuery, type NewTicket, type StatisticsRow, type Ticket, type TicketAction, type TicketDetail,
} from './servicedesk.schemas.js';

/** Same shape as CONTRACTS.md's SourceTicketInput (the producers define their own copy). */
export interface SourceTicketInput {
  source: 'alert' | 'outage' | 'capacity' | 'vulnerability' | 'security_event' | 'inspection' | 'platform_change';
  sourceId: string;
  state: 'open' | 'cleared';
  title: string;
  description: string;
  severity: 'info' | 'minor' | 'major' | 'critical';
  occurredAt: Date;
  providerId?: string | null;
  nodeId?: string | null;
  unitId?: string | null;
  systemId?: string | null;
  resourceIds?: string[];
}

/** What the service desk hands to the notifications module (`NotificationService.notify`, same shape). */
export interface DeskNotice {
  recipients: { userIds?: string[]; roleCodes?: string[]; orgIds?: string[]; orgKinds?: Array<'management_unit' | 'supervision_provider' | 'cloud_provider' | 'user_unit' | 'external_data_user'> };
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  severity?: 'info' | 'warning' | 'critical';
}
export type DeskNotifier = (trx: Tx, notice: DeskNotice) => Promise<unknown>;

const iso = (d: Date | string | null | undefined): string | null => (d ? (d instanceof Date ? d : new Date(d)).toISOString() : null);
const SOURCE_CHANNEL: Record<SourceTicketInput['source'], 'alert' | 'outage' | 'api'> = {
  alert: 'alert', capacity: 'alert', outage: 'outage', vulnerability: 'api', security_event: 'api', inspection: 'api', platform_change: 'api',
};
const SOURCE_KIND: Record<SourceTicketInput['source'], TicketKind> = {
  alert: 'fault', capacity: 'service_request', outage: 'fault', vulnerability: 'hazard', security_event: 'event', inspection: 'rectification', platform_change: 'rectification',
};
const ratio = (a: number, b: number): string | null => (b === 0 ? null : (a / b).toFixed(4));
const avg = (xs: number[]): number | null => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10 : null);

/**
 * Unified service desk (统一工单): tickets, lifecycle, dispatch and claim, SLA clocks on the business calendar with
 * idempotent escalation, automatic tickets from other modules (`upsertTicketFromSource`), satisfaction, statistics.
 */
export class ServiceDeskService {
  /** The clock; tests set it. */
  clock: () => Date = () => new Date();
  /** Resolved tickets the reporter has not rated close after this many days (configurable, default 7). */
  autoCloseDays = 7;
  private notifier: DeskNotifier | null = null;
  private documents: DocumentsService | null = null;
  private calendarCache: { at: number; days: CalendarDays } | null = null;

  constructor(
    private readonly db: Db,
    private readonly calendar: CalendarService,
    private readonly logger: Logger | null = null,
  ) {}

  /** Connects the notifications module (container wiring). */
  setNotifier(notifier: DeskNotifier | null): void {
    this.notifier = notifier;
  }
  /** Connects the documents module for the signed fault report PDF and the .xlsx export. */
  setDocuments(documents: DocumentsService): void {
    this.documents = documents;
  }

  private async days(trx: Tx): Promise<CalendarDays> {
    const now = Date.now();
    if (this.calendarCache && now - this.calendarCache.at < 60_000) return this.calendarCache.days;
    const days = await this.calendar.days(trx);
    this.calendarCache = { at: now, days };
    return days;
  }

  // ---- view --------------------------------------------------------------------------------------------------------

  private clocksOf(cal: CalendarDays, r: repo.TicketRow, now: Date): Clock[] {
    const out: Clock[] = [];
    for (const c of CLOCKS) {
      const target = r.targets[c];
      if (!target) continue;
      const s = clockState(cal, { openedAt: new Date(r.openedAt), stoppedAt: stopOf(r, c), pauses: r.pauses, target }, now);
      out.push({ clock: c, ...s, dueAt: iso(s.dueAt), colour: countdownColour(s) });
    }
    return out;
  }

  private toTicket(cal: CalendarDays, r: repo.TicketRow, now: Date): Ticket {
    const clocks = this.clocksOf(cal, r, now);
    const order = ['red', 'yellow', 'green', 'grey'] as const;
    const worst = order.find((c) => clocks.some((k) => k.colour === c)) ?? 'grey';
    return {
      id: r.id, ticketNo: r.ticketNo, kind: r.kind, title: r.title, description: r.description, status: r.status, priority: r.priority, impact: r.impact, urgency: r.urgency,
      eventLevel: r.eventLevel, escalated: r.escalated, reopenCount: r.reopenCount, channel: r.channel as Ticket['channel'], source: r.source, sourceId: r.sourceId,
      severity: r.severity, reporterUserId: r.reporterUserId, reporterName: r.reporterName, unitId: r.unitId, unitName: r.unitName, systemId: r.systemId,
      systemName: r.systemName, providerId: r.providerId, providerName: r.providerName, nodeId: r.nodeId, nodeName: r.nodeName, resourceIds: r.resourceIds,
      assigneeUserId: r.assigneeUserId, assigneeName: r.assigneeName, workOrderId: r.workOrderId,
      workOrderLink: r.applicationId ? `/applications?id=${r.applicationId}` : null,
      mergedIntoId: r.mergedIntoId, kbArticleId: r.kbArticleId, keyPeriod: r.keyPeriod, openedAt: iso(r.openedAt)!, respondedAt: iso(r.respondedAt),
      onsiteAt: iso(r.onsiteAt), restoredAt: iso(r.restoredAt), resolvedAt: iso(r.resolvedAt), closedAt: iso(r.closedAt), rating: r.rating,
      ratingComment: r.ratingComment, faultReport: r.faultReport, faultReportAt: iso(r.faultReportAt), version: r.version, clocks,
      worstColour: OPEN_STATUSES.includes(r.status) ? worst : 'grey',
    };
  }

  /** Tickets the caller may see: mine (reported or assigned), the provider queue (open, dispatched to my provider), all. */
  async listTickets(ctx: RequestContext, q: ListQuery): Promise<{ items: Ticket[]; total: number; totalCapped: boolean; page: number; pageSize: number }> {
    return withTx(this.db, ctx, async (trx) => {
      const cal = await this.days(trx);
      const now = this.clock();
      const { rows, total, totalCapped } = await repo.listTickets(trx, ctx, q);
      return { items: rows.map((r) => this.toTicket(cal, r, now)), total, totalCapped, page: q.page, pageSize: q.pageSize };
    });
  }

  /** One ticket with its timeline (internal comments for the provider and the management side only) and abilities. */
  async getTicket(ctx: RequestContext, id: string): Promise<TicketDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await repo.getTicket(trx, ctx, id);
      if (!r) throw notFound('servicedesk.ticket', id);
      const cal = await this.days(trx);
      const internal = ctx.actor.orgKind !== 'user_unit';
      const events = await repo.listEvents(trx, ctx, id, internal);
      const att = await sql<{ id: string; fileName: string; contentType: string; size: number; uploadedAt: Date }>`
        select id, file_name, content_type, size, uploaded_at from sd_attachments where ticket_id = ${id} order by uploaded_at`.execute(trx);
      return {
        ...this.toTicket(cal, r, this.clock()),
        events: events.map((e) => ({ ...e, at: iso(e.at)! })),
        attachments: att.rows.map((a) => ({ ...a, uploadedAt: iso(a.uploadedAt)! })),
        abilities: this.abilities(ctx, r),
      };
    });
  }

  private isHandler(ctx: RequestContext, r: repo.TicketRow): boolean {
    if (ctx.actor.kind === 'system') return true;
    if (hasPermission(ctx.actor, 'ticket:manage')) return true;
    return hasPermission(ctx.actor, 'ticket:handle') && ctx.actor.orgKind === 'cloud_provider' && r.providerId !== null && this.inScope(ctx, r.providerId);
  }
  private inScope(ctx: RequestContext, orgId: string): boolean {
    const s = ctx.actor.scope;
    return s.all || s.roots.includes(orgId);
  }
  private isReporterSide(ctx: RequestContext, r: repo.TicketRow): boolean {
    return r.reporterUserId === ctx.actor.userId || (r.unitId !== null && ctx.actor.orgKind === 'user_unit' && hasPermission(ctx.actor, 'ticket:create'));
  }

  private abilities(ctx: RequestContext, r: repo.TicketRow): Record<string, boolean> {
    const h = this.isHandler(ctx, r);
    const rep = this.isReporterSide(ctx, r);
    const st = r.status;
    return {
      claim: h && ['new', 'assigned'].includes(st) && r.assigneeUserId !== ctx.actor.userId,
      assign: h && canTransition(st, 'assigned'),
      transfer: (h || hasPermission(ctx.actor, 'ticket:manage')) && OPEN_STATUSES.includes(st),
      start: h && canTransition(st, 'in_progress') && st !== 'resolved' && st !== 'pending',
      pend: h && canTransition(st, 'pending'),
      resume: h && st === 'pending',
      onsite: h && OPEN_STATUSES.includes(st) && !r.onsiteAt && !!r.targets.onsite,
      restore: h && OPEN_STATUSES.includes(st) && !r.restoredAt,
      resolve: h && canTransition(st, 'resolved'),
      reopen: (rep || h) && st === 'resolved',
      close: (rep || hasPermission(ctx.actor, 'ticket:manage')) && st === 'resolved',
      cancel: (rep || hasPermission(ctx.actor, 'ticket:manage')) && canTransition(st, 'cancelled'),
      merge: h && OPEN_STATUSES.includes(st),
      escalate: (rep || h) && OPEN_STATUSES.includes(st) && !r.escalated,
      rate: rep && ['resolved', 'closed'].includes(st) && r.rating === null && r.reporterUserId === ctx.actor.userId,
      comment: rep || h || hasPermission(ctx.actor, 'ticket:read'),
      faultReport: h && (r.kind === 'fault' || r.kind === 'event') && (r.restoredAt !== null || r.resolvedAt !== null),
    };
  }

  // ---- create ------------------------------------------------------------------------------------------------------

  /**
   * Opens a ticket. A unit user picks one of its own systems and that system's resources (another's → 404/400); the
   * ticket is dispatched to the provider running the resources (their node's provider), else the system's node.
   */
  async createTicket(ctx: RequestContext, input: NewTicket): Promise<TicketDetail> {
    const files = (input.attachments ?? []).map((a, i) => this.checkAttachment(`body.attachments[${i}]`, a));
    const id = await withTx(this.db, ctx, async (trx) => {
      let unitId = input.unitId ?? null;
      let providerId = input.providerId ?? null;
      let nodeId: string | null = null;
      if (input.systemId) {
        const sys = (await sql<{ id: string; unitId: string; nodeId: string; providerOrgId: string | null }>`
          select s.id, s.unit_id, s.node_id, n.provider_org_id from information_systems s join cloud_nodes n on n.id = s.node_id where s.id = ${input.systemId}`.execute(trx)).rows[0];
        const own = sys && (ctx.actor.orgKind !== 'user_unit' || this.inScopeOrg(ctx, sys.unitId) || (await this.orgVisible(trx, sys.unitId)));
        if (!sys || !own) throw validationError('servicedesk.system_not_owned', 'the system is not one of your unit’s systems', [{ field: 'body.systemId', rule: 'own_system', message: 'pick one of your unit’s systems', value: input.systemId }]);
        unitId = sys.unitId;
        nodeId = sys.nodeId;
        providerId = providerId ?? sys.providerOrgId;
      }
      if (input.resourceIds.length) {
        const res = (await sql<{ id: string; providerOrgId: string; nodeId: string; unitOrgId: string | null; systemId: string | null }>`
          select id, provider_org_id, node_id, unit_org_id, system_id from inventory_resources where id = any(${input.resourceIds}::uuid[]) and status = 'active'`.execute(trx)).rows;
        for (const [i, rid] of input.resourceIds.entries()) {
          const r = res.find((x) => x.id === rid);
          const owned = r && (ctx.actor.orgKind !== 'user_unit' || (r.unitOrgId !== null && (r.unitOrgId === unitId || (await this.orgVisible(trx, r.unitOrgId)))));
          if (!r || !owned) throw validationError('servicedesk.resource_not_owned', 'a resource is not one of your unit’s resources', [{ field: `body.resourceIds[${i}]`, rule: 'own_resource', message: 'pick resources of your own systems', value: rid }]);
        }
        providerId = res[0]!.providerOrgId;
        nodeId = res[0]!.nodeId;
        unitId = unitId ?? res[0]!.unitOrgId;
      }
      if (ctx.actor.orgKind === 'user_unit') unitId = unitId ?? ctx.actor.orgId;
      if ((input.kind === 'rectification' || input.kind === 'hazard') && !providerId)
        throw validationError('servicedesk.provider_required', 'a supervision notice names the provider', [{ field: 'body.providerId', rule: 'required', message: 'name the provider', value: null }]);
      let priority = priorityOf(input.impact, input.urgency);
      let eventLevel: string | null = null;
      if (input.kind === 'event') {
        const g = gradeEvent(await this.grades(trx), input.systemsAffected ?? 1, input.durationMinutes ?? 0);
        if (g) { eventLevel = g.code; priority = Math.min(priority, g.priority) as typeof priority; }
      }
      return this.insertTicket(trx, ctx, {
        kind: input.kind, title: input.title, description: input.description, impact: input.impact, urgency: input.urgency, priority, eventLevel,
        channel: input.channel, unitId, providerId, nodeId, systemId: input.systemId ?? null, resourceIds: input.resourceIds, workOrderId: input.workOrderId ?? null,
        applicationId: null, reporterName: input.reporterName ?? ctx.actor.username, openedAt: this.clock(), source: null, sourceId: null, severity: null,
      }, files);
    });
    return this.getTicket(ctx, id);
  }

  private inScopeOrg(ctx: RequestContext, orgId: string): boolean {
    return this.inScope(ctx, orgId);
  }
  private async orgVisible(trx: Tx, orgId: string): Promise<boolean> {
    return (await sql`select 1 from organisations where id = ${orgId}`.execute(trx)).rows.length > 0;
  }
  private async grades(trx: Tx): Promise<EventGrade[]> {
    return (await sql<EventGrade>`select code, name, rank, min_systems, min_duration_minutes, priority from sd_event_grades order by rank`.execute(trx)).rows;
  }

  /** Inserts a ticket in `trx` (create, the source hook, the demo loader): targets, key period, first event, audit. */
  async insertTicket(trx: Tx, ctx: RequestContext, t: {
    kind: TicketKind; title: string; description: string; impact: number; urgency: number; priority: number; eventLevel: string | null; channel: string;
    unitId: string | null; providerId: string | null; nodeId: string | null; systemId: string | null; resourceIds: string[]; workOrderId: string | null;
    applicationId: string | null; reporterName: string | null; openedAt: Date; source: string | null; sourceId: string | null; severity: string | null;
  }, files: Array<{ fileName: string; contentType: string; content: Buffer }> = []): Promise<string> {
    const key = await isKeyPeriod(trx, t.openedAt, t.nodeId);
    const targets = chooseTargets(await repo.targetRows(trx, ctx, t.kind, t.priority, t.providerId, t.systemId), key);
    const schedule = Object.values(targets).some((x) => x?.schedule === 'office') ? 'office' : 'clock';
    const applicationId = t.applicationId ?? (t.workOrderId ? await this.applicationOf(trx, t.workOrderId) : null);
    const r = await sql<{ id: string; ticketNo: string }>`
      insert into sd_tickets (kind, title, description, status, impact, urgency, priority, event_level, channel, source, source_id, severity,
        reporter_user_id, reporter_name, unit_id, system_id, provider_id, node_id, resource_ids, work_order_id, application_id, targets, schedule, key_period, opened_at)
      values (${t.kind}, ${t.title}, ${t.description}, 'new', ${t.impact}, ${t.urgency}, ${t.priority}, ${t.eventLevel}, ${t.channel}, ${t.source}, ${t.sourceId}, ${t.severity},
        ${ctx.actor.userId}, ${t.reporterName}, ${t.unitId}, ${t.systemId}, ${t.providerId}, ${t.nodeId}, ${t.resourceIds}::uuid[], ${t.workOrderId}, ${applicationId},
        ${JSON.stringify(targets)}::jsonb, ${schedule}, ${key}, ${t.openedAt})
      returning id, ticket_no`.execute(trx);
    const { id, ticketNo } = r.rows[0]!;
    await repo.insertEvent(trx, ctx, { ticketId: id, kind: 'created', toStatus: 'new', actorUserId: ctx.actor.userId, actorName: t.reporterName, at: t.openedAt, data: { channel: t.channel, priority: t.priority, targets, keyPeriod: key } });
    for (const f of files) await this.storeAttachment(trx, ctx, id, f);
    await recordAudit(trx, ctx, { action: 'servicedesk.ticket_create', targetType: 'ticket', targetId: id, after: { ticketNo, kind: t.kind, priority: t.priority, providerId: t.providerId, unitId: t.unitId, source: t.source } });
    if (this.notifier && t.providerId)
      await this.notifier(trx, { recipients: { orgIds: [t.providerId], roleCodes: ['provider_staff', 'provider_admin'] }, kind: 'servicedesk.new_ticket', title: `新工单 ${ticketNo}：${t.title}`, body: `${KIND_CN[t.kind]}，优先级 P${t.priority}`, link: `/tickets?id=${id}`, severity: t.priority <= 2 ? 'warning' : 'info' });
    return id;
  }

  private async applicationOf(trx: Tx, workOrderId: string): Promise<string | null> {
    const r = await sql<{ applicationId: string }>`select application_id from work_orders where id = ${workOrderId}`.execute(trx);
    return r.rows[0]?.applicationId ?? null;
  }

  private checkAttachment(field: string, a: { fileName: string; contentBase64: string }): { fileName: string; contentType: string; content: Buffer } {
    const ext = a.fileName.includes('.') ? a.fileName.slice(a.fileName.lastIndexOf('.') + 1).toLowerCase() : '';
    const type = ATTACHMENT_TYPES[ext];
    if (!type) throw validationError('servicedesk.attachment_type', `files of type .${ext || '?'} are not accepted`, [{ field: `${field}.fileName`, rule: 'allowed_type', message: `allowed: ${Object.keys(ATTACHMENT_TYPES).join(', ')}`, value: a.fileName }]);
    const content = Buffer.from(a.contentBase64, 'base64');
    if (content.length > ATTACHMENT_MAX_BYTES) throw validationError('servicedesk.attachment_too_large', `the file is larger than 5 MB`, [{ field: `${field}.contentBase64`, rule: 'max_size', message: '≤ 5 MB', value: content.length }]);
    return { fileName: a.fileName, contentType: type, content };
  }

  private async storeAttachment(trx: Tx, ctx: RequestContext, ticketId: string, f: { fileName: string; contentType: string; content: Buffer }): Promise<void> {
    await sql`insert into sd_attachments (ticket_id, file_name, content_type, size, sha256, content, uploaded_by)
      values (${ticketId}, ${f.fileName}, ${f.contentType}, ${f.content.length}, ${createHash('sha256').update(f.content).digest('hex')}, ${f.content}, ${ctx.actor.userId})`.execute(trx);
    await repo.insertEvent(trx, ctx, { ticketId, kind: 'attachment', actorUserId: ctx.actor.userId, actorName: ctx.actor.username, body: f.fileName, data: { size: f.content.length } });
  }

  /** Adds an attachment (≤ 5 MB, allowed types) to a ticket the caller can see. */
  async addAttachment(ctx: RequestContext, id: string, a: { fileName: string; contentBase64: string }): Promise<TicketDetail> {
    const f = this.checkAttachment('body', a);
    await withTx(this.db, ctx, async (trx) => {
      if (!(await repo.getTicket(trx, ctx, id))) throw notFound('servicedesk.ticket', id);
      await this.storeAttachment(trx, ctx, id, f);
    });
    return this.getTicket(ctx, id);
  }

  async attachment(ctx: RequestContext, id: string, attachmentId: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    return withTx(this.db, ctx, async (trx) => {
      if (!(await repo.getTicket(trx, ctx, id))) throw notFound('servicedesk.ticket', id);
      const r = (await sql<{ fileName: string; contentType: string; content: Buffer }>`select file_name, content_type, content from sd_attachments where id = ${attachmentId} and ticket_id = ${id}`.execute(trx)).rows[0];
      if (!r) throw notFound('servicedesk.attachment', attachmentId);
      return r;
    });
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------------

  /** One lifecycle action with optimistic concurrency on `version` (a stale version → 409 naming who changed it). */
  async act(ctx: RequestContext, id: string, a: TicketAction): Promise<TicketDetail> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await repo.getTicket(trx, ctx, id);
      if (!r) throw notFound('servicedesk.ticket', id);
      const ab = this.abilities(ctx, r);
      if (r.version !== a.version) {
        if (a.action === 'claim' && r.assigneeUserId) throw new AppError('conflict', 'servicedesk.already_claimed', `ticket ${r.ticketNo} was already claimed by ${r.assigneeName ?? 'another engineer'}`, { assigneeUserId: r.assigneeUserId, assigneeName: r.assigneeName, version: r.version });
        throw new AppError('conflict', 'servicedesk.version_conflict', `ticket ${r.ticketNo} was changed meanwhile (version ${r.version}); reload it`, { version: r.version });
      }
      if (!ab[a.action]) {
        const to = ({ claim: 'in_progress', assign: 'assigned', start: 'in_progress', pend: 'pending', resume: 'in_progress', resolve: 'resolved', reopen: 'in_progress', close: 'closed', cancel: 'cancelled' } as Record<string, TicketStatus>)[a.action];
        if (to && !canTransition(r.status, to) && (this.isHandler(ctx, r) || this.isReporterSide(ctx, r)))
          throw new AppError('conflict', 'servicedesk.transition_forbidden', `a ${STATUS_CN[r.status]} ticket cannot go to ${STATUS_CN[to]}`, { from: r.status, to, action: a.action });
        throw forbidden('servicedesk.action_forbidden', `you may not ${a.action} this ticket`, { action: a.action, status: r.status });
      }
      const now = this.clock();
      const set: Record<string, unknown> = {};
      let to: TicketStatus = r.status;
      let body: string | null = null;
      const data: Record<string, unknown> = {};
      const firstAction = !r.respondedAt && ctx.actor.orgKind !== 'user_unit';
      switch (a.action) {
        case 'claim': to = 'in_progress'; set.assignee_user_id = ctx.actor.userId; break;
        case 'assign': {
          const u = (await sql<{ orgId: string; displayName: string }>`select org_id, display_name from users where id = ${a.assigneeUserId}`.execute(trx)).rows[0];
          if (!u || u.orgId !== r.providerId) throw validationError('servicedesk.assignee_other_provider', 'the engineer does not work for the ticket’s provider', [{ field: 'body.assigneeUserId', rule: 'same_provider', message: 'assign to an engineer of the provider the ticket is dispatched to', value: a.assigneeUserId }]);
          to = 'assigned'; set.assignee_user_id = a.assigneeUserId; data.assignee = u.displayName; break;
        }
        case 'transfer': {
          const p = (await sql<{ kind: string; name: string }>`select kind, name from organisations where id = ${a.providerId}`.execute(trx)).rows[0];
          if (!p || p.kind !== 'cloud_provider') throw validationError('servicedesk.transfer_target', 'transfer to a cloud provider', [{ field: 'body.providerId', rule: 'cloud_provider', message: 'pick a cloud provider', value: a.providerId }]);
          to = 'new'; set.provider_id = a.providerId; set.assignee_user_id = null; body = a.reason; data.providerName = p.name; data.fromProviderId = r.providerId; break;
        }
        case 'start': to = 'in_progress'; break;
        case 'pend': to = 'pending'; body = a.reason; set.pauses = [...r.pauses, { from: now.toISOString(), to: null }]; break;
        case 'resume': to = 'in_progress'; set.pauses = r.pauses.map((p: Pause) => (p.to === null ? { ...p, to: now.toISOString() } : p)); break;
        case 'onsite': set.onsite_at = now; break;
        case 'restore': set.restored_at = now; body = a.note ?? null; break;
        case 'resolve': to = 'resolved'; set.resolved_at = now; body = a.resolution; if (!r.restoredAt) set.restored_at = now; if (a.kbArticleId) set.kb_article_id = a.kbArticleId; break;
        case 'reopen': to = 'in_progress'; body = a.reason; set.resolved_at = null; set.reopen_count = r.reopenCount + 1; break;
        case 'close': to = 'closed'; set.closed_at = now; break;
        case 'cancel': to = 'cancelled'; set.closed_at = now; body = a.reason; break;
        case 'escalate': set.escalated = true; body = a.reason; break;
        case 'merge': {
          if (a.intoTicketId === id) throw validationError('servicedesk.merge_self', 'a ticket cannot be merged into itself', [{ field: 'body.intoTicketId', rule: 'other_ticket', message: 'pick another ticket' }]);
          const into = await repo.getTicket(trx, ctx, a.intoTicketId, true);
          if (!into) throw notFound('servicedesk.ticket', a.intoTicketId);
          if (!OPEN_STATUSES.includes(into.status)) throw new AppError('conflict', 'servicedesk.merge_target_closed', `ticket ${into.ticketNo} is no longer open`, { status: into.status });
          to = 'closed'; set.closed_at = now; set.merged_into_id = into.id; data.into = into.ticketNo;
          await sql`update sd_tickets set related_ids = array_append(related_ids, ${id}::uuid), version = version + 1, updated_at = now() where id = ${into.id}`.execute(trx);
          await repo.insertEvent(trx, ctx, { ticketId: into.id, kind: 'merged', actorUserId: ctx.actor.userId, actorName: ctx.actor.username, body: `合并重复工单 ${r.ticketNo}`, data: { from: r.ticketNo } });
          break;
        }
      }
      if (to === 'pending' && r.status !== 'pending') { /* pause opened above */ }
      if (r.status === 'pending' && to !== 'pending' && a.action !== 'resume') set.pauses = r.pauses.map((p: Pause) => (p.to === null ? { ...p, to: now.toISOString() } : p));
      if (firstAction && a.action !== 'transfer' && a.action !== 'escalate') set.responded_at = now;
      if (to !== r.status && !canTransition(r.status, to)) throw new AppError('conflict', 'servicedesk.transition_forbidden', `a ${STATUS_CN[r.status]} ticket cannot go to ${STATUS_CN[to]}`, { from: r.status, to });
      set.status = to;
      const assignments = Object.entries(set).map(([k, v]) => sql`${sql.ref(k)} = ${k === 'pauses' ? sql`${JSON.stringify(v)}::jsonb` : v}`);
      const upd = await sql<{ id: string }>`update sd_tickets set ${sql.join(assignments)}, version = version + 1, updated_at = now() where id = ${id} and version = ${a.version} returning id`.execute(trx);
      if (!upd.rows.length) throw new AppError('conflict', a.action === 'claim' ? 'servicedesk.already_claimed' : 'servicedesk.version_conflict', `ticket ${r.ticketNo} was changed meanwhile; reload it`, { version: r.version });
      const kind = a.action === 'claim' ? 'claimed' : a.action === 'assign' ? 'assigned' : a.action === 'transfer' ? 'transferred' : a.action === 'merge' ? 'merged' : a.action === 'escalate' ? 'escalated' : 'status';
      await repo.insertEvent(trx, ctx, { ticketId: id, kind, fromStatus: r.status, toStatus: to, actorUserId: ctx.actor.userId, actorName: ctx.actor.username, body, data: { action: a.action, ...data }, at: now });
      await recordAudit(trx, ctx, { action: `servicedesk.ticket_${a.action}`, targetType: 'ticket', targetId: id, before: { status: r.status, assigneeUserId: r.assigneeUserId, providerId: r.providerId }, after: { status: to, ...set, pauses: undefined } });
      if (this.notifier && a.action === 'resolve' && r.reporterUserId)
        await this.notifier(trx, { recipients: { userIds: [r.reporterUserId] }, kind: 'servicedesk.resolved', title: `工单 ${r.ticketNo} 已解决，请评价`, body: a.resolution, link: `/tickets?id=${id}` });
      if (this.notifier && a.action === 'transfer')
        await this.notifier(trx, { recipients: { orgIds: [a.providerId], roleCodes: ['provider_staff', 'provider_admin'] }, kind: 'servicedesk.new_ticket', title: `转派工单 ${r.ticketNo}：${r.title}`, body: a.reason, link: `/tickets?id=${id}` });
    });
    return this.getTicket(ctx, id);
  }

  /** A public (the reporter sees it) or internal comment; a provider's first public comment counts as the response. */
  async comment(ctx: RequestContext, id: string, c: { body: string; visibility: 'public' | 'internal' }): Promise<TicketDetail> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await repo.getTicket(trx, ctx, id, true);
      if (!r) throw notFound('servicedesk.ticket', id);
      const visibility = ctx.actor.orgKind === 'user_unit' ? 'public' : c.visibility;
      await repo.insertEvent(trx, ctx, { ticketId: id, kind: 'comment', actorUserId: ctx.actor.userId, actorName: ctx.actor.username, visibility, body: c.body });
      if (!r.respondedAt && this.isHandler(ctx, r) && visibility === 'public' && ctx.actor.kind !== 'system')
        await sql`update sd_tickets set responded_at = ${this.clock()}, version = version + 1 where id = ${id}`.execute(trx);
    });
    return this.getTicket(ctx, id);
  }

  /** The reporter rates a resolved ticket (1–5 with a comment); a resolved ticket closes with it. */
  async rate(ctx: RequestContext, id: string, input: { rating: number; comment?: string }): Promise<TicketDetail> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await repo.getTicket(trx, ctx, id, true);
      if (!r) throw notFound('servicedesk.ticket', id);
      if (!this.abilities(ctx, r).rate) throw forbidden('servicedesk.rate_forbidden', 'only the reporter rates a resolved ticket, once', { status: r.status, rated: r.rating !== null });
      const now = this.clock();
      await sql`update sd_tickets set rating = ${input.rating}, rating_comment = ${input.comment ?? null}, rated_at = ${now},
        status = 'closed', closed_at = coalesce(closed_at, ${now}), version = version + 1, updated_at = now() where id = ${id}`.execute(trx);
      await repo.insertEvent(trx, ctx, { ticketId: id, kind: 'rated', fromStatus: r.status, toStatus: 'closed', actorUserId: ctx.actor.userId, actorName: ctx.actor.username, body: input.comment ?? null, data: { rating: input.rating } });
      await recordAudit(trx, ctx, { action: 'servicedesk.ticket_rate', targetType: 'ticket', targetId: id, after: { rating: input.rating } });
    });
    return this.getTicket(ctx, id);
  }

  /** The fault report (故障报告) after a restore: a form on the ticket, kept with the time it was filed. */
  async saveFaultReport(ctx: RequestContext, id: string, form: FaultReport): Promise<TicketDetail> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await repo.getTicket(trx, ctx, id, true);
      if (!r) throw notFound('servicedesk.ticket', id);
      if (!this.abilities(ctx, r).faultReport) throw forbidden('servicedesk.fault_report_forbidden', 'the provider files the fault report of a restored fault or event', { status: r.status });
      await sql`update sd_tickets set fault_report = ${JSON.stringify(form)}::jsonb, fault_report_at = ${this.clock()}, version = version + 1 where id = ${id}`.execute(trx);
      await repo.insertEvent(trx, ctx, { ticketId: id, kind: 'fault_report', actorUserId: ctx.actor.userId, actorName: ctx.actor.username, body: '提交故障报告' });
      await recordAudit(trx, ctx, { action: 'servicedesk.fault_report', targetType: 'ticket', targetId: id, after: form });
    });
    return this.getTicket(ctx, id);
  }

  /** The fault report as a PDF signed with the platform's SM2 key. */
  async faultReportPdf(ctx: RequestContext, id: string): Promise<RenderedDocument> {
    const t = await this.getTicket(ctx, id);
    if (!t.faultReport) throw notFound('servicedesk.fault_report', id);
    if (!this.documents) throw new AppError('unavailable', 'servicedesk.documents_unavailable', 'document signing is not configured');
    const f = t.faultReport;
    const fmt = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
    const rows = [
      ['故障原因', f.cause], ['影响范围', f.impactScope], ['处置经过', f.timeline], ['处置措施', f.measures], ['防范措施', f.prevention],
    ].map(([item, content]) => ({ item: item!, content: content ?? '' }));
    return this.documents.render(ctx, {
      docType: 'fault_report', title: `故障报告 ${t.ticketNo}`, subtitle: t.title,
      meta: [
        { label: '服务商', value: t.providerName ?? '—' }, { label: '使用单位', value: t.unitName ?? '—' }, { label: '信息系统', value: t.systemName ?? '—' },
        { label: '发生时间', value: fmt(t.openedAt) }, { label: '响应时间', value: fmt(t.respondedAt) }, { label: '恢复时间', value: fmt(t.restoredAt) },
      ],
      columns: [{ key: 'item', header: ['项目'], width: 12 }, { key: 'content', header: ['内容'], width: 80 }],
      rows, signatures: ['服务商（盖章）', '监管单位（签收）'],
    }, 'pdf', { targetId: id, filenameStem: `故障报告-${t.ticketNo}` });
  }

  /** The list (same filters) as signed .xlsx, at most 10 000 rows. */
  async exportTickets(ctx: RequestContext, q: ListQuery): Promise<RenderedDocument> {
    if (!this.documents) throw new AppError('unavailable', 'servicedesk.documents_unavailable', 'document signing is not configured');
    const { items } = await this.listTickets(ctx, { ...q, page: 1, pageSize: 10_000 } as ListQuery);
    const fmt = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '');
    return this.documents.render(ctx, {
      docType: 'tickets', title: '工单清单', sheetName: '工单',
      columns: [
        { key: 'no', header: ['工单号'], width: 18 }, { key: 'kind', header: ['类型'], width: 10 }, { key: 'title', header: ['标题'], width: 40 },
        { key: 'status', header: ['状态'], width: 8 }, { key: 'priority', header: ['优先级'], width: 6 }, { key: 'unit', header: ['使用单位'], width: 20 },
        { key: 'provider', header: ['服务商'], width: 20 }, { key: 'opened', header: ['提交时间'], width: 20 }, { key: 'responded', header: ['响应时间'], width: 20 },
        { key: 'resolved', header: ['解决时间'], width: 20 }, { key: 'rating', header: ['评价'], width: 6 },
      ],
      rows: items.map((t) => ({ no: t.ticketNo, kind: KIND_CN[t.kind], title: t.title, status: STATUS_CN[t.status], priority: `P${t.priority}`, unit: t.unitName ?? '', provider: t.providerName ?? '', opened: fmt(t.openedAt), responded: fmt(t.respondedAt), resolved: fmt(t.resolvedAt), rating: t.rating === null ? '' : String(t.rating) })),
    }, 'xlsx', { filenameStem: '工单清单' });
  }

  // ---- from other modules ------------------------------------------------------------------------------------------

  /**
   * SourceTicketHook (CONTRACTS.md): opens a ticket once per (source, sourceId) while it is open, updates it on repeats,
   * records restore on 'cleared' (alert/outage). Runs in a system context. Dedup is the unique partial index
   * sd_tickets_source_open_uq: a concurrent twin insert fails on it and the loser updates the winner's ticket.
   */
  async upsertTicketFromSource(input: SourceTicketInput): Promise<{ ticketId: string; created: boolean } | null> {
    const ctx = systemContext(`servicedesk.source.${input.source}`);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await withTx(this.db, ctx, async (trx) => {
          const open = (await sql<{ id: string; ticketNo: string; restoredAt: Date | null; status: string }>`
            select id, ticket_no, restored_at, status from sd_tickets where source = ${input.source} and source_id = ${input.sourceId}
              and status not in ('resolved','closed','cancelled') for update`.execute(trx)).rows[0];
          if (open) {
            if (input.state === 'cleared') {
              const restore = (input.source === 'alert' || input.source === 'outage') && !open.restoredAt;
              await sql`update sd_tickets set ${restore ? sql`restored_at = ${input.occurredAt},` : sql``} version = version + 1, updated_at = now() where id = ${open.id}`.execute(trx);
              await repo.insertEvent(trx, ctx, { ticketId: open.id, kind: 'source_cleared', actorName: '系统', body: 'source cleared（来源已恢复）', data: { source: input.source, sourceId: input.sourceId, at: input.occurredAt.toISOString() } });
            } else {
              await sql`update sd_tickets set title = ${input.title}, description = ${input.description}, severity = ${input.severity}, version = version + 1, updated_at = now() where id = ${open.id}`.execute(trx);
              await repo.insertEvent(trx, ctx, { ticketId: open.id, kind: 'source_update', actorName: '系统', visibility: 'internal', body: input.description.slice(0, 2000), data: { severity: input.severity } });
            }
            return { ticketId: open.id, created: false };
          }
          if (input.state === 'cleared') return null;
          let { providerId = null, nodeId = null } = input;
          if (!providerId && input.resourceIds?.length) {
            const r = (await sql<{ providerOrgId: string; nodeId: string }>`select provider_org_id, node_id from inventory_resources where id = any(${input.resourceIds}::uuid[]) limit 1`.execute(trx)).rows[0];
            if (r) { providerId = r.providerOrgId; nodeId = nodeId ?? r.nodeId; }
          }
          if (!providerId && nodeId) providerId = (await sql<{ p: string | null }>`select provider_org_id as p from cloud_nodes where id = ${nodeId}`.execute(trx)).rows[0]?.p ?? null;
          let unitId = input.unitId ?? null;
          if (!unitId && input.systemId) unitId = (await sql<{ u: string }>`select unit_id as u from information_systems where id = ${input.systemId}`.execute(trx)).rows[0]?.u ?? null;
          const { impact, urgency } = SEVERITY_IMPACT[input.severity];
          const kind = SOURCE_KIND[input.source];
          const id = await this.insertTicket(trx, ctx, {
            kind, title: input.title.slice(0, 200), description: input.description.slice(0, 10000), impact, urgency, priority: priorityOf(impact, urgency),
            eventLevel: null, channel: SOURCE_CHANNEL[input.source], unitId, providerId, nodeId, systemId: input.systemId ?? null, resourceIds: input.resourceIds ?? [],
            workOrderId: null, applicationId: null, reporterName: '系统', openedAt: input.occurredAt, source: input.source, sourceId: input.sourceId, severity: input.severity,
          });
          return { ticketId: id, created: true };
        });
      } catch (e) {
        // Twin insert by a concurrent call: the partial unique index refused ours; the next attempt updates the winner.
        if ((e as { code?: string }).code === '23505' && String((e as { constraint?: string }).constraint) === 'sd_tickets_source_open_uq') continue;
        throw e;
      }
    }
    throw new AppError('conflict', 'servicedesk.source_race', `could not record ${input.source} ${input.sourceId}`);
  }

  // ---- clocks, escalation, auto close ------------------------------------------------------------------------------

  /**
   * The SLA clock check (job `servicedesk.clocks`, every minute): computes every open ticket's clocks and fires the
   * escalation steps reached (75 % the duty engineer, 100 % the provider manager and the escalated flag, 150 % the
   * management unit), each once: the row in sd_escalations and the notice commit together.
   */
  async checkClocks(now = this.clock()): Promise<{ open: number; fired: number; breached: number }> {
    const ctx = systemContext('servicedesk.clocks');
    return withTx(this.db, ctx, async (trx) => {
      const cal = await this.days(trx);
      const rows = (await sql<{ id: string; ticketNo: string; title: string; providerId: string | null; assigneeUserId: string | null; targets: repo.TicketRow['targets']; openedAt: Date; respondedAt: Date | null; onsiteAt: Date | null; restoredAt: Date | null; resolvedAt: Date | null; closedAt: Date | null; pauses: Pause[]; fired: string[] | null }>`
        select t.id, t.ticket_no, t.title, t.provider_id, t.assignee_user_id, t.targets, t.opened_at, t.responded_at, t.onsite_at, t.restored_at, t.resolved_at, t.closed_at, t.pauses,
               (select array_agg(e.clock || ':' || e.stage) from sd_escalations e where e.ticket_id = t.id) as fired
        from sd_tickets t where t.status in ('new','assigned','in_progress','pending')`.execute(trx)).rows;
      const todo: Array<{ ticketId: string; clock: ClockName; stage: EscalationStage; dueAt: Date; row: (typeof rows)[number] }> = [];
      let breached = 0;
      for (const r of rows) {
        const fired = new Set(r.fired ?? []);
        for (const c of CLOCKS) {
          const target = r.targets[c];
          if (!target) continue;
          const stop = stopOf(r, c);
          if (stop) continue;
          const s = clockState(cal, { openedAt: new Date(r.openedAt), stoppedAt: null, pauses: r.pauses, target }, now);
          if (s.state === 'breached') breached++;
          for (const stage of stagesReached(s, false)) if (!fired.has(`${c}:${stage}`)) todo.push({ ticketId: r.id, clock: c, stage, dueAt: s.dueAt ?? now, row: r });
        }
      }
      // One statement per batch: the rows that are new (on conflict do nothing) are the steps to fire now.
      const fired: typeof todo = [];
      for (let i = 0; i < todo.length; i += 5000) {
        const part = todo.slice(i, i + 5000);
        const ins = await sql<{ ticketId: string; clock: ClockName; stage: EscalationStage }>`
          insert into sd_escalations (ticket_id, clock, stage, due_at, fired_at)
          select * , ${now}::timestamptz from unnest(${part.map((x) => x.ticketId)}::uuid[], ${part.map((x) => x.clock)}::text[], ${part.map((x) => x.stage)}::text[], ${part.map((x) => x.dueAt.toISOString())}::timestamptz[])
          on conflict do nothing returning ticket_id, clock, stage`.execute(trx);
        const key = new Set(ins.rows.map((r) => `${r.ticketId}:${r.clock}:${r.stage}`));
        const news = part.filter((x) => key.has(`${x.ticketId}:${x.clock}:${x.stage}`));
        fired.push(...news);
        if (!news.length) continue;
        const label = (x: (typeof todo)[number]) => `${CLOCK_CN[x.clock]}时限${x.stage === 'warning' ? '即将超时' : '已超时'}（${x.stage}）`;
        await sql`insert into sd_ticket_events (ticket_id, at, kind, actor_name, visibility, body, data)
          select t, ${now}::timestamptz, 'sla', '系统', 'internal', b, d from unnest(${news.map((x) => x.ticketId)}::uuid[], ${news.map(label)}::text[], ${news.map((x) => JSON.stringify({ clock: x.clock, stage: x.stage }))}::jsonb[]) as u(t, b, d)`.execute(trx);
        const up = [...new Set(news.filter((x) => x.stage !== 'warning').map((x) => x.ticketId))];
        if (up.length) await sql`update sd_tickets set escalated = true where id = any(${up}::uuid[]) and not escalated`.execute(trx);
      }
      if (this.notifier) {
        for (const x of fired) {
          const label = x.stage === 'warning' ? '即将超时' : '已超时';
          const recipients: DeskNotice['recipients'] =
            x.stage === 'warning' ? (x.row.assigneeUserId ? { userIds: [x.row.assigneeUserId] } : x.row.providerId ? { orgIds: [x.row.providerId], roleCodes: ['provider_staff'] } : { orgKinds: ['management_unit'], roleCodes: ['mgmt_staff'] })
            : x.stage === 'breach' ? (x.row.providerId ? { orgIds: [x.row.providerId], roleCodes: ['provider_admin'] } : { orgKinds: ['management_unit'], roleCodes: ['mgmt_staff'] })
            : { orgKinds: ['management_unit'], roleCodes: ['mgmt_staff'] };
          await this.notifier(trx, { recipients, kind: `servicedesk.sla_${x.stage}`, title: `工单 ${x.row.ticketNo} ${CLOCK_CN[x.clock]}时限${label}`, body: x.row.title, link: `/tickets?id=${x.ticketId}`, severity: x.stage === 'warning' ? 'warning' : 'critical' });
        }
      }
      const count = fired.length;
      return { open: rows.length, fired: count, breached };
    });
  }

  /** Resolved tickets unrated for `autoCloseDays` close (job `servicedesk.autoclose`). */
  async autoClose(now = this.clock()): Promise<number> {
    const ctx = systemContext('servicedesk.autoclose');
    return withTx(this.db, ctx, async (trx) => {
      const r = await sql<{ id: string }>`update sd_tickets set status = 'closed', closed_at = ${now}, version = version + 1, updated_at = now()
        where status = 'resolved' and rating is null and resolved_at <= ${new Date(now.getTime() - this.autoCloseDays * 86_400_000)} returning id`.execute(trx);
      for (const x of r.rows) await repo.insertEvent(trx, ctx, { ticketId: x.id, kind: 'status', fromStatus: 'resolved', toStatus: 'closed', actorName: '系统', body: `解决后 ${this.autoCloseDays} 天未评价，自动关闭`, at: now });
      return r.rows.length;
    });
  }

  // ---- statistics --------------------------------------------------------------------------------------------------

  /**
   * Statistics per provider × unit × kind of the tickets opened in `month` (Asia/Shanghai): counts, response within
   * target, average response and recovery minutes (24×7 wall time; recovery = opened → restored), resolution rate,
   * satisfaction (average of 1–5, share ≥ 4), breaches (a stopped or running clock past its target). Ratios null
   * without data.
   */
  async ticketStatistics(ctx: RequestContext, q: { month: string; providerId?: string; unitId?: string }): Promise<StatisticsRow[]> {
    return withTx(this.db, ctx, async (trx) => {
      const cal = await this.days(trx);
      const now = this.clock();
      const from = new Date(`${q.month}-01T00:00:00+08:00`);
      const [y, m] = q.month.split('-').map(Number) as [number, number];
      const to = new Date(`${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01T00:00:00+08:00`);
      const conds = [repo.visibleTo(ctx), sql`t.opened_at >= ${from}`, sql`t.opened_at < ${to}`, sql`t.status <> 'cancelled'`, sql`t.merged_into_id is null`];
      if (q.providerId) conds.push(sql`t.provider_id = ${q.providerId}`);
      if (q.unitId) conds.push(sql`t.unit_id = ${q.unitId}`);
      const rows = (await sql<repo.TicketRow>`select t.id, t.kind, t.provider_id, t.unit_id, t.status, t.targets, t.opened_at, t.responded_at, t.onsite_at, t.restored_at,
          t.resolved_at, t.closed_at, t.pauses, t.rating from sd_tickets t where ${sql.join(conds, sql` and `)}`.execute(trx)).rows;
      const groups = new Map<string, repo.TicketRow[]>();
      for (const r of rows) {
        const k = `${r.providerId ?? ''}|${r.unitId ?? ''}|${r.kind}`;
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      const out: StatisticsRow[] = [];
      for (const [k, list] of groups) {
        const [providerId, unitId, kind] = k.split('|') as [string, string, string];
        const responded = list.filter((r) => r.respondedAt);
        let inTarget = 0;
        let breaches = 0;
        for (const r of list) {
          for (const c of CLOCKS) {
            const target = r.targets[c];
            if (!target) continue;
            const s = clockState(cal, { openedAt: new Date(r.openedAt), stoppedAt: stopOf(r, c), pauses: r.pauses, target }, now);
            if (s.state === 'breached') breaches++;
            if (c === 'response' && r.respondedAt && s.state === 'met') inTarget++;
          }
          if (!target(r, 'response') && r.respondedAt) inTarget++;
        }
        const resolved = list.filter((r) => r.resolvedAt || (r.status === 'closed' && r.closedAt));
        const restored = list.filter((r) => r.restoredAt);
        const rated = list.filter((r) => r.rating !== null);
        out.push({
          providerId: providerId || null, unitId: unitId || null, kind, tickets: list.length, responded: responded.length, respondedInTarget: inTarget,
          responseRate: ratio(inTarget, responded.length),
          avgResponseMinutes: avg(responded.map((r) => (new Date(r.respondedAt!).getTime() - new Date(r.openedAt).getTime()) / 60_000)),
          avgRecoveryMinutes: avg(restored.map((r) => (new Date(r.restoredAt!).getTime() - new Date(r.openedAt).getTime()) / 60_000)),
          resolved: resolved.length, resolutionRate: ratio(resolved.length, list.length),
          satisfactionAvg: rated.length ? (rated.reduce((s, r) => s + r.rating!, 0) / rated.length).toFixed(2) : null,
          satisfiedRate: ratio(rated.filter((r) => r.rating! >= 4).length, rated.length), breaches,
        });
      }
      return out.sort((a, b) => (a.providerId ?? '').localeCompare(b.providerId ?? '') || (a.unitId ?? '').localeCompare(b.unitId ?? '') || a.kind.localeCompare(b.kind));
    });
  }

  /** Reference data for the UI and the dictionary: SLA targets and event grades. */
  async reference(ctx: RequestContext) {
    return withTx(this.db, ctx, async (trx) => ({
      targets: (await sql<{ kind: string; priority: number; clock: string; minutes: number; schedule: string; contractId: string | null; providerId: string | null; note: string | null }>`
        select kind, priority, clock, minutes, schedule, contract_id, provider_id, note from sd_sla_targets order by kind, priority, clock`.execute(trx)).rows,
      grades: await this.grades(trx),
    }));
  }

  /** Days of the month in Asia/Shanghai, for the statistics chart. */
  static monthOf(d: Date): string {
    return localDate(d).slice(0, 7);
  }

  logError(msg: string, e: unknown): void {
    this.logger?.error({ err: e }, msg);
  }
}

const target = (r: repo.TicketRow, c: ClockName) => r.targets[c];

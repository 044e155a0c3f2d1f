import { sql, type RawBuilder } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import type { Pause, Targets, TicketKind, TicketStatus } from './servicedesk.rules.js';
import type { ListQuery } from './servicedesk.schemas.js';

/**
 * SQL of the service-desk tables. Every function takes `ctx` first; reads filter to what the actor may see (the
 * ticket's unit or provider in the actor's subtrees; scope-all actors see all) and RLS is the backstop. Names of
 * organisations, systems, nodes and users are joined read-only for display.
 */
export interface TicketRow {
  id: string; ticketNo: string; kind: TicketKind; title: string; description: string; status: TicketStatus; priority: number; impact: number; urgency: number;
  eventLevel: string | null; escalated: boolean; reopenCount: number; channel: string; source: string | null; sourceId: string | null; severity: string | null;
  reporterUserId: string | null; reporterName: string | null; unitId: string | null; unitName: string | null; systemId: string | null; systemName: string | null;
  providerId: string | null; providerName: string | null; nodeId: string | null; nodeName: string | null; resourceIds: string[];
  assigneeUserId: string | null; assigneeName: string | null; workOrderId: string | null; applicationId: string | null; mergedIntoId: string | null; kbArticleId: string | null;
  targets: Targets; schedule: string; keyPeriod: boolean; openedAt: Date; respondedAt: Date | null; onsiteAt: Date | null; restoredAt: Date | null;
  resolvedAt: Date | null; closedAt: Date | null; pauses: Pause[]; rating: number | null; ratingComment: string | null; ratedAt: Date | null;
  faultReport: Record<string, string> | null; faultReportAt: Date | null; version: number;
}

const columns = sql`
  t.id, t.ticket_no, t.kind, t.title, t.description, t.status, t.priority, t.impact, t.urgency, t.event_level, t.escalated, t.reopen_count,
         t.channel, t.source, t.source_id, t.severity, t.reporter_user_id, t.reporter_name, t.unit_id, u.name as unit_name, t.system_id,
         s.name as system_name, t.provider_id, p.name as provider_name, t.node_id, n.name as node_name, t.resource_ids, t.assignee_user_id,
         a.display_name as assignee_name, t.work_order_id, t.application_id, t.merged_into_id, t.kb_article_id, t.targets, t.schedule, t.key_period, t.opened_at,
         t.responded_at, t.onsite_at, t.restored_at, t.resolved_at, t.closed_at, t.pauses, t.rating, t.rating_comment, t.rated_at, t.fault_report,
         t.fault_report_at, t.version`;
/** Display names, joined read-only. */
const joins = sql`
  left join organisations u on u.id = t.unit_id
  left join organisations p on p.id = t.provider_id
  left join information_systems s on s.id = t.system_id
  left join cloud_nodes n on n.id = t.node_id
  left join users a on a.id = t.assignee_user_id`;
const select = sql`select ${columns} from sd_tickets t ${joins}`;

/** Organisations the actor sees (RLS of organisations: its subtrees), read once per transaction; null = all. */
export async function visibleOrgIds(trx: Executor, ctx: RequestContext): Promise<string[] | null> {
  if (ctx.actor.scope.all) return null;
  return (await sql<{ id: string }>`select id from organisations`.execute(trx)).rows.map((r) => r.id);
}

/** The ticket's visibility for the actor (besides RLS): unit or provider inside the actor's subtrees. */
export function visibleTo(ctx: RequestContext, orgIds?: string[] | null): RawBuilder<unknown> {
  const { scope } = ctx.actor;
  if (scope.all) return sql`true`;
  if (orgIds) return sql`(t.unit_id = any(${orgIds}::uuid[]) or t.provider_id = any(${orgIds}::uuid[]))`;
  return sql`(t.unit_id in (select id from organisations) or t.provider_id in (select id from organisations))`;
}

export async function getTicket(trx: Executor, ctx: RequestContext, id: string, forUpdate = false): Promise<TicketRow | null> {
  const r = await sql<TicketRow>`${select} where t.id = ${id} and ${visibleTo(ctx)} ${forUpdate ? sql`for update of t` : sql``}`.execute(trx);
  return r.rows[0] ?? null;
}

const SORT: Record<ListQuery['sort'], RawBuilder<unknown>> = {
  openedAt: sql`t.opened_at asc, t.id`, '-openedAt': sql`t.opened_at desc, t.id`, priority: sql`t.priority asc, t.opened_at asc, t.id`, ticketNo: sql`t.ticket_no asc`,
};

/** Lists count at most this many matches ("1,000+", 50 pages of 20; the statistics give exact counts): counting a
 * provider's 20,000 open tickets through RLS to 10,000 cost the queue more than its page (docs/servicedesk.md). */
export const COUNT_CAP = 1_000;

export async function listTickets(trx: Executor, ctx: RequestContext, q: ListQuery): Promise<{ rows: TicketRow[]; total: number; totalCapped: boolean }> {
  const orgIds = await visibleOrgIds(trx, ctx);
  const providerQueue = q.view === 'queue' && ctx.actor.orgKind === 'cloud_provider' && orgIds !== null;
  // A provider's queue: only tickets dispatched to it (an index range on the open tickets of its providers).
  // With one provider (the usual case) an equality, so page 1 is read in index order from the queue index; "= any" of
  // an array would make PostgreSQL sort every open ticket of the provider first.
  const providerCond = orgIds?.length === 1 ? sql`t.provider_id = ${orgIds[0]}` : sql`t.provider_id = any(${orgIds}::uuid[])`;
  const conds: RawBuilder<unknown>[] = [providerQueue ? providerCond : visibleTo(ctx, orgIds)];
  if (q.view === 'mine') conds.push(sql`(t.reporter_user_id = ${ctx.actor.userId} or t.assignee_user_id = ${ctx.actor.userId})`);
  if (q.view === 'queue') conds.push(sql`t.status in ('new','assigned','in_progress','pending')`);
  if (q.status === 'open') conds.push(sql`t.status in ('new','assigned','in_progress','pending')`);
  else if (q.status) conds.push(sql`t.status = ${q.status}`);
  if (q.kind) conds.push(sql`t.kind = ${q.kind}`);
  if (q.priority) conds.push(sql`t.priority = ${q.priority}`);
  if (q.providerId) conds.push(sql`t.provider_id = ${q.providerId}`);
  if (q.unitId) conds.push(sql`t.unit_id = ${q.unitId}`);
  if (q.channel) conds.push(sql`t.channel = ${q.channel}`);
  if (q.q) conds.push(sql`(t.title ilike ${'%' + q.q.replace(/[%_\\]/g, '\\$&') + '%'} or t.ticket_no = ${q.q})`);
  const where = sql.join(conds, sql` and `);
  // One query at a time on the transaction's client (pg queues them anyway and warns of overlapping queries).
  // The page is cut first, the names joined to its rows only (joining before the limit cost 60 ms per 5,000 open tickets).
  const rows = await sql<TicketRow>`select ${columns}
      from (select t.* from sd_tickets t where ${where} order by ${SORT[q.sort]} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}) t ${joins}
      order by ${SORT[q.sort]}`.execute(trx);
  const total = await sql<{ n: string }>`select count(*) as n from (select 1 from sd_tickets t where ${where} limit ${COUNT_CAP + 1}) c`.execute(trx);
  const n = Number(total.rows[0]?.n ?? 0);
  return { rows: rows.rows, total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
}

export interface EventInput {
  ticketId: string; kind: string; fromStatus?: string | null; toStatus?: string | null; actorUserId?: string | null; actorName?: string | null;
  visibility?: 'public' | 'internal'; body?: string | null; data?: Record<string, unknown>; at?: Date;
}
export async function insertEvent(trx: Executor, _ctx: RequestContext, e: EventInput): Promise<void> {
  await sql`insert into sd_ticket_events (ticket_id, at, kind, from_status, to_status, actor_user_id, actor_name, visibility, body, data)
    values (${e.ticketId}, ${e.at ?? new Date()}, ${e.kind}, ${e.fromStatus ?? null}, ${e.toStatus ?? null}, ${e.actorUserId ?? null}, ${e.actorName ?? null},
            ${e.visibility ?? 'public'}, ${e.body ?? null}, ${JSON.stringify(e.data ?? {})}::jsonb)`.execute(trx);
}

export async function listEvents(trx: Executor, _ctx: RequestContext, ticketId: string, includeInternal: boolean) {
  const r = await sql<{ id: string; at: Date; kind: string; fromStatus: string | null; toStatus: string | null; actorName: string | null; visibility: 'public' | 'internal'; body: string | null; data: Record<string, unknown> }>`
    select id::text, at, kind, from_status, to_status, actor_name, visibility, body, data from sd_ticket_events
    where ticket_id = ${ticketId} ${includeInternal ? sql`` : sql`and visibility = 'public'`} order by id`.execute(trx);
  return r.rows;
}

export async function targetRows(trx: Executor, _ctx: RequestContext, kind: string, priority: number, providerId: string | null, systemId: string | null) {
  const r = await sql<{ clock: 'response' | 'onsite' | 'restore' | 'resolution'; minutes: number; schedule: 'clock' | 'office'; contractId: string | null; providerId: string | null }>`
    select clock, minutes, schedule, contract_id, provider_id from sd_sla_targets
    where kind = ${kind}
      and priority = (select x.priority from sd_sla_targets x where x.kind = ${kind} order by abs(x.priority - ${priority}), x.priority limit 1)
      and (provider_id is null or provider_id = ${providerId})
      and (contract_id is null or contract_id in (
        select cs.contract_id from contract_systems cs join contracts c on c.id = cs.contract_id
        where cs.system_id = ${systemId} and c.status = 'active' and current_date between c.service_start and c.service_end))`.execute(trx);
  return r.rows;
}

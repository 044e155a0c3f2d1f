import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { NotificationService } from '../notifications/index.js';
import { listStoredBatches, readBatchRecords } from '../ingestion/index.js';
import { readAutomationSettings } from './operations.automation.js';
import { DETECTION_LOOKBACK_DAYS, describeSpecChange, SPEC_TABLE, specChanges, specFigures, type SpecChange, type SpecFigures } from './operations.detection.js';

NotificationService.registerKind('operations.unapproved_change', '未经审批变更', 'Unapproved platform change');

export const MAJOR_CHANGE_SOURCES = ['pushed', 'detected', 'manual'] as const;
export const MAJOR_CHANGE_STATUSES = ['matched', 'unapproved'] as const;

/** A major-change event as the ingestion module's trigger mode stores it (kind major_change). */
export interface PushedMajorChange {
  id: string;
  providerOrgId: string;
  nodeId: string;
  externalId: string;
  category: string;
  occurredAt: string;
  title: string;
  detail: string;
}
/** Reads the pushed major-change events that occurred in [from, to) (wired in container.ts to the ingestion module). */
export type PushedMajorChangeSource = (from: Date, to: Date) => Promise<PushedMajorChange[]>;
type Notify = Pick<NotificationService, 'notify'>;

/** A major-change event (重大变更) and the approved platform change it was matched to, or none (未经审批变更). */
export interface MajorChange {
  id: string;
  providerOrgId: string;
  providerName: string;
  nodeId: string | null;
  nodeName: string | null;
  source: (typeof MAJOR_CHANGE_SOURCES)[number];
  sourceEventId: string | null;
  externalId: string | null;
  category: string;
  title: string;
  detail: string;
  hostIds: string[];
  occurredAt: string;
  status: (typeof MAJOR_CHANGE_STATUSES)[number];
  matchedChange: { id: string; title: string; windowStart: string; windowEnd: string } | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  /** For a detected change: what was compared (table, batch, machine room, the figures before and after, the changes). */
  evidence: Record<string, unknown> | null;
  createdAt: string;
}

export interface MajorChangeCandidate {
  id: string;
  nodeId: string | null;
  hostIds: string[];
  windowStart: Date;
  windowEnd: Date;
}

/**
 * The approved change an event belongs to (pure): same provider (the caller passes only that provider's approved or
 * implemented changes), the change's node is the event's (or the change is platform-wide, no node), the event's moment
 * lies in the approved window [start, end], and when both name impacted hosts they share one. The change whose window
 * started last wins (the most specific in force). A detected change is only known to have happened between the previous
 * record and the one that shows it: with `occurredFrom` the event is the interval [occurredFrom, occurredAt] and a
 * window overlapping it fits.
 */
export function matchMajorChange(event: { nodeId: string | null; hostIds: string[]; occurredAt: Date; occurredFrom?: Date | null }, changes: readonly MajorChangeCandidate[]): MajorChangeCandidate | null {
  const t = event.occurredAt.getTime();
  const from = Math.min(event.occurredFrom?.getTime() ?? t, t);
  const fits = changes.filter((c) =>
    (c.nodeId === null || c.nodeId === event.nodeId)
    && c.windowStart.getTime() <= t && from <= c.windowEnd.getTime()
    && (event.hostIds.length === 0 || c.hostIds.length === 0 || c.hostIds.some((h) => event.hostIds.includes(h))));
  fits.sort((a, b) => b.windowStart.getTime() - a.windowStart.getTime() || a.id.localeCompare(b.id));
  return fits[0] ?? null;
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const beijing = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

interface NewMajorChange {
  providerOrgId: string;
  nodeId?: string | null;
  source: MajorChange['source'];
  sourceEventId?: string | null;
  externalId?: string | null;
  category: string;
  title: string;
  detail?: string;
  hostIds?: string[];
  occurredAt: Date;
  /** Detected changes: the earliest moment it may have happened (the previous record). */
  occurredFrom?: Date | null;
  detectionKey?: string | null;
  evidence?: Record<string, unknown> | null;
}

/** Major-change events (重大变更) matched to approved platform changes; unapproved ones flagged and notified. */
export class MajorChangeService {
  private notifier: Notify | null = null;
  private pushed: PushedMajorChangeSource | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  /** Notifies supervision staff of unapproved changes (notifications module). */
  setNotifier(n: Notify): void {
    this.notifier = n;
  }

  /** The ingestion module's pushed major-change events (trigger mode). */
  setPushedEventSource(source: PushedMajorChangeSource): void {
    this.pushed = source;
  }

  private async insert(trx: Tx, ctx: RequestContext, e: NewMajorChange): Promise<string | null> {
    const candidates = (await sql<MajorChangeCandidate>`select id, node_id, impacted_host_ids as host_ids, window_start, window_end from ops_changes
      where provider_org_id = ${e.providerOrgId} and status in ('approved','implemented') and window_start <= ${e.occurredAt} and window_end >= ${e.occurredFrom && e.occurredFrom < e.occurredAt ? e.occurredFrom : e.occurredAt}`.execute(trx)).rows;
    const m = matchMajorChange({ nodeId: e.nodeId ?? null, hostIds: e.hostIds ?? [], occurredAt: e.occurredAt, occurredFrom: e.occurredFrom ?? null }, candidates);
    const status = m ? 'matched' : 'unapproved';
    const row = (await sql<{ id: string }>`insert into ops_major_changes (provider_org_id, node_id, source, source_event_id, external_id, category, title, detail, host_ids, occurred_at, status, matched_change_id, created_by, detection_key, evidence)
      values (${e.providerOrgId}, ${e.nodeId ?? null}, ${e.source}, ${e.sourceEventId ?? null}, ${e.externalId ?? null}, ${e.category}, ${e.title}, ${e.detail ?? ''}, ${e.hostIds ?? []}::uuid[], ${e.occurredAt}, ${status}, ${m?.id ?? null}, ${ctx.actor.userId},
        ${e.detectionKey ?? null}, ${e.evidence ? JSON.stringify(e.evidence) : null}::jsonb)
      on conflict do nothing returning id`.execute(trx)).rows[0];
    if (!row) return null;
    await recordAudit(trx, ctx, { action: `operations.major_change_${status}`, targetType: 'ops_major_change', targetId: row.id, after: { source: e.source, providerOrgId: e.providerOrgId, nodeId: e.nodeId ?? null, occurredAt: e.occurredAt.toISOString(), matchedChangeId: m?.id ?? null } });
    if (!m && this.notifier) {
      const provider = (await sql<{ name: string }>`select name from organisations where id = ${e.providerOrgId}`.execute(trx)).rows[0]?.name ?? '';
      await this.notifier.notify(trx, {
        recipients: { roleCodes: ['supervisor_staff'], orgKinds: ['supervision_provider'] },
        kind: 'operations.unapproved_change',
        severity: 'warning',
        title: `未经审批变更：${provider} ${e.title}`.slice(0, 200),
        body: `${beijing(e.occurredAt)}（北京时间）发生的重大变更“${e.title}”（${e.category}）没有在批准窗口内的已审批云平台变更与之对应。`,
        link: `/operations/major-changes?id=${row.id}`,
      });
    }
    return row.id;
  }

  /**
   * Supervision (or the management unit) enters a major change it observed (source 'manual'), or the platform one it
   * detected in pushed data ('detected'); matched at once. Needs `operations:manage`.
   */
  async record(ctx: RequestContext, input: { providerOrgId: string; nodeId?: string | null; source?: 'manual' | 'detected'; category: string; title: string; detail?: string | null; hostIds?: string[]; occurredAt: string }): Promise<MajorChange> {
    if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.major_change_manage_only', 'Only the management unit or the supervision provider enters major changes (providers push them through the data interface)', {});
    const at = new Date(input.occurredAt);
    if (Number.isNaN(at.getTime())) throw validationError('operations.invalid_time', 'occurredAt is not a time', [{ field: 'body.occurredAt', rule: 'iso_time', message: 'an ISO time', value: input.occurredAt }]);
    if (at > this.clock()) throw validationError('operations.time_in_future', 'A major change cannot have occurred in the future', [{ field: 'body.occurredAt', rule: 'not_future', message: 'not after now', value: input.occurredAt }]);
    return withTx(this.db, ctx, async (trx) => {
      const org = (await sql<{ kind: string }>`select kind from organisations where id = ${input.providerOrgId}`.execute(trx)).rows[0];
      if (!org) throw notFound('organisation', input.providerOrgId);
      if (org.kind !== 'cloud_provider') throw validationError('operations.not_a_provider', 'Major changes are a cloud provider’s', [{ field: 'body.providerOrgId', rule: 'cloud_provider', message: 'not a cloud provider', value: input.providerOrgId }]);
      if (input.nodeId) {
        const node = (await sql<{ providerOrgId: string | null }>`select provider_org_id from cloud_nodes where id = ${input.nodeId}`.execute(trx)).rows[0];
        if (!node) throw validationError('operations.node_not_found', 'Unknown cloud node', [{ field: 'body.nodeId', rule: 'exists', message: 'no such cloud node', value: input.nodeId }]);
        if (node.providerOrgId !== input.providerOrgId) throw validationError('operations.node_not_served', 'The node is not run by this provider', [{ field: 'body.nodeId', rule: 'node_provider', message: 'the provider does not run this node', value: input.nodeId }]);
      }
      const id = (await this.insert(trx, ctx, { providerOrgId: input.providerOrgId, nodeId: input.nodeId ?? null, source: input.source ?? 'manual', category: input.category, title: input.title, detail: input.detail ?? '', hostIds: input.hostIds ?? [], occurredAt: at }))!;
      return (await this.rows(trx, { id }))[0]!;
    });
  }

  /**
   * Imports the pushed major-change events (trigger mode) that occurred in [from, to) and are not yet here, matching
   * each; idempotent (one row per pushed event). Returns how many were new and how many of them are unapproved.
   */
  async importPushed(range: { from: Date; to: Date }): Promise<{ imported: number; unapproved: number }> {
    if (!this.pushed) return { imported: 0, unapproved: 0 };
    const events = await this.pushed(range.from, range.to);
    if (!events.length) return { imported: 0, unapproved: 0 };
    const ctx = systemContext('operations.major_changes');
    return withTx(this.db, ctx, async (trx) => {
      const known = new Set((await sql<{ sourceEventId: string }>`select source_event_id from ops_major_changes where source_event_id = any(${events.map((e) => e.id)}::uuid[])`.execute(trx)).rows.map((r) => r.sourceEventId));
      let imported = 0;
      let unapproved = 0;
      for (const e of events) {
        if (known.has(e.id)) continue;
        const id = await this.insert(trx, ctx, { providerOrgId: e.providerOrgId, nodeId: e.nodeId, source: 'pushed', sourceEventId: e.id, externalId: e.externalId, category: e.category, title: e.title, detail: e.detail, occurredAt: new Date(e.occurredAt) });
        if (!id) continue;
        imported++;
        const s = (await sql<{ status: string }>`select status from ops_major_changes where id = ${id}`.execute(trx)).rows[0]!;
        if (s.status === 'unapproved') unapproved++;
      }
      if (imported) this.logger.info({ imported, unapproved }, 'operations: pushed major changes imported');
      return { imported, unapproved };
    });
  }

  /**
   * Detection from pushed data (job `operations.change_detection`): reads the stored 云平台规格数据 batches after this
   * module's cursor (`ops_detection_cursor`) through the ingestion module's public `listStoredBatches` /
   * `readBatchRecords`, compares each record's totals with the previous record of the same node and machine room
   * (`ops_spec_snapshots`), and records a major change (source `detected`, the figures before and after as evidence)
   * when one moved by more than the configured threshold; matched and, unmatched, flagged and notified like the others.
   * Idempotent: the cursor moves in the same transaction, and each detection has a key (table, batch, machine room)
   * recorded once. Batches older than 7 days only update the last-seen totals.
   */
  async detectFromPushedData(opts: { pageSize?: number } = {}): Promise<{ batches: number; detected: number; unapproved: number }> {
    const ctx = systemContext('operations.change_detection');
    const limit = opts.pageSize ?? 100;
    const total = { batches: 0, detected: 0, unapproved: 0 };
    for (;;) {
      const more = await withTx(this.db, ctx, async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext('operations.change_detection'))`.execute(trx);
        const settings = await readAutomationSettings(trx);
        const cursor = (await sql<{ lastBatchId: string }>`select last_batch_id::text as last_batch_id from ops_detection_cursor where table_name = ${SPEC_TABLE}`.execute(trx)).rows[0]?.lastBatchId ?? '0';
        const page = await listStoredBatches(trx, { afterId: cursor, tables: [SPEC_TABLE], limit });
        const alarmsFrom = this.clock().getTime() - DETECTION_LOOKBACK_DAYS * 86_400_000;
        for (const batch of page) {
          for (const r of await readBatchRecords(trx, batch)) {
            const found = await this.compareSpec(trx, ctx, {
              key: `${SPEC_TABLE}:${batch.id}:${r['machineRoom'] ?? ''}`, batchId: batch.id, providerOrgId: batch.providerOrgId, nodeId: batch.nodeId,
              machineRoom: r['machineRoom'] ?? '', figures: specFigures(r), reportedAt: batch.receivedAt, thresholdPct: settings.specChangeThresholdPct, alarm: batch.receivedAt.getTime() >= alarmsFrom,
            });
            if (found) {
              total.detected++;
              if (found === 'unapproved') total.unapproved++;
            }
          }
          total.batches++;
        }
        const last = page.at(-1);
        if (last) await sql`insert into ops_detection_cursor (table_name, last_batch_id) values (${SPEC_TABLE}, ${last.id}) on conflict (table_name) do update set last_batch_id = excluded.last_batch_id`.execute(trx);
        return page.length === limit;
      });
      if (!more) break;
    }
    if (total.detected) this.logger.info(total, 'operations: major changes detected in pushed platform data');
    return total;
  }

  /**
   * Compares one platform spec record with the last one seen for its node and machine room, remembers it, and records
   * the major change when a total moved by more than the threshold. Answers the recorded status, or null.
   */
  private async compareSpec(trx: Tx, ctx: RequestContext, s: { key: string; batchId: string; providerOrgId: string; nodeId: string; machineRoom: string; figures: SpecFigures; reportedAt: Date; thresholdPct: string; alarm: boolean }): Promise<MajorChange['status'] | null> {
    const prev = (await sql<{ figures: SpecFigures; batchId: string; reportedAt: Date }>`select figures, batch_id::text as batch_id, reported_at from ops_spec_snapshots where node_id = ${s.nodeId} and machine_room = ${s.machineRoom} for update`.execute(trx)).rows[0];
    if (prev && BigInt(prev.batchId) >= BigInt(s.batchId)) return null; // seen already (or an older record)
    await sql`insert into ops_spec_snapshots (node_id, machine_room, provider_org_id, figures, batch_id, reported_at) values (${s.nodeId}, ${s.machineRoom}, ${s.providerOrgId}, ${JSON.stringify(s.figures)}::jsonb, ${s.batchId}, ${s.reportedAt})
      on conflict (node_id, machine_room) do update set provider_org_id = excluded.provider_org_id, figures = excluded.figures, batch_id = excluded.batch_id, reported_at = excluded.reported_at`.execute(trx);
    if (!prev || !s.alarm) return null;
    return this.recordSpecChange(trx, ctx, { ...s, previous: prev });
  }

  /**
   * Records the major change between two platform spec records of a node and machine room when a total moved by more
   * than the threshold (the demo city feeds two records here; the detector its snapshots). Answers the status, or null.
   */
  async detectBetweenSpecRecords(input: { key: string; providerOrgId: string; nodeId: string; machineRoom: string; previous: { figures: SpecFigures; reportedAt: Date }; figures: SpecFigures; reportedAt: Date }): Promise<MajorChange['status'] | null> {
    const ctx = systemContext('operations.change_detection');
    return withTx(this.db, ctx, async (trx) => {
      const settings = await readAutomationSettings(trx);
      return this.recordSpecChange(trx, ctx, { ...input, batchId: null, previous: { ...input.previous, batchId: null }, thresholdPct: settings.specChangeThresholdPct });
    });
  }

  private async recordSpecChange(trx: Tx, ctx: RequestContext, s: { key: string; batchId: string | null; providerOrgId: string; nodeId: string; machineRoom: string; figures: SpecFigures; reportedAt: Date; thresholdPct: string; previous: { figures: SpecFigures; reportedAt: Date; batchId: string | null } }): Promise<MajorChange['status'] | null> {
    const prev = s.previous;
    const changes: SpecChange[] = specChanges(prev.figures, s.figures, s.thresholdPct);
    if (!changes.length) return null;
    const room = s.machineRoom || '全部机房';
    const lines = changes.map(describeSpecChange);
    const id = await this.insert(trx, ctx, {
      providerOrgId: s.providerOrgId, nodeId: s.nodeId, source: 'detected', category: '云平台规格变化',
      title: `云平台规格变化：${room} ${lines.join('，')}`.slice(0, 200),
      detail: `由推送的云平台规格数据检测：机房 ${room} 的总量与上一条记录（${beijing(prev.reportedAt)}，北京时间）相比变化超过 ${s.thresholdPct}%：\n${lines.join('\n')}`,
      occurredAt: s.reportedAt, occurredFrom: prev.reportedAt, detectionKey: s.key,
      evidence: { table: SPEC_TABLE, batchId: s.batchId, previousBatchId: prev.batchId, machineRoom: s.machineRoom, previousReportedAt: prev.reportedAt.toISOString(), reportedAt: s.reportedAt.toISOString(), thresholdPct: s.thresholdPct, before: prev.figures, after: s.figures, changes },
    });
    if (!id) return null;
    return (await sql<{ status: MajorChange['status'] }>`select status from ops_major_changes where id = ${id}`.execute(trx)).rows[0]!.status;
  }

  private async rows(trx: Tx, f: { id?: string; providerOrgId?: string; nodeId?: string; status?: string; source?: string; reviewed?: boolean; from?: Date; to?: Date }): Promise<MajorChange[]> {
    const rows = (await sql<Omit<MajorChange, 'matchedChange' | 'occurredAt' | 'reviewedAt' | 'createdAt'> & { occurredAt: Date; reviewedAt: Date | null; createdAt: Date; changeId: string | null; changeTitle: string | null; windowStart: Date | null; windowEnd: Date | null }>`
      select m.id, m.provider_org_id, o.name as provider_name, m.node_id, n.name as node_name, m.source, m.source_event_id, m.external_id, m.category, m.title, m.detail, m.host_ids,
        m.occurred_at, m.status, m.reviewed_at, m.review_note, m.evidence, m.created_at, c.id as change_id, c.title as change_title, c.window_start, c.window_end
      from ops_major_changes m join organisations o on o.id = m.provider_org_id left join cloud_nodes n on n.id = m.node_id left join ops_changes c on c.id = m.matched_change_id
      where true
        ${f.id ? sql`and m.id = ${f.id}` : sql``}
        ${f.providerOrgId ? sql`and m.provider_org_id = ${f.providerOrgId}` : sql``}
        ${f.nodeId ? sql`and m.node_id = ${f.nodeId}` : sql``}
        ${f.status ? sql`and m.status = ${f.status}` : sql``}
        ${f.source ? sql`and m.source = ${f.source}` : sql``}
        ${f.reviewed === undefined ? sql`` : f.reviewed ? sql`and m.reviewed_at is not null` : sql`and m.reviewed_at is null`}
        ${f.from ? sql`and m.occurred_at >= ${f.from}` : sql``}
        ${f.to ? sql`and m.occurred_at < ${f.to}` : sql``}
      order by m.occurred_at desc, m.id limit 2000`.execute(trx)).rows;
    return rows.map(({ changeId, changeTitle, windowStart, windowEnd, ...r }) => ({
      ...r,
      occurredAt: iso(r.occurredAt)!,
      reviewedAt: iso(r.reviewedAt),
      createdAt: iso(r.createdAt)!,
      matchedChange: changeId ? { id: changeId, title: changeTitle!, windowStart: iso(windowStart)!, windowEnd: iso(windowEnd)! } : null,
    }));
  }

  /** The events the caller sees (a provider its own), newest first, filtered. */
  async list(ctx: RequestContext, q: { providerOrgId?: string; nodeId?: string; status?: MajorChange['status']; source?: MajorChange['source']; reviewed?: boolean; from?: string; to?: string } = {}): Promise<MajorChange[]> {
    const { from, to, ...rest } = q;
    return withTx(this.db, ctx, (trx) => this.rows(trx, { ...rest, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) }));
  }

  async get(ctx: RequestContext, id: string): Promise<MajorChange> {
    if (!isUuid(id)) throw notFound('operations.major_change', id);
    return withTx(this.db, ctx, async (trx) => {
      const r = (await this.rows(trx, { id }))[0];
      if (!r) throw notFound('operations.major_change', id);
      return r;
    });
  }

  /** Supervision records how an unapproved change was followed up (核查处理); audited. Needs `operations:manage`. */
  async review(ctx: RequestContext, id: string, input: { note: string }): Promise<MajorChange> {
    if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.major_change_manage_only', 'Only the management unit or the supervision provider reviews unapproved changes', {});
    const before = await this.get(ctx, id);
    if (before.status !== 'unapproved') throw new AppError('conflict', 'operations.major_change_not_unapproved', 'Only an unapproved change is reviewed (this one matched an approved change)', { status: before.status });
    if (before.reviewedAt) throw new AppError('conflict', 'operations.major_change_reviewed', 'This unapproved change has already been reviewed', { reviewedAt: before.reviewedAt });
    return withTx(this.db, ctx, async (trx) => {
      await sql`update ops_major_changes set reviewed_at = now(), reviewed_by = ${ctx.actor.userId}, review_note = ${input.note} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.major_change_review', targetType: 'ops_major_change', targetId: id, after: { note: input.note } });
      return (await this.rows(trx, { id }))[0]!;
    });
  }
}

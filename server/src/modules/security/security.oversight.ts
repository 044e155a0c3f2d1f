import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { localDate } from '../calendar/index.js';
import type { DocumentsService, RenderedDocument } from '../documents/index.js';
import { countRecords } from '../ingestion/index.js';
import type { InventoryService } from '../inventory/index.js';
import type { NotificationService } from '../notifications/index.js';
import { SEVERITY_CN } from './security.parsers.js';
import type { SecurityService, SourceTicketHook } from './security.service.js';
import { SecurityWarningService } from './security.warnings.js';

/** GB/Z 20986 grades: I 特别重大, II 重大, III 较大, IV 一般. */
export type EventGrade = 'I' | 'II' | 'III' | 'IV';
export type EventCategory = 'malware' | 'attack' | 'data' | 'content' | 'device' | 'disaster' | 'other';
export type EventStatus = 'open' | 'handling' | 'closed';
export type CheckKind = 'vuln_scan' | 'pentest' | 'cloud_basic' | 'compliance' | 'vuln_mgmt' | 'routine';

export const GRADE_CN: Record<EventGrade, string> = { I: '特别重大', II: '重大', III: '较大', IV: '一般' };
export const CATEGORY_CN: Record<EventCategory, string> = { malware: '有害程序事件', attack: '网络攻击事件', data: '信息破坏事件', content: '信息内容安全事件', device: '设备设施故障', disaster: '灾害性事件', other: '其他事件' };
export const CHECK_KIND_CN: Record<CheckKind, string> = { vuln_scan: '漏洞扫描', pentest: '渗透测试', cloud_basic: '云基础安全保障检查', compliance: '合规性检查', vuln_mgmt: '漏洞管理能力检查', routine: '常规安全检查' };
const STATUS_CN: Record<EventStatus, string> = { open: '待处置', handling: '处置中', closed: '已关闭' };

/** Seed 003 (三)1.(2): at least 12 vulnerability scans and 4 penetration tests (each covering ≥ 2 providers) a period. */
export const SCANS_REQUIRED_PER_YEAR = 12;
export const PENTESTS_REQUIRED_PER_YEAR = 4;
/** Attacks on one system within an hour at or above this open a security event (source attack_threshold). */
export const DEFAULT_ATTACK_THRESHOLD = 100;

export interface SecurityEvent {
  id: string;
  eventNo: string;
  title: string;
  grade: EventGrade;
  category: EventCategory;
  status: EventStatus;
  source: 'manual' | 'attack_threshold';
  occurredAt: string;
  detectedAt: string;
  reportedAt: string | null;
  providerId: string | null;
  providerName: string | null;
  nodeId: string | null;
  unitId: string | null;
  unitName: string | null;
  systemIds: string[];
  description: string | null;
  tracingNote: string | null;
  handlingReport: string | null;
  closedAt: string | null;
  ticketId: string | null;
}
export interface SecurityEventDetail extends SecurityEvent {
  entries: Array<{ at: string; kind: string; text: string; documentId: string | null; actor: string | null }>;
  abilities: { note: boolean; close: boolean };
}
export interface NewSecurityEvent {
  title: string;
  grade: EventGrade;
  category: EventCategory;
  occurredAt: string;
  providerId?: string | null;
  nodeId?: string | null;
  unitId?: string | null;
  systemIds?: string[];
  description?: string | null;
}
export interface SecurityCheck {
  id: string;
  kind: CheckKind;
  title: string;
  plannedDate: string;
  status: 'planned' | 'done' | 'cancelled';
  doneDate: string | null;
  providerIds: string[];
  resultSummary: string | null;
  findingsCount: number | null;
  reportDocumentId: string | null;
  overdue: boolean;
}
export interface DeviceLogStatistics {
  month: string;
  total: number;
  previousMonthTotal: number;
  daily: Array<{ day: string; count: number }>;
  byAlarm: Array<{ value: string; count: number }>;
  bySource: Array<{ value: string; count: number }>;
  byTarget: Array<{ value: string; count: number; hostName: string | null; systemName: string | null }>;
  byDevice: Array<{ value: string; count: number }>;
  byLevel: Array<{ value: string; count: number }>;
}
export interface PostureReport {
  month: string;
  previousMonth: string;
  current: Awaited<ReturnType<SecurityService['postureSummary']>>;
  previous: Awaited<ReturnType<SecurityService['postureSummary']>>;
  events: { total: number; open: number; byGrade: Record<EventGrade, number>; byCategory: Array<{ category: EventCategory; count: number }> };
  openByProvider: Array<{ providerId: string; providerName: string | null; days0to7: number; days8to30: number; days31to90: number; over90: number; overdue: number }>;
}
export interface CheckCounters {
  year: number;
  scans: { done: number; required: number; monthsWithout: string[] };
  pentests: { done: number; required: number; quartersWithout: number[] };
  byKind: Array<{ kind: CheckKind; planned: number; done: number }>;
  providers: Array<{ providerId: string; scanMonths: number; pentests: number }>;
  nextDue: Array<{ kind: CheckKind; title: string; plannedDate: string }>;
}

const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const day = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : localDate(d));
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const fmtTime = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');

/**
 * Security events (安全事件: grade, affected systems, timeline, tracing 溯源, evidence, handling report; reported at once
 * to the provider and the management unit, "同步上报") and security checks / penetration tests with the period's
 * counters (≥ 12 scans, ≥ 4 pentests each covering ≥ 2 providers), plus the signed 安全隐患通知单 of a finding.
 */
export class SecurityOversightService {
  private ticketHook: SourceTicketHook | null = null;
  private documents: DocumentsService | null = null;
  /** Security warnings (安全预警): built here so that the container's wiring stays as it was. */
  readonly warnings: SecurityWarningService;

  constructor(
    private readonly db: Db,
    private readonly security: SecurityService,
    private readonly inventory: InventoryService,
    private readonly notifications: NotificationService,
    private readonly logger: Logger,
  ) {
    this.warnings = new SecurityWarningService(db, inventory, notifications);
  }

  /** The service desk opens an event ticket (source 'security_event') for each event and resolves it when closed. */
  setTicketHook(hook: SourceTicketHook): void {
    this.ticketHook = hook;
  }

  setDocuments(documents: DocumentsService): void {
    this.documents = documents;
    this.warnings.setDocuments(documents);
  }

  // ---- events -----------------------------------------------------------------------------------------------------

  /**
   * Opens an event and reports it at once to the responsible provider and to the management unit and supervision
   * provider (in-app and their chosen channels). A provider reports events of its own nodes only.
   */
  async createEvent(ctx: RequestContext, input: NewSecurityEvent, source: 'manual' | 'attack_threshold' = 'manual'): Promise<SecurityEventDetail> {
    const occurred = new Date(input.occurredAt);
    if (Number.isNaN(occurred.getTime())) throw validationError('security.invalid_time', 'occurredAt is not a date-time', [{ field: 'occurredAt', rule: 'datetime', message: 'ISO 8601 date-time', value: input.occurredAt }]);
    if (occurred.getTime() > Date.now() + 10 * 60_000) throw validationError('security.future_time', 'occurredAt lies in the future', [{ field: 'occurredAt', rule: 'not_future', message: 'an event cannot occur in the future', value: input.occurredAt }]);
    const actor = ctx.actor;
    const providerId = actor.orgKind === 'cloud_provider' ? actor.orgId : (input.providerId ?? null);
    if (actor.orgKind === 'cloud_provider' && input.providerId && input.providerId !== actor.orgId) {
      throw validationError('security.foreign_provider', 'A provider reports events of its own nodes only', [{ field: 'providerId', rule: 'own_provider', message: 'must be your own organisation', value: input.providerId }]);
    }
    const { id, eventNo } = await withTx(this.db, ctx, async (trx) => {
      const seq = await sql<{ n: string }>`select nextval('security_event_no_seq')::text as n`.execute(trx);
      const eventNo = `SE-${localDate(new Date()).replaceAll('-', '')}-${seq.rows[0]!.n.padStart(4, '0')}`;
      const row = await trx
        .insertInto('securityEvents')
        .values({
          eventNo, title: input.title, grade: input.grade, category: input.category, source, occurredAt: occurred, reportedAt: new Date(),
          providerOrgId: providerId, nodeId: input.nodeId ?? null, unitOrgId: input.unitId ?? null, systemIds: input.systemIds ?? [], description: input.description ?? null, createdBy: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('securityEventEntries').values({ eventId: row.id, kind: 'created', text: `${GRADE_CN[input.grade]}${CATEGORY_CN[input.category]}：${input.title}`, actorUserId: actor.userId }).execute();
      await recordAudit(trx, ctx, { action: 'security.event_created', targetType: 'security_event', targetId: row.id, after: { eventNo, grade: input.grade, category: input.category, providerId } });
      const orgIds = [providerId, input.unitId ?? null].filter((x): x is string => x !== null);
      const severity = input.grade === 'I' || input.grade === 'II' ? 'critical' : 'warning';
      const body = `${GRADE_CN[input.grade]}${CATEGORY_CN[input.category]}，发生于 ${fmtTime(occurred.toISOString())}。${input.description ?? ''}`.slice(0, 4000);
      await this.notifications.notify(trx, { recipients: { orgKinds: ['management_unit', 'supervision_provider'] }, kind: 'security.event', title: `安全事件 ${eventNo}：${input.title}`, body, link: `/security?tab=events&event=${row.id}`, severity });
      if (orgIds.length > 0) await this.notifications.notify(trx, { recipients: { orgIds }, kind: 'security.event', title: `安全事件 ${eventNo}：${input.title}`, body, link: `/security?tab=events&event=${row.id}`, severity });
      return { id: row.id, eventNo };
    });
    await this.eventTicket(id, eventNo, input, providerId, 'open');
    return this.getEvent(ctx, id);
  }

  async listEvents(ctx: RequestContext, q: { status?: EventStatus; grade?: EventGrade; from?: string; to?: string; page?: number; pageSize?: number }): Promise<{ items: SecurityEvent[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    return withTx(this.db, ctx, async (trx) => {
      let query = eventsQuery(trx);
      if (q.status) query = query.where('e.status', '=', q.status);
      if (q.grade) query = query.where('e.grade', '=', q.grade);
      if (q.from) query = query.where('e.occurredAt', '>=', new Date(q.from));
      if (q.to) query = query.where('e.occurredAt', '<', new Date(q.to));
      const total = await query.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const rows = await query.orderBy('e.occurredAt', 'desc').orderBy('e.id').limit(pageSize).offset((page - 1) * pageSize).execute();
      return { items: rows.map(toEvent), total: Number(total.n), page, pageSize };
    });
  }

  async getEvent(ctx: RequestContext, id: string): Promise<SecurityEventDetail> {
    return withTx(this.db, ctx, (trx) => this.eventDetail(trx, ctx, id));
  }

  /** A timeline entry: a note, a tracing step (溯源) or an evidence document; the first one moves open → handling. */
  async addEventEntry(ctx: RequestContext, id: string, input: { kind: 'note' | 'tracing' | 'evidence'; text: string; documentId?: string | null }): Promise<SecurityEventDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const e = await this.eventDetail(trx, ctx, id);
      if (e.status === 'closed') throw new AppError('conflict', 'security.event_closed', 'A closed event takes no more entries', { status: e.status });
      await trx.insertInto('securityEventEntries').values({ eventId: id, kind: input.kind, text: input.text, documentId: input.documentId ?? null, actorUserId: ctx.actor.userId }).execute();
      const set: { status?: EventStatus; tracingNote?: string } = {};
      if (e.status === 'open') set.status = 'handling';
      if (input.kind === 'tracing') set.tracingNote = [e.tracingNote, input.text].filter(Boolean).join('\n');
      if (Object.keys(set).length > 0) await trx.updateTable('securityEvents').set(set).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: `security.event_${input.kind}`, targetType: 'security_event', targetId: id, after: { text: input.text.slice(0, 200) } });
      return this.eventDetail(trx, ctx, id);
    });
  }

  /** Closes the event with its handling report (处置报告); the event's ticket is resolved. */
  async closeEvent(ctx: RequestContext, id: string, report: string): Promise<SecurityEventDetail> {
    const detail = await withTx(this.db, ctx, async (trx) => {
      const e = await this.eventDetail(trx, ctx, id);
      if (e.status === 'closed') throw new AppError('conflict', 'security.event_closed', 'The event is already closed', { status: e.status });
      if (!e.abilities.close) throw new AppError('forbidden', 'security.event_close_forbidden', 'Only the management unit, the supervision provider or the responsible provider closes an event');
      await trx.updateTable('securityEvents').set({ status: 'closed', closedAt: new Date(), handlingReport: report }).where('id', '=', id).execute();
      await trx.insertInto('securityEventEntries').values({ eventId: id, kind: 'report', text: report, actorUserId: ctx.actor.userId }).execute();
      await recordAudit(trx, ctx, { action: 'security.event_closed', targetType: 'security_event', targetId: id, before: { status: e.status }, after: { status: 'closed' } });
      return e;
    });
    await this.eventTicket(id, detail.eventNo, detail, detail.providerId, 'cleared');
    return this.getEvent(ctx, id);
  }

  /** The event's handling report as a PDF signed with the platform's SM2 key. */
  async eventReportPdf(ctx: RequestContext, id: string): Promise<RenderedDocument> {
    const e = await this.getEvent(ctx, id);
    const documents = this.requireDocuments();
    return documents.render(ctx, {
      docType: 'security_event_report', title: `安全事件处置报告 ${e.eventNo}`, subtitle: e.title,
      meta: [
        { label: '事件级别', value: GRADE_CN[e.grade] }, { label: '事件类别', value: CATEGORY_CN[e.category] }, { label: '状态', value: STATUS_CN[e.status] },
        { label: '服务商', value: e.providerName ?? '—' }, { label: '使用单位', value: e.unitName ?? '—' }, { label: '发生时间', value: fmtTime(e.occurredAt) },
        { label: '上报时间', value: fmtTime(e.reportedAt) }, { label: '关闭时间', value: fmtTime(e.closedAt) },
      ],
      columns: [{ key: 'at', header: ['时间'], width: 20 }, { key: 'kind', header: ['类型'], width: 10 }, { key: 'text', header: ['内容'], width: 70 }],
      rows: e.entries.map((x) => ({ at: fmtTime(x.at), kind: ENTRY_CN[x.kind] ?? x.kind, text: x.text })),
      notes: [`溯源：${e.tracingNote ?? '—'}`, `处置报告：${e.handlingReport ?? '（未关闭）'}`],
      signatures: ['服务商（盖章）', '监管单位（签收）'],
    }, 'pdf', { targetId: id, filenameStem: `安全事件处置报告-${e.eventNo}` });
  }

  /** Events of a period by grade and category: the figures the monthly report and posture use. */
  async eventStatistics(ctx: RequestContext, q: { from: Date; to: Date }): Promise<{ total: number; open: number; byGrade: Record<EventGrade, number>; byCategory: Array<{ category: EventCategory; count: number }> }> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx
        .selectFrom('securityEvents')
        .select((eb) => ['grade', 'category', eb.fn.countAll<string>().as('n'), sql<string>`count(*) filter (where status <> 'closed')`.as('open')])
        .where('occurredAt', '>=', q.from)
        .where('occurredAt', '<', q.to)
        .groupBy(['grade', 'category'])
        .execute();
      const byGrade: Record<EventGrade, number> = { I: 0, II: 0, III: 0, IV: 0 };
      const byCategory = new Map<EventCategory, number>();
      let total = 0;
      let open = 0;
      for (const r of rows) {
        const n = Number(r.n);
        total += n;
        open += Number(r.open);
        byGrade[r.grade as EventGrade] += n;
        byCategory.set(r.category as EventCategory, (byCategory.get(r.category as EventCategory) ?? 0) + n);
      }
      return { total, open, byGrade, byCategory: [...byCategory].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count) };
    });
  }

  /**
   * The attack-threshold rule: a system (信息系统编号 as pushed) with at least `threshold` attacks in the hour before
   * `now` gets a security event (grade IV, 网络攻击事件) unless one from this rule is still open for it.
   */
  async openEventsFromAttacks(now = new Date(), threshold = DEFAULT_ATTACK_THRESHOLD): Promise<number> {
    const ctx = systemContext('job:security.attack_events');
    const from = new Date(now.getTime() - 3_600_000);
    const groups = await withTx(this.db, ctx, (trx) => countRecords(trx, { table: 'securityAttack', from, to: now, groupBy: ['systemId'], byProvider: true, limit: 200 }));
    let opened = 0;
    for (const g of groups) {
      if (g.count < threshold) continue;
      const systemNo = g.keys['systemId'] ?? '—';
      const title = `信息系统 ${systemNo} 一小时内遭受攻击 ${g.count} 次`;
      const exists = await withTx(this.db, ctx, (trx) =>
        trx.selectFrom('securityEvents').select('id').where('source', '=', 'attack_threshold').where('status', '<>', 'closed').where('providerOrgId', g.providerOrgId ? '=' : 'is', g.providerOrgId ?? null).where('description', 'like', `系统编号 ${systemNo}：%`).executeTakeFirst(),
      );
      if (exists) continue;
      const providerId = g.providerOrgId ?? null;
      await this.createEvent(ctx, { title, grade: 'IV', category: 'attack', occurredAt: from.toISOString(), providerId, description: `系统编号 ${systemNo}：${g.count} 条安全攻击监测数据（阈值 ${threshold} 次/小时）` }, 'attack_threshold');
      opened += 1;
    }
    return opened;
  }

  // ---- checks and penetration tests -----------------------------------------------------------------------------

  async planCheck(ctx: RequestContext, input: { kind: CheckKind; title: string; plannedDate: string; providerIds: string[] }): Promise<SecurityCheck> {
    const providers = [...new Set(input.providerIds)];
    if (input.kind === 'pentest' && providers.length < 2) {
      throw validationError('security.pentest_providers', 'A penetration test covers at least two providers (seed 003)', [{ field: 'providerIds', rule: 'min_2_for_pentest', message: 'name at least two providers', value: providers.length }]);
    }
    return withTx(this.db, ctx, async (trx) => {
      const known = await trx.selectFrom('organisations').select('id').where('id', 'in', providers).where('kind', '=', 'cloud_provider').execute();
      const missing = providers.filter((p) => !known.some((k) => k.id === p));
      if (missing.length > 0) throw validationError('security.unknown_provider', 'Every covered organisation must be a cloud provider', missing.map((value) => ({ field: 'providerIds', rule: 'cloud_provider', message: 'not a cloud provider', value })));
      const row = await trx.insertInto('securityChecks').values({ kind: input.kind, title: input.title, plannedDate: input.plannedDate, providerOrgIds: providers, createdBy: ctx.actor.userId }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'security.check_planned', targetType: 'security_check', targetId: row.id, after: { kind: input.kind, plannedDate: input.plannedDate, providers } });
      return toCheck(row);
    });
  }

  /** Records the execution: done date, result, findings found (which are imported as a scan or as findings). */
  async recordCheck(ctx: RequestContext, id: string, input: { doneDate: string; resultSummary: string; findingsCount: number; reportDocumentId?: string | null }): Promise<SecurityCheck> {
    if (!isUuid(id)) throw notFound('security.check', id);
    if (input.doneDate > localDate(new Date())) throw validationError('security.future_date', 'doneDate lies in the future', [{ field: 'doneDate', rule: 'not_future', message: 'a check is recorded once done', value: input.doneDate }]);
    return withTx(this.db, ctx, async (trx) => {
      const before = await trx.selectFrom('securityChecks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw notFound('security.check', id);
      if (before.status !== 'planned') throw new AppError('conflict', 'security.check_not_planned', `A check in status ${before.status} cannot be recorded`, { status: before.status });
      const row = await trx
        .updateTable('securityChecks')
        .set({ status: 'done', doneDate: input.doneDate, resultSummary: input.resultSummary, findingsCount: input.findingsCount, reportDocumentId: input.reportDocumentId ?? null })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'security.check_done', targetType: 'security_check', targetId: id, before: { status: before.status }, after: { doneDate: input.doneDate, findings: input.findingsCount } });
      return toCheck(row);
    });
  }

  async listChecks(ctx: RequestContext, q: { year: number; kind?: CheckKind }): Promise<SecurityCheck[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = trx.selectFrom('securityChecks').selectAll().where('plannedDate', '>=', `${q.year}-01-01`).where('plannedDate', '<=', `${q.year}-12-31`);
      if (q.kind) query = query.where('kind', '=', q.kind);
      return (await query.orderBy('plannedDate').orderBy('id').execute()).map(toCheck);
    });
  }

  /**
   * The period's obligations (seed 003): done vs required for vulnerability scans (one a month, 12 a year; an uploaded
   * scanner report counts as a scan of its month as well as a recorded vuln_scan check) and penetration tests (one a
   * quarter, 4 a year, each covering ≥ 2 providers), per kind of check, per provider, and what is due next.
   */
  async checkCounters(ctx: RequestContext, year: number): Promise<CheckCounters> {
    const today = localDate(new Date());
    return withTx(this.db, ctx, async (trx) => {
      const checks = await trx.selectFrom('securityChecks').selectAll().where('plannedDate', '>=', `${year}-01-01`).where('plannedDate', '<=', `${year}-12-31`).execute();
      const from = new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000);
      const to = new Date(Date.UTC(year + 1, 0, 1) - 8 * 3_600_000);
      const uploads = await trx
        .selectFrom('securityScans')
        .select([sql<string>`to_char(scanned_at at time zone 'Asia/Shanghai', 'YYYY-MM')`.as('month'), 'providerOrgId'])
        .where('source', '<>', 'push')
        .where('scannedAt', '>=', from)
        .where('scannedAt', '<', to)
        .execute();
      const scanMonths = new Set<string>();
      const providerMonths = new Map<string, Set<string>>();
      const providerPentests = new Map<string, number>();
      const addProviderMonth = (p: string | null, m: string) => {
        if (!p) return;
        if (!providerMonths.has(p)) providerMonths.set(p, new Set());
        providerMonths.get(p)!.add(m);
      };
      let scansDone = uploads.length;
      for (const u of uploads) {
        scanMonths.add(u.month);
        addProviderMonth(u.providerOrgId, u.month);
      }
      const quarters = new Set<number>();
      let pentestsDone = 0;
      const byKind = new Map<CheckKind, { planned: number; done: number }>();
      for (const c of checks) {
        const k = byKind.get(c.kind as CheckKind) ?? { planned: 0, done: 0 };
        if (c.status !== 'cancelled') k.planned += 1;
        if (c.status === 'done') k.done += 1;
        byKind.set(c.kind as CheckKind, k);
        if (c.status !== 'done') continue;
        const doneDay = day(c.doneDate)!;
        if (c.kind === 'vuln_scan') {
          scansDone += 1;
          scanMonths.add(doneDay.slice(0, 7));
          for (const p of c.providerOrgIds) addProviderMonth(p, doneDay.slice(0, 7));
        }
        if (c.kind === 'pentest') {
          pentestsDone += 1;
          quarters.add(Math.floor((Number(doneDay.slice(5, 7)) - 1) / 3) + 1);
          for (const p of c.providerOrgIds) providerPentests.set(p, (providerPentests.get(p) ?? 0) + 1);
        }
      }
      const currentMonth = today.slice(0, 7);
      const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter((m) => m <= currentMonth);
      const currentQuarter = today.slice(0, 4) === String(year) ? Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1 : Number(today.slice(0, 4)) > year ? 4 : 0;
      const providers = [...new Set([...providerMonths.keys(), ...providerPentests.keys()])].map((providerId) => ({ providerId, scanMonths: providerMonths.get(providerId)?.size ?? 0, pentests: providerPentests.get(providerId) ?? 0 }));
      const nextDue = checks
        .filter((c) => c.status === 'planned')
        .sort((a, b) => (day(a.plannedDate)! < day(b.plannedDate)! ? -1 : 1))
        .slice(0, 5)
        .map((c) => ({ kind: c.kind as CheckKind, title: c.title, plannedDate: day(c.plannedDate)! }));
      return {
        year,
        scans: { done: scansDone, required: SCANS_REQUIRED_PER_YEAR, monthsWithout: months.filter((m) => !scanMonths.has(m)) },
        pentests: { done: pentestsDone, required: PENTESTS_REQUIRED_PER_YEAR, quartersWithout: [1, 2, 3, 4].filter((q) => q <= currentQuarter && !quarters.has(q)) },
        byKind: (Object.keys(CHECK_KIND_CN) as CheckKind[]).map((kind) => ({ kind, planned: byKind.get(kind)?.planned ?? 0, done: byKind.get(kind)?.done ?? 0 })),
        providers,
        nextDue,
      };
    });
  }

  // ---- security-device logs (安全设备日志, also received by syslog) ----------------------------------------------

  /**
   * Attacks seen by the security devices in a month (the 安全设备日志 table: pushed, or received by syslog and mapped):
   * the total and the previous month's, per day, and the top alarm names, source addresses, target addresses (with
   * the inventory host and system they belong to, where one matches), devices and log levels. Providers count their
   * own devices' logs.
   */
  async deviceLogStatistics(ctx: RequestContext, month: string): Promise<DeviceLogStatistics> {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const start = Date.UTC(y, m - 1, 1) - 8 * 3_600_000;
    const end = Date.UTC(y, m, 1) - 8 * 3_600_000;
    const prevStart = Date.UTC(m === 1 ? y - 1 : y, m === 1 ? 11 : m - 2, 1) - 8 * 3_600_000;
    const table = 'securityDeviceLog';
    const result = await withTx(this.db, ctx, async (trx) => {
      const count = async (from: number, to: number) => (await countRecords(trx, { table, from: new Date(from), to: new Date(to), groupBy: [] }))[0]?.count ?? 0;
      const top = (field: string) => countRecords(trx, { table, from: new Date(start), to: new Date(end), groupBy: [field], limit: 10 });
      const total = await count(start, end);
      const previousMonthTotal = await count(prevStart, start);
      const daily: Array<{ day: string; count: number }> = [];
      const last = Math.min(end, Date.now() + 86_400_000);
      for (let d = start; d < last; d += 86_400_000) daily.push({ day: localDate(new Date(d)), count: await count(d, Math.min(d + 86_400_000, end)) });
      const [byAlarm, bySource, byTarget, byDevice, byLevel] = [await top('alarmName'), await top('srcIp'), await top('dstIp'), await top('deviceName'), await top('logLevel')];
      return { total, previousMonthTotal, daily, byAlarm, bySource, byTarget, byDevice, byLevel };
    });
    const targets = result.byTarget.map((r) => r.keys['dstIp']).filter((ip): ip is string => !!ip);
    const hosts = targets.length > 0 ? await this.inventory.locateHosts(ctx, { ips: targets }) : [];
    const hostOf = new Map(hosts.map((h) => [h.ip, h]));
    const systemNames = await withTx(this.db, ctx, async (trx) => {
      const ids = [...new Set(hosts.map((h) => h.systemId).filter((x): x is string => x !== null))];
      return ids.length === 0 ? new Map<string, string>() : new Map((await trx.selectFrom('informationSystems').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]));
    });
    const pick = (rows: Array<{ keys: Record<string, string | null>; count: number }>, field: string) => rows.map((r) => ({ value: r.keys[field] ?? '—', count: r.count }));
    return {
      month, total: result.total, previousMonthTotal: result.previousMonthTotal, daily: result.daily,
      byAlarm: pick(result.byAlarm, 'alarmName'), bySource: pick(result.bySource, 'srcIp'), byDevice: pick(result.byDevice, 'deviceName'), byLevel: pick(result.byLevel, 'logLevel'),
      byTarget: result.byTarget.map((r) => {
        const ip = r.keys['dstIp'] ?? '—';
        const h = hostOf.get(ip);
        return { value: ip, count: r.count, hostName: h?.name ?? null, systemName: h?.systemId ? (systemNames.get(h.systemId) ?? null) : null };
      }),
    };
  }

  // ---- posture (安全态势) ----------------------------------------------------------------------------------------

  /**
   * The month's security posture beside the previous month: the figures of `postureSummary` for both, events by
   * grade, open findings per provider by age (0–7, 8–30, 31–90, > 90 days since first seen) with the overdue ones.
   */
  async postureReport(ctx: RequestContext, month: string): Promise<PostureReport> {
    const current = await this.security.postureSummary(ctx, { month });
    const [y, m] = month.split('-').map(Number) as [number, number];
    const prevMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const previous = await this.security.postureSummary(ctx, { month: prevMonth });
    const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000);
    const to = new Date(Date.UTC(y, m, 1) - 8 * 3_600_000);
    const events = await this.eventStatistics(ctx, { from, to });
    const today = localDate(new Date());
    const providers = await withTx(this.db, ctx, async (trx) =>
      trx
        .selectFrom('securityFindings as f')
        .leftJoin('organisations as p', 'p.id', 'f.providerOrgId')
        .select([
          'f.providerOrgId', 'p.name as providerName',
          sql<string>`count(*) filter (where f.first_seen_at >= now() - interval '7 days')`.as('d7'),
          sql<string>`count(*) filter (where f.first_seen_at < now() - interval '7 days' and f.first_seen_at >= now() - interval '30 days')`.as('d30'),
          sql<string>`count(*) filter (where f.first_seen_at < now() - interval '30 days' and f.first_seen_at >= now() - interval '90 days')`.as('d90'),
          sql<string>`count(*) filter (where f.first_seen_at < now() - interval '90 days')`.as('older'),
          sql<string>`count(*) filter (where f.deadline < ${today}::date)`.as('overdue'),
        ])
        .where('f.status', 'in', ['open', 'notified', 'replied'])
        .where('f.providerOrgId', 'is not', null)
        .groupBy(['f.providerOrgId', 'p.name'])
        .orderBy('p.name')
        .execute(),
    );
    return {
      month, previousMonth: prevMonth, current, previous, events,
      openByProvider: providers.map((r) => ({ providerId: r.providerOrgId!, providerName: r.providerName, days0to7: Number(r.d7), days8to30: Number(r.d30), days31to90: Number(r.d90), over90: Number(r.older), overdue: Number(r.overdue) })),
    };
  }

  /** The posture of a month as a signed .xlsx: one row per figure with this month, the previous month and the change. */
  async postureXlsx(ctx: RequestContext, month: string): Promise<RenderedDocument> {
    const r = await this.postureReport(ctx, month);
    const documents = this.requireDocuments();
    const c = r.current;
    const p = r.previous;
    const row = (section: string, item: string, now: number, before: number | null) => ({ section, item, now, before, change: before === null ? '' : String(now - before) });
    const rows = [
      row('漏洞', '紧急漏洞（未修复）', c.openFindings.critical, p.openFindings.critical),
      row('漏洞', '高危漏洞（未修复）', c.openFindings.high, p.openFindings.high),
      row('漏洞', '中危漏洞（未修复）', c.openFindings.medium, p.openFindings.medium),
      row('漏洞', '低危漏洞（未修复）', c.openFindings.low, p.openFindings.low),
      row('漏洞', '超期未整改', c.overdueRectifications, null),
      row('攻击', '攻击次数', c.attacks, c.attacksPrevMonth),
      row('事件', '安全事件', c.events, p.events),
      row('检查', '漏洞扫描', c.scansDone, p.scansDone),
      row('检查', '渗透测试', c.pentestsDone, p.pentestsDone),
      ...c.topAttackedSystems.map((s) => row('被攻击系统', s.name, s.count, null)),
      ...r.openByProvider.map((s) => ({ section: '服务商', item: `${s.providerName ?? s.providerId}：未修复漏洞（超期 ${s.overdue}）`, now: s.days0to7 + s.days8to30 + s.days31to90 + s.over90, before: null, change: `≤7天 ${s.days0to7} / 8–30天 ${s.days8to30} / 31–90天 ${s.days31to90} / >90天 ${s.over90}` })),
    ];
    return documents.render(ctx, {
      docType: 'security_posture', title: `安全态势分析 ${month}`, sheetName: '安全态势',
      meta: [{ label: '月份', value: month }, { label: '对比月份', value: r.previousMonth }],
      columns: [
        { key: 'section', header: ['类别'], width: 12 }, { key: 'item', header: ['指标'], width: 40 }, { key: 'now', header: [month], kind: 'integer', width: 12 },
        { key: 'before', header: [r.previousMonth], kind: 'integer', width: 12 }, { key: 'change', header: ['变化 / 说明'], width: 44 },
      ],
      rows,
      notes: ['未修复漏洞为导出时的状态；超期未整改按整改期限计；攻击次数按服务商推送的安全攻击监测数据的接收月份统计。'],
    }, 'xlsx', { filenameStem: `安全态势-${month}` });
  }

  // ---- the 安全隐患通知单 ------------------------------------------------------------------------------------------

  /** The security hazard notice (安全隐患通知单) of a finding, as a PDF signed with the platform's SM2 key. */
  async hazardNoticePdf(ctx: RequestContext, findingId: string): Promise<RenderedDocument> {
    const f = await this.security.getFinding(ctx, findingId);
    if (!f.notifiedAt) throw new AppError('conflict', 'security.not_notified', 'The finding has not been notified yet (通报 first)', { status: f.status });
    const documents = this.requireDocuments();
    const notified = f.events.find((e) => e.action === 'notified');
    return documents.render(ctx, {
      docType: 'security_hazard_notice', title: '安全隐患通知单', subtitle: `${f.providerName ?? '—'}：`,
      meta: [
        { label: '通知时间', value: fmtTime(f.notifiedAt) }, { label: '整改期限', value: f.deadline }, { label: '风险等级', value: SEVERITY_CN[f.severity] },
        { label: '信息系统', value: f.systemName ?? '—' }, { label: '使用单位', value: f.unitName ?? '—' }, { label: '主机', value: `${f.hostRef}${f.ip ? `（${f.ip}）` : ''}` },
      ],
      columns: [{ key: 'item', header: ['项目'], width: 14 }, { key: 'content', header: ['内容'], width: 78 }],
      rows: [
        { item: '隐患名称', content: f.name }, { item: '漏洞编号', content: [f.vulnId, ...f.cve].join('，') }, { item: '端口', content: f.port || '—' },
        { item: '隐患描述', content: f.description ?? '—' }, { item: '整改建议', content: f.solution ?? '—' }, { item: '通报说明', content: notified?.note ?? '—' },
      ],
      notes: [`请于 ${f.deadline} 前完成整改，并在平台“安全监管”中提交整改反馈及佐证材料；逾期未整改的将纳入服务商考核。`],
      signatures: ['监管单位（盖章）', '服务商（签收）'],
    }, 'pdf', { targetId: findingId, filenameStem: `安全隐患通知单-${f.hostRef}-${f.deadline}` });
  }

  // ---- internals --------------------------------------------------------------------------------------------------

  private requireDocuments(): DocumentsService {
    if (!this.documents) throw new AppError('unavailable', 'security.documents_unavailable', 'document signing is not configured');
    return this.documents;
  }

  private async eventDetail(trx: Tx, ctx: RequestContext, id: string): Promise<SecurityEventDetail> {
    if (!isUuid(id)) throw notFound('security.event', id);
    const row = await eventsQuery(trx).where('e.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('security.event', id);
    const entries = await trx
      .selectFrom('securityEventEntries as x')
      .leftJoin('users as a', 'a.id', 'x.actorUserId')
      .select(['x.at', 'x.kind', 'x.text', 'x.documentId', 'a.displayName'])
      .where('x.eventId', '=', id)
      .orderBy('x.at')
      .orderBy('x.id')
      .execute();
    const e = toEvent(row);
    const a = ctx.actor;
    const sys = a.kind === 'system';
    const manage = sys || a.permissions.has('security:manage');
    const own = a.permissions.has('security:reply') && a.orgId !== null && a.orgId === e.providerId;
    return {
      ...e,
      entries: entries.map((x) => ({ at: iso(x.at as Date)!, kind: x.kind, text: x.text, documentId: x.documentId, actor: x.displayName ?? null })),
      abilities: { note: (manage || own) && e.status !== 'closed', close: (manage || own) && e.status !== 'closed' },
    };
  }

  private async eventTicket(id: string, eventNo: string, input: { title: string; grade: EventGrade; category: EventCategory; occurredAt: string; nodeId?: string | null; unitId?: string | null; systemIds?: string[]; description?: string | null }, providerId: string | null, state: 'open' | 'cleared'): Promise<void> {
    if (!this.ticketHook) return;
    try {
      const res = await this.ticketHook({
        source: 'security_event', sourceId: id, state, title: `安全事件 ${eventNo}：${input.title}`,
        description: `${GRADE_CN[input.grade]}${CATEGORY_CN[input.category]}。${input.description ?? ''}`,
        severity: input.grade === 'I' ? 'critical' : input.grade === 'II' ? 'major' : input.grade === 'III' ? 'minor' : 'info',
        occurredAt: new Date(input.occurredAt), providerId, nodeId: input.nodeId ?? null, unitId: input.unitId ?? null, systemId: input.systemIds?.[0] ?? null,
      });
      if (res) await withTx(this.db, systemContext('security.event_ticket'), (trx) => trx.updateTable('securityEvents').set({ ticketId: res.ticketId }).where('id', '=', id).execute());
    } catch (e) {
      this.logger.warn({ err: e, eventId: id }, 'security: event ticket hook failed');
    }
  }
}

const ENTRY_CN: Record<string, string> = { created: '上报', note: '记录', tracing: '溯源', evidence: '佐证', status: '状态', report: '处置报告' };

function eventsQuery(trx: Tx) {
  return trx
    .selectFrom('securityEvents as e')
    .leftJoin('organisations as p', 'p.id', 'e.providerOrgId')
    .leftJoin('organisations as u', 'u.id', 'e.unitOrgId')
    .select([
      'e.id', 'e.eventNo', 'e.title', 'e.grade', 'e.category', 'e.status', 'e.source', 'e.occurredAt', 'e.detectedAt', 'e.reportedAt', 'e.providerOrgId', 'e.nodeId', 'e.unitOrgId',
      'e.systemIds', 'e.description', 'e.tracingNote', 'e.handlingReport', 'e.closedAt', 'e.ticketId', 'p.name as providerName', 'u.name as unitName',
    ]);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof eventsQuery>['executeTakeFirstOrThrow']>>;
function toEvent(r: EventRow): SecurityEvent {
  return {
    id: r.id, eventNo: r.eventNo, title: r.title, grade: r.grade as EventGrade, category: r.category as EventCategory, status: r.status as EventStatus, source: r.source as SecurityEvent['source'],
    occurredAt: iso(r.occurredAt)!, detectedAt: iso(r.detectedAt)!, reportedAt: iso(r.reportedAt), providerId: r.providerOrgId, providerName: r.providerName, nodeId: r.nodeId, unitId: r.unitOrgId,
    unitName: r.unitName, systemIds: r.systemIds, description: r.description, tracingNote: r.tracingNote, handlingReport: r.handlingReport, closedAt: iso(r.closedAt), ticketId: r.ticketId,
  };
}

type CheckRow = { id: string; kind: string; title: string; plannedDate: Date | string; status: string; doneDate: Date | string | null; providerOrgIds: string[]; resultSummary: string | null; findingsCount: number | null; reportDocumentId: string | null };
function toCheck(r: CheckRow): SecurityCheck {
  const planned = day(r.plannedDate)!;
  return {
    id: r.id, kind: r.kind as CheckKind, title: r.title, plannedDate: planned, status: r.status as SecurityCheck['status'], doneDate: day(r.doneDate), providerIds: r.providerOrgIds,
    resultSummary: r.resultSummary, findingsCount: r.findingsCount, reportDocumentId: r.reportDocumentId, overdue: r.status === 'planned' && planned < localDate(new Date()),
  };
}

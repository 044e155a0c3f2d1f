import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { recordAudit } from '../audit/index.js';
import { localDate } from '../calendar/index.js';
import type { DocumentsService, RenderedDocument } from '../documents/index.js';
import { parseBeijingDateTime, readBatchRecords } from '../ingestion/index.js';
import { importAfterCursor } from './security.cursor.js';
import type { InventoryService, LocatedHost } from '../inventory/index.js';
import type { DeadlineNotifier, NotificationService } from '../notifications/index.js';

const PUSHED_TABLE = 'securityWarning';
/** A notified provider replies within this many natural days (处置反馈时限). */
export const WARNING_REPLY_DAYS = 7;
/** The provider is reminded from the start of this many natural days before the deadline day (催办提醒). */
export const WARNING_REMINDER_DAYS_BEFORE = 1;
/** Who is told when a notice is overdue, besides the provider (超期升级). */
export const WARNING_ESCALATION_ORG_KINDS = ['supervision_provider', 'management_unit'] as const;
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
export const EVIDENCE_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', txt: 'text/plain', log: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip: 'application/zip',
};
const EXPORT_MAX_ROWS = 10_000;

export type WarningMonitorType = 'vulnerability' | 'patch' | 'other';
export type MatchBasis = 'ip' | 'host_id' | 'cve' | 'patch' | 'software';
export type WarningOutcome = 'handled' | 'not_affected';
export type NoticeState = 'notified' | 'overdue' | 'replied';

const TYPE_CN: Record<WarningMonitorType, string> = { vulnerability: '漏洞发布', patch: '补丁发布', other: '其他' };
const OUTCOME_CN: Record<WarningOutcome, string> = { handled: '已处置', not_affected: '不受影响' };
const STATE_CN: Record<NoticeState, string> = { notified: '待反馈', overdue: '已超期', replied: '已反馈' };
const BASIS_CN: Record<MatchBasis, string> = { ip: 'IP 地址', host_id: '云主机 ID', cve: 'CVE（未修复漏洞）', patch: '补丁（未安装）', software: '软件版本' };

/** What a warning's content names, as far as free text allows. */
export interface WarningReferences {
  ips: string[];
  cves: string[];
  patches: string[];
  software: Array<{ product: string; version: string }>;
  /** Words that could be cloud host IDs (looked up, most match nothing). */
  tokens: string[];
}

/**
 * The references in a warning's 监测内容: IPv4 addresses, CVE numbers, patch numbers (KB…, RHSA-…/openEuler-SA-…),
 * product + version ("Apache Tomcat 9.0.80", "OpenSSL 3.0.7") and the words that could be cloud host IDs.
 */
export function extractReferences(content: string): WarningReferences {
  const ips = [...new Set([...content.matchAll(/(?<![\d.])((?:\d{1,3}\.){3}\d{1,3})(?![\d.])/g)].map((m) => m[1]!).filter((ip) => ip.split('.').every((o) => Number(o) <= 255)))];
  const cves = [...new Set([...content.matchAll(/CVE-\d{4}-\d{4,7}/gi)].map((m) => m[0].toUpperCase()))];
  const patches = [...new Set([...content.matchAll(/\b(KB\d{6,8}|[A-Za-z]+(?:-[A-Za-z]+)?-?SA-\d{4}[:-]\d{3,6})\b/gi)].map((m) => m[1]!.toUpperCase()))];
  const software: Array<{ product: string; version: string }> = [];
  for (const m of content.matchAll(/([A-Za-z][A-Za-z0-9+_]*(?:[ -][A-Za-z][A-Za-z0-9+_]*)?)[ ]?[vV]?(\d+(?:\.\d+){1,3}[a-z]?)(?![\d.])/g)) {
    const product = m[1]!.trim();
    const version = m[2]!;
    if (ips.includes(version) || /^(CVE|KB|SA|IP|V)$/i.test(product)) continue;
    if (!software.some((s) => s.product === product && s.version === version)) software.push({ product, version });
  }
  const skip = new Set([...ips, ...cves, ...patches]);
  const tokens = [...new Set([...content.matchAll(/[A-Za-z0-9][A-Za-z0-9._:-]{3,63}/g)].map((m) => m[0]).filter((t) => !skip.has(t.toUpperCase()) && !skip.has(t) && /\d/.test(t) && /[A-Za-z]/.test(t)))].slice(0, 200);
  return { ips, cves, patches, software, tokens };
}

/** 漏洞发布 / 补丁发布 as pushed; anything else is kept as other (the text is kept beside). */
export function monitorTypeOf(text: string | null | undefined): WarningMonitorType {
  const t = (text ?? '').trim();
  if (/漏洞/.test(t) || /vuln/i.test(t)) return 'vulnerability';
  if (/补丁/.test(t) || /patch/i.test(t)) return 'patch';
  return 'other';
}

/** A notice is overdue when it has no reply and its deadline (a Beijing date) has passed. */
export function noticeState(status: 'notified' | 'replied', deadline: string, today: string): NoticeState {
  if (status === 'replied') return 'replied';
  return deadline < today ? 'overdue' : 'notified';
}

export interface WarningHost {
  resourceId: string;
  cloudHostId: string;
  ip: string | null;
  providerId: string;
  unitId: string | null;
  unitName: string | null;
  systemId: string | null;
  systemName: string | null;
  basis: MatchBasis;
  matchedValue: string;
}

export interface WarningNotice {
  id: string;
  warningId: string;
  monitorType: WarningMonitorType;
  content: string;
  monitoredAt: string | null;
  monitoredText: string | null;
  providerId: string;
  providerName: string | null;
  notifiedAt: string;
  deadline: string;
  state: NoticeState;
  outcome: WarningOutcome | null;
  replyNote: string | null;
  repliedAt: string | null;
  evidenceName: string | null;
  evidenceSize: number | null;
  evidenceSm3: string | null;
  hosts: number;
  /** When the reminder before the deadline was sent (null: not yet, or not due). */
  remindedAt: string | null;
  /** When the provider was told the notice is overdue. */
  overdueNotifiedAt: string | null;
  /** When the overdue notice was escalated to the supervision provider and the management unit. */
  escalatedAt: string | null;
}

export interface WarningNoticeDetail extends WarningNotice {
  matchedHosts: WarningHost[];
  abilities: { reply: boolean };
}

export interface Warning {
  id: string;
  monitorType: WarningMonitorType;
  monitorTypeText: string | null;
  content: string;
  notifiedRelatedUnits: boolean | null;
  monitoredAt: string | null;
  monitoredText: string | null;
  monitoredBy: string | null;
  receivedAt: string;
  matchedAt: string | null;
  hosts: number;
  notices: number;
  replied: number;
  overdue: number;
}

export interface NoticeListQuery {
  state?: NoticeState;
  outcome?: WarningOutcome;
  monitorType?: WarningMonitorType;
  providerId?: string;
  keyword?: string;
  page?: number;
  pageSize?: number;
}

export interface ReplyInput {
  outcome: WarningOutcome;
  note: string;
  evidence?: { fileName: string; contentBase64: string } | null;
}

const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const dayOf = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : localDate(d));
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/**
 * Security warnings (安全预警) from the pushed 安全预警监测数据: stored after a cursor (job `security.warnings`, woken
 * on push), matched to the inventory's hosts (job `security.warning_match`), one notice per provider running a
 * matched host with a deadline of WARNING_REPLY_DAYS natural days, the provider's reply (已处置 / 不受影响) with an
 * evidence file, the overdue state, lists and a signed .xlsx. Visibility: supervision and management all; a provider
 * its own notices; a unit the notices naming hosts of its systems; the system administrator nothing.
 */
export class SecurityWarningService {
  private documents: DocumentsService | null = null;
  private deadlines: DeadlineNotifier | null = null;

  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
    private readonly notifications: NotificationService,
  ) {}

  setDocuments(documents: DocumentsService): void {
    this.documents = documents;
  }

  /** The notifications module's deadline notifier: sends each reminder / overdue / escalation step once. */
  setDeadlineNotifier(deadlines: DeadlineNotifier): void {
    this.deadlines = deadlines;
  }

  /**
   * One pass of job `security.warning_deadlines` over the notices without a reply: from WARNING_REMINDER_DAYS_BEFORE
   * days before the deadline day, a reminder to the provider; once the deadline day has passed, an overdue notice to
   * the provider and the escalation to the users of the supervision provider and the management unit. Each step is
   * sent once per notice and deadline (the notifier's marks and the notice's step columns, set in the same
   * transaction, under a row lock: idempotent across restarts and concurrent workers) and audited. A notice first
   * seen overdue gets no reminder. `only` limits the pass to some notices (tests).
   */
  async checkDeadlines(now: Date = new Date(), only?: { noticeIds: string[] }): Promise<{ reminders: number; overdue: number; escalations: number }> {
    const deadlines = this.deadlines;
    if (!deadlines) throw new AppError('unavailable', 'security.deadlines_unavailable', 'the deadline notifier is not wired');
    const ctx = systemContext('job:security.warning_deadlines');
    const today = localDate(now);
    const counts = { reminders: 0, overdue: 0, escalations: 0 };
    const due = await withTx(this.db, ctx, (trx) => {
      let q = trx
        .selectFrom('securityWarningNotices')
        .select('id')
        .where('status', '=', 'notified')
        .where('escalatedAt', 'is', null)
        .where('deadline', '<=', addDays(today, WARNING_REMINDER_DAYS_BEFORE))
        .orderBy('deadline')
        .limit(2000);
      if (only) q = q.where('id', 'in', only.noticeIds.length > 0 ? only.noticeIds : ['00000000-0000-0000-0000-000000000000']);
      return q.execute();
    });
    for (const { id } of due) {
      await withTx(this.db, ctx, async (trx) => {
        const n = await trx
          .selectFrom('securityWarningNotices as n')
          .innerJoin('securityWarnings as w', 'w.id', 'n.warningId')
          .leftJoin('organisations as p', 'p.id', 'n.providerOrgId')
          .select(['n.id', 'n.providerOrgId', 'p.name as providerName', 'n.deadline', 'n.status', 'n.remindedAt', 'n.overdueNotifiedAt', 'n.escalatedAt', 'w.monitorType', 'w.content'])
          .where('n.id', '=', id)
          .forUpdate('n')
          .executeTakeFirst();
        if (!n || n.status !== 'notified') return;
        const deadline = dayOf(n.deadline as Date | string);
        // The reply is due by the end of the deadline day (Beijing): the notifier's due time.
        const dueAt = new Date(`${addDays(deadline, 1)}T00:00:00+08:00`);
        const what = `${TYPE_CN[n.monitorType as WarningMonitorType]}：${n.content.slice(0, 60)}`;
        const subject = { subjectType: 'security_warning_notice', subjectId: n.id, dueAt, link: `/security?tab=warnings&notice=${n.id}` };
        const step = async (column: 'remindedAt' | 'overdueNotifiedAt' | 'escalatedAt', action: string, send: () => Promise<boolean>) => {
          const sent = await send();
          await trx.updateTable('securityWarningNotices').set({ [column]: now }).where('id', '=', n.id).execute();
          await recordAudit(trx, ctx, { action, targetType: 'security_warning_notice', targetId: n.id, after: { deadline, providerId: n.providerOrgId, sent } });
          return sent;
        };
        if (deadline < today) {
          if (!n.overdueNotifiedAt) {
            await step('overdueNotifiedAt', 'security.warning_overdue', () =>
              deadlines.notifyDeadline(trx, {
                ...subject, stage: 'due', kind: 'security.warning_overdue', recipients: { orgIds: [n.providerOrgId] },
                title: `安全预警反馈已超期：${what}`, body: `反馈期限 ${deadline} 已过，贵单位尚未反馈处置情况。请立即在平台反馈（已处置并附佐证材料，或不受影响并说明理由）；已上报监管服务商和管理单位。`,
              }));
            counts.overdue++;
          }
          if (!n.escalatedAt) {
            await step('escalatedAt', 'security.warning_escalated', () =>
              deadlines.notifyDeadline(trx, {
                ...subject, stage: 'escalation', kind: 'security.warning_escalated', recipients: { orgKinds: [...WARNING_ESCALATION_ORG_KINDS] },
                title: `安全预警超期未反馈：${n.providerName ?? n.providerOrgId}`, body: `${n.providerName ?? n.providerOrgId} 未在 ${deadline} 前反馈安全预警的处置情况，请督办。\n${n.content.slice(0, 500)}`,
              }));
            counts.escalations++;
          }
        } else if (!n.remindedAt && today >= addDays(deadline, -WARNING_REMINDER_DAYS_BEFORE)) {
          await step('remindedAt', 'security.warning_reminded', () =>
            deadlines.notifyDeadline(trx, {
              ...subject, stage: 'warning', kind: 'security.warning_reminder', recipients: { orgIds: [n.providerOrgId] },
              title: `安全预警即将到期：${what}`, body: `请于 ${deadline} 前在平台反馈处置情况（已处置并附佐证材料，或不受影响并说明理由），逾期将上报监管服务商和管理单位。`,
            }));
          counts.reminders++;
        }
      });
    }
    return counts;
  }

  /** Stores the pushed 安全预警监测数据 batches after the cursor (idempotent per batch × record). */
  async importPending(): Promise<{ batches: number; warnings: number }> {
    const ctx = systemContext('job:security.warnings');
    let warnings = 0;
    const batches = await importAfterCursor(this.db, ctx, { table: PUSHED_TABLE, lock: 'security.warnings' }, async (trx, batch) => {
      const records = await readBatchRecords(trx, batch);
      const values = records
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => r['monitorContent'] && r['monitorContent'].trim() !== '')
        .map(({ r, i }) => ({
          batchId: batch.id, recordIndex: i, reportedByOrgId: batch.providerOrgId, monitorType: monitorTypeOf(r['monitorType']), monitorTypeText: r['monitorType'] ?? null,
          content: r['monitorContent']!.trim().slice(0, 4000), notifiedRelatedUnits: r['notifiedRelatedUnits'] === '是' ? true : r['notifiedRelatedUnits'] === '否' ? false : null,
          monitoredText: r['monitoredAt'] ?? null, monitoredAt: r['monitoredAt'] ? parseBeijingDateTime(r['monitoredAt'].trim()) : null, monitoredBy: r['monitoredBy'] ?? null, receivedAt: batch.receivedAt,
        }));
      if (values.length > 0) {
        const rows = await trx.insertInto('securityWarnings').values(values).onConflict((oc) => oc.columns(['batchId', 'recordIndex']).doNothing()).returning('id').execute();
        warnings += rows.length;
      }
    });
    return { batches, warnings };
  }

  /** Matches the warnings not matched yet (job security.warning_match); answers how many were matched and notices sent. */
  async matchPending(): Promise<{ warnings: number; notices: number }> {
    const ctx = systemContext('job:security.warning_match');
    const ids = await withTx(this.db, ctx, (trx) => trx.selectFrom('securityWarnings').select('id').where('matchedAt', 'is', null).orderBy('receivedAt').limit(500).execute());
    let notices = 0;
    for (const { id } of ids) notices += (await this.matchOne(ctx, id)).notices;
    return { warnings: ids.length, notices };
  }

  /** Matches one warning again (supervision, after the inventory changed): new hosts are added, new providers notified. */
  async rematch(ctx: RequestContext, id: string): Promise<{ hosts: number; notices: number }> {
    if (!isUuid(id)) throw notFound('security.warning', id);
    const seen = await withTx(this.db, ctx, (trx) => trx.selectFrom('securityWarnings').select('id').where('id', '=', id).executeTakeFirst());
    if (!seen) throw notFound('security.warning', id);
    const res = await this.matchOne(systemContext('security.warning_rematch'), id);
    await withTx(this.db, ctx, (trx) => recordAudit(trx, ctx, { action: 'security.warning_rematch', targetType: 'security_warning', targetId: id, after: res }));
    return res;
  }

  private async matchOne(ctx: RequestContext, id: string): Promise<{ hosts: number; notices: number }> {
    const w = await withTx(this.db, ctx, (trx) =>
      trx.selectFrom('securityWarnings as w').leftJoin('organisations as o', 'o.id', 'w.reportedByOrgId').select(['w.id', 'w.content', 'w.monitorType', 'w.reportedByOrgId', 'o.kind as reporterKind']).where('w.id', '=', id).executeTakeFirst(),
    );
    if (!w) return { hosts: 0, notices: 0 };
    const refs = extractReferences(w.content);
    // A cloud provider's own warning concerns its own platform; the supervision provider's concerns every provider.
    const providerOrgId = w.reporterKind === 'cloud_provider' ? w.reportedByOrgId : null;
    const matches = new Map<string, { host: Pick<LocatedHost, 'resourceId' | 'cloudHostId' | 'ip' | 'providerOrgId' | 'unitOrgId' | 'systemId'>; basis: MatchBasis; value: string }>();
    const add = (host: Pick<LocatedHost, 'resourceId' | 'cloudHostId' | 'ip' | 'providerOrgId' | 'unitOrgId' | 'systemId'>, basis: MatchBasis, value: string) => {
      if (!matches.has(host.resourceId)) matches.set(host.resourceId, { host, basis, value });
    };
    if (refs.ips.length > 0) for (const h of await this.inventory.locateHosts(ctx, { providerOrgId, ips: refs.ips })) add(h, 'ip', h.ip ?? '');
    if (refs.tokens.length > 0) for (const h of await this.inventory.locateHosts(ctx, { providerOrgId, cloudHostIds: refs.tokens })) add(h, 'host_id', h.cloudHostId);
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('security.warning_match'), hashtext(${id}))`.execute(trx);
      // Hosts with an unfixed finding of a named CVE, a named patch not installed, or a finding / missing patch of the named product and version.
      const findingHosts = trx
        .selectFrom('securityFindings')
        .select(['resourceId', 'hostRef', 'ip', 'providerOrgId', 'unitOrgId', 'systemId', 'cve', 'name'])
        .where('resourceId', 'is not', null)
        .where('providerOrgId', 'is not', null)
        .where('status', 'in', ['open', 'notified', 'replied', 'accepted']);
      if (refs.cves.length > 0) {
        let q = findingHosts.where(sql<boolean>`cve && ${sql.val(refs.cves)}::text[]`);
        if (providerOrgId) q = q.where('providerOrgId', '=', providerOrgId);
        for (const r of await q.execute()) add({ resourceId: r.resourceId!, cloudHostId: r.hostRef, ip: r.ip, providerOrgId: r.providerOrgId!, unitOrgId: r.unitOrgId, systemId: r.systemId }, 'cve', r.cve.filter((c) => refs.cves.includes(c)).join(','));
      }
      const patchHosts = trx.selectFrom('securityPatches').select(['resourceId', 'cloudHostId', 'providerOrgId', 'unitOrgId', 'systemId', 'patchName']).where('resourceId', 'is not', null).where('installedOn', 'is', null);
      if (refs.patches.length > 0) {
        let q = patchHosts.where((eb) => eb.or(refs.patches.map((p) => eb('patchName', 'ilike', like(p)))));
        if (providerOrgId) q = q.where('providerOrgId', '=', providerOrgId);
        for (const r of await q.execute()) add({ resourceId: r.resourceId!, cloudHostId: r.cloudHostId, ip: null, providerOrgId: r.providerOrgId, unitOrgId: r.unitOrgId, systemId: r.systemId }, 'patch', r.patchName);
      }
      for (const s of refs.software) {
        let f = findingHosts.where('name', 'ilike', like(s.product)).where('name', 'ilike', like(s.version));
        if (providerOrgId) f = f.where('providerOrgId', '=', providerOrgId);
        for (const r of await f.execute()) add({ resourceId: r.resourceId!, cloudHostId: r.hostRef, ip: r.ip, providerOrgId: r.providerOrgId!, unitOrgId: r.unitOrgId, systemId: r.systemId }, 'software', `${s.product} ${s.version}`);
        let p = patchHosts.where('patchName', 'ilike', like(s.product)).where('patchName', 'ilike', like(s.version));
        if (providerOrgId) p = p.where('providerOrgId', '=', providerOrgId);
        for (const r of await p.execute()) add({ resourceId: r.resourceId!, cloudHostId: r.cloudHostId, ip: null, providerOrgId: r.providerOrgId, unitOrgId: r.unitOrgId, systemId: r.systemId }, 'software', `${s.product} ${s.version}`);
      }
      const byProvider = new Map<string, Array<typeof matches extends Map<string, infer V> ? V : never>>();
      for (const m of matches.values()) byProvider.set(m.host.providerOrgId, [...(byProvider.get(m.host.providerOrgId) ?? []), m]);
      const deadline = addDays(localDate(new Date()), WARNING_REPLY_DAYS);
      let notices = 0;
      let hosts = 0;
      for (const [provider, list] of byProvider) {
        const created = await trx.insertInto('securityWarningNotices').values({ warningId: id, providerOrgId: provider, deadline }).onConflict((oc) => oc.columns(['warningId', 'providerOrgId']).doNothing()).returning('id').executeTakeFirst();
        const notice = created ?? (await trx.selectFrom('securityWarningNotices').select('id').where('warningId', '=', id).where('providerOrgId', '=', provider).executeTakeFirstOrThrow());
        const inserted = await trx
          .insertInto('securityWarningHosts')
          .values(list.map((m) => ({ warningId: id, noticeId: notice.id, resourceId: m.host.resourceId, cloudHostId: m.host.cloudHostId, ip: m.host.ip, providerOrgId: provider, unitOrgId: m.host.unitOrgId, systemId: m.host.systemId, basis: m.basis, matchedValue: m.value.slice(0, 500) })))
          .onConflict((oc) => oc.columns(['warningId', 'resourceId']).doNothing())
          .returning('id')
          .execute();
        hosts += inserted.length;
        if (created) {
          notices++;
          await this.notifications.notify(trx, {
            recipients: { orgIds: [provider] }, kind: 'security.warning', severity: 'warning', link: `/security?tab=warnings&notice=${created.id}`,
            title: `安全预警：${TYPE_CN[w.monitorType as WarningMonitorType]}，涉及贵单位 ${list.length} 台云主机`,
            body: `${w.content.slice(0, 500)}\n请于 ${deadline} 前在平台反馈处置情况（已处置 / 不受影响）并附佐证材料。`,
          });
        }
      }
      await trx.updateTable('securityWarnings').set({ matchedAt: new Date() }).where('id', '=', id).execute();
      return { hosts, notices };
    });
  }

  // ---- demo city (the demo loader only; the loader has no push writer) ---------------------------------------------

  /**
   * Stores the demo city's warnings as the push would have (batch 0, which no pushed batch has; one record each), or
   * nothing when they are there already: answers the new warnings' ids in the order given, or null.
   */
  async storeDemoWarnings(rows: ReadonlyArray<{ monitorTypeText: string; content: string; daysAgo: number; monitoredBy: string }>): Promise<string[] | null> {
    const ctx = systemContext('demo-loader');
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('security.warnings'))`.execute(trx);
      if (await trx.selectFrom('securityWarnings').select('id').where('batchId', '=', '0').executeTakeFirst()) return null;
      const ids: string[] = [];
      for (const [i, r] of rows.entries()) {
        const at = new Date(Date.now() - r.daysAgo * 86_400_000);
        const text = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
        const row = await trx
          .insertInto('securityWarnings')
          .values({ batchId: '0', recordIndex: i, reportedByOrgId: null, monitorType: monitorTypeOf(r.monitorTypeText), monitorTypeText: r.monitorTypeText, content: r.content, notifiedRelatedUnits: false, monitoredText: text, monitoredAt: at, monitoredBy: r.monitoredBy, receivedAt: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(row.id);
      }
      return ids;
    });
  }

  /** The demo's hosts with an unfixed finding (IP, CVEs), from the demo scans: what the demo warnings name. */
  async demoFindingHosts(limit: number): Promise<Array<{ ip: string; cves: string[] }>> {
    const res = await withTx(this.db, systemContext('demo-loader'), (trx) =>
      sql<{ ip: string; cves: string[] }>`select f.ip, array_agg(distinct c order by c) as cves from security_findings f, unnest(f.cve) c
        where f.ip is not null and f.resource_id is not null and f.status in ('open', 'notified', 'replied') group by f.ip order by f.ip limit ${limit}`.execute(trx),
    );
    return res.rows;
  }

  /** Demo only: moves a notice's notification and deadline back by so many days (to show an overdue notice). */
  async backdateDemoNotice(id: string, days: number): Promise<void> {
    await withTx(this.db, systemContext('demo-loader'), (trx) =>
      trx
        .updateTable('securityWarningNotices')
        .set({ notifiedAt: sql`notified_at - make_interval(days => ${days})`, deadline: sql`deadline - ${days}::int` })
        .where('id', '=', id)
        .execute(),
    );
  }

  // ---- reads ------------------------------------------------------------------------------------------------------

  async listWarnings(ctx: RequestContext, q: { monitorType?: WarningMonitorType; matched?: boolean; keyword?: string; page?: number; pageSize?: number }): Promise<{ items: Warning[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const today = localDate(new Date());
    return withTx(this.db, ctx, async (trx) => {
      let base = trx.selectFrom('securityWarnings as w');
      if (q.monitorType) base = base.where('w.monitorType', '=', q.monitorType);
      if (q.keyword) base = base.where('w.content', 'ilike', like(q.keyword));
      if (q.matched === true) base = base.where(sql<boolean>`exists (select 1 from security_warning_hosts h where h.warning_id = w.id)`);
      if (q.matched === false) base = base.where(sql<boolean>`not exists (select 1 from security_warning_hosts h where h.warning_id = w.id)`);
      const total = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const rows = await base
        .selectAll('w')
        .select([
          sql<string>`(select count(*) from security_warning_hosts h where h.warning_id = w.id)`.as('hostCount'),
          sql<string>`(select count(*) from security_warning_notices n where n.warning_id = w.id)`.as('noticeCount'),
          sql<string>`(select count(*) from security_warning_notices n where n.warning_id = w.id and n.status = 'replied')`.as('repliedCount'),
          sql<string>`(select count(*) from security_warning_notices n where n.warning_id = w.id and n.status = 'notified' and n.deadline < ${today}::date)`.as('overdueCount'),
        ])
        .orderBy('w.receivedAt', 'desc')
        .orderBy('w.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id, monitorType: r.monitorType as WarningMonitorType, monitorTypeText: r.monitorTypeText, content: r.content, notifiedRelatedUnits: r.notifiedRelatedUnits, monitoredAt: iso(r.monitoredAt),
          monitoredText: r.monitoredText, monitoredBy: r.monitoredBy, receivedAt: iso(r.receivedAt)!, matchedAt: iso(r.matchedAt), hosts: Number(r.hostCount), notices: Number(r.noticeCount),
          replied: Number(r.repliedCount), overdue: Number(r.overdueCount),
        })),
        total: Number(total.n),
        page,
        pageSize,
      };
    });
  }

  async listNotices(ctx: RequestContext, q: NoticeListQuery): Promise<{ items: WarningNotice[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const base = noticeFilter(noticesQuery(trx), q, localDate(new Date()));
      const total = await base.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const rows = await base.orderBy(sql`case when n.status = 'notified' then 0 else 1 end`).orderBy('n.deadline').orderBy('n.id').limit(pageSize).offset((page - 1) * pageSize).execute();
      return { items: rows.map(toNotice), total: Number(total.n), page, pageSize };
    });
  }

  async getNotice(ctx: RequestContext, id: string): Promise<WarningNoticeDetail> {
    return withTx(this.db, ctx, (trx) => this.noticeDetail(trx, ctx, id));
  }

  private async noticeDetail(trx: Tx, ctx: RequestContext, id: string): Promise<WarningNoticeDetail> {
    if (!isUuid(id)) throw notFound('security.warning_notice', id);
    const row = await noticesQuery(trx).where('n.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('security.warning_notice', id);
    const hosts = await trx
      .selectFrom('securityWarningHosts as h')
      .leftJoin('organisations as u', 'u.id', 'h.unitOrgId')
      .leftJoin('informationSystems as s', 's.id', 'h.systemId')
      .select(['h.resourceId', 'h.cloudHostId', 'h.ip', 'h.providerOrgId', 'h.unitOrgId', 'u.name as unitName', 'h.systemId', 's.name as systemName', 'h.basis', 'h.matchedValue'])
      .where('h.noticeId', '=', id)
      .orderBy('h.id')
      .execute();
    const n = toNotice(row);
    const a = ctx.actor;
    return {
      ...n,
      matchedHosts: hosts.map((h) => ({ resourceId: h.resourceId, cloudHostId: h.cloudHostId, ip: h.ip, providerId: h.providerOrgId, unitId: h.unitOrgId, unitName: h.unitName, systemId: h.systemId, systemName: h.systemName, basis: h.basis as MatchBasis, matchedValue: h.matchedValue })),
      abilities: { reply: n.state !== 'replied' && a.permissions.has('security:reply') && a.orgId === n.providerId },
    };
  }

  /**
   * The provider's reply: 已处置 (handled) needs an evidence file (佐证材料); 不受影响 (not affected) needs the reason
   * in the note. One reply per notice; another provider's notice answers 404.
   */
  async reply(ctx: RequestContext, id: string, input: ReplyInput): Promise<WarningNoticeDetail> {
    const note = input.note.trim();
    const issues: Array<{ field: string; rule: string; message: string; value?: unknown }> = [];
    if (note.length < 2) issues.push({ field: 'body.note', rule: 'min_2', message: 'say what was done or why the hosts are not affected', value: input.note });
    if (input.outcome === 'handled' && !input.evidence) issues.push({ field: 'body.evidence', rule: 'required_when_handled', message: '已处置 needs an evidence file (佐证材料)' });
    let file: { name: string; type: string; bytes: Buffer } | null = null;
    if (input.evidence) {
      const ext = input.evidence.fileName.split('.').pop()?.toLowerCase() ?? '';
      const type = input.evidence.fileName.includes('.') ? EVIDENCE_TYPES[ext] : undefined;
      if (!type) issues.push({ field: 'body.evidence.fileName', rule: 'allowed_type', message: `allowed: ${Object.keys(EVIDENCE_TYPES).join(', ')}`, value: input.evidence.fileName });
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.evidence.contentBase64) || input.evidence.contentBase64.length % 4 !== 0) {
        issues.push({ field: 'body.evidence.contentBase64', rule: 'base64', message: 'the file content is base64' });
      } else {
        const bytes = Buffer.from(input.evidence.contentBase64, 'base64');
        if (bytes.length === 0) issues.push({ field: 'body.evidence.contentBase64', rule: 'not_empty', message: 'the file is empty' });
        else if (bytes.length > EVIDENCE_MAX_BYTES) issues.push({ field: 'body.evidence.contentBase64', rule: 'max_size', message: '≤ 5 MB', value: bytes.length });
        else if (type) file = { name: input.evidence.fileName, type, bytes };
      }
    }
    if (issues.length > 0) throw validationError('security.invalid_warning_reply', 'The reply is incomplete or malformed; nothing was saved', issues);
    return withTx(this.db, ctx, async (trx) => {
      const before = await this.noticeDetail(trx, ctx, id);
      if (ctx.actor.orgId !== before.providerId) throw notFound('security.warning_notice', id);
      await trx.selectFrom('securityWarningNotices').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      const current = await trx.selectFrom('securityWarningNotices').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      if (current.status === 'replied') throw new AppError('conflict', 'security.warning_already_replied', 'This notice has been replied to already', { status: current.status });
      await trx
        .updateTable('securityWarningNotices')
        .set({
          status: 'replied', outcome: input.outcome, replyNote: note, repliedAt: new Date(), repliedBy: ctx.actor.userId,
          evidenceName: file?.name ?? null, evidenceType: file?.type ?? null, evidenceSize: file?.bytes.length ?? null, evidenceSm3: file ? sm3Hex(file.bytes) : null, evidence: file?.bytes ?? null,
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, { action: 'security.warning_replied', targetType: 'security_warning_notice', targetId: id, before: { state: before.state }, after: { outcome: input.outcome, evidence: file ? { name: file.name, size: file.bytes.length } : null } });
      return this.noticeDetail(trx, ctx, id);
    });
  }

  /** The evidence file of a replied notice (whoever sees the notice). */
  async evidence(ctx: RequestContext, id: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    if (!isUuid(id)) throw notFound('security.warning_notice', id);
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('securityWarningNotices').select(['evidenceName', 'evidenceType', 'evidence']).where('id', '=', id).executeTakeFirst();
      if (!r || !r.evidence || !r.evidenceName) throw notFound('security.warning_evidence', id);
      return { fileName: r.evidenceName, contentType: r.evidenceType ?? 'application/octet-stream', content: r.evidence };
    });
  }

  /** The notices list (same filters) as a signed .xlsx, at most 10,000 rows. */
  async exportNotices(ctx: RequestContext, q: NoticeListQuery): Promise<RenderedDocument> {
    if (!this.documents) throw new AppError('unavailable', 'security.documents_unavailable', 'document signing is not configured');
    const rows = await withTx(this.db, ctx, (trx) => noticeFilter(noticesQuery(trx), q, localDate(new Date())).orderBy('n.deadline').orderBy('n.id').limit(EXPORT_MAX_ROWS).execute());
    const items = rows.map(toNotice);
    return this.documents.render(ctx, {
      docType: 'security_warning_notices', title: '安全预警处置情况', sheetName: '安全预警',
      meta: [{ label: '导出日期', value: localDate(new Date()) }, { label: '条数', value: String(items.length) }],
      columns: [
        { key: 'type', header: ['监测类型'], width: 10 }, { key: 'content', header: ['监测内容'], width: 50 }, { key: 'monitoredAt', header: ['监测时间'], width: 18 },
        { key: 'provider', header: ['服务商'], width: 20 }, { key: 'hosts', header: ['涉及主机'], kind: 'integer', width: 10 }, { key: 'notifiedAt', header: ['通知时间'], width: 18 },
        { key: 'deadline', header: ['反馈期限'], width: 12 }, { key: 'state', header: ['状态'], width: 10 }, { key: 'outcome', header: ['处置结果'], width: 10 },
        { key: 'note', header: ['反馈说明'], width: 40 }, { key: 'evidence', header: ['佐证材料'], width: 24 },
      ],
      rows: items.map((n) => ({
        type: TYPE_CN[n.monitorType], content: n.content, monitoredAt: n.monitoredAt ? fmt(n.monitoredAt) : (n.monitoredText ?? '—'), provider: n.providerName ?? n.providerId, hosts: n.hosts,
        notifiedAt: fmt(n.notifiedAt), deadline: n.deadline, state: STATE_CN[n.state], outcome: n.outcome ? OUTCOME_CN[n.outcome] : '—', note: n.replyNote ?? '', evidence: n.evidenceName ? `${n.evidenceName}（SM3 ${n.evidenceSm3!.slice(0, 16)}…）` : '',
      })),
      notes: [`反馈期限为通知后 ${WARNING_REPLY_DAYS} 个自然日；匹配依据：${Object.values(BASIS_CN).join('、')}。`],
    }, 'xlsx', { filenameStem: `安全预警-${localDate(new Date())}` });
  }
}

const fmt = (s: string) => new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function noticesQuery(trx: Tx) {
  return trx
    .selectFrom('securityWarningNotices as n')
    .innerJoin('securityWarnings as w', 'w.id', 'n.warningId')
    .leftJoin('organisations as p', 'p.id', 'n.providerOrgId')
    .select([
      'n.id', 'n.warningId', 'w.monitorType', 'w.content', 'w.monitoredAt', 'w.monitoredText', 'n.providerOrgId', 'p.name as providerName', 'n.notifiedAt', 'n.deadline', 'n.status', 'n.outcome',
      'n.replyNote', 'n.repliedAt', 'n.evidenceName', 'n.evidenceSize', 'n.evidenceSm3', 'n.remindedAt', 'n.overdueNotifiedAt', 'n.escalatedAt', sql<string>`(select count(*) from security_warning_hosts h where h.notice_id = n.id)`.as('hostCount'),
    ]);
}

function noticeFilter(query: ReturnType<typeof noticesQuery>, q: NoticeListQuery, today: string) {
  let base = query;
  if (q.state === 'replied') base = base.where('n.status', '=', 'replied');
  if (q.state === 'notified') base = base.where('n.status', '=', 'notified').where('n.deadline', '>=', today);
  if (q.state === 'overdue') base = base.where('n.status', '=', 'notified').where('n.deadline', '<', today);
  if (q.outcome) base = base.where('n.outcome', '=', q.outcome);
  if (q.monitorType) base = base.where('w.monitorType', '=', q.monitorType);
  if (q.providerId) base = base.where('n.providerOrgId', '=', q.providerId);
  if (q.keyword) base = base.where('w.content', 'ilike', like(q.keyword));
  return base;
}

type NoticeRow = Awaited<ReturnType<ReturnType<typeof noticesQuery>['executeTakeFirstOrThrow']>>;
function toNotice(r: NoticeRow): WarningNotice {
  const deadline = dayOf(r.deadline as Date | string);
  return {
    id: r.id, warningId: r.warningId, monitorType: r.monitorType as WarningMonitorType, content: r.content, monitoredAt: iso(r.monitoredAt), monitoredText: r.monitoredText, providerId: r.providerOrgId,
    providerName: r.providerName, notifiedAt: iso(r.notifiedAt)!, deadline, state: noticeState(r.status as 'notified' | 'replied', deadline, localDate(new Date())), outcome: r.outcome as WarningOutcome | null,
    replyNote: r.replyNote, repliedAt: iso(r.repliedAt), evidenceName: r.evidenceName, evidenceSize: r.evidenceSize, evidenceSm3: r.evidenceSm3, hosts: Number(r.hostCount),
    remindedAt: iso(r.remindedAt), overdueNotifiedAt: iso(r.overdueNotifiedAt), escalatedAt: iso(r.escalatedAt),
  };
}

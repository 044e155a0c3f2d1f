import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { localDate, nthWorkingDayAfter, type CalendarService } from '../calendar/index.js';
import type { InventoryService, LocatedHost } from '../inventory/index.js';
import type { DirectoryService } from '../directory/index.js';
import { countRecords, readBatchRecords, parseBeijingDateTime } from '../ingestion/index.js';
import { importAfterCursor } from './security.cursor.js';
import {
  dedupKey,
  parseCsv,
  parseNessus,
  parseOpenVas,
  parseTable,
  ReportFormatError,
  severityOf,
  SEVERITIES,
  SEVERITY_CN,
  xlsxRows,
  type ParsedReport,
  type ReportedFinding,
  type RowError,
  type Severity,
} from './security.parsers.js';

export type ReportFormat = 'openvas' | 'nessus' | 'xlsx' | 'csv';
export type FindingStatus = 'open' | 'notified' | 'replied' | 'fixed' | 'accepted';

/** What an import did: counts, unmatched host references, rows that could not be used. */
export interface ScanResult {
  scanId: string;
  source: string;
  findings: number;
  newFindings: number;
  closedFindings: number;
  reopenedFindings: number;
  unchanged: number;
  unmatched: string[];
  rowErrors: RowError[];
}

export interface AttackStatistics {
  month: string;
  total: number;
  previousMonthTotal: number;
  byName: Array<{ name: string; count: number }>;
  bySystem: Array<{ systemNo: string; count: number }>;
  byHost: Array<{ cloudHostId: string; count: number }>;
}

export interface Finding {
  id: string;
  hostRef: string;
  ip: string | null;
  port: string;
  vulnId: string;
  name: string;
  vulnType: string | null;
  cve: string[];
  severity: Severity;
  status: FindingStatus;
  resourceId: string | null;
  providerId: string | null;
  providerName: string | null;
  nodeId: string | null;
  unitId: string | null;
  unitName: string | null;
  systemId: string | null;
  systemName: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  deadline: string;
  overdue: boolean;
  notifiedAt: string | null;
  reply: string | null;
  repliedAt: string | null;
  fixedAt: string | null;
  reopenedCount: number;
  acceptedReason: string | null;
  acceptedUntil: string | null;
  ticketId: string | null;
}

export interface FindingDetail extends Finding {
  description: string | null;
  solution: string | null;
  events: Array<{ at: string; action: string; scanId: string | null; note: string | null; actor: string | null }>;
  abilities: { notify: boolean; reply: boolean; verify: boolean; accept: boolean };
}

export interface FindingListQuery {
  status?: FindingStatus | 'unfixed';
  severity?: Severity;
  providerId?: string;
  unitId?: string;
  systemId?: string;
  overdue?: boolean;
  unmatched?: boolean;
  keyword?: string;
  page?: number;
  pageSize?: number;
}

/** A finding's ticket hook (service desk); see CONTRACTS: source 'vulnerability'. */
export interface SourceTicketInput {
  source: 'vulnerability' | 'security_event';
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
export type SourceTicketHook = (input: SourceTicketInput) => Promise<{ ticketId: string; created: boolean } | null>;

const PUSHED_TABLE = 'vulnerabilityScan';
const kindOf = (source: string): 'push' | 'openvas' | 'nessus' | 'table' => (source === 'xlsx' || source === 'csv' ? 'table' : (source as 'push' | 'openvas' | 'nessus'));
/** Values per IN list (PostgreSQL allows 65,535 parameters a statement). */
const CHUNK = 5000;
/** Lists count at most this many matches ("10,000+"): an exact count of half a million rows costs more than the page. */
const COUNT_CAP = 10_000;
/** security_findings.severity_rank (generated column, migration 0085). */
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const TICKET_SEVERITY: Record<Severity, SourceTicketInput['severity']> = { critical: 'critical', high: 'major', medium: 'minor', low: 'info' };
const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const dayText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : localDate(d));
const monthRange = (month: string): { from: Date; to: Date } => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw validationError('security.invalid_month', 'The month is YYYY-MM', [{ field: 'query.month', rule: 'month', message: 'YYYY-MM', value: month }]);
  }
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000);
  const to = new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1) - 8 * 3_600_000);
  return { from, to };
};

/**
 * Security supervision (安全监管): vulnerability findings from pushed 安全漏洞扫描数据 and uploaded scanner reports,
 * linked to the inventory host and so to system, unit and responsible provider; deduplicated by (host, port,
 * vulnerability id); a re-scan closes what it no longer finds within what it covered ("verified fixed", the scan as
 * evidence) and reopens what comes back; rectification deadlines per severity, notices, replies, risk acceptance.
 */
export class SecurityService {
  private ticketHook: SourceTicketHook | null = null;

  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
    private readonly directory: DirectoryService,
    private readonly calendar: CalendarService,
    private readonly logger: Logger,
  ) {}

  /** The service desk opens a rectification ticket for each notified finding (and resolves it when verified fixed). */
  setTicketHook(hook: SourceTicketHook): void {
    this.ticketHook = hook;
  }

  // ---- imports ----------------------------------------------------------------------------------------------------

  /** Parses an uploaded report (refusing hostile XML) and imports it as one scan, in one transaction. */
  async importReport(ctx: RequestContext, input: { format: ReportFormat; fileName: string; bytes: Buffer; providerId?: string | null; nodeId?: string | null }): Promise<ScanResult> {
    let parsed: ParsedReport;
    try {
      if (input.format === 'openvas') parsed = parseOpenVas(input.bytes);
      else if (input.format === 'nessus') parsed = parseNessus(input.bytes);
      else if (input.format === 'csv') parsed = parseTable(parseCsv(input.bytes.toString('utf8')));
      else parsed = parseTable(await xlsxRows(input.bytes));
    } catch (e) {
      if (e instanceof ReportFormatError) {
        throw validationError('security.report_unreadable', e.message, [{ field: 'file', rule: e.rule, message: e.message, value: input.fileName }]);
      }
      throw e;
    }
    const fileSm3 = sm3Hex(input.bytes);
    // The node's provider is responsible for what a report of that node finds, matched to a host or not.
    let providerId = input.providerId ?? null;
    if (input.nodeId) {
      const node = (await this.directory.listCloudNodes(ctx)).find((n) => n.id === input.nodeId);
      if (!node) throw validationError('security.node_not_found', 'Unknown cloud node', [{ field: 'query.nodeId', rule: 'exists', message: 'No such cloud node', value: input.nodeId }]);
      if (providerId && node.provider && node.provider.id !== providerId) {
        throw validationError('security.node_provider_mismatch', 'The node is run by another provider', [{ field: 'query.providerId', rule: 'node_provider', message: `The node is run by ${node.provider.name}`, value: providerId }]);
      }
      providerId = providerId ?? node.provider?.id ?? null;
    }
    return withTx(this.db, ctx, async (trx) => {
      const dup = await trx.selectFrom('securityScans').select(['id', 'createdAt']).where('fileSm3', '=', fileSm3).executeTakeFirst();
      if (dup) {
        throw new AppError('conflict', 'security.duplicate_report', `This report was already imported (scan ${dup.id}); nothing was imported again`, { scanId: dup.id, field: 'file' });
      }
      const located = await this.inventory.locateHosts(ctx, { providerOrgId: providerId, nodeId: input.nodeId ?? null, ips: parsed.scope });
      const byIp = new Map<string, LocatedHost>();
      for (const h of located) if (h.ip) byIp.set(h.ip, h);
      const result = await this.applyScan(trx, ctx, {
        source: input.format,
        providerId,
        nodeId: input.nodeId ?? null,
        batchId: null,
        fileName: input.fileName.slice(0, 300),
        fileSm3,
        scannedAt: parsed.scannedAt ?? new Date(),
        findings: parsed.findings,
        scope: parsed.scope,
        hostOf: (ref) => byIp.get(ref) ?? null,
        rowErrors: parsed.errors,
      });
      await recordAudit(trx, ctx, { action: 'security.import', targetType: 'security_scan', targetId: result.scanId, after: { format: input.format, fileName: input.fileName, findings: result.findings, new: result.newFindings, closed: result.closedFindings } });
      return result;
    });
  }

  /**
   * Imports every stored batch of 安全漏洞扫描数据 not imported yet (job security.import, woken by each stored batch).
   * One batch is one scan of the hosts it names; 完成整改 is the provider's statement of a fix (replied), which a later
   * scan that no longer finds it verifies.
   */
  async importPending(): Promise<{ batches: number; findings: number }> {
    const ctx = systemContext('job:security.import');
    let findings = 0;
    const batches = await importAfterCursor(this.db, ctx, { table: PUSHED_TABLE, lock: 'security.import' }, async (trx, batch) => {
      const records = await readBatchRecords(trx, batch);
      const reported: ReportedFinding[] = [];
      const replied = new Map<string, string | null>();
      for (const r of records) {
        const sev = severityOf(r['riskLevel']);
        if (!r['cloudHostId'] || !r['vulnerabilityName'] || sev === null || sev === 'info') continue;
        const f: ReportedFinding = { hostRef: r['cloudHostId'], ip: null, port: '', vulnId: r['vulnerabilityName'], name: r['vulnerabilityName'], severity: sev, cve: [], vulnType: r['vulnerabilityType'] ?? null, description: null, solution: null };
        reported.push(f);
        if (r['remediationStatus'] === '完成整改') replied.set(dedupKey(f), r['remediatedAt'] ?? null);
      }
      const hostIds = [...new Set(reported.map((f) => f.hostRef))];
      const located = await this.inventory.locateHosts(ctx, { providerOrgId: batch.providerOrgId, cloudHostIds: hostIds });
      const byId = new Map(located.map((h) => [h.cloudHostId, h]));
      const scannedAt = records.map((r) => (r['scannedAt'] ? parseBeijingDateTime(r['scannedAt']) : null)).find((d): d is Date => d instanceof Date) ?? batch.receivedAt;
      const dup = await trx.selectFrom('securityScans').select('id').where('batchId', '=', batch.id).executeTakeFirst();
      if (!dup) {
        // Still-unfixed records are findings; 完成整改 ones mark the provider's reply on the same findings.
        const open = reported.filter((f) => !replied.has(dedupKey(f)));
        const res = await this.applyScan(trx, ctx, { source: 'push', providerId: batch.providerOrgId, nodeId: batch.nodeId, batchId: batch.id, fileName: null, fileSm3: null, scannedAt, findings: open, scope: [], hostOf: (ref) => byId.get(ref) ?? null, rowErrors: [] });
        for (const [key, at] of replied) {
          await trx
            .updateTable('securityFindings')
            .set({ status: 'replied', reply: `服务商推送：完成整改${at ? `（${at}）` : ''}`, repliedAt: scannedAt, updatedAt: new Date() })
            .where('dedupKey', '=', key)
            .where('status', 'in', ['open', 'notified'])
            .execute();
        }
        findings += res.findings;
      }
    });
    return { batches, findings };
  }

  private async deadlineFor(trx: Tx, severity: Severity, firstSeen: Date, rules: Map<string, { days: number; dayKind: string }>): Promise<string> {
    const rule = rules.get(severity)!;
    const day = localDate(firstSeen);
    if (rule.dayKind === 'working') return nthWorkingDayAfter(await this.calendar.days(trx), day, rule.days);
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + rule.days);
    return d.toISOString().slice(0, 10);
  }

  /** One scan: new findings inserted, known ones seen again (fixed ones reopened), in-scope open ones not found closed. */
  private async applyScan(
    trx: Tx,
    ctx: RequestContext,
    s: {
      source: string;
      providerId: string | null;
      nodeId: string | null;
      batchId: string | null;
      fileName: string | null;
      fileSm3: string | null;
      scannedAt: Date;
      findings: ReportedFinding[];
      scope: string[];
      hostOf: (ref: string) => LocatedHost | null;
      rowErrors: RowError[];
    },
  ): Promise<ScanResult> {
    const unique = new Map<string, ReportedFinding>();
    for (const f of s.findings) unique.set(dedupKey(f), f);
    const scope = [...new Set([...s.scope, ...[...unique.values()].map((f) => f.hostRef)])];
    const unmatched = scope.filter((ref) => s.hostOf(ref) === null);
    const scan = await trx
      .insertInto('securityScans')
      .values({ source: s.source, providerOrgId: s.providerId, nodeId: s.nodeId, batchId: s.batchId, fileName: s.fileName, fileSm3: s.fileSm3, scannedAt: s.scannedAt, scope, unmatched, rowErrors: JSON.stringify(s.rowErrors), createdBy: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rules = new Map((await trx.selectFrom('securityDeadlineRules').selectAll().execute()).map((r) => [r.severity, { days: r.days, dayKind: r.dayKind }]));
    const keys = [...unique.keys()];
    const existing: Array<{ id: string; dedupKey: string; status: string }> = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      existing.push(...(await trx.selectFrom('securityFindings').select(['id', 'dedupKey', 'status']).where('dedupKey', 'in', keys.slice(i, i + CHUNK)).forUpdate().execute()));
    }
    const known = new Map(existing.map((e) => [e.dedupKey, e]));
    let created = 0;
    let reopened = 0;

    const seen: string[] = [];
    const events: Array<{ findingId: string; action: string; scanId: string; note: string | null }> = [];
    const fresh: Array<Record<string, unknown>> = [];
    for (const [key, f] of unique) {
      const host = s.hostOf(f.hostRef);
      const prior = known.get(key);
      if (!prior) {
        fresh.push({
          dedupKey: key,
          sourceKind: kindOf(s.source),
          hostRef: f.hostRef,
          ip: f.ip ?? host?.ip ?? null,
          port: f.port,
          vulnId: f.vulnId,
          name: f.name,
          vulnType: f.vulnType,
          cve: f.cve,
          severity: f.severity,
          description: f.description,
          solution: f.solution,
          resourceId: host?.resourceId ?? null,
          providerOrgId: host?.providerOrgId ?? s.providerId,
          nodeId: host?.nodeId ?? s.nodeId,
          unitOrgId: host?.unitOrgId ?? null,
          systemId: host?.systemId ?? null,
          firstSeenAt: s.scannedAt,
          lastSeenAt: s.scannedAt,
          firstScanId: scan.id,
          lastScanId: scan.id,
          deadline: await this.deadlineFor(trx, f.severity, s.scannedAt, rules),
        });
        continue;
      }
      if (prior.status === 'fixed') {
        reopened++;
        await trx
          .updateTable('securityFindings')
          .set({ status: 'open', fixedAt: null, fixedScanId: null, lastSeenAt: s.scannedAt, lastScanId: scan.id, reopenedCount: sql`reopened_count + 1`, deadline: await this.deadlineFor(trx, f.severity, s.scannedAt, rules), updatedAt: new Date() })
          .where('id', '=', prior.id)
          .execute();
        events.push({ findingId: prior.id, action: 'reopened', scanId: scan.id, note: '复测再次发现' });
      } else {
        seen.push(prior.id);
      }
    }
    const unchanged = seen.length;
    for (let i = 0; i < seen.length; i += CHUNK) {
      await trx.updateTable('securityFindings').set({ lastSeenAt: s.scannedAt, lastScanId: scan.id, updatedAt: new Date() }).where('id', 'in', seen.slice(i, i + CHUNK)).execute();
    }
    for (let i = 0; i < fresh.length; i += 1000) {
      const rows = await trx
        .insertInto('securityFindings')
        .values(fresh.slice(i, i + 1000) as never)
        .returning('id')
        .execute();
      created += rows.length;
      for (const r of rows) events.push({ findingId: r.id, action: 'found', scanId: scan.id, note: null });
    }
    // Verified fixed: unfixed findings on hosts this scan covered that it no longer reports.
    let closed = 0;
    for (let i = 0; i < scope.length; i += CHUNK) {
      const gone = await trx
        .updateTable('securityFindings')
        .set({ status: 'fixed', fixedAt: s.scannedAt, fixedScanId: scan.id, updatedAt: new Date() })
        .where('hostRef', 'in', scope.slice(i, i + CHUNK))
        .where('sourceKind', '=', kindOf(s.source))
        .where('status', '<>', 'fixed')
        .where('status', '<>', 'accepted')
        .where('lastScanId', '<>', scan.id)
        .where('firstSeenAt', '<=', s.scannedAt)
        .returning(['id', 'ticketId', 'name'])
        .execute();
      closed += gone.length;
      for (const g of gone) events.push({ findingId: g.id, action: 'fixed', scanId: scan.id, note: '复测未发现，验证已修复' });
    }
    for (let i = 0; i < events.length; i += 1000) {
      await trx
        .insertInto('securityFindingEvents')
        .values(events.slice(i, i + 1000).map((e) => ({ ...e, actorUserId: ctx.actor.userId })))
        .execute();
    }
    await trx.updateTable('securityScans').set({ findings: unique.size, newFindings: created, closedFindings: closed, reopenedFindings: reopened }).where('id', '=', scan.id).execute();
    return { scanId: scan.id, source: s.source, findings: unique.size, newFindings: created, closedFindings: closed, reopenedFindings: reopened, unchanged, unmatched, rowErrors: s.rowErrors };
  }

  // ---- findings ---------------------------------------------------------------------------------------------------

  async listFindings(ctx: RequestContext, q: FindingListQuery): Promise<{ items: Finding[]; total: number; totalCapped: boolean; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      await sql`set local jit = off`.execute(trx);
      let base = trx.selectFrom('securityFindings as f');
      if (q.status === 'unfixed') base = base.where('f.status', 'in', ['open', 'notified', 'replied']);
      else if (q.status) base = base.where('f.status', '=', q.status);
      // severity_rank is the generated index column of severity (one-to-one): the page and the count read the index range.
      if (q.severity) base = base.where('f.severityRank', '=', SEVERITY_RANK[q.severity]);
      if (q.providerId) base = base.where('f.providerOrgId', '=', q.providerId);
      if (q.unitId) base = base.where('f.unitOrgId', '=', q.unitId);
      if (q.systemId) base = base.where('f.systemId', '=', q.systemId);
      if (q.unmatched) base = base.where('f.resourceId', 'is', null);
      if (q.overdue) base = base.where('f.status', 'in', ['open', 'notified', 'replied']).where('f.deadline', '<', localDate(new Date()));
      if (q.keyword) {
        const kw = `%${q.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base = base.where((eb) => eb.or([eb('f.name', 'ilike', kw), eb('f.hostRef', 'ilike', kw), eb(sql<string>`array_to_string(f.cve, ',')`, 'ilike', kw)]));
      }
      // The page's ids in index order (most severe, newest first), then their rows with the names joined.
      const [counted, ids] = [await trx.selectFrom(base.select(sql<number>`1`.as('one')).limit(COUNT_CAP + 1).as('c')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(), await base.select('f.id').orderBy('f.severityRank').orderBy('f.firstSeenAt', 'desc').orderBy('f.id').limit(pageSize).offset((page - 1) * pageSize).execute()];
      const total = Math.min(Number(counted.n), COUNT_CAP);
      const totalCapped = Number(counted.n) > COUNT_CAP;
      const byId = new Map((ids.length === 0 ? [] : await findingsQuery(trx).where('f.id', 'in', ids.map((r) => r.id)).execute()).map((r) => [r.id, r]));
      const rows = ids.map((r) => byId.get(r.id)!).filter(Boolean);
      return { items: rows.map(toFinding), total, totalCapped, page, pageSize };
    });
  }

  async getFinding(ctx: RequestContext, id: string): Promise<FindingDetail> {
    return withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id));
  }

  private async detail(trx: Tx, ctx: RequestContext, id: string): Promise<FindingDetail> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('security.finding', id);
    const row = await findingsQuery(trx).where('f.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('security.finding', id);
    const events = await trx
      .selectFrom('securityFindingEvents as e')
      .leftJoin('users as a', 'a.id', 'e.actorUserId')
      .select(['e.at', 'e.action', 'e.scanId', 'e.note', 'a.displayName'])
      .where('e.findingId', '=', id)
      .orderBy('e.at')
      .orderBy('e.id')
      .execute();
    const f = toFinding(row);
    const perms = ctx.actor.permissions;
    const sys = ctx.actor.kind === 'system';
    const manage = sys || perms.has('security:manage');
    const unfixed = ['open', 'notified', 'replied'].includes(f.status);
    const r = row;
    return {
      ...f,
      description: r.description,
      solution: r.solution,
      events: events.map((e) => ({ at: iso(e.at as Date)!, action: e.action, scanId: e.scanId, note: e.note, actor: e.displayName ?? null })),
      abilities: {
        notify: manage && f.status === 'open' && f.providerId !== null,
        reply: (sys || perms.has('security:reply')) && (f.status === 'notified' || f.status === 'open') && ctx.actor.orgId === f.providerId,
        verify: manage && unfixed,
        accept: manage && unfixed,
      },
    };
  }

  private async transition(ctx: RequestContext, id: string, allowed: FindingStatus[], fn: (trx: Tx, f: FindingDetail) => Promise<void>, action: string, note: string | null): Promise<FindingDetail> {
    const ticket = await withTx(this.db, ctx, async (trx) => {
      const f = await this.detail(trx, ctx, id);
      await trx.selectFrom('securityFindings').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!allowed.includes(f.status)) {
        throw new AppError('conflict', 'security.invalid_transition', `A finding in status ${f.status} cannot be ${action}`, { status: f.status, action });
      }
      await fn(trx, f);
      await trx.insertInto('securityFindingEvents').values({ findingId: id, action, actorUserId: ctx.actor.userId, note }).execute();
      await recordAudit(trx, ctx, { action: `security.${action}`, targetType: 'security_finding', targetId: id, before: { status: f.status }, after: { note } });
      return f;
    });
    if (this.ticketHook && (action === 'notified' || action === 'fixed')) {
      try {
        const res = await this.ticketHook({
          source: 'vulnerability',
          sourceId: id,
          state: action === 'fixed' ? 'cleared' : 'open',
          title: `安全隐患整改：${ticket.name}（${ticket.hostRef}）`,
          description: `${SEVERITY_CN[ticket.severity]}漏洞 ${ticket.name}，主机 ${ticket.hostRef}${ticket.port ? ` 端口 ${ticket.port}` : ''}，整改期限 ${ticket.deadline}。`,
          severity: TICKET_SEVERITY[ticket.severity],
          occurredAt: new Date(ticket.firstSeenAt),
          providerId: ticket.providerId,
          nodeId: ticket.nodeId,
          unitId: ticket.unitId,
          systemId: ticket.systemId,
          resourceIds: ticket.resourceId ? [ticket.resourceId] : [],
        });
        if (res) await withTx(this.db, systemContext('security.ticket'), (trx) => trx.updateTable('securityFindings').set({ ticketId: res.ticketId }).where('id', '=', id).execute());
      } catch (e) {
        this.logger.warn({ err: e, findingId: id }, 'security: ticket hook failed');
      }
    }
    return withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id));
  }

  /** 通报: the responsible provider is notified (the interface standard's 已通报). */
  notify(ctx: RequestContext, id: string, note?: string | null): Promise<FindingDetail> {
    return this.transition(ctx, id, ['open'], async (trx, f) => {
      if (!f.providerId) throw new AppError('conflict', 'security.no_provider', 'This finding matches no host of a provider: link it first', { hostRef: f.hostRef });
      await trx.updateTable('securityFindings').set({ status: 'notified', notifiedAt: new Date(), updatedAt: new Date() }).where('id', '=', id).execute();
    }, 'notified', note ?? null);
  }

  /** The provider's reply (整改反馈) with its evidence text. */
  reply(ctx: RequestContext, id: string, text: string): Promise<FindingDetail> {
    return this.transition(ctx, id, ['open', 'notified'], async (trx, f) => {
      if (ctx.actor.kind !== 'system' && ctx.actor.orgId !== f.providerId) throw notFound('security.finding', id);
      await trx.updateTable('securityFindings').set({ status: 'replied', reply: text, repliedAt: new Date(), updatedAt: new Date() }).where('id', '=', id).execute();
    }, 'replied', text);
  }

  /** Supervision verifies the fix by hand (a re-scan does it automatically). */
  verify(ctx: RequestContext, id: string, note: string): Promise<FindingDetail> {
    return this.transition(ctx, id, ['open', 'notified', 'replied'], async (trx) => {
      await trx.updateTable('securityFindings').set({ status: 'fixed', fixedAt: new Date(), updatedAt: new Date() }).where('id', '=', id).execute();
    }, 'fixed', note);
  }

  /** Risk acceptance (风险接受) with reason and expiry; the approver is the caller. */
  accept(ctx: RequestContext, id: string, input: { reason: string; until: string }): Promise<FindingDetail> {
    const today = localDate(new Date());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.until) || input.until <= today) {
      throw validationError('security.invalid_acceptance', 'A risk acceptance expires on a later day', [{ field: 'body.until', rule: 'after_today', message: `Must be after ${today}`, value: input.until }]);
    }
    return this.transition(ctx, id, ['open', 'notified', 'replied'], async (trx) => {
      await trx.updateTable('securityFindings').set({ status: 'accepted', acceptedReason: input.reason, acceptedBy: ctx.actor.userId, acceptedUntil: input.until, updatedAt: new Date() }).where('id', '=', id).execute();
    }, 'accepted', `${input.reason}（至 ${input.until}）`);
  }

  /** Expired risk acceptances return to open (daily job). */
  async expireAcceptances(today = localDate(new Date())): Promise<number> {
    return withTx(this.db, systemContext('job:security.expire'), async (trx) => {
      const rows = await trx.updateTable('securityFindings').set({ status: 'open', updatedAt: new Date() }).where('status', '=', 'accepted').where('acceptedUntil', '<', today).returning('id').execute();
      if (rows.length > 0) await trx.insertInto('securityFindingEvents').values(rows.map((r) => ({ findingId: r.id, action: 'acceptance_expired', note: '风险接受到期' }))).execute();
      return rows.length;
    });
  }

  async listScans(ctx: RequestContext): Promise<Array<{ id: string; source: string; fileName: string | null; scannedAt: string; findings: number; newFindings: number; closedFindings: number; reopenedFindings: number; unmatched: string[]; rowErrors: number; providerId: string | null }>> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('securityScans').selectAll().orderBy('createdAt', 'desc').limit(200).execute();
      return rows.map((r) => ({ id: r.id, source: r.source, fileName: r.fileName, scannedAt: iso(r.scannedAt as Date)!, findings: r.findings, newFindings: r.newFindings, closedFindings: r.closedFindings, reopenedFindings: r.reopenedFindings, unmatched: r.unmatched, rowErrors: Array.isArray(r.rowErrors) ? r.rowErrors.length : 0, providerId: r.providerOrgId }));
    });
  }

  async deadlineRules(ctx: RequestContext): Promise<Array<{ severity: Severity; days: number; dayKind: 'natural' | 'working' }>> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('securityDeadlineRules').selectAll().execute();
      return SEVERITIES.map((s) => rows.find((r) => r.severity === s)!).map((r) => ({ severity: r.severity as Severity, days: r.days, dayKind: r.dayKind as 'natural' | 'working' }));
    });
  }

  async setDeadlineRules(ctx: RequestContext, rules: Array<{ severity: Severity; days: number; dayKind: 'natural' | 'working' }>): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      for (const r of rules) await trx.updateTable('securityDeadlineRules').set({ days: r.days, dayKind: r.dayKind }).where('severity', '=', r.severity).execute();
      await recordAudit(trx, ctx, { action: 'security.deadline_rules', targetType: 'security_deadline_rules', targetId: 'all', after: { rules } });
    });
  }

  // ---- figures (CONTRACTS.md) -----------------------------------------------------------------------------------

  /**
   * Rectification on time per provider for a month (Asia/Shanghai): findings whose deadline falls in the month, those
   * fixed by their deadline, those overdue (unfixed past the deadline, or fixed after it), the on-time rate (null
   * when nothing fell due) and the open findings by severity now. The provider evaluation's 漏洞整改及时率.
   */
  async vulnerabilityHandling(ctx: RequestContext, q: { month: string; providerId?: string }): Promise<Array<{ providerId: string; dueInMonth: number; fixedOnTime: number; overdue: number; onTimeRate: string | null; openBySeverity: Record<Severity, number> }>> {
    const { from, to } = monthRange(q.month);
    const firstDay = dayText(new Date(from.getTime() + 8 * 3_600_000).toISOString());
    const lastDay = dayText(new Date(to.getTime() + 8 * 3_600_000 - 86_400_000).toISOString());
    const today = localDate(new Date());
    return withTx(this.db, ctx, async (trx) => {
      let due = trx
        .selectFrom('securityFindings')
        .select((eb) => [
          'providerOrgId',
          eb.fn.countAll<string>().as('due'),
          sql<string>`count(*) filter (where fixed_at is not null and (fixed_at at time zone 'Asia/Shanghai')::date <= deadline)`.as('onTime'),
          sql<string>`count(*) filter (where (fixed_at is null and status <> 'accepted' and deadline < ${today}::date) or (fixed_at at time zone 'Asia/Shanghai')::date > deadline)`.as('overdue'),
        ])
        .where('providerOrgId', 'is not', null)
        .where('deadline', '>=', firstDay)
        .where('deadline', '<=', lastDay)
        .groupBy('providerOrgId');
      if (q.providerId) due = due.where('providerOrgId', '=', q.providerId);
      let open = trx
        .selectFrom('securityFindings')
        .select((eb) => ['providerOrgId', 'severity', eb.fn.countAll<string>().as('n')])
        .where('providerOrgId', 'is not', null)
        .where('status', 'in', ['open', 'notified', 'replied'])
        .groupBy(['providerOrgId', 'severity']);
      if (q.providerId) open = open.where('providerOrgId', '=', q.providerId);
      const [dueRows, openRows] = [await due.execute(), await open.execute()];
      const out = new Map<string, { providerId: string; dueInMonth: number; fixedOnTime: number; overdue: number; onTimeRate: string | null; openBySeverity: Record<Severity, number> }>();
      const entry = (p: string) => {
        let e = out.get(p);
        if (!e) out.set(p, (e = { providerId: p, dueInMonth: 0, fixedOnTime: 0, overdue: 0, onTimeRate: null, openBySeverity: { critical: 0, high: 0, medium: 0, low: 0 } }));
        return e;
      };
      for (const r of dueRows) {
        const e = entry(r.providerOrgId!);
        e.dueInMonth = Number(r.due);
        e.fixedOnTime = Number(r.onTime);
        e.overdue = Number(r.overdue);
        e.onTimeRate = e.dueInMonth > 0 ? (e.fixedOnTime / e.dueInMonth).toFixed(4) : null;
      }
      for (const r of openRows) entry(r.providerOrgId!).openBySeverity[r.severity as Severity] = Number(r.n);
      return [...out.values()];
    });
  }

  /**
   * Attack monitoring (安全攻击监测数据 pushed by the providers) for a month: the total, the previous month's total, and
   * the top attack names, attacked systems (信息系统编号 as reported) and providers. Providers see their own pushes.
   */
  async attackStatistics(ctx: RequestContext, q: { month: string }): Promise<AttackStatistics> {
    const { from, to } = monthRange(q.month);
    const [py, pm] = q.month.split('-').map(Number) as [number, number];
    const prev = monthRange(pm === 1 ? `${py - 1}-12` : `${py}-${String(pm - 1).padStart(2, '0')}`);
    return withTx(this.db, ctx, async (trx) => {
      const total = await countRecords(trx, { table: 'securityAttack', from, to, groupBy: [] });
      const before = await countRecords(trx, { table: 'securityAttack', from: prev.from, to: prev.to, groupBy: [] });
      const byName = await countRecords(trx, { table: 'securityAttack', from, to, groupBy: ['attackName'], limit: 10 });
      const bySystem = await countRecords(trx, { table: 'securityAttack', from, to, groupBy: ['systemId'], limit: 10 });
      const byHost = await countRecords(trx, { table: 'securityAttack', from, to, groupBy: ['cloudHostId'], limit: 10 });
      return {
        month: q.month,
        total: total[0]?.count ?? 0,
        previousMonthTotal: before[0]?.count ?? 0,
        byName: byName.map((r) => ({ name: r.keys['attackName'] ?? '—', count: r.count })),
        bySystem: bySystem.map((r) => ({ systemNo: r.keys['systemId'] ?? '—', count: r.count })),
        byHost: byHost.map((r) => ({ cloudHostId: r.keys['cloudHostId'] ?? '—', count: r.count })),
      };
    });
  }

  /**
   * The security part of the monthly report (月报) from what this module holds: open findings by severity at the month's end, overdue
   * rectifications, scans in the month, pushed attacks (this month and the previous) and the most attacked systems.
   * Security events opened and penetration tests done in the month come from the events and checks of
   * SecurityOversightService (same module, its tables).
   */
  async postureSummary(ctx: RequestContext, q: { month: string }): Promise<{ month: string; attacks: number; attacksPrevMonth: number; topAttackedSystems: Array<{ systemId: string | null; name: string; count: number }>; openFindings: Record<Severity, number>; overdueRectifications: number; events: number; scansDone: number; scansRequired: number; pentestsDone: number; pentestsRequired: number }> {
    const { from, to } = monthRange(q.month);
    const today = localDate(new Date());
    return withTx(this.db, ctx, async (trx) => {
      // Open at the month's end (now for the running month): seen before it and not fixed before it; accepted risks
      // are left out (their acceptance time is not kept per month).
      const asOf = to.getTime() < Date.now() ? to : new Date();
      const open = await trx
        .selectFrom('securityFindings')
        .select((eb) => ['severity', eb.fn.countAll<string>().as('n')])
        .where('firstSeenAt', '<', asOf)
        .where((eb) => eb.or([eb('fixedAt', 'is', null), eb('fixedAt', '>=', asOf)]))
        .where('status', '<>', 'accepted')
        .groupBy('severity')
        .execute();
      const overdue = await trx.selectFrom('securityFindings').select((eb) => eb.fn.countAll<string>().as('n')).where('status', 'in', ['open', 'notified', 'replied']).where('deadline', '<', today).executeTakeFirstOrThrow();
      const scans = await trx.selectFrom('securityScans').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '<>', 'push').where('scannedAt', '>=', from).where('scannedAt', '<', to).executeTakeFirstOrThrow();
      const openFindings: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
      for (const r of open) openFindings[r.severity as Severity] = Number(r.n);
      const events = await trx.selectFrom('securityEvents').select((eb) => eb.fn.countAll<string>().as('n')).where('occurredAt', '>=', from).where('occurredAt', '<', to).executeTakeFirstOrThrow();
      const checks = await trx
        .selectFrom('securityChecks')
        .select([sql<string>`count(*) filter (where kind = 'pentest')`.as('pentests'), sql<string>`count(*) filter (where kind = 'vuln_scan')`.as('scans')])
        .where('status', '=', 'done')
        .where('doneDate', '>=', dayText(new Date(from.getTime() + 8 * 3_600_000).toISOString()))
        .where('doneDate', '<', dayText(new Date(to.getTime() + 8 * 3_600_000).toISOString()))
        .executeTakeFirstOrThrow();
      const attacks = await this.attackStatistics(ctx, { month: q.month });
      return {
        month: q.month, attacks: attacks.total, attacksPrevMonth: attacks.previousMonthTotal, topAttackedSystems: attacks.bySystem.slice(0, 5).map((x) => ({ systemId: null, name: x.systemNo, count: x.count })), openFindings,
        overdueRectifications: Number(overdue.n), events: Number(events.n), scansDone: Number(scans.n) + Number(checks.scans), scansRequired: 1, pentestsDone: Number(checks.pentests), pentestsRequired: 4,
      };
    });
  }
}

function findingsQuery(trx: Tx) {
  return trx
    .selectFrom('securityFindings as f')
    .leftJoin('organisations as p', 'p.id', 'f.providerOrgId')
    .leftJoin('organisations as u', 'u.id', 'f.unitOrgId')
    .leftJoin('informationSystems as s', 's.id', 'f.systemId')
    .select([
      'f.id', 'f.hostRef', 'f.ip', 'f.port', 'f.vulnId', 'f.name', 'f.vulnType', 'f.cve', 'f.severity', 'f.status', 'f.resourceId', 'f.providerOrgId', 'f.nodeId',
      'f.unitOrgId', 'f.systemId', 'f.firstSeenAt', 'f.lastSeenAt', 'f.deadline', 'f.notifiedAt', 'f.reply', 'f.repliedAt', 'f.fixedAt', 'f.reopenedCount',
      'f.acceptedReason', 'f.acceptedUntil', 'f.ticketId', 'f.description', 'f.solution', 'p.name as providerName', 'u.name as unitName', 's.name as systemName',
    ]);
}

type FindingRow = {
  id: string; hostRef: string; ip: string | null; port: string; vulnId: string; name: string; vulnType: string | null; cve: string[]; severity: string; status: string;
  resourceId: string | null; providerOrgId: string | null; nodeId: string | null; unitOrgId: string | null; systemId: string | null; firstSeenAt: Date; lastSeenAt: Date;
  deadline: string | Date; notifiedAt: Date | null; reply: string | null; repliedAt: Date | null; fixedAt: Date | null; reopenedCount: number; acceptedReason: string | null;
  acceptedUntil: string | Date | null; ticketId: string | null; providerName: string | null; unitName: string | null; systemName: string | null;
};

function toFinding(r: FindingRow): Finding {
  const deadline = typeof r.deadline === 'string' ? r.deadline.slice(0, 10) : localDate(r.deadline);
  const unfixed = r.status === 'open' || r.status === 'notified' || r.status === 'replied';
  return {
    id: r.id, hostRef: r.hostRef, ip: r.ip, port: r.port, vulnId: r.vulnId, name: r.name, vulnType: r.vulnType, cve: r.cve, severity: r.severity as Severity, status: r.status as FindingStatus,
    resourceId: r.resourceId, providerId: r.providerOrgId, providerName: r.providerName, nodeId: r.nodeId, unitId: r.unitOrgId, unitName: r.unitName, systemId: r.systemId, systemName: r.systemName,
    firstSeenAt: iso(r.firstSeenAt)!, lastSeenAt: iso(r.lastSeenAt)!, deadline, overdue: unfixed && deadline < localDate(new Date()),
    notifiedAt: iso(r.notifiedAt), reply: r.reply, repliedAt: iso(r.repliedAt), fixedAt: iso(r.fixedAt), reopenedCount: r.reopenedCount, acceptedReason: r.acceptedReason,
    acceptedUntil: r.acceptedUntil === null ? null : typeof r.acceptedUntil === 'string' ? r.acceptedUntil.slice(0, 10) : localDate(r.acceptedUntil), ticketId: r.ticketId,
  };
}

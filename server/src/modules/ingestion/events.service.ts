/**
 * 触发器 (trigger mode): providers push major changes (重大变更: kernel, memory, bandwidth … changes) and alarms (告警:
 * security, fault, performance) as they happen, signed like data pushes. Each event is validated field by field
 * (index, field, value, rule) and stored once per provider and externalId, so a retried push stores nothing twice.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { RecordError, VerifiedProvider } from './ingestion.types.js';
import type { NodeFacts } from './credentials.repository.js';
import { EVENT_KINDS, EVENT_SEVERITIES, type EventFilter, type EventListQuery, type EventPushResult, type ProviderEvent } from './credentials.schemas.js';

/** At most this many events in one push. */
export const MAX_EVENTS_PER_PUSH = 1000;
/** At most this many events in one .xlsx export. */
export const EVENTS_EXPORT_MAX_ROWS = 50_000;

const KIND_CN: Record<string, string> = { major_change: '重大变更', alarm: '告警' };
const SEVERITY_CN: Record<string, string> = { critical: '紧急', major: '重要', minor: '次要', info: '提示' };
/** Beijing time YYYY-MM-DD HH:mm:ss (UTC+8, no daylight saving). */
const beijing = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') : '');
const EXPORT_COLUMNS: ReadonlyArray<{ header: string; width: number; value: (e: ProviderEvent) => string }> = [
  { header: '发生时间', width: 20, value: (e) => beijing(e.occurredAt) },
  { header: '类型', width: 10, value: (e) => KIND_CN[e.kind] ?? e.kind },
  { header: '级别', width: 8, value: (e) => SEVERITY_CN[e.severity] ?? e.severity },
  { header: '分类', width: 16, value: (e) => e.category },
  { header: '标题', width: 40, value: (e) => e.title },
  { header: '详情', width: 60, value: (e) => e.detail },
  { header: '涉及资源', width: 30, value: (e) => e.resources.map((r) => [r.cloudHostId && `云主机 ${r.cloudHostId}`, r.systemId && `系统 ${r.systemId}`].filter(Boolean).join(' ')).join('；') },
  { header: '云服务商', width: 26, value: (e) => e.provider.name },
  { header: '云节点', width: 14, value: (e) => e.node.code },
  { header: '服务商事件编号', width: 24, value: (e) => e.externalId },
  { header: '接收时间', width: 20, value: (e) => beijing(e.receivedAt) },
  { header: '确认时间', width: 20, value: (e) => beijing(e.acknowledgedAt) },
  { header: '确认人', width: 14, value: (e) => e.acknowledgedBy?.username ?? '' },
  { header: '处理说明', width: 30, value: (e) => e.ackNote ?? '' },
];

export interface ValidEvent {
  index: number;
  externalId: string;
  kind: (typeof EVENT_KINDS)[number];
  category: string;
  severity: (typeof EVENT_SEVERITIES)[number];
  occurredAt: Date;
  title: string;
  detail: string;
  resources: Array<{ cloudHostId?: string; systemId?: string }>;
}

const FIELDS = ['externalId', 'kind', 'category', 'severity', 'occurredAt', 'title', 'detail', 'resources'] as const;
const RESOURCE_FIELDS = ['cloudHostId', 'systemId'] as const;
const MAX_RESOURCES = 100;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const chars = (s: string) => [...s].length;
const shown = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return chars(s) > 200 ? [...s].slice(0, 200).join('') : s;
};

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (Asia/Shanghai, no daylight saving) as an instant, or null when not a real time. */
export function parseBeijingDateTime(s: string): Date | null {
  const m = DATETIME.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || probe.getUTCHours() !== h || probe.getUTCMinutes() !== mi || probe.getUTCSeconds() !== se) return null;
  return new Date(probe.getTime() - 8 * 3600_000);
}

/** Checks pushed events field by field; pure. */
export function validateEvents(records: readonly unknown[]): { valid: ValidEvent[]; errors: RecordError[] } {
  const valid: ValidEvent[] = [];
  const errors: RecordError[] = [];
  records.forEach((rec, index) => {
    const errs: RecordError[] = [];
    const err = (field: string | null, value: unknown, rule: string, message: string) => errs.push({ index, field, value: shown(value), rule, message });
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      err(null, rec, 'not_object', `Event ${index} is not a JSON object`);
      errors.push(...errs);
      return;
    }
    const r = rec as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!(FIELDS as readonly string[]).includes(k)) err(k, null, 'unknown_field', `${k} is not a field of an event (fields: ${FIELDS.join(', ')})`);
    const text = (field: string, min: number, max: number, required: boolean): string | undefined => {
      const v = r[field];
      if (v === undefined || v === null || v === '') {
        if (required) err(field, v, 'required', `${field} is required`);
        return required ? undefined : '';
      }
      if (typeof v !== 'string') {
        err(field, v, 'type', `${field} must be a string`);
        return undefined;
      }
      const n = chars(v);
      if (n < min || n > max) {
        err(field, v, 'length', `${field} must be ${min}–${max} characters (has ${n})`);
        return undefined;
      }
      return v;
    };
    const oneOf = <T extends string>(field: string, allowed: readonly T[]): T | undefined => {
      const v = r[field];
      if (v === undefined || v === null || v === '') {
        err(field, v, 'required', `${field} is required`);
        return undefined;
      }
      if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
        err(field, v, 'code', `${field} must be one of ${allowed.join(', ')}`);
        return undefined;
      }
      return v as T;
    };
    const externalId = text('externalId', 1, 100, true);
    const kind = oneOf('kind', EVENT_KINDS);
    const category = text('category', 1, 50, true);
    const severity = oneOf('severity', EVENT_SEVERITIES);
    const title = text('title', 1, 200, true);
    const detail = text('detail', 0, 8000, false);
    let occurredAt: Date | null = null;
    const t = r.occurredAt;
    if (t === undefined || t === null || t === '') err('occurredAt', t, 'required', 'occurredAt is required');
    else if (typeof t !== 'string') err('occurredAt', t, 'type', 'occurredAt must be a string');
    else {
      occurredAt = parseBeijingDateTime(t);
      if (!occurredAt) err('occurredAt', t, 'datetime', 'occurredAt must be a real time written YYYY-MM-DD HH:mm:ss (Beijing time)');
    }
    const resources: ValidEvent['resources'] = [];
    const rv = r.resources;
    if (rv !== undefined && rv !== null) {
      if (!Array.isArray(rv)) err('resources', rv, 'type', 'resources must be an array of {cloudHostId?, systemId?}');
      else if (rv.length > MAX_RESOURCES) err('resources', null, 'length', `resources may list at most ${MAX_RESOURCES} items (has ${rv.length})`);
      else
        rv.forEach((item, i) => {
          const f = `resources[${i}]`;
          if (typeof item !== 'object' || item === null || Array.isArray(item)) return err(f, item, 'not_object', `${f} must be an object {cloudHostId?, systemId?}`);
          const o = item as Record<string, unknown>;
          const out: { cloudHostId?: string; systemId?: string } = {};
          for (const k of Object.keys(o)) {
            if (!(RESOURCE_FIELDS as readonly string[]).includes(k)) {
              err(`${f}.${k}`, null, 'unknown_field', `${k} is not a field of a resource (fields: cloudHostId, systemId)`);
              continue;
            }
            const v = o[k];
            if (typeof v !== 'string') err(`${f}.${k}`, v, 'type', `${f}.${k} must be a string`);
            else if (chars(v) < 1 || chars(v) > 100) err(`${f}.${k}`, v, 'length', `${f}.${k} must be 1–100 characters`);
            else out[k as 'cloudHostId' | 'systemId'] = v;
          }
          if (!('cloudHostId' in o) && !('systemId' in o)) err(f, item, 'required', `${f} must name a cloudHostId or a systemId`);
          resources.push(out);
        });
    }
    if (errs.length) {
      errors.push(...errs);
      return;
    }
    valid.push({ index, externalId: externalId!, kind: kind!, category: category!, severity: severity!, occurredAt: occurredAt!, title: title!, detail: detail ?? '', resources });
  });
  return { valid, errors };
}

/** The JSON body of a push: one event or an array of them. */
export function parseEventsBody(body: Buffer): unknown[] {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new AppError('validation', 'ingest.malformed_body', 'The request body is empty: send a JSON array of events (or one event object)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AppError('validation', 'ingest.malformed_body', `The request body is not valid JSON (UTF-8): ${(e as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) throw new AppError('validation', 'ingest.malformed_body', 'The array of events is empty');
  if (list.length > MAX_EVENTS_PER_PUSH) {
    throw new AppError('validation', 'ingest.too_many_records', `At most ${MAX_EVENTS_PER_PUSH} events per push (got ${list.length})`, { max: MAX_EVENTS_PER_PUSH, count: list.length });
  }
  return list;
}

export class ProviderEventService {
  constructor(private readonly db: Db) {}

  /** Stores the valid events of a verified provider's push for one of its nodes (already resolved). */
  async push(provider: VerifiedProvider, node: NodeFacts, body: Buffer, opts: { mode?: 'partial' | 'atomic'; requestId: string; ip: string | null }): Promise<EventPushResult> {
    const records = parseEventsBody(body);
    const { valid, errors } = validateEvents(records);
    const rejectedIdx = new Set(errors.map((e) => e.index));
    const base = { recordCount: records.length, rejected: rejectedIdx.size, errors };
    if (valid.length === 0 || (opts.mode === 'atomic' && errors.length > 0)) {
      return { status: 'rejected', ...base, rejected: records.length, accepted: 0, duplicates: 0, events: [] };
    }
    const ctx = systemContext(opts.requestId, opts.ip);
    const stored = await withTx(this.db, ctx, async (trx) => {
      const inserted = await trx
        .insertInto('providerEvents')
        .values(
          valid.map((v) => ({
            providerOrgId: provider.providerOrgId,
            nodeId: node.id,
            credentialId: provider.credentialId,
            externalId: v.externalId,
            kind: v.kind,
            category: v.category,
            severity: v.severity,
            occurredAt: v.occurredAt,
            title: v.title,
            detail: v.detail,
            resources: JSON.stringify(v.resources),
          })),
        )
        .onConflict((oc) => oc.columns(['providerOrgId', 'externalId']).doNothing())
        .returning(['id', 'externalId'])
        .execute();
      const all = await trx
        .selectFrom('providerEvents')
        .where('providerOrgId', '=', provider.providerOrgId)
        .where('externalId', '=', sql<string>`any(${sql.val([...new Set(valid.map((v) => v.externalId))])}::text[])`)
        .select(['id', 'externalId'])
        .execute();
      return { fresh: new Set(inserted.map((r) => r.id)), ids: new Map(all.map((r) => [r.externalId, r.id])) };
    });
    const events = valid.map((v, i) => {
      const id = stored.ids.get(v.externalId)!;
      // Within one push, the first event with an externalId is the one stored; later ones are duplicates of it.
      const firstInPush = valid.findIndex((w) => w.externalId === v.externalId) === i;
      return { index: v.index, externalId: v.externalId, id, duplicate: !(stored.fresh.has(id) && firstInPush) };
    });
    const accepted = events.filter((e) => !e.duplicate).length;
    return { status: errors.length ? 'partial' : 'accepted', ...base, accepted, duplicates: events.length - accepted, events };
  }

  /** Events the caller can see (a provider its own; the management unit and the supervision provider all), newest first. */
  async list(ctx: RequestContext, q: EventListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const query = filtered(eventsQuery(trx, ctx), q);
      const total = await query.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const rows = await query.orderBy('e.occurredAt', 'desc').orderBy('e.id').limit(pageSize).offset((page - 1) * pageSize).execute();
      return { items: rows.map(toEvent), total: Number(total.n), page, pageSize };
    });
  }

  /** The matching events as an .xlsx (at most EVENTS_EXPORT_MAX_ROWS; narrow the filter otherwise). The export is audited. */
  async exportXlsx(ctx: RequestContext, f: EventFilter): Promise<Buffer> {
    return withTx(this.db, ctx, async (trx) => {
      const query = filtered(eventsQuery(trx, ctx), f);
      const total = Number((await query.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      if (total > EVENTS_EXPORT_MAX_ROWS) {
        throw new AppError('validation', 'ingest.export_too_large', `${total} events match; at most ${EVENTS_EXPORT_MAX_ROWS} can be exported at once: narrow the filter`, { total, max: EVENTS_EXPORT_MAX_ROWS });
      }
      const rows = (await query.orderBy('e.occurredAt', 'desc').orderBy('e.id').execute()).map(toEvent);
      await recordAudit(trx, ctx, { action: 'provider_events.export', targetType: 'provider_event', details: { filter: f, rows: rows.length } });
      const wb = new ExcelJS.Workbook();
      wb.creator = 'Zhengyun 政云';
      const ws = wb.addWorksheet('变更与告警');
      ws.columns = EXPORT_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
      ws.getRow(1).font = { bold: true };
      ws.views = [{ state: 'frozen', ySplit: 1 }];
      for (const r of rows) ws.addRow(EXPORT_COLUMNS.map((c) => c.value(r)));
      return Buffer.from(await wb.xlsx.writeBuffer());
    });
  }

  /** The management unit acknowledges (处理确认) an event, with an optional note. Audited. */
  async acknowledge(ctx: RequestContext, id: string, note: string | null): Promise<ProviderEvent> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await eventsQuery(trx, ctx).where('e.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('provider_events', id);
      if (row.acknowledgedAt) throw new AppError('conflict', 'ingest.event_already_acknowledged', 'The event was already acknowledged', { acknowledgedAt: row.acknowledgedAt.toISOString() });
      await trx.updateTable('providerEvents').set({ acknowledgedAt: new Date(), acknowledgedBy: ctx.actor.userId, ackNote: note || null }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'provider_events.acknowledge', targetType: 'provider_event', targetId: id, after: { note: note || null } });
      return toEvent((await eventsQuery(trx, ctx).where('e.id', '=', id).executeTakeFirstOrThrow()));
    });
  }
}

function filtered(query: ReturnType<typeof eventsQuery>, q: EventFilter) {
  if (q.providerOrgId) query = query.where('e.providerOrgId', '=', q.providerOrgId);
  if (q.nodeId) query = query.where('e.nodeId', '=', q.nodeId);
  if (q.kind) query = query.where('e.kind', '=', q.kind);
  if (q.severity) query = query.where('e.severity', '=', q.severity);
  if (q.acknowledged === 'true') query = query.where('e.acknowledgedAt', 'is not', null);
  if (q.acknowledged === 'false') query = query.where('e.acknowledgedAt', 'is', null);
  if (q.from) query = query.where('e.occurredAt', '>=', new Date(q.from));
  if (q.to) query = query.where('e.occurredAt', '<', new Date(q.to));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('e.title', 'ilike', like), eb('e.category', 'ilike', like), eb('e.externalId', 'ilike', like)]));
  }
  return query;
}

function eventsQuery(trx: Tx, ctx: RequestContext) {
  const { scope } = ctx.actor;
  return trx
    .selectFrom('providerEvents as e')
    .innerJoin('organisations as o', 'o.id', 'e.providerOrgId')
    .innerJoin('cloudNodes as n', 'n.id', 'e.nodeId')
    .leftJoin('users as u', 'u.id', 'e.acknowledgedBy')
    .where(scope.all ? sql<boolean>`true` : sql<boolean>`o.path && ${sql.val([...scope.roots])}::uuid[]`)
    .selectAll('e')
    .select(['o.name as providerName', 'n.code as nodeCode', 'n.name as nodeName', 'u.username as acknowledgedByUsername']);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof eventsQuery>['executeTakeFirstOrThrow']>>;

function toEvent(r: EventRow): ProviderEvent {
  return {
    id: r.id,
    provider: { id: r.providerOrgId, name: r.providerName },
    node: { id: r.nodeId, code: r.nodeCode, name: r.nodeName },
    externalId: r.externalId,
    kind: r.kind as ProviderEvent['kind'],
    category: r.category,
    severity: r.severity as ProviderEvent['severity'],
    occurredAt: r.occurredAt.toISOString(),
    title: r.title,
    detail: r.detail,
    resources: (r.resources ?? []) as ProviderEvent['resources'],
    receivedAt: r.receivedAt.toISOString(),
    acknowledgedAt: r.acknowledgedAt ? r.acknowledgedAt.toISOString() : null,
    acknowledgedBy: r.acknowledgedBy && r.acknowledgedByUsername ? { id: r.acknowledgedBy, username: r.acknowledgedByUsername } : null,
    ackNote: r.ackNote,
  };
}

import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { forbidden, notFound, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { CHANNELS, CLOCK_CN, CLOCKS, KIND_CN, STATUS_CN, STATUSES, TICKET_KINDS } from './servicedesk.rules.js';

let jieba: Jieba | null = null;
/** Chinese segmentation for search (jieba, cut-for-search with HMM): 数据库审计 → 数据 据库 数据库 审计. */
export function segment(text: string): string {
  jieba ??= Jieba.withDict(dict);
  return jieba
    .cutForSearch(text.toLowerCase(), true)
    .map((w) => w.trim().replace(/[\s'&|!():*<>\\]/g, ''))
    .filter((w) => w.length > 0)
    .join(' ');
}

export interface Article { id: string; category: string; title: string; body: string; visibility: 'public' | 'providers' | 'internal'; version: number; status: string; updatedAt: string; rank: number | null; snippet: string | null }
export interface Announcement { id: string; kind: string; title: string; body: string; audience: string[]; validFrom: string; validTo: string | null; read: boolean; readCount: number | null }
export interface DictionaryTable { name: string; label: string; source: 'servicedesk' | 'ingestion'; values: Array<{ code: string; label: string }> }
/** The code tables of the data interface (ingestion's CodeTableService.list, same shape where used). */
export type CodeTableSource = (ctx: RequestContext) => Promise<{ tables: Array<{ name: string; values: Array<{ code: string; labelZh?: string; label?: string; name?: string }> }> }>;

/** Which visibilities an organisation kind reads: units public; providers public + providers; management side all. */
function visibilities(ctx: RequestContext): string[] {
  const k = ctx.actor.orgKind;
  if (ctx.actor.kind === 'system' || k === 'management_unit' || k === 'supervision_provider') return ['public', 'providers', 'internal'];
  if (k === 'cloud_provider') return ['public', 'providers'];
  return ['public'];
}

/**
 * Knowledge base (知识库) with categories, versions, visibility and Chinese full-text search (jieba tokens in a
 * 'simple' tsvector, title weighted A so title hits rank first); announcements (公告) with audience, validity and read
 * receipts; the dictionary (数据字典) of the platform's code tables.
 */
export class KnowledgeService {
  private codeTables: CodeTableSource | null = null;
  constructor(private readonly db: Db) {}

  /** Connects ingestion's code tables to the dictionary (container wiring). */
  setCodeTableSource(source: CodeTableSource): void {
    this.codeTables = source;
  }

  async createArticle(ctx: RequestContext, a: { category: string; title: string; body: string; visibility: 'public' | 'providers' | 'internal'; status: 'draft' | 'published' }): Promise<Article> {
    if (!hasPermission(ctx.actor, 'kb:write')) throw forbidden('servicedesk.kb_forbidden', 'writing articles needs kb:write');
    const id = await withTx(this.db, ctx, async (trx) => {
      const r = await sql<{ id: string }>`insert into sd_kb_articles (category, title, body, visibility, status, tsv, author_org_id, created_by)
        values (${a.category}, ${a.title}, ${a.body}, ${a.visibility}, ${a.status},
          setweight(to_tsvector('simple', ${segment(a.title)}), 'A') || setweight(to_tsvector('simple', ${segment(a.body)}), 'B'), ${ctx.actor.orgId}, ${ctx.actor.userId}) returning id`.execute(trx);
      const id = r.rows[0]!.id;
      await sql`insert into sd_kb_versions (article_id, version, title, body, edited_by) values (${id}, 1, ${a.title}, ${a.body}, ${ctx.actor.userId})`.execute(trx);
      await recordAudit(trx, ctx, { action: 'servicedesk.kb_create', targetType: 'kb_article', targetId: id, after: { title: a.title, category: a.category, visibility: a.visibility } });
      return id;
    });
    return this.getArticle(ctx, id);
  }

  /** A new version (the previous one is kept in sd_kb_versions). */
  async updateArticle(ctx: RequestContext, id: string, p: Partial<{ category: string; title: string; body: string; visibility: 'public' | 'providers' | 'internal'; status: 'draft' | 'published' | 'archived' }>): Promise<Article> {
    if (!hasPermission(ctx.actor, 'kb:write')) throw forbidden('servicedesk.kb_forbidden', 'writing articles needs kb:write');
    await withTx(this.db, ctx, async (trx) => {
      const cur = (await sql<{ title: string; body: string; category: string; visibility: string; status: string; version: number }>`select title, body, category, visibility, status, version from sd_kb_articles where id = ${id} and visibility = any(${visibilities(ctx)}) for update`.execute(trx)).rows[0];
      if (!cur) throw notFound('servicedesk.kb_article', id);
      const n = { ...cur, ...p };
      const version = cur.version + 1;
      await sql`update sd_kb_articles set category = ${n.category}, title = ${n.title}, body = ${n.body}, visibility = ${n.visibility}, status = ${n.status}, version = ${version}, updated_at = now(),
        tsv = setweight(to_tsvector('simple', ${segment(n.title)}), 'A') || setweight(to_tsvector('simple', ${segment(n.body)}), 'B') where id = ${id}`.execute(trx);
      await sql`insert into sd_kb_versions (article_id, version, title, body, edited_by) values (${id}, ${version}, ${n.title}, ${n.body}, ${ctx.actor.userId})`.execute(trx);
      await recordAudit(trx, ctx, { action: 'servicedesk.kb_update', targetType: 'kb_article', targetId: id, before: { version: cur.version }, after: { version, ...p, body: undefined } });
    });
    return this.getArticle(ctx, id);
  }

  async getArticle(ctx: RequestContext, id: string): Promise<Article> {
    return withTx(this.db, ctx, async (trx) => {
      const r = (await sql<Article>`select id, category, title, body, visibility, version, status, updated_at, null::real as rank, null::text as snippet
        from sd_kb_articles where id = ${id} and visibility = any(${visibilities(ctx)})`.execute(trx)).rows[0];
      if (!r) throw notFound('servicedesk.kb_article', id);
      return { ...r, updatedAt: new Date(r.updatedAt).toISOString() };
    });
  }

  /**
   * Search (published articles the caller may read): the query is segmented with jieba like the articles and matched
   * as an OR of its tokens (prefix match), ranked by ts_rank_cd with title weight A above body weight B.
   */
  async search(ctx: RequestContext, q: { q?: string; category?: string; page: number; pageSize: number }): Promise<{ items: Article[]; total: number }> {
    return withTx(this.db, ctx, async (trx) => {
      const tokens = q.q ? [...new Set(segment(q.q).split(' ').filter(Boolean))] : [];
      const query = tokens.length ? tokens.map((t) => `${t}:*`).join(' | ') : null;
      const conds = [sql`a.visibility = any(${visibilities(ctx)})`, sql`a.status = 'published'`];
      if (q.category) conds.push(sql`a.category = ${q.category}`);
      if (query) conds.push(sql`a.tsv @@ to_tsquery('simple', ${query})`);
      const where = sql.join(conds, sql` and `);
      const rank = query ? sql`ts_rank(a.tsv, to_tsquery('simple', ${query}), 1)` : sql`0`;
      const rows = (await sql<Article>`select a.id, a.category, a.title, a.body, a.visibility, a.version, a.status, a.updated_at, ${rank}::real as rank, left(a.body, 160) as snippet
        from sd_kb_articles a where ${where} order by ${query ? sql`rank desc,` : sql``} a.updated_at desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(trx)).rows;
      const total = Number((await sql<{ n: string }>`select count(*) as n from sd_kb_articles a where ${where}`.execute(trx)).rows[0]!.n);
      return { items: rows.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() })), total };
    });
  }

  // ---- announcements -----------------------------------------------------------------------------------------------

  async createAnnouncement(ctx: RequestContext, a: { kind: string; title: string; body: string; audience: string[]; validFrom: string; validTo?: string }): Promise<Announcement> {
    if (!hasPermission(ctx.actor, 'announcement:write')) throw forbidden('servicedesk.announcement_forbidden', 'publishing needs announcement:write');
    if (a.validTo && Date.parse(a.validTo) <= Date.parse(a.validFrom))
      throw validationError('servicedesk.announcement_validity', 'the end of validity must be after its start', [{ field: 'body.validTo', rule: 'after_valid_from', message: 'validTo must be after validFrom', value: a.validTo }]);
    const id = await withTx(this.db, ctx, async (trx) => {
      const r = await sql<{ id: string }>`insert into sd_announcements (kind, title, body, audience, valid_from, valid_to, created_by)
        values (${a.kind}, ${a.title}, ${a.body}, ${a.audience}::text[], ${new Date(a.validFrom)}, ${a.validTo ? new Date(a.validTo) : null}, ${ctx.actor.userId}) returning id`.execute(trx);
      await recordAudit(trx, ctx, { action: 'servicedesk.announcement_create', targetType: 'announcement', targetId: r.rows[0]!.id, after: { title: a.title, audience: a.audience } });
      return r.rows[0]!.id;
    });
    return (await this.announcements(ctx, { all: true })).find((x) => x.id === id)!;
  }

  /** Valid announcements addressed to the caller's organisation kind (all of them, with read counts, for writers). */
  async announcements(ctx: RequestContext, q: { all?: boolean } = {}): Promise<Announcement[]> {
    return withTx(this.db, ctx, async (trx) => {
      const writer = hasPermission(ctx.actor, 'announcement:write');
      const now = new Date();
      const conds = [sql`true`];
      if (!(q.all && writer)) {
        conds.push(sql`a.valid_from <= ${now} and (a.valid_to is null or a.valid_to > ${now})`);
        conds.push(sql`(cardinality(a.audience) = 0 or ${ctx.actor.orgKind ?? ''} = any(a.audience))`);
      }
      const rows = (await sql<{ id: string; kind: string; title: string; body: string; audience: string[]; validFrom: Date; validTo: Date | null; read: boolean; readCount: string | null }>`
        select a.id, a.kind, a.title, a.body, a.audience, a.valid_from, a.valid_to,
               exists (select 1 from sd_announcement_reads r where r.announcement_id = a.id and r.user_id = ${ctx.actor.userId}) as read,
               ${writer ? sql`(select count(*) from sd_announcement_reads r where r.announcement_id = a.id)` : sql`null`} as read_count
        from sd_announcements a where ${sql.join(conds, sql` and `)} order by a.valid_from desc limit 200`.execute(trx)).rows;
      return rows.map((r) => ({ ...r, validFrom: r.validFrom.toISOString(), validTo: r.validTo ? r.validTo.toISOString() : null, readCount: r.readCount === null ? null : Number(r.readCount) }));
    });
  }

  /** Read receipt (已读回执), once per person. */
  async markRead(ctx: RequestContext, id: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      const ok = (await sql`select 1 from sd_announcements where id = ${id}`.execute(trx)).rows.length;
      if (!ok || !ctx.actor.userId) throw notFound('servicedesk.announcement', id);
      await sql`insert into sd_announcement_reads (announcement_id, user_id) values (${id}, ${ctx.actor.userId}) on conflict do nothing`.execute(trx);
    });
  }

  // ---- dictionary --------------------------------------------------------------------------------------------------

  /** 数据字典: the ticket code tables of this module and the data interface's code tables (read-only view). */
  async dictionary(ctx: RequestContext): Promise<DictionaryTable[]> {
    const own: DictionaryTable[] = [
      { name: 'ticketKind', label: '工单类型', source: 'servicedesk', values: TICKET_KINDS.map((c) => ({ code: c, label: KIND_CN[c] })) },
      { name: 'ticketStatus', label: '工单状态', source: 'servicedesk', values: STATUSES.map((c) => ({ code: c, label: STATUS_CN[c] })) },
      { name: 'ticketChannel', label: '工单来源渠道', source: 'servicedesk', values: CHANNELS.map((c) => ({ code: c, label: ({ portal: '门户', phone: '电话', email: '邮件', alert: '告警', outage: '拨测中断', api: '接口' } as const)[c] })) },
      { name: 'ticketPriority', label: '优先级', source: 'servicedesk', values: [['1', '紧急'], ['2', '高'], ['3', '中'], ['4', '低']].map(([code, label]) => ({ code: code!, label: label! })) },
      { name: 'slaClock', label: '服务时限', source: 'servicedesk', values: CLOCKS.map((c) => ({ code: c, label: CLOCK_CN[c] })) },
    ];
    const grades = await withTx(this.db, ctx, async (trx) => (await sql<{ code: string; name: string }>`select code, name from sd_event_grades order by rank`.execute(trx)).rows);
    own.push({ name: 'eventGrade', label: '事件等级', source: 'servicedesk', values: grades.map((g) => ({ code: g.code, label: g.name })) });
    if (this.codeTables) {
      try {
        const { tables } = await this.codeTables(ctx);
        for (const t of tables) own.push({ name: t.name, label: t.name, source: 'ingestion', values: t.values.map((v) => ({ code: v.code, label: v.labelZh ?? v.label ?? v.name ?? v.code })) });
      } catch {
        // The caller may not read the data interface's code tables: only the service desk's are shown.
      }
    }
    return own;
  }
}

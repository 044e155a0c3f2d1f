import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';

/** The object kinds an alert rule or a maintenance window may be scoped to (everything, `all`, names no object). */
export type ScopeObjectKind = 'host' | 'system' | 'unit' | 'provider' | 'node';

/** One object the caller may name as a scope, with its Chinese name (a host: name and IP). */
export interface ScopeObject {
  kind: ScopeObjectKind;
  id: string;
  /** What the picker shows: host name + IP, system name, unit, provider or node name. */
  label: string;
  /** Where it belongs (a host's system and unit, a system's unit, a node's provider), null when nothing to add. */
  detail: string | null;
}

export interface ScopeQuery {
  kind: ScopeObjectKind;
  /** Part of the name (a host also its IP or cloud host ID, a system its number, a node its code). */
  keyword?: string;
  /** These objects only (the names of a saved rule's scope); objects the caller may not see are absent. */
  ids?: readonly string[];
  limit?: number;
}

const like = (k: string) => `%${k.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Scope objects for the 告警规则 / 维护窗口 pickers. Every read runs in the caller's transaction scope (RLS), so the
 * list is what `checkRule` accepts: a unit its own systems' hosts, its systems and itself; a provider the hosts,
 * systems and nodes it runs and itself; management and supervision everything. The three administrators (no business
 * access) see no host and no system.
 */
export class MonitoringScopes {
  constructor(private readonly db: Db) {}

  async search(ctx: RequestContext, q: ScopeQuery): Promise<ScopeObject[]> {
    const limit = Math.min(Math.max(q.limit ?? 20, 1), 100);
    const kw = q.keyword?.trim() ? like(q.keyword.trim()) : null;
    const ids = q.ids && q.ids.length > 0 ? [...new Set(q.ids)] : null;
    const idFilter = (col: string) => (ids ? sql`and ${sql.ref(col)} = any(${ids}::uuid[])` : sql``);
    return withTx(this.db, ctx, async (trx) => {
      const db = trx.withoutPlugins();
      type Row = { id: string; label: string; detail: string | null };
      let rows: Row[];
      switch (q.kind) {
        case 'host':
          rows = (await sql<Row>`
            select r.id, r.name || coalesce(' ' || nullif(r.attributes->>'internalIp', ''), '') as label,
                   nullif(concat_ws(' · ', s.name, u.name), '') as detail
            from inventory_resources r
            left join information_systems s on s.id = r.system_id
            left join organisations u on u.id = r.unit_org_id
            where r.kind = 'cloud_host' ${ids ? sql`` : sql`and r.status = 'active'`} ${idFilter('r.id')}
              ${kw ? sql`and (r.name ilike ${kw} or r.natural_key ilike ${kw} or r.attributes->>'internalIp' ilike ${kw})` : sql``}
            order by r.name, r.id limit ${limit}`.execute(db)).rows;
          break;
        case 'system':
          rows = (await sql<Row>`
            select s.id, s.name as label, nullif(concat_ws(' · ', s.system_no, u.name), '') as detail
            from information_systems s left join organisations u on u.id = s.unit_id
            where true ${idFilter('s.id')} ${kw ? sql`and (s.name ilike ${kw} or s.system_no ilike ${kw})` : sql``}
            order by s.name, s.id limit ${limit}`.execute(db)).rows;
          break;
        case 'unit':
        case 'provider':
          rows = (await sql<Row>`
            select o.id, o.name as label, o.short_name as detail from organisations o
            where o.kind = ${q.kind === 'unit' ? 'user_unit' : 'cloud_provider'} ${idFilter('o.id')}
              ${kw ? sql`and (o.name ilike ${kw} or o.short_name ilike ${kw} or o.code ilike ${kw})` : sql``}
            order by o.name, o.id limit ${limit}`.execute(db)).rows;
          break;
        case 'node':
          // cloud_nodes carries no RLS (public directory): a node counts as visible through its provider, as checkRule does.
          rows = (await sql<Row>`
            select n.id, n.name as label, p.name as detail from cloud_nodes n left join organisations p on p.id = n.provider_org_id
            where (${ctx.actor.scope.all} or p.id is not null) ${idFilter('n.id')}
              ${kw ? sql`and (n.name ilike ${kw} or n.code ilike ${kw})` : sql``}
            order by n.name, n.id limit ${limit}`.execute(db)).rows;
          break;
      }
      return rows.map((r) => ({ kind: q.kind, id: r.id, label: r.label, detail: r.detail }));
    });
  }
}

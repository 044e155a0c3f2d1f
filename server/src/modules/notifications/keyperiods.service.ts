import { sql, type Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type DB, type Db, type Executor, type Tx } from '../../platform/db/database.js';
import { notFound, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { KeyPeriod, KeyPeriodInput } from './notifications.schemas.js';
import type { NotificationService } from './notifications.service.js';

type Row = Selectable<DB['keyGuaranteePeriods']>;

const toPeriod = (r: Row, now = new Date()): KeyPeriod => ({
  id: r.id,
  name: r.name,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
  scope: r.scope as KeyPeriod['scope'],
  nodeIds: r.nodeIds,
  description: r.description,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  state: now < r.startsAt ? 'upcoming' : now < r.endsAt ? 'active' : 'ended',
});

const fmt = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/**
 * Is `at` inside a key-guarantee period (重保期)? With a node: a period for every node or one naming that node;
 * without: only periods for every node. Read in the given executor (the caller's transaction, or the pool).
 */
export async function isKeyPeriod(executor: Executor, at: Date, nodeId?: string | null): Promise<boolean> {
  return (await activePeriods(executor, at, nodeId)).length > 0;
}

async function activePeriods(executor: Executor, at: Date, nodeId?: string | null): Promise<Row[]> {
  let q = executor.selectFrom('keyGuaranteePeriods').selectAll().where('startsAt', '<=', at).where('endsAt', '>', at);
  q = nodeId ? q.where((eb) => eb.or([eb('scope', '=', 'all'), sql<boolean>`${nodeId}::uuid = any(node_ids)`])) : q.where('scope', '=', 'all');
  return q.orderBy('startsAt').execute();
}

/** 重保期 declared by the management unit: CRUD (keyperiod:write), reads for everyone signed in (keyperiod:read). */
export class KeyPeriodService {
  constructor(
    private readonly db: Db,
    private readonly notifications: NotificationService,
  ) {}

  /** See the function `isKeyPeriod`; without `executor` reads through the pool (public reference data). */
  isKeyPeriod(at: Date, nodeId?: string | null, executor?: Executor): Promise<boolean> {
    return isKeyPeriod(executor ?? this.db, at, nodeId);
  }

  list(ctx: RequestContext, state?: KeyPeriod['state']): Promise<KeyPeriod[]> {
    return withTx(this.db, ctx, async (trx) => {
      const now = new Date();
      let q = trx.selectFrom('keyGuaranteePeriods').selectAll();
      if (state === 'upcoming') q = q.where('startsAt', '>', now);
      if (state === 'active') q = q.where('startsAt', '<=', now).where('endsAt', '>', now);
      if (state === 'ended') q = q.where('endsAt', '<=', now);
      const rows = await q.orderBy('startsAt', 'desc').limit(500).execute();
      return rows.map((r) => toPeriod(r, now));
    });
  }

  check(ctx: RequestContext, at: Date, nodeId: string | null): Promise<{ at: Date; nodeId: string | null; keyPeriod: boolean; periods: KeyPeriod[] }> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await activePeriods(trx, at, nodeId);
      return { at, nodeId, keyPeriod: rows.length > 0, periods: rows.map((r) => toPeriod(r)) };
    });
  }

  get(ctx: RequestContext, id: string): Promise<KeyPeriod> {
    return withTx(this.db, ctx, async (trx) => toPeriod(await this.row(trx, id)));
  }

  /** Declares a period and notifies the cloud providers concerned (all, or those running the named nodes). */
  create(ctx: RequestContext, input: KeyPeriodInput): Promise<KeyPeriod> {
    return withTx(this.db, ctx, async (trx) => {
      await this.checkNodes(trx, input);
      const row = await trx
        .insertInto('keyGuaranteePeriods')
        .values({ name: input.name, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), scope: input.scope, nodeIds: input.nodeIds, description: input.description ?? null, createdBy: ctx.actor.userId, updatedBy: ctx.actor.userId })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'keyperiod.create', targetType: 'key_guarantee_period', targetId: row.id, details: { name: row.name, startsAt: row.startsAt, endsAt: row.endsAt, scope: row.scope, nodeIds: row.nodeIds } });
      await this.announce(trx, row, '重保期通知');
      return toPeriod(row);
    });
  }

  update(ctx: RequestContext, id: string, input: KeyPeriodInput): Promise<KeyPeriod> {
    return withTx(this.db, ctx, async (trx) => {
      const before = await this.row(trx, id);
      await this.checkNodes(trx, input);
      const row = await trx
        .updateTable('keyGuaranteePeriods')
        .set({ name: input.name, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), scope: input.scope, nodeIds: input.nodeIds, description: input.description ?? null, updatedBy: ctx.actor.userId, updatedAt: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'keyperiod.update', targetType: 'key_guarantee_period', targetId: id, details: { before: { startsAt: before.startsAt, endsAt: before.endsAt, scope: before.scope, nodeIds: before.nodeIds }, after: { startsAt: row.startsAt, endsAt: row.endsAt, scope: row.scope, nodeIds: row.nodeIds } } });
      await this.announce(trx, row, '重保期变更');
      return toPeriod(row);
    });
  }

  remove(ctx: RequestContext, id: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await this.row(trx, id);
      await trx.deleteFrom('keyGuaranteePeriods').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'keyperiod.delete', targetType: 'key_guarantee_period', targetId: id, details: { name: row.name } });
      if (row.endsAt > new Date()) await this.announce(trx, row, '重保期取消');
    });
  }

  /**
   * Demo city: one upcoming period for every node (next Monday 00:00 for two weeks, Beijing time), announced to the
   * providers. Does nothing when any period exists. Call after the demo's organisations and users exist.
   */
  async seedDemo(ctx: RequestContext, now: Date = new Date()): Promise<KeyPeriod | null> {
    const exists = await withTx(this.db, ctx, (trx) => trx.selectFrom('keyGuaranteePeriods').select('id').limit(1).executeTakeFirst());
    if (exists) return null;
    const local = new Date(now.getTime() + 8 * 3_600_000);
    const daysToMonday = ((8 - local.getUTCDay()) % 7) || 7;
    const start = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + daysToMonday) - 8 * 3_600_000);
    const end = new Date(start.getTime() + 14 * 86_400_000);
    return this.create(ctx, { name: '重大活动保障期（演示）', startsAt: start.toISOString(), endsAt: end.toISOString(), scope: 'all', nodeIds: [], description: '演示数据：重保期内资源调整须在 2 小时内完成。' });
  }

  private async row(trx: Tx, id: string): Promise<Row> {
    const row = await trx.selectFrom('keyGuaranteePeriods').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('key_guarantee_period', id);
    return row;
  }

  private async checkNodes(trx: Tx, input: KeyPeriodInput): Promise<void> {
    if (!input.nodeIds.length) return;
    const found = new Set((await trx.selectFrom('cloudNodes').select('id').where('id', 'in', input.nodeIds).execute()).map((r) => r.id));
    const missing = input.nodeIds.map((id, i) => ({ id, i })).filter((x) => !found.has(x.id));
    if (missing.length) {
      throw validationError('keyperiod.unknown_node', 'A node of the period does not exist', missing.map((m) => ({ field: `body.nodeIds.${m.i}`, rule: 'known_node', message: 'no such cloud node', value: m.id })));
    }
  }

  /** Tells the cloud providers concerned (their administrators and staff). */
  private async announce(trx: Tx, row: Row, what: string): Promise<void> {
    let providerIds: string[] | null = null;
    if (row.scope === 'nodes') {
      const nodes = await trx.selectFrom('cloudNodes').select(['providerOrgId', 'name']).where('id', 'in', row.nodeIds).execute();
      providerIds = [...new Set(nodes.map((n) => n.providerOrgId).filter((p): p is string => !!p))];
      if (!providerIds.length) return;
    }
    const nodesText = row.scope === 'all' ? '全部云节点' : '指定云节点';
    await this.notifications.notify(trx, {
      recipients: { roleCodes: ['provider_admin', 'provider_staff'], orgKinds: ['cloud_provider'], ...(providerIds ? { orgIds: providerIds } : {}) },
      kind: 'keyperiod.declared',
      severity: 'warning',
      title: `${what}：${row.name}`,
      body: `${fmt(row.startsAt)} 至 ${fmt(row.endsAt)}（${nodesText}）为重保期，期间资源调整须在 2 小时内完成。${row.description ? `\n${row.description}` : ''}`,
      link: '/key-periods',
    });
  }
}

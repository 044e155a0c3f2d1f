/**
 * 临时扩容 — the free short-term expansion of cloud resources (seed 004 §4.1.2.2(3), §六 4: "短期内提供免费的云资源扩展
 * 服务（不超过原有资源的 20%）"). Recorded by the provider (its own) or the management unit / supervision against a
 * unit's original resources at that provider: per resource the expansions in force at any moment of a new one's period
 * may add up to at most 20 % of the original amount. Never billed (metering does not read this table).
 *
 * "Original resources" = the unit's active inventory quantities at the provider (InventoryService.summary grouped by
 * unit), taken when the expansion is recorded and kept with it (`original_amount`).
 */
import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import type { InventoryService } from '../inventory/index.js';

export const EXPANSION_RESOURCES = ['cpuCores', 'memoryGb', 'standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'localVideoStorageGb', 'offsiteStorageGb', 'bandwidthMbps'] as const;
export type ExpansionResource = (typeof EXPANSION_RESOURCES)[number];
/** At most this share of the original resource (seed 004: 不超过原有资源的 20%). */
export const EXPANSION_MAX_SHARE = '0.2';
/** "短期": a period of at most this many days (the seeds give no figure; 90 days is this platform's reading). */
export const EXPANSION_MAX_DAYS = 90;

export interface ExpansionInput {
  unitOrgId: string;
  /** The provider granting it; a provider's own staff may leave it out (their organisation). */
  providerOrgId?: string | null;
  systemId?: string | null;
  resourceKey: ExpansionResource;
  /** Decimal text, at most 2 decimals, > 0 (in the resource's unit: cores, GB, Mbps). */
  amount: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
}

export type ExpansionState = 'planned' | 'active' | 'ended' | 'cancelled';

export interface Expansion {
  id: string;
  unitOrgId: string;
  unitName: string | null;
  providerOrgId: string;
  providerName: string | null;
  systemId: string | null;
  systemName: string | null;
  resourceKey: ExpansionResource;
  amount: string;
  originalAmount: string;
  /** amount ÷ original, percent with 2 decimals. */
  percent: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  state: ExpansionState;
  createdAt: string;
  cancelledAt: string | null;
  abilities: { cancel: boolean };
}

/** Per resource of a unit at a provider: the original amount, the most in force at once in [from, to), what is left. */
export interface ExpansionAllowance {
  resourceKey: ExpansionResource;
  original: string;
  limit: string;
  inForce: string;
  remaining: string;
}

interface Row {
  id: string; unit_org_id: string; unit_name: string | null; provider_org_id: string; provider_name: string | null; system_id: string | null; system_name: string | null;
  resource_key: ExpansionResource; amount: string; original_amount: string; starts_at: Date; ends_at: Date; reason: string; created_at: Date; cancelled_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AMOUNT = /^\d{1,14}(\.\d{1,2})?$/;
const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

function stateOf(r: { starts_at: Date; ends_at: Date; cancelled_at: Date | null }, now: number): ExpansionState {
  if (r.cancelled_at) return 'cancelled';
  if (new Date(r.ends_at).getTime() <= now) return 'ended';
  return new Date(r.starts_at).getTime() <= now ? 'active' : 'planned';
}

const SELECT = sql`
  select e.id, e.unit_org_id, u.name as unit_name, e.provider_org_id, zy_provider_name(e.provider_org_id) as provider_name, e.system_id, sy.name as system_name,
         e.resource_key, e.amount::text as amount, e.original_amount::text as original_amount, e.starts_at, e.ends_at, e.reason, e.created_at, e.cancelled_at
  from monitoring_expansions e
  left join organisations u on u.id = e.unit_org_id
  left join information_systems sy on sy.id = e.system_id`;

/**
 * The largest sum of amounts in force at one moment among the given periods, within [from, to): a sweep over the
 * periods' starts and ends (an end at t frees before a start at t takes).
 */
export function peakInForce(list: ReadonlyArray<{ startsAt: number; endsAt: number; amount: Dec }>, from: number, to: number): Dec {
  const ev: Array<{ t: number; d: Dec }> = [];
  for (const x of list) {
    const s = Math.max(x.startsAt, from);
    const e = Math.min(x.endsAt, to);
    if (s >= e) continue;
    ev.push({ t: s, d: x.amount }, { t: e, d: x.amount.negated() });
  }
  ev.sort((a, b) => a.t - b.t || a.d.comparedTo(b.d));
  let cur = new Dec(0);
  let peak = new Dec(0);
  for (const x of ev) {
    cur = cur.plus(x.d);
    if (cur.greaterThan(peak)) peak = cur;
  }
  return peak;
}

export class TemporaryExpansions {
  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
  ) {}

  private toExpansion(r: Row, ctx: RequestContext, now: number): Expansion {
    const original = new Dec(r.original_amount);
    const mine = ctx.actor.scope.all || r.provider_org_id === ctx.actor.orgId;
    const canManage = (ctx.actor.kind === 'system' || ctx.actor.permissions.has('monitoring:manage')) && mine;
    const state = stateOf(r, now);
    return {
      id: r.id, unitOrgId: r.unit_org_id, unitName: r.unit_name, providerOrgId: r.provider_org_id, providerName: r.provider_name, systemId: r.system_id, systemName: r.system_name,
      resourceKey: r.resource_key, amount: new Dec(r.amount).toFixed(2), originalAmount: original.toFixed(2),
      percent: original.isZero() ? '0.00' : new Dec(r.amount).div(original).times(100).toFixed(2),
      startsAt: iso(r.starts_at)!, endsAt: iso(r.ends_at)!, reason: r.reason, state, createdAt: iso(r.created_at)!, cancelledAt: iso(r.cancelled_at),
      abilities: { cancel: canManage && (state === 'planned' || state === 'active') },
    };
  }

  async list(ctx: RequestContext, q: { unitId?: string; providerId?: string; state?: ExpansionState; now?: Date } = {}): Promise<Expansion[]> {
    const now = (q.now ?? new Date()).getTime();
    return withTx(this.db, ctx, async (trx) => {
      const rows = await sql<Row>`${SELECT}
        where true
          ${q.unitId ? sql`and e.unit_org_id = ${q.unitId}::uuid` : sql``}
          ${q.providerId ? sql`and e.provider_org_id = ${q.providerId}::uuid` : sql``}
        order by e.starts_at desc, e.id limit 1000`.execute(trx.withoutPlugins());
      return rows.rows.map((r) => this.toExpansion(r, ctx, now)).filter((x) => !q.state || x.state === q.state);
    });
  }

  /** The unit's original quantities at the provider, per resource key, as the caller's scope sees the inventory. */
  private async originals(ctx: RequestContext, unitOrgId: string, providerOrgId: string): Promise<Map<ExpansionResource, Dec>> {
    const s = await this.inventory.summary(ctx, { groupBy: 'unit', unitOrgId, providerOrgId });
    const g = s.groups.find((x) => x.id === unitOrgId);
    const out = new Map<ExpansionResource, Dec>();
    for (const k of EXPANSION_RESOURCES) out.set(k, new Dec(g?.quantities[k] ?? 0));
    return out;
  }

  private providerOf(ctx: RequestContext, given: string | null | undefined): string {
    // A provider records (and reads the allowance of) its own resources only; everyone else names the provider.
    if (!ctx.actor.scope.all && ctx.actor.orgKind === 'cloud_provider' && ctx.actor.orgId) {
      if (given && given !== ctx.actor.orgId) throw validationError('monitoring.invalid_expansion', 'The expansion is not valid', [{ field: 'body.providerOrgId', rule: 'own_provider', message: 'A provider records expansions of its own resources only', value: given }]);
      return ctx.actor.orgId;
    }
    if (!given) throw validationError('monitoring.invalid_expansion', 'The expansion is not valid', [{ field: 'body.providerOrgId', rule: 'required', message: 'Name the cloud provider granting the expansion' }]);
    return given;
  }

  /** Per resource: original, the 20 % limit, the most in force at once in [from, to) and what is left. */
  async allowance(ctx: RequestContext, q: { unitOrgId: string; providerOrgId?: string | null; from?: Date; to?: Date }): Promise<{ unitOrgId: string; providerOrgId: string; from: string; to: string; items: ExpansionAllowance[] }> {
    const providerOrgId = this.providerOf(ctx, q.providerOrgId);
    const from = q.from ?? new Date();
    const to = q.to ?? new Date(from.getTime() + 30 * 86_400_000);
    const originals = await this.originals(ctx, q.unitOrgId, providerOrgId);
    return withTx(this.db, ctx, async (trx) => {
      const rows = await this.inForce(trx, q.unitOrgId, providerOrgId, null, from, to);
      return {
        unitOrgId: q.unitOrgId, providerOrgId, from: from.toISOString(), to: to.toISOString(),
        items: EXPANSION_RESOURCES.map((k) => {
          const original = originals.get(k)!;
          const limit = original.times(EXPANSION_MAX_SHARE).toDecimalPlaces(2, Dec.ROUND_DOWN);
          const inForce = peakInForce(rows.filter((r) => r.key === k), from.getTime(), to.getTime());
          const remaining = Dec.max(limit.minus(inForce), 0);
          return { resourceKey: k, original: original.toFixed(2), limit: limit.toFixed(2), inForce: inForce.toFixed(2), remaining: remaining.toFixed(2) };
        }),
      };
    });
  }

  private async inForce(trx: Tx, unitOrgId: string, providerOrgId: string, key: ExpansionResource | null, from: Date, to: Date) {
    const r = await sql<{ resource_key: ExpansionResource; amount: string; starts_at: Date; ends_at: Date }>`
      select resource_key, amount::text as amount, starts_at, ends_at from monitoring_expansions
      where unit_org_id = ${unitOrgId}::uuid and provider_org_id = ${providerOrgId}::uuid and cancelled_at is null
        ${key ? sql`and resource_key = ${key}` : sql``} and starts_at < ${to} and ends_at > ${from}`.execute(trx.withoutPlugins());
    return r.rows.map((x) => ({ key: x.resource_key, amount: new Dec(x.amount), startsAt: new Date(x.starts_at).getTime(), endsAt: new Date(x.ends_at).getTime() }));
  }

  /**
   * Records an expansion. Refused with the field and rule: `after_start` (ends after it starts), `not_past` (ends in
   * the future), `short_term` (at most 90 days), `decimal_2` / `positive` (amount), `has_original` (the unit has this
   * resource at the provider), `max_20_percent` (with what is in force in the period, at most 20 % of the original),
   * `unit_system` (the system is the unit's), `own_provider`.
   */
  async create(ctx: RequestContext, input: ExpansionInput, now = new Date()): Promise<Expansion> {
    const issues: FieldIssue[] = [];
    if (!UUID.test(input.unitOrgId)) issues.push({ field: 'body.unitOrgId', rule: 'uuid', message: 'The unit is an organisation id', value: input.unitOrgId });
    if (!AMOUNT.test(input.amount)) issues.push({ field: 'body.amount', rule: 'decimal_2', message: 'A decimal number with at most 2 decimals', value: input.amount });
    else if (new Dec(input.amount).lte(0)) issues.push({ field: 'body.amount', rule: 'positive', message: 'The amount is more than 0', value: input.amount });
    if (!(input.endsAt > input.startsAt)) issues.push({ field: 'body.endsAt', rule: 'after_start', message: 'endsAt > startsAt', value: input.endsAt.toISOString() });
    else if (input.endsAt.getTime() - input.startsAt.getTime() > EXPANSION_MAX_DAYS * 86_400_000) issues.push({ field: 'body.endsAt', rule: 'short_term', message: `A short-term expansion lasts at most ${EXPANSION_MAX_DAYS} days`, value: input.endsAt.toISOString() });
    if (input.endsAt <= now) issues.push({ field: 'body.endsAt', rule: 'not_past', message: 'The expansion ends in the future', value: input.endsAt.toISOString() });
    if (issues.length > 0) throw validationError('monitoring.invalid_expansion', 'The expansion is not valid', issues);
    const providerOrgId = this.providerOf(ctx, input.providerOrgId);
    const original = (await this.originals(ctx, input.unitOrgId, providerOrgId)).get(input.resourceKey)!;
    if (original.lte(0)) {
      throw validationError('monitoring.invalid_expansion', 'The unit has none of this resource at the provider', [
        { field: 'body.resourceKey', rule: 'has_original', message: 'The unit has no original resources of this kind at this provider (inventory) to expand', value: input.resourceKey },
      ]);
    }
    const amount = new Dec(input.amount);
    return withTx(this.db, ctx, async (trx) => {
      const db = trx.withoutPlugins();
      // One writer per unit × provider × resource at a time: the check and the insert see the same expansions.
      await sql`select pg_advisory_xact_lock(hashtext('monitoring.expansion'), hashtext(${`${input.unitOrgId}|${providerOrgId}|${input.resourceKey}`}))`.execute(db);
      if (input.systemId) {
        const s = await sql<{ unit_id: string }>`select unit_id from information_systems where id = ${input.systemId}::uuid`.execute(db);
        if (s.rows[0]?.unit_id !== input.unitOrgId) throw validationError('monitoring.invalid_expansion', 'The expansion is not valid', [{ field: 'body.systemId', rule: 'unit_system', message: "The information system is one of the unit's", value: input.systemId }]);
      }
      const limit = original.times(EXPANSION_MAX_SHARE).toDecimalPlaces(2, Dec.ROUND_DOWN);
      const others = await this.inForce(trx, input.unitOrgId, providerOrgId, input.resourceKey, input.startsAt, input.endsAt);
      const peak = peakInForce([...others, { startsAt: input.startsAt.getTime(), endsAt: input.endsAt.getTime(), amount }], input.startsAt.getTime(), input.endsAt.getTime());
      if (peak.greaterThan(limit)) {
        const left = Dec.max(limit.minus(peakInForce(others, input.startsAt.getTime(), input.endsAt.getTime())), 0);
        throw validationError('monitoring.invalid_expansion', 'The expansion is more than 20 % of the original resources', [
          { field: 'body.amount', rule: 'max_20_percent', message: `At most 20 % of the original ${original.toFixed(2)} (${limit.toFixed(2)}) may be in force at once; ${left.toFixed(2)} is left in this period`, value: input.amount },
        ]);
      }
      const ins = await sql<{ id: string }>`
        insert into monitoring_expansions (unit_org_id, provider_org_id, system_id, resource_key, amount, original_amount, starts_at, ends_at, reason, created_by)
        values (${input.unitOrgId}::uuid, ${providerOrgId}::uuid, ${input.systemId ?? null}::uuid, ${input.resourceKey}, ${amount.toFixed(2)}::numeric, ${original.toFixed(2)}::numeric,
                ${input.startsAt}, ${input.endsAt}, ${input.reason}, ${ctx.actor.userId})
        returning id`.execute(db);
      const id = ins.rows[0]!.id;
      const row = (await sql<Row>`${SELECT} where e.id = ${id}::uuid`.execute(db)).rows[0]!;
      const out = this.toExpansion(row, ctx, now.getTime());
      await recordAudit(trx, ctx, { action: 'monitoring.expansion_create', targetType: 'monitoring_expansion', targetId: id, after: { unitOrgId: out.unitOrgId, providerOrgId, systemId: out.systemId, resourceKey: out.resourceKey, amount: out.amount, originalAmount: out.originalAmount, startsAt: out.startsAt, endsAt: out.endsAt, reason: out.reason } });
      return out;
    });
  }

  /** Cancels a planned or running expansion (it no longer counts against the 20 %). Ended or cancelled: 409; another tenant's: 404. */
  async cancel(ctx: RequestContext, id: string, now = new Date()): Promise<Expansion> {
    if (!UUID.test(id)) throw notFound('monitoring.expansion', id);
    return withTx(this.db, ctx, async (trx) => {
      const db = trx.withoutPlugins();
      const before = (await sql<Row>`${SELECT} where e.id = ${id}::uuid`.execute(db)).rows[0];
      if (!before) throw notFound('monitoring.expansion', id);
      const b = this.toExpansion(before, ctx, now.getTime());
      if (!ctx.actor.scope.all && before.provider_org_id !== ctx.actor.orgId) throw notFound('monitoring.expansion', id);
      if (b.state === 'cancelled') throw new AppError('conflict', 'monitoring.expansion_cancelled', 'The expansion was cancelled', { id });
      if (b.state === 'ended') throw new AppError('conflict', 'monitoring.expansion_ended', 'The expansion has ended', { id });
      await sql`update monitoring_expansions set cancelled_at = ${now}, cancelled_by = ${ctx.actor.userId} where id = ${id}::uuid`.execute(db);
      const row = (await sql<Row>`${SELECT} where e.id = ${id}::uuid`.execute(db)).rows[0]!;
      await recordAudit(trx, ctx, { action: 'monitoring.expansion_cancel', targetType: 'monitoring_expansion', targetId: id, before: { state: b.state }, after: { state: 'cancelled' } });
      return this.toExpansion(row, ctx, now.getTime());
    });
  }
}

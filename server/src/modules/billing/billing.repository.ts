import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.js';
import type { UsageLine } from './billing.mapping.js';

/** Raw SQL of the billing module (its own tables, plus read-only joins on the inventory and price lists). */

export interface ActiveResource {
  id: string;
  kind: string;
  providerOrgId: string;
  nodeId: string;
  unitOrgId: string | null;
  systemId: string | null;
  systemNo: string | null;
  quantities: Record<string, unknown>;
}

export async function lockedBillCount(trx: Tx, month: string): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from billing_bills where month = ${month}::date and status = 'locked'`.execute(trx);
  return Number(r.rows[0]!.n);
}

/** Resources in force on `day`: created on or before it, not deleted on or before it. Physical devices excluded. */
export async function activeResources(trx: Tx, day: string): Promise<ActiveResource[]> {
  const r = await sql<ActiveResource>`
    select id, kind, provider_org_id as "providerOrgId", node_id as "nodeId", unit_org_id as "unitOrgId",
           system_id as "systemId", system_no as "systemNo", quantities
      from inventory_resources
     where kind <> 'physical_device' and created_date <= ${day}::date and (deleted_date is null or deleted_date > ${day}::date)`.execute(trx);
  return r.rows;
}

export interface UsageRow extends UsageLine {
  resource: ActiveResource;
}

export async function replaceDayUsage(trx: Tx, day: string, rows: UsageRow[]): Promise<void> {
  await sql`delete from billing_usage where month = date_trunc('month', ${day}::date)::date and day = ${day}::date`.execute(trx);
  const CHUNK = 20_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const col = <T>(f: (r: UsageRow) => T) => part.map(f);
    await sql`
      insert into billing_usage (day, month, resource_id, source_key, resource_kind, provider_org_id, node_id, unit_org_id, system_id,
                                 system_no, item_code, item_kind, quantity, source_quantity, billing_unit, unmapped_reason)
      select ${day}::date, date_trunc('month', ${day}::date)::date, u.*
        from unnest(${col((r) => r.resource.id)}::uuid[], ${col((r) => r.sourceKey)}::text[], ${col((r) => r.resource.kind)}::text[],
                    ${col((r) => r.resource.providerOrgId)}::uuid[], ${col((r) => r.resource.nodeId)}::uuid[], ${col((r) => r.resource.unitOrgId)}::uuid[],
                    ${col((r) => r.resource.systemId)}::uuid[], ${col((r) => r.resource.systemNo)}::text[], ${col((r) => r.itemCode)}::text[],
                    ${col((r) => r.itemKind)}::text[], ${col((r) => r.quantity)}::numeric[], ${col((r) => r.sourceQuantity)}::numeric[],
                    ${col((r) => r.billingUnit)}::text[], ${col((r) => r.unmappedReason)}::text[]) as u`.execute(trx);
  }
}

export interface AggregateRow {
  /** Null: usage of a resource linked to no unit (unowned), not billed. */
  unitOrgId: string | null;
  providerOrgId: string;
  nodeId: string;
  systemNo: string | null;
  systemId: string | null;
  /** Null: unmapped usage (no catalog item), not billed. */
  itemCode: string | null;
  itemKind: string | null;
  billingUnit: string | null;
  priceListId: string | null;
  priceListVersion: number | null;
  unitPrice: string | null;
  billingPeriod: string | null;
  quantityDays: string;
  resourceDays: string;
}

/**
 * The month's usage summed per unit × provider × node × system × item × price segment: each day's usage joined with
 * the provider's approved price list in force on that day (approved ranges of one provider never overlap: catalog
 * module) and its price of the item. Baseline items take no price list. Groups of unmapped (item null) and unowned
 * (unit null) usage come back too, for the run's counts: one pass over the month's usage.
 */
export async function aggregateMonth(trx: Tx, month: string, monthEnd: string): Promise<AggregateRow[]> {
  // Row policies make the planner expect a few thousand usage rows where there are millions: it then picks nested
  // loops over an index scan (measured: minutes for 3 M rows). Hash joins with the few price lists instead, and one
  // hashed aggregate; system id and billing unit are grouped on (they follow from system number and item) rather than
  // aggregated as text.
  // The same estimate makes it sort millions of rows for a GroupAggregate (spilling to disk): hashed instead.
  await sql`set local enable_nestloop = off`.execute(trx);
  await sql`set local enable_sort = off`.execute(trx);
  await sql`set local work_mem = '64MB'`.execute(trx);
  // Each provider's price list per day of the month (a few hundred rows): the usage joins it on equal keys, and the
  // prices are looked up after the aggregate, on the groups only.
  const r = await sql<AggregateRow>`
    with pl as materialized (
      select p.id, p.provider_id, p.version_no, p.effective_from, coalesce(p.effective_to, '9999-12-31'::date) as effective_to
        from price_lists p
       where p.status = 'approved' and p.effective_from <= ${monthEnd}::date and coalesce(p.effective_to, '9999-12-31'::date) >= ${month}::date
    ), seg as materialized (
      select pl.provider_id, d::date as day, pl.id, pl.version_no
        from pl cross join generate_series(${month}::date, ${monthEnd}::date, interval '1 day') d
       where d::date between pl.effective_from and pl.effective_to
    ), agg as (
      select u.unit_org_id, u.provider_org_id, u.node_id, u.system_no, u.system_id, u.item_code, u.item_kind, u.billing_unit,
             case when u.item_kind <> 'baseline' then s.id end as price_list_id,
             case when u.item_kind <> 'baseline' then s.version_no end as price_list_version,
             sum(u.quantity) as quantity_days, count(*) as resource_days
        from billing_usage u
        left join seg s on s.provider_id = u.provider_org_id and s.day = u.day
       where u.month = ${month}::date
       group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    )
    select a.unit_org_id as "unitOrgId", a.provider_org_id as "providerOrgId", a.node_id as "nodeId", a.system_no as "systemNo",
           a.system_id as "systemId", a.item_code as "itemCode", a.item_kind as "itemKind", a.billing_unit as "billingUnit",
           a.price_list_id as "priceListId", a.price_list_version as "priceListVersion", i.unit_price as "unitPrice", i.billing_period as "billingPeriod",
           a.quantity_days as "quantityDays", a.resource_days as "resourceDays"
      from agg a
      left join price_list_items i on i.price_list_id = a.price_list_id and i.item_code = a.item_code`.execute(trx);
  await sql`set local enable_nestloop = on`.execute(trx);
  await sql`set local enable_sort = on`.execute(trx);
  return r.rows;
}

export async function orgNames(trx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await sql<{ id: string; name: string }>`select id, name from organisations where id = any(${ids}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

export async function systemNames(trx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await sql<{ id: string; name: string }>`select id, name from information_systems where id = any(${ids}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

export interface BillRow {
  id: string;
  month: string;
  unitOrgId: string;
  providerOrgId: string;
  unitName: string;
  providerName: string;
  status: string;
  total: string;
  priceMissingCount: number;
  computedAt: Date;
  providerConfirmedAt: Date | null;
  unitConfirmedAt: Date | null;
  lockedAt: Date | null;
  openDisputes: number;
}

const BILL_COLUMNS = sql`b.id, to_char(b.month, 'YYYY-MM') as month, b.unit_org_id as "unitOrgId", b.provider_org_id as "providerOrgId",
  b.unit_name as "unitName", b.provider_name as "providerName", b.status, b.total, b.price_missing_count as "priceMissingCount",
  b.computed_at as "computedAt", b.provider_confirmed_at as "providerConfirmedAt", b.unit_confirmed_at as "unitConfirmedAt",
  b.locked_at as "lockedAt",
  (select count(*)::int from billing_disputes d where d.bill_id = b.id and d.status = 'open') as "openDisputes"`;

export async function findBill(trx: Tx, id: string, forUpdate = false): Promise<BillRow | null> {
  const r = forUpdate
    ? await sql<BillRow>`select ${BILL_COLUMNS} from billing_bills b where b.id = ${id}::uuid for update of b`.execute(trx)
    : await sql<BillRow>`select ${BILL_COLUMNS} from billing_bills b where b.id = ${id}::uuid`.execute(trx);
  return r.rows[0] ?? null;
}

export async function listBills(
  trx: Tx,
  f: { month?: string | undefined; unitOrgId?: string | undefined; providerOrgId?: string | undefined; status?: string | undefined },
): Promise<BillRow[]> {
  const r = await sql<BillRow>`
    select ${BILL_COLUMNS} from billing_bills b
     where (${f.month ?? null}::text is null or b.month = to_date(${f.month ?? null}::text, 'YYYY-MM'))
       and (${f.unitOrgId ?? null}::uuid is null or b.unit_org_id = ${f.unitOrgId ?? null}::uuid)
       and (${f.providerOrgId ?? null}::uuid is null or b.provider_org_id = ${f.providerOrgId ?? null}::uuid)
       and (${f.status ?? null}::text is null or b.status = ${f.status ?? null}::text)
     order by b.month desc, b.unit_name, b.provider_name
     limit 2000`.execute(trx);
  return r.rows;
}

export interface LineRow {
  id: string;
  lineType: string;
  nodeId: string | null;
  systemId: string | null;
  systemNo: string | null;
  systemName: string | null;
  itemCode: string | null;
  itemName: string | null;
  itemKind: string | null;
  billingUnit: string | null;
  priceListId: string | null;
  priceListVersion: number | null;
  unitPrice: string | null;
  billingPeriod: string | null;
  quantityDays: string | null;
  resourceDays: number | null;
  amount: string | null;
  priceStatus: string;
  adjustmentId: string | null;
  reason: string | null;
}

export async function billLines(trx: Tx, billId: string): Promise<LineRow[]> {
  const r = await sql<LineRow>`
    select id, line_type as "lineType", node_id as "nodeId", system_id as "systemId", system_no as "systemNo", system_name as "systemName",
           item_code as "itemCode", item_name as "itemName", item_kind as "itemKind", billing_unit as "billingUnit",
           price_list_id as "priceListId", price_list_version as "priceListVersion", unit_price as "unitPrice", billing_period as "billingPeriod",
           quantity_days as "quantityDays", resource_days as "resourceDays", amount, price_status as "priceStatus",
           adjustment_id as "adjustmentId", reason
      from billing_bill_lines where bill_id = ${billId}::uuid
     order by line_type desc, system_no nulls last, item_code, price_list_version nulls first`.execute(trx);
  return r.rows;
}

export async function findLine(trx: Tx, billId: string, lineId: string): Promise<LineRow | null> {
  return (await billLines(trx, billId)).find((l) => l.id === lineId) ?? null;
}

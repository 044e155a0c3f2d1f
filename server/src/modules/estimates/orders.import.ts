import type { EstimateLineInput } from './estimate.engine.js';

/** One row of a purchase table in orders.json (seeds 000–002). */
export interface OrderRow {
  no: number | string;
  serviceCategory?: string | null;
  subcategory?: string | null;
  item: string;
  unitOfMeasure?: string | null;
  quantity: number;
  months?: number | null;
}

/** Turns a purchase table of orders.json into estimate lines: the texts and units exactly as printed. */
export function linesFromOrderTable(table: { rows: readonly OrderRow[] }): EstimateLineInput[] {
  return table.rows.map((r) => ({
    itemCode: null,
    itemText: r.item,
    category: r.serviceCategory ?? null,
    subcategory: r.subcategory ?? null,
    quantity: String(r.quantity),
    unit: r.unitOfMeasure ?? null,
    months: r.months ?? null,
  }));
}

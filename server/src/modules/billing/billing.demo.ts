import { systemContext } from '../../platform/context.js';
import { shanghaiToday } from '../catalog/index.js';
import type { BillingService } from './billing.service.js';

/**
 * Demo city: meters every day from the first of `months` months ago up to yesterday and runs the bills of each of
 * those months (the current one as a draft in progress). Idempotent (days are replaced, draft bills recomputed), so
 * the demo loader may call it at every start. Quantities are the inventory's of today (metering reads no history).
 */
export async function loadDemoBilling(billing: BillingService, months = 2): Promise<{ days: number; bills: number }> {
  const today = shanghaiToday();
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const end = new Date(`${today}T00:00:00Z`);
  let days = 0;
  const monthsRun = new Set<string>();
  for (const d = new Date(first); d < end; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    try {
      await billing.meterDay(day);
      days++;
      monthsRun.add(day.slice(0, 7));
    } catch (e) {
      if ((e as { code?: string }).code !== 'billing.month_locked') throw e;
    }
  }
  let bills = 0;
  for (const month of monthsRun) bills += (await billing.runMonth(systemContext('demo.billing'), month)).bills;
  return { days, bills };
}

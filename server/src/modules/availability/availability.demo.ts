import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { InformationSystemService } from '../directory/index.js';
import type { NotificationService } from '../notifications/index.js';
import type { AvailabilityService } from './availability.service.js';

export const DEMO_NOTE = '演示模拟：本实例不实际探测演示城市的虚构地址，时间线与中断为模拟记录（simulated）';
const MIN = 60_000;
const DAY = 86_400_000;

/**
 * The demo city's availability: for each registered system a probe of origin 'demo' (not run — the addresses are
 * fictional, see DEMO_NOTE) with 35 days of simulated state intervals: a few short interruptions, one of more than
 * 4 h (it breaks the objective), a maintenance window and a gap without data (unknown); the matching outage records
 * (simulated) and a notice of the latest one to its provider and the supervision staff; SLA objectives per provider
 * from the orders (seed 000: 99.9 % a year, seed 001: 99.99 %), no interruption over 4 h, fault time ≤ 4 h a year.
 * The inventory's hosts and IPs get their probes from the sync job once the feed has built the inventory (in demo
 * mode with the same note: unknown, never a fake up). Loaded once.
 */
export async function loadAvailabilityDemo(db: Db, service: AvailabilityService, systems: InformationSystemService, notifications: NotificationService, logger: Logger, now = Date.now()): Promise<void> {
  const ctx = systemContext('demo-loader');
  try {
    const exists = await withTx(db, ctx, (trx) => trx.selectFrom('availabilityProbes').select('id').where('origin', '=', 'demo').limit(1).executeTakeFirst());
    if (exists) return;
    const list = (await systems.list(ctx, { status: 'active', page: 1, pageSize: 200 } as never)).items;
    if (!list.length) return;
    const start = now - 35 * DAY;
    let latest: { probeId: string; name: string; providerId: string | null; startedAt: number; endedAt: number } | null = null;
    await withTx(db, ctx, async (trx) => {
      for (const [i, s] of list.entries()) {
        const probe = await trx
          .insertInto('availabilityProbes')
          .values({
            name: `网站 ${s.name}（演示）`.slice(0, 200), kind: 'http', target: (s.accessUrl && /^https?:\/\//.test(s.accessUrl) ? s.accessUrl : `https://${s.systemNo.toLowerCase()}.demo.invalid/`).slice(0, 500),
            origin: 'demo', resourceId: s.id, systemId: s.id, unitOrgId: s.unit.id, providerOrgId: s.node.provider?.id ?? null, nodeId: s.node.id, unreachableNote: DEMO_NOTE, state: 'up', stateSince: new Date(now - 2 * DAY),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // Down spans (start offset from `start`, minutes) chosen per system so the table has every kind of row.
        const downs: Array<[number, number]> = [];
        if (i % 2 === 0) downs.push([3 * DAY + i * 97 * MIN, 12 + (i % 5) * 9]);
        if (i % 3 === 0) downs.push([17 * DAY + i * 41 * MIN, 35]);
        if (i === 1) downs.push([24 * DAY, 5 * 60 + 10]);
        downs.push([33 * DAY - (i % 4) * 3 * 60 * MIN, 8 + (i % 3) * 6]);
        const gap: [number, number] | null = i % 4 === 2 ? [10 * DAY, 120] : null;
        const cuts: Array<{ state: 'up' | 'down' | 'unknown'; a: number; b: number }> = [];
        const marks = [...downs.map(([o, m]) => ({ state: 'down' as const, a: start + o, b: start + o + m * MIN })), ...(gap ? [{ state: 'unknown' as const, a: start + gap[0], b: start + gap[0] + gap[1] * MIN }] : [])].sort((x, y) => x.a - y.a);
        let t = start;
        for (const m of marks) {
          if (m.a > t) cuts.push({ state: 'up', a: t, b: m.a });
          cuts.push(m);
          t = m.b;
        }
        const rows = [...cuts.map((c) => ({ probeId: probe.id, state: c.state, startedAt: new Date(c.a), endedAt: new Date(c.b), simulated: true })), { probeId: probe.id, state: 'up', startedAt: new Date(t), endedAt: null, simulated: true }];
        await trx.insertInto('availabilityIntervals').values(rows).execute();
        const outages = marks.filter((m) => m.state === 'down');
        await trx.insertInto('availabilityOutages').values(outages.map((m, k) => ({
          probeId: probe.id, startedAt: new Date(m.a), confirmedAt: new Date(m.a + MIN), endedAt: new Date(m.b), simulated: true, acknowledgedAt: new Date(m.a + 10 * MIN),
          causeNote: k % 2 === 0 ? '（演示）负载均衡后端节点故障，已切换' : '（演示）机房网络设备异常，已恢复',
        }))).execute();
        if (i === 3) await trx.insertInto('availabilityMaintenance').values({ title: `（演示）${s.name} 计划性维护`, startsAt: new Date(start + 20 * DAY), endsAt: new Date(start + 20 * DAY + 3 * 60 * MIN), systemId: s.id }).execute();
        const last = outages[outages.length - 1]!;
        if (!latest || last.a > latest.startedAt) latest = { probeId: probe.id, name: s.name, providerId: s.node.provider?.id ?? null, startedAt: last.a, endedAt: last.b };
      }
      if (latest) {
        const l = latest as { probeId: string; name: string; providerId: string | null; startedAt: number; endedAt: number };
        const body = `（演示）${l.name} 网站于 ${new Date(l.startedAt + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} 中断，已立即核实，${Math.round((l.endedAt - l.startedAt) / MIN)} 分钟后恢复。`;
        if (l.providerId) await notifications.notify(trx, { recipients: { orgIds: [l.providerId] }, kind: 'availability.outage', title: `中断：网站 ${l.name}（演示）`, body, link: `/availability/probes/${l.probeId}`, severity: 'critical' });
        await notifications.notify(trx, { recipients: { orgKinds: ['supervision_provider'], roleCodes: ['supervisor_staff'] }, kind: 'availability.outage', title: `中断：网站 ${l.name}（演示）`, body, link: `/availability/probes/${l.probeId}`, severity: 'critical' });
      }
    });
    const providers = [...new Map(list.filter((s) => s.node.provider).map((s) => [s.node.provider!.id, s.node.provider!])).values()];
    for (const [k, p] of providers.entries()) {
      await service.setObjective(ctx, {
        scope: 'provider', scopeId: p.id, targetPercent: k === 1 ? '99.99' : '99.9', period: 'year', schedule: '24x7', maxInterruptionMinutes: 240, maxYearlyFaultMinutes: 240,
        excluded: '不可抗力及计划性维护', source: k === 1 ? '订单（seed 001）：年可用率 99.99%' : '订单（seed 000）：年可用率 99.9%',
      });
    }
    // Catalog services (服务目录): cloud host service and internet link average availability ≥ 99.99% (seed 004
    // §3.2.1.1, seed 003 (一)2.(1)). Skipped when the catalog is not wired or lacks the item.
    for (const [code, source] of [['1001', '服务目录（seed 004 §3.2.1.1）：云主机服务平均可用性 ≥ 99.99%'], ['1016', '招标文件（seed 003 (一)2.(1)）：互联网带宽可用性 ≥ 99.99%']] as const) {
      await service.setObjective(ctx, { scope: 'service', scopeId: code, targetPercent: '99.99', period: 'year', schedule: '24x7', maxInterruptionMinutes: 240, excluded: '不可抗力及计划性维护', source })
        .catch((e: unknown) => logger.warn({ err: e, code }, 'demo: catalog-service objective not set'));
    }
  } catch (e) {
    logger.warn({ err: e }, 'demo: availability not loaded');
  }
}

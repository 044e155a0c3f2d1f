import { sql } from 'kysely';
import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { RuleInput } from './monitoring.service.js';

/**
 * The default rule set (seed 004 §3.2.2.14: CPU, memory, disk partition and network traffic alarms; §5.3 machine-room
 * climate 23 ℃ ± 1 ℃, 40–60 % RH), platform-wide, with hysteresis; a tighter CPU rule only in key-guarantee periods.
 */
export const DEFAULT_RULES: readonly RuleInput[] = [
  { name: 'CPU 使用率过高', kind: 'threshold', metric: 'cpu', threshold: 90, recovery: 80, windowMinutes: 15, severity: 'major', scopeKind: 'all', escalateAfterMinutes: 30 },
  { name: '重保期 CPU 使用率偏高', kind: 'threshold', metric: 'cpu', threshold: 75, recovery: 65, windowMinutes: 15, severity: 'major', scopeKind: 'all', keyPeriodOnly: true },
  { name: '内存使用率过高', kind: 'threshold', metric: 'memory', threshold: 90, recovery: 85, windowMinutes: 15, severity: 'major', scopeKind: 'all', escalateAfterMinutes: 30 },
  { name: '磁盘分区使用率过高', kind: 'threshold', metric: 'disk_standard', threshold: 90, recovery: 85, windowMinutes: 15, severity: 'minor', scopeKind: 'all' },
  { name: '磁盘 7 天内将满', kind: 'forecast', metric: 'disk_standard', threshold: 95, windowMinutes: 7 * 24 * 60, horizonHours: 168, recovery: 336, severity: 'minor', scopeKind: 'all' },
  { name: '上行流量过高', kind: 'threshold', metric: 'net_up', threshold: 800, recovery: 600, windowMinutes: 15, severity: 'info', scopeKind: 'all' },
  { name: '下行流量过高', kind: 'threshold', metric: 'net_down', threshold: 800, recovery: 600, windowMinutes: 15, severity: 'info', scopeKind: 'all' },
  { name: '云主机监控无数据', kind: 'no_data', metric: 'cpu', windowMinutes: 20, severity: 'critical', scopeKind: 'all', escalateAfterMinutes: 30 },
  { name: '机房温度偏高', kind: 'threshold', metric: 'temperature', threshold: 24, recovery: 23.5, windowMinutes: 15, severity: 'minor', scopeKind: 'all' },
  { name: '机房湿度超限', kind: 'threshold', metric: 'humidity', threshold: 60, recovery: 58, windowMinutes: 15, severity: 'minor', scopeKind: 'all' },
  { name: '机房温度偏低', kind: 'threshold', metric: 'temperature', op: 'lt', threshold: 22, recovery: 22.5, windowMinutes: 15, severity: 'minor', scopeKind: 'all' },
  { name: '机房湿度偏低', kind: 'threshold', metric: 'humidity', op: 'lt', threshold: 40, recovery: 42, windowMinutes: 15, severity: 'minor', scopeKind: 'all' },
  { name: '出口链路使用率过高', kind: 'threshold', metric: 'egress_usage', threshold: 80, recovery: 70, windowMinutes: 15, severity: 'major', scopeKind: 'all' },
  { name: 'UPS 电池供电（市电中断）', kind: 'threshold', metric: 'ups_on_battery', threshold: 0.5, recovery: 0.5, windowMinutes: 5, severity: 'critical', scopeKind: 'all', escalateAfterMinutes: 15 },
  { name: 'UPS 告警', kind: 'threshold', metric: 'ups_alarm', threshold: 0.5, recovery: 0.5, windowMinutes: 5, severity: 'major', scopeKind: 'all' },
  { name: 'UPS 电池剩余容量低', kind: 'threshold', metric: 'ups_battery_capacity', op: 'lt', threshold: 50, recovery: 60, windowMinutes: 5, severity: 'major', scopeKind: 'all' },
  { name: '发电机故障', kind: 'threshold', metric: 'generator_fault', threshold: 0.5, recovery: 0.5, windowMinutes: 5, severity: 'critical', scopeKind: 'all' },
  { name: '发电机油位低', kind: 'threshold', metric: 'generator_fuel', op: 'lt', threshold: 30, recovery: 40, windowMinutes: 15, severity: 'minor', scopeKind: 'all' },
];

/** Loads the default platform rules missing by name (a rule renamed or added later arrives on the next start). */
export async function loadMonitoringDemo(db: Db): Promise<number> {
  return withTx(db, systemContext('demo-loader'), async (trx) => {
    const have = new Set((await sql<{ name: string }>`select name from monitoring_rules where is_global`.execute(trx.withoutPlugins())).rows.map((r) => r.name));
    const missing = DEFAULT_RULES.filter((r) => !have.has(r.name));
    for (const r of missing) {
      await sql`insert into monitoring_rules (name, kind, metric, op, threshold, recovery, window_minutes, horizon_hours, severity, scope_kind, key_period_only, escalate_after_minutes, is_global)
        values (${r.name}, ${r.kind}, ${r.metric}, ${r.op ?? 'gt'}, ${r.threshold ?? null}, ${r.recovery ?? null}, ${r.windowMinutes ?? 15}, ${r.horizonHours ?? null}, ${r.severity}, 'all',
                ${r.keyPeriodOnly ?? false}, ${r.escalateAfterMinutes ?? null}, true)`.execute(trx.withoutPlugins());
    }
    return missing.length;
  });
}

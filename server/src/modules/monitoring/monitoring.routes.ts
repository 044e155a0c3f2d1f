import type { FastifyReply } from 'fastify';
import type { App } from '../../platform/http/server.js';
import { METRICS, SEVERITY_CN, type Severity } from './monitoring.metrics.js';
import {
  ackBodySchema,
  alertListQuerySchema,
  chartQuerySchema,
  expansionAllowanceQuerySchema,
  expansionBodySchema,
  expansionListQuerySchema,
  idParamsSchema,
  maintenanceBodySchema,
  ruleBodySchema,
  scopeObjectsQuerySchema,
  seriesParamsSchema,
  seriesQuerySchema,
  topQuerySchema,
} from './monitoring.schemas.js';
import type { MonitoringScopes } from './monitoring.scopes.js';
import type { MonitoringService } from './monitoring.service.js';
import { beijing, workbook } from './monitoring.xlsx.js';

const tags = ['monitoring'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const read = { permission: 'monitoring:read' };
const manage = { permission: 'monitoring:manage' };
const ENV_ISSUE_CN: Record<string, string> = {
  temperature_high: '温度偏高', temperature_low: '温度偏低', humidity_high: '湿度偏高', humidity_low: '湿度偏低',
  ups_on_battery: 'UPS 电池供电', ups_alarm: 'UPS 告警', generator_fault: '发电机故障', no_data: '无数据',
};
const STATUS_CN: Record<string, string> = { firing: '告警中', acknowledged: '已确认', resolved: '已恢复' };

function sendXlsx(reply: FastifyReply, name: string, cn: string, data: Buffer) {
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename="${name}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${cn}.xlsx`)}`)
    .header('cache-control', 'no-store')
    .send(data);
}

export function registerMonitoringRoutes(app: App, service: MonitoringService, scopes?: MonitoringScopes): void {
  if (scopes) {
    app.get('/api/monitoring/scopes', { config: read, schema: { tags, summary: 'Hosts, systems, units, providers or nodes the caller may name as a rule or maintenance scope', querystring: scopeObjectsQuerySchema } }, async (request) => ({
      items: await scopes.search(request.ctx, { kind: request.query.kind, keyword: request.query.keyword, ids: request.query.ids?.toLowerCase().split(','), limit: request.query.limit }),
    }));
  }
  app.get('/api/monitoring/metrics', { config: read, schema: { tags, summary: 'The metrics of the store: name, unit, source table and field' } }, async () => ({
    items: METRICS.map((m) => ({ name: m.name, kind: m.kind, unit: m.unit, cn: m.cn, en: m.en, table: m.table, field: m.field })),
  }));
  app.get('/api/monitoring/series', { config: read, schema: { tags, summary: 'Monitored objects (hosts, system egress, machine-room sensors) the caller may see', querystring: seriesQuerySchema } }, async (request) => ({
    items: await service.listSeries(request.ctx, request.query),
  }));
  app.get(
    '/api/monitoring/series/:id/chart',
    { config: read, schema: { tags, summary: 'A series over 1h/24h (raw), 7d/30d (hourly) or 90d/1y (daily)', params: seriesParamsSchema, querystring: chartQuerySchema } },
    async (request) => service.chart(request.ctx, { seriesId: request.params.id, range: request.query.range, metrics: request.query.metrics?.split(',') }),
  );
  app.get(
    '/api/monitoring/series/:id/chart/export',
    { config: read, schema: { tags, summary: 'The chart numbers as .xlsx', params: seriesParamsSchema, querystring: chartQuerySchema, produces: [XLSX] } },
    async (request, reply) => {
      const c = await service.chart(request.ctx, { seriesId: request.params.id, range: request.query.range, metrics: request.query.metrics?.split(',') });
      const rows = c.metrics.flatMap((m) => m.points.map((p) => ({ ...p, metric: m.cn, unit: m.unit })));
      const data = await workbook('监控数据', [
        { header: '指标', value: (r) => r.metric }, { header: '单位', width: 8, value: (r) => r.unit }, { header: '时间', width: 20, value: (r) => beijing(r.at) },
        { header: '平均', value: (r) => r.avg }, { header: '最小', value: (r) => r.min }, { header: '最大', value: (r) => r.max }, { header: 'P95', value: (r) => r.p95 }, { header: '样本数', value: (r) => r.n },
      ], rows);
      return sendXlsx(reply, 'monitoring-chart', `${c.label}-监控数据`, data);
    },
  );
  app.get('/api/monitoring/top', { config: read, schema: { tags, summary: 'TopN objects by a metric over a period and scope (hourly rollups)', querystring: topQuerySchema } }, async (request) => service.topN(request.ctx, request.query));
  app.get('/api/monitoring/top/export', { config: read, schema: { tags, summary: 'TopN as .xlsx', querystring: topQuerySchema, produces: [XLSX] } }, async (request, reply) => {
    const t = await service.topN(request.ctx, request.query);
    const data = await workbook(`TopN-${t.metric}`, [
      { header: '对象', width: 28, value: (r) => r.label }, { header: '信息系统', width: 24, value: (r) => r.systemName }, { header: '使用单位', width: 24, value: (r) => r.unitName },
      { header: '云服务商', width: 20, value: (r) => r.providerName }, { header: '云节点', value: (r) => r.nodeName }, { header: `平均(${t.unit})`, value: (r) => r.avg },
      { header: `小时P95最高(${t.unit})`, value: (r) => r.p95 }, { header: `最大(${t.unit})`, value: (r) => r.max },
    ], t.items);
    return sendXlsx(reply, 'monitoring-top', `TopN-${t.metric}`, data);
  });
  app.get('/api/monitoring/alerts', { config: read, schema: { tags, summary: 'Alerts the caller may see, open first by severity', querystring: alertListQuerySchema } }, async (request) => service.listAlerts(request.ctx, request.query));
  app.get('/api/monitoring/alerts/summary', { config: read, schema: { tags, summary: 'Open alerts by severity, node, provider and unit' } }, async (request) => service.alertSummary(request.ctx));
  app.get('/api/monitoring/alerts/export', { config: read, schema: { tags, summary: 'The filtered alerts as .xlsx (at most 10,000)', querystring: alertListQuerySchema, produces: [XLSX] } }, async (request, reply) => {
    const list = await service.listAlerts(request.ctx, { ...request.query, page: 1, pageSize: 10_000 });
    const data = await workbook('告警', [
      { header: '级别', width: 8, value: (r) => SEVERITY_CN[r.severity as Severity] }, { header: '状态', width: 8, value: (r) => STATUS_CN[r.status] ?? r.status },
      { header: '规则', width: 24, value: (r) => r.ruleName }, { header: '对象', width: 28, value: (r) => r.objectLabel }, { header: '信息系统', width: 24, value: (r) => r.systemName },
      { header: '使用单位', width: 24, value: (r) => r.unitName }, { header: '云服务商', width: 20, value: (r) => r.providerName }, { header: '云节点', value: (r) => r.nodeName },
      { header: '内容', width: 48, value: (r) => r.message }, { header: '开始时间', width: 20, value: (r) => beijing(r.startedAt) }, { header: '确认人', value: (r) => r.acknowledgedBy },
      { header: '确认说明', width: 24, value: (r) => r.ackComment }, { header: '恢复时间', width: 20, value: (r) => beijing(r.resolvedAt) }, { header: '持续(秒)', value: (r) => r.durationSeconds },
    ], list.items);
    return sendXlsx(reply, 'monitoring-alerts', '告警', data);
  });
  app.get('/api/monitoring/alerts/:id', { config: read, schema: { tags, summary: 'One alert with its history and what the caller may do', params: idParamsSchema } }, async (request) => service.getAlert(request.ctx, request.params.id));
  app.post(
    '/api/monitoring/alerts/:id/acknowledge',
    { config: { permission: 'monitoring:ack' }, schema: { tags, summary: 'Acknowledge a firing alert with a comment', params: idParamsSchema, body: ackBodySchema } },
    async (request) => service.acknowledge(request.ctx, request.params.id, request.body.comment),
  );
  app.get('/api/monitoring/rules', { config: read, schema: { tags, summary: 'Alert rules the caller may see, with their expressions' } }, async (request) => ({ items: await service.listRules(request.ctx) }));
  app.post('/api/monitoring/rules', { config: manage, schema: { tags, summary: 'Create an alert rule (scope: what the author may see)', body: ruleBodySchema } }, async (request, reply) => reply.code(201).send(await service.createRule(request.ctx, request.body)));
  app.put('/api/monitoring/rules/:id', { config: manage, schema: { tags, summary: 'Change an alert rule', params: idParamsSchema, body: ruleBodySchema } }, async (request) => service.updateRule(request.ctx, request.params.id, request.body));
  app.get('/api/monitoring/maintenance', { config: read, schema: { tags, summary: 'Maintenance windows' } }, async (request) => ({ items: await service.listMaintenance(request.ctx) }));
  app.post('/api/monitoring/maintenance', { config: manage, schema: { tags, summary: 'A maintenance window: no alert opens in its scope while it lasts', body: maintenanceBodySchema } }, async (request, reply) =>
    reply.code(201).send(await service.createMaintenance(request.ctx, { ...request.body, startsAt: new Date(request.body.startsAt), endsAt: new Date(request.body.endsAt) })),
  );
  app.get('/api/monitoring/environment', { config: read, schema: { tags, summary: 'Machine-room environment: latest temperature, humidity, UPS, generator and battery readings, out-of-line flags' } }, async (request) => service.environment(request.ctx));
  app.get('/api/monitoring/environment/export', { config: read, schema: { tags, summary: 'Machine-room environment as .xlsx', produces: [XLSX] } }, async (request, reply) => {
    const e = await service.environment(request.ctx);
    const data = await workbook('机房环境', [
      { header: '云服务商', width: 20, value: (r) => r.providerName }, { header: '云节点', value: (r) => r.nodeName }, { header: '机房', value: (r) => r.machineRoom },
      { header: '位置', width: 24, value: (r) => r.location },
      ...e.metrics.map((m) => ({ header: m.unit === 'state' ? `${m.cn}(1=是)` : `${m.cn}(${m.unit})`, value: (r: (typeof e.items)[number]) => r.values[m.metric] ?? null })),
      { header: '异常', width: 36, value: (r) => r.issues.map((i) => ENV_ISSUE_CN[i] ?? i).join('、') }, { header: '最后上报', width: 20, value: (r) => beijing(r.lastAt) },
    ], e.items);
    return sendXlsx(reply, 'monitoring-environment', '机房环境', data);
  });
  app.put('/api/monitoring/maintenance/:id', { config: manage, schema: { tags, summary: 'Change a maintenance window', params: idParamsSchema, body: maintenanceBodySchema } }, async (request) =>
    service.updateMaintenance(request.ctx, request.params.id, { ...request.body, startsAt: new Date(request.body.startsAt), endsAt: new Date(request.body.endsAt) }),
  );
  app.post('/api/monitoring/maintenance/:id/cancel', { config: manage, schema: { tags, summary: 'Cancel (停用) a maintenance window', params: idParamsSchema } }, async (request) => service.cancelMaintenance(request.ctx, request.params.id));
  app.get('/api/monitoring/capacity', { config: read, schema: { tags, summary: 'Capacity per node and resource: allocation, 80% warnings with deadlines, over-commit, forecasts' } }, async (request) => service.capacity(request.ctx));
  app.get('/api/monitoring/capacity/export', { config: read, schema: { tags, summary: 'Capacity as .xlsx', produces: [XLSX] } }, async (request, reply) => {
    const c = await service.capacity(request.ctx);
    const data = await workbook('容量', [
      { header: '云服务商', width: 20, value: (r) => r.providerName }, { header: '云节点', value: (r) => r.nodeName }, { header: '资源', value: (r) => r.resource },
      { header: '总量', value: (r) => r.total }, { header: '已分配', value: (r) => r.allocated }, { header: '剩余', value: (r) => r.free },
      { header: '分配率', value: (r) => (r.ratio === null ? null : `${(r.ratio * 100).toFixed(2)}%`) }, { header: '内存超分', value: (r) => (r.overCommitted ? '是' : '否') },
      { header: '扩容期限', value: (r) => r.warning?.deadline ?? null }, { header: '已逾期', value: (r) => (r.warning ? (r.warning.overdue ? '是' : '否') : null) },
      { header: '预计达 80%', value: (r) => r.forecast80 }, { header: '预计达 100%', value: (r) => r.forecast100 },
    ], c.items);
    return sendXlsx(reply, 'monitoring-capacity', '容量', data);
  });
  app.get('/api/monitoring/expansions', { config: read, schema: { tags, summary: '临时扩容: free short-term expansions (≤ 20 % of the original resources) the caller may see', querystring: expansionListQuerySchema } }, async (request) => ({
    items: await service.listExpansions(request.ctx, request.query),
  }));
  app.get('/api/monitoring/expansions/allowance', { config: read, schema: { tags, summary: "A unit's original resources at a provider, the 20 % limit and what is left in a period", querystring: expansionAllowanceQuerySchema } }, async (request) =>
    service.expansionAllowance(request.ctx, { unitOrgId: request.query.unitOrgId, providerOrgId: request.query.providerOrgId, from: request.query.from ? new Date(request.query.from) : undefined, to: request.query.to ? new Date(request.query.to) : undefined }),
  );
  app.post('/api/monitoring/expansions', { config: manage, schema: { tags, summary: 'Record a 临时扩容 against a unit\'s original resources (at most 20 % in force at once)', body: expansionBodySchema } }, async (request, reply) =>
    reply.code(201).send(await service.createExpansion(request.ctx, { ...request.body, startsAt: new Date(request.body.startsAt), endsAt: new Date(request.body.endsAt) })),
  );
  app.post('/api/monitoring/expansions/:id/cancel', { config: manage, schema: { tags, summary: 'Cancel a planned or running 临时扩容', params: idParamsSchema } }, async (request) => service.cancelExpansion(request.ctx, request.params.id));
}

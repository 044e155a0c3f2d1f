import { sql } from 'kysely';
import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { KnowledgeService } from './knowledge.service.js';
import { priorityOf, type TicketKind, type TicketStatus } from './servicedesk.rules.js';
import type { ServiceDeskService } from './servicedesk.service.js';

interface Spec {
  kind: TicketKind; title: string; status: TicketStatus; channel: 'portal' | 'phone' | 'email' | 'alert' | 'outage' | 'api'; impact: number; urgency: number;
  /** Minutes before now the ticket was opened; then minutes after opening of response / restore / resolution. */
  ago: number; respond?: number; restore?: number; resolve?: number; pendFor?: [number, number | null]; rating?: number;
}

const SPECS: Spec[] = [
  { kind: 'fault', title: '政务门户首页访问缓慢', status: 'new', channel: 'portal', impact: 2, urgency: 2, ago: 6 },
  { kind: 'fault', title: '网上办事系统登录报错 502', status: 'new', channel: 'phone', impact: 1, urgency: 2, ago: 13 },
  { kind: 'service_request', title: '申请开通测试环境数据库账号', status: 'assigned', channel: 'portal', impact: 3, urgency: 2, ago: 90, respond: 20 },
  { kind: 'fault', title: '文件上传接口超时', status: 'in_progress', channel: 'email', impact: 2, urgency: 2, ago: 70, respond: 9 },
  { kind: 'event', title: '多个系统短时网络抖动', status: 'in_progress', channel: 'api', impact: 1, urgency: 1, ago: 45, respond: 1 },
  { kind: 'resource_change', title: '云主机扩容至 8 核 16G', status: 'pending', channel: 'portal', impact: 3, urgency: 3, ago: 600, respond: 30, pendFor: [120, null] },
  { kind: 'security_policy', title: '开放 443 端口访问策略', status: 'resolved', channel: 'portal', impact: 3, urgency: 2, ago: 2000, respond: 40, resolve: 900 },
  { kind: 'fault', title: '统一身份认证短信验证码收不到', status: 'closed', channel: 'phone', impact: 2, urgency: 1, ago: 4000, respond: 4, restore: 25, resolve: 40, rating: 5 },
  { kind: 'fault', title: '数据库主从同步延迟', status: 'closed', channel: 'email', impact: 2, urgency: 2, ago: 9000, respond: 22, restore: 180, resolve: 300, rating: 3 },
  { kind: 'consultation', title: '咨询新系统入云流程', status: 'closed', channel: 'phone', impact: 3, urgency: 3, ago: 12000, respond: 60, resolve: 400, rating: 4 },
  { kind: 'complaint', title: '故障处理不及时投诉', status: 'in_progress', channel: 'phone', impact: 3, urgency: 2, ago: 300, respond: 50 },
  { kind: 'fault', title: '误报：监控显示磁盘满', status: 'cancelled', channel: 'portal', impact: 3, urgency: 3, ago: 500 },
  { kind: 'rectification', title: '整改通知：日志留存不足 180 天', status: 'in_progress', channel: 'api', impact: 2, urgency: 3, ago: 3000, respond: 200 },
  { kind: 'hazard', title: '安全隐患通知单：弱口令', status: 'assigned', channel: 'api', impact: 2, urgency: 2, ago: 200 },
];

/**
 * The demo city's service desk (idempotent: nothing once any ticket exists): tickets in every state and from every
 * channel on the first registered systems, opened minutes to days ago so their clocks can be checked by hand, an
 * alert and a probe outage through the source hook, knowledge-base articles and two announcements.
 */
export async function loadServiceDeskDemo(db: Db, desk: ServiceDeskService, kb: KnowledgeService): Promise<{ tickets: number }> {
  const ctx = systemContext('demo:servicedesk');
  const setup = await withTx(db, ctx, async (trx) => {
    if (Number((await sql<{ n: string }>`select count(*) as n from sd_tickets`.execute(trx)).rows[0]!.n) > 0) return null;
    const systems = (await sql<{ id: string; unitId: string; nodeId: string; providerId: string | null }>`
      select s.id, s.unit_id, s.node_id, n.provider_org_id as provider_id from information_systems s join cloud_nodes n on n.id = s.node_id
      where n.provider_org_id is not null order by s.created_at limit 6`.execute(trx)).rows;
    const users = (await sql<{ id: string; orgId: string; displayName: string; kind: string }>`
      select u.id, u.org_id, u.display_name, o.kind from users u join organisations o on o.id = u.org_id where u.status = 'active' order by u.username`.execute(trx)).rows;
    return { systems, users };
  });
  if (!setup || setup.systems.length === 0) return { tickets: 0 };
  const now = Date.now();
  let n = 0;
  for (const [i, s] of SPECS.entries()) {
    const sys = setup.systems[i % setup.systems.length]!;
    const reporter = setup.users.find((u) => u.orgId === sys.unitId) ?? null;
    const engineer = setup.users.find((u) => u.orgId === sys.providerId) ?? null;
    const opened = new Date(now - s.ago * 60_000);
    const at = (m?: number) => (m === undefined ? null : new Date(opened.getTime() + m * 60_000));
    await withTx(db, ctx, async (trx) => {
      const id = await desk.insertTicket(trx, ctx, {
        kind: s.kind, title: s.title, description: `${s.title}。（演示数据）`, impact: s.impact, urgency: s.urgency, priority: priorityOf(s.impact, s.urgency), eventLevel: s.kind === 'event' ? 'larger' : null,
        channel: s.channel, unitId: sys.unitId, providerId: sys.providerId, nodeId: sys.nodeId, systemId: sys.id, resourceIds: [], workOrderId: null, applicationId: null,
        reporterName: reporter?.displayName ?? '演示用户', openedAt: opened, source: null, sourceId: null, severity: null,
      });
      const pauses = s.pendFor ? [{ from: at(s.pendFor[0])!.toISOString(), to: s.pendFor[1] === null ? null : at(s.pendFor[1])!.toISOString() }] : [];
      const closedAt = s.status === 'closed' || s.status === 'cancelled' ? at(s.resolve ?? 30) : null;
      await sql`update sd_tickets set status = ${s.status}, reporter_user_id = ${reporter?.id ?? null}, assignee_user_id = ${s.status === 'new' || s.status === 'cancelled' ? null : engineer?.id ?? null},
        responded_at = ${at(s.respond)}, restored_at = ${at(s.restore ?? s.resolve)}, resolved_at = ${at(s.resolve)}, closed_at = ${closedAt},
        pauses = ${JSON.stringify(pauses)}::jsonb, rating = ${s.rating ?? null}, rated_at = ${s.rating ? closedAt : null}, rating_comment = ${s.rating ? (s.rating >= 4 ? '处理及时' : '恢复偏慢') : null} where id = ${id}`.execute(trx);
      const ev = async (m: number | undefined, kind: string, to: string, body: string | null = null) => {
        if (m === undefined) return;
        await sql`insert into sd_ticket_events (ticket_id, at, kind, to_status, actor_user_id, actor_name, body) values (${id}, ${at(m)}, ${kind}, ${to}, ${engineer?.id ?? null}, ${engineer?.displayName ?? '工程师'}, ${body})`.execute(trx);
      };
      if (s.status !== 'new' && s.status !== 'cancelled') await ev(s.respond ?? 5, s.status === 'assigned' ? 'assigned' : 'claimed', s.status === 'assigned' ? 'assigned' : 'in_progress');
      if (s.pendFor) await ev(s.pendFor[0], 'status', 'pending', '等待使用单位确认维护窗口');
      if (s.resolve !== undefined) await ev(s.resolve, 'status', 'resolved', '已处理完毕');
      if (s.rating) await sql`insert into sd_ticket_events (ticket_id, at, kind, to_status, actor_user_id, actor_name, data) values (${id}, ${closedAt}, 'rated', 'closed', ${reporter?.id ?? null}, ${reporter?.displayName ?? null}, ${JSON.stringify({ rating: s.rating })}::jsonb)`.execute(trx);
      if (s.status === 'cancelled') await sql`insert into sd_ticket_events (ticket_id, at, kind, to_status, actor_name, body) values (${id}, ${closedAt}, 'status', 'cancelled', ${reporter?.displayName ?? null}, '误报，取消')`.execute(trx);
    });
    n++;
  }
  const s0 = setup.systems[0]!;
  await desk.upsertTicketFromSource({ source: 'alert', sourceId: 'demo-alert-1', state: 'open', title: '告警：云主机 CPU 使用率持续高于 90%', description: '连续 15 分钟 CPU > 90%', severity: 'major', occurredAt: new Date(now - 11 * 60_000), providerId: s0.providerId, nodeId: s0.nodeId, systemId: s0.id });
  await desk.upsertTicketFromSource({ source: 'outage', sourceId: 'demo-outage-1', state: 'open', title: '拨测中断：政务服务网首页不可达', description: '3 个探针连续失败', severity: 'critical', occurredAt: new Date(now - 35 * 60_000), providerId: s0.providerId, nodeId: s0.nodeId, systemId: s0.id });
  await desk.upsertTicketFromSource({ source: 'outage', sourceId: 'demo-outage-1', state: 'cleared', title: '拨测恢复', description: '探测恢复', severity: 'critical', occurredAt: new Date(now - 5 * 60_000) });
  await desk.checkClocks(new Date());
  for (const a of [
    { category: '数据库', title: '数据库审计日志查询指引', body: '在安全管理平台的数据库审计模块中按时间、账号和操作类型查询审计日志，导出留存不少于 180 天。', visibility: 'public' as const, status: 'published' as const },
    { category: '网络', title: '政务外网访问异常排查步骤', body: '先检查本单位出口，再确认云节点防火墙策略；必要时提交故障工单并附上 traceroute 结果。', visibility: 'public' as const, status: 'published' as const },
    { category: '运维', title: '云主机扩容操作规范', body: '扩容须在维护窗口内进行，提前一个工作日公告，扩容后核对监控与计费。', visibility: 'providers' as const, status: 'published' as const },
    { category: '应急', title: '重大事件应急响应预案（内部）', body: '重大事件 1 分钟内响应，30 分钟内报告管理单位，4 小时内恢复并提交故障报告。', visibility: 'internal' as const, status: 'published' as const },
  ]) await kb.createArticle(ctx, a);
  await kb.createAnnouncement(ctx, { kind: 'maintenance', title: '本周六 02:00–04:00 政务云核心网络计划性维护', body: '维护期间部分系统可能出现短时中断，请各单位提前做好安排。', audience: [], validFrom: new Date(now - 3_600_000).toISOString(), validTo: new Date(now + 6 * 86_400_000).toISOString() });
  await kb.createAnnouncement(ctx, { kind: 'policy', title: '关于规范工单满意度评价的通知', body: '工单解决后请报告人在 7 天内评价，逾期系统自动关闭。', audience: ['user_unit'], validFrom: new Date(now - 86_400_000).toISOString() });
  return { tickets: n + 2 };
}

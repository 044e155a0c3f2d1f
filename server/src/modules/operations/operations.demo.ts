import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { DirectoryService } from '../directory/index.js';
import { localDate } from '../calendar/index.js';
import { expectedSlots } from './operations.rules.js';
import { ENTRY_DOCUMENTS, EXIT_DOCUMENTS } from './operations.entry.js';
import type { OperationsService } from './operations.service.js';

const DAY = 86_400_000;

/**
 * The demo city's operations supervision, loaded once (nothing is done when its plans exist): for 华京云 on
 * 服务云（六里桥） a month of inspections — machine room 4 a day, servers daily, network weekly — with some slots
 * missed and three abnormal items (rectification items and service-desk tickets, one closed); staff with certificates
 * expiring soon (and fewer than the thresholds ask) and a key-post change in approval; qualifications, of which 燕山云's has lapsed (no demo system is on
 * its nodes, so no demo onboarding is blocked); an emergency plan in two versions, a held and a planned drill; a week's
 * 7×24 roster of the supervision provider with duty log entries; platform changes approved, in approval, and one
 * implemented outside its window; a filed machine room with a week of access records.
 */
export async function loadOperationsDemo(db: Db, ops: OperationsService, directory: DirectoryService, orgIds: ReadonlyMap<string, string>, logger: Logger): Promise<void> {
  const ctx = systemContext('demo-loader');
  const providerA = orgIds.get('providerA');
  const providerB = orgIds.get('providerB');
  const providerC = orgIds.get('providerC');
  const supervisor = orgIds.get('supervisor');
  const mgmt = orgIds.get('mgmt');
  if (!providerA || !providerB || !supervisor || !mgmt) return;
  if ((await ops.listPlans(ctx, { providerOrgId: providerA })).length > 0) {
    await loadEventsAndTraining(ops, providerA, providerB);
    await loadEntryDemo(ops, directory, providerA, providerB, providerC);
    await loadCommsDemo(db, ops, directory, providerA, providerB, supervisor);
    await loadAutomationDemo(ops, directory, providerA);
    return;
  }
  const nodes = (await directory.listCloudNodes(ctx)).filter((n) => n.provider?.id === providerA);
  const node = nodes.find((n) => n.code === 'FWY-LLQ') ?? nodes[0];
  if (!node) return;
  const templates = await ops.listTemplates(ctx);
  const tpl = (c: string) => templates.find((t) => t.category === c)!;
  const now = Date.now();
  const start = new Date(`${localDate(new Date(now - 30 * DAY))}T00:00:00+08:00`);
  const room = await ops.createPlan(ctx, { providerOrgId: providerA, nodeId: node.id, templateId: tpl('machine_room').id, name: '六里桥机房巡检', frequency: 'daily', timesPerDay: 4, validFrom: start.toISOString() });
  const servers = await ops.createPlan(ctx, { providerOrgId: providerA, nodeId: node.id, templateId: tpl('servers').id, name: '服务器日巡检', frequency: 'daily', timesPerDay: 1, validFrom: start.toISOString() });
  const network = await ops.createPlan(ctx, { providerOrgId: providerA, nodeId: node.id, templateId: tpl('network').id, name: '网络周巡检', frequency: 'weekly', validFrom: start.toISOString() });

  // Past slots: every 11th left without a record (missed); three get an abnormal item through the service.
  const records: Array<{ id: string; plan_id: string; slot_start: string; performed_at: string; inspector_name: string }> = [];
  const results: Array<{ record_id: string; item_key: string; label: string }> = [];
  const abnormal: Array<{ planId: string; at: Date; key: string; note: string }> = [];
  const inspectors = ['王磊', '李娜', '赵强', '陈静'];
  let n = 0;
  for (const plan of [room, servers, network]) {
    const items = tpl(plan.category).items;
    for (const slot of expectedSlots({ frequency: plan.frequency, timesPerDay: plan.timesPerDay, validFrom: new Date(plan.validFrom), validTo: null }, start, new Date(now))) {
      n++;
      if (slot.end.getTime() > now || n % 11 === 0) continue;
      const at = new Date(slot.start.getTime() + Math.min(40 * 60_000, (slot.end.getTime() - slot.start.getTime()) / 3));
      if (n % 37 === 5 && abnormal.length < 3) {
        abnormal.push({ planId: plan.id, at, key: items[n % items.length]!.key, note: ['UPS 电池告警，续航低于 15 分钟', '2 号机柜温度 29℃ 超阈值', '核心交换机端口 CRC 错包持续增长'][abnormal.length]! });
        continue;
      }
      const id = randomUUID();
      records.push({ id, plan_id: plan.id, slot_start: slot.start.toISOString(), performed_at: at.toISOString(), inspector_name: inspectors[n % inspectors.length]! });
      for (const it of items) results.push({ record_id: id, item_key: it.key, label: it.label });
    }
  }
  await withTx(db, ctx, async (trx) => {
    await sql`insert into ops_inspection_records (id, plan_id, provider_org_id, node_id, slot_start, performed_at, inspector_name, created_at)
      select x.id, x.plan_id, ${providerA}, ${node.id}, x.slot_start, x.performed_at, x.inspector_name, x.performed_at
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(id uuid, plan_id uuid, slot_start timestamptz, performed_at timestamptz, inspector_name text)`.execute(trx);
    await sql`insert into ops_inspection_results (record_id, item_key, label, result)
      select x.record_id, x.item_key, x.label, 'normal' from jsonb_to_recordset(${JSON.stringify(results)}::jsonb) as x(record_id uuid, item_key text, label text)`.execute(trx);
  });
  const rectIds: string[] = [];
  for (const a of abnormal) {
    const plan = [room, servers, network].find((p) => p.id === a.planId)!;
    const rec = await ops.recordInspection(ctx, {
      planId: a.planId,
      performedAt: a.at.toISOString(),
      inspectorName: '王磊',
      results: tpl(plan.category).items.map((it) => (it.key === a.key ? { itemKey: it.key, result: 'abnormal' as const, note: a.note } : { itemKey: it.key, result: 'normal' as const })),
    });
    rectIds.push(...rec.rectifications.map((r) => r.id));
  }
  if (rectIds[0]) await ops.closeRectification(ctx, rectIds[0], '已更换 UPS 电池组，复测续航 45 分钟');

  // Personnel: 12 on site at 六里桥 (below the 20 the seed asks), certificates expiring soon and one expired.
  const day = (offset: number) => localDate(new Date(now + offset * DAY));
  const people = ['王磊', '李娜', '赵强', '陈静', '刘洋', '杨帆', '黄磊', '周敏', '吴昊', '徐婷', '孙浩', '马丽'];
  for (const [i, name] of people.entries()) {
    await ops.createStaff(ctx, {
      orgId: providerA,
      nodeId: node.id,
      name,
      post: i === 0 ? 'project_manager' : i === 1 ? 'technical_lead' : i === 2 ? 'security_auditor' : i < 6 ? 'ops_engineer' : i < 9 ? 'machine_room' : 'network_engineer',
      placement: i < 10 ? 'onsite' : 'second_line',
      core: i < 6,
      certificates: [{ name: i % 3 === 0 ? 'CISP 注册信息安全专业人员' : '华为 HCIE 云计算', number: `CERT-${1000 + i}`, validTo: i === 4 ? day(-10) : i % 4 === 1 ? day(15 + i) : day(400 + i * 10) }],
    });
  }
  const pm = (await ops.listStaff(ctx, { orgId: providerA })).find((s) => s.post === 'project_manager');
  if (pm) await ops.requestKeyPostChange(ctx, { staffId: pm.id, successorName: '韩伟', effectiveOn: day(45), reason: '项目经理调任，由韩伟接任（演示：待管理单位审批）' });
  await ops.createStaff(ctx, { orgId: supervisor, name: '郑监理', post: 'supervisor', placement: 'onsite', core: true, certificates: [{ name: '信息系统监理师', validTo: day(30) }] });

  // Qualifications: 华京云 and 康学云 current; 燕山云 lapsed two months ago.
  await ops.createQualification(ctx, { providerOrgId: providerA, name: '政务云服务商资质（2026 年度）', validFrom: '2026-01-01', validTo: '2027-12-31' });
  if (providerC) await ops.createQualification(ctx, { providerOrgId: providerC, name: '行业云服务商资质', validFrom: '2026-01-01', validTo: '2027-06-30' });
  await ops.createQualification(ctx, { providerOrgId: providerB, name: '政务云服务商资质（2025 年度）', validFrom: day(-425), validTo: day(-60), note: '未按期提交年度复核材料，资质失效，暂停新增入云' });

  // Emergency: a plan in two versions, a held and a planned drill.
  await ops.savePlanVersion(ctx, { orgId: providerA, code: 'YJ-01', title: '六里桥节点综合应急预案', content: '第一版：断电、网络中断、数据丢失场景的处置流程。' });
  const plan = await ops.savePlanVersion(ctx, { orgId: providerA, code: 'YJ-01', title: '六里桥节点综合应急预案', content: '第二版：增加勒索病毒场景，更新联系人。' });
  const held = await ops.planDrill(ctx, { orgId: providerA, level: 'provider', planId: plan.id, kind: 'live', scenario: '机房市电中断切换 UPS 与柴油发电机', plannedOn: day(-20) });
  await ops.holdDrill(ctx, held.id, { heldOn: day(-20), participants: ['王磊', '李娜', '赵强', '郑监理'], findings: '发电机启动用时 95 秒，超出预案要求 60 秒', report: '演练按预案完成，发现 1 项问题，已列入整改。' });
  await ops.planDrill(ctx, { orgId: providerA, level: 'provider', planId: plan.id, kind: 'desktop', scenario: '勒索病毒感染业务主机', plannedOn: day(25) });

  // Duty: the supervision provider's 7×24 roster for the coming week (3 shifts a day) and yesterday's log.
  const today = new Date(`${localDate(new Date(now))}T00:00:00+08:00`);
  const dutyPeople = ['郑监理', '钱值班', '冯值班'];
  const shifts = Array.from({ length: 21 }, (_, i) => ({ person: dutyPeople[i % 3]!, startsAt: new Date(today.getTime() - DAY + i * 8 * 3_600_000).toISOString(), endsAt: new Date(today.getTime() - DAY + (i + 1) * 8 * 3_600_000).toISOString() }));
  await ops.saveRoster(ctx, { orgId: supervisor, from: new Date(today.getTime() - DAY).toISOString(), to: new Date(today.getTime() + 6 * DAY).toISOString(), shifts });
  const y = today.getTime() - DAY;
  await ops.addDutyEntry(ctx, { orgId: supervisor, at: new Date(y + 9 * 3_600_000).toISOString(), kind: 'check', person: '郑监理', body: '检查各节点巡检完成情况：六里桥机房 06:00 班次未巡检，已电话提醒华京云。' });
  await ops.addDutyEntry(ctx, { orgId: supervisor, at: new Date(y + 14 * 3_600_000).toISOString(), kind: 'event', person: '钱值班', body: '服务云（六里桥）一台云主机 CPU 持续告警，已转统一工单。' });
  await ops.addDutyEntry(ctx, { orgId: supervisor, at: new Date(y + 16 * 3_600_000).toISOString(), kind: 'handover', person: '钱值班', body: '交接：CPU 告警工单处理中，夜班关注。' });

  // Platform changes: a bandwidth change approved (no business impact), a kernel upgrade in approval, and a memory
  // change implemented outside its window.
  const c1 = await ops.createChange(ctx, { providerOrgId: providerA, nodeId: node.id, changeType: 'bandwidth', title: '互联网出口带宽扩容至 10G', description: '在线扩容，不影响业务', businessImpact: false, windowStart: new Date(now + 2 * DAY).toISOString(), windowEnd: new Date(now + 2 * DAY + 4 * 3_600_000).toISOString() });
  await ops.submitChange(ctx, c1.id);
  const c2 = await ops.createChange(ctx, { providerOrgId: providerA, nodeId: node.id, changeType: 'kernel', title: '计算节点内核安全升级', description: '需滚动重启宿主机，云主机热迁移', businessImpact: true, windowStart: new Date(now + 5 * DAY).toISOString(), windowEnd: new Date(now + 5 * DAY + 6 * 3_600_000).toISOString() });
  await ops.submitChange(ctx, c2.id);
  const c3 = await ops.createChange(ctx, { providerOrgId: providerA, nodeId: node.id, changeType: 'memory', title: '存储控制器内存更换', description: '更换故障内存条', businessImpact: false, windowStart: new Date(now - 3 * DAY).toISOString(), windowEnd: new Date(now - 3 * DAY + 2 * 3_600_000).toISOString() });
  await ops.submitChange(ctx, c3.id);
  await ops.implementChange(ctx, c3.id, { implementedFrom: new Date(now - 3 * DAY + 1 * 3_600_000).toISOString(), implementedTo: new Date(now - 3 * DAY + 5 * 3_600_000).toISOString(), result: 'success', note: '实施超时 3 小时' });
  // Machine-room filing and a week of access records.
  const filed = await ops.fileMachineRoom(ctx, { providerOrgId: providerA, nodeId: node.id, name: '六里桥一号机房', address: '北京市丰台区六里桥', racks: 240, powerKw: 1600, environmentObject: node.code, filedOn: localDate(new Date(now - 300 * DAY)) });
  const visits = [['王磊', '华京云', '例行巡检'], ['李娜', '华京云', '更换 UPS 电池组'], ['赵强', '某存储厂商', '存储控制器内存更换（陪同：王磊）'], ['郑监理', '监理单位', '机房环境抽查']] as const;
  for (const [i, [person, company, work]] of visits.entries()) {
    const at = now - (6 - i) * DAY + 10 * 3_600_000;
    await ops.recordRoomAccess(ctx, filed.id, { person, company, work, enteredAt: new Date(at).toISOString(), leftAt: new Date(at + 2 * 3_600_000).toISOString() });
  }
  await loadEventsAndTraining(ops, providerA, providerB);
  await loadEntryDemo(ops, directory, providerA, providerB, providerC);
  await loadCommsDemo(db, ops, directory, providerA, providerB, supervisor);
  await loadAutomationDemo(ops, directory, providerA);
  logger.info({ records: records.length + abnormal.length }, 'demo: operations supervision loaded');
}

/**
 * Emergency events and training (loaded once, on their own guard so a demo city loaded before them gets them too):
 * for 华京云 a reviewed storage event (response 12 min, recovery 41 min — over the 30-minute target) and one being
 * handled; emergency-response trainings every two months except the last completed period (one missed), and a
 * confidentiality training; 燕山云 none (every period missed).
 */
async function loadEventsAndTraining(ops: OperationsService, providerA: string, providerB: string): Promise<void> {
  const ctx = systemContext('demo-loader');
  if ((await ops.listEvents(ctx, { providerOrgId: providerA })).length > 0) return;
  const now = Date.now();
  const MIN = 60_000;
  const occurred = new Date(now - 12 * DAY);
  const ev = await ops.reportEvent(ctx, { providerOrgId: providerA, title: '存储集群控制器宕机', severity: 'III', description: '服务云（六里桥）存储集群一个控制器宕机，约 40 台云主机 IO 挂起。', occurredAt: occurred.toISOString() });
  await ops.respondEvent(ctx, ev.id, { respondedAt: new Date(occurred.getTime() + 12 * MIN).toISOString(), note: '值班工程师到场，切换至备用控制器，通知受影响使用单位。' });
  await ops.recoverEvent(ctx, ev.id, { recoveredAt: new Date(occurred.getTime() + 41 * MIN).toISOString(), note: 'IO 恢复，抽查业务系统访问正常。' });
  await ops.reviewEvent(ctx, ev.id, { rootCause: '控制器固件缺陷导致心跳超时', measures: '全部控制器升级固件；增加控制器心跳监控告警；修订存储专项应急预案。', lessons: '恢复用时超过 30 分钟目标，备用控制器切换需纳入演练。' });
  const open = new Date(now - 50 * MIN);
  const ev2 = await ops.reportEvent(ctx, { providerOrgId: providerA, title: '互联网出口链路中断', severity: 'IV', description: '一条互联网出口链路中断，流量已自动切换至备用链路。', occurredAt: open.toISOString() });
  await ops.respondEvent(ctx, ev2.id, { respondedAt: new Date(open.getTime() + 8 * MIN).toISOString(), note: '已联系运营商排查光缆。' });

  // Emergency-response training in every two-month period of the last year except the last completed one.
  const today = localDate(new Date(now));
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  m = m % 2 === 0 ? m - 1 : m;
  for (let i = 0; i < 6; i++) {
    const start = `${y}-${String(m).padStart(2, '0')}-10`;
    if (i !== 1 && start <= today) await ops.recordTraining(ctx, { orgId: providerA, kind: 'emergency_response', topic: '应急响应流程与预案培训', heldOn: start, trainer: '王磊', participants: 22, hours: '2.0', content: '应急预案要点、信息报送流程、典型故障处置。' });
    m -= 2;
    if (m < 1) { m += 12; y -= 1; }
  }
  // A policy change 200 days ago: 华京云 updated its qualification in time, 燕山云 did not (exit threshold reached).
  const policy = await ops.recordPolicyChange(ctx, { title: '政务云数据安全管理新规', description: '要求云服务商取得数据安全管理能力认证并备案。', announcedOn: localDate(new Date(now - 200 * DAY)), providerOrgIds: [providerA, providerB] });
  await ops.recordPolicyUpdate(ctx, policy.id, { providerOrgId: providerA, updatedOn: localDate(new Date(now - 150 * DAY)), note: '已取得数据安全管理能力认证并备案。' });
  await ops.recordTraining(ctx, { orgId: providerA, kind: 'confidentiality', topic: '保密培训', heldOn: localDate(new Date(now - 40 * DAY)), trainer: '李娜', participants: 30, hours: '1.5' });
}

/**
 * Provider entry and exit (进驻和退出): 华京云 entered 服务云（六里桥） (eight documents accepted, assessment failed once
 * then passed, machine room filed); 康学云 applied with two of the eight documents still missing; 燕山云 (its
 * qualification lapsed) applied for exit with two of the five exit documents missing.
 */
async function loadEntryDemo(ops: OperationsService, directory: DirectoryService, providerA: string, providerB: string, providerC: string | undefined): Promise<void> {
  const ctx = systemContext('demo-loader');
  const e = ops.entries;
  if ((await e.list(ctx, { providerOrgId: providerA })).length > 0) return;
  const now = Date.now();
  const day = (d: number) => localDate(new Date(now - d * DAY));
  const pdf = (title: string) => ({ fileName: `${title}.pdf`, contentType: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4\n% ${title}（演示）\n`).toString('base64') });
  const node = (await directory.listCloudNodes(ctx)).find((n) => n.provider?.id === providerA && n.code === 'FWY-LLQ');
  const a = await e.apply(ctx, { providerOrgId: providerA, nodeId: node?.id ?? null, appliedOn: day(400), note: '申请进驻服务云（六里桥）' });
  for (const d of ENTRY_DOCUMENTS) await e.uploadDocument(ctx, a.id, { docKey: d.key, ...pdf(d.label) });
  let cur = await e.transition(ctx, a.id, { to: 'material_review', note: '材料已齐' });
  for (const d of cur.documents) await e.reviewDocument(ctx, a.id, d.id, { accept: true });
  await e.transition(ctx, a.id, { to: 'initial_assessment' });
  await e.assess(ctx, a.id, { on: day(360), passed: false, note: '云管理平台二次开发计划未提交' });
  await e.assess(ctx, a.id, { on: day(335), passed: true, note: '二次考核通过' });

  if (providerC) {
    const c = await e.apply(ctx, { providerOrgId: providerC, appliedOn: day(10), note: '申请进驻教育云' });
    for (const d of ENTRY_DOCUMENTS.slice(0, 6)) await e.uploadDocument(ctx, c.id, { docKey: d.key, ...pdf(d.label) });
  }

  const b = await e.apply(ctx, { providerOrgId: providerB, appliedOn: day(700), note: '申请进驻' });
  for (const d of ENTRY_DOCUMENTS) await e.uploadDocument(ctx, b.id, { docKey: d.key, ...pdf(d.label) });
  cur = await e.transition(ctx, b.id, { to: 'material_review' });
  for (const d of cur.documents) await e.reviewDocument(ctx, b.id, d.id, { accept: true });
  await e.transition(ctx, b.id, { to: 'initial_assessment' });
  await e.assess(ctx, b.id, { on: day(650), passed: true });
  await e.transition(ctx, b.id, { to: 'exit_applied', exitReason: '超过 6 个月未完成运营资质更新，按照退出机制处理' });
  for (const d of EXIT_DOCUMENTS.slice(0, 3)) await e.uploadDocument(ctx, b.id, { docKey: d.key, ...pdf(d.label) });
}

/**
 * Major changes and meetings (loaded once, on their own guard): for 华京云 a major change detected during the approved
 * memory replacement (matched) and one the supervision found with no approved change (未经审批变更, notified); last
 * month's regular meeting (例会) of the supervision provider with minutes and an attachment, 华京云's work report for
 * last month, and two special tasks — one open, one overdue.
 */
async function loadCommsDemo(db: Db, ops: OperationsService, directory: DirectoryService, providerA: string, providerB: string, supervisor: string): Promise<void> {
  const ctx = systemContext('demo-loader');
  if ((await ops.meetings.list(ctx, { kind: 'work_report', providerOrgId: providerA })).length > 0) return;
  const nodes = (await directory.listCloudNodes(ctx)).filter((n) => n.provider?.id === providerA);
  const node = nodes.find((n) => n.code === 'FWY-LLQ') ?? nodes[0];
  const now = Date.now();
  const memory = (await ops.listChanges(ctx)).find((c) => c.providerOrgId === providerA && c.changeType === 'memory' && c.status === 'implemented');
  if (memory) {
    await ops.majorChanges.record(ctx, { providerOrgId: providerA, nodeId: memory.nodeId, source: 'detected', category: '内存更换', title: '存储控制器内存容量变化', detail: '由推送的设备数据检测：控制器 B 内存条序列号变化', occurredAt: new Date(new Date(memory.windowStart).getTime() + 30 * 60_000).toISOString() });
  }
  if (node) {
    await ops.majorChanges.record(ctx, { providerOrgId: providerA, nodeId: node.id, source: 'manual', category: '网络策略', title: '核心交换机 ACL 策略调整', detail: '监管巡查发现核心交换机访问控制策略变化，无对应变更申请', occurredAt: new Date(now - DAY - 4 * 3_600_000).toISOString() });
  }
  const today = localDate(new Date(now));
  const lastMonth = localDate(new Date(new Date(`${today.slice(0, 7)}-01T00:00:00+08:00`).getTime() - DAY)).slice(0, 7);
  const meeting = await ops.meetings.create(ctx, { kind: 'regular_meeting', orgId: supervisor, providerOrgId: providerA, title: `${lastMonth} 运维监管月度例会`, heldOn: `${lastMonth}-25`, location: '管理单位 3 层会议室', attendees: ['管理单位 张处', '监理 郑监理', '华京云 王磊'], minutes: '一、通报本月巡检漏检与异常整改情况；\n二、核心交换机策略变更须先报审批；\n三、布置等保整改专项任务。' });
  await ops.meetings.attach(ctx, meeting.id, { fileName: '月度例会纪要.txt', contentType: 'text/plain; charset=utf-8', contentBase64: Buffer.from(`${lastMonth} 运维监管月度例会纪要`).toString('base64') });
  await ops.meetings.create(ctx, { kind: 'work_report', providerOrgId: providerA, title: `华京云 ${lastMonth} 月度工作汇报`, heldOn: today, period: lastMonth, minutes: '本月完成巡检、变更 3 项、应急培训 1 次；漏检原因分析见附件。' });
  await ops.meetings.createTask(ctx, { title: '等保测评问题整改专项', description: '按测评报告完成高风险项整改并报送材料', assigneeOrgId: providerA, meetingId: meeting.id, dueOn: localDate(new Date(now + 10 * DAY)) });
  // an overdue one (assigned three weeks ago, due a week ago): written directly, as a new task may not be due in the past
  await withTx(db, ctx, (trx) => sql`insert into ops_special_tasks (title, description, assignee_org_id, org_id, meeting_id, due_on, status, created_at)
    values ('机房消防设施专项检查', '检查并报送消防设施检测报告', ${providerB}, ${supervisor}, ${meeting.id}, ${localDate(new Date(now - 7 * DAY))}, 'in_progress', ${new Date(now - 21 * DAY)})`.execute(trx));
}

/**
 * Detection and reminders (own guard: a detected change with evidence for 华京云): two 云平台规格数据 records of
 * 服务云（六里桥） fed to the detector — vCPU 12000 → 14400 (+20 %) overnight with no approved change, so 未经审批变更
 * (supervision notified) — and the special-task reminders run once: the overdue 燕山云 task is reminded and, overdue
 * more than 3 working days, escalated to the management unit.
 */
async function loadAutomationDemo(ops: OperationsService, directory: DirectoryService, providerA: string): Promise<void> {
  const ctx = systemContext('demo-loader');
  if ((await ops.majorChanges.list(ctx, { providerOrgId: providerA, source: 'detected' })).some((m) => m.evidence)) return;
  const node = (await directory.listCloudNodes(ctx)).find((n) => n.provider?.id === providerA && n.code === 'FWY-LLQ');
  if (node) {
    const now = Date.now();
    const figures = { vcpu: '12000.00', memory: '49152.00', storage: '800000.00', bandwidth: '20000.00' };
    await ops.majorChanges.detectBetweenSpecRecords({
      key: 'demo:platformSpec:FWY-LLQ', providerOrgId: providerA, nodeId: node.id, machineRoom: '六里桥 A 机房',
      previous: { figures, reportedAt: new Date(now - 30 * 3_600_000) }, figures: { ...figures, vcpu: '14400.00' }, reportedAt: new Date(now - 6 * 3_600_000),
    });
  }
  await ops.meetings.sendTaskReminders();
}

import { SYSTEM_ACTOR, systemContext, type RequestContext } from '../../platform/context.js';
import type { Logger } from '../../platform/logger.js';
import type { InventoryService } from '../inventory/index.js';
import type { DirectoryService } from '../directory/index.js';
import type { SecurityService } from './security.service.js';
import type { SecurityOversightService } from './security.oversight.js';
import type { PatchComplianceService } from './security.patches.js';

const WEAKNESSES = [
  { oid: '1.3.6.1.4.1.25623.1.0.108021', name: 'OpenSSH 用户枚举漏洞', port: '22/tcp', threat: 'Medium', cve: 'CVE-2018-15473' },
  { oid: '1.3.6.1.4.1.25623.1.0.117479', name: 'Apache Log4j2 远程代码执行漏洞', port: '8080/tcp', threat: 'High', cve: 'CVE-2021-44228', score: '10.0' },
  { oid: '1.3.6.1.4.1.25623.1.0.105042', name: 'OpenSSL 心脏出血漏洞', port: '443/tcp', threat: 'High', cve: 'CVE-2014-0160' },
  { oid: '1.3.6.1.4.1.25623.1.0.100151', name: 'MySQL 弱口令', port: '3306/tcp', threat: 'High', cve: '' },
  { oid: '1.3.6.1.4.1.25623.1.0.800152', name: 'HTTP 明文传输敏感信息', port: '80/tcp', threat: 'Low', cve: '' },
  { oid: '1.3.6.1.4.1.25623.1.0.150713', name: 'TLS 1.0/1.1 协议启用', port: '443/tcp', threat: 'Medium', cve: '' },
];

function openvasXml(scanStart: Date, hosts: string[], results: Array<{ ip: string; w: (typeof WEAKNESSES)[number] }>): Buffer {
  const body = results
    .map(
      ({ ip, w }) => `<result><name>${w.name}</name><host>${ip}</host><port>${w.port}</port><nvt oid="${w.oid}"><name>${w.name}</name><family>General</family>
        <refs>${w.cve ? `<ref type="cve" id="${w.cve}"/>` : ''}</refs><solution>升级到厂商修复版本或按加固指南配置</solution></nvt><threat>${w.threat}</threat>${w.score ? `<severity>${w.score}</severity>` : ''}<description>${w.name}（演示扫描）</description></result>`,
    )
    .join('\n');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><report id="demo"><report id="demo"><scan_start>${scanStart.toISOString()}</scan_start>${hosts.map((h) => `<host><ip>${h}</ip></host>`).join('')}<results>${body}</results></report></report>`,
    'utf8',
  );
}

/**
 * The demo city's security supervision, after the simulator's backfill is in the inventory: the pushed 安全漏洞扫描数据
 * imported, and two monthly OpenVAS scans of the first node's hosts by the supervision provider — 25 and 5 days ago —
 * so the register has overdue findings, notices, provider replies, verified fixes (what the second scan no longer
 * finds), a reopened finding and an accepted risk. Loaded once: nothing is done when the demo scans are there already.
 */
export async function loadSecurityDemo(security: SecurityService, inventory: InventoryService, logger: Logger): Promise<void> {
  const ctx = systemContext('demo-loader');
  await security.importPending();
  if ((await security.listScans(ctx)).some((s) => s.fileName?.startsWith('监管扫描-演示'))) return;
  const hosts = (await inventory.list(ctx, { kind: 'cloud_host', status: 'active', page: 1, pageSize: 200 })).items.filter((h) => h.attributes['internalIp']);
  const node = hosts[0]?.node.id;
  if (!node) return;
  const onNode = hosts.filter((h) => h.node.id === node).slice(0, 8);
  const ips = onNode.map((h) => h.attributes['internalIp']!);
  const day = 86_400_000;
  const first = ips.flatMap((ip, i) => WEAKNESSES.filter((_, k) => (i + k) % 3 !== 0).map((w) => ({ ip, w })));
  // The second scan: the first third of the findings are fixed (absent), one new weakness on the last host.
  const second = first.filter((_, i) => i % 3 !== 0);
  try {
    const base = Date.UTC(2026, 0, 1);
    const now = Date.now();
    const start1 = new Date(Math.max(base, now - 25 * day));
    const start2 = new Date(Math.max(base, now - 5 * day));
    await security.importReport(ctx, { format: 'openvas', fileName: '监管扫描-演示-第1次.xml', bytes: openvasXml(start1, ips, first), nodeId: node });
    const listed = await security.listFindings(ctx, { status: 'open', pageSize: 200 });
    const mine = listed.items.filter((f) => ips.includes(f.hostRef));
    for (const [i, f] of mine.entries()) {
      if (i % 4 === 0) await security.notify(ctx, f.id, '请按期完成整改并反馈');
      if (i % 8 === 0) await security.reply(ctx, f.id, '已完成补丁升级，附升级记录');
      if (i === 5) await security.accept(ctx, f.id, { reason: '系统计划下线，已加访问控制', until: new Date(now + 60 * day).toISOString().slice(0, 10) });
    }
    await security.importReport(ctx, { format: 'openvas', fileName: '监管扫描-演示-第2次.xml', bytes: openvasXml(start2, ips, second), nodeId: node });
  } catch (e) {
    if ((e as { code?: string }).code === 'security.duplicate_report') return;
    logger.warn({ err: e }, 'demo: security scans not loaded');
  }
}

/**
 * The demo city's security events, checks and patch compliance: the pushed 安全补丁安装数据 imported; a closed and an
 * open security event of the first provider; this year's monthly scans recorded for every past month but one (the
 * counter shows it as missing) and a penetration test per past quarter but the last, each covering two providers.
 * Then the demo's security warnings (see loadWarningsDemo). Loaded once (nothing is done when the demo's events are
 * there already).
 */
export async function loadSecurityOversightDemo(
  oversight: SecurityOversightService,
  patches: PatchComplianceService,
  directory: DirectoryService,
  logger: Logger,
): Promise<void> {
  const ctx = systemContext('demo-loader');
  await loadWarningsDemo(oversight, logger);
  try {
    await patches.importPending();
    if ((await oversight.listEvents(ctx, { pageSize: 200 })).items.some((e) => e.title.startsWith('【演示】'))) return;
    const nodes = (await directory.listCloudNodes(ctx)).filter((n) => n.provider);
    const providers = [...new Map(nodes.map((n) => [n.provider!.id, n])).values()];
    const first = providers[0];
    if (!first) return;
    const day = 86_400_000;
    const now = Date.now();
    const closed = await oversight.createEvent(ctx, { title: '【演示】门户网站遭受 SQL 注入攻击', grade: 'IV', category: 'attack', occurredAt: new Date(now - 12 * day).toISOString(), providerId: first.provider!.id, nodeId: first.id, description: 'WAF 告警显示大量注入尝试' });
    await oversight.addEventEntry(ctx, closed.id, { kind: 'tracing', text: '攻击源 198.51.100.23，已确认为扫描器行为，未造成数据泄露' });
    await oversight.closeEvent(ctx, closed.id, '已封禁攻击源地址，修补参数过滤，复测无注入点。');
    const open = await oversight.createEvent(ctx, { title: '【演示】云主机感染挖矿程序', grade: 'III', category: 'malware', occurredAt: new Date(now - 2 * day).toISOString(), providerId: first.provider!.id, nodeId: first.id, description: 'CPU 持续满载，发现可疑进程' });
    await oversight.addEventEntry(ctx, open.id, { kind: 'note', text: '已隔离主机，正在排查入侵路径' });

    const today = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));
    const ids = providers.map((p) => p.provider!.id);
    for (let m = 1; m < month; m++) {
      const d = `${year}-${String(m).padStart(2, '0')}-10`;
      const check = await oversight.planCheck(ctx, { kind: 'vuln_scan', title: `${m} 月漏洞扫描`, plannedDate: d, providerIds: ids });
      if (m !== month - 2) await oversight.recordCheck(ctx, check.id, { doneDate: d, resultSummary: '已出具扫描报告，发现的漏洞已通报', findingsCount: 3 + (m % 4) });
    }
    const quarter = Math.floor((month - 1) / 3) + 1;
    for (let q = 1; q <= quarter && ids.length >= 2; q++) {
      const d = `${year}-${String((q - 1) * 3 + 2).padStart(2, '0')}-20`;
      const check = await oversight.planCheck(ctx, { kind: 'pentest', title: `第 ${q} 季度渗透测试`, plannedDate: d, providerIds: [ids[(q - 1) % ids.length]!, ids[q % ids.length]!] });
      if (q < quarter - 1 && d < today) await oversight.recordCheck(ctx, check.id, { doneDate: d, resultSummary: '发现 1 个高危、2 个中危，已下发安全隐患通知单', findingsCount: 3 });
    }
  } catch (e) {
    logger.warn({ err: e }, 'demo: security events and checks not loaded');
  }
}

/**
 * The demo city's security warnings (安全预警): four records of 安全预警监测数据 as the supervision provider would push
 * them (stored under batch 0: the demo loader has no push writer), each naming a demo host with an unfixed finding
 * (IP and CVE), matched by the service's own matching; of their notices one is replied 已处置 with a small evidence
 * file, one 不受影响 with the reason, one open within its deadline and one overdue (moved back ten days). Needs the
 * demo scans (loadSecurityDemo) first; loaded once (nothing is done when the demo warnings are there already).
 */
export async function loadWarningsDemo(oversight: SecurityOversightService, logger: Logger): Promise<void> {
  const warnings = oversight.warnings;
  try {
    const hosts = await warnings.demoFindingHosts(4);
    if (hosts.length === 0) return;
    const at = (i: number) => hosts[i % hosts.length]!;
    const cve = (i: number) => at(i).cves[0] ?? '';
    const ids = await warnings.storeDemoWarnings([
      { monitorTypeText: '漏洞发布', daysAgo: 6, monitoredBy: '监管服务商值班员', content: `【演示】监测发现 ${at(0).ip} 存在 ${cve(0)} 高危漏洞，厂商已发布修复版本，请立即升级。` },
      { monitorTypeText: '补丁发布', daysAgo: 5, monitoredBy: '监管服务商值班员', content: `【演示】操作系统厂商发布安全补丁，涉及 ${cve(1)}，请核查 ${at(1).ip} 是否受影响并安装补丁。` },
      { monitorTypeText: '漏洞发布', daysAgo: 1, monitoredBy: '监管服务商值班员', content: `【演示】监测发现 ${at(2).ip} 对外暴露的服务受 ${cve(2)} 影响，请按期处置并反馈。` },
      { monitorTypeText: '漏洞发布', daysAgo: 12, monitoredBy: '监管服务商值班员', content: `【演示】通报：${at(3).ip} 存在 ${cve(3)} 漏洞利用风险，请于期限内完成处置。` },
    ]);
    if (!ids) return;
    await warnings.matchPending();
    const notices = (await warnings.listNotices(systemContext('demo-loader'), { pageSize: 200 })).items;
    const first = (warningId: string | undefined) => notices.find((n) => n.warningId === warningId);
    const asProvider = (providerId: string): RequestContext => ({ ...systemContext('demo-loader'), actor: { ...SYSTEM_ACTOR, orgId: providerId, orgKind: 'cloud_provider', username: 'demo-provider' } });
    const handled = first(ids[0]);
    if (handled) {
      const evidence = Buffer.from(`演示升级记录\n${at(0).ip}：已升级到厂商修复版本，复测 ${cve(0)} 不再存在。\n`, 'utf8');
      await warnings.reply(asProvider(handled.providerId), handled.id, { outcome: 'handled', note: '已升级到厂商修复版本并复测，附升级记录', evidence: { fileName: '演示-升级记录.txt', contentBase64: evidence.toString('base64') } });
    }
    const unaffected = first(ids[1]);
    if (unaffected) await warnings.reply(asProvider(unaffected.providerId), unaffected.id, { outcome: 'not_affected', note: '该主机未安装受影响的组件版本，不受影响' });
    const overdue = first(ids[3]);
    if (overdue) await warnings.backdateDemoNotice(overdue.id, 10);
  } catch (e) {
    logger.warn({ err: e }, 'demo: security warnings not loaded');
  }
}

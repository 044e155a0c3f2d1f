/**
 * One generator per interface table (all 35 of INTERFACE_TABLES): records valid to the registry's formats for one
 * (provider, node) and one period — a 5-minute slot for PT5M tables, a Beijing day for P1D, a week for P1W. Values
 * are strings (as a CSV would carry them), times `YYYY-MM-DD HH:mm:ss` Beijing time, an4 codes from the code tables
 * of migration 0040, machine rooms from the node, cloudProvider = the provider's 4-character code. Metrics follow a
 * daily curve; the randomness comes from a PRNG seeded by (seed, node, table, period), so a slot always yields the
 * same records.
 */
import { INTERFACE_TABLES } from '../modules/ingestion/index.js';
import type { Fleet, FleetHost, FleetNode, FleetProvider, FleetSystem } from './fleet.js';
import { Rng, SLOT_MS, beijingDate, beijingDateTime, beijingHour, beijingWeekday, dec, hash32 } from './random.js';

export type SimRecord = Record<string, string>;

export interface GenContext {
  fleet: Fleet;
  provider: FleetProvider;
  node: FleetNode;
  /** Start of the period (UTC ms): the 5-minute slot, the Beijing day or the Beijing week. */
  at: number;
  rng: Rng;
  /** Scales the volume of network-protocol records and logs (1 = normal, 0.2 = a fifth). */
  density: number;
}

export type Period = 'PT5M' | 'P1D' | 'P1W';

export interface TableGenerator {
  table: string;
  period: Period;
  generate(c: GenContext): SimRecord[];
}

const periodOf = new Map(INTERFACE_TABLES.map((t) => [t.name, t.period]));

/** Load factor 0…1 of a system at an instant: office systems on working hours, public ones all day with an evening peak. */
export function loadFactor(profile: FleetSystem['profile'], at: number): number {
  const h = beijingHour(at);
  const bump = (c: number, w: number) => Math.exp(-(((h - c) / w) ** 2));
  if (profile === 'office') {
    const workday = beijingWeekday(at) < 5;
    return workday ? Math.min(1, 0.05 + 0.85 * bump(10, 1.8) + 0.8 * bump(15, 2)) : 0.05 + 0.05 * bump(11, 3);
  }
  return Math.min(1, 0.15 + 0.45 * bump(10.5, 3) + 0.6 * bump(20.5, 2.5));
}

/** Number of events in a slot for a mean rate, scaled by density (at least 0). */
function count(c: GenContext, mean: number): number {
  const m = mean * c.density;
  const whole = Math.floor(m);
  return whole + (c.rng.chance(m - whole) ? 1 : 0);
}

const systemOfHost = (node: FleetNode, host: FleetHost): FleetSystem => node.systems.find((s) => s.systemId === host.systemId)!;
const secTime = (c: GenContext) => c.at + c.rng.int(0, SLOT_MS / 1000 - 1) * 1000;
const clientIp = (c: GenContext) => (c.rng.chance(0.6) ? `10.${c.rng.int(1, 99)}.${c.rng.int(0, 255)}.${c.rng.int(1, 254)}` : `${c.rng.pick([36, 58, 111, 114, 123, 180, 223])}.${c.rng.int(0, 255)}.${c.rng.int(0, 255)}.${c.rng.int(1, 254)}`);
const ephemeralPort = (c: GenContext) => String(c.rng.int(32768, 60999));
const fictionalMobile = (key: string) => `138001${String(hash32(key) % 100000).padStart(5, '0')}`;

/** A random share of the node's hosts, at least one when it has any (a weekly scan always finds something). */
function someHosts(c: GenContext, share: number): FleetHost[] {
  const picked = c.node.hosts.filter(() => c.rng.chance(share));
  return picked.length === 0 && c.node.hosts.length > 0 ? [c.rng.pick(c.node.hosts)] : picked;
}

function anyHost(c: GenContext): FleetHost | null {
  return c.node.hosts.length ? c.rng.pick(c.node.hosts) : null;
}

function protocolBase(c: GenContext, dstPort: number, withIngest = true): SimRecord | null {
  const host = anyHost(c);
  if (!host) return null;
  const t = secTime(c);
  const r: SimRecord = { timestamp: beijingDateTime(t) };
  if (withIngest) {
    r.ingestTime = beijingDateTime(t + c.rng.int(1, 30) * 1000);
    r.nodeName = c.node.name;
    r.nodeType = '云节点';
  }
  r.srcIp = clientIp(c);
  r.srcPort = ephemeralPort(c);
  r.dstIp = host.ip;
  r.dstPort = String(dstPort);
  return r;
}

function many(c: GenContext, mean: number, make: () => SimRecord | null): SimRecord[] {
  const out: SimRecord[] = [];
  const n = count(c, mean);
  for (let i = 0; i < n; i++) {
    const r = make();
    if (r) out.push(r);
  }
  return out;
}

const PATHS = ['/', '/index.html', '/api/login', '/api/notice/list', '/api/project/query', '/static/app.js', '/portal/home', '/api/expert/draw'];
const ATTACKS = [
  ['SQL 注入攻击', 'Web 攻击'],
  ['跨站脚本攻击', 'Web 攻击'],
  ['端口扫描', '扫描探测'],
  ['暴力破解 SSH', '口令攻击'],
  ['恶意文件上传', 'Web 攻击'],
  ['异常外联', '异常行为'],
] as const;
const HOST_LOG_LINES: Array<[string, string, (c: GenContext, h: FleetHost) => string]> = [
  ['secure', '安全日志', (c, h) => `sshd[${c.rng.int(1000, 65000)}]: Accepted publickey for ops from ${clientIp(c)} port ${ephemeralPort(c)} ssh2 on ${h.name}`],
  ['secure', '安全日志', (c) => `sshd[${c.rng.int(1000, 65000)}]: Failed password for invalid user admin from ${clientIp(c)} port ${ephemeralPort(c)} ssh2`],
  ['messages', '系统日志', (c) => `systemd[1]: Started Session ${c.rng.int(100, 9999)} of user ops.`],
  ['cron', '系统日志', () => 'CROND: (root) CMD (/usr/lib64/sa/sa1 1 1)'],
  ['audit', '审计日志', (c) => `type=USER_CMD msg=audit: pid=${c.rng.int(1000, 65000)} uid=1000 cmd="systemctl status nginx"`],
];

function businessSystemRecord(c: GenContext, s: FleetSystem): SimRecord {
  const a = s.attributes ?? {};
  const pick = (key: string, fallback: string) => {
    const v = a[key];
    return typeof v === 'string' && v.trim() !== '' ? v : fallback;
  };
  const r: SimRecord = {
    userUnitId: s.unitCode,
    unitPostcode: '100000',
    cloudPlatform: c.provider.code,
    deploymentNode: c.node.code,
    machineRoom: s.roomCode,
    systemId: s.systemId,
    systemName: s.name.slice(0, 200),
    cloudTestDate: s.cloudTestDate,
    contactName: pick('contactName', '值班联系人').slice(0, 50),
    contactMobile: (/^1\d{10}$/.test(a.contactMobile ?? '') ? a.contactMobile! : fictionalMobile(s.systemId)),
    contactEmail: (/^[^@\s*]+@[^@\s]+$/.test(a.contactEmail ?? '') ? a.contactEmail! : `ops${hash32(s.systemId) % 1000}@example.gov.cn`).slice(0, 50),
    preApprovalStatus: pick('preApprovalStatus', '已完成立项审批').slice(0, 200),
    functionDescription: pick('functionDescription', `${s.name}：业务受理、查询与统计。`).slice(0, 8000),
    systemType: pick('systemType', s.profile === 'office' ? '内部办公' : '业务生产系统').slice(0, 50),
    securityGradingLevel: pick('gradingLevel', '二级').slice(0, 50),
    operatingHours: pick('operatingHours', s.profile === 'office' ? '5*8小时' : '7*24小时').slice(0, 50),
    serviceAudience: pick('serviceAudience', `${s.unitName}工作人员`).slice(0, 200),
    serviceScope: pick('serviceScope', '全市').slice(0, 200),
    networkNature: pick('networkNature', s.networkType === 'GWWW' ? '政务外网' : s.networkType === 'INET' ? '互联网' : '政务外网及互联网').slice(0, 50),
    interconnection: pick('interconnection', '无').slice(0, 50),
    goLiveDate: s.goLiveDate,
    accessUrl: pick('accessUrl', `https://${s.publicIps[0]?.domain ?? `sys${hash32(s.systemId) % 100000}.example.gov.cn`}`).slice(0, 200),
    appVendor: pick('appVendor', '示例软件有限公司').slice(0, 200),
  };
  return r;
}

const gen = (table: string, generate: (c: GenContext) => SimRecord[]): TableGenerator => {
  const period = periodOf.get(table);
  if (!period) throw new Error(`simulator: ${table} is not an interface table`);
  return { table, period, generate };
};

export const GENERATORS: readonly TableGenerator[] = [
  // (1) 资产数据 — weekly, the full list of physical devices.
  gen('assets', (c) =>
    c.node.devices.map((d) => ({
      assetCategory: d.category,
      deviceName: d.name,
      serialNumber: d.serial,
      deviceBrand: d.brand,
      deviceModel: d.model,
      hostSpec: d.spec,
      internalIp: d.ip,
      cloudProvider: c.provider.code,
      networkType: 'GWWW',
      runStatus: 'RUNN',
      commissionDate: d.commissionDate,
      machineRoom: d.roomCode,
      rackNumber: d.rack,
      rackUnitPosition: d.unitPosition,
      powerRating: d.power,
      powerSupplyType: d.powerSupplyType,
      managementType: 'SELF',
      managingUnit: c.provider.name.slice(0, 200),
      managerName: '机房运维组',
      businessSystemName: d.category === 'SERV' ? '云平台计算资源池' : d.category === 'STOR' ? '云平台存储资源池' : '云平台网络与安全',
      managerPhone: fictionalMobile(d.serial),
      remarks: '',
    })),
  ),
  // (2) 环控数据 — every 5 minutes per device.
  gen('temperatureHumiditySensor', (c) =>
    c.node.env.filter((e) => e.kind === 'temperatureHumidity').map((e) => ({
      machineRoom: e.roomCode,
      location: e.location,
      temperature: dec(23 + 1.5 * Math.sin((beijingHour(c.at) / 24) * 2 * Math.PI) + 0.4 * c.rng.noise(), 2, -50, 99),
      humidity: dec(45 + 4 * Math.cos((beijingHour(c.at) / 24) * 2 * Math.PI) + c.rng.noise(), 2, 0, 100),
    })),
  ),
  gen('generator', (c) =>
    c.node.env.filter((e) => e.kind === 'generator').map((e) => ({
      generatorId: e.id,
      location: e.location,
      faultStatus: '正常',
      fuelLevel: dec(85 - (hash32(e.id, Math.floor(c.at / 86_400_000)) % 10) + 0.1 * c.rng.noise(), 2, 0, 100),
      runStatus: 'STOP',
    })),
  ),
  gen('aduBatteryMonitor', (c) =>
    c.node.env.filter((e) => e.kind === 'adu').map((e) => ({
      deviceId: e.id,
      machineRoom: e.roomCode,
      location: e.location,
      current: dec(1.2 + 0.2 * c.rng.noise(), 2, 0),
      totalVoltage: dec(541 + 2 * c.rng.noise(), 2, 0),
      backupTime: dec(45 + c.rng.noise(), 2, 0),
    })),
  ),
  gen('ups', (c) =>
    c.node.env.filter((e) => e.kind === 'ups').map((e) => {
      const current = dec(2.1 + 0.3 * c.rng.noise(), 2, 0);
      return {
        machineRoom: e.roomCode,
        location: e.location,
        inputFrequency: dec(50 + 0.05 * c.rng.noise(), 2, 0),
        ambientTemperature: dec(24 + 0.5 * c.rng.noise(), 2, 0, 99),
        ambientHumidity: dec(46 + c.rng.noise(), 2, 0, 100),
        outputFrequency: dec(50 + 0.02 * c.rng.noise(), 2, 0),
        batteryTotalVoltage: dec(545 + 2 * c.rng.noise(), 2, 0),
        batteryTotalCurrent: current,
        batteryTemperature: dec(25 + 0.5 * c.rng.noise(), 2, 0),
        batteryBackupTime: dec(30 + c.rng.noise(), 2, 0),
        batteryRemainingCapacity: dec(99 + 0.5 * c.rng.noise(), 2, 0, 100),
        batteryTotalCurrent2: current,
        upsPowerSupplyStatus: '市电供电',
        upsRunStatus: '正常',
        batteryRunStatus: '浮充',
        mainsInputAlarmStatus: '正常',
        batteryAlarmStatus: '正常',
      };
    }),
  ),
  gen('collector', (c) =>
    c.node.env.filter((e) => e.kind === 'collector').map((e) => ({
      machineRoom: e.roomCode,
      location: e.location.slice(0, 50),
      waterLeakStatus: '无漏水',
      infraredStatus: beijingHour(c.at) > 8 && beijingHour(c.at) < 18 && c.rng.chance(0.2) ? '有人' : '无人',
      relayOutput: '断开',
    })),
  ),
  gen('rowPowerCabinet', (c) =>
    c.node.env.filter((e) => e.kind === 'rowPowerCabinet').map((e) => {
      const load = 35 + 10 * loadFactor('public', c.at);
      const phase = () => dec(220 + 2 * c.rng.noise(), 2, 0);
      const amps = () => dec((load / 100) * 32 + c.rng.noise(), 2, 0);
      const rate = () => dec(load + 2 * c.rng.noise(), 2, 0, 100);
      return {
        machineRoom: e.roomCode,
        rackNumber: e.rackNumber,
        phaseAVoltage: phase(),
        phaseBVoltage: phase(),
        phaseCVoltage: phase(),
        phaseACurrent: amps(),
        phaseBCurrent: amps(),
        phaseCCurrent: amps(),
        phaseALoadRate: rate(),
        phaseBLoadRate: rate(),
        phaseCLoadRate: rate(),
      };
    }),
  ),
  gen('powerMeter', (c) =>
    c.node.env.filter((e) => e.kind === 'powerMeter').map((e) => {
      // A cumulative meter: about 60 kWh per 5 minutes, wrapping below the d6,2 limit.
      const slots = Math.floor(c.at / SLOT_MS);
      const active = 100_000 + ((slots * 60 + (hash32(e.id) % 1000)) % 800_000);
      return {
        machineRoom: e.roomCode,
        location: e.location,
        totalActiveEnergy: dec(active + c.rng.float(0, 0.99), 2, 0, 999_999.99),
        totalReactiveEnergy: dec(active * 0.18, 2, 0, 999_999.99),
      };
    }),
  ),
  // (3) 网络协议数据 — a modest sample per slot.
  gen('tcp', (c) =>
    many(c, 12, () => {
      const port = c.rng.pick([443, 80, 22, 3306, 8080]);
      const r = protocolBase(c, port);
      if (!r) return null;
      r.collectionEngine = `probe-${c.node.code}-01`;
      r.connectionEstablished = c.rng.chance(0.95) ? '1' : '0';
      r.connectionCount = String(c.rng.int(1, 40));
      r.sessionTotalLength = String(c.rng.int(400, 2_000_000));
      r.applicationProtocol = port === 443 ? 'HTTPS' : port === 80 || port === 8080 ? 'HTTP' : port === 22 ? 'SSH' : 'MySQL';
      return r;
    }),
  ),
  gen('http', (c) =>
    many(c, 8, () => {
      const https = c.rng.chance(0.8);
      const r = protocolBase(c, https ? 443 : 80);
      if (!r) return null;
      const host = c.node.hosts.find((h) => h.ip === r.dstIp)!;
      const system = systemOfHost(c.node, host);
      const domain = system.publicIps[0]?.domain ?? `sys${hash32(system.systemId) % 100000}.example.gov.cn`;
      const path = c.rng.pick(PATHS);
      const method = path.startsWith('/api/login') ? 'POST' : 'GET';
      const status = c.rng.chance(0.96) ? '200' : c.rng.pick(['302', '404', '500']);
      r.host = domain;
      r.requestFullPath = `${https ? 'https' : 'http'}://${domain}${path}`;
      r.statusCode = status;
      r.realIp = r.srcIp!;
      r.requestMethod = method;
      r.httpType = https ? '1' : '0';
      r.requestHeaders = `Host: ${domain}\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*`;
      r.responseHeaders = `Content-Type: ${path.endsWith('.js') ? 'application/javascript' : 'text/html; charset=utf-8'}`;
      r.responseServer = 'nginx';
      r.inboundBytes = String(c.rng.int(300, 4000));
      r.outboundBytes = String(c.rng.int(500, 400_000));
      return r;
    }),
  ),
  gen('dns', (c) =>
    many(c, 6, () => {
      const r = protocolBase(c, 53);
      if (!r) return null;
      const domain = c.rng.pick(['www.beijing.gov.cn', 'zwfw.beijing.gov.cn', 'mirrors.example.cn', 'ntp.example.cn', 'api.example.gov.cn']);
      const answer = `${c.rng.int(1, 223)}.${c.rng.int(0, 255)}.${c.rng.int(0, 255)}.${c.rng.int(1, 254)}`;
      // Resolver traffic goes from the host to the node's DNS, not to the host.
      r.srcIp = r.dstIp!;
      r.dstIp = c.node.accessIps.find((a) => a.networkType === 'GWWW')!.range.split('/')[0]!.replace(/\.0$/, '.53');
      r.queryDomain = domain;
      r.dnsType = '1';
      r.queryType = 'A';
      r.requestType = '1';
      r.returnCode = '0';
      r.requestRecordClass = 'IN';
      r.response = `${domain}. 300 IN A ${answer}`;
      r.recordTtlSeconds = '300';
      r.domainLevel = String(domain.split('.').length);
      r.responseData = answer;
      r.responseDataLength = String(answer.length);
      r.domainLength = String(domain.length);
      r.answerRecordCount = '1';
      r.queryDomainCount = '1';
      r.topLevelDomain = 'cn';
      r.additionalRecordCount = '0';
      r.authorityRecordCount = '0';
      r.responseIpCount = '1';
      return r;
    }),
  ),
  gen('smtp', (c) =>
    many(c, 1, () => {
      const r = protocolBase(c, 25);
      if (!r) return null;
      r.mailType = '1';
      r.user = `notice${c.rng.int(1, 9)}@example.gov.cn`;
      r.encrypted = c.rng.chance(0.7) ? '1' : '0';
      return r;
    }),
  ),
  gen('pop3', (c) =>
    many(c, 0.5, () => {
      const r = protocolBase(c, 995);
      if (!r) return null;
      r.user = `staff${c.rng.int(1, 99)}@example.gov.cn`;
      r.mailType = '2';
      r.encrypted = '1';
      return r;
    }),
  ),
  gen('imap', (c) =>
    many(c, 0.5, () => {
      const r = protocolBase(c, 993);
      if (!r) return null;
      r.user = `staff${c.rng.int(1, 99)}@example.gov.cn`;
      r.encrypted = '1';
      return r;
    }),
  ),
  gen('ftp', (c) =>
    many(c, 0.5, () => {
      const r = protocolBase(c, 21, false);
      if (!r) return null;
      r.transferMode = c.rng.pick(['PASV', 'PORT']);
      r.fileName = `/upload/${beijingDate(c.at).replace(/-/g, '')}/report_${c.rng.int(1, 999)}.xlsx`;
      r.fileMd5 = c.rng.hex(32);
      return r;
    }),
  ),
  // (4) 日志数据 — security-device and host logs (also sent over syslog by syslog-sender.ts).
  gen('securityDeviceLog', (c) => {
    const devices = c.node.devices.filter((d) => d.category === 'SECU');
    return devices.flatMap((d) =>
      many(c, 2, () => {
        const host = anyHost(c);
        const [alarmName, alarmType] = c.rng.pick(ATTACKS);
        return {
          occurredAt: beijingDateTime(secTime(c)),
          alarmName,
          reportingDeviceIp: d.ip,
          deviceName: d.name,
          serialNumber: d.serial,
          deviceType: d.deviceType,
          srcIp: clientIp(c),
          srcPort: ephemeralPort(c),
          dstIp: host?.ip ?? d.ip,
          dstPort: String(c.rng.pick([80, 443, 22])),
          logLevel: c.rng.pick(['低', '中', '高']),
          alarmType,
          logContent: `${alarmName}：已阻断`,
        };
      }),
    );
  }),
  gen('hostLog', (c) =>
    many(c, 4, () => {
      const h = anyHost(c);
      if (!h) return null;
      const [logName, logType, body] = c.rng.pick(HOST_LOG_LINES);
      return {
        occurredAt: beijingDateTime(secTime(c)),
        cloudHostId: h.cloudHostId,
        hostName: h.name,
        hostIp: h.ip,
        osType: h.osType,
        logName,
        logType,
        logBody: body(c, h),
      };
    }),
  ),
  // (5) 云平台数据 — daily.
  gen('platformSpec', (c) => {
    const n = c.node;
    const cap = n.capacity;
    const gb = (tib: number) => tib * 1024;
    const cpuAllocated = n.hosts.reduce((s, h) => s + h.vcpu, 0);
    const memAllocated = n.hosts.reduce((s, h) => s + h.memoryGiB, 0);
    const stdAllocated = n.hosts.reduce((s, h) => s + h.standardStorageGiB, 0);
    const hpAllocated = n.hosts.reduce((s, h) => s + h.highPerfStorageGiB, 0);
    const bwAllocated = n.systems.reduce((s, sys) => s + sys.publicIps.reduce((t, p) => t + p.bandwidthMbps, 0), 0);
    return [
      {
        cloudProvider: c.provider.code,
        machineRoom: n.rooms[0]!,
        platformVendor: c.provider.vendor,
        platformNetworkType: 'GWIN',
        cpuTotal: String(cap.cpu),
        cpuAllocated: String(cpuAllocated),
        memoryTotal: dec(cap.memoryGiB, 2),
        memoryAllocated: dec(memAllocated, 2),
        standardStorageTotal: dec(gb(cap.standardTiB), 2),
        standardStorageAllocated: dec(stdAllocated, 2),
        highPerfStorageTotal: dec(gb(cap.highPerfTiB), 2),
        highPerfStorageAllocated: dec(hpAllocated, 2),
        staticStorageTotal: dec(gb(cap.staticTiB), 2),
        staticStorageAllocated: '0.00',
        internetBandwidthTotal: dec(cap.bandwidthMbps, 2),
        internetBandwidthAllocated: dec(bwAllocated, 2),
      },
    ];
  }),
  gen('platformNetworkAccessIp', (c) =>
    c.node.accessIps.map((a) => ({
      networkType: a.networkType,
      cloudProvider: c.provider.code,
      machineRoom: a.roomCode,
      carrier: a.carrier,
      ipAddressOrRange: a.range,
      primaryLinkBandwidth: dec(a.primaryMbps, 2),
      backupLinkBandwidth: dec(a.backupMbps, 2),
    })),
  ),
  // (6) 服务数据 — daily, full lists.
  gen('businessSystem', (c) => c.node.systems.map((s) => businessSystemRecord(c, s))),
  gen('cloudHostSpec', (c) =>
    c.node.systems.flatMap((s) =>
      s.hosts.map((h) => ({
        systemId: s.systemId,
        cloudHostName: h.name,
        cloudHostId: h.cloudHostId,
        internalIp: h.ip,
        cloudHostType: h.type,
        runStatus: 'RUNN',
        cloudPlatform: c.provider.code,
        regionCode: h.roomCode,
        networkType: s.networkType,
        createdDate: h.createdDate,
        cpuCores: String(h.vcpu),
        memoryAllocated: dec(h.memoryGiB, 2),
        standardStorageAllocated: dec(h.standardStorageGiB, 2),
        highPerfStorageAllocated: dec(h.highPerfStorageGiB, 2),
        staticStorageAllocated: '0.00',
        localVideoStorageAllocated: '0.00',
        offsiteStorageAllocated: '0.00',
      })),
    ),
  ),
  gen('internetBandwidthService', (c) =>
    c.node.systems.flatMap((s) => s.publicIps.map((p) => ({ systemId: s.systemId, internetIp: p.ip, systemDomain: p.domain, bandwidth: dec(p.bandwidthMbps, 2), startDate: p.startDate }))),
  ),
  gen('loadBalancerService', (c) =>
    c.node.systems.flatMap((s) =>
      s.loadBalancers.map((lb) => ({ systemId: s.systemId, internalIp: lb.internalIp, externalIp: lb.externalIp, loadBalancerIp: lb.lbIp, openPort: String(lb.port), openedDate: lb.openedDate })),
    ),
  ),
  gen('vpnService', (c) =>
    c.node.systems.flatMap((s) => s.vpnAccounts.map((v) => ({ systemId: s.systemId, vpnType: v.vpnType, account: v.account, accessibleRange: v.range, openedDate: v.openedDate }))),
  ),
  gen('wafService', (c) =>
    c.node.systems.flatMap((s) => s.waf.map((w) => ({ systemId: s.systemId, ipAddress: w.ip, port: String(w.port), protectionType: w.protectionType, openedDate: w.openedDate }))),
  ),
  gen('remoteAccessService', (c) =>
    c.node.systems.flatMap((s) => s.remoteAccounts.map((r) => ({ systemId: s.systemId, account: r.account, accessibleRange: r.range, openedDate: r.openedDate }))),
  ),
  gen('leasedLineService', (c) =>
    c.node.systems.flatMap((s) =>
      s.leasedLines.map((l) => ({
        systemId: s.systemId,
        carrier: l.carrier,
        leasedLinePurpose: l.purpose.slice(0, 200),
        startTime: l.startDate,
        localEndAddress: l.localEnd,
        remoteEndAddress: l.remoteEnd,
        patchCabinetNumber: l.patchCabinet,
        cloudRackNumber: l.cloudRack,
        accessDeviceName: l.accessDevice,
        accessDevicePort: String(l.accessPort),
      })),
    ),
  ),
  // (7) 监控数据.
  gen('cloudHostMonitoring', (c) =>
    c.node.systems.flatMap((s) => {
      const load = loadFactor(s.profile, c.at);
      return s.hosts.map((h) => {
        const day = Math.floor(c.at / 86_400_000);
        const bwBase = s.publicIps[0]?.bandwidthMbps ?? 10;
        return {
          cloudHostId: h.cloudHostId,
          monitoredAt: beijingDateTime(c.at),
          internalIp: h.ip,
          cpuUsage: dec(h.baseCpu * (0.4 + load) + 3 * c.rng.noise(), 2, 0.5, 99.5),
          memoryUsage: dec(h.baseMem + 15 * load + 2 * c.rng.noise(), 2, 1, 99.5),
          standardStorageUsage: dec(h.diskUse + (day % 30) * 0.2 + 0.05 * c.rng.noise(), 2, 0, 100),
          highPerfStorageUsage: h.highPerfStorageGiB > 0 ? dec(h.diskUse * 0.8 + 0.05 * c.rng.noise(), 2, 0, 100) : '0.00',
          staticStorageUsage: '0.00',
          localVideoStorageUsage: '0.00',
          offsiteVideoUsage: '0.00',
          diskWritePeak: dec((5 + 60 * load) * (1 + 0.2 * c.rng.noise()), 4, 0),
          diskReadPeak: dec((8 + 90 * load) * (1 + 0.2 * c.rng.noise()), 4, 0),
          bandwidthUpPeak: dec(bwBase * 0.05 * (0.2 + load) * (1 + 0.2 * c.rng.noise()), 8, 0),
          bandwidthDownPeak: dec(bwBase * 0.2 * (0.2 + load) * (1 + 0.2 * c.rng.noise()), 8, 0),
        };
      });
    }),
  ),
  gen('appNetworkEgress', (c) =>
    c.node.systems
      .filter((s) => s.hosts.length > 0)
      .map((s) => {
        const load = loadFactor(s.profile, c.at);
        const bw = s.publicIps[0]?.bandwidthMbps ?? 100;
        return {
          systemId: s.systemId,
          networkType: s.networkType,
          monitoredAt: beijingDateTime(c.at),
          bandwidthUpPeak: dec(bw * 0.1 * (0.1 + load) * (1 + 0.15 * c.rng.noise()), 8, 0),
          bandwidthDownPeak: dec(bw * 0.4 * (0.1 + load) * (1 + 0.15 * c.rng.noise()), 8, 0),
        };
      }),
  ),
  gen('vpnRemoteLogin', (c) =>
    c.node.systems.flatMap((s) =>
      many(c, 0.3 * (0.2 + loadFactor('office', c.at)), () => {
        const viaVpn = c.rng.chance(0.6);
        const account = viaVpn ? s.vpnAccounts[0]?.account : s.remoteAccounts[0]?.account;
        if (!account) return null;
        const login = secTime(c);
        const r: SimRecord = {
          systemId: s.systemId,
          networkType: s.networkType,
          monitoredAt: beijingDateTime(c.at),
          accessType: viaVpn ? 'VPN' : '远程接入',
          account,
          sessionId: `s-${c.rng.hex(16)}`,
          loginTime: beijingDateTime(login),
        };
        if (c.rng.chance(0.5)) r.logoutTime = beijingDateTime(Math.min(login + c.rng.int(60, 3600) * 1000, c.at + SLOT_MS - 1000));
        return r;
      }),
    ),
  ),
  gen('opsMonitoring', (c) => {
    const checks: Array<[string, string]> = [
      ['可用性检测', '门户网站可访问性'],
      ['设备巡检', '核心交换机端口状态'],
      ['设备巡检', '存储池容量'],
      ['安全检测', '防火墙策略命中'],
      ['环境巡检', '机房温湿度'],
    ];
    const [checkType, checkContent] = checks[Math.floor(c.at / SLOT_MS) % checks.length]!;
    return [{ checkType, checkContent, isNormal: c.rng.chance(0.98) ? '是' : '否', checkedAt: beijingDateTime(c.at + 60_000), checkedBy: '运维值班组' }];
  }),
  gen('vulnerabilityScan', (c) =>
    someHosts(c, 0.3)
      .map((h) => {
        const risk = c.rng.pick(['高', '中', '中', '低', '低']);
        const status = c.rng.pick(['完成整改', '完成整改', '部分整改', '未整改']);
        // Weekly tables report the week before `at`.
        const scanned = c.at - c.rng.int(72, 160) * 3600_000;
        const r: SimRecord = {
          vulnerabilityName: c.rng.pick(['OpenSSH 信息泄露漏洞', 'Nginx 越界读取漏洞', 'Apache Log4j2 远程代码执行漏洞', 'SSL/TLS 弱加密套件', 'MySQL 权限提升漏洞']),
          vulnerabilityType: c.rng.pick(['远程代码执行', '信息泄露', '配置缺陷', '权限提升']),
          riskLevel: risk,
          cloudHostId: h.cloudHostId,
          systemId: h.systemId,
          scannedAt: beijingDateTime(scanned),
          notifiedRelatedUnits: '是',
          remediationStatus: status,
        };
        if (status !== '未整改') r.remediatedAt = beijingDateTime(scanned + c.rng.int(24, 70) * 3600_000);
        return r;
      }),
  ),
  gen('patchInstallation', (c) =>
    someHosts(c, 0.4)
      .map((h) => {
        const installed = c.at - c.rng.int(1, 160) * 3600_000;
        const released = installed - c.rng.int(3, 20) * 86_400_000;
        return {
          patchName: h.osType.startsWith('Windows') ? `KB50${c.rng.int(10000, 99999)}` : `${h.osType.split(' ')[0]}-SA-2026:${c.rng.int(1000, 9999)}`,
          cloudHostId: h.cloudHostId,
          patchType: c.rng.pick(['安全更新', '内核补丁', '应用补丁']),
          patchReleasedAt: beijingDate(released),
          patchInstalledAt: beijingDateTime(installed),
          checkedBy: '安全运维组',
        };
      }),
  ),
  gen('securityWarning', (c) =>
    many(c, 3, () => ({
      monitorType: c.rng.pick(['威胁情报', '漏洞预警', '异常流量']),
      monitorContent: c.rng.pick(['新型勒索软件活动预警', '高危漏洞通告', '境外异常访问', '挖矿木马通信']),
      notifiedRelatedUnits: c.rng.chance(0.8) ? '是' : '否',
      monitoredAt: beijingDateTime(c.at - c.rng.int(1, 167) * 3600_000),
      monitoredBy: '安全监测中心',
    })),
  ),
  gen('securityAttack', (c) =>
    many(c, 4, () => {
      const h = anyHost(c);
      if (!h) return null;
      return {
        attackName: c.rng.pick(ATTACKS)[0],
        cloudHostId: h.cloudHostId,
        systemId: h.systemId,
        notifiedRelatedUnits: c.rng.chance(0.7) ? '是' : '否',
        monitoredAt: beijingDateTime(c.at - c.rng.int(1, 167) * 3600_000),
        monitoredBy: '安全监测中心',
      };
    }),
  ),
];

export const GENERATOR_BY_TABLE: ReadonlyMap<string, TableGenerator> = new Map(GENERATORS.map((g) => [g.table, g]));

/** Runs one table's generator for one (provider, node) and period start with its deterministic PRNG. */
export function generateRecords(fleet: Fleet, provider: FleetProvider, node: FleetNode, table: string, at: number, density = 1): SimRecord[] {
  const g = GENERATOR_BY_TABLE.get(table);
  if (!g) throw new Error(`simulator: no generator for ${table}`);
  return g.generate({ fleet, provider, node, at, rng: Rng.of(fleet.seed, node.code, table, at), density });
}

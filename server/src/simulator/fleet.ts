/**
 * The simulated fleet: providers, their cloud nodes and machine rooms, physical and environment devices, the user
 * units' information systems with their cloud hosts and network services. Deterministic from a seed and a skeleton:
 * the skeleton names what must match the platform's directory (provider codes, node codes, room codes, system
 * numbers) — synthetic for a stand-alone run, read from the database for the demo city — and everything else is
 * derived from hashes of the seed and the entity's name, so the same seed gives the same fleet whatever the order.
 */
import { Rng, beijingDate, hash32 } from './random.js';

export interface SkeletonSystem {
  /** 信息系统编号 as registered (unit code + 001 …), or a made-up number for an unregistered system. */
  systemId: string;
  name: string;
  unitCode: string;
  unitName: string;
  /** False: the directory does not know it (the inventory should flag its hosts). */
  registered: boolean;
  /** Machine room the system is placed in (one of the node's rooms); default: the node's first room. */
  roomCode?: string | null;
  /** Registered attributes reported back in 业务系统数据 (systemType, gradingLevel …), when known. */
  attributes?: Record<string, string | null | undefined>;
}

export interface SkeletonNode {
  /** Cloud node code in the directory (the `node` query parameter of a push). */
  code: string;
  name: string;
  id?: string;
  /** Machine room codes (an4) of the node. */
  rooms: string[];
  systems: SkeletonSystem[];
  /** CIDR hints from the node's network zones: addresses are drawn from them when given. */
  internalCidr?: string | null;
  publicCidr?: string | null;
}

export interface SkeletonProvider {
  /** 云服务商 code (an4) of the cloudProvider code table. */
  code: string;
  name: string;
  orgId?: string;
  /** Organisation code in the directory (e.g. CSP-HJ). */
  orgCode?: string;
  nodes: SkeletonNode[];
}

export interface FleetOptions {
  seed: number;
  /** Cloud hosts per information system (before the per-provider cap). */
  hostsPerSystem: number;
  /** Cap on cloud hosts per provider (the demo feed keeps it small); default none. */
  maxHostsPerProvider?: number;
}

export type AssetCategory = 'SERV' | 'STOR' | 'NETW' | 'SECU';

export interface PhysicalDevice {
  category: AssetCategory;
  name: string;
  serial: string;
  brand: string;
  model: string;
  spec: string;
  ip: string;
  roomCode: string;
  rack: string;
  unitPosition: string;
  /** kW, two decimals. */
  power: string;
  powerSupplyType: 'SING' | 'DUAL' | 'HVDC';
  commissionDate: string;
  deviceType: string;
}

export type EnvKind = 'temperatureHumidity' | 'generator' | 'adu' | 'ups' | 'collector' | 'rowPowerCabinet' | 'powerMeter';

export interface EnvDevice {
  kind: EnvKind;
  id: string;
  roomCode: string;
  location: string;
  rackNumber: string;
}

export interface FleetHost {
  cloudHostId: string;
  name: string;
  ip: string;
  systemId: string;
  roomCode: string;
  type: 'GENE' | 'COMP' | 'MEMO';
  vcpu: number;
  memoryGiB: number;
  standardStorageGiB: number;
  highPerfStorageGiB: number;
  osType: string;
  createdDate: string;
  /** Load profile parameters for the daily curve. */
  baseCpu: number;
  baseMem: number;
  diskUse: number;
}

export interface PublicIp {
  ip: string;
  domain: string;
  bandwidthMbps: number;
  startDate: string;
}
export interface LoadBalancer {
  internalIp: string;
  externalIp: string;
  lbIp: string;
  port: number;
  openedDate: string;
}
export interface VpnAccount {
  account: string;
  vpnType: string;
  range: string;
  openedDate: string;
}
export interface RemoteAccount {
  account: string;
  range: string;
  openedDate: string;
}
export interface WafEntry {
  ip: string;
  port: number;
  protectionType: string;
  openedDate: string;
}
export interface LeasedLine {
  carrier: string;
  purpose: string;
  startDate: string;
  localEnd: string;
  remoteEnd: string;
  patchCabinet: string;
  cloudRack: string;
  accessDevice: string;
  accessPort: number;
}

export interface FleetSystem extends SkeletonSystem {
  roomCode: string;
  networkType: 'GWWW' | 'INET' | 'GWIN';
  /** office: working-hours load; public: all-day load with an evening peak. */
  profile: 'office' | 'public';
  hosts: FleetHost[];
  publicIps: PublicIp[];
  loadBalancers: LoadBalancer[];
  vpnAccounts: VpnAccount[];
  remoteAccounts: RemoteAccount[];
  waf: WafEntry[];
  leasedLines: LeasedLine[];
  goLiveDate: string;
  cloudTestDate: string;
}

export interface FleetNode {
  code: string;
  name: string;
  id?: string;
  providerCode: string;
  rooms: string[];
  systems: FleetSystem[];
  hosts: FleetHost[];
  devices: PhysicalDevice[];
  env: EnvDevice[];
  /** Platform capacity (云平台规格): totals. */
  capacity: { cpu: number; memoryGiB: number; standardTiB: number; highPerfTiB: number; staticTiB: number; bandwidthMbps: number };
  /** 云平台网络接入 IP. */
  accessIps: Array<{ networkType: 'GWWW' | 'INET'; carrier: string; range: string; primaryMbps: number; backupMbps: number; roomCode: string }>;
}

export interface FleetProvider {
  code: string;
  name: string;
  orgId?: string;
  orgCode?: string;
  vendor: string;
  nodes: FleetNode[];
}

export interface Fleet {
  seed: number;
  providers: FleetProvider[];
}

/** The usual catalog sizes (vCPU / memory GiB) of cloud hosts. */
export const HOST_SIZES: ReadonlyArray<{ vcpu: number; mem: number; type: FleetHost['type'] }> = [
  { vcpu: 2, mem: 4, type: 'GENE' },
  { vcpu: 4, mem: 8, type: 'GENE' },
  { vcpu: 8, mem: 16, type: 'GENE' },
  { vcpu: 16, mem: 32, type: 'GENE' },
  { vcpu: 8, mem: 16, type: 'COMP' },
  { vcpu: 4, mem: 32, type: 'MEMO' },
  { vcpu: 8, mem: 64, type: 'MEMO' },
];
const STORAGE_SIZES = [100, 200, 500, 1000];
const OS_TYPES = ['CentOS 7.9', 'openEuler 22.03', 'Kylin V10', 'UOS 20', 'Windows Server 2019'];
const VENDORS = ['华为云 Stack', '浪潮云海', '新华三 CAS', '阿里云专有云', '腾讯云 TCE'];
const BRANDS: Record<AssetCategory, Array<[string, string, string]>> = {
  SERV: [['华为', 'FusionServer 2288H V6', '2×Intel Xeon 6330 / 512GB / 2×960GB SSD'], ['浪潮', 'NF5280M6', '2×Intel Xeon 6338 / 512GB / 2×960GB SSD'], ['新华三', 'R4900 G5', '2×Kunpeng 920 / 512GB / 2×960GB SSD']],
  STOR: [['华为', 'OceanStor 5500 V5', '双控 / 256GB 缓存 / 200TB'], ['浪潮', 'AS5600G5', '双控 / 128GB 缓存 / 150TB']],
  NETW: [['华为', 'CE6881-48S6CQ', '48×10GE + 6×100GE'], ['新华三', 'S6850-56HF', '48×25GE + 8×100GE'], ['锐捷', 'RG-S6510-48VS8CQ', '48×25GE + 8×100GE']],
  SECU: [['天融信', 'NGFW4000-UF', '下一代防火墙 20Gbps'], ['奇安信', 'NSG5000', '下一代防火墙 40Gbps'], ['深信服', 'WAF-1000', 'Web 应用防火墙 10Gbps']],
};
const DEVICE_TYPES: Record<AssetCategory, string> = { SERV: '服务器', STOR: '存储', NETW: '交换机', SECU: '防火墙' };
const CARRIERS = ['中国电信', '中国联通', '中国移动', '歌华有线'];

/** Parses `a.b.c.d/nn` into a base address (number) and size, or null. */
function parseCidr(cidr: string | null | undefined): { base: number; size: number } | null {
  const m = cidr ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr) : null;
  if (!m) return null;
  const base = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
  const bits = Number(m[5]);
  return { base, size: 2 ** (32 - bits) };
}

export function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Hands out addresses from a CIDR (skipping network and broadcast), wrapping around when exhausted. */
class AddressPool {
  private next = 1;
  constructor(
    private readonly base: number,
    private readonly size: number,
  ) {}
  take(): string {
    const usable = Math.max(1, this.size - 2);
    const n = this.base + 1 + ((this.next - 1) % usable);
    this.next++;
    return ipv4(n >>> 0);
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isoDateDaysBefore(epochMs: number, days: number): string {
  return beijingDate(epochMs - days * 86_400_000);
}

/** A fixed reference instant for "created / commissioned" dates, so the fleet does not change with the clock. */
const FLEET_EPOCH = Date.UTC(2026, 0, 1);

/**
 * A synthetic skeleton: `providers` providers with codes SP01 …, `nodesPerProvider` nodes (SIM-P01-N1 …) of two rooms
 * each (P011, P012 …) and `systemsPerNode` registered systems of units SIMU01 … (system numbers SIMU01001 …).
 */
export function syntheticSkeleton(opts: { providers: number; nodesPerProvider?: number; systemsPerNode?: number; roomsPerNode?: number }): SkeletonProvider[] {
  const out: SkeletonProvider[] = [];
  const nodesPer = opts.nodesPerProvider ?? 2;
  const systemsPer = opts.systemsPerNode ?? 4;
  const roomsPer = opts.roomsPerNode ?? 2;
  let unit = 0;
  for (let p = 1; p <= opts.providers; p++) {
    const nodes: SkeletonNode[] = [];
    for (let n = 1; n <= nodesPer; n++) {
      const rooms = Array.from({ length: roomsPer }, (_, r) => `P${pad(p, 2)}${String.fromCharCode(65 + ((n - 1) * roomsPer + r) % 26)}`);
      const systems: SkeletonSystem[] = [];
      for (let s = 1; s <= systemsPer; s++) {
        unit++;
        const unitCode = `SIMU${pad(unit, 2)}`;
        const attributes = {
          networkNature: ['政务外网及互联网', '政务外网', '互联网'][unit % 3],
          operatingHours: unit % 4 === 0 ? '5*8小时' : '7*24小时',
          systemType: unit % 4 === 0 ? '内部办公' : '业务生产系统',
        };
        systems.push({ systemId: `${unitCode}001`, name: `模拟单位${unit}业务系统`, unitCode, unitName: `模拟单位${unit}`, registered: true, attributes });
      }
      nodes.push({ code: `SIM-P${pad(p, 2)}-N${n}`, name: `模拟节点 P${p}-${n}`, rooms, systems });
    }
    out.push({ code: `SP${pad(p, 2)}`, name: `模拟云服务商${p}`, nodes });
  }
  return out;
}

/** Fills a skeleton into the full fleet. */
export function buildFleet(skeleton: readonly SkeletonProvider[], opts: FleetOptions): Fleet {
  const providers = skeleton.map((sp, pIndex) => buildProvider(sp, pIndex, opts));
  return { seed: opts.seed, providers };
}

function buildProvider(sp: SkeletonProvider, pIndex: number, opts: FleetOptions): FleetProvider {
  const rng = Rng.of(opts.seed, 'provider', sp.code);
  const provider: FleetProvider = { code: sp.code, name: sp.name, orgId: sp.orgId, orgCode: sp.orgCode, vendor: rng.pick(VENDORS), nodes: [] };
  let hostBudget = opts.maxHostsPerProvider ?? Number.MAX_SAFE_INTEGER;
  for (const [nIndex, sn] of sp.nodes.entries()) {
    const nodeRng = Rng.of(opts.seed, 'node', sn.code);
    const internal = parseCidr(sn.internalCidr) ?? { base: (((10 << 24) >>> 0) + ((100 + ((pIndex * 8 + nIndex) % 150)) << 16)) >>> 0, size: 65536 };
    const publicNet = parseCidr(sn.publicCidr) ?? { base: (((198 << 24) >>> 0) + (51 << 16) + (((pIndex * 8 + nIndex) % 250) << 8)) >>> 0, size: 256 };
    const ipPool = new AddressPool(internal.base, internal.size);
    const devPool = new AddressPool(internal.base + Math.floor(internal.size / 2), Math.floor(internal.size / 2));
    const pubPool = new AddressPool(publicNet.base, publicNet.size);
    const rooms = sn.rooms.length > 0 ? sn.rooms : [`R${pad(hash32(sn.code) % 1000, 3)}`];
    const systems: FleetSystem[] = [];
    const hosts: FleetHost[] = [];
    for (const [sIndex, ss] of sn.systems.entries()) {
      const sysRng = Rng.of(opts.seed, 'system', ss.systemId);
      const roomCode = ss.roomCode && rooms.includes(ss.roomCode) ? ss.roomCode : rooms[sIndex % rooms.length]!;
      const nature = ss.attributes?.networkNature ?? '';
      const networkType: FleetSystem['networkType'] = nature.includes('互联网') && nature.includes('政务外网') ? 'GWIN' : nature.includes('互联网') ? 'INET' : 'GWWW';
      const profile: FleetSystem['profile'] = (ss.attributes?.operatingHours ?? '').startsWith('5*8') || (ss.attributes?.systemType ?? '').includes('办公') ? 'office' : 'public';
      const slug = `${sn.code}-${pad(sIndex + 1, 2)}`.toLowerCase().replace(/[^a-z0-9-]/g, '');
      const want = Math.min(opts.hostsPerSystem, hostBudget);
      hostBudget -= want;
      const sysHosts: FleetHost[] = [];
      for (let h = 1; h <= want; h++) {
        const size = sysRng.pick(HOST_SIZES);
        const role = h === 1 ? 'web' : h === 2 ? 'app' : h === 3 ? 'db' : `app${h}`;
        sysHosts.push({
          cloudHostId: `i-${sysRng.hex(12)}`,
          name: `${slug}-${role}-${pad(h, 2)}`,
          ip: ipPool.take(),
          systemId: ss.systemId,
          roomCode,
          type: size.type,
          vcpu: size.vcpu,
          memoryGiB: size.mem,
          standardStorageGiB: sysRng.pick(STORAGE_SIZES),
          highPerfStorageGiB: role === 'db' ? sysRng.pick(STORAGE_SIZES) : 0,
          osType: sysRng.pick(OS_TYPES),
          createdDate: isoDateDaysBefore(FLEET_EPOCH, sysRng.int(30, 900)),
          baseCpu: sysRng.float(8, 35),
          baseMem: sysRng.float(30, 70),
          diskUse: sysRng.float(20, 75),
        });
      }
      const domain = `sys${hash32(ss.systemId) % 100000}.example.gov.cn`;
      const publicIps: PublicIp[] = networkType === 'GWWW' ? [] : [{ ip: pubPool.take(), domain, bandwidthMbps: sysRng.pick([20, 50, 100, 200]), startDate: isoDateDaysBefore(FLEET_EPOCH, sysRng.int(60, 700)) }];
      const loadBalancers: LoadBalancer[] =
        sysHosts.length >= 2 ? [{ internalIp: sysHosts[0]!.ip, externalIp: publicIps[0]?.ip ?? ipPool.take(), lbIp: ipPool.take(), port: sysRng.pick([80, 443, 8080]), openedDate: isoDateDaysBefore(FLEET_EPOCH, sysRng.int(30, 600)) }] : [];
      const cidrOf = (ip: string) => `${ip.split('.').slice(0, 3).join('.')}.0/24`;
      const anchorIp = sysHosts[0]?.ip ?? ipPool.take();
      const vpnAccounts: VpnAccount[] = [{ account: `vpn_${slug.replace(/-/g, '_')}_ops`, vpnType: sysRng.pick(['SSL VPN', 'IPSec VPN']), range: cidrOf(anchorIp), openedDate: isoDateDaysBefore(FLEET_EPOCH, sysRng.int(30, 600)) }];
      const remoteAccounts: RemoteAccount[] = [{ account: `ra_${slug.replace(/-/g, '_')}`, range: sysHosts.slice(0, 2).map((x) => x.ip).join(',') || anchorIp, openedDate: isoDateDaysBefore(FLEET_EPOCH, sysRng.int(30, 600)) }];
      const waf: WafEntry[] = publicIps.length ? [{ ip: publicIps[0]!.ip, port: 443, protectionType: sysRng.pick(['Web 应用防护', 'CC 防护', 'Web 应用防护及防篡改']), openedDate: publicIps[0]!.startDate }] : [];
      const leasedLines: LeasedLine[] = sIndex === 0 ? [{
        carrier: sysRng.pick(CARRIERS),
        purpose: `${ss.unitName}机关至云机房专线`,
        startDate: isoDateDaysBefore(FLEET_EPOCH, sysRng.int(100, 900)),
        localEnd: ipPool.take(),
        remoteEnd: `172.${20 + (hash32(ss.unitCode) % 10)}.${hash32(ss.systemId) % 250}.1`,
        patchCabinet: `${roomCode}-ODF-${pad(sysRng.int(1, 8), 2)}`,
        cloudRack: `${roomCode}-A${pad(sysRng.int(1, 12), 2)}`,
        accessDevice: `${sn.code}-BORDER-01`,
        accessPort: sysRng.int(1, 48),
      }] : [];
      const goLive = ss.attributes?.goLiveDate && /^\d{4}-\d{2}-\d{2}$/.test(ss.attributes.goLiveDate) ? ss.attributes.goLiveDate : isoDateDaysBefore(FLEET_EPOCH, sysRng.int(100, 1200));
      systems.push({
        ...ss,
        roomCode,
        networkType,
        profile,
        hosts: sysHosts,
        publicIps,
        loadBalancers,
        vpnAccounts,
        remoteAccounts,
        waf,
        leasedLines,
        goLiveDate: goLive,
        cloudTestDate: isoDateDaysBefore(Date.parse(`${goLive}T00:00:00+08:00`), 30),
      });
      hosts.push(...sysHosts);
    }
    // Physical devices and environment devices per room.
    const devices: PhysicalDevice[] = [];
    const env: EnvDevice[] = [];
    const serversPerRoom = Math.max(2, Math.ceil(hosts.length / 8 / rooms.length) + 1);
    for (const [rIndex, room] of rooms.entries()) {
      const counts: Array<[AssetCategory, number]> = [['SERV', serversPerRoom], ['STOR', 1], ['NETW', 2], ['SECU', 1]];
      let rack = 1;
      let u = 1;
      for (const [cat, count] of counts) {
        for (let i = 1; i <= count; i++) {
          const [brand, model, spec] = nodeRng.pick(BRANDS[cat]);
          const height = cat === 'STOR' ? 4 : 2;
          if (u + height > 42) {
            rack++;
            u = 1;
          }
          devices.push({
            category: cat,
            name: `${sn.code}-${room}-${cat}-${pad(i, 2)}`,
            serial: `${brand === '华为' ? '2102' : brand === '浪潮' ? 'INS' : 'SN'}${nodeRng.hex(10).toUpperCase()}`,
            brand,
            model,
            spec,
            ip: devPool.take(),
            roomCode: room,
            rack: `${room}-A${pad(rack, 2)}`,
            unitPosition: `U${pad(u, 2)}-U${pad(u + height - 1, 2)}`,
            power: (cat === 'SERV' ? nodeRng.float(0.55, 0.9) : cat === 'STOR' ? nodeRng.float(1.2, 2.4) : nodeRng.float(0.15, 0.45)).toFixed(2),
            powerSupplyType: cat === 'SERV' || cat === 'STOR' ? 'DUAL' : nodeRng.pick(['DUAL', 'SING'] as const),
            commissionDate: isoDateDaysBefore(FLEET_EPOCH, nodeRng.int(200, 1500)),
            deviceType: cat === 'SECU' && model.startsWith('WAF') ? 'WAF' : DEVICE_TYPES[cat],
          });
          u += height;
        }
      }
      const racks = Math.max(2, rack);
      const envSpec: Array<[EnvKind, number, string]> = [
        ['temperatureHumidity', 2, '冷通道'],
        ['generator', rIndex === 0 ? 1 : 0, '柴油发电机房'],
        ['adu', 1, '电池室'],
        ['ups', 1, 'UPS 室'],
        ['collector', 1, '机房主入口'],
        ['rowPowerCabinet', 2, '列头'],
        ['powerMeter', 1, '配电室'],
      ];
      for (const [kind, count, where] of envSpec) {
        for (let i = 1; i <= count; i++) {
          env.push({
            kind,
            id: `${room}-${kind === 'temperatureHumidity' ? 'TH' : kind === 'generator' ? 'GEN' : kind === 'adu' ? 'ADU' : kind === 'ups' ? 'UPS' : kind === 'collector' ? 'COL' : kind === 'rowPowerCabinet' ? 'RPC' : 'PM'}-${pad(i, 2)}`,
            roomCode: room,
            location: `${room} ${where}${count > 1 ? ` ${i}号` : ''}`,
            rackNumber: `${room}-A${pad(((i - 1) % racks) + 1, 2)}`,
          });
        }
      }
    }
    const cpuAllocated = hosts.reduce((s, h) => s + h.vcpu, 0);
    const capacity = {
      cpu: Math.max(512, Math.ceil((cpuAllocated * 2.5) / 64) * 64),
      memoryGiB: Math.max(2048, Math.ceil((hosts.reduce((s, h) => s + h.memoryGiB, 0) * 2.5) / 256) * 256),
      standardTiB: 200,
      highPerfTiB: 80,
      staticTiB: 100,
      bandwidthMbps: 2000,
    };
    const accessIps: FleetNode['accessIps'] = [
      { networkType: 'INET', carrier: nodeRng.pick(CARRIERS), range: `${ipv4(publicNet.base)}/${32 - Math.round(Math.log2(publicNet.size))}`, primaryMbps: 1000, backupMbps: 500, roomCode: rooms[0]! },
      { networkType: 'GWWW', carrier: '电子政务外网', range: `${ipv4(internal.base)}/${32 - Math.round(Math.log2(internal.size))}`, primaryMbps: 10000, backupMbps: 10000, roomCode: rooms[0]! },
    ];
    provider.nodes.push({ code: sn.code, name: sn.name, id: sn.id, providerCode: sp.code, rooms, systems, hosts, devices, env, capacity, accessIps });
  }
  return provider;
}

/** Every (provider, node) pair of the fleet. */
export function fleetNodes(fleet: Fleet): Array<{ provider: FleetProvider; node: FleetNode }> {
  return fleet.providers.flatMap((provider) => provider.nodes.map((node) => ({ provider, node })));
}

/** Counts for progress and documentation. */
export function fleetSummary(fleet: Fleet): { providers: number; nodes: number; rooms: number; systems: number; hosts: number; devices: number; envDevices: number } {
  const nodes = fleetNodes(fleet).map((x) => x.node);
  return {
    providers: fleet.providers.length,
    nodes: nodes.length,
    rooms: nodes.reduce((s, n) => s + n.rooms.length, 0),
    systems: nodes.reduce((s, n) => s + n.systems.length, 0),
    hosts: nodes.reduce((s, n) => s + n.hosts.length, 0),
    devices: nodes.reduce((s, n) => s + n.devices.length, 0),
    envDevices: nodes.reduce((s, n) => s + n.env.length, 0),
  };
}

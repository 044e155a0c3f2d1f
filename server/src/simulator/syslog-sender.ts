/**
 * Sends security-device and host logs as syslog to the platform's receiver (default UDP/TCP port 5514), in RFC 5424
 * or RFC 3164, over UDP and sometimes TCP (octet counting for 5424, newline framing for 3164).
 *
 * The receiver maps a sender's address to a provider, node and device (syslog sources). Every simulated device has
 * its own loopback address — security devices 127.0.1.n, hosts 127.0.2.n — and the sender binds its sockets to it, so
 * on one machine each device is a distinct source (Linux answers for all of 127.0.0.0/8; where binding fails the
 * messages leave from the default address and the receiver files them under whatever source matches it).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Fleet, FleetHost, PhysicalDevice } from './fleet.js';
import type { SimRecord } from './generators.js';

export interface SyslogSourceDevice {
  /** Loopback address the device sends from. */
  address: string;
  kind: 'security_device' | 'host';
  providerCode: string;
  nodeCode: string;
  device?: PhysicalDevice;
  host?: FleetHost;
}

/** The syslog sources of a fleet: every security device, and the first `hostsPerNode` hosts of each node. */
export function syslogSources(fleet: Fleet, opts: { hostsPerNode?: number } = {}): SyslogSourceDevice[] {
  const out: SyslogSourceDevice[] = [];
  let sec = 0;
  let hosts = 0;
  for (const p of fleet.providers) {
    for (const n of p.nodes) {
      for (const d of n.devices.filter((x) => x.category === 'SECU')) {
        sec++;
        if (sec > 254 * 8) break;
        out.push({ address: `127.0.${1 + Math.floor((sec - 1) / 254) * 2}.${((sec - 1) % 254) + 1}`, kind: 'security_device', providerCode: p.code, nodeCode: n.code, device: d });
      }
      for (const h of n.hosts.slice(0, opts.hostsPerNode ?? 2)) {
        hosts++;
        if (hosts > 254 * 8) break;
        out.push({ address: `127.0.${2 + Math.floor((hosts - 1) / 254) * 2}.${((hosts - 1) % 254) + 1}`, kind: 'host', providerCode: p.code, nodeCode: n.code, host: h });
      }
    }
  }
  return out;
}

const ALARM_IDS: Record<string, string> = {
  'SQL 注入攻击': 'SQL_INJECTION',
  '跨站脚本攻击': 'XSS',
  '端口扫描': 'PORT_SCAN',
  '暴力破解 SSH': 'SSH_BRUTE_FORCE',
  '恶意文件上传': 'MALICIOUS_UPLOAD',
  '异常外联': 'ABNORMAL_OUTBOUND',
};
const SEVERITY: Record<string, number> = { 高: 2, 中: 4, 低: 5 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `YYYY-MM-DD HH:mm:ss` (Beijing) → RFC 3339 with +08:00. */
function rfc3339(beijing: string): string {
  return `${beijing.replace(' ', 'T')}+08:00`;
}

/** `YYYY-MM-DD HH:mm:ss` (Beijing) → RFC 3164 `Mmm dd HH:mm:ss`. */
function bsdTime(beijing: string): string {
  const month = MONTHS[Number(beijing.slice(5, 7)) - 1]!;
  const day = String(Number(beijing.slice(8, 10))).padStart(2, ' ');
  return `${month} ${day} ${beijing.slice(11, 19)}`;
}

const sdEscape = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
const asciiName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 48) || '-';

/** A security-device log record as a syslog message (facility local4). */
export function securityMessage(rec: SimRecord, format: '5424' | '3164'): string {
  const pri = 20 * 8 + (SEVERITY[rec.logLevel ?? ''] ?? 4);
  const host = asciiName(rec.deviceName ?? 'fw');
  const msgid = ALARM_IDS[rec.alarmName ?? ''] ?? 'ALERT';
  const kv = `srcip=${rec.srcIp} srcport=${rec.srcPort} dstip=${rec.dstIp} dstport=${rec.dstPort}`;
  if (format === '5424') {
    const sd = `[event@32473 srcip="${sdEscape(rec.srcIp ?? '')}" srcport="${rec.srcPort}" dstip="${sdEscape(rec.dstIp ?? '')}" dstport="${rec.dstPort}"]`;
    return `<${pri}>1 ${rfc3339(rec.occurredAt!)} ${host} ngfw - ${msgid} ${sd} ${rec.alarmName}：${rec.logContent ?? ''} ${kv}`;
  }
  return `<${pri}>${bsdTime(rec.occurredAt!)} ${host} ngfw: ${msgid} ${rec.alarmName} ${kv}`;
}

/** A host log record as a syslog message (facility authpriv for secure, else daemon). */
export function hostMessage(rec: SimRecord, format: '5424' | '3164'): string {
  const facility = rec.logName === 'secure' ? 10 : rec.logName === 'cron' ? 9 : 3;
  const body = rec.logBody ?? '-';
  const m = /^([A-Za-z_-]+)(?:\[(\d+)\])?:\s*(.*)$/.exec(body);
  const app = m ? m[1]! : asciiName(rec.logName ?? 'syslog');
  const pid = m?.[2] ?? '-';
  const text = m ? m[3]! : body;
  const pri = facility * 8 + 6;
  const host = asciiName(rec.hostName ?? 'host');
  if (format === '5424') return `<${pri}>1 ${rfc3339(rec.occurredAt!)} ${host} ${app} ${pid} - - ${text}`;
  return `<${pri}>${bsdTime(rec.occurredAt!)} ${host} ${app}${pid !== '-' ? `[${pid}]` : ''}: ${text}`;
}

export interface SyslogSenderOptions {
  host: string;
  port: number;
  /** Share of messages sent over TCP (the rest over UDP). */
  tcpShare?: number;
  /** Bind to each device's loopback address (default true). */
  bindPerDevice?: boolean;
}

/** Holds one UDP socket (and a lazily opened TCP connection) per sending address. */
export class SyslogSender {
  private readonly udp = new Map<string, Promise<dgram.Socket>>();
  private readonly tcp = new Map<string, Promise<net.Socket | null>>();
  sent = 0;
  failed = 0;
  private bindFailed = false;

  constructor(private readonly opts: SyslogSenderOptions) {}

  private udpSocket(address: string): Promise<dgram.Socket> {
    const key = this.opts.bindPerDevice === false || this.bindFailed ? '' : address;
    let s = this.udp.get(key);
    if (!s) {
      s = new Promise<dgram.Socket>((resolve) => {
        const sock = dgram.createSocket('udp4');
        sock.on('error', () => undefined);
        if (!key) return resolve(sock);
        sock.once('error', () => {
          this.bindFailed = true;
          const fallback = dgram.createSocket('udp4');
          fallback.on('error', () => undefined);
          resolve(fallback);
        });
        sock.bind({ address: key, port: 0 }, () => resolve(sock));
      });
      this.udp.set(key, s);
    }
    return s;
  }

  private tcpSocket(address: string): Promise<net.Socket | null> {
    const key = this.opts.bindPerDevice === false || this.bindFailed ? '' : address;
    let s = this.tcp.get(key);
    if (!s) {
      s = new Promise<net.Socket | null>((resolve) => {
        const sock = net.connect({ host: this.opts.host, port: this.opts.port, ...(key ? { localAddress: key } : {}) });
        sock.once('connect', () => resolve(sock));
        sock.once('error', () => {
          this.tcp.delete(key);
          resolve(null);
        });
        sock.on('close', () => this.tcp.delete(key));
      });
      this.tcp.set(key, s);
    }
    return s;
  }

  /** Sends one message from the device's address; RFC 5424 over TCP is octet-counted, RFC 3164 newline-framed. */
  async send(from: string, message: string, format: '5424' | '3164', useTcp: boolean): Promise<boolean> {
    const payload = Buffer.from(message, 'utf8');
    if (useTcp) {
      const sock = await this.tcpSocket(from);
      if (sock && !sock.destroyed) {
        const framed = format === '5424' ? Buffer.concat([Buffer.from(`${payload.length} `), payload]) : Buffer.concat([payload, Buffer.from('\n')]);
        sock.write(framed);
        this.sent++;
        return true;
      }
      // fall back to UDP
    }
    const sock = await this.udpSocket(from);
    return new Promise((resolve) => {
      sock.send(payload, this.opts.port, this.opts.host, (err) => {
        if (err) this.failed++;
        else this.sent++;
        resolve(!err);
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.tcp.values()) {
      const sock = await s;
      if (sock) await new Promise<void>((resolve) => sock.end(() => resolve()));
    }
    for (const s of this.udp.values()) (await s).close();
    this.tcp.clear();
    this.udp.clear();
  }
}

/**
 * From a parsed syslog message and its source to one record of the security-device log (securityDeviceLog, 安全设备日志)
 * or the host log (hostLog, 主机日志), keyed by the interface tables' field names. Pure.
 */
import net from 'node:net';
import { FACILITY_NAMES, SEVERITY_NAMES, formatShanghai, keyValuePairs, type SyslogMessage } from './parser.js';

export type SourceKind = 'security_device' | 'host';

/** What the receiver keeps in memory of a registered source. */
export interface SourceEntry {
  id: string;
  network: string;
  providerOrgId: string;
  nodeId: string;
  kind: SourceKind;
  enabled: boolean;
  deviceName: string | null;
  serialNumber: string | null;
  deviceType: string | null;
  cloudHostId: string | null;
  hostName: string | null;
  osType: string | null;
}

export const SYSLOG_TABLES = { security_device: 'securityDeviceLog', host: 'hostLog' } as const satisfies Record<SourceKind, string>;

export const MAX_LOG_CHARS = 8000;
export const TRUNCATION_MARKER = '…[截断 truncated]';

/** Cuts text to at most `max` characters (Unicode code points, as the formats count them), marking the cut. */
export function truncateChars(text: string, max: number, marker = TRUNCATION_MARKER): string {
  if (text.length <= max) return text; // UTF-16 units ≥ code points
  const points = Array.from(text);
  if (points.length <= max) return text;
  const markerLen = Array.from(marker).length;
  return points.slice(0, max - markerLen).join('') + marker;
}

export function severityName(severity: number): string {
  return SEVERITY_NAMES[severity] ?? String(severity);
}

export function facilityName(facility: number): string {
  return FACILITY_NAMES[facility] ?? `facility${facility}`;
}

// Names devices use for the flow a security event is about: FortiGate / Hillstone (srcip), Huawei (source-ip),
// Sangfor / H3C (src_ip), CEF (src, spt), Palo Alto-like (sport) … compared lower-cased.
const SRC_IP = ['srcip', 'src_ip', 'src-ip', 'source-ip', 'source_ip', 'sourceip', 'srcaddr', 'src_addr', 'sip', 'src'];
const DST_IP = ['dstip', 'dst_ip', 'dst-ip', 'destination-ip', 'destination_ip', 'destinationip', 'destip', 'dest_ip', 'dstaddr', 'dst_addr', 'dip', 'dst'];
const SRC_PORT = ['srcport', 'src_port', 'src-port', 'source-port', 'source_port', 'sourceport', 'sport', 'spt'];
const DST_PORT = ['dstport', 'dst_port', 'dst-port', 'destination-port', 'destination_port', 'destinationport', 'destport', 'dest_port', 'dport', 'dpt'];
const PROXY_IP = ['proxyip', 'proxy_ip', 'proxy-ip'];
// An event's name in key=value logs without a tag (FortiGate `logdesc`/`attack`, others `event`, `type`).
const ALARM_NAME = ['attack', 'attackname', 'threatname', 'logdesc', 'eventname', 'event', 'subtype', 'type'];

/** Pairs of the structured data first (they win), then the `key=value` pairs of the free text; keys lower-cased. */
function collectPairs(msg: SyslogMessage): Array<Map<string, string>> {
  const sd = new Map<string, string>();
  for (const el of msg.structuredData) for (const [k, v] of Object.entries(el.params)) if (!sd.has(k.toLowerCase())) sd.set(k.toLowerCase(), v);
  return [sd, keyValuePairs(msg.message)];
}

function pick(pairs: Array<Map<string, string>>, names: string[], ok: (v: string) => boolean): string | null {
  for (const kv of pairs) {
    for (const n of names) {
      const v = kv.get(n)?.trim();
      if (v && ok(v)) return v;
    }
  }
  return null;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const isIp = (v: string) => IPV4.test(v) || (v.length <= 40 && v.includes(':') && net.isIPv6(v));
const isPort = (v: string) => /^\d{1,5}$/.test(v) && Number(v) <= 65535;
const pickIp = (pairs: Array<Map<string, string>>, names: string[]) => pick(pairs, names, isIp);
const pickPort = (pairs: Array<Map<string, string>>, names: string[]) => {
  const v = pick(pairs, names, isPort);
  return v === null ? null : String(Number(v));
};
const pickText = (pairs: Array<Map<string, string>>, names: string[]) => pick(pairs, names, () => true);

/** The first words of the message (for an alarm name when the message has neither MSGID nor tag). */
function firstWords(text: string, max = 100): string {
  const words = text.trim().split(/\s+/).slice(0, 6).join(' ');
  return truncateChars(words, max, '…');
}

export interface MappedRecord {
  table: (typeof SYSLOG_TABLES)[SourceKind];
  record: Record<string, string>;
}

/**
 * Maps one message. Required fields the message does not carry are filled as documented in docs/syslog.md:
 * the event's flow (srcIp/dstIp) defaults to the reporting device itself and its ports to 0 (no port).
 */
export function mapMessage(msg: SyslogMessage, source: SourceEntry, senderIp: string, receivedAt: Date): MappedRecord {
  const occurredAt = formatShanghai(msg.timestamp ?? receivedAt);
  if (source.kind === 'security_device') {
    const kv = collectPairs(msg);
    const named = msg.msgid ?? msg.app ?? pickText(kv, ALARM_NAME) ?? (firstWords(msg.message) || 'syslog');
    const record: Record<string, string> = {
      occurredAt,
      alarmName: truncateChars(named, 100, '…'),
      reportingDeviceIp: senderIp,
      deviceName: source.deviceName ?? msg.hostname ?? senderIp,
      serialNumber: source.serialNumber ?? senderIp,
      deviceType: source.deviceType ?? 'syslog',
      srcIp: pickIp(kv, SRC_IP) ?? senderIp,
      srcPort: pickPort(kv, SRC_PORT) ?? '0',
      dstIp: pickIp(kv, DST_IP) ?? senderIp,
      dstPort: pickPort(kv, DST_PORT) ?? '0',
      logLevel: severityName(msg.severity),
      alarmType: facilityName(msg.facility),
      logContent: truncateChars(msg.message, MAX_LOG_CHARS),
    };
    const proxy = pickIp(kv, PROXY_IP);
    if (proxy) record.proxyIp = proxy;
    return { table: 'securityDeviceLog', record };
  }
  return {
    table: 'hostLog',
    record: {
      occurredAt,
      cloudHostId: source.cloudHostId ?? senderIp,
      hostName: truncateChars(source.hostName ?? msg.hostname ?? senderIp, 100, '…'),
      hostIp: senderIp,
      osType: source.osType ?? 'unknown',
      logName: truncateChars(msg.app ?? msg.msgid ?? 'syslog', 100, '…'),
      logType: facilityName(msg.facility),
      logBody: truncateChars(msg.message, MAX_LOG_CHARS) || '-',
    },
  };
}

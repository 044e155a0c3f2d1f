import { describe, expect, it } from 'vitest';
import { INTERFACE_TABLES } from '../ingestion/index.js';
import { mapMessage, truncateChars, TRUNCATION_MARKER, type SourceEntry } from './mapping.js';
import { parseSyslog } from './parser.js';

const NOW = new Date('2026-11-30T06:00:00Z');
const fw: SourceEntry = {
  id: 's1', network: '10.0.0.1/32', providerOrgId: 'p', nodeId: 'n', kind: 'security_device', enabled: true,
  deviceName: '防火墙-1', serialNumber: 'SN1', deviceType: '防火墙', cloudHostId: null, hostName: null, osType: null,
};
const host: SourceEntry = { ...fw, kind: 'host', deviceName: null, serialNumber: null, deviceType: null, cloudHostId: 'ecs-1', hostName: null, osType: 'Linux' };

describe('security-device log', () => {
  it('takes the flow from key=value pairs and structured data, the rest from the source and header', () => {
    const m = parseSyslog('<185>date=2026-11-30 time=13:59:01 devname="FG" type="traffic" srcip=192.168.1.10 srcport=51000 dstip=8.8.8.8 dstport=53 action="deny"', NOW);
    const { table, record } = mapMessage(m, fw, '10.0.0.1', NOW);
    expect(table).toBe('securityDeviceLog');
    expect(record).toMatchObject({
      occurredAt: '2026-11-30 14:00:00', // no header time: the arrival time
      alarmName: 'traffic',
      reportingDeviceIp: '10.0.0.1',
      deviceName: '防火墙-1', serialNumber: 'SN1', deviceType: '防火墙',
      srcIp: '192.168.1.10', srcPort: '51000', dstIp: '8.8.8.8', dstPort: '53',
      logLevel: 'alert', alarmType: 'local7',
    });
    expect(record).not.toHaveProperty('proxyIp');
    const sd = mapMessage(parseSyslog('<12>1 2026-11-30T14:00:00+08:00 h ids - ATTACK [f@1 src="1.1.1.1" dpt="8080" proxyip="10.9.9.9"] sip=2.2.2.2', NOW), fw, '10.0.0.1', NOW);
    expect(sd.record).toMatchObject({ alarmName: 'ATTACK', srcIp: '1.1.1.1', dstPort: '8080', proxyIp: '10.9.9.9', dstIp: '10.0.0.1', srcPort: '0', occurredAt: '2026-11-30 14:00:00', logLevel: 'warning', alarmType: 'user' });
  });
  it('names the alarm by MSGID, tag, a name pair, or the first words', () => {
    const words = mapMessage(parseSyslog('<13>Nov 30 06:01:45 vm  Link down on port GE0/0/1 because of a remote fault', NOW), fw, '10.0.0.1', NOW);
    expect(words.record.alarmName).toBe('Link down on port GE0/0/1 because');
  });
  it('ignores values that are no address or port', () => {
    const { record } = mapMessage(parseSyslog('<13>Nov 30 06:01:45 vm a: srcip=999.1.1.1 dstport=70000 sport=-1', NOW), fw, '10.0.0.1', NOW);
    expect(record).toMatchObject({ srcIp: '10.0.0.1', dstPort: '0', srcPort: '0', alarmName: 'a' });
  });
  it('fills every required field of the registry', () => {
    const { record } = mapMessage(parseSyslog('', NOW), fw, '10.0.0.1', NOW);
    const table = INTERFACE_TABLES.find((x) => x.name === 'securityDeviceLog')!;
    for (const f of table.fields.filter((x) => x.required)) expect(record[f.name], f.name).toBeTruthy();
    for (const k of Object.keys(record)) expect(table.fields.map((f) => f.name)).toContain(k);
  });
});

describe('host log', () => {
  it('uses the source, then the header hostname', () => {
    const { table, record } = mapMessage(parseSyslog('<86>Dec  1 08:00:01 web-01 sshd[2231]: Accepted', NOW), host, '10.0.0.1', NOW);
    expect(table).toBe('hostLog');
    expect(record).toEqual({ occurredAt: '2026-12-01 08:00:01', cloudHostId: 'ecs-1', hostName: 'web-01', hostIp: '10.0.0.1', osType: 'Linux', logName: 'sshd', logType: 'authpriv', logBody: 'Accepted' });
    const named = mapMessage(parseSyslog('no header at all', NOW), { ...host, hostName: 'db-01' }, '10.0.0.1', NOW).record;
    expect(named).toMatchObject({ hostName: 'db-01', logName: 'syslog', logType: 'user', logBody: 'no header at all' });
  });
  it('fills every required field of the registry, even for an empty message', () => {
    const { record } = mapMessage(parseSyslog('<13>', NOW), host, '10.0.0.1', NOW);
    const table = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    for (const f of table.fields.filter((x) => x.required)) expect(record[f.name], f.name).toBeTruthy();
  });
  it('cuts a long message at 8,000 characters with a marker', () => {
    const long = '日'.repeat(9000);
    const { record } = mapMessage(parseSyslog(`<13>Nov 30 06:01:45 vm a: ${long}`, NOW), host, '10.0.0.1', NOW);
    expect(Array.from(record.logBody!)).toHaveLength(8000);
    expect(record.logBody!.endsWith(TRUNCATION_MARKER)).toBe(true);
  });
});

it('truncateChars counts code points, not UTF-16 units', () => {
  const emoji = '😀'.repeat(10);
  expect(truncateChars(emoji, 10)).toBe(emoji);
  expect(Array.from(truncateChars(emoji + 'x', 10, '…'))).toHaveLength(10);
});

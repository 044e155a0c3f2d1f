import { describe, expect, it } from 'vitest';
import { decodeText, formatShanghai, keyValuePairs, parseIsoTimestamp, parseSyslog } from './parser.js';

const NOW = new Date('2026-11-30T06:00:00Z'); // 14:00 in Beijing

describe('RFC 5424', () => {
  it('parses what util-linux logger sends, with structured data', () => {
    const m = parseSyslog(
      '<13>1 2026-11-30T06:01:45.775239+00:00 vm myapp - ID47 [timeQuality tzKnown="1" isSynced="0"][origin@32473 ip="10.0.0.1"] hello 5424 中文',
      NOW,
    );
    expect(m).toMatchObject({ format: 'rfc5424', hasPri: true, facility: 1, severity: 5, hostname: 'vm', app: 'myapp', procid: null, msgid: 'ID47', message: 'hello 5424 中文' });
    expect(m.timestamp!.toISOString()).toBe('2026-11-30T06:01:45.775Z');
    expect(m.structuredData).toEqual([
      { id: 'timeQuality', params: { tzKnown: '1', isSynced: '0' } },
      { id: 'origin@32473', params: { ip: '10.0.0.1' } },
    ]);
  });

  it('reads the RFC 5424 examples (§6.5)', () => {
    const a = parseSyslog('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF\'su root\' failed for lonvick on /dev/pts/8', NOW);
    expect(a).toMatchObject({ facility: 4, severity: 2, hostname: 'mymachine.example.com', app: 'su', procid: null, msgid: 'ID47', structuredData: [] });
    expect(a.message).toBe("'su root' failed for lonvick on /dev/pts/8");
    expect(a.timestamp!.toISOString()).toBe('2003-10-11T22:14:15.003Z');

    const b = parseSyslog('<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.', NOW);
    expect(b).toMatchObject({ facility: 20, severity: 5, hostname: '192.0.2.1', app: 'myproc', procid: '8710', msgid: null });
    expect(b.timestamp!.toISOString()).toBe('2003-08-24T12:14:15.000Z');
    expect(b.message).toBe("%% It's time to make the do-nuts.");

    const c = parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...', NOW);
    expect(c.structuredData[0]).toEqual({ id: 'exampleSDID@32473', params: { iut: '3', eventSource: 'Application', eventID: '1011' } });
    expect(c.message).toBe('An application event log entry...');

    const d = parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"][examplePriority@32473 class="high"]', NOW);
    expect(d.structuredData.map((e) => e.id)).toEqual(['exampleSDID@32473', 'examplePriority@32473']);
    expect(d.message).toBe('');
  });

  it('unescapes \\" \\\\ \\] in parameter values and keeps other backslashes', () => {
    const m = parseSyslog('<14>1 - - a - - [x@1 q="say \\"hi\\" [ok\\] C:\\\\dir \\n"] body', NOW);
    expect(m.structuredData[0]!.params.q).toBe('say "hi" [ok] C:\\dir \\n');
    expect(m.timestamp).toBeNull();
    expect(m.hostname).toBeNull();
    expect(m.message).toBe('body');
  });

  it('keeps a message with broken structured data instead of losing it', () => {
    const m = parseSyslog('<14>1 2026-11-30T06:00:00Z h a - - [x@1 q="unterminated] body', NOW);
    expect(m.format).toBe('rfc5424');
    expect(m.message).toBe('[x@1 q="unterminated] body');
  });

  it('removes the BOM of a binary message and decodes UTF-8', () => {
    const buf = Buffer.concat([Buffer.from('<14>1 2026-11-30T06:00:00Z h a - - - '), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('登录成功')]);
    expect(parseSyslog(buf, NOW).message).toBe('登录成功');
  });
});

describe('RFC 3164', () => {
  it('parses what util-linux logger --rfc3164 sends (time read as Beijing time, current year)', () => {
    const m = parseSyslog('<13>Nov 30 06:01:45 vm myapp: hello 3164', NOW);
    expect(m).toMatchObject({ format: 'rfc3164', facility: 1, severity: 5, hostname: 'vm', app: 'myapp', procid: null, message: 'hello 3164' });
    expect(formatShanghai(m.timestamp!)).toBe('2026-11-30 06:01:45');
  });

  it('reads the tag with a pid, a space-padded day and a message with colons', () => {
    const m = parseSyslog('<86>Dec  1 08:00:01 web-01 sshd[2231]: Accepted password for root from 10.2.3.4 port 50022 ssh2', new Date('2026-12-01T01:00:00Z'));
    expect(m).toMatchObject({ facility: 10, severity: 6, hostname: 'web-01', app: 'sshd', procid: '2231' });
    expect(m.message).toBe('Accepted password for root from 10.2.3.4 port 50022 ssh2');
    expect(formatShanghai(m.timestamp!)).toBe('2026-12-01 08:00:01');
  });

  it('rolls back to last year for a December message read on New Year (Beijing time)', () => {
    // 2027-01-01 00:00:30 in Beijing; the device still stamps 31 Dec.
    const newYear = new Date('2026-12-31T16:00:30Z');
    const m = parseSyslog('<13>Dec 31 23:59:58 fw kernel: tick', newYear);
    expect(formatShanghai(m.timestamp!)).toBe('2026-12-31 23:59:58');
    const jan = parseSyslog('<13>Jan  1 00:00:10 fw kernel: tock', newYear);
    expect(formatShanghai(jan.timestamp!)).toBe('2027-01-01 00:00:10');
  });

  it('tolerates a missing PRI (user.notice assumed)', () => {
    const m = parseSyslog('Nov 30 10:00:00 host app[1]: text', NOW);
    expect(m).toMatchObject({ hasPri: false, facility: 1, severity: 5, hostname: 'host', app: 'app', procid: '1', message: 'text' });
  });

  it('accepts an ISO timestamp in a BSD header (rsyslog forward format)', () => {
    const m = parseSyslog('<30>2026-11-30T14:05:06.123+08:00 db-02 systemd[1]: Started Session 5.', NOW);
    expect(m).toMatchObject({ format: 'rfc3164', hostname: 'db-02', app: 'systemd', procid: '1', message: 'Started Session 5.' });
    expect(formatShanghai(m.timestamp!)).toBe('2026-11-30 14:05:06');
  });

  it('reads a header without hostname', () => {
    const m = parseSyslog('<13>Nov 30 10:00:00 cron[99]: job done', NOW);
    expect(m).toMatchObject({ hostname: null, app: 'cron', procid: '99', message: 'job done' });
  });

  it('reads Huawei USG logs (year in the timestamp, %% mnemonic, key=value body)', () => {
    const m = parseSyslog(
      '<190>Nov 30 2026 12:00:00 USG6000 %%01SEC/6/POLICYPERMIT(l):vsys=public, protocol=6, source-ip=10.1.1.1, source-port=51234, destination-ip=10.2.2.2, destination-port=443, time=2026/11/30 12:00:00',
      NOW,
    );
    expect(m).toMatchObject({ facility: 23, severity: 6, hostname: 'USG6000', app: '%%01SEC/6/POLICYPERMIT(l)' });
    expect(formatShanghai(m.timestamp!)).toBe('2026-11-30 12:00:00');
    const kv = keyValuePairs(m.message);
    expect(kv.get('source-ip')).toBe('10.1.1.1');
    expect(kv.get('destination-port')).toBe('443');
  });

  it('reads Cisco logs (sequence number, clock flag, milliseconds, UTC label)', () => {
    const m = parseSyslog('<189>123: *Mar  1 18:46:11.123 UTC: %SYS-5-CONFIG_I: Configured from console by vty0 (10.0.0.5)', new Date('2026-03-02T00:00:00Z'));
    expect(m).toMatchObject({ facility: 23, severity: 5, hostname: null, app: '%SYS-5-CONFIG_I', message: 'Configured from console by vty0 (10.0.0.5)' });
    expect(m.timestamp!.toISOString()).toBe('2026-03-01T18:46:11.000Z');
  });

  it('reads FortiGate key=value logs without a header', () => {
    const m = parseSyslog('<185>date=2026-11-30 time=13:59:01 devname="FG100E 主" devid="FG100E3G1" logid="0000000013" type="traffic" srcip=192.168.1.10 srcport=51000 dstip=8.8.8.8 dstport=53 action="deny"', NOW);
    expect(m).toMatchObject({ facility: 23, severity: 1, timestamp: null, hostname: null, app: null });
    const kv = keyValuePairs(m.message);
    expect(kv.get('devname')).toBe('FG100E 主');
    expect(kv.get('srcip')).toBe('192.168.1.10');
    expect(kv.get('dstport')).toBe('53');
  });

  it('never throws on garbage and keeps it as the message', () => {
    for (const s of ['', '<', '<999>x', '<13>', '<13>1 ', '<13>1 notatime h a p m - x', '\u0000\u0001', '<13>Feb 31 99:99:99 h a: x']) {
      const m = parseSyslog(s, NOW);
      expect(typeof m.message).toBe('string');
    }
    expect(parseSyslog('<999>x', NOW)).toMatchObject({ hasPri: false, message: '<999>x' });
    // Invalid RFC 5424 timestamp: read as BSD, the whole rest kept.
    expect(parseSyslog('<13>1 notatime h a p m - x', NOW).message).toBe('1 notatime h a p m - x');
  });

  it('strips trailing newlines and NULs, and replaces inner NULs (PostgreSQL text cannot hold them)', () => {
    expect(parseSyslog('<13>Nov 30 06:01:45 vm myapp: x\r\n\u0000', NOW).message).toBe('x');
    expect(parseSyslog('<13>Nov 30 06:01:45 vm myapp: a\u0000b', NOW).message).toBe('a\uFFFDb');
  });
});

describe('helpers', () => {
  it('decodes GB18030 bytes that are not UTF-8', () => {
    const gbk = Buffer.from([0xb5, 0xc7, 0xc2, 0xbc, 0xb3, 0xc9, 0xb9, 0xa6]); // 登录成功
    expect(decodeText(gbk)).toBe('登录成功');
  });
  it('reads RFC 3339 times and treats a time without offset as Beijing time', () => {
    expect(parseIsoTimestamp('2026-11-30T14:00:00')!.toISOString()).toBe('2026-11-30T06:00:00.000Z');
    expect(parseIsoTimestamp('2026-11-30T14:00:00-0130')!.toISOString()).toBe('2026-11-30T15:30:00.000Z');
    expect(parseIsoTimestamp('2026-13-30T14:00:00Z')).toBeNull();
    expect(parseIsoTimestamp('yesterday')).toBeNull();
  });
  it('formats Beijing time', () => {
    expect(formatShanghai(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00:00');
  });
});

import { describe, expect, it } from 'vitest';
import { dedupKey, parseCsv, parseTable, severityOf, severityOfScore } from './security.parsers.js';

describe('scanner report parsing', () => {
  it('maps the scanners\' severity words and CVSS scores', () => {
    expect(['紧急', '高危', '中', 'Low', 'CRITICAL', '信息', 'log', '未知'].map(severityOf)).toEqual(['critical', 'high', 'medium', 'low', 'critical', 'info', 'info', null]);
    expect([9.8, 7.0, 6.9, 4.0, 0.1, 0].map(severityOfScore)).toEqual(['critical', 'high', 'medium', 'medium', 'low', 'info']);
  });
  it('reads RFC 4180 CSV: quoted commas, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n1,\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['1', '']]);
  });
  it('maps table columns by header text (spaces ignored), skips informational and blank rows, reports the rest per row', () => {
    const r = parseTable([
      ['主机 IP', '漏洞名称', '危险等级', 'CVE'],
      ['10.0.0.1', 'A', '高', 'CVE-2021-44228 / cve-2021-45046'],
      ['10.0.0.1', 'B', '信息', ''],
      ['', '', '', ''],
      ['10.0.0.2', 'C', '很高', ''],
    ]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ hostRef: '10.0.0.1', severity: 'high', cve: ['CVE-2021-44228', 'CVE-2021-45046'], vulnId: 'CVE-2021-44228' });
    expect(r.errors).toEqual([{ row: 4, field: 'severity', value: '很高', rule: 'severity', message: expect.any(String) }]);
    expect(r.scope.sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(dedupKey(r.findings[0]!)).toBe('10.0.0.1||CVE-2021-44228');
  });
});

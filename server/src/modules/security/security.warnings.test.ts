import { describe, expect, it } from 'vitest';
import { extractReferences, monitorTypeOf, noticeState } from './security.warnings.js';

describe('security warning references', () => {
  it('finds IPs, CVEs, patch numbers, product + version and host-ID-like words in the content', () => {
    const r = extractReferences('Apache Tomcat 9.0.80 远程代码执行 CVE-2024-50379，影响 10.1.2.3 与 vm-ab12；补丁 KB5034441；999.1.1.1 不是地址');
    expect(r.ips).toEqual(['10.1.2.3']);
    expect(r.cves).toEqual(['CVE-2024-50379']);
    expect(r.patches).toEqual(['KB5034441']);
    expect(r.software).toContainEqual({ product: 'Apache Tomcat', version: '9.0.80' });
    expect(r.software.some((s) => s.version === '10.1.2.3')).toBe(false);
    expect(r.tokens).toContain('vm-ab12');
    expect(r.tokens).not.toContain('CVE-2024-50379');
  });
  it('reads the monitor type and the overdue state', () => {
    expect(monitorTypeOf('漏洞发布')).toBe('vulnerability');
    expect(monitorTypeOf('补丁发布')).toBe('patch');
    expect(monitorTypeOf('情报')).toBe('other');
    expect(noticeState('notified', '2026-01-05', '2026-01-06')).toBe('overdue');
    expect(noticeState('notified', '2026-01-06', '2026-01-06')).toBe('notified');
    expect(noticeState('replied', '2026-01-01', '2026-01-06')).toBe('replied');
  });
});

import { describe, expect, it } from 'vitest';
import { Dec } from '../../platform/money.js';
import { convert, parseUnit, GB_PER_TB } from './units.js';

const ok = (q: string, from: string, to: string) => {
  const r = convert(new Dec(q), from, to);
  if (!r.ok) throw new Error(r.message);
  return r;
};

describe('parseUnit', () => {
  it.each([
    ['100 GB', '100', 'GB', 'data'],
    ['1 GB', '1', 'GB', 'data'],
    ['1GB', '1', 'GB', 'data'],
    ['1 TB', '1', 'TB', 'data'],
    ['1Mb 带宽', '1', 'Mb', 'bandwidth'],
    ['1 Mb', '1', 'Mb', 'bandwidth'],
    ['Mbps', '1', 'Mb', 'bandwidth'],
    ['M', '1', 'Mb', 'bandwidth'],
    ['1 CPU', '1', 'vCPU', 'vcpu'],
    ['核', '1', 'vCPU', 'vcpu'],
    ['vCPU', '1', 'vCPU', 'vcpu'],
    ['1 TFLOPS', '1', 'TFLOPS', 'tflops'],
    ['1 台', '1', '台', 'count'],
    ['1套', '1', '套', 'count'],
    ['个', '1', '个', 'count'],
    ['1账号', '1', '账号', 'count'],
    ['1 IP', '1', 'IP', 'count'],
    ['1 IP（内网）', '1', 'IP（内网）', 'count'],
    ['内网IP', '1', 'IP（内网）', 'count'],
    ['1 IP（互联网）', '1', 'IP（互联网）', 'count'],
    ['1 块', '1', '块', 'count'],
    ['1条', '1', '条', 'count'],
    ['1 域名', '1', '域名', 'count'],
    ['1 站点', '1', '站点', 'count'],
    ['主机', '1', '主机', 'count'],
  ])('%s → %s × %s', (text, factor, symbol, dimension) => {
    const r = parseUnit(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.factor.toString()).toBe(factor);
    expect(r.value.unit.symbol).toBe(symbol);
    expect(r.value.unit.dimension).toBe(dimension);
    expect(r.value.period).toBeNull();
  });

  it('reads a period suffix', () => {
    const r = parseUnit('台/次');
    expect(r.ok && r.value.period).toBe('occurrence');
    const y = parseUnit('张/年');
    expect(y.ok && y.value.unit.symbol).toBe('张');
    expect(y.ok && y.value.period).toBe('year');
    const m = parseUnit('项/月');
    expect(m.ok && m.value.period).toBe('month');
  });

  it('reports unknown and empty units', () => {
    expect(parseUnit('furlong')).toEqual({ ok: false, reason: 'unknown_unit', text: 'furlong' });
    expect(parseUnit('  ')).toEqual({ ok: false, reason: 'empty', text: '  ' });
    expect(parseUnit('台/周').ok).toBe(false);
    expect(parseUnit('0 GB').ok).toBe(false);
  });
});

describe('convert', () => {
  it('GB to 100 GB divides by 100, exactly', () => {
    const r = ok('8505', 'GB', '100 GB');
    expect(r.quantity.toString()).toBe('85.05');
    expect(r.ratio.toString()).toBe('0.01');
    expect(r.explanation).toBe('8505 GB = 85.05 × 100 GB');
    expect(r.nonIntegral).toBe(false);
  });
  it('100 GB to GB multiplies by 100', () => {
    expect(ok('3', '100 GB', '1 GB').quantity.toString()).toBe('300');
  });
  it(`TB to GB uses ${GB_PER_TB}`, () => {
    expect(ok('2', 'TB', 'GB').quantity.toString()).toBe('2048');
    expect(ok('1', 'TB', '100 GB').quantity.toString()).toBe('10.24');
    expect(ok('512', 'GB', '1 TB').quantity.toString()).toBe('0.5');
    expect(ok('1', 'PB', 'TB').quantity.toString()).toBe('1024');
  });
  it('Mbps ≡ Mb ≡ M for bandwidth; Gbps is 1000 Mb', () => {
    expect(ok('100', 'Mbps', '1 Mb').quantity.toString()).toBe('100');
    expect(ok('100', 'M', '1Mb 带宽').quantity.toString()).toBe('100');
    expect(ok('1', 'Gbps', '1 Mb').quantity.toString()).toBe('1000');
  });
  it('核, CPU and vCPU are the same unit', () => {
    expect(ok('62', '核', '1 CPU').quantity.toString()).toBe('62');
    expect(ok('62', 'vCPU', '1 CPU').quantity.toString()).toBe('62');
  });
  it('counts convert only into the same kind', () => {
    expect(ok('24', '1账号', '1 账号').quantity.toString()).toBe('24');
    expect(ok('7', 'IP', '1 IP').quantity.toString()).toBe('7');
    expect(ok('2', '内网IP', '1 IP（内网）').quantity.toString()).toBe('2');
    expect(ok('2', 'IP', '1 IP（内网）').quantity.toString()).toBe('2');
  });
  it('GB for a per-account item cannot be converted, naming both units', () => {
    const r = convert(new Dec(10), 'GB', '1 账号');
    expect(r).toMatchObject({ ok: false, reason: 'incompatible_units', from: 'GB', to: '1 账号' });
    expect(!r.ok && r.message).toContain('GB');
    expect(!r.ok && r.message).toContain('账号');
  });
  it.each([
    ['IP', '1 套'],
    ['1 IP（互联网）', '1 套'],
    ['1 IP（互联网）', '1 IP（内网）'],
    ['台', '套'],
    ['Mb', 'GB'],
    ['核', 'GB'],
    ['个', '套'],
    ['主机', '台'],
    ['TFLOPS', 'GB'],
  ])('%s → %s is incompatible', (from, to) => {
    expect(convert(new Dec(1), from, to)).toMatchObject({ ok: false, reason: 'incompatible_units' });
  });
  it('unknown units are reported', () => {
    expect(convert(new Dec(1), 'furlong', 'GB')).toMatchObject({ ok: false, reason: 'unknown_unit', from: 'furlong' });
  });
  it('non-integral results of count units are flagged', () => {
    expect(ok('2.5', '台', '1 台').nonIntegral).toBe(true);
    expect(ok('3', '台', '1 台').nonIntegral).toBe(false);
    expect(ok('150', 'GB', '100 GB').nonIntegral).toBe(false);
  });
});

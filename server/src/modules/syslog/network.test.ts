import { describe, expect, it } from 'vitest';
import { normalizeIp, parseNetwork, PrefixMatcher } from './network.js';

describe('parseNetwork', () => {
  it('normalises addresses and blocks', () => {
    expect(parseNetwork('10.1.2.3')).toMatchObject({ family: 4, prefix: 32, text: '10.1.2.3/32' });
    expect(parseNetwork(' 10.1.0.0/16 ')).toMatchObject({ prefix: 16, text: '10.1.0.0/16' });
    expect(parseNetwork('0.0.0.0/0')).toMatchObject({ prefix: 0, text: '0.0.0.0/0' });
    expect(parseNetwork('2001:DB8::/32')).toMatchObject({ family: 6, text: '2001:db8::/32' });
    expect(parseNetwork('::1')).toMatchObject({ text: '::1/128' });
    expect(parseNetwork('::ffff:10.0.0.1')).toMatchObject({ family: 6, prefix: 128 });
  });
  it('names the rule that is broken', () => {
    expect(parseNetwork('10.1.2.3/16')).toEqual({ error: 'host bits must be zero: did you mean 10.1.0.0/16?' });
    expect(parseNetwork('10.1.2.0/33')).toEqual({ error: 'the prefix length must be a whole number from 0 to 32' });
    expect(parseNetwork('10.1.2/24')).toHaveProperty('error');
    expect(parseNetwork('fw-01')).toHaveProperty('error');
    expect(parseNetwork('2001:db8::1/32')).toEqual({ error: 'host bits must be zero: did you mean 2001:db8::/32?' });
  });
});

describe('PrefixMatcher', () => {
  const m = new PrefixMatcher([
    { network: '10.0.0.0/8', value: 'wide' },
    { network: '10.1.0.0/16', value: 'mid' },
    { network: '10.1.2.3/32', value: 'one' },
    { network: '2001:db8::/32', value: 'v6' },
    { network: 'not-a-network', value: 'ignored' },
  ]);
  it('takes the longest matching prefix', () => {
    expect(m.match('10.1.2.3')).toBe('one');
    expect(m.match('10.1.2.4')).toBe('mid');
    expect(m.match('10.200.0.1')).toBe('wide');
    expect(m.match('11.0.0.1')).toBeNull();
    expect(m.match('2001:db8:1::5')).toBe('v6');
    expect(m.match('2001:db9::5')).toBeNull();
    expect(m.size).toBe(4);
  });
  it('reads IPv4-mapped IPv6 senders as IPv4 and survives garbage', () => {
    expect(m.match('::ffff:10.1.2.3')).toBe('one');
    expect(normalizeIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(m.match('')).toBeNull();
    expect(m.match('nonsense')).toBeNull();
  });
});

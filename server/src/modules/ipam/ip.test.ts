import { describe, expect, it } from 'vitest';
import {
  cidrRange,
  cidrSize,
  contains,
  countAddresses,
  firstFreeBlock,
  firstFreeRange,
  formatAddress,
  formatCidr,
  formatRange,
  IpError,
  overlaps,
  parseAddress,
  parseCidr,
  parseRange,
  percentText,
  rangeToCidrs,
  type Range,
} from './ip.js';

const fmt = (s: string) => formatAddress(parseAddress(s));
const r = (s: string): Range => parseRange(s);

describe('parse and format', () => {
  it('IPv4 dotted decimal, refusing leading zeros, out-of-range parts and short forms', () => {
    expect(parseAddress('0.0.0.0')).toEqual({ family: 4, value: 0n });
    expect(parseAddress('255.255.255.255')).toEqual({ family: 4, value: 0xffffffffn });
    expect(parseAddress(' 10.1.2.3 ').value).toBe((10n << 24n) + (1n << 16n) + (2n << 8n) + 3n);
    for (const bad of ['256.0.0.1', '10.1.2', '10.1.2.3.4', '010.1.2.3', '1.2.3.-1', '', 'a.b.c.d', '1.2.3.4/']) {
      expect(() => parseAddress(bad), bad).toThrow(IpError);
    }
  });

  it('IPv6 full, compressed and with an IPv4 tail; RFC 5952 output', () => {
    expect(fmt('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(fmt('::')).toBe('::');
    expect(fmt('::1')).toBe('::1');
    expect(fmt('1::')).toBe('1::');
    expect(fmt('FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF')).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    // The longest zero run is compressed; on a tie the first; a single zero group is not compressed.
    expect(fmt('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(fmt('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(fmt('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(parseAddress('::ffff:192.0.2.1')).toEqual({ family: 6, value: 0xffffc0000201n });
    expect(parseAddress('1:2:3:4:5:6:1.2.3.4').value).toBe(parseAddress('1:2:3:4:5:6:102:304').value);
    expect(parseAddress('2001:db8::').value).toBe(0x20010db8n << 96n);
    for (const bad of ['1::2::3', ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '::1.2.3', '1:2:3:4:5:6:7::8', 'fe80::1%eth0', ':1::']) {
      expect(() => parseAddress(bad), bad).toThrow(IpError);
    }
    expect(parseAddress('1:2:3:4:5:6:7::').value).toBe(parseAddress('1:2:3:4:5:6:7:0').value);
  });

  it('CIDR: /0, /32, /128, bare addresses, host bits refused unless not strict', () => {
    expect(cidrSize(parseCidr('0.0.0.0/0'))).toBe(1n << 32n);
    expect(cidrSize(parseCidr('::/0'))).toBe(1n << 128n);
    expect(cidrSize(parseCidr('10.0.0.7/32'))).toBe(1n);
    expect(cidrSize(parseCidr('2001:db8::7/128'))).toBe(1n);
    expect(parseCidr('10.0.0.7')).toEqual({ family: 4, base: parseAddress('10.0.0.7').value, prefix: 32 });
    expect(parseCidr('2001:db8::1').prefix).toBe(128);
    expect(() => parseCidr('10.0.0.1/24')).toThrow(/host bits/);
    expect(formatCidr(parseCidr('10.0.0.1/24', false))).toBe('10.0.0.0/24');
    expect(() => parseCidr('10.0.0.0/33')).toThrow(/0 to 32/);
    expect(() => parseCidr('2001:db8::/129')).toThrow(/0 to 128/);
    expect(() => parseCidr('10.0.0.0/08')).toThrow(IpError);
    expect(formatCidr(parseCidr('2001:DB8:0:0::/32'))).toBe('2001:db8::/32');
    const all6 = cidrRange(parseCidr('::/0'));
    expect(all6.last).toBe((1n << 128n) - 1n);
    expect(formatAddress({ family: 6, value: all6.last })).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  });
});

describe('contains and overlap', () => {
  it('containment across sizes and families', () => {
    expect(contains(parseCidr('0.0.0.0/0'), parseCidr('10.0.0.0/8'))).toBe(true);
    expect(contains(parseCidr('10.0.0.0/8'), parseCidr('10.255.255.255/32'))).toBe(true);
    expect(contains(parseCidr('10.0.0.0/8'), parseCidr('11.0.0.0/32'))).toBe(false);
    expect(contains(parseCidr('10.0.0.0/24'), parseCidr('10.0.0.0/23'))).toBe(false);
    expect(contains(parseCidr('10.0.0.0/24'), parseAddress('10.0.0.200'))).toBe(true);
    expect(contains(parseCidr('::/0'), parseAddress('10.0.0.1'))).toBe(false);
    expect(contains(parseCidr('2001:db8::/32'), parseCidr('2001:db8:ffff::/48'))).toBe(true);
    expect(contains(parseCidr('2001:db8::/32'), parseAddress('2001:db9::'))).toBe(false);
    expect(contains(parseCidr('2001:db8::1/128'), parseAddress('2001:db8::1'))).toBe(true);
  });

  it('overlap: nested, adjacent, identical, one address, different families', () => {
    expect(overlaps(parseCidr('10.0.0.0/16'), parseCidr('10.0.5.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/24'), parseCidr('10.0.1.0/24'))).toBe(false);
    expect(overlaps(parseCidr('10.0.0.0/24'), parseCidr('10.0.0.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/24'), r('10.0.0.255-10.0.1.3'))).toBe(true);
    expect(overlaps(r('10.0.0.0-10.0.0.9'), r('10.0.0.10-10.0.0.20'))).toBe(false);
    expect(overlaps(parseCidr('0.0.0.0/0'), parseCidr('::/0'))).toBe(false);
    expect(overlaps(parseCidr('::/0'), parseCidr('2001:db8::1/128'))).toBe(true);
    expect(overlaps(parseCidr('2001:db8::/64'), parseCidr('2001:db8:0:1::/64'))).toBe(false);
  });
});

describe('first fit and counts', () => {
  const pool = parseCidr('10.0.0.0/24');

  it('first free aligned block, skipping used ranges; null when exhausted', () => {
    expect(formatCidr(firstFreeBlock(pool, [], 26)!)).toBe('10.0.0.0/26');
    expect(formatCidr(firstFreeBlock(pool, [r('10.0.0.1')], 26)!)).toBe('10.0.0.64/26');
    expect(formatCidr(firstFreeBlock(pool, [r('10.0.0.0/26'), r('10.0.0.128/26')], 26)!)).toBe('10.0.0.64/26');
    expect(formatCidr(firstFreeBlock(pool, [r('10.0.0.0/26'), r('10.0.0.64/28')], 28)!)).toBe('10.0.0.80/28');
    expect(firstFreeBlock(pool, [r('10.0.0.0/25'), r('10.0.0.130')], 25)).toBeNull();
    expect(formatCidr(firstFreeBlock(pool, [], 24)!)).toBe('10.0.0.0/24');
    expect(firstFreeBlock(pool, [], 23)).toBeNull();
    expect(formatCidr(firstFreeBlock(pool, [r('10.0.0.0-10.0.0.254')], 32)!)).toBe('10.0.0.255/32');
    // Used ranges outside the pool do not matter.
    expect(formatCidr(firstFreeBlock(pool, [r('9.0.0.0/8')], 25)!)).toBe('10.0.0.0/25');
  });

  it('first free run of n addresses', () => {
    expect(formatRange(firstFreeRange(pool, [r('10.0.0.0'), r('10.0.0.1')], 3n)!)).toBe('10.0.0.2-10.0.0.4');
    expect(formatRange(firstFreeRange(pool, [r('10.0.0.0-10.0.0.3'), r('10.0.0.6')], 2n)!)).toBe('10.0.0.4/31');
    expect(formatRange(firstFreeRange(pool, [r('10.0.0.0-10.0.0.3'), r('10.0.0.6')], 3n)!)).toBe('10.0.0.7-10.0.0.9');
    expect(firstFreeRange(pool, [r('10.0.0.0-10.0.0.250')], 6n)).toBeNull();
    expect(formatRange(firstFreeRange(pool, [r('10.0.0.0-10.0.0.250')], 5n)!)).toBe('10.0.0.251-10.0.0.255');
    expect(firstFreeRange(pool, [], 257n)).toBeNull();
  });

  it('IPv6: /64 blocks out of a /48, /128 addresses, the whole space', () => {
    const p6 = parseCidr('2001:db8:100::/48');
    expect(formatCidr(firstFreeBlock(p6, [r('2001:db8:100::1')], 64)!)).toBe('2001:db8:100:1::/64');
    expect(formatCidr(firstFreeBlock(p6, [r('2001:db8:100::/49')], 64)!)).toBe('2001:db8:100:8000::/64');
    expect(formatRange(firstFreeRange(p6, [r('2001:db8:100::-2001:db8:100::1')], 1n)!)).toBe('2001:db8:100::2');
    const all = parseCidr('::/0');
    expect(formatCidr(firstFreeBlock(all, [r('::/1')], 1)!)).toBe('8000::/1');
    expect(firstFreeBlock(all, [r('::/1'), r('8000::/128')], 1)).toBeNull();
  });

  it('counts merge overlapping ranges; ranges split into CIDRs; percentages exact', () => {
    expect(countAddresses([r('10.0.0.0/30'), r('10.0.0.2-10.0.0.5'), r('10.0.0.9')])).toBe(7n);
    expect(countAddresses([r('::/0')])).toBe(1n << 128n);
    expect(rangeToCidrs(r('10.0.0.1-10.0.0.6')).map(formatCidr)).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    expect(rangeToCidrs(r('0.0.0.0-255.255.255.255')).map(formatCidr)).toEqual(['0.0.0.0/0']);
    expect(formatRange(r('2001:db8::/64'))).toBe('2001:db8::/64');
    expect(percentText(1n, 3n)).toBe('33.33');
    expect(percentText(2n, 3n)).toBe('66.67');
    expect(percentText(0n, 0n)).toBe('0.00');
    expect(percentText(1n, 1n << 64n)).toBe('0.00');
    expect(percentText(254n, 254n)).toBe('100.00');
  });

  it('ranges: refuses reversed and mixed ends', () => {
    expect(() => parseRange('10.0.0.9-10.0.0.1')).toThrow(/end before/);
    expect(() => parseRange('10.0.0.1-::1')).toThrow(/one family/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkDecimal,
  checkInteger,
  codePointLength,
  dateTimeColumn,
  invalidIpListItems,
  isIpAddress,
  isIpListItem,
  isPort,
  parseDate,
  parseDateTime,
} from './formats.js';

describe('codePointLength', () => {
  it('counts a Chinese character and an emoji (surrogate pair) as one', () => {
    expect(codePointLength('abcd')).toBe(4);
    expect(codePointLength('机房一号')).toBe(4);
    expect(codePointLength('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('')).toBe(0);
  });
  it('counts a lone surrogate as one character', () => {
    expect(codePointLength('\ud83d')).toBe(1);
    expect(codePointLength('\ud83dx')).toBe(2);
  });
});

describe('checkInteger (n1..N)', () => {
  it('accepts 1 to N digits', () => {
    expect(checkInteger('0', 5)).toBeNull();
    expect(checkInteger('65535', 5)).toBeNull();
    expect(checkInteger('007', 3)).toBeNull();
  });
  it('counts digits', () => {
    expect(checkInteger('123456', 5)).toBe('digits');
    expect(checkInteger('10', 1)).toBe('digits');
  });
  it('refuses signs, exponents, spaces, decimal points and empty text', () => {
    for (const v of ['-1', '+1', '1e3', ' 12', '12 ', '12.', '.5', '1.0', '', '１２', '0x1f']) expect(checkInteger(v, 5), v).toBe('format');
  });
});

describe('checkDecimal (n1..N.D and n1..N,D)', () => {
  it('n1..3,2 accepts 100.00, 0.5, 99 and refuses 1000 and 1.234', () => {
    expect(checkDecimal('100.00', 3, 2)).toBeNull();
    expect(checkDecimal('0.5', 3, 2)).toBeNull();
    expect(checkDecimal('99', 3, 2)).toBeNull();
    expect(checkDecimal('1000', 3, 2)).toBe('digits');
    expect(checkDecimal('1000.5', 3, 2)).toBe('digits');
    expect(checkDecimal('1.234', 3, 2)).toBe('decimals');
  });
  it('n1..6.2 accepts 123456.78 and refuses 1234567', () => {
    expect(checkDecimal('123456.78', 6, 2)).toBeNull();
    expect(checkDecimal('1234567', 6, 2)).toBe('digits');
    expect(checkDecimal('12.345', 6, 2)).toBe('decimals');
  });
  it('refuses 1e3, -1, leading space, 12. and .5, and a decimal comma', () => {
    for (const v of ['1e3', '-1', ' 12', '12.', '.5', '12,5', '1.2.3', '', '.', 'NaN', 'Infinity']) expect(checkDecimal(v, 6, 2), v).toBe('format');
  });
});

describe('dates and times', () => {
  it('an10: real calendar dates only', () => {
    expect(parseDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29) - 8 * 3_600_000);
    for (const v of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-01', '2024/01/01', '20240101', '2024-01-01 ', ''])
      expect(parseDate(v), v).toBeNaN();
    expect(parseDate('2000-02-29')).not.toBeNaN();
    expect(parseDate('1900-02-29')).toBeNaN();
  });
  it('an19: Beijing time with a space or T', () => {
    const ms = Date.UTC(2024, 5, 1, 12, 30, 15) - 8 * 3_600_000;
    expect(parseDateTime('2024-06-01 12:30:15')).toBe(ms);
    expect(parseDateTime('2024-06-01T12:30:15')).toBe(ms);
    expect(new Date(parseDateTime('2024-06-01 00:00:00')).toISOString()).toBe('2024-05-31T16:00:00.000Z');
  });
  it('an19: refuses Feb 30, 24:00, 60 minutes or seconds, other shapes', () => {
    for (const v of [
      '2024-02-30 10:00:00',
      '2024-06-01 24:00:00',
      '2024-06-01 12:60:00',
      '2024-06-01 12:00:60',
      '2024-06-01 12:00',
      '2024-06-01 12:00:00Z',
      '2024-06-01 12:00:00+08:00',
      '2024-06-01_12:00:00',
      '2024-6-1 12:00:00',
      '2024-06-01  2:00:00',
      '2024-06-01',
    ])
      expect(parseDateTime(v), v).toBeNaN();
  });
  it('column form carries the +08 offset', () => {
    expect(dateTimeColumn('2024-06-01 12:30:15')).toBe('2024-06-01 12:30:15+08');
    expect(dateTimeColumn('2024-06-01T12:30:15')).toBe('2024-06-01 12:30:15+08');
  });
});

describe('addresses and ports', () => {
  it('IPv4 and IPv6', () => {
    for (const v of ['10.0.0.1', '255.255.255.255', '::1', '2001:db8::8a2e:370:7334', 'fe80::1']) expect(isIpAddress(v), v).toBe(true);
    for (const v of ['10.0.0.256', '10.0.0', '10.0.0.1/24', 'host', '2001:db8:::1', ' 10.0.0.1']) expect(isIpAddress(v), v).toBe(false);
  });
  it('ports 0–65535', () => {
    expect(isPort('0')).toBe(true);
    expect(isPort('65535')).toBe(true);
    expect(isPort('65536')).toBe(false);
    expect(isPort('99999')).toBe(false);
  });
  it('address lists: addresses, CIDR, ranges, separated by , ; or white space', () => {
    expect(invalidIpListItems('10.0.0.1, 10.0.1.0/24;192.168.1.1-192.168.1.20 2001:db8::/32\n::1')).toEqual([]);
    expect(invalidIpListItems('10.0.0.1,10.0.0.300')).toEqual(['10.0.0.300']);
    expect(invalidIpListItems('10.0.0.0/33')).toEqual(['10.0.0.0/33']);
    expect(invalidIpListItems('10.0.0.9-10.0.0.1')).toEqual(['10.0.0.9-10.0.0.1']);
    expect(invalidIpListItems('10.0.0.1-::1')).toEqual(['10.0.0.1-::1']);
    expect(invalidIpListItems(' ,; ')).toEqual([' ,; ']);
    expect(isIpListItem('2001:db8::/129')).toBe(false);
    expect(isIpListItem('10.0.0.0/')).toBe(false);
  });
});

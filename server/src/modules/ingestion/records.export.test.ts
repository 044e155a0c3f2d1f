import { describe, expect, it } from 'vitest';
import { csvField, encodeGbk } from './records.export.js';

describe('GBK encoding of CSV exports', () => {
  it('round-trips every two-byte GBK character through the platform decoder', () => {
    const decoder = new TextDecoder('gbk');
    const bytes: number[] = [];
    for (let hi = 0x81; hi <= 0xfe; hi++) for (let lo = 0x40; lo <= 0xfe; lo++) if (lo !== 0x7f) bytes.push(hi, lo);
    const text = decoder.decode(Uint8Array.from(bytes)).replace(/\uFFFD/g, '');
    expect(text.length).toBeGreaterThan(21_000);
    expect(decoder.decode(encodeGbk(text))).toBe(text);
  });

  it('keeps ASCII as is, writes 中文 in two bytes each, and a character outside GBK as ?', () => {
    expect([...encodeGbk('a,1\r\n')]).toEqual([0x61, 0x2c, 0x31, 0x0d, 0x0a]);
    expect([...encodeGbk('中文')]).toEqual([0xd6, 0xd0, 0xce, 0xc4]);
    expect(new TextDecoder('gbk').decode(encodeGbk('主机😀甲'))).toBe('主机?甲');
  });
});

describe('CSV fields', () => {
  it('quotes commas, quotes, line breaks and edge spaces; leaves plain text alone', () => {
    expect(csvField('a,b', 'text')).toBe('"a,b"');
    expect(csvField('say "hi"', 'text')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', 'text')).toBe('"two\nlines"');
    expect(csvField(' padded', 'text')).toBe('" padded"');
    expect(csvField('服务启动', 'text')).toBe('服务启动');
    expect(csvField(null, 'text')).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(csvField('=HYPERLINK("x")', 'text')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)', 'text')).toBe("'@SUM(A1)");
    expect(csvField('-12.5', 'text')).toBe('-12.5');
    expect(csvField('-12.5', 'decimal')).toBe('-12.5');
  });
});

import { describe, expect, it } from 'vitest';
import { FieldCipher, hashPassword, hmacSm3Hex, sm3Hex, verifyPassword } from './sm.js';
import { totpCode, verifyTotp } from './totp.js';

describe('SM3', () => {
  it('matches the GB/T 32905 test vectors', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });
  it('computes HMAC-SM3 deterministically and key-dependently', () => {
    expect(hmacSm3Hex('k1', 'data')).toHaveLength(64);
    expect(hmacSm3Hex('k1', 'data')).not.toBe(hmacSm3Hex('k2', 'data'));
  });
});

describe('SM4 field cipher', () => {
  const cipher = new FieldCipher('0123456789abcdeffedcba9876543210');
  it('round-trips Chinese text with a fresh IV each time', () => {
    const a = cipher.encrypt('13800138000 张三');
    const b = cipher.encrypt('13800138000 张三');
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a)).toBe('13800138000 张三');
  });
  it('detects a tampered value', () => {
    const stored = cipher.encrypt('secret');
    const raw = Buffer.from(stored.slice('sm4:v1:'.length), 'base64');
    raw[20] = raw[20]! ^ 1;
    expect(() => cipher.decrypt('sm4:v1:' + raw.toString('base64'))).toThrow(/integrity/);
  });
  it('refuses another key', () => {
    const other = new FieldCipher('00000000000000000000000000000000');
    expect(() => other.decrypt(cipher.encrypt('x'))).toThrow();
  });
});

describe('PBKDF2-HMAC-SM3 passwords', () => {
  it('verifies the right password only', async () => {
    const stored = await hashPassword('Zhengyun@2026', 1000);
    expect(await verifyPassword('Zhengyun@2026', stored)).toBe(true);
    expect(await verifyPassword('zhengyun@2026', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890" in base32.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it('matches the RFC test vectors (last 6 digits)', () => {
    expect(totpCode(secret, Math.floor(59 / 30))).toBe('287082');
    expect(totpCode(secret, Math.floor(1111111109 / 30))).toBe('081804');
    expect(totpCode(secret, Math.floor(1234567890 / 30))).toBe('005924');
  });
  it('accepts ±1 step and refuses a code already used', () => {
    const now = 1234567890_000;
    const step = verifyTotp(secret, '005924', null, now);
    expect(step).toBe(Math.floor(1234567890 / 30));
    expect(verifyTotp(secret, '005924', step, now)).toBeNull();
    expect(verifyTotp(secret, '12345', null, now)).toBeNull();
  });
});

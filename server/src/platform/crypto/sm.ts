import crypto from 'node:crypto';

/**
 * National cryptography (GB/T 39786): SM3 hashing and HMAC, SM4 encryption of personal data at rest
 * (SM4-CBC with an HMAC-SM3 tag, encrypt-then-MAC, since OpenSSL offers no SM4-GCM here), and PBKDF2-HMAC-SM3
 * password hashing. All from Node's built-in OpenSSL.
 */

export function sm3Hex(data: string | Buffer): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}

export function hmacSm3Hex(key: string | Buffer, data: string | Buffer): string {
  return crypto.createHmac('sm3', key).update(data).digest('hex');
}

/** Constant-time comparison of two hex or text strings. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** Random token for sessions, challenges and API tokens (base64url, 256 bits). */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

const ENC_PREFIX = 'sm4:v1:';

/** SM4 field encryption with a 128-bit master key; keys for encryption and MAC are derived separately. */
export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKeyHex: string) {
    const master = Buffer.from(masterKeyHex, 'hex');
    if (master.length !== 16) throw new Error('SM4 master key must be 16 bytes (32 hex characters)');
    this.encKey = crypto.createHmac('sm3', master).update('zhengyun:sm4:enc').digest().subarray(0, 16);
    this.macKey = crypto.createHmac('sm3', master).update('zhengyun:sm4:mac').digest();
  }

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(16);
    const cipher = crypto.createCipheriv('sm4-cbc', this.encKey, iv);
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = crypto.createHmac('sm3', this.macKey).update(body).digest();
    return ENC_PREFIX + Buffer.concat([body, tag]).toString('base64');
  }

  decrypt(stored: string): string {
    if (!stored.startsWith(ENC_PREFIX)) throw new Error('not an SM4 field value');
    const raw = Buffer.from(stored.slice(ENC_PREFIX.length), 'base64');
    if (raw.length < 16 + 16 + 32) throw new Error('SM4 field value is truncated');
    const body = raw.subarray(0, raw.length - 32);
    const tag = raw.subarray(raw.length - 32);
    const expected = crypto.createHmac('sm3', this.macKey).update(body).digest();
    if (!crypto.timingSafeEqual(tag, expected)) throw new Error('SM4 field value failed its integrity check');
    const decipher = crypto.createDecipheriv('sm4-cbc', this.encKey, body.subarray(0, 16));
    return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString('utf8');
  }
}

const PBKDF2_ITERATIONS = 100_000;

/** Password hash: `pbkdf2-sm3$<iterations>$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await pbkdf2(password, salt, iterations);
  return `pbkdf2-sm3$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$');
  if (scheme !== 'pbkdf2-sm3' || !iter || !salt || !hash) return false;
  const actual = await pbkdf2(password, Buffer.from(salt, 'base64'), Number(iter));
  const expected = Buffer.from(hash, 'base64');
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

function pbkdf2(password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.pbkdf2(password.normalize('NFC'), salt, iterations, 32, 'sm3', (err, key) => (err ? reject(err) : resolve(key))),
  );
}

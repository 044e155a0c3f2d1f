import { sm2 } from 'sm-crypto-v2';
import crypto from 'node:crypto';
import { sm3Hex } from '../../platform/crypto/index.js';

/**
 * SM2 signatures of exported documents (GB/T 39786; GB/T 32918 SM2 with SM3, distinguishing ID 1234567812345678).
 *
 * The signature lives in a trailer at the very end of the file:
 *
 *   %ZYSIG1 <the signature attributes as compact JSON, UTF-8, one line>\n
 *   %ZYSIG2 <128 hex digits: r || s, 32 bytes each>\n
 *
 * The signed message is every byte of the file before the 128 hex digits, i.e. the unsigned document, the attribute
 * line and the `%ZYSIG2 ` marker. Only the signature value itself and the final newline are outside it (the verifier
 * requires the file to end exactly there). Changing any other byte makes the signature INVALID.
 *
 * - PDF: the trailer follows `%%EOF`; each line starts with `%`, so it is a PDF comment, and at well under 1 024 bytes
 *   readers still find `%%EOF` and `startxref`.
 * - XLSX: the trailer is the ZIP archive comment; the end-of-central-directory record's comment length is set to the
 *   trailer's length before signing (it is covered by the signature), so the workbook stays a valid ZIP.
 *
 * The trailer is at most MAX_TRAILER_BYTES (480): LibreOffice looks for the end of a ZIP only in its last ~512 bytes
 * and refuses a workbook with a longer comment (measured: 512 opens, 516 does not). Long titles are shortened to fit.
 */

export const SM2_DISTINGUISHING_ID = '1234567812345678';
const ATTR_MARKER = '%ZYSIG1 ';
const SIG_MARKER = '%ZYSIG2 ';
const SIG_HEX_LENGTH = 128;
export const MAX_TRAILER_BYTES = 480;

/** The attributes as written in the file: short keys, to keep the trailer small. */
interface WireAttributes {
  v: 1;
  alg: 'SM2-SM3';
  id: string;
  key: string;
  signer: string;
  by: string | null;
  at: string;
  type: string;
  title: string;
}

const clean = (text: string, max: number) => Array.from(text.replace(/%ZYSIG/g, '% ZYSIG').replace(/[\r\n]+/g, ' ')).slice(0, max).join('');

function attributeLine(a: SignatureAttributes): Buffer {
  const wire = (title: string): WireAttributes => ({ v: 1, alg: 'SM2-SM3', id: a.distId, key: a.keyFingerprint, signer: a.signer, by: a.issuedBy, at: a.signedAt, type: a.docType, title });
  const line = (title: string) => Buffer.from(`${ATTR_MARKER}${JSON.stringify(wire(title))}\n${SIG_MARKER}`, 'utf8');
  let chars = Array.from(a.title);
  let out = line(a.title);
  while (out.length + SIG_HEX_LENGTH + 1 > MAX_TRAILER_BYTES && chars.length > 0) {
    chars = chars.slice(0, -1);
    out = line(`${chars.join('')}…`);
  }
  if (out.length + SIG_HEX_LENGTH + 1 > MAX_TRAILER_BYTES) throw new Error('signature attributes too long');
  return out;
}

function fromWire(w: WireAttributes): SignatureAttributes {
  return { v: w.v, alg: w.alg, distId: w.id, keyFingerprint: w.key, signer: w.signer, issuedBy: w.by, signedAt: w.at, docType: w.type, title: w.title };
}

export type SignedFormat = 'pdf' | 'xlsx';

/** What the signature states about the document; all of it is covered by the signature. */
export interface SignatureAttributes {
  v: 1;
  alg: 'SM2-SM3';
  distId: string;
  /** Name of the signing key's holder (the platform). */
  signer: string;
  /** Who exported the document, as shown to a reader (user name, unit). */
  issuedBy: string | null;
  signedAt: string;
  /** SM3 of the uncompressed public key (65 bytes, 04 || x || y), hex: names the key (published by the platform). */
  keyFingerprint: string;
  docType: string;
  /** The document's title, at most 60 characters, shortened further (…) to keep the trailer within 480 bytes. */
  title: string;
}

export interface SigningKey {
  privateKey: string;
  publicKey: string;
}

export function publicKeyFingerprint(publicKeyHex: string): string {
  return sm3Hex(Buffer.from(publicKeyHex, 'hex'));
}

export function detectFormat(data: Uint8Array): SignedFormat | null {
  const head = Buffer.from(data.subarray(0, 5)).toString('latin1');
  if (head === '%PDF-') return 'pdf';
  if (head.startsWith('PK\u0003\u0004')) return 'xlsx';
  return null;
}

/** Offset of the ZIP end-of-central-directory record (signature 0x06054b50), searching back from the end. */
function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}

/**
 * e = SM3(Z_A || M) (GB/T 32918.2), with Node's native SM3: sm-crypto-v2 would hash through hex strings, about 1 MB/s.
 * Z_A (from the distinguishing ID, the curve and the public key) comes from sm-crypto-v2.
 */
function digest(message: Buffer, publicKey: string): Uint8Array {
  const z = sm2.getZ(publicKey, SM2_DISTINGUISHING_ID);
  return crypto.createHash('sm3').update(z).update(message).digest();
}

function signMessage(message: Buffer, key: SigningKey): string {
  const sig = sm2.doSignature(digest(message, key.publicKey), key.privateKey, { hash: false, der: false });
  if (!/^[0-9a-f]{128}$/.test(sig)) throw new Error('unexpected SM2 signature form');
  return sig;
}

/** Signs a generated PDF or XLSX (unsigned, as produced by the builders) and returns the signed file. */
export function signDocument(unsigned: Buffer, format: SignedFormat, key: SigningKey, attrs: Omit<SignatureAttributes, 'v' | 'alg' | 'distId' | 'keyFingerprint'>): Buffer {
  const full: SignatureAttributes = {
    v: 1,
    alg: 'SM2-SM3',
    distId: SM2_DISTINGUISHING_ID,
    keyFingerprint: publicKeyFingerprint(key.publicKey),
    signedAt: attrs.signedAt.slice(0, 40),
    docType: clean(attrs.docType, 20),
    signer: clean(attrs.signer, 20),
    issuedBy: attrs.issuedBy === null ? null : clean(attrs.issuedBy, 32),
    title: clean(attrs.title, 60),
  };
  const attrLine = attributeLine(full);
  const trailerLength = attrLine.length + SIG_HEX_LENGTH + 1;
  let body: Buffer;
  if (format === 'pdf') {
    body = unsigned[unsigned.length - 1] === 0x0a ? unsigned : Buffer.concat([unsigned, Buffer.from('\n')]);
  } else {
    const eocd = findEocd(unsigned);
    if (eocd < 0 || eocd + 22 !== unsigned.length) throw new Error('the workbook is not a ZIP without comment');
    if (trailerLength > 0xffff) throw new Error('signature trailer too long for a ZIP comment');
    body = Buffer.from(unsigned);
    body.writeUInt16LE(trailerLength, eocd + 20);
  }
  const message = Buffer.concat([body, attrLine]);
  const sig = signMessage(message, key);
  return Buffer.concat([message, Buffer.from(`${sig}\n`, 'latin1')]);
}

export interface ParsedSignature {
  format: SignedFormat;
  attributes: SignatureAttributes;
  /** r || s, hex. */
  signature: string;
  /** The bytes the signature covers. */
  message: Buffer;
}

export type ParseResult = { ok: true; parsed: ParsedSignature } | { ok: false; reason: string };

/** Finds and decodes the signature trailer; does not check the signature. */
export function parseSignedDocument(data: Buffer): ParseResult {
  const format = detectFormat(data);
  if (!format) return { ok: false, reason: 'not a PDF or XLSX file' };
  if (data.length < SIG_HEX_LENGTH + SIG_MARKER.length + 1 || data[data.length - 1] !== 0x0a) return { ok: false, reason: 'no Zhengyun signature at the end of the file' };
  const sigStart = data.length - 1 - SIG_HEX_LENGTH;
  const signature = data.subarray(sigStart, data.length - 1).toString('latin1');
  const marker = data.subarray(sigStart - SIG_MARKER.length, sigStart).toString('latin1');
  if (marker !== SIG_MARKER || !/^[0-9a-f]{128}$/.test(signature)) return { ok: false, reason: 'no Zhengyun signature at the end of the file' };
  const attrEnd = sigStart - SIG_MARKER.length - 1; // the '\n' ending the attribute line
  const attrStart = data.lastIndexOf(ATTR_MARKER, attrEnd, 'latin1');
  if (attrStart < 0 || data[attrEnd] !== 0x0a) return { ok: false, reason: 'signature attributes missing' };
  let attributes: SignatureAttributes;
  try {
    attributes = fromWire(JSON.parse(data.subarray(attrStart + ATTR_MARKER.length, attrEnd).toString('utf8')) as WireAttributes);
  } catch {
    return { ok: false, reason: 'signature attributes unreadable' };
  }
  if (attributes.v !== 1 || attributes.alg !== 'SM2-SM3' || typeof attributes.keyFingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(attributes.keyFingerprint)) {
    return { ok: false, reason: 'unsupported signature attributes' };
  }
  if (format === 'xlsx') {
    const eocd = findEocd(data.subarray(0, attrStart));
    if (eocd < 0 || data.readUInt16LE(eocd + 20) !== data.length - (eocd + 22)) return { ok: false, reason: 'the signature is not the ZIP comment of the workbook' };
  }
  return { ok: true, parsed: { format, attributes, signature, message: data.subarray(0, sigStart) } };
}

export interface VerifyOutcome {
  valid: boolean;
  reason: string | null;
  format: SignedFormat | null;
  attributes: SignatureAttributes | null;
}

/**
 * Verifies a signed document. `trustedKeys` are the public keys (hex) the verifier trusts, e.g. the platform's keys;
 * a signature by any other key is INVALID even when it is mathematically correct.
 */
export function verifySignedDocument(data: Buffer, trustedKeys: readonly string[]): VerifyOutcome {
  const r = parseSignedDocument(data);
  if (!r.ok) return { valid: false, reason: r.reason, format: detectFormat(data), attributes: null };
  const { attributes, signature, message, format } = r.parsed;
  if (attributes.distId !== SM2_DISTINGUISHING_ID) return { valid: false, reason: 'unsupported distinguishing ID', format, attributes };
  const publicKey = trustedKeys.find((k) => publicKeyFingerprint(k) === attributes.keyFingerprint);
  if (!publicKey) return { valid: false, reason: 'signed by a key that is not the platform\u2019s', format, attributes };
  let ok: boolean;
  try {
    ok = sm2.doVerifySignature(digest(message, publicKey), signature, publicKey, { hash: false, der: false });
  } catch {
    ok = false;
  }
  return ok ? { valid: true, reason: null, format, attributes } : { valid: false, reason: 'the signature does not match the content (altered file)', format, attributes };
}

/** DER encoding (SEQUENCE of two INTEGERs) of an r || s signature, as OpenSSL expects. */
export function signatureToDer(rs: string): Buffer {
  const int = (hex: string) => {
    let b = Buffer.from(hex, 'hex');
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    b = b.subarray(i);
    if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return Buffer.concat([Buffer.from([0x02, b.length]), b]);
  };
  const body = Buffer.concat([int(rs.slice(0, 64)), int(rs.slice(64))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** SubjectPublicKeyInfo PEM of an SM2 public key (04 || x || y), for OpenSSL and other tools. */
export function publicKeyPem(publicKeyHex: string): string {
  // id-ecPublicKey, curve SM2 (1.2.156.10197.1.301)
  const prefix = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
  const der = Buffer.concat([prefix, Buffer.from(publicKeyHex, 'hex')]);
  const b64 = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey, publicKey };
}

import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { verifySignedDocument } from './documents.signature.js';
import { formatVerifyReport, toReport, type VerifyReport } from './documents.service.js';

/** A public key given on the command line: a PEM (SubjectPublicKeyInfo) or the hex 04 || x || y, as text. */
export function parsePublicKey(text: string): string {
  const t = text.trim();
  if (/^04[0-9a-fA-F]{128}$/.test(t)) return t.toLowerCase();
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(t);
  if (m) {
    const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
    const point = der.subarray(der.length - 65);
    if (der.length >= 65 && point[0] === 4) return point.toString('hex');
  }
  throw new RangeError('the key must be an SM2 public key: a PEM "PUBLIC KEY" or 130 hex digits starting with 04');
}

export async function platformKeys(db: Db): Promise<string[]> {
  const r = await sql<{ publicKey: string }>`select public_key from document_signing_keys`.execute(db);
  return r.rows.map((x) => x.publicKey);
}

/**
 * `zhengyun verify-signature <file>`: verifies against the given key file, or the platform's keys read by
 * `keysFromDatabase`. Prints the report (or JSON) and returns the exit code: 0 VALID, 1 INVALID or unreadable.
 */
export async function verifySignatureFile(
  file: string,
  opts: { key?: string; json?: boolean },
  keysFromDatabase: () => Promise<string[]>,
  print: (line: string) => void = (l) => console.log(l),
): Promise<number> {
  let data: Buffer;
  let keys: string[];
  try {
    data = await readFile(file);
    keys = opts.key ? [parsePublicKey(await readFile(opts.key, 'utf8'))] : await keysFromDatabase();
  } catch (err) {
    print(`Cannot verify ${file}: ${(err as Error).message}`);
    return 1;
  }
  const report: VerifyReport = toReport(verifySignedDocument(data, keys));
  print(opts.json ? JSON.stringify(report, null, 2) : formatVerifyReport(file, report));
  return report.valid ? 0 : 1;
}

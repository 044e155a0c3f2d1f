import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Logger } from './logger.js';

/**
 * The SM4 master key for personal data at rest: from configuration, else kept in `<dataDir>/master.key` (created on
 * first start, mode 0600). Losing it makes encrypted contact data unreadable, so back it up with the database.
 */
export function loadMasterKey(configured: string | undefined, dataDir: string, logger: Logger): string {
  if (configured) return configured.toLowerCase();
  const file = path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{32}$/i.test(key)) throw new Error(`${file} does not hold a 32-hex-character SM4 key`);
    return key.toLowerCase();
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(16).toString('hex');
  fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  logger.warn({ file }, 'generated a new SM4 master key; back it up together with the database');
  return key;
}

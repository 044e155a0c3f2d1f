/**
 * Audit log (审计日志): append-only, SM3-chained record of every write and every sign-in.
 * Other modules call `recordAudit(trx, ctx, entry)` inside the transaction of the write they describe.
 */
export { recordAudit, type AuditEntry } from './audit.service.js';
export { chainHash, canonicalJson, GENESIS_HASH } from './audit.chain.js';

/**
 * Audit log (审计日志): append-only, SM3-chained record of every write and every sign-in.
 * Other modules call `recordAudit(trx, ctx, entry)` inside the transaction of the write they describe.
 * The audit administrator searches, exports and verifies it (`AuditService`, routes under /api/audit-logs);
 * `verifyAuditChain` backs `zhengyun audit verify`; the `audit.prune` job applies the retention.
 */
export { recordAudit, AuditService, EXPORT_MAX_ROWS, type AuditEntry, type OrgNameLookup } from './audit.service.js';
export { chainHash, canonicalJson, GENESIS_HASH } from './audit.chain.js';
export { verifyAuditChain, ChainVerifier, type VerifyResult, type ChainProblem, type ProblemKind } from './audit.verify.js';
export { registerAuditRoutes } from './audit.routes.js';
export { registerAuditJobs } from './audit.jobs.js';

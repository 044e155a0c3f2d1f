/**
 * Benchmark of the audit chain on a scratch database: writes N correctly chained records with COPY, then measures
 * `verifyAuditChain` (records/s, memory) and an .xlsx export of up to 100,000 of them.
 *   npx tsx src/modules/audit/audit.bench.ts [records=100000]
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop the scratch database.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import { systemContext } from '../../platform/context.js';
import { chainHash, GENESIS_HASH, type ChainedFields } from './audit.chain.js';
import { verifyAuditChain } from './audit.verify.js';
import { AuditService } from './audit.service.js';

const n = Number(process.argv[2] ?? 100_000);
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `zy_bench_audit_${process.pid}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`create database ${name} encoding 'UTF8' template template0`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();

function esc(v: string | null): string {
  return v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

try {
  await migrate(url, createLogger('warn'));
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  const t0 = performance.now();
  const start = Date.now() - 30 * 86_400_000;
  function* lines() {
    let prev = GENESIS_HASH;
    for (let i = 1; i <= n; i++) {
      const f: ChainedFields = {
        seq: String(i),
        occurredAt: new Date(start + i * 20),
        actorUserId: '00000000-0000-4000-8000-000000000001',
        actorUsername: `user${i % 500}`,
        actorOrgId: null,
        actorKind: 'user',
        action: i % 3 ? 'users.update' : 'auth.sign_in',
        targetType: 'user',
        targetId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        outcome: i % 17 ? 'success' : 'failure',
        before: { displayName: `旧名${i}`, roles: ['unit_staff'] },
        after: { displayName: `新名${i}`, roles: ['unit_staff', 'unit_admin'] },
        details: { step: 'signed_in', n: i },
        sourceIp: '10.20.30.40',
        requestId: `req-${i}`,
      };
      const hash = chainHash(prev, f);
      yield [f.seq, f.occurredAt.toISOString(), f.actorUserId, f.actorUsername, f.actorOrgId, f.actorKind, f.action, f.targetType, f.targetId, f.outcome,
        JSON.stringify(f.before), JSON.stringify(f.after), JSON.stringify(f.details), f.sourceIp, f.requestId, prev, hash].map((v) => esc(v as string | null)).join('\t') + '\n';
      prev = hash;
    }
  }
  await pipeline(Readable.from(lines()), owner.query(copyFrom('copy audit_log (seq, occurred_at, actor_user_id, actor_username, actor_org_id, actor_kind, action, target_type, target_id, outcome, before, after, details, source_ip, request_id, prev_hash, hash) from stdin')));
  await owner.query('analyze audit_log');
  const writeMs = performance.now() - t0;
  await owner.end();
  console.log(`wrote ${n} chained records with COPY in ${(writeMs / 1000).toFixed(1)} s (${Math.round(n / (writeMs / 1000))}/s, hashing included)`);

  // Baseline in the same run: the same rows read in seq order, in the same batch size, without recomputing any hash.
  const reader = new pg.Client({ connectionString: url });
  await reader.connect();
  const b0 = performance.now();
  let last = 0;
  for (;;) {
    const batch = await reader.query<{ seq: string }>('select seq, occurred_at, actor_user_id, actor_username, actor_org_id, actor_kind, action, target_type, target_id, outcome, before::text, after::text, details::text, source_ip, request_id, prev_hash, hash from audit_log where seq > $1 order by seq limit 10000', [last]);
    if (batch.rows.length === 0) break;
    last = Number(batch.rows[batch.rows.length - 1]!.seq);
  }
  const baselineMs = performance.now() - b0;
  await reader.end();
  console.log(`baseline: read the same ${n} rows in batches of 10,000 without hashing in ${(baselineMs / 1000).toFixed(2)} s = ${Math.round(n / (baselineMs / 1000))} records/s`);

  const database = createDatabase(url, 2);
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const r = await verifyAuditChain(database.db, { onProgress: () => { peak = Math.max(peak, process.memoryUsage().rss); } });
  console.log(`verify: ok=${r.ok} checked=${r.checked} in ${(r.durationMs / 1000).toFixed(2)} s = ${Math.round(r.checked / (r.durationMs / 1000))} records/s; RSS ${Math.round(rss0 / 2 ** 20)} → peak ${Math.round(peak / 2 ** 20)} MiB`);
  console.log(`ratio verify / baseline read: ${(r.durationMs / baselineMs).toFixed(2)}× the time of reading alone`);

  const service = new AuditService(database.db);
  const filter = { from: new Date(start).toISOString() };
  const t1 = performance.now();
  const plan = await service.prepareExport(systemContext('bench'), filter).catch(() => ({ total: -1, upTo: null }));
  const { total } = plan;
  if (total > 0) {
    let bytes = 0;
    const sink = new Writable({ write(chunk: Buffer, _e, cb) { bytes += chunk.length; cb(); } });
    await service.writeExport(systemContext('bench'), filter, plan, sink);
    const ms = performance.now() - t1;
    console.log(`export: ${total} rows to .xlsx in ${(ms / 1000).toFixed(2)} s (${Math.round(total / (ms / 1000))} rows/s), ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  } else console.log('export: more than 100,000 rows match; skipped (the API answers 400)');
  await database.close();
} finally {
  const d = new pg.Client({ connectionString: admin });
  await d.connect();
  await d.query(`drop database if exists ${name} with (force)`);
  await d.end();
}

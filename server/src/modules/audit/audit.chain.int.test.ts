/**
 * Tamper tests: each runs on a database of its own (the shared test database must stay intact for other files), writes
 * a chain through the application, then changes it as an attacker with the owner's rights would (triggers bypassed with
 * session_replication_role = replica) and checks that verification names the record and the kind of change.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createDatabase, withTx, type Database } from '../../platform/db/database.js';
import { createScratchDatabase } from '../../test/harness.js';
import { chainHash, GENESIS_HASH } from './audit.chain.js';
import { AuditService, recordAudit } from './audit.service.js';
import { verifyAuditChain } from './audit.verify.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Scratch {
  url: string;
  database: Database;
  owner: pg.Client;
}
const open: Array<{ s: Scratch; drop: () => Promise<void> }> = [];

afterEach(async () => {
  for (const { s, drop } of open.splice(0)) {
    await s.owner.end();
    await s.database.close();
    await drop();
  }
});

async function scratch(records = 10): Promise<Scratch> {
  const db = await createScratchDatabase();
  const s: Scratch = { url: db.url, database: createDatabase(db.url, 2), owner: new pg.Client({ connectionString: db.url }) };
  await s.owner.connect();
  open.push({ s, drop: db.drop });
  await write(s, records);
  return s;
}

async function write(s: Scratch, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const ctx = { ...systemContext(`req-${i}`, '10.1.2.3'), userAgent: 'test' };
    await withTx(s.database.db, ctx, (trx) =>
      recordAudit(trx, ctx, {
        action: i % 2 ? 'users.update' : 'auth.sign_in',
        targetType: 'user',
        targetId: `u-${i}`,
        outcome: i % 3 ? 'success' : 'failure',
        before: i % 2 ? { displayName: `旧名 ${i}`, roles: ['unit_staff'] } : null,
        after: i % 2 ? { displayName: `新名 ${i}`, roles: ['unit_staff', 'unit_admin'], n: 1.5 } : null,
        // snake_case keys inside jsonb must survive the CamelCasePlugin when read back for hashing
        details: { attempt: i, note: 'x', auth_source: 'local', nested_list: [{ role_code: 'unit_admin' }] },
      }),
    );
  }
}

/** As an attacker with the owner's rights: triggers off for this session. */
async function tamper(s: Scratch, sqlText: string, values: unknown[] = []): Promise<void> {
  await s.owner.query('set session_replication_role = replica');
  await s.owner.query(sqlText, values);
  await s.owner.query('set session_replication_role = origin');
}

const kinds = (r: Awaited<ReturnType<typeof verifyAuditChain>>) => r.problems.map((p) => `${p.seq}:${p.kind}`);

describe('audit chain on PostgreSQL', () => {
  it('verifies an untouched chain written through the application', async () => {
    const s = await scratch(25);
    const r = await verifyAuditChain(s.database.db, { batchSize: 7 });
    expect(r).toMatchObject({ ok: true, checked: 25, firstSeq: '1', lastSeq: '25', problems: [], anchor: null });
  });

  it('detects an altered field and names the record', async () => {
    const s = await scratch();
    await tamper(s, `update audit_log set after = '{"displayName":"forged"}' where seq = 4`);
    const r = await verifyAuditChain(s.database.db, { batchSize: 3 });
    expect(r.ok).toBe(false);
    expect(kinds(r)).toEqual(['4:altered']);
  });

  it('detects an altered time and outcome', async () => {
    const s = await scratch();
    await tamper(s, `update audit_log set occurred_at = occurred_at - interval '1 hour' where seq = 2`);
    await tamper(s, `update audit_log set outcome = 'success' where seq = 7`);
    expect(kinds(await verifyAuditChain(s.database.db))).toEqual(['2:altered', '7:altered']);
  });

  it('detects a record deleted from the middle', async () => {
    const s = await scratch();
    await tamper(s, 'delete from audit_log where seq = 6');
    const r = await verifyAuditChain(s.database.db);
    expect(kinds(r)).toEqual(['6:removed']);
    expect(r.checked).toBe(9);
  });

  it('detects a deleted record whose successors were renumbered to close the gap', async () => {
    const s = await scratch();
    await tamper(s, 'delete from audit_log where seq = 6');
    await tamper(s, 'update audit_log set seq = seq - 1 where seq > 6');
    const r = await verifyAuditChain(s.database.db);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ seq: '6', kind: 'removed' });
  });

  it('detects two records whose contents were swapped', async () => {
    const s = await scratch();
    const cols = ['occurred_at', 'actor_user_id', 'actor_username', 'actor_org_id', 'actor_kind', 'action', 'target_type', 'target_id', 'outcome', 'before', 'after', 'details', 'source_ip', 'request_id', 'prev_hash', 'hash'];
    await tamper(s, `update audit_log a set ${cols.map((c) => `${c} = b.${c}`).join(', ')} from audit_log b where (a.seq, b.seq) in ((3, 4), (4, 3))`);
    const r = await verifyAuditChain(s.database.db);
    expect(r.ok).toBe(false);
    expect(kinds(r)).toEqual(['3:reordered', '4:reordered', '5:reordered']);
    expect(r.problems[0]!.message).toContain('now at seq 4');
  });

  it('detects the first record deleted', async () => {
    const s = await scratch();
    await tamper(s, 'delete from audit_log where seq = 1');
    const r = await verifyAuditChain(s.database.db);
    expect(kinds(r)).toEqual(['1:removed']);
    expect(r.firstSeq).toBe('2');
  });

  it('refuses UPDATE, DELETE and TRUNCATE even to the owner while the trigger is on', async () => {
    const s = await scratch(3);
    await expect(s.owner.query(`update audit_log set action = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(s.owner.query('delete from audit_log where seq = 1')).rejects.toThrow(/append-only/);
    await expect(s.owner.query('truncate audit_log')).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(s.database.db)).ok).toBe(true);
  });

  it('prunes records older than the retention and still verifies from the anchor', async () => {
    const s = await scratch(0);
    // Ten records from 200 days ago, chained correctly, inserted as the owner (time cannot be set through the app).
    let prev = GENESIS_HASH;
    const old = Date.now() - 200 * 86_400_000;
    for (let i = 1; i <= 10; i++) {
      const f = {
        seq: String(i),
        occurredAt: new Date(old + i * 1000),
        actorUserId: null,
        actorUsername: 'system',
        actorOrgId: null,
        actorKind: 'system',
        action: 'old.event',
        targetType: null,
        targetId: null,
        outcome: 'success',
        before: null,
        after: { i },
        details: null,
        sourceIp: null,
        requestId: `old-${i}`,
      };
      const hash = chainHash(prev, f);
      await s.owner.query(
        `insert into audit_log (seq, occurred_at, actor_user_id, actor_username, actor_org_id, actor_kind, action, target_type, target_id, outcome, before, after, details, source_ip, request_id, prev_hash, hash)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
        [f.seq, f.occurredAt, f.actorUserId, f.actorUsername, f.actorOrgId, f.actorKind, f.action, f.targetType, f.targetId, f.outcome, null, JSON.stringify(f.after), null, null, f.requestId, prev, hash],
      );
      prev = hash;
    }
    await write(s, 5);
    expect(await verifyAuditChain(s.database.db)).toMatchObject({ ok: true, checked: 15, firstSeq: '1', lastSeq: '15' });

    const service = new AuditService(s.database.db);
    expect(await service.prune(systemContext('test-prune'))).toEqual({ removed: 10, retentionDays: 180 });
    const r = await verifyAuditChain(s.database.db);
    expect(r).toMatchObject({ ok: true, checked: 6, firstSeq: '11', lastSeq: '16', anchor: { firstSeq: '11', prevHash: prev } });
    const last = await s.owner.query('select action, details from audit_log where seq = 16');
    expect(last.rows[0]).toMatchObject({ action: 'audit.prune', details: { removed: 10, retentionDays: 180, firstSeq: '11' } });

    // A second run removes nothing and the chain still holds; deleting the first kept record is still detected.
    expect((await service.prune(systemContext('test-prune'))).removed).toBe(0);
    expect((await verifyAuditChain(s.database.db)).ok).toBe(true);
    await tamper(s, 'delete from audit_log where seq = 11');
    expect(kinds(await verifyAuditChain(s.database.db))).toEqual(['11:removed']);
    // Moving the anchor past the deleted record is caught by the recorded retention run.
    const h11 = await s.owner.query('select prev_hash from audit_log where seq = 12');
    await tamper(s, 'update audit_anchor set first_seq = 12, prev_hash = $1', [h11.rows[0].prev_hash]);
    const moved = await verifyAuditChain(s.database.db);
    expect(kinds(moved)).toEqual(['11:removed']);
    expect(moved.problems[0]!.message).toContain('anchor was changed');
  });

  it('refuses a retention under 180 days in the database itself', async () => {
    const s = await scratch(1);
    await expect(withTx(s.database.db, systemContext(), async (trx) => (await import('kysely')).sql`select audit_prune(30)`.execute(trx))).rejects.toThrow(/at least 180 days/);
  });

  it('zhengyun audit verify prints the problems and exits 1 when tampered', async () => {
    const s = await scratch(6);
    const run = (cmd = 'verify') =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(serverDir, 'src/main.ts'), 'audit', cmd], {
        cwd: serverDir,
        env: { ...process.env, DATABASE_URL: s.url, ZHENGYUN_LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const ok = run();
    expect(ok.stdout).toContain('OK');
    expect(ok.status).toBe(0);
    const pruned = run('prune');
    expect(pruned.stdout).toContain('Removed 0 record(s) older than 180 days.');
    expect(pruned.status).toBe(0);
    await tamper(s, 'delete from audit_log where seq = 3');
    await tamper(s, `update audit_log set target_id = 'forged' where seq = 5`);
    const bad = run();
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('TAMPERED: 2 problem(s)');
    expect(bad.stdout).toContain('records, seq 1 … 7');
    expect(bad.stdout).toMatch(/seq 3\s+removed/);
    expect(bad.stdout).toMatch(/seq 5\s+altered/);
  }, 90_000);
});

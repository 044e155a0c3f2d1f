/**
 * A database restart during ingestion loses no acknowledged record (issue 4, "Bad input and faults"): clients push
 * batches with Idempotency-Keys while PostgreSQL is killed (SIGKILL: postmaster and backends, no shutdown checkpoint)
 * and started again; each client retries a failed batch with the same key. Afterwards every batch answered 200 is
 * stored, exactly once. Runs on an embedded PostgreSQL of its own, in the embedded pass of the suite (or with
 * ZY_RESTART_TEST=1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../platform/db/embedded.js';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg } from '../../test/fixtures.js';
import { INTERFACE_TABLES, signedHeaders } from './index.js';
import { sampleRecord } from './validator.js';

const logger = createLogger('silent');
const dirs: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function running(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Power loss: the postmaster and all its backends die at once. */
async function killPostgres(dataDir: string): Promise<void> {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = fs.readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  for (const pid of [postmaster, ...children]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const pid of [postmaster, ...children]) while (running(pid)) await new Promise((r) => setTimeout(r, 20));
}

describe.runIf(inject('databaseKind') === 'embedded' || process.env.ZY_RESTART_TEST === '1')('PostgreSQL restarted during ingestion', () => {
  let db: EmbeddedDatabase | null = null;
  let t: TestApp | null = null;
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await db?.stop().catch(() => undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('every acknowledged batch is stored exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-ingest-restart-'));
    fs.chmodSync(dir, 0o711);
    dirs.push(dir);
    const port = await freePort();
    db = await startEmbeddedPostgres({ dataDir: dir, port, logger });
    await migrate(db.url, logger);
    t = await createTestApp({ databaseUrl: db.url });
    const app = t;
    const provider = await createOrg(app, { kind: 'cloud_provider' });
    const sys = systemContext('test');
    const nodeCode = unique('RS').slice(0, 30);
    await app.container.directory.ensureCloudNode(sys, { code: nodeCode, name: '重启节点', cloudType: 'service', providerOrgId: provider.id });
    const cred = await app.container.credentials.issue(sys, { providerOrgId: provider.id, name: 'restart' });
    const table = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const url = `/api/ingest/v1/hostLog?node=${nodeCode}`;

    const acknowledged = new Map<string, { key: string; accepted: number }>();
    let failures = 0;
    let stop = false;
    let pushed = 0;
    async function client(c: number): Promise<void> {
      for (let b = 0; !stop; b++) {
        const key = `c${c}-b${b}`;
        const body = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ ...sampleRecord(table, { seq: b * 50 + i }), logBody: `${key}-${i}` })));
        for (let attempt = 0; ; attempt++) {
          const res = await app.app
            .inject({ method: 'POST', url, headers: { ...signedHeaders(cred, { method: 'POST', pathWithQuery: url, body }), 'content-type': 'application/json', 'idempotency-key': key }, payload: body })
            .catch(() => null);
          if (res?.statusCode === 200) {
            const r = res.json() as { batchId: string; accepted: number };
            acknowledged.set(r.batchId, { key, accepted: r.accepted });
            pushed++;
            break;
          }
          failures++;
          if (attempt > 200) throw new Error(`batch ${key} never stored: ${res?.statusCode} ${res?.body}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    const clients = Promise.all([0, 1, 2].map((c) => client(c)));
    while (pushed < 20) await new Promise((r) => setTimeout(r, 20));
    await killPostgres(dir);
    const pushedAtKill = pushed;
    db = await startEmbeddedPostgres({ dataDir: dir, port, logger });
    const after = pushed;
    while (pushed < after + 20) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await clients;

    expect(failures).toBeGreaterThan(0);
    expect(pushedAtKill).toBeGreaterThanOrEqual(20);
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    const rows = await owner.query<{ batch_id: string; n: number; keys: number }>(
      `select batch_id, count(*)::int as n, count(distinct log_body)::int as keys from ingest_host_log where provider_org_id = $1 group by batch_id`,
      [provider.id],
    );
    const batches = await owner.query<{ id: string; idempotency_key: string }>(`select id, idempotency_key from ingest_batches where provider_org_id = $1`, [provider.id]);
    await owner.end();
    const stored = new Map(rows.rows.map((r) => [r.batch_id, r]));
    for (const [batchId, a] of acknowledged) {
      expect(stored.get(batchId), `acknowledged batch ${batchId} (${a.key})`).toMatchObject({ n: a.accepted, keys: a.accepted });
    }
    // No batch stored twice: one batch row per key.
    expect(new Set(batches.rows.map((b) => b.idempotency_key)).size).toBe(batches.rows.length);
    expect(batches.rows.length).toBe(acknowledged.size);
  }, 240_000);
});

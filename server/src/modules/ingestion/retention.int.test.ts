import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { RETENTION_JOB } from './retention.jobs.js';

const DAY = 86_400_000;

describe('ingest retention', () => {
  let t: TestApp;
  let owner: pg.Client;
  let mgmt: Session;
  let provider: Session;

  async function partitionExists(name: string): Promise<boolean> {
    const r = await owner.query<{ ok: boolean }>('select to_regclass($1) is not null as ok', [name]);
    return r.rows[0]!.ok;
  }

  beforeAll(async () => {
    t = await createTestApp();
    owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    const m = await createOrg(t, { kind: 'management_unit' });
    const p = await createOrg(t, { kind: 'cloud_provider' });
    [mgmt, provider] = await Promise.all([
      signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] }).then((u) => u.session),
      signedInUser(t, { orgId: p.id, roles: ['provider_staff'] }).then((u) => u.session),
    ]);
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  it('lists every table with its retention, minimum and partitions', async () => {
    const part = (await owner.query<{ p: string }>(`select zy_ingest_ensure_partition('dns', now()) as p`)).rows[0]!.p;
    const res = await t.app.inject({ url: '/api/ingest/retention', headers: mgmt.headers });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ table: string; cn: string; category: string; partitionUnit: string; retentionDays: number; minRetentionDays: number; minRule: string | null; partitionCount: number; bytes: number; partitions: Array<{ name: string; from: string; to: string; bytes: number }> }>;
    expect(items).toHaveLength(35);
    const dns = items.find((i) => i.table === 'dns')!;
    expect(dns).toMatchObject({ cn: 'DNS', category: 'networkProtocolData', partitionUnit: 'day', minRetentionDays: 31 });
    expect(dns.minRule).toContain('31');
    const p = dns.partitions.find((x) => x.name === part)!;
    expect(p).toBeDefined();
    expect(new Date(p.to).getTime() - new Date(p.from).getTime()).toBe(DAY);
    expect(p.bytes).toBeGreaterThanOrEqual(0);
    expect(dns.partitionCount).toBe(dns.partitions.length);
    expect(items.find((i) => i.table === 'hostLog')).toMatchObject({ minRetentionDays: 183, minRule: expect.stringContaining('183') });
    expect(items.find((i) => i.table === 'assets')).toMatchObject({ partitionUnit: 'month', minRetentionDays: 1, minRule: null });
    // a provider reads the settings too (ingest:read) but may not change them
    expect((await t.app.inject({ url: '/api/ingest/retention', headers: provider.headers })).statusCode).toBe(200);
  });

  it('refuses a retention below the minimum, naming the rule; changes it otherwise, audit-logged', async () => {
    const low = await t.app.inject({ method: 'PUT', url: '/api/ingest/retention/smtp', headers: mgmt.headers, payload: { retentionDays: 20 } });
    expect(low.statusCode).toBe(400);
    expect(low.json()).toMatchObject({ code: 'ingest.retention_below_minimum', details: { min: 31, issues: [{ field: 'body.retentionDays', rule: 'min_retention' }] } });
    expect(low.json().message).toContain('one month');
    const logs = await t.app.inject({ method: 'PUT', url: '/api/ingest/retention/securityDeviceLog', headers: mgmt.headers, payload: { retentionDays: 182 } });
    expect(logs.statusCode).toBe(400);
    expect(logs.json().message).toContain('183');

    expect((await t.app.inject({ method: 'PUT', url: '/api/ingest/retention/smtp', headers: provider.headers, payload: { retentionDays: 40 } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/api/ingest/retention/smtp', headers: mgmt.headers, payload: { retentionDays: '40' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: '/api/ingest/retention/nope', headers: mgmt.headers, payload: { retentionDays: 40 } })).statusCode).toBe(404);

    const before = (await owner.query<{ d: number }>(`select retention_days as d from ingest_tables where name = 'smtp'`)).rows[0]!.d;
    try {
      const ok = await t.app.inject({ method: 'PUT', url: '/api/ingest/retention/smtp', headers: mgmt.headers, payload: { retentionDays: before + 5 } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ table: 'smtp', retentionDays: before + 5 });
      const audit = await auditRecords(t, { action: 'ingest.retention.update', targetId: 'smtp' });
      expect(audit[0]).toMatchObject({ before: { retentionDays: before }, after: { retentionDays: before + 5 } });
    } finally {
      await owner.query(`update ingest_tables set retention_days = $1 where name = 'smtp'`, [before]);
    }
  });

  it('the daily job drops partitions older than the retention and keeps the newer ones', async () => {
    expect(t.deps.jobs.state().queues).toContain(RETENTION_JOB);
    const { d: days } = (await owner.query<{ d: number }>(`select greatest(retention_days, min_retention_days) as d from ingest_tables where name = 'pop3'`)).rows[0]!;
    const ensure = async (at: Date) => (await owner.query<{ p: string }>(`select zy_ingest_ensure_partition('pop3', $1) as p`, [at])).rows[0]!.p;
    const expired = await ensure(new Date(Date.now() - (days + 30) * DAY));
    const edge = await ensure(new Date(Date.now() - (days - 2) * DAY));
    const today = await ensure(new Date());
    // a row in the expired partition goes with it
    await owner.query(`insert into ingest_pop3 (provider_org_id, node_id, batch_id, received_at) values (gen_random_uuid(), gen_random_uuid(), 0, $1)`, [new Date(Date.now() - (days + 30) * DAY)]);
    expect(await partitionExists(expired)).toBe(true);

    const results = await t.container.ingestRetention.dropExpired(systemContext('test'), ['pop3']);
    expect(results).toEqual([{ table: 'pop3', dropped: expect.arrayContaining([expired]) }]);
    expect(await partitionExists(expired)).toBe(false);
    expect(await partitionExists(edge)).toBe(true);
    expect(await partitionExists(today)).toBe(true);
    const audit = await auditRecords(t, { action: 'ingest.retention.drop', targetId: 'pop3' });
    expect((audit[0]!.details as { dropped: string[] }).dropped).toContain(expired);

    // idempotent: a second run drops nothing more
    expect(await t.container.ingestRetention.dropExpired(systemContext('test'), ['pop3'])).toEqual([{ table: 'pop3', dropped: [] }]);
  });
});

/**
 * Data quality of batches stored by the real writer (PushWriter, as the push API and syslog use it): samples of
 * yesterday pushed today count for yesterday's completeness; the batches' accepted, rejected and on-time counts land
 * on the day they arrived.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser } from '../../test/fixtures.js';
import { INTERFACE_TABLES, PushWriter, sampleRecord } from '../ingestion/index.js';
import { addDays, dayStart, shanghaiDay } from './quality.rules.js';

const METRICS = INTERFACE_TABLES.find((x) => x.name === 'cloudHostMonitoring')!;

let t: TestApp;
let provider: string;
let nodeId: string;

beforeAll(async () => {
  t = await createTestApp();
  provider = (await createOrg(t, { kind: 'cloud_provider' })).id;
  const owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  const code = unique('n').slice(0, 28);
  nodeId = (await owner.query<{ id: string }>(
    `insert into cloud_nodes (code, name, cloud_type, provider_org_id) values ($1, $1, 'service', $2) returning id`,
    [code, provider],
  )).rows[0]!.id;
  await owner.end();
});

afterAll(async () => {
  await t?.close();
});

describe('data quality of pushed batches', () => {
  it('counts yesterday’s samples for yesterday and the batches for the day they arrived', async () => {
    const writer = new PushWriter(t.deps.db, t.database.pool, t.deps.logger);
    const now0 = new Date();
    const today = shanghaiDay(now0);
    const yesterday = addDays(today, -1);
    const y = dayStart(yesterday).getTime();
    const sample = (at: number, seq: number) => ({ ...sampleRecord(METRICS, { at, seq }), cloudHostId: 'qhost-1' });

    // Three samples of yesterday 10:00, 10:05, 10:10 (late) and one broken record; then one fresh sample (on time).
    const late = await writer.writeBatch({
      providerOrgId: provider, nodeId, table: 'cloudHostMonitoring', source: 'api', mode: 'partial',
      records: [
        sample(y + 10 * 3600_000, 1),
        sample(y + 10 * 3600_000 + 300_000, 2),
        sample(y + 10 * 3600_000 + 600_000, 3),
        { ...sample(y + 10 * 3600_000, 4), cpuUsage: 'abc' },
      ],
    });
    expect(late).toMatchObject({ accepted: 3, rejected: 1 });
    const fresh = await writer.writeBatch({
      providerOrgId: provider, nodeId, table: 'cloudHostMonitoring', source: 'api', mode: 'partial',
      records: [sample(Date.now() - 60_000, 5)],
    });
    expect(fresh).toMatchObject({ accepted: 1, rejected: 0 });

    const now = new Date();
    if (shanghaiDay(now) !== today) return; // midnight passed while pushing: the days moved; nothing to compare.
    const results = await t.container.quality.computeRecent({ now, providers: [provider] });
    expect(results.map((r) => r.day)).toEqual([yesterday, today]);

    const res = await t.app.inject({
      method: 'GET',
      url: `/api/data-quality/daily?provider=${provider}&table=cloudHostMonitoring&from=${yesterday}&to=${today}`,
      headers: await mgmtHeaders(),
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = new Map((res.json() as { items: Array<Record<string, unknown>> }).items.map((r) => [r.day as string, r]));
    // Yesterday: 1 host seen (no cloudHostSpec delivered) × 288 slots, 3 received; no batch arrived that day.
    // score = 100 × 0.6 × 3/288 = 0.625 → 0.63 (half-up).
    expect(rows.get(yesterday)).toMatchObject({
      expected: '288', received: '3', accepted: '0', rejected: '0', completeness: '0.0104', timeliness: null, validity: null, score: '0.63', meetsTarget: false,
    });
    // Today: the two batches (4 accepted, 1 of them on time, 1 rejected); expected prorated to the finished slots.
    const slots = Math.floor((now.getTime() - dayStart(today).getTime()) / 300_000);
    expect(rows.get(today)).toMatchObject({ expected: String(slots), accepted: '4', rejected: '1', onTime: '1', timeliness: '0.2500', validity: '0.8000' });
  });
});

async function mgmtHeaders(): Promise<Record<string, string>> {
  const mu = await createOrg(t, { kind: 'management_unit' });
  return (await signedInUser(t, { orgId: mu.id, roles: ['mgmt_staff'] })).session.headers;
}

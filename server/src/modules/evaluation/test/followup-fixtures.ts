// Shared set-up of the follow-up integration tests (objections, rectifications, assessments): the app, an owner
// connection, two cloud providers named after the file, the management unit, supervision, a user unit and their
// sessions; and a published run of a file-own indicator system of manual indicators (hand-computed totals).
import pg from 'pg';
import { expect } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../../test/fixtures.js';

export interface FollowUpFixture {
  t: TestApp;
  owner: pg.Client;
  provA: TestOrg;
  provB: TestOrg;
  mgmt: Session;
  supervisor: Session;
  provAStaff: Session;
  provBStaff: Session;
  unitStaff: Session;
  inject(s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<Awaited<ReturnType<TestApp['app']['inject']>>>;
  close(): Promise<void>;
}

/** Creates the organisations (providers named `${label}服务商甲/乙`) and their sessions. */
export async function followUpFixture(label: string): Promise<FollowUpFixture> {
  const t = await createTestApp();
  const owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  const provA = await createOrg(t, { kind: 'cloud_provider', name: unique(`${label}服务商甲`) });
  const provB = await createOrg(t, { kind: 'cloud_provider', name: unique(`${label}服务商乙`) });
  const m = await createOrg(t, { kind: 'management_unit' });
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  const u = await createOrg(t, { kind: 'user_unit' });
  const session = async (orgId: string, role: string) => (await signedInUser(t, { orgId, roles: [role] })).session;
  return {
    t, owner, provA, provB,
    mgmt: await session(m.id, 'mgmt_staff'),
    supervisor: await session(sup.id, 'supervisor_staff'),
    provAStaff: await session(provA.id, 'provider_staff'),
    provBStaff: await session(provB.id, 'provider_staff'),
    unitStaff: await session(u.id, 'unit_staff'),
    inject: async (s, method, url, payload) => t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) }),
    close: async () => {
      await owner.end();
      await t.close();
    },
  };
}

/**
 * An indicator system of the file only (one dimension of manual indicators), the supervisor's manual scores per
 * provider, and the month's run reviewed and published by the management unit. Returns the set and the run.
 */
export async function publishedManualRun(
  fx: FollowUpFixture,
  o: { code: string; name: string; dimension: string; month: string; indicators: Array<{ code: string; name: string; weight: number; max: number }>; scores: Array<[providerId: string, Record<string, number>]>; evidence?: string },
): Promise<{ setId: string; runId: string }> {
  const set = await fx.inject(fx.mgmt, 'POST', '/api/evaluation/indicator-sets', {
    code: unique(o.code).toLowerCase().replace(/[^a-z0-9_-]/g, '').slice(0, 40), name: o.name,
    dimensions: [{ code: 'd1', name: o.dimension, indicators: o.indicators.map((i) => ({ code: i.code, name: i.name, weight: i.weight, source: 'manual', rule: { type: 'manual', max: i.max } })) }],
  });
  expect(set.statusCode, set.body).toBe(201);
  const setId = set.json().id as string;
  for (const [providerId, scores] of o.scores) {
    for (const [indicatorCode, score] of Object.entries(scores)) {
      const r = await fx.inject(fx.supervisor, 'PUT', '/api/evaluation/manual-scores', { setId, month: o.month, providerId, indicatorCode, score, evidence: o.evidence ?? '检查记录' });
      expect(r.statusCode, r.body).toBe(200);
    }
  }
  const run = await fx.inject(fx.supervisor, 'POST', '/api/evaluation/runs', { setId, month: o.month });
  expect(run.statusCode, run.body).toBe(200);
  const runId = run.json().id as string;
  expect((await fx.inject(fx.mgmt, 'POST', `/api/evaluation/runs/${runId}/review`, {})).statusCode).toBe(200);
  expect((await fx.inject(fx.mgmt, 'POST', `/api/evaluation/runs/${runId}/publish`)).statusCode).toBe(200);
  return { setId, runId };
}

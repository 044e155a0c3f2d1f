import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createLogger } from '../../platform/logger.js';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { loadOperationsDemo } from './index.js';

let scratch: { url: string; drop(): Promise<void> };
let t: TestApp;
const ctx = systemContext('test');

beforeAll(async () => {
  scratch = await createScratchDatabase();
  t = await createTestApp({ databaseUrl: scratch.url });
  await t.container.demo.loadIfEmpty();
}, 180_000);

afterAll(async () => {
  await t?.close();
  await scratch?.drop();
});

it('the demo city has a month of inspections (missed and abnormal), staff with expiring certificates, a lapsed qualification, drills, a roster and changes', async () => {
  const ops = t.container.operations;
  const orgs = (await t.container.organisations.list(ctx, { kind: 'cloud_provider', page: 1, pageSize: 100 })).items as Array<{ id: string; code: string | null }>;
  const hj = orgs.find((o) => o.code === 'CSP-HJ')!.id;
  const ys = orgs.find((o) => o.code === 'CSP-YS')!.id;
  const kx = orgs.find((o) => o.code === 'CSP-KX')!.id;
  expect(await ops.listPlans(ctx, { providerOrgId: hj })).toHaveLength(3);
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const counts = (await ops.inspectionCounts(ctx, { from, to })).find((c) => c.providerOrgId === hj)!;
  expect(counts.done).toBeGreaterThan(100);
  expect(counts.missed).toBeGreaterThan(0);
  expect(counts.abnormal).toBe(3);
  const rects = await ops.listRectifications(ctx, {});
  expect(rects.map((r) => r.status).sort()).toEqual(['done', 'open', 'open']);
  expect(rects.every((r) => r.ticketId !== null)).toBe(true);
  expect((await ops.expiringCertificates(ctx)).length).toBeGreaterThan(0);
  expect((await ops.staffingReport(ctx)).find((r) => r.orgId === hj)!.problems).toContain('onsite_below_threshold');
  // 燕山云 lapsed; 华京云 and 康学云 (which the demo's onboarding applications go to) are not suspended.
  expect(await ops.isProviderSuspended(ys)).toBe(true);
  expect(await ops.isProviderSuspended(hj)).toBe(false);
  expect(await ops.isProviderSuspended(kx)).toBe(false);
  const apps = await t.container.applications.list(ctx, {});
  expect(apps.filter((a) => a.status === 'in_approval').length).toBeGreaterThan(0);
  expect((await ops.listDrills(ctx)).map((d) => d.status).sort()).toEqual(['held', 'planned']);
  const changes = await ops.listChanges(ctx);
  expect(changes.map((c) => c.status).sort()).toEqual(['approved', 'implemented', 'in_approval']);
  expect(changes.find((c) => c.status === 'implemented')!.outsideWindow).toBe(true);
  expect((await ops.listKeyPostChanges(ctx)).map((k) => k.status)).toEqual(['in_approval']);

  const events = await ops.listEvents(ctx, { providerOrgId: hj });
  expect(events.map((e) => e.status).sort()).toEqual(['responding', 'reviewed']);
  expect(events.find((e) => e.status === 'reviewed')).toMatchObject({ responseMinutes: 12, recoveryMinutes: 41, recoveryWithinTarget: false });
  const training = (await ops.trainingCounts(ctx, { from: new Date(to.getTime() - 300 * 86_400_000), to })).find((c) => c.providerOrgId === hj)!;
  expect(training.missed).toBe(1);
  expect(training.held).toBeGreaterThanOrEqual(4);

  const policy = (await ops.listPolicyChanges(ctx))[0]!;
  expect(policy.providers.map((p) => [p.providerOrgId, p.state])).toEqual([[hj, 'updated'], [ys, 'exit']]);
  expect(await ops.isProviderSuspended(hj)).toBe(false);

  expect((await ops.listMachineRooms(ctx)).map((r) => r.name)).toEqual(['六里桥一号机房']);
  expect(await ops.listRoomAccess(ctx)).toHaveLength(4);

  const entries = await ops.entries.list(ctx);
  expect(entries.find((e) => e.providerOrgId === hj)).toMatchObject({ state: 'entered', assessmentAttempts: 2, missingDocuments: [] });
  expect(entries.find((e) => e.providerOrgId === hj)!.machineRooms.map((r) => r.name)).toEqual(['六里桥一号机房']);
  expect(entries.find((e) => e.providerOrgId === kx)!.missingDocuments.map((d) => d.label)).toEqual(['云平台应急预案', '云年度工作计划书']);
  expect(entries.find((e) => e.providerOrgId === ys)).toMatchObject({ state: 'exit_applied' });
  expect(entries.find((e) => e.providerOrgId === ys)!.missingDocuments.map((d) => d.label)).toEqual(['硬件设备处理方案', '保密方案']);

  // major changes (one matched to the implemented memory change, one unapproved), meetings, work report, special tasks
  const mcs = await ops.majorChanges.list(ctx, { providerOrgId: hj });
  expect(mcs.map((m) => m.status).sort()).toEqual(['matched', 'unapproved', 'unapproved']);
  // detected from two platform spec records: vCPU +20 % overnight without an approved change
  const detected = mcs.find((m) => m.source === 'detected' && m.evidence)!;
  expect(detected).toMatchObject({ status: 'unapproved', evidence: { before: { vcpu: '12000.00' }, after: { vcpu: '14400.00' } } });
  expect(mcs.find((m) => m.status === 'matched')!.matchedChange!.id).toBe(changes.find((c) => c.status === 'implemented')!.id);
  const meetings = await ops.meetings.list(ctx);
  expect(meetings.map((m) => m.kind).sort()).toEqual(['regular_meeting', 'work_report']);
  expect(meetings.find((m) => m.kind === 'regular_meeting')!.attachments).toHaveLength(1);
  const tasks = await ops.meetings.listTasks(ctx);
  expect(tasks.map((x) => x.overdue).sort()).toEqual([false, true]);
  // the overdue task was reminded and escalated (overdue a week), the open one (due in 10 days) not yet
  const overdueTask = tasks.find((x) => x.overdue)!;
  expect((await ops.meetings.taskReminders(ctx, overdueTask.id)).map((r) => r.kind).sort()).toEqual(['escalated', 'overdue']);
  expect(await ops.meetings.taskReminders(ctx, tasks.find((x) => !x.overdue)!.id)).toEqual([]);

  // Loaded once: a second load adds nothing.
  const orgIds = new Map<string, string>([['providerA', hj], ['providerB', ys], ['providerC', kx], ['supervisor', hj], ['mgmt', hj]]);
  await loadOperationsDemo(t.deps.db, ops, t.container.directory, orgIds, createLogger('silent'));
  expect(await ops.listPlans(ctx, { providerOrgId: hj })).toHaveLength(3);
  expect(await ops.listEvents(ctx, { providerOrgId: hj })).toHaveLength(2);
  expect(await ops.entries.list(ctx, { providerOrgId: hj })).toHaveLength(1);
  expect(await ops.meetings.list(ctx)).toHaveLength(2);
  expect(await ops.majorChanges.list(ctx, { providerOrgId: hj })).toHaveLength(3);
}, 120_000);

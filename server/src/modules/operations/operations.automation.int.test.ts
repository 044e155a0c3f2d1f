import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { unique } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { PushWriter } from '../ingestion/index.js';
import { officialCalendar } from '../calendar/index.js';
import { setupOperations, type OperationsFixture } from './test/fixtures.js';
import { taskRemindersDue } from './operations.meetings.js';
import { specChanges, specFigures } from './operations.detection.js';

/**
 * Special-task reminders (due soon, overdue, escalation; once each) and major changes detected in the pushed
 * 云平台规格数据 (through the real push writer, read back by the detector through the ingestion module's public API).
 */
let f: OperationsFixture;
let mgmt: Session;
let mgmtUserId: string;
let writer: PushWriter;
let providerCode: string;
const sys = systemContext('test');
/** Monday 2026-12-14 10:00 Beijing time (no holiday in December). */
const MONDAY = new Date('2026-12-14T02:00:00Z');

beforeAll(async () => {
  f = await setupOperations({ providers: ['提醒服务商甲', '提醒服务商乙'], node: { codePrefix: 'AU', name: '检测甲节点' } });
  const m = await createOrg(f.t, { kind: 'management_unit' });
  const mu = await signedInUser(f.t, { orgId: m.id, roles: ['mgmt_staff'] });
  mgmt = mu.session;
  mgmtUserId = mu.user.id;
  await f.owner.query(`insert into machine_rooms (node_id, code, name) values ($1, 'RM01', '一号机房') on conflict do nothing`, [f.nodeA]);
  for (;;) {
    const code = `Y${Math.random().toString(36).slice(2, 5).toUpperCase()}`;
    const ins = await f.owner.query(`insert into ingest_code_values (code_table, code, label_zh, org_id) values ('cloudProvider', $1, $1, $2) on conflict do nothing`, [code, f.provA.id]);
    if (ins.rowCount === 1) {
      providerCode = code;
      break;
    }
  }
  writer = new PushWriter(f.t.deps.db, f.t.database.pool, f.t.deps.logger);
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('taskRemindersDue (pure, business calendar)', () => {
  const cal = officialCalendar();
  const policy = { dueSoonWorkingDays: 3, escalateAfterWorkingDays: 3 };
  it('due soon within N working days, overdue after the day, escalated after M working days; done tasks none', () => {
    expect(taskRemindersDue(cal, { status: 'open', dueOn: '2026-12-17' }, '2026-12-14', policy)).toEqual(['due_soon']);
    expect(taskRemindersDue(cal, { status: 'open', dueOn: '2026-12-14' }, '2026-12-14', policy)).toEqual(['due_soon']);
    expect(taskRemindersDue(cal, { status: 'open', dueOn: '2026-12-18' }, '2026-12-14', policy)).toEqual([]);
    // Friday + 3 working days crosses the weekend: due Friday 12-11 → Wednesday 12-16 is 3 working days on
    expect(taskRemindersDue(cal, { status: 'in_progress', dueOn: '2026-12-11' }, '2026-12-15', policy)).toEqual(['overdue']);
    expect(taskRemindersDue(cal, { status: 'in_progress', dueOn: '2026-12-11' }, '2026-12-16', policy)).toEqual(['overdue', 'escalated']);
    expect(taskRemindersDue(cal, { status: 'done', dueOn: '2026-12-01' }, '2026-12-14', policy)).toEqual([]);
    expect(taskRemindersDue(cal, { status: 'cancelled', dueOn: '2026-12-15' }, '2026-12-14', policy)).toEqual([]);
    // the National Day holiday (2026-10-01…07) does not count as working days
    expect(taskRemindersDue(cal, { status: 'open', dueOn: '2026-10-08' }, '2026-09-30', policy)).toEqual(['due_soon']);
  });
});

describe('special-task reminders (专项任务提醒)', () => {
  it('reminds due-soon and overdue tasks once, escalates to the management unit, skips done tasks; settings configurable', async () => {
    const ops = f.t.container.operations;
    const realClock = ops.clock;
    const tasks: Record<string, string> = {};
    try {
      ops.clock = () => new Date('2026-12-07T02:00:00Z');
      const mk = async (key: string, dueOn: string) => {
        tasks[key] = (await ops.meetings.createTask(sys, { title: unique(`提醒专项${key}`), assigneeOrgId: f.provA.id, dueOn })).id;
      };
      await mk('soon', '2026-12-17');
      await mk('later', '2026-12-18');
      await mk('overdue', '2026-12-10');
      await mk('escalate', '2026-12-08');
      await mk('done', '2026-12-08');
      await mk('cancelled', '2026-12-08');
      // a task assigned by the supervisor (the owner, notified too)
      const res = await f.inject(f.supervisor, 'POST', '/api/operations/special-tasks', { title: unique('提醒专项owner'), assigneeOrgId: f.provA.id, dueOn: '2026-12-09' });
      expect(res.statusCode, res.body).toBe(201);
      tasks['owned'] = res.json().id;
      await ops.meetings.updateTask(sys, tasks['done']!, { status: 'done', resultNote: '已完成' });
      await ops.meetings.updateTask(sys, tasks['cancelled']!, { status: 'cancelled' });

      ops.clock = () => MONDAY;
      await ops.meetings.sendTaskReminders();
      const sent = async () => (await f.owner.query<{ task_id: string; kind: string }>('select task_id, kind from ops_task_reminders where task_id = any($1::uuid[]) order by kind', [Object.values(tasks)])).rows;
      const byTask = (rows: Array<{ task_id: string; kind: string }>) => Object.fromEntries(Object.entries(tasks).map(([k, id]) => [k, rows.filter((r) => r.task_id === id).map((r) => r.kind).sort()]));
      expect(byTask(await sent())).toEqual({ soon: ['due_soon'], later: [], overdue: ['overdue'], escalate: ['escalated', 'overdue'], done: [], cancelled: [], owned: ['escalated', 'overdue'] });

      const notes = async () => (await f.owner.query<{ user_id: string; kind: string; link: string }>("select user_id, kind, link from notifications where kind like 'operations.task_%' and link = any($1::text[])", [Object.values(tasks).map((id) => `/operations/meetings?task=${id}`)])).rows;
      const first = await notes();
      const staffA = (await f.owner.query<{ id: string }>('select id from users where org_id = $1', [f.provA.id])).rows.map((r) => r.id);
      const link = (k: string) => `/operations/meetings?task=${tasks[k]}`;
      // the assignee organisation's users get due-soon and overdue reminders; the management unit the escalation
      expect(first.filter((n) => n.link === link('soon')).map((n) => n.kind)).toEqual(expect.arrayContaining(['operations.task_due_soon']));
      expect(first.filter((n) => n.link === link('soon') && staffA.includes(n.user_id))).not.toHaveLength(0);
      expect(first.filter((n) => n.link === link('overdue')).every((n) => n.kind === 'operations.task_overdue')).toBe(true);
      expect(first.filter((n) => n.link === link('escalate') && n.kind === 'operations.task_escalated').map((n) => n.user_id)).toContain(mgmtUserId);
      expect(first.filter((n) => n.link === link('escalate') && n.kind === 'operations.task_escalated' && staffA.includes(n.user_id))).toHaveLength(0);
      // the person who assigned it is reminded too
      expect(first.filter((n) => n.link === link('owned') && n.kind === 'operations.task_overdue').map((n) => n.user_id)).toContain(f.supervisorUser.id);
      for (const k of ['later', 'done', 'cancelled']) expect(first.filter((n) => n.link === link(k))).toHaveLength(0);

      // a second run sends nothing new
      await ops.meetings.sendTaskReminders();
      expect((await notes()).length).toBe(first.length);
      expect((await sent()).length).toBe(6);
      // the reminders are listed on the task
      const listed = await f.inject(f.provAStaff, 'GET', `/api/operations/special-tasks/${tasks['escalate']}/reminders`);
      expect(listed.json().items.map((r: { kind: string }) => r.kind).sort()).toEqual(['escalated', 'overdue']);

      // settings: only management / supervision; bad values name the field; escalating after 1 working day escalates the 12-10 task
      expect((await f.inject(f.provAStaff, 'PUT', '/api/operations/automation-settings', { taskEscalateAfterWorkingDays: 1 })).statusCode).toBe(403);
      expect((await f.inject(mgmt, 'PUT', '/api/operations/automation-settings', { taskEscalateAfterWorkingDays: 0 })).json()).toMatchObject({ code: 'operations.invalid_setting', details: { issues: [{ field: 'body.taskEscalateAfterWorkingDays' }] } });
      expect((await f.inject(mgmt, 'PUT', '/api/operations/automation-settings', { specChangeThresholdPct: '-1' })).json()).toMatchObject({ code: 'operations.invalid_setting', details: { issues: [{ field: 'body.specChangeThresholdPct' }] } });
      const before = (await f.inject(mgmt, 'GET', '/api/operations/automation-settings')).json();
      try {
        const put = await f.inject(mgmt, 'PUT', '/api/operations/automation-settings', { taskEscalateAfterWorkingDays: 1 });
        expect(put.statusCode, put.body).toBe(200);
        expect(put.json().taskEscalateAfterWorkingDays).toBe(1);
        await ops.meetings.sendTaskReminders();
        expect(byTask(await sent()).overdue).toEqual(['escalated', 'overdue']);
      } finally {
        await f.inject(mgmt, 'PUT', '/api/operations/automation-settings', { taskEscalateAfterWorkingDays: before.taskEscalateAfterWorkingDays });
      }
      // a task done after its reminder gets nothing more
      await ops.meetings.updateTask(sys, tasks['soon']!, { status: 'done', resultNote: '按期完成' });
      ops.clock = () => new Date('2026-12-24T02:00:00Z');
      await ops.meetings.sendTaskReminders();
      expect(byTask(await sent()).soon).toEqual(['due_soon']);
      // the run endpoint: management / supervision only
      expect((await f.inject(f.provAStaff, 'POST', '/api/operations/special-tasks/reminders/run')).statusCode).toBe(403);
      expect((await f.inject(f.supervisor, 'POST', '/api/operations/special-tasks/reminders/run')).statusCode).toBe(200);
      const audited = (await f.owner.query<{ action: string }>("select action from audit_log where target_type = 'ops_special_task' and target_id = $1", [tasks['escalate']])).rows.map((r) => r.action);
      expect(audited).toEqual(expect.arrayContaining(['operations.special_task_reminder_overdue', 'operations.special_task_reminder_escalated']));
    } finally {
      ops.clock = realClock;
    }
  });
});

describe('major changes detected in pushed platform data (云平台规格数据)', () => {
  const spec = (over: Record<string, string> = {}) => ({
    cloudProvider: providerCode, machineRoom: 'RM01', platformVendor: '华为', platformNetworkType: 'GWWW', cpuTotal: '1000', cpuAllocated: '300',
    memoryTotal: '4096.00', memoryAllocated: '1024.00', standardStorageTotal: '100000.00', standardStorageAllocated: '20000.00',
    highPerfStorageTotal: '50000.00', highPerfStorageAllocated: '1000.00', staticStorageTotal: '0.00', staticStorageAllocated: '0.00',
    internetBandwidthTotal: '10000.00', internetBandwidthAllocated: '2500.00', ...over,
  });
  const push = async (records: Array<Record<string, string>>) => {
    const res = await writer.writeBatch({ providerOrgId: f.provA.id, nodeId: f.nodeA!, table: 'platformSpec', source: 'api', mode: 'atomic', records });
    expect(res.status, JSON.stringify(res.errors)).toBe('accepted');
    return res.batchId;
  };
  const detectedOnNode = async () => (await f.inject(f.supervisor, 'GET', `/api/operations/major-changes?nodeId=${f.nodeA}&source=detected`)).json().items as Array<{ id: string; status: string; title: string; evidence: Record<string, unknown>; matchedChange: { id: string } | null }>;

  it('compares the totals (pure): storage summed, threshold strict, from 0 is a change', () => {
    const a = specFigures(spec());
    expect(a).toEqual({ vcpu: '1000.00', memory: '4096.00', storage: '150000.00', bandwidth: '10000.00' });
    expect(specChanges(a, specFigures(spec({ cpuTotal: '1100' })), '10')).toEqual([]);
    expect(specChanges(a, specFigures(spec({ cpuTotal: '1101' })), '10')).toEqual([{ figure: 'vcpu', before: '1000.00', after: '1101.00', changePct: '+10.1' }]);
    expect(specChanges(a, specFigures(spec({ highPerfStorageTotal: '20000.00' })), '10')).toEqual([{ figure: 'storage', before: '150000.00', after: '120000.00', changePct: '-20.0' }]);
    expect(specChanges({ ...a, bandwidth: '0.00' }, a, '10')).toEqual([{ figure: 'bandwidth', before: '0.00', after: '10000.00', changePct: 'new' }]);
  });

  it('records a change over the threshold once, with the figures before and after; unmatched → 未经审批变更 notified; matched to an approved change', async () => {
    const ops = f.t.container.operations;
    await push([spec()]);
    await ops.majorChanges.detectFromPushedData();
    expect(await detectedOnNode()).toHaveLength(0); // the first record is the baseline
    await push([spec({ cpuTotal: '1050' })]); // +5 %: below the 10 % threshold
    await ops.majorChanges.detectFromPushedData();
    expect(await detectedOnNode()).toHaveLength(0);
    const batch3 = await push([spec({ cpuTotal: '1365', memoryTotal: '8192.00' })]); // vCPU +30 %, memory +100 %
    const run = await f.inject(f.supervisor, 'POST', '/api/operations/major-changes/detect');
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().detected).toBeGreaterThanOrEqual(1);
    let found = await detectedOnNode();
    expect(found).toHaveLength(1);
    const unapproved = found[0]!;
    expect(unapproved).toMatchObject({ status: 'unapproved', matchedChange: null });
    expect(unapproved.title).toContain('vCPU 1050.00 → 1365.00（+30.0%）');
    expect(unapproved.evidence).toMatchObject({ table: 'platformSpec', batchId: batch3, machineRoom: 'RM01', before: { vcpu: '1050.00', memory: '4096.00' }, after: { vcpu: '1365.00', memory: '8192.00' } });
    expect((unapproved.evidence.changes as Array<{ figure: string }>).map((c) => c.figure)).toEqual(['vcpu', 'memory']);
    const notes = (await f.owner.query<{ link: string }>("select link from notifications where user_id = $1 and kind = 'operations.unapproved_change'", [f.supervisorUser.id])).rows.map((r) => r.link);
    expect(notes).toContain(`/operations/major-changes?id=${unapproved.id}`);
    // idempotent: running again (and a cursor reset re-reading the same batches) records nothing new
    await ops.majorChanges.detectFromPushedData();
    await f.owner.query("update ops_detection_cursor set last_batch_id = $1 where table_name = 'platformSpec'", [String(BigInt(batch3) - 1n)]);
    await ops.majorChanges.detectFromPushedData();
    expect(await detectedOnNode()).toHaveLength(1);
    // an approved change in force: the next detected change on the node is matched to it
    let res = await f.inject(f.provAStaff, 'POST', '/api/operations/changes', { nodeId: f.nodeA, changeType: 'bandwidth', title: unique('出口带宽扩容'), description: '互联网出口扩容', businessImpact: false, windowStart: new Date(Date.now() - 3600_000).toISOString(), windowEnd: new Date(Date.now() + 3600_000).toISOString() });
    expect(res.statusCode, res.body).toBe(201);
    const change = (await f.inject(f.provAStaff, 'POST', `/api/operations/changes/${res.json().id}/submit`)).json();
    expect(change.status).toBe('approved');
    await push([spec({ cpuTotal: '1365', memoryTotal: '8192.00', internetBandwidthTotal: '20000.00' })]);
    await ops.majorChanges.detectFromPushedData();
    found = await detectedOnNode();
    expect(found).toHaveLength(2);
    expect(found.find((m) => m.id !== unapproved.id)).toMatchObject({ status: 'matched', matchedChange: { id: change.id } });
    // providers see their own detected changes but cannot run the detection
    expect((await f.inject(f.provAStaff, 'POST', '/api/operations/major-changes/detect')).statusCode).toBe(403);
    expect((await f.inject(f.provBStaff, 'GET', `/api/operations/major-changes/${unapproved.id}`)).statusCode).toBe(404);
    res = await f.inject(f.provAStaff, 'GET', `/api/operations/major-changes/${unapproved.id}`);
    expect(res.json().evidence.after.vcpu).toBe('1365.00');
  });
});

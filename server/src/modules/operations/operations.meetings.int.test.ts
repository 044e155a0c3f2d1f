import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { unique, type TestApp } from '../../test/harness.js';
import type { Session, TestOrg } from '../../test/fixtures.js';
import { setupOperations, type OperationsFixture } from './test/fixtures.js';

let f: OperationsFixture;
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provAStaff: Session;
let provBStaff: Session;
let supervisor: Session;
let unitStaff: Session;
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => f.inject(s, method, url, payload);
const beijingDay = (offsetDays = 0) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offsetDays * 86_400_000));

beforeAll(async () => {
  f = await setupOperations({ providers: ['会议服务商甲', '会议服务商乙'] });
  ({ t, owner, provA, provAStaff, provBStaff, supervisor, unitStaff } = f);
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('meetings and communications (会议与沟通)', () => {
  it('records a regular meeting with minutes and an attachment; providers cannot hold one; the provider concerned sees it', async () => {
    expect((await inject(provAStaff, 'POST', '/api/operations/meetings', { kind: 'regular_meeting', title: '例会', heldOn: beijingDay() })).json().code).toBe('operations.meeting_manage_only');
    let res = await inject(supervisor, 'POST', '/api/operations/meetings', { kind: 'regular_meeting', providerOrgId: provA.id, title: unique('11 月运维例会'), heldOn: beijingDay(-1), location: '管理单位 3 层会议室', attendees: ['张三', '李四'], minutes: '一、巡检情况通报；二、整改要求。' });
    expect(res.statusCode, res.body).toBe(201);
    let m = res.json();
    expect(m).toMatchObject({ kind: 'regular_meeting', providerOrgId: provA.id, attendees: ['张三', '李四'], attachments: [] });
    expect((await inject(supervisor, 'POST', `/api/operations/meetings/${m.id}/attachments`, { fileName: 'x.pdf', contentType: 'application/pdf', contentBase64: '***' })).json()).toMatchObject({ code: 'operations.document_content', details: { issues: [{ field: 'body.contentBase64' }] } });
    res = await inject(supervisor, 'POST', `/api/operations/meetings/${m.id}/attachments`, { fileName: '会议纪要.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 纪要').toString('base64') });
    expect(res.statusCode, res.body).toBe(200);
    m = res.json();
    expect(m.attachments).toHaveLength(1);
    const dl = await inject(provAStaff, 'GET', `/api/operations/meetings/${m.id}/attachments/${m.attachments[0].id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toBe('%PDF-1.4 纪要');
    // the provider concerned sees it but cannot attach; another provider does not see it
    expect((await inject(provAStaff, 'POST', `/api/operations/meetings/${m.id}/attachments`, { fileName: 'a.txt', contentType: 'text/plain', contentBase64: Buffer.from('a').toString('base64') })).json().code).toBe('operations.meeting_not_own');
    expect((await inject(provBStaff, 'GET', `/api/operations/meetings/${m.id}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', `/api/operations/meetings/${m.id}/attachments/${m.attachments[0].id}`)).statusCode).toBe(404);
    expect((await inject(unitStaff, 'GET', '/api/operations/meetings')).statusCode).toBe(403);
    const audited = (await owner.query<{ action: string }>("select action from audit_log where target_type = 'ops_meeting' and target_id = $1", [m.id])).rows.map((r) => r.action);
    expect(audited).toEqual(expect.arrayContaining(['operations.regular_meeting_create', 'operations.meeting_attach']));
  });

  it('files a provider work report once per month, not for a month not begun', async () => {
    const month = beijingDay().slice(0, 7);
    const next = beijingDay(40).slice(0, 7);
    expect((await inject(provAStaff, 'POST', '/api/operations/meetings', { kind: 'work_report', title: '月度工作汇报', heldOn: beijingDay() })).json()).toMatchObject({ code: 'operations.period_required', details: { issues: [{ field: 'body.period' }] } });
    expect((await inject(provAStaff, 'POST', '/api/operations/meetings', { kind: 'work_report', title: '月度工作汇报', heldOn: beijingDay(), period: next })).json().code).toBe('operations.period_in_future');
    const res = await inject(provAStaff, 'POST', '/api/operations/meetings', { kind: 'work_report', title: `${month} 月度工作汇报`, heldOn: beijingDay(), period: month, minutes: '本月完成巡检 120 次。' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'work_report', orgId: provA.id, providerOrgId: provA.id, period: month });
    expect((await inject(provAStaff, 'POST', '/api/operations/meetings', { kind: 'work_report', title: '重复', heldOn: beijingDay(), period: month })).json().code).toBe('operations.work_report_exists');
    expect((await inject(supervisor, 'POST', '/api/operations/meetings', { kind: 'work_report', title: '代收', heldOn: beijingDay(), period: month })).json().code).toBe('operations.provider_required');
    const reports = (await inject(supervisor, 'GET', `/api/operations/meetings?kind=work_report&providerOrgId=${provA.id}`)).json().items;
    expect(reports).toHaveLength(1);
    expect((await inject(provBStaff, 'GET', '/api/operations/meetings?kind=work_report')).json().items.find((r: { id: string }) => r.id === reports[0].id)).toBeUndefined();
  });

  it('assigns special tasks with a due day (Asia/Shanghai), flags the overdue one, moves the status, notifies the assignee', async () => {
    expect((await inject(provAStaff, 'POST', '/api/operations/special-tasks', { title: 'x', assigneeOrgId: provA.id, dueOn: beijingDay(3) })).json().code).toBe('operations.task_manage_only');
    expect((await inject(supervisor, 'POST', '/api/operations/special-tasks', { title: 'x', assigneeOrgId: provA.id, dueOn: beijingDay(-1) })).json()).toMatchObject({ code: 'operations.due_in_past', details: { issues: [{ field: 'body.dueOn' }] } });
    let res = await inject(supervisor, 'POST', '/api/operations/special-tasks', { title: unique('等保测评整改专项'), description: '按测评报告整改', assigneeOrgId: provA.id, dueOn: beijingDay(5) });
    expect(res.statusCode, res.body).toBe(201);
    const onTime = res.json();
    expect(onTime).toMatchObject({ status: 'open', overdue: false, assigneeOrgId: provA.id });
    // one assigned 10 days ago, due 3 days ago: overdue now
    const realClock = t.container.operations.clock;
    t.container.operations.clock = () => new Date(Date.now() - 10 * 86_400_000);
    let late;
    try {
      late = (await t.container.operations.meetings.createTask(systemContext('test'), { title: unique('机房消防检查专项'), assigneeOrgId: provA.id, dueOn: beijingDay(-3) }));
    } finally {
      t.container.operations.clock = realClock;
    }
    const tasks = (await inject(provAStaff, 'GET', '/api/operations/special-tasks')).json().items;
    expect(tasks.find((x: { id: string }) => x.id === late.id)).toMatchObject({ overdue: true, status: 'open' });
    const overdueOnly = (await inject(supervisor, 'GET', `/api/operations/special-tasks?assigneeOrgId=${provA.id}&overdue=true`)).json().items.map((x: { id: string }) => x.id);
    expect(overdueOnly).toContain(late.id);
    expect(overdueOnly).not.toContain(onTime.id);
    // status moves: the assignee works and completes (result required); done late is marked; provider cannot cancel; another provider 404
    expect((await inject(provBStaff, 'POST', `/api/operations/special-tasks/${late.id}/status`, { status: 'in_progress' })).statusCode).toBe(404);
    expect((await inject(provAStaff, 'POST', `/api/operations/special-tasks/${onTime.id}/status`, { status: 'cancelled' })).json().code).toBe('operations.task_manage_only');
    expect((await inject(provAStaff, 'POST', `/api/operations/special-tasks/${late.id}/status`, { status: 'in_progress' })).json().status).toBe('in_progress');
    expect((await inject(provAStaff, 'POST', `/api/operations/special-tasks/${late.id}/status`, { status: 'done' })).json().code).toBe('operations.task_result_required');
    res = await inject(provAStaff, 'POST', `/api/operations/special-tasks/${late.id}/status`, { status: 'done', resultNote: '已完成消防检查' });
    expect(res.json()).toMatchObject({ status: 'done', overdue: false, completedLate: true, completedOn: beijingDay() });
    expect((await inject(provAStaff, 'POST', `/api/operations/special-tasks/${late.id}/status`, { status: 'in_progress' })).json().code).toBe('operations.task_state');
    expect((await inject(supervisor, 'POST', `/api/operations/special-tasks/${onTime.id}/status`, { status: 'cancelled' })).json().status).toBe('cancelled');
    const notes = (await owner.query<{ link: string }>("select n.link from notifications n join users u on u.id = n.user_id where u.org_id = $1 and n.kind = 'operations.special_task'", [provA.id])).rows.map((r) => r.link);
    expect(notes).toContain(`/operations/meetings?task=${onTime.id}`);
    const audited = (await owner.query<{ action: string }>("select action from audit_log where target_type = 'ops_special_task' and target_id = $1", [late.id])).rows.map((r) => r.action);
    expect(audited).toEqual(expect.arrayContaining(['operations.special_task_create', 'operations.special_task_in_progress', 'operations.special_task_done']));
  });
});

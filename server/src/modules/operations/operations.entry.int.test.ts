import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { unique, type TestApp } from '../../test/harness.js';
import { createOrg, type Session, type TestOrg } from '../../test/fixtures.js';
import { setupOperations, type OperationsFixture } from './test/fixtures.js';
import { ENTRY_DOCUMENTS, EXIT_CHECKS, EXIT_DOCUMENTS } from './operations.entry.js';

let f: OperationsFixture;
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let nodeA: string;
let provAStaff: Session;
let provBStaff: Session;
let supervisor: Session;
let unitStaff: Session;
const sys = systemContext('test');
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => f.inject(s, method, url, payload);
const file = (text: string) => ({ fileName: `${text}.pdf`, contentType: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4 ${text}`).toString('base64') });

beforeAll(async () => {
  f = await setupOperations({ providers: ['进驻服务商甲', '进驻服务商乙'], node: { codePrefix: 'EN', name: '进驻甲节点' } });
  ({ t, owner, provA, provAStaff, provBStaff, supervisor, unitStaff } = f);
  nodeA = f.nodeA!;
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('provider entry and exit (进驻和退出)', () => {
  it('lists the eight documents of the initial assessment as the seed names them', async () => {
    const res = await inject(supervisor, 'GET', '/api/operations/provider-entry-documents');
    expect(res.statusCode).toBe(200);
    expect(res.json().entry.map((d: { label: string }) => d.label)).toEqual(['云服务商服务水平规范', '业务系统迁移技术指导方案', '云服务使用流程及模板', '云内业务系统应急预案及应急演练指导书', '云运维工作方案及流程', '云平台安全管理方案', '云平台应急预案', '云年度工作计划书']);
    expect(res.json().exit).toHaveLength(5);
  });

  it('walks an entry from application to exit, refusing transitions while documents are missing, audited', async () => {
    // bad input
    expect((await inject(provBStaff, 'POST', '/api/operations/provider-entries', { nodeId: nodeA, appliedOn: '2026-01-05' })).json().code).toBe('operations.node_not_served');
    expect((await inject(provAStaff, 'POST', '/api/operations/provider-entries', { nodeId: nodeA, appliedOn: '2999-01-05' })).json()).toMatchObject({ code: 'operations.applied_in_future', details: { issues: [{ field: 'body.appliedOn' }] } });
    let res = await inject(provAStaff, 'POST', '/api/operations/provider-entries', { nodeId: nodeA, appliedOn: '2026-01-05', note: '申请进驻服务云' });
    expect(res.statusCode, res.body).toBe(201);
    let e = res.json();
    expect(e).toMatchObject({ state: 'applied', providerOrgId: provA.id, nodeId: nodeA });
    expect(e.missingDocuments).toHaveLength(8);
    expect((await inject(provAStaff, 'POST', '/api/operations/provider-entries', { nodeId: nodeA, appliedOn: '2026-01-05' })).json().code).toBe('operations.entry_exists');

    // upload six of eight: the submission is refused naming the two missing ones
    for (const d of ENTRY_DOCUMENTS.slice(0, 6)) {
      res = await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents`, { docKey: d.key, ...file(d.key) });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents`, { docKey: 'nonsense', ...file('x') })).json()).toMatchObject({ code: 'operations.unknown_document', details: { issues: [{ field: 'body.docKey' }] } });
    expect((await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents`, { docKey: 'ops_plan', ...file('x'), contentBase64: '***' })).json()).toMatchObject({ code: 'operations.document_content', details: { issues: [{ field: 'body.contentBase64' }] } });
    res = await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'material_review' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('operations.entry_documents_missing');
    expect(res.json().message).toContain('云平台应急预案');
    expect(res.json().message).toContain('云年度工作计划书');
    expect(res.json().details.missing.map((m: { key: string }) => m.key)).toEqual(['platform_emergency_plan', 'annual_work_plan']);
    for (const d of ENTRY_DOCUMENTS.slice(6)) await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents`, { docKey: d.key, ...file(d.key) });
    e = (await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'material_review' })).json();
    expect(e.state).toBe('material_review');
    expect(e.missingDocuments).toEqual([]);
    const doc = e.documents.find((d: { docKey: string }) => d.docKey === 'security_plan');
    const dl = await inject(supervisor, 'GET', `/api/operations/provider-entries/${e.id}/documents/${doc.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toBe('%PDF-1.4 security_plan');

    // a provider cannot review nor start the assessment; the supervisor rejects one, the assessment waits for it
    expect((await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents/${doc.id}/review`, { accept: true })).statusCode).toBe(403);
    expect((await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/documents/${doc.id}/review`, { accept: false })).json().code).toBe('operations.review_note_required');
    for (const d of e.documents) {
      res = await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/documents/${d.id}/review`, d.id === doc.id ? { accept: false, note: '缺少密码应用方案章节' } : { accept: true });
      expect(res.statusCode, res.body).toBe(200);
    }
    res = await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'initial_assessment' });
    expect(res.json()).toMatchObject({ code: 'operations.entry_documents_not_accepted', details: { missing: [{ key: 'security_plan', label: '云平台安全管理方案' }] } });
    expect((await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'applied' })).json().code).toBe('operations.return_note_required');
    e = (await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'applied', note: '请补正云平台安全管理方案' })).json();
    expect(e.state).toBe('applied');
    expect(e.missingDocuments.map((m: { key: string }) => m.key)).toEqual(['security_plan']);
    expect((await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents`, { docKey: 'ops_plan', ...file('again') })).json().code).toBe('operations.document_accepted');
    await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents`, { docKey: 'security_plan', ...file('security_plan v2') });
    await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'material_review' });
    const redone = (await inject(supervisor, 'GET', `/api/operations/provider-entries/${e.id}`)).json().documents.find((d: { docKey: string }) => d.docKey === 'security_plan');
    await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/documents/${redone.id}/review`, { accept: true });
    expect((await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'initial_assessment' })).statusCode).toBe(403);
    e = (await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'initial_assessment' })).json();
    expect(e.state).toBe('initial_assessment');

    // assessment: first failure → 1 month to rectify; a pass needs the machine room filed
    e = (await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/assess`, { on: '2026-02-10', passed: false, note: '应急演练指导书不完整' })).json();
    expect(e).toMatchObject({ state: 'initial_assessment', assessmentAttempts: 1, rectifyBy: '2026-03-10' });
    res = await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/assess`, { on: '2026-03-05', passed: true });
    expect(res.json().code).toBe('operations.machine_room_not_filed');
    res = await inject(provAStaff, 'POST', '/api/operations/machine-rooms', { nodeId: nodeA, name: unique('进驻机房'), address: '北京市海淀区', racks: 40, powerKw: 300, environmentObject: 'EN-ROOM', filedOn: '2026-03-01' });
    expect(res.statusCode, res.body).toBe(201);
    e = (await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/assess`, { on: '2026-03-05', passed: true })).json();
    expect(e).toMatchObject({ state: 'entered', enteredOn: '2026-03-05', assessmentAttempts: 2 });
    expect(e.machineRooms).toHaveLength(1);

    // exit: reason required, exit documents before migration, checklist before exited
    expect((await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'exit_applied' })).json().code).toBe('operations.exit_reason_required');
    e = (await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'exit_applied', exitReason: '合同期满' })).json();
    expect(e.state).toBe('exit_applied');
    expect(e.missingDocuments.map((m: { phase: string }) => m.phase)).toEqual(['exit', 'exit', 'exit', 'exit', 'exit']);
    res = await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'migrating' });
    expect(res.json().code).toBe('operations.exit_documents_missing');
    expect(res.json().message).toContain('保密方案');
    for (const d of EXIT_DOCUMENTS) await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/documents`, { docKey: d.key, ...file(d.key) });
    expect((await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/checks/migration_done`, {})).json().code).toBe('operations.entry_state');
    e = (await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'migrating' })).json();
    expect(e.state).toBe('migrating');
    for (const c of EXIT_CHECKS.slice(0, 3)) await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/checks/${c.key}`, { note: '已完成' });
    res = await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'exited' });
    expect(res.json()).toMatchObject({ code: 'operations.exit_checks_open', details: { missing: [{ key: 'handover_done' }] } });
    await inject(provAStaff, 'POST', `/api/operations/provider-entries/${e.id}/checks/handover_done`, {});
    expect((await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'entered' })).json().code).toBe('operations.entry_transition');
    e = (await inject(supervisor, 'POST', `/api/operations/provider-entries/${e.id}/transition`, { to: 'exited' })).json();
    expect(e.state).toBe('exited');
    expect(e.transitions.map((x: { toState: string }) => x.toState)).toEqual(['applied', 'material_review', 'applied', 'material_review', 'initial_assessment', 'initial_assessment', 'entered', 'exit_applied', 'migrating', 'exited']);
    const audited = (await owner.query<{ action: string }>("select action from audit_log where target_type = 'ops_provider_entry' and target_id = $1", [e.id])).rows.map((r) => r.action);
    expect(audited).toContain('operations.entry_exited');
    expect(audited).toContain('operations.entry_document_review');

    // isolation
    expect((await inject(provBStaff, 'GET', `/api/operations/provider-entries/${e.id}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', '/api/operations/provider-entries')).json().items.find((x: { id: string }) => x.id === e.id)).toBeUndefined();
    expect((await inject(provBStaff, 'POST', `/api/operations/provider-entries/${e.id}/checks/handover_done`, {})).statusCode).toBe(404);
    expect((await inject(unitStaff, 'GET', '/api/operations/provider-entries')).statusCode).toBe(403);
  });

  it('rejects an entry that fails the assessment twice (按照退出机制处理)', async () => {
    const prov = await createOrg(t, { kind: 'cloud_provider', name: unique('两次不通过') });
    const ctxEntry = await t.container.operations.entries.apply(sys, { providerOrgId: prov.id, appliedOn: '2026-01-01' });
    for (const d of ENTRY_DOCUMENTS) await t.container.operations.entries.uploadDocument(sys, ctxEntry.id, { docKey: d.key, ...file(d.key) });
    let e = await t.container.operations.entries.transition(sys, ctxEntry.id, { to: 'material_review' });
    for (const d of e.documents) e = await t.container.operations.entries.reviewDocument(sys, e.id, d.id, { accept: true });
    e = await t.container.operations.entries.transition(sys, e.id, { to: 'initial_assessment' });
    e = await t.container.operations.entries.assess(sys, e.id, { on: '2026-02-01', passed: false, note: '功能未实现' });
    e = await t.container.operations.entries.assess(sys, e.id, { on: '2026-03-01', passed: false, note: '整改未完成' });
    expect(e.state).toBe('rejected');
    // a new application is possible once the old record is closed
    const again = await t.container.operations.entries.apply(sys, { providerOrgId: prov.id, appliedOn: '2026-03-02' });
    expect(again.state).toBe('applied');
  });
});

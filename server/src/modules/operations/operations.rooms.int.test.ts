import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique, type TestApp } from '../../test/harness.js';
import type { Session, TestOrg } from '../../test/fixtures.js';
import { setupOperations, type OperationsFixture } from './test/fixtures.js';

let f: OperationsFixture;
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let nodeA: string;
let provAStaff: Session;
let provBStaff: Session;
let supervisor: Session;
let unitStaff: Session;
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => f.inject(s, method, url, payload);
const DAY = 86_400_000;

beforeAll(async () => {
  f = await setupOperations({ providers: ['机房服务商甲', '机房服务商乙'], node: { codePrefix: 'RA', name: '机房甲节点' } });
  ({ t, owner, provA, provAStaff, provBStaff, supervisor, unitStaff } = f);
  nodeA = f.nodeA!;
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('machine-room filing (机房信息备案) and access records (机房出入记录)', () => {
  it('files a room, records accesses, refuses bad input, isolates providers and keeps records ≥ 365 days', async () => {
    const room = { nodeId: nodeA, name: unique('一号机房'), address: '北京市丰台区六里桥 1 号', racks: 120, powerKw: 800, environmentObject: 'LLQ-ROOM-1', filedOn: '2026-01-10' };
    expect((await inject(provBStaff, 'POST', '/api/operations/machine-rooms', room)).json().code).toBe('operations.node_not_served');
    expect((await inject(provAStaff, 'POST', '/api/operations/machine-rooms', { ...room, racks: -1 })).statusCode).toBe(400);
    expect((await inject(provAStaff, 'POST', '/api/operations/machine-rooms', { ...room, filedOn: '2099-01-01' })).json()).toMatchObject({ code: 'operations.filed_in_future', details: { issues: [{ field: 'body.filedOn' }] } });
    let res = await inject(provAStaff, 'POST', '/api/operations/machine-rooms', room);
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ providerOrgId: provA.id, racks: 120, environmentObject: 'LLQ-ROOM-1' });
    expect((await inject(provAStaff, 'POST', '/api/operations/machine-rooms', room)).json().code).toBe('operations.room_exists');

    const now = Date.now();
    const access = { person: '王磊', company: '华京云', work: '更换 UPS 电池', enteredAt: new Date(now - 2 * 3_600_000).toISOString(), leftAt: new Date(now - 3_600_000).toISOString() };
    res = await inject(provAStaff, 'POST', `/api/operations/machine-rooms/${r.id}/access`, { ...access, leftAt: new Date(now - 3 * 3_600_000).toISOString() });
    expect(res.json()).toMatchObject({ code: 'operations.left_before_entered', details: { issues: [{ field: 'body.leftAt', rule: 'after_entered_at' }] } });
    res = await inject(provAStaff, 'POST', `/api/operations/machine-rooms/${r.id}/access`, { ...access, enteredAt: new Date(now + 3_600_000).toISOString(), leftAt: null });
    expect(res.json()).toMatchObject({ code: 'operations.time_in_future', details: { issues: [{ field: 'body.enteredAt' }] } });
    expect((await inject(provBStaff, 'POST', `/api/operations/machine-rooms/${r.id}/access`, access)).statusCode).toBe(404);
    res = await inject(provAStaff, 'POST', `/api/operations/machine-rooms/${r.id}/access`, access);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ roomId: r.id, roomName: room.name, person: '王磊' });
    // Records at 365 and 367 days: the job deletes only the older one.
    const kept = (await inject(provAStaff, 'POST', `/api/operations/machine-rooms/${r.id}/access`, { ...access, work: '365 天前', enteredAt: new Date(now - 365 * DAY).toISOString(), leftAt: null })).json();
    const old = (await inject(provAStaff, 'POST', `/api/operations/machine-rooms/${r.id}/access`, { ...access, work: '367 天前', enteredAt: new Date(now - 367 * DAY).toISOString(), leftAt: null })).json();
    const deleted = await t.container.operations.purgeRoomAccess(new Date(now));
    expect(deleted).toBeGreaterThanOrEqual(1);
    const left = (await owner.query<{ id: string }>('select id from ops_room_access where room_id = $1', [r.id])).rows.map((x) => x.id);
    expect(left).toContain(kept.id);
    expect(left).not.toContain(old.id);
    expect(left).toHaveLength(2);

    expect((await inject(provBStaff, 'GET', '/api/operations/machine-rooms')).json().items).toEqual([]);
    expect((await inject(provBStaff, 'GET', '/api/operations/room-access')).json().items).toEqual([]);
    expect((await inject(unitStaff, 'GET', '/api/operations/room-access')).statusCode).toBe(403);
    expect((await inject(supervisor, 'GET', `/api/operations/room-access?roomId=${r.id}`)).json().items).toHaveLength(2);
    const xlsx = await inject(supervisor, 'GET', '/api/operations/export/room-access');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

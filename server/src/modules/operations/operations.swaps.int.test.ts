import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';

let t: TestApp;
let owner: pg.Client;
let supA: Session;
let supB: Session;
let provStaff: Session;
let provAdmin: Session;
let supOrgId: string;
const HOUR = 3_600_000;
const inject = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
// A Beijing-time day a week ahead (shifts that have not started).
const day0 = new Date((Math.floor((Date.now() + 8 * HOUR) / (24 * HOUR)) + 7) * 24 * HOUR - 8 * HOUR);
const at = (h: number) => new Date(day0.getTime() + h * HOUR).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  supOrgId = sup.id;
  supA = (await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] })).session;
  supB = (await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] })).session;
  const prov = await createOrg(t, { kind: 'cloud_provider', name: unique('换班服务商') });
  provStaff = (await signedInUser(t, { orgId: prov.id, roles: ['provider_staff'] })).session;
  provAdmin = (await signedInUser(t, { orgId: prov.id, roles: ['provider_admin'] })).session;
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('duty swaps (换班)', () => {
  it('request → counterpart accepts → manager approves; overlaps and 7×24 gaps refused naming the interval, re-checked on approval', async () => {
    const roster = await inject(supA, 'PUT', '/api/operations/duty/roster', {
      from: at(0), to: at(24),
      shifts: [
        { person: '甲', startsAt: at(0), endsAt: at(8) },
        { person: '乙', startsAt: at(8), endsAt: at(16) },
        { person: '丁', startsAt: at(8), endsAt: at(12) },
        { person: '丙', startsAt: at(16), endsAt: at(24) },
      ],
    });
    expect(roster.statusCode, roster.body).toBe(200);
    const shift = (p: string) => (roster.json().shifts as Array<{ id: string; person: string }>).find((s) => s.person === p)!.id;

    // 乙's shift covered only 08–14 leaves 14–16 uncovered.
    let res = await inject(supA, 'POST', '/api/operations/duty/swaps', { shiftId: shift('乙'), counterpart: '戊', coverFrom: at(8), coverTo: at(14), reason: '家中有事' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.swap_coverage_gap', details: { gaps: [{ start: at(14), end: at(16) }], issues: [{ field: 'body.coverFrom', rule: 'coverage_7x24' }] } });
    expect(res.json().message).toContain('14:00');
    // 丁 is already on duty 08–12: taking 乙's shift would put 丁 on two shifts.
    res = await inject(supA, 'POST', '/api/operations/duty/swaps', { shiftId: shift('乙'), counterpart: '丁', reason: 'x' });
    expect(res.json()).toMatchObject({ code: 'operations.shift_overlap', details: { issues: [{ field: 'body.counterpart', rule: 'no_overlap' }] } });
    // The counter shift must be the counterpart's; the cover must lie within the shift; the same person is refused.
    res = await inject(supA, 'POST', '/api/operations/duty/swaps', { shiftId: shift('甲'), counterShiftId: shift('乙'), counterpart: '丙', reason: 'x' });
    expect(res.json()).toMatchObject({ code: 'operations.swap_counter_shift', details: { issues: [{ field: 'body.counterShiftId', rule: 'counterpart_shift' }] } });
    res = await inject(supA, 'POST', '/api/operations/duty/swaps', { shiftId: shift('乙'), counterpart: '戊', coverFrom: at(7), coverTo: at(16), reason: 'x' });
    expect(res.json()).toMatchObject({ code: 'operations.swap_cover_invalid', details: { issues: [{ field: 'body.coverFrom', rule: 'within_shift' }] } });
    expect((await inject(supA, 'POST', '/api/operations/duty/swaps', { shiftId: shift('甲'), counterpart: '甲', reason: 'x' })).json().code).toBe('operations.swap_same_person');
    expect((await owner.query('select count(*)::int as n from ops_duty_swaps where org_id = $1', [supOrgId])).rows[0].n).toBe(0);

    // An exchange: 甲 takes 丙's 16–24, 丙 takes 甲's 00–08.
    res = await inject(supA, 'POST', '/api/operations/duty/swaps', { shiftId: shift('甲'), counterShiftId: shift('丙'), counterpart: '丙', counterpartPhone: '13800000003', reason: '调休' });
    expect(res.statusCode, res.body).toBe(201);
    const swap = res.json();
    expect(swap).toMatchObject({ status: 'requested', requester: '甲', counterpart: '丙' });
    expect((await inject(supA, 'POST', `/api/operations/duty/swaps/${swap.id}/decide`, { approve: true })).json().code).toBe('operations.swap_not_accepted');
    expect((await inject(supA, 'POST', `/api/operations/duty/swaps/${swap.id}/respond`, { accept: true })).json().code).toBe('operations.swap_own_request');
    expect((await inject(supB, 'POST', `/api/operations/duty/swaps/${swap.id}/respond`, { accept: true })).json()).toMatchObject({ status: 'accepted' });
    res = await inject(supB, 'POST', `/api/operations/duty/swaps/${swap.id}/decide`, { approve: true, note: '同意' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved' });
    const after = (await inject(supA, 'GET', `/api/operations/duty/coverage?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(24))}`)).json();
    expect(after.gaps).toEqual([]);
    expect(after.shifts.find((s: { id: string }) => s.id === shift('甲')).person).toBe('丙');
    expect(after.shifts.find((s: { id: string }) => s.id === shift('丙')).person).toBe('甲');
    expect((await owner.query(`select count(*)::int as n from ops_duty_log where org_id = $1 and kind = 'handover' and body like '换班：%'`, [supOrgId])).rows[0].n).toBe(1);

    // 乙 hands 12–16 to 戊 while 丁 covers 08–12: no gap at request. Then 丁's shift goes; approval re-checks and refuses 08–12.
    res = await inject(supA, 'POST', '/api/operations/duty/swaps', { shiftId: shift('乙'), counterpart: '戊', coverFrom: at(12), coverTo: at(16), reason: '上午就医' });
    expect(res.statusCode, res.body).toBe(201);
    const partial = res.json();
    expect((await inject(supB, 'POST', `/api/operations/duty/swaps/${partial.id}/respond`, { accept: true })).statusCode).toBe(200);
    await owner.query('delete from ops_duty_shifts where id = $1', [shift('丁')]);
    res = await inject(supB, 'POST', `/api/operations/duty/swaps/${partial.id}/decide`, { approve: true });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.swap_coverage_gap', details: { gaps: [{ start: at(8), end: at(12) }] } });
    // Nothing changed: the swap is still accepted and 乙 still on 08–16.
    expect((await owner.query('select status from ops_duty_swaps where id = $1', [partial.id])).rows[0].status).toBe('accepted');
    expect((await owner.query('select person, starts_at from ops_duty_shifts where id = $1', [shift('乙')])).rows[0]).toMatchObject({ person: '乙', starts_at: new Date(at(8)) });
    expect((await inject(supB, 'POST', `/api/operations/duty/swaps/${partial.id}/decide`, { approve: false, note: '人手不足' })).json()).toMatchObject({ status: 'rejected' });

    // Another organisation does not see the swap; provider staff may not approve (no operations:duty_approve), its admin may.
    expect((await inject(provAdmin, 'POST', `/api/operations/duty/swaps/${swap.id}/respond`, { accept: false })).statusCode).toBe(404);
    expect((await inject(provStaff, 'GET', '/api/operations/duty/swaps')).json().items).toEqual([]);
    expect((await inject(provStaff, 'POST', `/api/operations/duty/swaps/${swap.id}/decide`, { approve: true })).statusCode).toBe(403);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { officialDays } from './calendar.official.js';

let t: TestApp;
let mgmt: Session;
let unit: Session;

beforeAll(async () => {
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  const u = await createOrg(t, { kind: 'user_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  unit = (await signedInUser(t, { orgId: u.id, roles: ['unit_staff'] })).session;
});
afterAll(async () => t.close());

describe('business calendar', () => {
  it('the migration seeded exactly the State Council arrangements of 2025 and 2026', async () => {
    const c = new pg.Client({ connectionString: t.ownerUrl });
    await c.connect();
    try {
      const r = await c.query<{ day: string; kind: string; name: string }>(
        `select to_char(day, 'YYYY-MM-DD') as day, kind, name from business_calendar_days where day between '2025-01-01' and '2026-12-31' order by day`,
      );
      expect(r.rows).toEqual(officialDays());
    } finally {
      await c.end();
    }
  });

  it('shows a year with its holidays, make-up days and number of working days', async () => {
    const res = await t.app.inject({ url: '/api/calendar?year=2025', headers: unit.headers });
    expect(res.statusCode).toBe(200);
    const y = res.json() as { days: Array<{ day: string; kind: string; name: string; weekday: number }>; workingDays: number; daysOff: number; arranged: boolean };
    expect(y.days).toHaveLength(33);
    expect(y.days.find((d) => d.day === '2025-01-26')).toMatchObject({ kind: 'workday', name: '春节调休上班', weekday: 7 });
    expect(y.days.find((d) => d.day === '2025-10-08')).toMatchObject({ kind: 'holiday', name: '国庆节、中秋节', weekday: 3 });
    // 365 days − 104 weekend days − 18 holidays on weekdays + 5 make-up days.
    expect(y.workingDays).toBe(248);
    expect(y.daysOff).toBe(117);
    expect(y.arranged).toBe(true);
    const y26 = (await t.app.inject({ url: '/api/calendar?year=2026', headers: unit.headers })).json() as { workingDays: number; days: unknown[] };
    // 365 − 104 − 19 + 6.
    expect(y26.workingDays).toBe(248);
    expect(y26.days).toHaveLength(39);
    const bad = await t.app.inject({ url: '/api/calendar?year=25', headers: unit.headers });
    expect(bad.statusCode).toBe(400);
  });

  it('computes deadlines in working time across 春节 with the make-up Sunday', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/calendar/deadline', headers: unit.headers, payload: { start: '2025-01-24T10:00:00+08:00', workingDays: 3 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dueAt: '2025-02-05T02:00:00.000Z', workingHours: 22.5 });
    const clock = await t.app.inject({ method: 'POST', url: '/api/calendar/deadline', headers: unit.headers, payload: { start: '2025-01-28T22:00:00+08:00', clockHours: 4 } });
    expect(clock.json()).toMatchObject({ dueAt: '2025-01-28T18:00:00.000Z' });
    const two = await t.app.inject({ method: 'POST', url: '/api/calendar/deadline', headers: unit.headers, payload: { start: '2025-01-24T10:00:00+08:00', workingDays: 3, clockHours: 1 } });
    expect(two.statusCode).toBe(400);
  });

  it('the management unit maintains days; others may not; every change is audited', async () => {
    const denied = await t.app.inject({ method: 'PUT', url: '/api/calendar/days/2099-01-03', headers: unit.headers, payload: { kind: 'workday', name: '调休' } });
    expect(denied.statusCode).toBe(403);
    const weekday = await t.app.inject({ method: 'PUT', url: '/api/calendar/days/2099-01-05', headers: mgmt.headers, payload: { kind: 'workday', name: '调休' } });
    expect(weekday.statusCode).toBe(400);
    expect(weekday.json()).toMatchObject({ code: 'calendar.workday_on_weekday', details: { issues: [{ field: 'body.kind', rule: 'weekend_only' }] } });
    // 2099-01-03 is a Saturday.
    const put = await t.app.inject({ method: 'PUT', url: '/api/calendar/days/2099-01-03', headers: mgmt.headers, payload: { kind: 'workday', name: '元旦调休上班' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ day: '2099-01-03', kind: 'workday', weekday: 6 });
    const hol = await t.app.inject({ method: 'PUT', url: '/api/calendar/days/2099-01-02', headers: mgmt.headers, payload: { kind: 'holiday', name: '元旦' } });
    expect(hol.statusCode).toBe(200);
    const y = (await t.app.inject({ url: '/api/calendar?year=2099', headers: unit.headers })).json() as { days: Array<{ day: string }>; arranged: boolean };
    expect(y.days.map((d) => d.day)).toEqual(['2099-01-02', '2099-01-03']);
    // Friday 2099-01-02 off, Saturday worked: 1 working day from Thursday 10:00 lands on Saturday 10:00.
    const due = await t.app.inject({ method: 'POST', url: '/api/calendar/deadline', headers: unit.headers, payload: { start: '2099-01-01T10:00:00+08:00', workingDays: 1 } });
    expect(due.json().dueAt).toBe('2099-01-03T02:00:00.000Z');
    expect(await auditRecords(t, { action: 'calendar.day_put', targetId: '2099-01-03' })).toHaveLength(1);
    for (const day of ['2099-01-02', '2099-01-03']) {
      expect((await t.app.inject({ method: 'DELETE', url: `/api/calendar/days/${day}`, headers: mgmt.headers })).statusCode).toBe(204);
    }
    const again = await t.app.inject({ method: 'DELETE', url: '/api/calendar/days/2099-01-03', headers: mgmt.headers });
    expect(again.statusCode).toBe(404);
    expect(await auditRecords(t, { action: 'calendar.day_delete', targetId: '2099-01-03' })).toHaveLength(1);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/calendar/days/2099-02-30', headers: mgmt.headers, payload: { kind: 'holiday', name: 'x' } });
    expect(bad.statusCode).toBe(400);
  });
});

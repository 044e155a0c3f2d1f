import { describe, expect, it } from 'vitest';
import { officialCalendar, shanghai } from '../calendar/index.js';
import { canTransition, chooseTargets, clockState, countdownColour, gradeEvent, priorityOf, stagesReached } from './servicedesk.rules.js';

const cal = officialCalendar();

describe('SLA clocks on the business calendar', () => {
  it('skips a weekend in working time: Friday 17:00 + 120 working minutes = Monday 10:00', () => {
    const s = clockState(cal, { openedAt: shanghai('2026-03-06', '17:00'), stoppedAt: null, pauses: [], target: { minutes: 120, schedule: 'office' } }, shanghai('2026-03-07', '12:00'));
    expect(s.elapsedMinutes).toBe(60);
    expect(s.state).toBe('running');
    expect(s.dueAt?.toISOString()).toBe(shanghai('2026-03-09', '10:00').toISOString());
    // 24×7: the same weekend counts.
    const c = clockState(cal, { openedAt: shanghai('2026-03-06', '17:00'), stoppedAt: null, pauses: [], target: { minutes: 120, schedule: 'clock' } }, shanghai('2026-03-06', '18:30'));
    expect(c.fraction).toBe(0.75);
    expect(c.warning).toBe(true);
    expect(c.dueAt?.toISOString()).toBe(shanghai('2026-03-06', '19:00').toISOString());
  });

  it('counts the make-up Saturday before the Spring Festival and skips the holiday', () => {
    const opened = shanghai('2026-02-13', '17:00'); // Friday; 2026-02-14 (Saturday) is a make-up working day
    const a = clockState(cal, { openedAt: opened, stoppedAt: null, pauses: [], target: { minutes: 240, schedule: 'office' } }, opened);
    expect(a.dueAt?.toISOString()).toBe(shanghai('2026-02-14', '12:00').toISOString());
    // 600 minutes: Friday 60 + Saturday 450, then the holiday 02-15…02-23, then Tuesday 02-24 09:00 + 90 = 10:30.
    const b = clockState(cal, { openedAt: opened, stoppedAt: null, pauses: [], target: { minutes: 600, schedule: 'office' } }, shanghai('2026-02-20', '10:00'));
    expect(b.elapsedMinutes).toBe(510);
    expect(b.dueAt?.toISOString()).toBe(shanghai('2026-02-24', '10:30').toISOString());
    expect(b.fraction).toBe(0.85);
  });

  it('pauses while pending and resumes', () => {
    const opened = shanghai('2026-03-10', '10:00');
    const pauses = [{ from: shanghai('2026-03-10', '10:05').toISOString(), to: shanghai('2026-03-10', '10:35').toISOString() }];
    const s = clockState(cal, { openedAt: opened, stoppedAt: null, pauses, target: { minutes: 20, schedule: 'clock' } }, shanghai('2026-03-10', '10:45'));
    expect(s.elapsedMinutes).toBe(15);
    expect(s.dueAt?.toISOString()).toBe(shanghai('2026-03-10', '10:50').toISOString());
    const open = [{ from: shanghai('2026-03-10', '10:05').toISOString(), to: null }];
    const p = clockState(cal, { openedAt: opened, stoppedAt: null, pauses: open, target: { minutes: 20, schedule: 'clock' } }, shanghai('2026-03-10', '12:00'));
    expect(p).toMatchObject({ elapsedMinutes: 5, state: 'paused', dueAt: null });
    expect(countdownColour(p)).toBe('grey');
  });

  it('stops at the first action: met or breached, and breaches escalate in steps', () => {
    const opened = shanghai('2026-03-10', '10:00');
    const met = clockState(cal, { openedAt: opened, stoppedAt: shanghai('2026-03-10', '10:14'), pauses: [], target: { minutes: 15, schedule: 'clock' } }, shanghai('2026-03-11', '10:00'));
    expect(met.state).toBe('met');
    const late = clockState(cal, { openedAt: opened, stoppedAt: null, pauses: [], target: { minutes: 15, schedule: 'clock' } }, shanghai('2026-03-10', '10:23'));
    expect(late.state).toBe('breached');
    expect(stagesReached(late, false)).toEqual(['warning', 'breach', 'management']);
    expect(countdownColour(late)).toBe('red');
  });
});

describe('targets, priority, grading, lifecycle', () => {
  it('chooses the shortest applicable target and halves it in a key-guarantee period', () => {
    const rows = [
      { clock: 'response' as const, minutes: 15, schedule: 'clock' as const, contractId: null, providerId: null },
      { clock: 'response' as const, minutes: 10, schedule: 'clock' as const, contractId: 'c1', providerId: null },
      { clock: 'onsite' as const, minutes: 120, schedule: 'clock' as const, contractId: null, providerId: null },
    ];
    expect(chooseTargets(rows, false)).toEqual({ response: { minutes: 10, schedule: 'clock' }, onsite: { minutes: 120, schedule: 'clock' } });
    expect(chooseTargets(rows, true)).toEqual({ response: { minutes: 5, schedule: 'clock' }, onsite: { minutes: 60, schedule: 'clock' } });
  });
  it('computes priority from impact × urgency and grades events', () => {
    expect([priorityOf(1, 1), priorityOf(1, 2), priorityOf(2, 2), priorityOf(3, 3)]).toEqual([1, 2, 3, 4]);
    const grades = [
      { code: 'general', name: '一般事件', rank: 1, minSystems: 0, minDurationMinutes: 0, priority: 3 },
      { code: 'major', name: '重大事件', rank: 3, minSystems: 5, minDurationMinutes: 240, priority: 1 },
    ];
    expect(gradeEvent(grades, 6, 300)?.code).toBe('major');
    expect(gradeEvent(grades, 6, 100)?.code).toBe('general');
  });
  it('forbids transitions outside the state machine', () => {
    expect(canTransition('new', 'resolved')).toBe(false);
    expect(canTransition('pending', 'in_progress')).toBe(true);
    expect(canTransition('closed', 'in_progress')).toBe(false);
    expect(canTransition('resolved', 'in_progress')).toBe(true);
  });
});

import type { CalendarDayKind } from './calendar.rules.js';

/**
 * The State Council's holiday arrangements (国务院办公厅关于部分节假日安排的通知) seeded by migration 0060, as
 * [first day, last day, name] holiday periods and make-up working days. Kept here for the tests, which check both the
 * rules and that the seeded table holds exactly these days.
 * 2025: 国办发明电〔2024〕12号 (2024-11-12). 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
 */
export const OFFICIAL_HOLIDAYS: ReadonlyArray<readonly [string, string, string]> = [
  ['2025-01-01', '2025-01-01', '元旦'],
  ['2025-01-28', '2025-02-04', '春节'],
  ['2025-04-04', '2025-04-06', '清明节'],
  ['2025-05-01', '2025-05-05', '劳动节'],
  ['2025-05-31', '2025-06-02', '端午节'],
  ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
  ['2026-01-01', '2026-01-03', '元旦'],
  ['2026-02-15', '2026-02-23', '春节'],
  ['2026-04-04', '2026-04-06', '清明节'],
  ['2026-05-01', '2026-05-05', '劳动节'],
  ['2026-06-19', '2026-06-21', '端午节'],
  ['2026-09-25', '2026-09-27', '中秋节'],
  ['2026-10-01', '2026-10-07', '国庆节'],
];

export const OFFICIAL_WORKDAYS: ReadonlyArray<readonly [string, string]> = [
  ['2025-01-26', '春节调休上班'],
  ['2025-02-08', '春节调休上班'],
  ['2025-04-27', '劳动节调休上班'],
  ['2025-09-28', '国庆节、中秋节调休上班'],
  ['2025-10-11', '国庆节、中秋节调休上班'],
  ['2026-01-04', '元旦调休上班'],
  ['2026-02-14', '春节调休上班'],
  ['2026-02-28', '春节调休上班'],
  ['2026-05-09', '劳动节调休上班'],
  ['2026-09-20', '国庆节调休上班'],
  ['2026-10-10', '国庆节调休上班'],
];

/** The official days as one list of { day, kind, name }. */
export function officialDays(): Array<{ day: string; kind: CalendarDayKind; name: string }> {
  const out: Array<{ day: string; kind: CalendarDayKind; name: string }> = [];
  for (const [first, last, name] of OFFICIAL_HOLIDAYS) {
    for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
      out.push({ day: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name });
    }
  }
  for (const [day, name] of OFFICIAL_WORKDAYS) out.push({ day, kind: 'workday', name });
  return out.sort((a, b) => a.day.localeCompare(b.day));
}

export function officialCalendar(): Map<string, CalendarDayKind> {
  return new Map(officialDays().map((d) => [d.day, d.kind]));
}

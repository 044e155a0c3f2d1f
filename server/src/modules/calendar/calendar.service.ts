import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Executor } from '../../platform/db/database.js';
import { notFound, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import {
  addWorkingDays,
  addWorkingHours,
  CLOCK_HOURS,
  dueAt,
  isoWeekday,
  isWorkingDay,
  OFFICE_HOURS,
  workingTimeBetween,
  type CalendarDayKind,
  type CalendarDays,
  type DeadlineRule,
  type WorkingSchedule,
} from './calendar.rules.js';
import type { CalendarDay, CalendarDayInput, CalendarYear, DeadlineQuery } from './calendar.schemas.js';

const toDay = (r: { day: string; kind: string; name: string; updatedAt: Date }): CalendarDay => ({
  day: r.day,
  kind: r.kind as CalendarDayKind,
  name: r.name,
  weekday: isoWeekday(r.day),
  updatedAt: r.updatedAt,
});

/**
 * 营业日历: the statutory holidays and make-up working days (data in business_calendar_days, maintained by the
 * management unit), and deadline arithmetic on it for other modules (`days`, `dueAt`). Public reference data: no
 * tenant scope.
 */
export class CalendarService {
  constructor(private readonly db: Db) {}

  /** The calendar exceptions, read in the caller's transaction (a few dozen rows a year). */
  async days(trx: Executor): Promise<CalendarDays> {
    const rows = await trx.selectFrom('businessCalendarDays').select(['day', 'kind']).execute();
    return new Map(rows.map((r) => [r.day, r.kind as CalendarDayKind]));
  }

  /** When a deadline rule started at `start` falls due (working days/hours in office hours, or clock hours). */
  async dueAt(trx: Executor, start: Date, rule: DeadlineRule, schedule: WorkingSchedule = OFFICE_HOURS): Promise<Date> {
    return dueAt(await this.days(trx), start, rule, schedule);
  }

  year(ctx: RequestContext, year: number): Promise<CalendarYear> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx
        .selectFrom('businessCalendarDays')
        .select(['day', 'kind', 'name', 'updatedAt'])
        .where(sql<boolean>`extract(year from day) = ${year}`)
        .orderBy('day')
        .execute();
      const cal = new Map(rows.map((r) => [r.day, r.kind as CalendarDayKind]));
      let working = 0;
      const first = Date.UTC(year, 0, 1);
      const last = Date.UTC(year, 11, 31);
      for (let t = first; t <= last; t += 86_400_000) if (isWorkingDay(cal, new Date(t).toISOString().slice(0, 10))) working++;
      const total = Math.round((last - first) / 86_400_000) + 1;
      return { year, days: rows.map(toDay), workingDays: working, daysOff: total - working, arranged: rows.some((r) => r.kind === 'holiday') };
    });
  }

  /** Marks a day as holiday or make-up working day (replacing what was there). */
  put(ctx: RequestContext, day: string, input: CalendarDayInput): Promise<CalendarDay> {
    if (input.kind === 'workday' && isoWeekday(day) <= 5) {
      throw validationError('calendar.workday_on_weekday', 'Only a Saturday or Sunday can be a make-up working day (调休上班日); Monday to Friday already are working days', [
        { field: 'body.kind', rule: 'weekend_only', message: `${day} is a weekday`, value: input.kind },
      ]);
    }
    return withTx(this.db, ctx, async (trx) => {
      const before = await trx.selectFrom('businessCalendarDays').select(['kind', 'name']).where('day', '=', day).executeTakeFirst();
      const row = await trx
        .insertInto('businessCalendarDays')
        .values({ day, kind: input.kind, name: input.name, updatedBy: ctx.actor.userId })
        .onConflict((oc) => oc.column('day').doUpdateSet({ kind: input.kind, name: input.name, updatedBy: ctx.actor.userId, updatedAt: new Date() }))
        .returning(['day', 'kind', 'name', 'updatedAt'])
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'calendar.day_put', targetType: 'calendar_day', targetId: day, before: before ?? null, after: input });
      return toDay(row);
    });
  }

  /** Removes a day's entry: it follows the weekday rule again. */
  remove(ctx: RequestContext, day: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await trx.deleteFrom('businessCalendarDays').where('day', '=', day).returning(['kind', 'name']).executeTakeFirst();
      if (!row) throw notFound('calendar_day', day);
      await recordAudit(trx, ctx, { action: 'calendar.day_delete', targetType: 'calendar_day', targetId: day, before: row });
    });
  }

  /** A deadline computed on the calendar, for the UI's "due by" previews. */
  deadline(ctx: RequestContext, q: DeadlineQuery): Promise<{ start: Date; dueAt: Date; workingHours: number }> {
    return withTx(this.db, ctx, async (trx) => {
      const cal = await this.days(trx);
      const start = new Date(q.start);
      const due =
        q.workingDays !== undefined
          ? addWorkingDays(cal, start, q.workingDays)
          : q.workingHours !== undefined
            ? addWorkingHours(cal, start, q.workingHours)
            : addWorkingHours(cal, start, q.clockHours!, CLOCK_HOURS);
      return { start, dueAt: due, workingHours: workingTimeBetween(cal, start, due) / 3_600_000 };
    });
  }
}

/**
 * Business calendar (营业日历): statutory holidays and make-up working days as data, and working-time arithmetic in
 * Asia/Shanghai (working days, office hours 09:00–12:00 and 13:30–18:00, or 24×7 clock hours).
 */
export { CalendarService } from './calendar.service.js';
export { registerCalendarRoutes } from './calendar.routes.js';
export {
  addWorkingDays,
  addWorkingHours,
  addWorkingTime,
  CLOCK_HOURS,
  dueAt,
  isWorkingDay,
  localDate,
  nthWorkingDayAfter,
  OFFICE_HOURS,
  officeSchedule,
  shanghai,
  workingTimeBetween,
  type CalendarDayKind,
  type CalendarDays,
  type DeadlineRule,
  type WorkingSchedule,
} from './calendar.rules.js';
export { officialCalendar, officialDays, OFFICIAL_HOLIDAYS, OFFICIAL_WORKDAYS } from './calendar.official.js';

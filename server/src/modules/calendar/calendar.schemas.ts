import { z } from 'zod';

const daySchema = z.iso.date({ message: 'a date written YYYY-MM-DD' });

export const calendarQuerySchema = z.strictObject({
  year: z.string().regex(/^(19[7-9]\d|20\d\d|2100)$/, 'a year between 1970 and 2100').transform(Number),
});

export const dayParamsSchema = z.strictObject({ day: daySchema });

export const calendarDayInputSchema = z.strictObject({
  /** `holiday`: a day off (法定节假日 or a rest day of the arrangement); `workday`: a Saturday or Sunday worked (调休上班). */
  kind: z.enum(['holiday', 'workday']),
  name: z.string().trim().min(1).max(50),
});
export type CalendarDayInput = z.infer<typeof calendarDayInputSchema>;

export const calendarDaySchema = z.object({
  day: z.string(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string(),
  weekday: z.number().int().min(1).max(7),
  updatedAt: z.date(),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarYearSchema = z.object({
  year: z.number().int(),
  /** The exceptions to Monday–Friday of the year, by date. */
  days: z.array(calendarDaySchema),
  workingDays: z.number().int(),
  daysOff: z.number().int(),
  /** True when the year has no holiday arrangement entered yet (only weekends are off). */
  arranged: z.boolean(),
});
export type CalendarYear = z.infer<typeof calendarYearSchema>;

export const deadlineQuerySchema = z
  .strictObject({
    start: z.iso.datetime({ offset: true, message: 'an ISO 8601 time with offset, e.g. 2025-01-24T10:00:00+08:00' }),
    workingDays: z.number().int().min(0).max(365).optional(),
    workingHours: z.number().min(0).max(2000).optional(),
    clockHours: z.number().min(0).max(8760).optional(),
  })
  .refine((q) => [q.workingDays, q.workingHours, q.clockHours].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of workingDays, workingHours, clockHours',
  });
export type DeadlineQuery = z.infer<typeof deadlineQuerySchema>;

export const deadlineResultSchema = z.object({
  start: z.date(),
  dueAt: z.date(),
  /** Working hours (09:00–12:00, 13:30–18:00 on working days) between start and due. */
  workingHours: z.number(),
});

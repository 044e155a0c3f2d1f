import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { calendarDayInputSchema, calendarDaySchema, calendarQuerySchema, calendarYearSchema, dayParamsSchema, deadlineQuerySchema, deadlineResultSchema } from './calendar.schemas.js';
import type { CalendarService } from './calendar.service.js';

const tags = ['calendar'];

export function registerCalendarRoutes(app: App, service: CalendarService): void {
  app.get(
    '/api/calendar',
    { config: { permission: 'calendar:read' }, schema: { tags, summary: 'The business calendar of a year (营业日历): holidays and make-up working days', querystring: calendarQuerySchema, response: { 200: calendarYearSchema } } },
    async (request) => service.year(request.ctx, request.query.year),
  );
  app.put(
    '/api/calendar/days/:day',
    { config: { permission: 'calendar:write' }, schema: { tags, summary: 'Mark a day as holiday (放假) or make-up working day (调休上班)', params: dayParamsSchema, body: calendarDayInputSchema, response: { 200: calendarDaySchema } } },
    async (request) => service.put(request.ctx, request.params.day, request.body),
  );
  app.delete(
    '/api/calendar/days/:day',
    { config: { permission: 'calendar:write' }, schema: { tags, summary: 'Remove a day’s entry (it follows the weekday rule again)', params: dayParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.remove(request.ctx, request.params.day);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/calendar/deadline',
    { config: { permission: 'calendar:read' }, schema: { tags, summary: 'When a deadline in working days, working hours or clock hours falls due', body: deadlineQuerySchema, response: { 200: deadlineResultSchema } } },
    async (request) => service.deadline(request.ctx, request.body),
  );
}

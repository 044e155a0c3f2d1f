import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

export type CalendarYear = paths['/api/calendar']['get']['responses'][200]['content']['application/json'];
export type CalendarDay = CalendarYear['days'][number];
export type DayInput = paths['/api/calendar/days/{day}']['put']['requestBody']['content']['application/json'];
export type DeadlineQuery = paths['/api/calendar/deadline']['post']['requestBody']['content']['application/json'];
export type DeadlineResult = paths['/api/calendar/deadline']['post']['responses'][200]['content']['application/json'];

export const calendarKeys = {
  all: ['calendar'] as const,
  year: (year: number) => ['calendar', year] as const,
};

export const calendarApi = {
  year: async (year: number): Promise<CalendarYear> => data(await api.GET('/api/calendar', { params: { query: { year: String(year) } } })),
  put: async (day: string, body: DayInput) => data(await api.PUT('/api/calendar/days/{day}', { params: { path: { day } }, body })),
  remove: async (day: string) => {
    await api.DELETE('/api/calendar/days/{day}', { params: { path: { day } } });
  },
  deadline: async (body: DeadlineQuery): Promise<DeadlineResult> => data(await api.POST('/api/calendar/deadline', { body })),
};

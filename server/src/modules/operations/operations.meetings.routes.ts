import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { hasPermission } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { MEETING_KINDS, TASK_REMINDER_KINDS, TASK_STATUSES, type MeetingService } from './operations.meetings.js';

const uuid = z.uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const tags = ['operations'];
const R = 'operations:read';
const W = 'operations:write';

export const meetingSchema = z.object({
  id: z.string(),
  kind: z.enum(MEETING_KINDS),
  orgId: z.string(),
  orgName: z.string(),
  providerOrgId: z.string().nullable(),
  providerName: z.string().nullable(),
  title: z.string(),
  heldOn: z.string(),
  period: z.string().nullable(),
  location: z.string().nullable(),
  attendees: z.array(z.string()),
  minutes: z.string(),
  attachments: z.array(z.object({ id: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number(), sm3: z.string(), uploadedAt: z.string() })),
  createdAt: z.string(),
}).meta({ id: 'Meeting' });

export const specialTaskSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  assigneeOrgId: z.string(),
  assigneeName: z.string(),
  orgId: z.string(),
  meetingId: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(TASK_STATUSES),
  completedOn: z.string().nullable(),
  resultNote: z.string().nullable(),
  overdue: z.boolean(),
  completedLate: z.boolean(),
  createdAt: z.string(),
}).meta({ id: 'SpecialTask' });

const params = z.strictObject({ id: uuid });

export const automationSettingsSchema = z.object({
  taskDueSoonWorkingDays: z.number(),
  taskEscalateAfterWorkingDays: z.number(),
  specChangeThresholdPct: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'OperationsAutomationSettings' });

/** Meetings and communications (会议与沟通): /api/operations/meetings and /api/operations/special-tasks. */
export function registerMeetingRoutes(app: App, service: MeetingService): void {
  app.get('/api/operations/meetings', { config: { permission: R }, schema: { tags, summary: 'Regular meetings (例会) and provider work reports (服务商工作汇报) with attachments', querystring: z.strictObject({ kind: z.enum(MEETING_KINDS).optional(), providerOrgId: uuid.optional() }), response: { 200: z.object({ items: z.array(meetingSchema) }) } } },
    async (request) => ({ items: await service.list(request.ctx, request.query) }));
  app.get('/api/operations/meetings/:id', { config: { permission: R }, schema: { tags, summary: 'One meeting or work report', params, response: { 200: meetingSchema } } }, async (request) => service.get(request.ctx, request.params.id));
  app.post('/api/operations/meetings', { config: { permission: W }, schema: { tags, summary: 'Record a regular meeting with minutes (management / supervision) or file a provider work report for a month (one per month)', body: z.strictObject({ kind: z.enum(MEETING_KINDS), orgId: uuid.nullable().optional(), providerOrgId: uuid.nullable().optional(), title: z.string().trim().min(1).max(200), heldOn: day, period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').nullable().optional(), location: z.string().trim().max(200).nullable().optional(), attendees: z.array(z.string().trim().min(1).max(100)).max(200).optional(), minutes: z.string().max(20000).nullable().optional() }), response: { 201: meetingSchema } } },
    async (request, reply) => reply.status(201).send(await service.create(request.ctx, request.body)));
  app.post('/api/operations/meetings/:id/attachments', { config: { permission: W }, schema: { tags, summary: 'Attach a file (minutes, the report; base64, at most 1 MB; SM3 recorded)', params, body: z.strictObject({ fileName: z.string().trim().min(1).max(200), contentType: z.string().min(1).max(100), contentBase64: z.string().min(1).max(1_500_000) }), response: { 200: meetingSchema } } },
    async (request) => service.attach(request.ctx, request.params.id, request.body));
  app.get('/api/operations/meetings/:id/attachments/:attachmentId', { config: { permission: R }, schema: { tags, summary: 'Download an attachment', params: z.strictObject({ id: uuid, attachmentId: uuid }), produces: ['application/octet-stream'] } },
    async (request, reply) => {
      const a = await service.attachment(request.ctx, request.params.id, request.params.attachmentId);
      return reply.header('content-type', a.contentType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`).send(a.content);
    });
  app.get('/api/operations/special-tasks', { config: { permission: R }, schema: { tags, summary: 'Special tasks (专项任务) with due day and overdue flag (Asia/Shanghai)', querystring: z.strictObject({ status: z.enum(TASK_STATUSES).optional(), assigneeOrgId: uuid.optional(), overdue: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(specialTaskSchema) }) } } },
    async (request) => {
      const { overdue, ...q } = request.query;
      return { items: await service.listTasks(request.ctx, { ...q, ...(overdue ? { overdue: overdue === 'true' } : {}) }) };
    });
  app.post('/api/operations/special-tasks', { config: { permission: W }, schema: { tags, summary: 'Assign a special task to an organisation with a due day (management / supervision); the assignee is notified', body: z.strictObject({ title: z.string().trim().min(1).max(200), description: z.string().max(5000).nullable().optional(), assigneeOrgId: uuid, meetingId: uuid.nullable().optional(), dueOn: day }), response: { 201: specialTaskSchema } } },
    async (request, reply) => reply.status(201).send(await service.createTask(request.ctx, request.body)));
  app.get('/api/operations/special-tasks/:id/reminders', { config: { permission: R }, schema: { tags, summary: 'Reminders sent for a task (due soon, overdue, escalated to the management unit)', params, response: { 200: z.object({ items: z.array(z.object({ kind: z.enum(TASK_REMINDER_KINDS), sentAt: z.string(), recipients: z.number() })) }) } } },
    async (request) => ({ items: await service.taskReminders(request.ctx, request.params.id) }));
  app.post('/api/operations/special-tasks/reminders/run', { config: { permission: W }, schema: { tags, summary: 'Send the due special-task reminders now (also done daily by a job; each reminder once per task; management / supervision)', response: { 200: z.object({ dueSoon: z.number(), overdue: z.number(), escalated: z.number() }) } } },
    async (request) => {
      if (!hasPermission(request.ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.task_manage_only', 'Only the management unit or the supervision provider runs the reminders', {});
      return service.sendTaskReminders();
    });
  app.get('/api/operations/automation-settings', { config: { permission: R }, schema: { tags, summary: 'Settings of the special-task reminders and of major-change detection', response: { 200: automationSettingsSchema } } }, async (request) => service.settings.get(request.ctx));
  app.put('/api/operations/automation-settings', { config: { permission: W }, schema: { tags, summary: 'Change the reminder days (working days before / after the due day) and the detection threshold (percent; management / supervision)', body: z.strictObject({ taskDueSoonWorkingDays: z.number().int().optional(), taskEscalateAfterWorkingDays: z.number().int().optional(), specChangeThresholdPct: z.string().max(10).optional() }), response: { 200: automationSettingsSchema } } },
    async (request) => service.settings.update(request.ctx, request.body));
  app.post('/api/operations/special-tasks/:id/status', { config: { permission: W }, schema: { tags, summary: 'Move a task: in_progress, done (with the result), cancelled (management / supervision)', params, body: z.strictObject({ status: z.enum(['in_progress', 'done', 'cancelled']), resultNote: z.string().trim().min(1).max(5000).nullable().optional() }), response: { 200: specialTaskSchema } } },
    async (request) => service.updateTask(request.ctx, request.params.id, request.body));
}

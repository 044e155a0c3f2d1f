import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { sendDocument } from '../documents/index.js';
import {
  changeSchema,
  closeBodySchema,
  coverageQuerySchema,
  coverageSchema,
  drillSchema,
  dutyEntrySchema,
  emergencyPlanSchema,
  expiringSchema,
  holdDrillSchema,
  idParamsSchema,
  implementSchema,
  inspectionCountSchema,
  keyPostChangeSchema,
  newKeyPeriodPlanSchema,
  newKeyPeriodReportSchema,
  keyPeriodSummaryBodySchema,
  keyPeriodPlanSchema,
  newSwapSchema,
  respondSwapSchema,
  decideSwapSchema,
  swapSchema,
  swapQuerySchema,
  maintenanceWindowSchema,
  newKeyPostChangeSchema,
  missedSchema,
  newChangeSchema,
  newDrillSchema,
  newDutyEntrySchema,
  newEmergencyPlanSchema,
  newPlanSchema,
  newQualificationSchema,
  newRecordSchema,
  newStaffSchema,
  obligationSchema,
  planDetailSchema,
  planSchema,
  qualificationSchema,
  qualificationStatusSchema,
  recordListQuerySchema,
  recordSchema,
  rectificationSchema,
  reviewSchema,
  rosterBodySchema,
  rangeQuerySchema,
  staffingSchema,
  staffQuerySchema,
  staffSchema,
  summaryQuerySchema,
  summarySchema,
  templateSchema,
  weeklyQuerySchema,
  weeklySchema,
  eventQuerySchema,
  eventSchema,
  newEventSchema,
  newTrainingSchema,
  recoverEventSchema,
  respondEventSchema,
  reviewEventSchema,
  trainingCountSchema,
  trainingSchema,
  newPolicyChangeSchema,
  newPolicyUpdateSchema,
  policyChangeSchema,
  machineRoomSchema,
  newMachineRoomSchema,
  newRoomAccessSchema,
  roomAccessSchema,
} from './operations.schemas.js';
import type { OperationsService } from './operations.service.js';
import { ENTRY_DOCUMENTS, EXIT_DOCUMENTS } from './operations.entry.js';
import { registerEntryRoutes } from './operations.entry.routes.js';
import { registerMajorChangeRoutes } from './operations.majorchanges.routes.js';
import { registerMeetingRoutes } from './operations.meetings.routes.js';

const tags = ['operations'];
const items = <T extends z.ZodType>(s: T) => z.object({ items: z.array(s) });
const R = 'operations:read';
const W = 'operations:write';
const M = 'operations:manage';
const range = (q: { from: string; to: string }) => ({ from: new Date(q.from), to: new Date(q.to) });

export function registerOperationsRoutes(app: App, service: OperationsService): void {
  // ---- inspections
  app.get('/api/operations/templates', { config: { permission: R }, schema: { tags, summary: 'Checklist templates (巡检模板) per category', response: { 200: items(templateSchema) } } }, async (request) => ({ items: await service.listTemplates(request.ctx) }));
  app.get('/api/operations/plans', { config: { permission: R }, schema: { tags, summary: 'Inspection plans the caller sees', querystring: z.strictObject({ providerOrgId: z.uuid().optional() }), response: { 200: items(planSchema) } } }, async (request) => ({ items: await service.listPlans(request.ctx, request.query) }));
  app.get('/api/operations/plans/:id', { config: { permission: R }, schema: { tags, summary: 'One plan with its checklist', params: idParamsSchema, response: { 200: planDetailSchema } } }, async (request) => service.getPlan(request.ctx, request.params.id));
  app.post('/api/operations/plans', { config: { permission: W }, schema: { tags, summary: 'Create an inspection plan for a node the provider serves (machine rooms ≥ 4 a day)', body: newPlanSchema, response: { 201: planSchema } } }, async (request, reply) => reply.status(201).send(await service.createPlan(request.ctx, request.body)));
  app.get('/api/operations/inspections', { config: { permission: R }, schema: { tags, summary: 'Inspection records, newest slot first', querystring: recordListQuerySchema, response: { 200: items(recordSchema) } } }, async (request) => ({ items: await service.listRecords(request.ctx, request.query) }));
  app.get('/api/operations/inspections/:id', { config: { permission: R }, schema: { tags, summary: 'One inspection record with its results and rectification items', params: idParamsSchema, response: { 200: recordSchema } } }, async (request) => service.getRecord(request.ctx, request.params.id));
  app.post('/api/operations/inspections', { config: { permission: W }, schema: { tags, summary: 'Record an inspection of a plan slot; abnormal items become rectification items (and tickets)', body: newRecordSchema, response: { 201: recordSchema } } }, async (request, reply) => reply.status(201).send(await service.recordInspection(request.ctx, request.body)));
  app.get('/api/operations/inspections-missed', { config: { permission: R }, schema: { tags, summary: 'Expected slots that ended without a record (missed inspections)', querystring: rangeQuerySchema, response: { 200: items(missedSchema) } } }, async (request) => ({ items: await service.missedInspections(request.ctx, { ...range(request.query), ...(request.query.providerOrgId ? { providerOrgId: request.query.providerOrgId } : {}) }) }));
  app.get('/api/operations/inspection-counts', { config: { permission: R }, schema: { tags, summary: 'Expected, done, missed and abnormal inspections per provider', querystring: rangeQuerySchema, response: { 200: items(inspectionCountSchema) } } }, async (request) => ({ items: await service.inspectionCounts(request.ctx, range(request.query)) }));
  app.get('/api/operations/rectifications', { config: { permission: R }, schema: { tags, summary: 'Rectification items from abnormal inspection results', querystring: z.strictObject({ status: z.enum(['open', 'done']).optional(), providerOrgId: z.uuid().optional() }), response: { 200: items(rectificationSchema) } } }, async (request) => ({ items: await service.listRectifications(request.ctx, request.query) }));
  app.post('/api/operations/rectifications/:id/close', { config: { permission: W }, schema: { tags, summary: 'Close a rectification item with what was done (clears its ticket)', params: idParamsSchema, body: closeBodySchema, response: { 200: rectificationSchema } } }, async (request) => service.closeRectification(request.ctx, request.params.id, request.body.resolution));

  // ---- personnel and qualifications
  app.get('/api/operations/staff', { config: { permission: R }, schema: { tags, summary: 'Staff of providers and the supervision provider, with certificates', querystring: staffQuerySchema, response: { 200: items(staffSchema) } } }, async (request) => ({ items: await service.listStaff(request.ctx, request.query) }));
  app.post('/api/operations/staff', { config: { permission: W }, schema: { tags, summary: 'Add a staff member (post, on site / second line, certificates)', body: newStaffSchema, response: { 201: staffSchema } } }, async (request, reply) => reply.status(201).send(await service.createStaff(request.ctx, request.body)));
  app.get('/api/operations/certificates-expiring', { config: { permission: R }, schema: { tags, summary: 'Certificates expired or expiring within 60 days', response: { 200: items(expiringSchema) } } }, async (request) => ({ items: await service.expiringCertificates(request.ctx) }));
  app.get('/api/operations/staffing', { config: { permission: R }, schema: { tags, summary: 'Staffing per node against the thresholds (≥ 20 on site, 30 in key periods, ≥ 10 core, security auditor)', response: { 200: items(staffingSchema) } } }, async (request) => ({ items: await service.staffingReport(request.ctx) }));
  app.get('/api/operations/qualifications', { config: { permission: R }, schema: { tags, summary: 'Provider qualification records with their state', querystring: z.strictObject({ providerOrgId: z.uuid().optional() }), response: { 200: items(qualificationSchema) } } }, async (request) => ({ items: await service.listQualifications(request.ctx, request.query) }));
  app.post('/api/operations/qualifications', { config: { permission: M }, schema: { tags, summary: 'Record a provider qualification (valid from / to)', body: newQualificationSchema, response: { 201: qualificationSchema } } }, async (request, reply) => reply.status(201).send(await service.createQualification(request.ctx, request.body)));
  app.post('/api/operations/qualifications/:id/review', { config: { permission: M }, schema: { tags, summary: 'The yearly review: passed, or failed (the qualification lapses and onboarding to the provider is suspended)', params: idParamsSchema, body: reviewSchema, response: { 200: qualificationSchema } } }, async (request) => service.reviewQualification(request.ctx, request.params.id, request.body));
  app.get('/api/operations/qualification-status', { config: { permission: R }, schema: { tags, summary: 'Whether each provider with records has a current qualification', querystring: z.strictObject({ at: z.iso.datetime({ offset: true }).optional() }), response: { 200: items(qualificationStatusSchema) } } }, async (request) => ({ items: await service.qualificationStatus(request.ctx, { at: request.query.at ? new Date(request.query.at) : new Date() }) }));

  app.get('/api/operations/key-post-changes', { config: { permission: R }, schema: { tags, summary: 'Key-post changes (关键岗位人员变更) and their approval', response: { 200: items(keyPostChangeSchema) } } }, async (request) => ({ items: await service.listKeyPostChanges(request.ctx) }));
  app.post('/api/operations/key-post-changes', { config: { permission: W }, schema: { tags, summary: 'Request a key-post change: 1 month notice for providers, 5 working days for the supervision provider; approved by the management unit', body: newKeyPostChangeSchema, response: { 201: keyPostChangeSchema } } }, async (request, reply) => reply.status(201).send(await service.requestKeyPostChange(request.ctx, request.body)));

  // ---- emergency
  app.get('/api/operations/emergency-plans', { config: { permission: R }, schema: { tags, summary: 'Emergency plans (应急预案), every version', response: { 200: items(emergencyPlanSchema) } } }, async (request) => ({ items: await service.listEmergencyPlans(request.ctx) }));
  app.post('/api/operations/emergency-plans', { config: { permission: W }, schema: { tags, summary: 'Save a new version of an emergency plan', body: newEmergencyPlanSchema, response: { 201: emergencyPlanSchema } } }, async (request, reply) => reply.status(201).send(await service.savePlanVersion(request.ctx, request.body)));
  app.get('/api/operations/drills', { config: { permission: R }, schema: { tags, summary: 'Drills planned and held', response: { 200: items(drillSchema) } } }, async (request) => ({ items: await service.listDrills(request.ctx) }));
  app.post('/api/operations/drills', { config: { permission: W }, schema: { tags, summary: 'Plan a drill (desktop / live)', body: newDrillSchema, response: { 201: drillSchema } } }, async (request, reply) => reply.status(201).send(await service.planDrill(request.ctx, request.body)));
  app.post('/api/operations/drills/:id/hold', { config: { permission: W }, schema: { tags, summary: 'Record a drill as held: participants, findings, report', params: idParamsSchema, body: holdDrillSchema, response: { 200: drillSchema } } }, async (request) => service.holdDrill(request.ctx, request.params.id, request.body));
  app.get('/api/operations/drill-obligations', { config: { permission: R }, schema: { tags, summary: 'Drills held against the obligations (provider 4 a year, management 2 a period, platform 1 a year) and what is due', querystring: rangeQuerySchema, response: { 200: items(obligationSchema) } } }, async (request) => ({ items: await service.drillObligations(request.ctx, range(request.query)) }));

  // ---- duty
  app.put('/api/operations/duty/roster', { config: { permission: W }, schema: { tags, summary: 'Save the shifts of [from, to): overlapping shifts of a person and gaps in 7×24 coverage are refused', body: rosterBodySchema, response: { 200: coverageSchema } } }, async (request) => service.saveRoster(request.ctx, request.body));
  app.get('/api/operations/duty/coverage', { config: { permission: R }, schema: { tags, summary: 'Shifts of a range and the gaps in their coverage', querystring: coverageQuerySchema, response: { 200: coverageSchema } } }, async (request) => service.coverage(request.ctx, request.query));
  app.post('/api/operations/duty/log', { config: { permission: W }, schema: { tags, summary: 'Add a duty log entry (event, handover, check)', body: newDutyEntrySchema, response: { 201: dutyEntrySchema } } }, async (request, reply) => reply.status(201).send(await service.addDutyEntry(request.ctx, request.body)));
  app.get('/api/operations/duty/summary', { config: { permission: R }, schema: { tags, summary: 'The daily duty summary (值班记录) generated from shifts, log and inspections', querystring: summaryQuerySchema, response: { 200: summarySchema } } }, async (request) => service.dailySummary(request.ctx, request.query));

  app.get('/api/operations/duty/weekly', { config: { permission: R }, schema: { tags, summary: 'The weekly report (周报) of an ISO week generated from the data', querystring: weeklyQuerySchema, response: { 200: weeklySchema } } }, async (request) => service.weeklySummary(request.ctx, request.query));

  app.get('/api/operations/duty/swaps', { config: { permission: R }, schema: { tags, summary: 'Duty swaps (换班) and their state', querystring: swapQuerySchema, response: { 200: items(swapSchema) } } }, async (request) => ({ items: await service.listSwaps(request.ctx, request.query) }));
  app.post('/api/operations/duty/swaps', { config: { permission: W }, schema: { tags, summary: 'Request a swap: hand a shift (or part of it) to a counterpart, optionally taking one back; a swap leaving a 7×24 gap is refused', body: newSwapSchema, response: { 201: swapSchema } } }, async (request, reply) => reply.status(201).send(await service.requestSwap(request.ctx, request.body)));
  app.post('/api/operations/duty/swaps/:id/respond', { config: { permission: W }, schema: { tags, summary: 'The counterpart accepts or declines a swap', params: idParamsSchema, body: respondSwapSchema, response: { 200: swapSchema } } }, async (request) => service.respondSwap(request.ctx, request.params.id, request.body));
  app.post('/api/operations/duty/swaps/:id/decide', { config: { permission: 'operations:duty_approve' }, schema: { tags, summary: 'The duty manager approves (coverage re-checked) or rejects an accepted swap', params: idParamsSchema, body: decideSwapSchema, response: { 200: swapSchema } } }, async (request) => service.decideSwap(request.ctx, request.params.id, request.body));

  // ---- key periods (重保)
  app.get('/api/operations/key-period-plans', { config: { permission: R }, schema: { tags, summary: 'Providers’ key-period work plans (重保工作方案) with daily reports, missing days and summary', querystring: z.strictObject({ keyPeriodId: z.uuid().optional() }), response: { 200: items(keyPeriodPlanSchema) } } }, async (request) => ({ items: await service.listKeyPeriodPlans(request.ctx, request.query) }));
  app.get('/api/operations/key-period-plans/:id', { config: { permission: R }, schema: { tags, summary: 'One key-period work plan', params: idParamsSchema, response: { 200: keyPeriodPlanSchema } } }, async (request) => service.getKeyPeriodPlan(request.ctx, request.params.id));
  app.post('/api/operations/key-period-plans', { config: { permission: W }, schema: { tags, summary: 'A provider’s work plan for a key period on a node it serves (≥ 30 on site, duty, contacts)', body: newKeyPeriodPlanSchema, response: { 201: keyPeriodPlanSchema } } }, async (request, reply) => reply.status(201).send(await service.createKeyPeriodPlan(request.ctx, request.body)));
  app.post('/api/operations/key-period-plans/:id/reports', { config: { permission: W }, schema: { tags, summary: 'The daily report (重保日报) of a day of the period', params: idParamsSchema, body: newKeyPeriodReportSchema, response: { 201: keyPeriodPlanSchema } } }, async (request, reply) => reply.status(201).send(await service.addKeyPeriodReport(request.ctx, request.params.id, request.body)));
  app.post('/api/operations/key-period-plans/:id/summary', { config: { permission: W }, schema: { tags, summary: 'The final summary (重保总结), after the period ended', params: idParamsSchema, body: keyPeriodSummaryBodySchema, response: { 200: keyPeriodPlanSchema } } }, async (request) => service.summariseKeyPeriod(request.ctx, request.params.id, request.body));
  app.get('/api/operations/key-period-plans/:id/export', { config: { permission: R }, schema: { tags, summary: 'The plan, daily reports and summary as a signed PDF', params: idParamsSchema, produces: ['application/pdf'] } }, async (request, reply) => sendDocument(reply, await service.exportKeyPeriodPlan(request.ctx, request.params.id)));

  // ---- platform changes
  app.get('/api/operations/changes', { config: { permission: R }, schema: { tags, summary: 'Platform change requests (云平台变更)', response: { 200: items(changeSchema) } } }, async (request) => ({ items: await service.listChanges(request.ctx) }));
  app.get('/api/operations/changes/:id', { config: { permission: R }, schema: { tags, summary: 'One change request', params: idParamsSchema, response: { 200: changeSchema } } }, async (request) => service.getChange(request.ctx, request.params.id));
  app.post('/api/operations/changes', { config: { permission: W }, schema: { tags, summary: 'Draft a platform change (impacted systems from the inventory)', body: newChangeSchema, response: { 201: changeSchema } } }, async (request, reply) => reply.status(201).send(await service.createChange(request.ctx, request.body)));
  app.post('/api/operations/changes/:id/submit', { config: { permission: W }, schema: { tags, summary: 'Submit: business-impacting changes go to approval, others are approved', params: idParamsSchema, response: { 200: changeSchema } } }, async (request) => service.submitChange(request.ctx, request.params.id));
  app.get('/api/operations/maintenance-windows', { config: { permission: R }, schema: { tags, summary: 'Approved maintenance windows (计划性变更窗口) overlapping [from, to), with impacted systems and hosts', querystring: z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }), response: { 200: items(maintenanceWindowSchema) } } },
    async (request) => ({ items: (await service.plannedMaintenanceWindows(request.ctx, range(request.query))).map((w) => ({ ...w, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString() })) }));
  app.post('/api/operations/changes/:id/implement', { config: { permission: W }, schema: { tags, summary: 'Record the implementation; outside the approved window it is flagged', params: idParamsSchema, body: implementSchema, response: { 200: changeSchema } } }, async (request) => service.implementChange(request.ctx, request.params.id, request.body));

  // ---- emergency events (应急事件) and training (培训记录)
  app.get('/api/operations/emergency-events', { config: { permission: R }, schema: { tags, summary: 'Emergency events (应急事件), newest first, with response and recovery minutes against the targets', querystring: eventQuerySchema, response: { 200: items(eventSchema) } } }, async (request) => ({ items: await service.listEvents(request.ctx, request.query) }));
  app.get('/api/operations/emergency-events/:id', { config: { permission: R }, schema: { tags, summary: 'One emergency event', params: idParamsSchema, response: { 200: eventSchema } } }, async (request) => service.getEvent(request.ctx, request.params.id));
  app.post('/api/operations/emergency-events', { config: { permission: W }, schema: { tags, summary: 'Report an emergency event (上报) of a provider, optionally on a node it serves', body: newEventSchema, response: { 201: eventSchema } } }, async (request, reply) => reply.status(201).send(await service.reportEvent(request.ctx, request.body)));
  app.post('/api/operations/emergency-events/:id/respond', { config: { permission: W }, schema: { tags, summary: 'Record the response (响应)', params: idParamsSchema, body: respondEventSchema, response: { 200: eventSchema } } }, async (request) => service.respondEvent(request.ctx, request.params.id, request.body));
  app.post('/api/operations/emergency-events/:id/recover', { config: { permission: W }, schema: { tags, summary: 'Record the recovery (恢复)', params: idParamsSchema, body: recoverEventSchema, response: { 200: eventSchema } } }, async (request) => service.recoverEvent(request.ctx, request.params.id, request.body));
  app.post('/api/operations/emergency-events/:id/review', { config: { permission: W }, schema: { tags, summary: 'Record the review (复盘): root cause, measures, lessons', params: idParamsSchema, body: reviewEventSchema, response: { 200: eventSchema } } }, async (request) => service.reviewEvent(request.ctx, request.params.id, request.body));
  app.get('/api/operations/emergency-events/:id/report', { config: { permission: R }, schema: { tags, summary: 'The emergency-handling report (应急事件处置报告) as a signed PDF, once reviewed', params: idParamsSchema, produces: ['application/pdf'] } }, async (request, reply) => sendDocument(reply, await service.exportEventReport(request.ctx, request.params.id)));
  app.get('/api/operations/trainings', { config: { permission: R }, schema: { tags, summary: 'Training records (培训记录)', querystring: z.strictObject({ orgId: z.uuid().optional() }), response: { 200: items(trainingSchema) } } }, async (request) => ({ items: await service.listTrainings(request.ctx, request.query) }));
  app.post('/api/operations/trainings', { config: { permission: W }, schema: { tags, summary: 'Record a training held', body: newTrainingSchema, response: { 201: trainingSchema } } }, async (request, reply) => reply.status(201).send(await service.recordTraining(request.ctx, request.body)));
  app.get('/api/operations/training-obligations', { config: { permission: R }, schema: { tags, summary: 'Emergency-response training every two months per provider: periods met, missed, open', querystring: rangeQuerySchema, response: { 200: items(trainingCountSchema) } } }, async (request) => ({ items: await service.trainingCounts(request.ctx, range(request.query)) }));

  app.get('/api/operations/policy-changes', { config: { permission: R }, schema: { tags, summary: 'Policy changes (政策调整) and each affected provider’s qualification update: pending / overdue (3 months) / exit (6 months)', response: { 200: items(policyChangeSchema) } } }, async (request) => ({ items: await service.listPolicyChanges(request.ctx) }));
  app.post('/api/operations/policy-changes', { config: { permission: M }, schema: { tags, summary: 'Record a policy change naming the providers that must update their qualification within 3 months (suspended until then)', body: newPolicyChangeSchema, response: { 201: policyChangeSchema } } }, async (request, reply) => reply.status(201).send(await service.recordPolicyChange(request.ctx, request.body)));
  app.post('/api/operations/policy-changes/:id/updates', { config: { permission: W }, schema: { tags, summary: 'A provider records its qualification update for a policy change', params: idParamsSchema, body: newPolicyUpdateSchema, response: { 201: policyChangeSchema } } }, async (request, reply) => reply.status(201).send(await service.recordPolicyUpdate(request.ctx, request.params.id, request.body)));

  app.get('/api/operations/machine-rooms', { config: { permission: R }, schema: { tags, summary: 'Filed machine rooms (机房信息备案)', response: { 200: items(machineRoomSchema) } } }, async (request) => ({ items: await service.listMachineRooms(request.ctx) }));
  app.post('/api/operations/machine-rooms', { config: { permission: W }, schema: { tags, summary: 'File a machine room on a node the provider serves', body: newMachineRoomSchema, response: { 201: machineRoomSchema } } }, async (request, reply) => reply.status(201).send(await service.fileMachineRoom(request.ctx, request.body)));
  app.get('/api/operations/room-access', { config: { permission: R }, schema: { tags, summary: 'Machine-room access records (机房出入记录), kept ≥ 365 days', querystring: z.strictObject({ roomId: z.uuid().optional() }), response: { 200: items(roomAccessSchema) } } }, async (request) => ({ items: await service.listRoomAccess(request.ctx, request.query) }));
  app.post('/api/operations/machine-rooms/:id/access', { config: { permission: W }, schema: { tags, summary: 'Record an access: identity, time, work', params: idParamsSchema, body: newRoomAccessSchema, response: { 201: roomAccessSchema } } }, async (request, reply) => reply.status(201).send(await service.recordRoomAccess(request.ctx, request.params.id, request.body)));

  registerEntryRoutes(app, service.entries, { entry: ENTRY_DOCUMENTS, exit: EXIT_DOCUMENTS });
  registerMajorChangeRoutes(app, service.majorChanges);
  registerMeetingRoutes(app, service.meetings);

  app.get('/api/operations/export/:list', { config: { permission: R }, schema: { tags, summary: 'A list as signed .xlsx', params: z.strictObject({ list: z.enum(['inspections', 'rectifications', 'staff', 'drills', 'changes', 'events', 'trainings', 'room-access']) }), produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] } },
    async (request, reply) => sendDocument(reply, await service.exportList(request.ctx, request.params.list)));
}

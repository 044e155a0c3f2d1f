import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { sendDocument } from '../documents/index.js';
import {
  acknowledgeSchema,
  boardQuerySchema,
  boardSchema,
  complianceSchema,
  detailQuerySchema,
  idParamsSchema,
  maintenanceSchema,
  monthQuerySchema,
  newMaintenanceSchema,
  newObjectiveSchema,
  newProbeSchema,
  objectiveSchema,
  outageListQuerySchema,
  outageListSchema,
  outageSchema,
  probeDetailSchema,
  probePatchSchema,
  probeSchema,
} from './availability.schemas.js';
import type { AvailabilityService } from './availability.service.js';

const tags = ['availability'];
const date = (s: string | undefined) => (s === undefined ? undefined : new Date(s));

export function registerAvailabilityRoutes(app: App, service: AvailabilityService): void {
  app.get(
    '/api/availability/probes',
    { config: { permission: 'availability:read' }, schema: { tags, summary: 'Status board (拨测状态): every probe the caller may see, down first, with counts per state', querystring: boardQuerySchema, response: { 200: boardSchema } } },
    async (request) => service.listProbes(request.ctx, request.query),
  );
  app.post(
    '/api/availability/probes',
    { config: { permission: 'availability:manage' }, schema: { tags, summary: 'A hand-made probe (ICMP, TCP, HTTP(S), DNS), optionally of an information system', body: newProbeSchema, response: { 201: probeSchema } } },
    async (request, reply) => reply.status(201).send(await service.createProbe(request.ctx, request.body)),
  );
  app.get(
    '/api/availability/probes/:id',
    { config: { permission: 'availability:read' }, schema: { tags, summary: 'One probe: results (response times), state intervals, outages and availability over a range (default the last 24 h)', params: idParamsSchema, querystring: detailQuerySchema, response: { 200: probeDetailSchema } } },
    async (request) => service.getProbe(request.ctx, request.params.id, { from: date(request.query.from), to: date(request.query.to) }),
  );
  app.get(
    '/api/availability/probes/:id/detail.xlsx',
    { config: { permission: 'availability:read' }, schema: { tags, summary: "One probe's detail (figures, state timeline, results) over a range as a signed .xlsx (SM2)", params: idParamsSchema, querystring: detailQuerySchema } },
    async (request, reply) => sendDocument(reply, await service.probeDocument(request.ctx, request.params.id, { from: date(request.query.from), to: date(request.query.to) })),
  );
  app.patch(
    '/api/availability/probes/:id',
    { config: { permission: 'availability:manage' }, schema: { tags, summary: 'Change a probe (automatic probes: interval, timeout, retries, on/off only)', params: idParamsSchema, body: probePatchSchema, response: { 200: probeSchema } } },
    async (request) => service.updateProbe(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/availability/probes/:id',
    { config: { permission: 'availability:manage' }, schema: { tags, summary: 'Delete a hand-made probe and its history', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.deleteProbe(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/availability/outages',
    { config: { permission: 'availability:read' }, schema: { tags, summary: 'Outages (中断记录): start, confirmation, end, duration, cause; newest first', querystring: outageListQuerySchema, response: { 200: outageListSchema } } },
    async (request) => service.listOutages(request.ctx, { ...request.query, from: date(request.query.from), to: date(request.query.to) }),
  );
  app.post(
    '/api/availability/outages/:id/acknowledge',
    { config: { permission: 'availability:acknowledge' }, schema: { tags, summary: 'Acknowledge an outage and note its cause (the responsible provider or the supervision staff)', params: idParamsSchema, body: acknowledgeSchema, response: { 200: outageSchema } } },
    async (request) => service.acknowledgeOutage(request.ctx, request.params.id, { causeNote: request.body.causeNote }),
  );
  app.get(
    '/api/availability/maintenance',
    { config: { permission: 'availability:read' }, schema: { tags, summary: 'Planned-maintenance windows (计划性维护), excluded from availability', response: { 200: z.object({ items: z.array(maintenanceSchema) }) } } },
    async (request) => ({ items: await service.listMaintenance(request.ctx) }),
  );
  app.post(
    '/api/availability/maintenance',
    { config: { permission: 'availability:manage' }, schema: { tags, summary: 'Record a planned-maintenance window of a probe, system, node or provider', body: newMaintenanceSchema, response: { 201: maintenanceSchema } } },
    async (request, reply) => reply.status(201).send(await service.createMaintenance(request.ctx, { ...request.body, startsAt: new Date(request.body.startsAt), endsAt: new Date(request.body.endsAt) })),
  );
  app.get(
    '/api/availability/objectives',
    { config: { permission: 'availability:read' }, schema: { tags, summary: 'SLA objectives (服务目标) per system, unit, provider or catalog service', response: { 200: z.object({ items: z.array(objectiveSchema) }) } } },
    async (request) => ({ items: await service.listObjectives(request.ctx) }),
  );
  app.put(
    '/api/availability/objectives',
    { config: { permission: 'availability:manage' }, schema: { tags, summary: 'Set the objective of a system, unit, provider or catalog service (by its catalog code; target, period, schedule, 4 h and yearly limits)', body: newObjectiveSchema, response: { 200: objectiveSchema } } },
    async (request) => service.setObjective(request.ctx, request.body),
  );
  app.delete(
    '/api/availability/objectives/:id',
    { config: { permission: 'availability:manage' }, schema: { tags, summary: 'Delete an SLA objective (its compliance rows go with it; probes and their history stay)', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.deleteObjective(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/availability/compliance',
    { config: { permission: 'availability:read' }, schema: { tags, summary: 'SLA compliance of a month per objective and system: availability, down / unknown / maintenance time, longest interruption, budget, verdict', querystring: monthQuerySchema, response: { 200: z.object({ month: z.string(), items: z.array(complianceSchema) }) } } },
    async (request) => ({ month: request.query.month, items: await service.monthlyCompliance(request.ctx, request.query.month) }),
  );
  app.get(
    '/api/availability/compliance.xlsx',
    { config: { permission: 'availability:read' }, schema: { tags, summary: "The month's SLA compliance as a signed .xlsx (SM2)", querystring: monthQuerySchema } },
    async (request, reply) => sendDocument(reply, await service.complianceDocument(request.ctx, request.query.month, 'xlsx')),
  );
  app.get(
    '/api/availability/compliance.pdf',
    { config: { permission: 'availability:read' }, schema: { tags, summary: "The month's SLA compliance as a signed PDF (SM2)", querystring: monthQuerySchema } },
    async (request, reply) => sendDocument(reply, await service.complianceDocument(request.ctx, request.query.month, 'pdf')),
  );
}

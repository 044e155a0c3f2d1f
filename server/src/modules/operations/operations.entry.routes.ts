import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { ENTRY_STATES, EXIT_CHECKS, type ProviderEntryService } from './operations.entry.js';

const uuid = z.uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const tags = ['operations'];
const R = 'operations:read';
const W = 'operations:write';

const label = z.object({ key: z.string(), label: z.string() });
export const providerEntrySchema = z.object({
  id: z.string(),
  providerOrgId: z.string(),
  providerName: z.string(),
  nodeId: z.string().nullable(),
  nodeName: z.string().nullable(),
  state: z.enum(ENTRY_STATES),
  appliedOn: z.string(),
  assessmentAttempts: z.number(),
  rectifyBy: z.string().nullable(),
  enteredOn: z.string().nullable(),
  exitReason: z.string().nullable(),
  exitedOn: z.string().nullable(),
  note: z.string().nullable(),
  documents: z.array(z.object({ id: z.string(), docKey: z.string(), label: z.string(), phase: z.enum(['entry', 'exit']), fileName: z.string(), contentType: z.string(), sizeBytes: z.number(), sm3: z.string(), status: z.enum(['submitted', 'accepted', 'rejected']), reviewNote: z.string().nullable(), submittedAt: z.string(), reviewedAt: z.string().nullable() })),
  missingDocuments: z.array(label.extend({ phase: z.enum(['entry', 'exit']) })),
  checks: z.array(label.extend({ done: z.boolean(), note: z.string().nullable(), doneAt: z.string().nullable() })),
  machineRooms: z.array(z.object({ id: z.string(), name: z.string(), filedOn: z.string(), environmentObject: z.string().nullable() })),
  transitions: z.array(z.object({ fromState: z.string().nullable(), toState: z.string(), note: z.string().nullable(), at: z.string() })),
}).meta({ id: 'ProviderEntry' });
const documentListSchema = z.object({ entry: z.array(label), exit: z.array(label), checks: z.array(label) });

const params = z.strictObject({ id: uuid });
const note = z.string().trim().min(1).max(2000).nullable().optional();

/** Provider entry and exit (进驻和退出): /api/operations/provider-entries. */
export function registerEntryRoutes(app: App, service: ProviderEntryService, lists: { entry: ReadonlyArray<{ key: string; label: string }>; exit: ReadonlyArray<{ key: string; label: string }> }): void {
  app.get('/api/operations/provider-entry-documents', { config: { permission: R }, schema: { tags, summary: 'The required documents: the eight of the initial assessment (初期评估), those of the service exit, and the exit checklist', response: { 200: documentListSchema } } },
    async () => ({ entry: [...lists.entry], exit: [...lists.exit], checks: EXIT_CHECKS.map((c) => ({ ...c })) }));
  app.get('/api/operations/provider-entries', { config: { permission: R }, schema: { tags, summary: 'Provider entry and exit records (进驻和退出) with documents, missing ones, checklist and transitions', querystring: z.strictObject({ providerOrgId: uuid.optional(), state: z.enum(ENTRY_STATES).optional() }), response: { 200: z.object({ items: z.array(providerEntrySchema) }) } } },
    async (request) => ({ items: await service.list(request.ctx, request.query) }));
  app.get('/api/operations/provider-entries/:id', { config: { permission: R }, schema: { tags, summary: 'One entry record', params, response: { 200: providerEntrySchema } } }, async (request) => service.get(request.ctx, request.params.id));
  app.post('/api/operations/provider-entries', { config: { permission: W }, schema: { tags, summary: 'Apply for entry (申请进驻) of a provider, on a node it runs or the platform', body: z.strictObject({ providerOrgId: uuid.nullable().optional(), nodeId: uuid.nullable().optional(), appliedOn: day, note }), response: { 201: providerEntrySchema } } },
    async (request, reply) => reply.status(201).send(await service.apply(request.ctx, request.body)));
  app.post('/api/operations/provider-entries/:id/documents', { config: { permission: W }, schema: { tags, summary: 'Upload a required document (base64, at most 1 MB; SM3 recorded)', params, body: z.strictObject({ docKey: z.string().min(1).max(60), fileName: z.string().trim().min(1).max(200), contentType: z.string().min(1).max(100), contentBase64: z.string().min(1).max(1_500_000) }), response: { 200: providerEntrySchema } } },
    async (request) => service.uploadDocument(request.ctx, request.params.id, request.body));
  app.get('/api/operations/provider-entries/:id/documents/:docId', { config: { permission: R }, schema: { tags, summary: 'Download an uploaded document', params: z.strictObject({ id: uuid, docId: uuid }), produces: ['application/octet-stream'] } },
    async (request, reply) => {
      const d = await service.documentContent(request.ctx, request.params.id, request.params.docId);
      return reply.header('content-type', d.contentType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(d.fileName)}`).send(d.content);
    });
  app.post('/api/operations/provider-entries/:id/documents/:docId/review', { config: { permission: W }, schema: { tags, summary: 'Accept or reject a document (材料审核; management / supervision)', params: z.strictObject({ id: uuid, docId: uuid }), body: z.strictObject({ accept: z.boolean(), note }), response: { 200: providerEntrySchema } } },
    async (request) => service.reviewDocument(request.ctx, request.params.id, request.params.docId, request.body));
  app.post('/api/operations/provider-entries/:id/transition', { config: { permission: W }, schema: { tags, summary: 'Move the record: submit materials, start the assessment (or return), apply for exit, start migration, close the exit; refused while documents are missing', params, body: z.strictObject({ to: z.enum(ENTRY_STATES), note, exitReason: z.string().trim().min(1).max(1000).nullable().optional() }), response: { 200: providerEntrySchema } } },
    async (request) => service.transition(request.ctx, request.params.id, request.body));
  app.post('/api/operations/provider-entries/:id/assess', { config: { permission: W }, schema: { tags, summary: 'Record the initial assessment (初期评估): passed → entered; failed → 1 month to rectify, twice → rejected', params, body: z.strictObject({ on: day, passed: z.boolean(), note }), response: { 200: providerEntrySchema } } },
    async (request) => service.assess(request.ctx, request.params.id, request.body));
  app.post('/api/operations/provider-entries/:id/checks/:itemKey', { config: { permission: W }, schema: { tags, summary: 'Tick an item of the exit clearance checklist (迁移/数据清退)', params: z.strictObject({ id: uuid, itemKey: z.string().min(1).max(60) }), body: z.strictObject({ note }), response: { 200: providerEntrySchema } } },
    async (request) => service.completeCheck(request.ctx, request.params.id, request.params.itemKey, request.body));
}

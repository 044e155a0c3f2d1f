import { api, data, download } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Items<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } } ? (Json<R> extends { items: Array<infer I> } ? I : never) : never;
export type Plan = Items<'/api/operations/plans'>;
export type PlanDetail = Json<paths['/api/operations/plans/{id}']['get']['responses'][200]>;
export type Template = Items<'/api/operations/templates'>;
export type InspectionRecord = Items<'/api/operations/inspections'>;
export type Missed = Items<'/api/operations/inspections-missed'>;
export type Rectification = Items<'/api/operations/rectifications'>;
export type Staff = Items<'/api/operations/staff'>;
export type Expiring = Items<'/api/operations/certificates-expiring'>;
export type Staffing = Items<'/api/operations/staffing'>;
export type Qualification = Items<'/api/operations/qualifications'>;
export type Drill = Items<'/api/operations/drills'>;
export type KeyPostChange = Items<'/api/operations/key-post-changes'>;
export type Obligation = Items<'/api/operations/drill-obligations'>;
export type Change = Items<'/api/operations/changes'>;
export type WeeklySummary = Json<paths['/api/operations/duty/weekly']['get']['responses'][200]>;
export type DutySummary = Json<paths['/api/operations/duty/summary']['get']['responses'][200]>;
export type NewPlan = NonNullable<paths['/api/operations/plans']['post']['requestBody']>['content']['application/json'];
export type NewRecord = NonNullable<paths['/api/operations/inspections']['post']['requestBody']>['content']['application/json'];
export type ExportList = 'inspections' | 'rectifications' | 'staff' | 'drills' | 'changes' | 'events' | 'trainings' | 'room-access';
export type EmergencyEvent = Items<'/api/operations/emergency-events'>;
export type TrainingCount = Items<'/api/operations/training-obligations'>;
export type PolicyChange = Items<'/api/operations/policy-changes'>;
export type ProviderEntry = Items<'/api/operations/provider-entries'>;
export type EntryState = ProviderEntry['state'];
export type MajorChange = Items<'/api/operations/major-changes'>;
export type Meeting = Items<'/api/operations/meetings'>;
export type SpecialTask = Items<'/api/operations/special-tasks'>;
export type Shift = Json<paths['/api/operations/duty/coverage']['get']['responses'][200]>['shifts'][number];
export type Coverage = Json<paths['/api/operations/duty/coverage']['get']['responses'][200]>;
export type NewEntry = NonNullable<paths['/api/operations/provider-entries']['post']['requestBody']>['content']['application/json'];

export const opsKeys = {
  all: ['operations'] as const,
  templates: ['operations', 'templates'] as const,
  plans: ['operations', 'plans'] as const,
  plan: (id: string) => ['operations', 'plan', id] as const,
  records: ['operations', 'records'] as const,
  missed: (from: string, to: string) => ['operations', 'missed', from, to] as const,
  rectifications: ['operations', 'rectifications'] as const,
  staff: ['operations', 'staff'] as const,
  expiring: ['operations', 'expiring'] as const,
  staffing: ['operations', 'staffing'] as const,
  qualifications: ['operations', 'qualifications'] as const,
  drills: ['operations', 'drills'] as const,
  keyPosts: ['operations', 'key-posts'] as const,
  obligations: (from: string, to: string) => ['operations', 'obligations', from, to] as const,
  emergencyPlans: ['operations', 'emergency-plans'] as const,
  coverage: (orgId: string, from: string, to: string) => ['operations', 'coverage', orgId, from, to] as const,
  summary: (day: string) => ['operations', 'summary', day] as const,
  weekly: (week: string) => ['operations', 'weekly', week] as const,
  changes: ['operations', 'changes'] as const,
  nodes: ['operations', 'nodes'] as const,
  events: ['operations', 'events'] as const,
  trainings: ['operations', 'trainings'] as const,
  trainingCounts: (from: string, to: string) => ['operations', 'training-counts', from, to] as const,
  policyChanges: ['operations', 'policy-changes'] as const,
  rooms: ['operations', 'rooms'] as const,
  roomAccess: ['operations', 'room-access'] as const,
  entries: ['operations', 'entries'] as const,
  entryDocuments: ['operations', 'entry-documents'] as const,
  majorChanges: ['operations', 'major-changes'] as const,
  meetings: ['operations', 'meetings'] as const,
  tasks: ['operations', 'special-tasks'] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });

export const opsApi = {
  templates: async () => data(await api.GET('/api/operations/templates')).items,
  nodes: async () => data(await api.GET('/api/cloud-nodes')).items,
  plans: async () => data(await api.GET('/api/operations/plans')).items,
  plan: async (id: string) => data(await api.GET('/api/operations/plans/{id}', byId(id))),
  createPlan: async (body: NewPlan) => data(await api.POST('/api/operations/plans', { body })),
  records: async () => data(await api.GET('/api/operations/inspections')).items,
  record: async (body: NewRecord) => data(await api.POST('/api/operations/inspections', { body })),
  missed: async (from: string, to: string) => data(await api.GET('/api/operations/inspections-missed', { params: { query: { from, to } } })).items,
  rectifications: async () => data(await api.GET('/api/operations/rectifications')).items,
  closeRectification: async (id: string, resolution: string) => data(await api.POST('/api/operations/rectifications/{id}/close', { ...byId(id), body: { resolution } })),
  staff: async () => data(await api.GET('/api/operations/staff')).items,
  expiring: async () => data(await api.GET('/api/operations/certificates-expiring')).items,
  staffing: async () => data(await api.GET('/api/operations/staffing')).items,
  qualifications: async () => data(await api.GET('/api/operations/qualifications')).items,
  keyPostChanges: async () => data(await api.GET('/api/operations/key-post-changes')).items,
  drills: async () => data(await api.GET('/api/operations/drills')).items,
  obligations: async (from: string, to: string) => data(await api.GET('/api/operations/drill-obligations', { params: { query: { from, to } } })).items,
  summary: async (day: string) => data(await api.GET('/api/operations/duty/summary', { params: { query: { day } } })),
  weekly: async (week: string) => data(await api.GET('/api/operations/duty/weekly', { params: { query: { week } } })),
  changes: async () => data(await api.GET('/api/operations/changes')).items,
  events: async () => data(await api.GET('/api/operations/emergency-events')).items,
  eventReport: (id: string, number: string) => download(`/api/operations/emergency-events/${id}/report`, `应急事件处置报告-${number}.pdf`),
  trainings: async () => data(await api.GET('/api/operations/trainings')).items,
  trainingCounts: async (from: string, to: string) => data(await api.GET('/api/operations/training-obligations', { params: { query: { from, to } } })).items,
  policyChanges: async () => data(await api.GET('/api/operations/policy-changes')).items,
  rooms: async () => data(await api.GET('/api/operations/machine-rooms')).items,
  roomAccess: async () => data(await api.GET('/api/operations/room-access')).items,
  entries: async () => data(await api.GET('/api/operations/provider-entries')).items,
  entryDocuments: async () => data(await api.GET('/api/operations/provider-entry-documents')),
  applyEntry: async (body: NewEntry) => data(await api.POST('/api/operations/provider-entries', { body })),
  uploadEntryDocument: async (id: string, body: { docKey: string; fileName: string; contentType: string; contentBase64: string }) => data(await api.POST('/api/operations/provider-entries/{id}/documents', { ...byId(id), body })),
  reviewEntryDocument: async (id: string, docId: string, body: { accept: boolean; note?: string | null }) => data(await api.POST('/api/operations/provider-entries/{id}/documents/{docId}/review', { params: { path: { id, docId } }, body })),
  entryDocument: (id: string, docId: string, name: string) => download(`/api/operations/provider-entries/${id}/documents/${docId}`, name),
  transitionEntry: async (id: string, body: { to: EntryState; note?: string | null; exitReason?: string | null }) => data(await api.POST('/api/operations/provider-entries/{id}/transition', { ...byId(id), body })),
  assessEntry: async (id: string, body: { on: string; passed: boolean; note?: string | null }) => data(await api.POST('/api/operations/provider-entries/{id}/assess', { ...byId(id), body })),
  completeEntryCheck: async (id: string, itemKey: string, note?: string | null) => data(await api.POST('/api/operations/provider-entries/{id}/checks/{itemKey}', { params: { path: { id, itemKey } }, body: { note: note ?? null } })),
  reportEvent: async (body: unknown) => data(await api.POST('/api/operations/emergency-events', { body: body as never })),
  respondEvent: async (id: string, body: unknown) => data(await api.POST('/api/operations/emergency-events/{id}/respond', { ...byId(id), body: body as never })),
  recoverEvent: async (id: string, body: unknown) => data(await api.POST('/api/operations/emergency-events/{id}/recover', { ...byId(id), body: body as never })),
  reviewEvent: async (id: string, body: unknown) => data(await api.POST('/api/operations/emergency-events/{id}/review', { ...byId(id), body: body as never })),
  recordTraining: async (body: unknown) => data(await api.POST('/api/operations/trainings', { body: body as never })),
  recordPolicyChange: async (body: unknown) => data(await api.POST('/api/operations/policy-changes', { body: body as never })),
  recordPolicyUpdate: async (id: string, body: unknown) => data(await api.POST('/api/operations/policy-changes/{id}/updates', { ...byId(id), body: body as never })),
  fileMachineRoom: async (body: unknown) => data(await api.POST('/api/operations/machine-rooms', { body: body as never })),
  recordRoomAccess: async (roomId: string, body: unknown) => data(await api.POST('/api/operations/machine-rooms/{id}/access', { ...byId(roomId), body: body as never })),
  emergencyPlans: async () => data(await api.GET('/api/operations/emergency-plans')).items,
  createStaff: async (body: unknown) => data(await api.POST('/api/operations/staff', { body: body as never })),
  createQualification: async (body: unknown) => data(await api.POST('/api/operations/qualifications', { body: body as never })),
  reviewQualification: async (id: string, body: unknown) => data(await api.POST('/api/operations/qualifications/{id}/review', { ...byId(id), body: body as never })),
  planDrill: async (body: unknown) => data(await api.POST('/api/operations/drills', { body: body as never })),
  holdDrill: async (id: string, body: unknown) => data(await api.POST('/api/operations/drills/{id}/hold', { ...byId(id), body: body as never })),
  saveRoster: async (body: unknown) => data(await api.PUT('/api/operations/duty/roster', { body: body as never })),
  coverage: async (q: { orgId?: string; from: string; to: string }) => data(await api.GET('/api/operations/duty/coverage', { params: { query: q } })),
  majorChanges: async (q: { status?: 'matched' | 'unapproved'; source?: 'pushed' | 'detected' | 'manual'; reviewed?: 'true' | 'false' }) => data(await api.GET('/api/operations/major-changes', { params: { query: q } })).items,
  recordMajorChange: async (body: unknown) => data(await api.POST('/api/operations/major-changes', { body: body as never })),
  reviewMajorChange: async (id: string, body: unknown) => data(await api.POST('/api/operations/major-changes/{id}/review', { ...byId(id), body: body as never })),
  meetings: async () => data(await api.GET('/api/operations/meetings')).items,
  recordMeeting: async (body: unknown) => data(await api.POST('/api/operations/meetings', { body: body as never })),
  meetingAttachment: (id: string, attachmentId: string, name: string) => download(`/api/operations/meetings/${id}/attachments/${attachmentId}`, name),
  tasks: async () => data(await api.GET('/api/operations/special-tasks')).items,
  createTask: async (body: unknown) => data(await api.POST('/api/operations/special-tasks', { body: body as never })),
  moveTask: async (id: string, body: unknown) => data(await api.POST('/api/operations/special-tasks/{id}/status', { ...byId(id), body: body as never })),
  export: (list: ExportList, name: string) => download(`/api/operations/export/${list}`, `${name}.xlsx`),
};

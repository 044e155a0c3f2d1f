/**
 * Unified service desk (统一工单): tickets of every kind with a lifecycle, dispatch to the provider running the
 * resource, claim with optimistic concurrency, SLA clocks computed from the history on the business calendar (pausing
 * while pending, key-guarantee periods tighten the targets), idempotent escalation (job `servicedesk.clocks`),
 * automatic tickets from other modules (`ServiceDeskService.upsertTicketFromSource`, the SourceTicketHook of
 * CONTRACTS.md), satisfaction and monthly statistics (`ServiceDeskService.ticketStatistics`), signed fault reports.
 */
export { ServiceDeskService, type SourceTicketInput, type DeskNotice, type DeskNotifier } from './servicedesk.service.js';
export { registerServiceDeskRoutes } from './servicedesk.routes.js';
export { registerServiceDeskJobs } from './servicedesk.jobs.js';
export { clockState, chooseTargets, priorityOf, gradeEvent, TICKET_KINDS, KIND_CN, STATUS_CN, type ClockState, type TicketKind, type TicketStatus } from './servicedesk.rules.js';
export type { Ticket, TicketDetail, StatisticsRow } from './servicedesk.schemas.js';
export { KnowledgeService, segment, type Article, type Announcement, type DictionaryTable, type CodeTableSource } from './knowledge.service.js';
export { registerKnowledgeRoutes } from './knowledge.routes.js';
export { loadServiceDeskDemo } from './servicedesk.demo.js';

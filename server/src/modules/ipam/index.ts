/**
 * IP address management (内部地址规划与分发): address pools per cloud node and network zone (IPv4 and IPv6), requests
 * by user units and cloud providers reviewed by the management unit within 3 working days (warnings when ≤ 1 working
 * day is left and when overdue: job `ipam.deadlines`), allocations that never overlap (first fit or chosen),
 * utilisation, conflicts with the addresses of the CMDB inventory, .xlsx export. Address arithmetic: `ip.ts`.
 */
export { IpamService, OBSERVED_IP_FIELDS, type IpamNotifier, type IpamNotice } from './ipam.service.js';
export { registerIpamRoutes } from './ipam.routes.js';
export { registerIpamJobs } from './ipam.jobs.js';
export { seedIpamDemo } from './ipam.demo.js';
export { reviewDueAt, deadlineState, REVIEW_WORKING_DAYS } from './ipam.rules.js';
export * as ip from './ip.js';
export type { Pool, Allocation, IpRequest, Conflict } from './ipam.schemas.js';

/**
 * CMDB inventory (资源清单): the resources of every provider built from the pushed service data (服务数据) and asset
 * data (资产数据) — physical devices, cloud hosts, internet IPs and bandwidth, load balancers, VPN and remote-access
 * accounts, WAF, leased lines — with their change history, linked to node, provider, unit and information system;
 * anomaly flags (unowned, node mismatch, stale, reported system ≠ registration); capacity and trends.
 * `InventoryService.applyPending()` applies new batches (job `inventory.apply`, every minute).
 */
export { InventoryService, EXPORT_MAX_ROWS, type DeliveredResources, type LocatedHost } from './inventory.service.js';
export { registerInventoryRoutes } from './inventory.routes.js';
export { registerInventoryJobs } from './inventory.jobs.js';
export { RESOURCE_KINDS, KIND_CN, QUANTITY_KEYS, type ResourceKind, type QuantityKey } from './inventory.kinds.js';
export type { Resource, ResourceDetail, Summary, Flag, ApplyResult } from './inventory.schemas.js';

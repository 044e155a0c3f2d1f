/**
 * Directory (目录): cloud nodes with their machine rooms (机房) and network zones (网络区域), and the user units'
 * information systems (信息系统, the 业务系统数据 attribute set) with per-unit numbering, masked contacts, history and
 * .xlsx import/export.
 */
export { DirectoryService } from './directory.service.js';
export { InformationSystemService } from './systems.service.js';
export { registerDirectoryRoutes } from './directory.routes.js';
export type { CloudNode, NewCloudNode, MachineRoom, NetworkZone, InformationSystem } from './directory.schemas.js';

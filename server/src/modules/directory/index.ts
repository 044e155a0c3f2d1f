/**
 * Directory (目录): cloud nodes now; machine rooms, network zones, units' information systems come with the
 * directory issue.
 */
export { DirectoryService } from './directory.service.js';
export { registerDirectoryRoutes } from './directory.routes.js';
export type { CloudNode, NewCloudNode } from './directory.schemas.js';

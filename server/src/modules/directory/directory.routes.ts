import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { cloudNodeSchema } from './directory.schemas.js';
import type { DirectoryService } from './directory.service.js';

export function registerDirectoryRoutes(app: App, service: DirectoryService): void {
  app.get(
    '/api/cloud-nodes',
    { schema: { tags: ['directory'], summary: 'Cloud nodes (云节点) and the providers that run them', response: { 200: z.object({ items: z.array(cloudNodeSchema) }) } } },
    async (request) => ({ items: await service.listCloudNodes(request.ctx) }),
  );
}

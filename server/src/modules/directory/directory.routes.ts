import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import {
  cloudNodeSchema,
  idParamsSchema,
  informationSystemSchema,
  machineRoomPatchSchema,
  machineRoomSchema,
  networkZonePatchSchema,
  networkZoneSchema,
  newMachineRoomSchema,
  newNetworkZoneSchema,
  newSystemSchema,
  nodeItemParamsSchema,
  nodeParamsSchema,
  retireSystemSchema,
  systemChangeSchema,
  systemFilterSchema,
  systemImportResultSchema,
  systemImportSchema,
  systemListQuerySchema,
  systemListSchema,
  systemPatchSchema,
} from './directory.schemas.js';
import type { DirectoryService } from './directory.service.js';
import type { InformationSystemService } from './systems.service.js';

const tags = ['directory'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerDirectoryRoutes(app: App, service: DirectoryService, systems?: InformationSystemService): void {
  app.get(
    '/api/cloud-nodes',
    { schema: { tags, summary: 'Cloud nodes (云节点) and the providers that run them', response: { 200: z.object({ items: z.array(cloudNodeSchema) }) } } },
    async (request) => ({ items: await service.listCloudNodes(request.ctx) }),
  );
  app.get(
    '/api/cloud-nodes/:nodeId/rooms',
    { config: { permission: 'directory:read' }, schema: { tags, summary: 'Machine rooms (机房) of a cloud node', params: nodeParamsSchema, response: { 200: z.object({ items: z.array(machineRoomSchema) }) } } },
    async (request) => ({ items: await service.listRooms(request.ctx, request.params.nodeId) }),
  );
  app.post(
    '/api/cloud-nodes/:nodeId/rooms',
    { config: { permission: 'directory:write' }, schema: { tags, summary: 'Add a machine room (机房) to a cloud node', params: nodeParamsSchema, body: newMachineRoomSchema, response: { 201: machineRoomSchema } } },
    async (request, reply) => reply.status(201).send(await service.createRoom(request.ctx, request.params.nodeId, request.body)),
  );
  app.patch(
    '/api/cloud-nodes/:nodeId/rooms/:id',
    { config: { permission: 'directory:write' }, schema: { tags, summary: 'Change or retire a machine room', params: nodeItemParamsSchema, body: machineRoomPatchSchema, response: { 200: machineRoomSchema } } },
    async (request) => service.updateRoom(request.ctx, request.params.nodeId, request.params.id, request.body),
  );
  app.get(
    '/api/cloud-nodes/:nodeId/zones',
    { config: { permission: 'directory:read' }, schema: { tags, summary: 'Network zones (网络区域: 政务外网 / 互联网 / 安全数据交换区) of a cloud node', params: nodeParamsSchema, response: { 200: z.object({ items: z.array(networkZoneSchema) }) } } },
    async (request) => ({ items: await service.listZones(request.ctx, request.params.nodeId) }),
  );
  app.post(
    '/api/cloud-nodes/:nodeId/zones',
    { config: { permission: 'directory:write' }, schema: { tags, summary: 'Add a network zone to a cloud node', params: nodeParamsSchema, body: newNetworkZoneSchema, response: { 201: networkZoneSchema } } },
    async (request, reply) => reply.status(201).send(await service.createZone(request.ctx, request.params.nodeId, request.body)),
  );
  app.patch(
    '/api/cloud-nodes/:nodeId/zones/:id',
    { config: { permission: 'directory:write' }, schema: { tags, summary: 'Change or retire a network zone', params: nodeItemParamsSchema, body: networkZonePatchSchema, response: { 200: networkZoneSchema } } },
    async (request) => service.updateZone(request.ctx, request.params.nodeId, request.params.id, request.body),
  );

  if (!systems) return;
  const sysTags = ['information-systems'];
  app.get(
    '/api/information-systems',
    { config: { permission: 'system:read' }, schema: { tags: sysTags, summary: 'Information systems (信息系统) the caller may see, filtered and paged', querystring: systemListQuerySchema, response: { 200: systemListSchema } } },
    async (request) => systems.list(request.ctx, request.query),
  );
  app.post(
    '/api/information-systems',
    { config: { permission: 'system:write' }, schema: { tags: sysTags, summary: 'Register an information system; the server assigns its number (unit code + 001…)', body: newSystemSchema, response: { 201: informationSystemSchema } } },
    async (request, reply) => reply.status(201).send(await systems.create(request.ctx, request.body)),
  );
  app.get(
    '/api/information-systems/export',
    { config: { permission: 'system:read' }, schema: { tags: sysTags, summary: 'The filtered systems as .xlsx with the 业务系统数据 headers', querystring: systemFilterSchema, produces: [XLSX] } },
    async (request, reply) => {
      const data = await systems.exportXlsx(request.ctx, request.query);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="information-systems.xlsx"; filename*=UTF-8''${encodeURIComponent('信息系统.xlsx')}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.post(
    '/api/information-systems/import',
    { bodyLimit: 12 * 1024 * 1024, config: { permission: 'system:write' }, schema: { tags: sysTags, summary: 'Create systems from an .xlsx (base64); all rows valid, or nothing saved unless validRowsOnly', body: systemImportSchema, response: { 200: systemImportResultSchema } } },
    async (request) => systems.importXlsx(request.ctx, request.body),
  );
  app.get(
    '/api/information-systems/:id',
    { config: { permission: 'system:read' }, schema: { tags: sysTags, summary: 'One information system', params: idParamsSchema, response: { 200: informationSystemSchema } } },
    async (request) => systems.get(request.ctx, request.params.id),
  );
  app.patch(
    '/api/information-systems/:id',
    { config: { permission: 'system:write' }, schema: { tags: sysTags, summary: 'Change attributes of an information system (recorded in its history)', params: idParamsSchema, body: systemPatchSchema, response: { 200: informationSystemSchema } } },
    async (request) => systems.update(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/information-systems/:id/retire',
    { config: { permission: 'system:write' }, schema: { tags: sysTags, summary: 'Retire (退出) an information system with exit date and reason', params: idParamsSchema, body: retireSystemSchema, response: { 200: informationSystemSchema } } },
    async (request) => systems.retire(request.ctx, request.params.id, request.body),
  );
  app.get(
    '/api/information-systems/:id/history',
    { config: { permission: 'system:read' }, schema: { tags: sysTags, summary: 'Change history of an information system (before/after per change)', params: idParamsSchema, response: { 200: z.object({ items: z.array(systemChangeSchema) }) } } },
    async (request) => ({ items: await systems.history(request.ctx, request.params.id) }),
  );
}

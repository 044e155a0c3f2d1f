import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type CloudNode = Json<paths['/api/cloud-nodes']['get']['responses'][200]>['items'][number];
export type MachineRoom = Json<paths['/api/cloud-nodes/{nodeId}/rooms']['get']['responses'][200]>['items'][number];
export type NetworkZone = Json<paths['/api/cloud-nodes/{nodeId}/zones']['get']['responses'][200]>['items'][number];
export type NewMachineRoom = paths['/api/cloud-nodes/{nodeId}/rooms']['post']['requestBody']['content']['application/json'];
export type MachineRoomPatch = paths['/api/cloud-nodes/{nodeId}/rooms/{id}']['patch']['requestBody']['content']['application/json'];
export type NewNetworkZone = paths['/api/cloud-nodes/{nodeId}/zones']['post']['requestBody']['content']['application/json'];
export type NetworkZonePatch = paths['/api/cloud-nodes/{nodeId}/zones/{id}']['patch']['requestBody']['content']['application/json'];

export const directoryKeys = {
  all: ['directory'] as const,
  nodes: ['directory', 'nodes'] as const,
  rooms: (nodeId: string) => ['directory', 'rooms', nodeId] as const,
  zones: (nodeId: string) => ['directory', 'zones', nodeId] as const,
};

const node = (nodeId: string) => ({ params: { path: { nodeId } } });
const item = (nodeId: string, id: string) => ({ params: { path: { nodeId, id } } });

export const directoryApi = {
  nodes: async () => data(await api.GET('/api/cloud-nodes')),
  rooms: async (nodeId: string) => data(await api.GET('/api/cloud-nodes/{nodeId}/rooms', node(nodeId))),
  createRoom: async (nodeId: string, body: NewMachineRoom) => data(await api.POST('/api/cloud-nodes/{nodeId}/rooms', { ...node(nodeId), body })),
  updateRoom: async (nodeId: string, id: string, body: MachineRoomPatch) => data(await api.PATCH('/api/cloud-nodes/{nodeId}/rooms/{id}', { ...item(nodeId, id), body })),
  zones: async (nodeId: string) => data(await api.GET('/api/cloud-nodes/{nodeId}/zones', node(nodeId))),
  createZone: async (nodeId: string, body: NewNetworkZone) => data(await api.POST('/api/cloud-nodes/{nodeId}/zones', { ...node(nodeId), body })),
  updateZone: async (nodeId: string, id: string, body: NetworkZonePatch) => data(await api.PATCH('/api/cloud-nodes/{nodeId}/zones/{id}', { ...item(nodeId, id), body })),
};

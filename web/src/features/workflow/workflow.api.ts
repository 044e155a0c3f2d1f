import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

type TasksOp = paths['/api/workflow/tasks']['get'];
export type TaskFilter = NonNullable<TasksOp['parameters']['query']>;
export type TaskWithInstance = TasksOp['responses'][200]['content']['application/json']['items'][number];
export type InstanceDetail = paths['/api/workflow/instances/{id}']['get']['responses'][200]['content']['application/json'];
export type WorkflowTask = InstanceDetail['tasks'][number];
export type WorkflowEvent = InstanceDetail['events'][number];
export type TaskAction = paths['/api/workflow/tasks/{id}/actions']['post']['requestBody']['content']['application/json'];
export type InstanceAction = paths['/api/workflow/instances/{id}/actions']['post']['requestBody']['content']['application/json'];
export type Definition = paths['/api/workflow/definitions/{id}']['get']['responses'][200]['content']['application/json'];
export type DefinitionInput = paths['/api/workflow/definitions']['post']['requestBody']['content']['application/json'];
export type DefinitionBody = DefinitionInput['definition'];
export type ValidationResult = paths['/api/workflow/definitions/validate']['post']['responses'][200]['content']['application/json'];

export const workflowKeys = {
  all: ['workflow'] as const,
  tasks: (f: TaskFilter) => ['workflow', 'tasks', f] as const,
  instance: (id: string) => ['workflow', 'instance', id] as const,
  definitions: ['workflow', 'definitions'] as const,
};

export const workflowApi = {
  tasks: async (f: TaskFilter) => data(await api.GET('/api/workflow/tasks', { params: { query: f } })).items,
  instance: async (id: string): Promise<InstanceDetail> => data(await api.GET('/api/workflow/instances/{id}', { params: { path: { id } } })),
  actOnTask: async (id: string, body: TaskAction): Promise<InstanceDetail> => data(await api.POST('/api/workflow/tasks/{id}/actions', { params: { path: { id } }, body })),
  actOnInstance: async (id: string, body: InstanceAction): Promise<InstanceDetail> => data(await api.POST('/api/workflow/instances/{id}/actions', { params: { path: { id } }, body })),
  definitions: async (): Promise<Definition[]> => data(await api.GET('/api/workflow/definitions', { params: { query: {} } })).items,
  createDefinition: async (body: DefinitionInput): Promise<Definition> => data(await api.POST('/api/workflow/definitions', { body })),
  updateDefinition: async (id: string, body: Omit<DefinitionInput, 'code'>): Promise<Definition> => data(await api.PUT('/api/workflow/definitions/{id}', { params: { path: { id } }, body })),
  deleteDefinition: async (id: string) => {
    await api.DELETE('/api/workflow/definitions/{id}', { params: { path: { id } } });
  },
  publish: async (id: string): Promise<Definition> => data(await api.POST('/api/workflow/definitions/{id}/publish', { params: { path: { id } } })),
  retire: async (id: string): Promise<Definition> => data(await api.POST('/api/workflow/definitions/{id}/retire', { params: { path: { id } } })),
  validate: async (body: DefinitionBody): Promise<ValidationResult> => data(await api.POST('/api/workflow/definitions/validate', { body })),
};

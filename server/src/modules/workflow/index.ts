/**
 * Workflow engine (审批流程): definitions the management unit configures (serial, parallel with joins, conditions on
 * amount / protection level / item category, assignees by role, organisation or person, deadlines in working time),
 * instances for subjects of other modules, to-dos, actions (approve, reject, return, delegate, extend, skip,
 * terminate, comment) and the timeline. Subject modules register their type with `registerSubjectType` and start
 * instances with `startIn` inside their own transaction.
 */
export { WorkflowService, type SubjectInfo, type SubjectResolver, type WorkflowListener, type WorkflowNotice } from './workflow.service.js';
export { registerWorkflowRoutes } from './workflow.routes.js';
export { registerWorkflowJobs } from './workflow.jobs.js';
export { checkDefinition, definitionBodySchema, type DefinitionBody, type DefinitionProblem, type Step, type Deadline } from './workflow.definition.js';
export type { Facts, InstanceStatus, TaskStatus } from './workflow.engine.js';
export type { InstanceDetail, InstanceSummary, StartInput, TaskWithInstance, WorkflowDefinition, WorkflowTask } from './workflow.schemas.js';

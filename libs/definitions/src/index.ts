export { DefinitionRegistry, checksumOf, type RegisteredWorkflow } from './registry';
export { migrateDefinitions } from './migrations';
export { DefinitionVersionConflict, WorkflowNotFound } from './errors';

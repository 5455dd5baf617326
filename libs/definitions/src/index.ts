export { DefinitionRegistry, checksumOf, type RegisteredWorkflow } from './registry';
export { migrateDefinitions } from './migrations';
export { DefinitionVersionConflict, WorkflowNotFound } from './errors';
export { contractIssues } from './contract-issues';
export { registerWorkflow, stepTopicsOf } from './register-workflow';

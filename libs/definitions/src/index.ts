export { DefinitionRegistry, checksumOf, type RegisteredWorkflow } from './registry';
export { migrateDefinitions } from './migrations';
export { DefinitionVersionConflict, WorkflowNotFound } from './errors';
export { contractIssues } from './contract-issues';
export { registerWorkflow, stepTopicsOf, checkContracts } from './register-workflow';
export { ContractRegistry, type ContractVersion, type ContractRegistryOptions } from './contracts/contract-registry';
export { ContractSync, type ContractSyncOptions } from './contracts/contract-sync';
export { IncompatibleContractError, InvalidContractError } from './contracts/errors';
